/*
 * cli_util.c — helpers shared by the command-line files of the `durand`
 * program (cli_util.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "cli_util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"

/* Seconds between redraws of the bar of many runs. */
#define DR_CLI_PROGRESS_PERIOD 0.1
/* Widths of the bars, in characters between the brackets. */
#define DR_CLI_BAR_RUNS 30
#define DR_CLI_BAR_DAYS 40

/* The one piece of process-wide state: a signal handler can reach
 * nothing else. */
static volatile sig_atomic_t dr_cli_interrupt_flag = 0;

int dr_cli_is_help(const char *arg)
{
    return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int dr_cli_parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-' || *s == '+') return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) return -1;
    *out = v;
    return 0;
}

int dr_cli_parse_double(const char *s, double *out)
{
    if (!s || !*s) return -1;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int dr_cli_option_u64(const char *cmd, const char *opt, const char *value,
                      unsigned long long min, unsigned long long max,
                      unsigned long long *out, FILE *err)
{
    unsigned long long v;
    if (dr_cli_parse_u64(value, max, &v) || v < min) {
        fprintf(err, "%s: %s %s: expected an integer in [%llu, %llu]\n", cmd, opt,
                value ? value : "(missing)", min, max);
        return DR_EXIT_INPUT;
    }
    *out = v;
    return 0;
}

int dr_cli_option_double(const char *cmd, const char *opt, const char *value, double min,
                         double max, double *out, FILE *err)
{
    double v;
    if (dr_cli_parse_double(value, &v) || v < min || v > max) {
        fprintf(err, "%s: %s %s: expected a number in [%g, %g]\n", cmd, opt,
                value ? value : "(missing)", min, max);
        return DR_EXIT_INPUT;
    }
    *out = v;
    return 0;
}

int dr_cli_option_file(const char *cmd, const char *opt, const char *value,
                       const char **out, FILE *err)
{
    if (!value || !*value) {
        fprintf(err, "%s: %s: expected a file name\n", cmd, opt);
        return DR_EXIT_INPUT;
    }
    *out = value;
    return 0;
}

int dr_cli_option_override(const char *cmd, const char *opt, const char *value,
                           const char **list, size_t *n, size_t cap, FILE *err)
{
    if (!value || !strchr(value, '=')) {
        fprintf(err, "%s: %s %s: expected PATH=VALUE\n", cmd, opt,
                value ? value : "(missing)");
        return DR_EXIT_INPUT;
    }
    if (*n + 1 >= cap) {
        fprintf(err, "%s: more than %zu overrides\n", cmd, cap - 1);
        return DR_EXIT_INPUT;
    }
    list[(*n)++] = value;
    return 0;
}

int dr_cli_option_seed(const char *cmd, const char *opt, const char *value,
                       char *override, size_t size, FILE *err)
{
    unsigned long long v;
    int rc =
        dr_cli_option_u64(cmd, opt, value, 0, (unsigned long long)INT64_MAX, &v, err);
    if (!rc) snprintf(override, size, "scenario.seed=%lluL", v);
    return rc;
}

int dr_cli_positional(const char *cmd, const char *arg, const char **positional,
                      const char *usage, FILE *err)
{
    if (arg[0] == '-' && arg[1]) {
        fprintf(err, "%s: unknown option %s\n\n%s", cmd, arg, usage);
        return DR_EXIT_INPUT;
    }
    if (*positional) {
        fprintf(err, "%s: unexpected argument %s\n\n%s", cmd, arg, usage);
        return DR_EXIT_INPUT;
    }
    *positional = arg;
    return 0;
}

int dr_cli_require(const char *cmd, const char *value, const char *what,
                   const char *usage, FILE *err)
{
    if (value) return 0;
    fprintf(err, "%s: %s is required\n\n%s", cmd, what, usage);
    return DR_EXIT_INPUT;
}

/* parts[0..n) joined by sep; with `quote`, a part that holds a blank, a
 * quote or a bracket in single quotes. Caller frees; NULL when out of
 * memory. */
static char *dr_cli_join(const char *const *parts, size_t n, const char *sep, int quote)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]) + strlen(sep) + (quote ? 2 : 0);
    char *s = malloc(len);
    if (!s) return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(s, sep);
        int q = quote && strpbrk(parts[i], " \t\"'[]") != NULL;
        if (q) strcat(s, "'");
        strcat(s, parts[i]);
        if (q) strcat(s, "'");
    }
    return s;
}

