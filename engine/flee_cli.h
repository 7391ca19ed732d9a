/*
 * flee_cli.h — the `durand flee` command (flee_cli.c). Takes the arguments
 * after the command name and the whole command line (for provenance),
 * prints its own --help, and returns the process exit status: 0 success,
 * 1 a failure other than bad input, 2 bad input or usage.
 */
#ifndef DR_FLEE_CLI_H
#define DR_FLEE_CLI_H

/* durand flee DIR [-o FILE] [--seed N] [--replication I] [-q] */
int dr_cmd_flee(int argc, char **argv, int full_argc, char **full_argv);

#endif /* DR_FLEE_CLI_H */
