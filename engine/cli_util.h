/*
 * cli_util.h — what the command-line files of the `durand` program
 * (durand.c, sweep_cli.c, compare_cli.c, flee_cli.c) share: option
 * values, the command line for provenance, the output directory check,
 * progress bars and the SIGINT/SIGTERM flag. Compiled into the program,
 * not into the engine library: only `main` and the commands it calls
 * print usage errors and decide exit statuses.
 *
 * Functions that report a bad option print one line on `err` that starts
 * with `cmd` ("durand", "durand sweep", ...) and return DR_EXIT_INPUT.
 */
#ifndef DR_CLI_UTIL_H
#define DR_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit status of a failure other than bad input (out of memory, a write
 * error, interrupted, failed runs); bad input is DR_EXIT_INPUT
 * (scenario.h). */
#define DR_EXIT_FAILURE 1

/* 1 if arg asks for help (-h, --help). */
int dr_cli_is_help(const char *arg);

/* Parse s as a decimal integer in [0, max], no sign, nothing after it.
 * Returns 0 and sets *out, or -1 (s NULL, empty, signed, too large, not
 * a number). */
int dr_cli_parse_u64(const char *s, unsigned long long max, unsigned long long *out);

/* Parse s as a finite number (strtod syntax, nothing after it). Returns 0
 * and sets *out, or -1. */
int dr_cli_parse_double(const char *s, double *out);

/* The value of option `opt` as an integer in [min, max]. value may be
 * NULL (the option was last). Returns 0 and sets *out, or prints
 * "CMD: OPT VALUE: expected an integer in [MIN, MAX]" and returns
 * DR_EXIT_INPUT. */
int dr_cli_option_u64(const char *cmd, const char *opt, const char *value,
                      unsigned long long min, unsigned long long max,
                      unsigned long long *out, FILE *err);

/* The value of option `opt` as a number in [min, max], as
 * dr_cli_option_u64 ("expected a number in [MIN, MAX]", bounds by %g). */
int dr_cli_option_double(const char *cmd, const char *opt, const char *value, double min,
                         double max, double *out, FILE *err);

/* The value of option `opt` as a file name: *out = value (borrowed), or,
 * when value is NULL or empty, "CMD: OPT: expected a file name" and
 * DR_EXIT_INPUT. */
int dr_cli_option_file(const char *cmd, const char *opt, const char *value,
                       const char **out, FILE *err);

/* Append the PATH=VALUE override `value` of option `opt` to list[*n]
 * (borrowed), keeping one of the `cap` entries free for the --seed
 * override. Reports "CMD: OPT VALUE: expected PATH=VALUE" or "CMD: more
 * than CAP-1 overrides" and returns DR_EXIT_INPUT. */
int dr_cli_option_override(const char *cmd, const char *opt, const char *value,
                           const char **list, size_t *n, size_t cap, FILE *err);

/* The value of --seed (option `opt`) as the override "scenario.seed=SL"
 * into override[size], S an integer in [0, INT64_MAX]; reported as
 * dr_cli_option_u64. */
int dr_cli_option_seed(const char *cmd, const char *opt, const char *value,
                       char *override, size_t size, FILE *err);

/* What an argument that no option took is: the first one that is not an
 * option (not "-X...") is stored in *positional; an unknown option, or a
 * second positional argument, prints "CMD: unknown option ARG" or "CMD:
 * unexpected argument ARG", a blank line and the usage text, and returns
 * DR_EXIT_INPUT. */
int dr_cli_positional(const char *cmd, const char *arg, const char **positional,
                      const char *usage, FILE *err);

/* 0 when the argument `what` ("a SCENARIO file") was given (value not
 * NULL), else "CMD: WHAT is required", a blank line and the usage text,
 * and DR_EXIT_INPUT. */
int dr_cli_require(const char *cmd, const char *value, const char *what,
                   const char *usage, FILE *err);

/* The command line for a file's `history`: the arguments joined by
 * spaces, each one that holds a blank, a quote or a bracket in single
 * quotes. Caller frees; NULL when out of memory. */
char *dr_cli_join_args(int argc, char **argv);

/* The n strings joined by newlines (the `overrides` attribute). Caller
 * frees; NULL when out of memory. */
char *dr_cli_join_lines(const char *const *lines, size_t n);

/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" into buf[21] (the
 * format of the files' wall_time_start). */
void dr_cli_iso_now(char buf[21]);

/* The stem of a scenario path for default output names: its file name
 * without directories and without a ".cfg" ending, at most 200
 * characters. Sets *stem (into `scenario`) and returns its length, for
 * printf's "%.*s". */
int dr_cli_scenario_stem(const char *scenario, const char **stem);

/*
 * The directory of output file `path` (given as option `opt`) must exist
 * and be writable before a long run starts, so that a typo fails in a
 * second, not after an hour. Returns 0, or prints "CMD: OPT PATH:
 * directory DIR does not exist | is not writable (expected an existing,
 * writable directory)" and returns DR_EXIT_INPUT. With must_be_dir, a DIR
 * that exists but is not a directory is reported as "is not a directory"
 * (`durand run`); without it, as access() sees it.
 */
int dr_cli_check_output_dir(const char *cmd, const char *opt, const char *path,
                            int must_be_dir, FILE *err);

/* From now on SIGINT and SIGTERM set the flag dr_cli_interrupted()
 * reads instead of ending the process, so that a run can stop cleanly
 * (remove its partial file, keep its journal or checkpoint). */
void dr_cli_catch_interrupts(void);

/* 1 once SIGINT or SIGTERM arrived after dr_cli_catch_interrupts(). */
int dr_cli_interrupted(void);

/* The day progress bar of one run on stderr: "[####....]  42%  day
 * 420/1000", redrawn when the percentage changes, ended by a newline on
 * the last day. *last_percent is the percentage drawn last (-1 before
 * the first). */
void dr_cli_progress_days(int64_t done, int64_t total, int *last_percent);

/* State of the bar of dr_cli_progress_runs. */
typedef struct dr_cli_progress {
    int enabled;  /* draw a bar (a TTY and not -q) */
    double t0;    /* when the runs started (omp_get_wtime) */
    size_t start; /* runs already done at the start (resumed) */
    double last;  /* last redraw (omp_get_wtime) */
    int threads;  /* threads shown in the bar */
    int ranks;    /* MPI ranks shown in the bar; 0: none shown */
} dr_cli_progress;

/* Progress callback of many runs (dr_sweep_plan, dr_compare_plan; arg a
 * dr_cli_progress): at most every 0.1 s, and at the end, redraws
 * "[###...]  42%  42/100 runs  T thr [x R ranks]  ETA H:MM:SS" on
 * stderr (the time taken at the end). Returns 1 to stop the runs once
 * dr_cli_interrupted(), else 0. */
int dr_cli_progress_runs(size_t done, size_t total, void *arg);

#endif /* DR_CLI_UTIL_H */