char *dr_cli_join_args(int argc, char **argv)
{
    return dr_cli_join((const char *const *)argv, argc > 0 ? (size_t)argc : 0, " ", 1);
}

char *dr_cli_join_lines(const char *const *lines, size_t n)
{
    return dr_cli_join(lines, n, "\n", 0);
}

void dr_cli_iso_now(char buf[21])
{
    time_t t = time(NULL);
    const struct tm *tm = gmtime(&t);
    if (!tm || strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", tm) == 0)
        strcpy(buf, "1970-01-01T00:00:00Z");
}

int dr_cli_scenario_stem(const char *scenario, const char **stem)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t len = strlen(base);
    if (len > 4 && !strcmp(base + len - 4, ".cfg")) len -= 4;
    if (len > 200) len = 200;
    *stem = base;
    return (int)len;
}

int dr_cli_check_output_dir(const char *cmd, const char *opt, const char *path,
                            int must_be_dir, FILE *err)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        strcpy(dir, ".");
    } else if (slash == path) {
        strcpy(dir, "/");
    } else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir) n = sizeof dir - 1;
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int not_dir = 0;
    if (must_be_dir) {
        struct stat st;
        not_dir = stat(dir, &st) == 0 ? !S_ISDIR(st.st_mode) : errno == ENOTDIR;
    }
    if (not_dir || access(dir, W_OK | X_OK) != 0) {
        fprintf(err,
                "%s: %s %s: directory %s %s (expected an existing, writable "
                "directory)\n",
                cmd, opt, path, dir,
                not_dir           ? "is not a directory"
                : errno == ENOENT ? "does not exist"
                                  : "is not writable");
        return DR_EXIT_INPUT;
    }
    return 0;
}

static void dr_cli_on_signal(int sig)
{
    (void)sig;
    dr_cli_interrupt_flag = 1;
}

void dr_cli_catch_interrupts(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = dr_cli_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int dr_cli_interrupted(void)
{
    return dr_cli_interrupt_flag != 0;
}

/* "\r[" and `width` characters, '#' for the pct percent done, '.' for
 * the rest; the caller writes the closing bracket and what follows. */
static void dr_cli_bar(int pct, int width)
{
    int fill = pct * width / 100;
    fprintf(stderr, "\r[");
    for (int i = 0; i < width; i++) fputc(i < fill ? '#' : '.', stderr);
}

void dr_cli_progress_days(int64_t done, int64_t total, int *last_percent)
{
    int pct = (int)(100 * done / (total ? total : 1));
    if (pct == *last_percent && done != total) return;
    *last_percent = pct;
    dr_cli_bar(pct, DR_CLI_BAR_DAYS);
    fprintf(stderr, "] %3d%%  day %lld/%lld", pct, (long long)done, (long long)total);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

/* seconds, rounded, as H:MM:SS into buf[64]. */
static void dr_cli_hms(char buf[64], double seconds)
{
    long s = (long)(seconds + 0.5);
    snprintf(buf, 64, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

int dr_cli_progress_runs(size_t done, size_t total, void *arg)
{
    dr_cli_progress *p = arg;
    if (dr_cli_interrupted()) return 1;
    if (!p->enabled) return 0;
    double now = omp_get_wtime();
    if (done != total && now - p->last < DR_CLI_PROGRESS_PERIOD) return 0;
    p->last = now;
    int pct = (int)(total ? 100 * done / total : 100);
    char eta[64] = "--:--";
    size_t ran = done - p->start;
    if (ran > 0 && done < total)
        dr_cli_hms(eta, (now - p->t0) / (double)ran * (double)(total - done));
    else if (done == total)
        dr_cli_hms(eta, now - p->t0);
    dr_cli_bar(pct, DR_CLI_BAR_RUNS);
    fprintf(stderr, "] %3d%%  %zu/%zu runs  %d thr", pct, done, total, p->threads);
    if (p->ranks > 0) fprintf(stderr, " x %d rank%s", p->ranks, p->ranks == 1 ? "" : "s");
    fprintf(stderr, "  %s %s   ", done == total ? "took" : "ETA", eta);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
    return 0;
}
