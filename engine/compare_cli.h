/*
 * compare_cli.h — the `durand compare` command. Takes the arguments after
 * the command name (argc, argv) and the whole command line (for
 * provenance), prints its own --help, and returns the process exit
 * status: 0 success, 1 a failure other than bad input (I/O, interrupted,
 * failed runs), 2 bad input or usage (with a message naming the option
 * and value, or the loader's messages).
 */
#ifndef DR_COMPARE_CLI_H
#define DR_COMPARE_CLI_H

/* durand compare SCENARIO --strategies FILE [-R N] [-o FILE] ... */
int dr_cmd_compare(int argc, char **argv, int full_argc, char **full_argv);

#endif /* DR_COMPARE_CLI_H */
