/*
 * sweep_cli.h — the `durand sweep`, `durand merge` and `durand sensitivity`
 * commands. Each takes the arguments after the command name (argc, argv)
 * and the whole command line (for provenance), prints its own --help, and
 * returns the process exit status: 0 success, 1 a failure other than bad
 * input (I/O, interrupted, failed runs), 2 bad input or usage (with a
 * message naming the option and value).
 */
#ifndef DR_SWEEP_CLI_H
#define DR_SWEEP_CLI_H

/* durand sweep SCENARIO --param PATH=LO:HI[:LEVELS][:int]... [options] */
int dr_cmd_sweep(int argc, char **argv, int full_argc, char **full_argv);

/* durand merge -o OUT SHARD.h5... : join shard files into one sweep file */
int dr_cmd_merge(int argc, char **argv, int full_argc, char **full_argv);

/* durand sensitivity SWEEP.h5 : Sobol indices or Morris effects */
int dr_cmd_sensitivity(int argc, char **argv, int full_argc, char **full_argv);

#endif /* DR_SWEEP_CLI_H */
