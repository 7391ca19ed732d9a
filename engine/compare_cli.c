/*
 * compare_cli.c — `durand compare` (compare_cli.h): parsing, validation,
 * progress, the printed table, and the glue between the strategies loader
 * (scenario.h), the comparison (compare.h) and the comparison file
 * (h5_compare.h).
 *
 * A comparison: parse and check the options; load the strategies (the
 * base scenario once per strategy, with the strategy applied); check that
 * they share seed, start date and days; run every strategy x replication
 * (and the independent-seed runs when asked) on threads; analyse; write
 * the file (to FILE.part, renamed at the end, so an interrupted or failed
 * comparison leaves nothing at FILE); print the table.
 */
#define _POSIX_C_SOURCE 200809L

#include "compare_cli.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "compare.h"
#include "h5_compare.h"
#include "scenario.h"
#include "summary.h"
#include "sweep.h"
#include "version.h"

#define DR_COMPARE_MAX_OVERRIDES 1024
/* Most replications per strategy (and stream R..2R-1 must exist). */
#define DR_COMPARE_MAX_REPLICATIONS 100000

/* The indicators of the printed table, in order, when durand has them. */
static const char *const main_indicators[] = {
    "deaths_total",  "civilian_deaths_total", "clashes_total", "attacks_total",
    "tension_final", "displaced_peak",        "returns_total", "cost_total"};

static const char *const usage_compare =
    "usage: durand compare SCENARIO --strategies FILE [-R N] [-o FILE]\n"
    "                      [-s PATH=VALUE]... [--seed S] [--threads T]\n"
    "                      [--independent-check] [--tension-threshold X] [-q]\n"
    "\n"
    "Run every strategy of FILE (scenarios/REFERENCE.md, \"Strategies files\")\n"
    "on SCENARIO for replications 0..N-1 with common random numbers:\n"
    "replication i of every strategy uses random-number stream i, so the\n"
    "strategies meet the same luck and their paired differences from the\n"
    "baseline measure the strategy alone. Writes one comparison file\n"
    "(output/SCHEMA.md, \"Comparison files\") and prints, per strategy, the\n"
    "mean difference from the baseline with its 95% interval for the main\n"
    "indicators, the cost, deaths averted per 1 M USD and a rank.\n"
    "\n"
    "  --strategies FILE the strategies file (required)\n"
    "  -R, --replications N\n"
    "                    replications per strategy, 2 to 100000 (default 20)\n"
    "  -o FILE           comparison file (default NAME_compare.h5 in the\n"
    "                    current directory, NAME the scenario file's name)\n"
    "  -s PATH=VALUE     override a setting of the base scenario (repeatable;\n"
    "                    applied before each strategy's own settings)\n"
    "  --seed S          master seed (same as -s scenario.seed=S)\n"
    "  --threads T       runs at once, one thread each (default:\n"
    "                    OMP_NUM_THREADS, else all cores)\n"
    "  --independent-check\n"
    "                    also run every non-baseline strategy with\n"
    "                    replications N..2N-1 (streams the baseline never saw)\n"
    "                    and print the interval half-widths independent seeds\n"
    "                    really give next to the estimate\n"
    "  --tension-threshold X\n"
    "                    threshold of first_day_tension_below (default 0.3)\n"
    "  -q, --quiet       no progress bar and no table\n"
    "\n"
    "Under `mpiexec -n N durand compare ...` (a build with DR_MPI) the runs\n"
    "are spread over the ranks; rank 0 prints and writes.\n"
    "Results do not depend on the thread or rank count. The file is written to\n"
    "FILE.part and renamed at the end: an interrupted or failed comparison\n"
    "leaves nothing at FILE. Exit status 2 for bad input (including a bad\n"
    "strategies file), 1 for other failures.\n";

/* ---- options ------------------------------------------------------------- */

typedef struct compare_opts {
    const char *scenario;
    const char *strategies;
    const char *output;
    const char *overrides[DR_COMPARE_MAX_OVERRIDES];
    size_t n_overrides;
    char seed_override[64];
    uint32_t replications;
    int threads;
    int independent;
    int quiet;
    double tension_threshold;
} compare_opts;

/* Returns 0, 1 when help was printed, or DR_EXIT_INPUT. */
static int parse_compare(int argc, char **argv, compare_opts *o, FILE *err)
{
    static const char *const cmd = "durand compare";
    o->replications = DR_COMPARE_REPLICATIONS;
    o->tension_threshold = DR_SUMMARY_TENSION_THRESHOLD;
    int seed_given = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long v;
        int rc = 0;
        if (dr_cli_is_help(a)) {
            fputs(usage_compare, stdout);
            return 1;
        } else if (!strcmp(a, "--strategies")) {
            rc = dr_cli_option_file(cmd, a, next, &o->strategies, err);
            i++;
        } else if (!strcmp(a, "-R") || !strcmp(a, "--replications")) {
            if (dr_cli_parse_u64(next, DR_COMPARE_MAX_REPLICATIONS, &v) || v < 2) {
                fprintf(err,
                        "durand compare: %s %s: expected an integer in [2, %d] (an "
                        "interval needs at least 2 replications)\n",
                        a, next ? next : "(missing)", DR_COMPARE_MAX_REPLICATIONS);
                return DR_EXIT_INPUT;
            }
            o->replications = (uint32_t)v;
            i++;
        } else if (!strcmp(a, "-s") || !strcmp(a, "--set")) {
            rc = dr_cli_option_override(cmd, a, next, o->overrides, &o->n_overrides,
                                        DR_COMPARE_MAX_OVERRIDES, err);
            i++;
        } else if (!strcmp(a, "--seed")) {
            rc = dr_cli_option_seed(cmd, a, next, o->seed_override,
                                    sizeof o->seed_override, err);
            seed_given = 1;
            i++;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            rc = dr_cli_option_file(cmd, a, next, &o->output, err);
            i++;
        } else if (!strcmp(a, "--threads")) {
            rc = dr_cli_option_u64(cmd, a, next, 1, 4096, &v, err);
            if (!rc) o->threads = (int)v;
            i++;
        } else if (!strcmp(a, "--independent-check")) {
            o->independent = 1;
        } else if (!strcmp(a, "--tension-threshold")) {
            rc = dr_cli_option_double(cmd, a, next, 0.0, 1.0, &o->tension_threshold, err);
            i++;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else {
            rc = dr_cli_positional(cmd, a, &o->scenario, usage_compare, err);
        }
        if (rc) return rc;
    }
    if (dr_cli_require(cmd, o->scenario, "a SCENARIO file", usage_compare, err))
        return DR_EXIT_INPUT;
    if (!o->strategies) {
        fprintf(err, "durand compare: --strategies FILE is required (the strategies to "
                     "compare; scenarios/REFERENCE.md, \"Strategies files\")\n");
        return DR_EXIT_INPUT;
    }
    if (seed_given) o->overrides[o->n_overrides++] = o->seed_override;
    return 0;
}

static void default_output(const char *scenario, char *buf, size_t n)
{
    const char *stem;
    int len = dr_cli_scenario_stem(scenario, &stem);
    snprintf(buf, n, "%.*s_compare.h5", len, stem);
}

/* ---- the table ----------------------------------------------------------- */

/* Four significant digits ("+1.234", "-0.0005814"), whole numbers from
 * 10^4 up (costs: "360000", not "3.6e+05"), "0" for an exact zero, "n/a"
 * for NaN; sign: always print the sign. */
static const char *num(char *buf, size_t n, double v, int sign)
{
    if (isnan(v))
        snprintf(buf, n, "n/a");
    else if (v == 0.0)
        snprintf(buf, n, "0");
    else if (fabs(v) >= 1e4 && fabs(v) < 1e15)
        snprintf(buf, n, sign ? "%+.0f" : "%.0f", v);
    else
        snprintf(buf, n, sign ? "%+.4g" : "%.4g", v);
    return buf;
}

static void print_table(const dr_compare *c, const dr_strategy_set *set, FILE *out)
{
    const size_t S = c->n_strategies, I = c->n_indicators, b = c->baseline;
    int w = 8;
    for (size_t s = 0; s < S; s++) {
        int len = (int)strlen(set->strategies[s].name);
        if (len > w) w = len;
    }
    char x1[32], x2[32], x3[32], x4[32];
    fprintf(out,
            "\nEffects: strategy - baseline (%s), mean over %u paired replications "
            "[95%% interval]\n",
            set->strategies[b].name, c->n_replications);
    for (size_t m = 0; m < sizeof main_indicators / sizeof main_indicators[0]; m++) {
        size_t k = dr_compare_indicator(main_indicators[m]);
        if (k == DR_COMPARE_NONE) continue;
        const char *units = dr_indicators[k].units;
        fprintf(out, "\n%s%s%s%s   baseline mean %s\n", dr_indicators[k].name,
                strcmp(units, "1") ? " (" : "", strcmp(units, "1") ? units : "",
                strcmp(units, "1") ? ")" : "", num(x1, sizeof x1, c->mean[b * I + k], 0));
        for (size_t s = 0; s < S; s++) {
            if (s == b) continue;
            size_t at = s * I + k;
            fprintf(out, "  %-*s %11s  [%s, %s]\n", w, set->strategies[s].name,
                    num(x1, sizeof x1, c->effect[at], 1),
                    num(x2, sizeof x2, c->effect_lo[at], 1),
                    num(x3, sizeof x3, c->effect_hi[at], 1));
        }
    }

    const size_t ci = c->cost_indicator;
    const char *cost_units = ci != DR_COMPARE_NONE ? dr_indicators[ci].units : "USD";
    fprintf(out, "\nCost-effectiveness");
    if (ci == DR_COMPARE_NONE)
        fprintf(out, " (this durand has no %s indicator: every strategy costs 0)",
                DR_COMPARE_COST_INDICATOR);
    fprintf(out, "\n  %-*s %14s  %-30s %13s %5s\n", w, "strategy", "cost",
            "deaths averted [95% interval]", "per 1M", "rank");
    for (size_t s = 0; s < S; s++) {
        char iv[112];
        snprintf(iv, sizeof iv, "%s [%s, %s]", num(x1, sizeof x1, c->averted[s], 1),
                 num(x2, sizeof x2, c->averted_lo[s], 1),
                 num(x3, sizeof x3, c->averted_hi[s], 1));
        char cost[96];
        snprintf(cost, sizeof cost, "%s %s", num(x4, sizeof x4, c->cost[s], 0),
                 cost_units);
        fprintf(out, "  %-*s %14s  %-30s %13s %5d%s\n", w, set->strategies[s].name, cost,
                iv, num(x1, sizeof x1, c->averted_per_cost[s], 1), (int)c->rank[s],
                s == b ? "  (baseline)" : "");
    }
    fprintf(out,
            "  deaths averted: baseline deaths_total - strategy deaths_total; per 1M:\n"
            "  per 1e6 %s of cost above the baseline's. Rank: strategies that cost\n"
            "  more than the baseline by deaths averted per cost, then the others by\n"
            "  deaths averted.\n",
            cost_units);

    const size_t di = c->deaths_indicator;
    if (di == DR_COMPARE_NONE) return;
    fprintf(out,
            "\nCommon random numbers: 95%% interval half-width of the %s effect, paired "
            "vs independent seeds\n",
            dr_indicators[di].name);
    for (size_t s = 0; s < S; s++) {
        if (s == b) continue;
        size_t at = s * I + di;
        double hw = c->halfwidth[at], hi = c->halfwidth_ind[at];
        fprintf(out, "  %-*s ", w, set->strategies[s].name);
        if (isfinite(hw) && isfinite(hi) && hi > 0.0)
            fprintf(out, "CRN interval %.0f %% narrower than independent seeds",
                    100.0 * (1.0 - hw / hi));
        else
            fprintf(out, "CRN interval: no variation to compare");
        fprintf(out, " (+-%s vs +-%s estimated", num(x1, sizeof x1, hw, 0),
                num(x2, sizeof x2, hi, 0));
        if (c->independent)
            fprintf(out, ", +-%s measured with replications %u..%u",
                    num(x3, sizeof x3, c->halfwidth_ind_measured[at], 0),
                    c->n_replications, 2 * c->n_replications - 1);
        fprintf(out, ")\n");
    }
    if (c->independent) {
        fprintf(out, "\nIndependent-seed check, every main indicator: half-width "
                     "estimated / measured\n");
        for (size_t m = 0; m < sizeof main_indicators / sizeof main_indicators[0]; m++) {
            size_t k = dr_compare_indicator(main_indicators[m]);
            if (k == DR_COMPARE_NONE) continue;
            fprintf(out, "  %s\n", dr_indicators[k].name);
            for (size_t s = 0; s < S; s++) {
                if (s == b) continue;
                size_t at = s * I + k;
                fprintf(
                    out,
                    "    %-*s CRN +-%-10s independent +-%s estimated / +-%s measured\n",
                    w, set->strategies[s].name, num(x1, sizeof x1, c->halfwidth[at], 0),
                    num(x2, sizeof x2, c->halfwidth_ind[at], 0),
                    num(x3, sizeof x3, c->halfwidth_ind_measured[at], 0));
            }
        }
    }
}

/* ---- durand compare -------------------------------------------------------- */

/* Everything a comparison holds, freed in one place. */
typedef struct compare_job {
    dr_strategy_set *set;
    dr_compare *c;
    char *overrides_text;
    char *cmdline;
    char default_out[512];
} compare_job;

static int run_compare(compare_opts *o, const dr_sweep_mpi *mpi, compare_job *job,
                       int full_argc, char **full_argv, FILE *err)
{
    const int master = mpi->rank == 0;
    const char *out = o->output;
    if (!out) {
        default_output(o->scenario, job->default_out, sizeof job->default_out);
        out = job->default_out;
    }
    /* Every rank checks and loads the same; they agree on the outcome. */
    int rc = dr_cli_check_output_dir("durand compare", "-o", out, 0, err);
    rc = dr_sweep_mpi_max(mpi, rc);
    if (rc) return rc;
    job->set =
        dr_strategies_load(o->scenario, o->overrides, o->n_overrides, o->strategies, err);
    if (!job->set)
        fprintf(err,
                "durand compare: %s: not a valid strategies file for %s (see above)\n",
                o->strategies, o->scenario);
    rc = dr_sweep_mpi_max(mpi, job->set ? 0 : DR_EXIT_INPUT);
    if (rc) return rc;
    const dr_strategy_set *set = job->set;
    rc = dr_sweep_mpi_max(mpi, dr_compare_check(set, err));
    if (rc) return rc;
    const dr_scenario *sc = set->strategies[set->baseline].sc;
    dr_summary_options so;
    dr_summary_options_default(&so);
    so.tension_threshold = o->tension_threshold;
    job->c = dr_compare_create(set->n, set->baseline, o->replications, sc->meta.days,
                               o->independent, &so);
    job->overrides_text = dr_cli_join_lines(o->overrides, o->n_overrides);
    job->cmdline = dr_cli_join_args(full_argc, full_argv);
    const int oom = !job->c || !job->overrides_text || !job->cmdline;
    if (oom)
        fprintf(err,
                "durand compare: out of memory for %zu strategies x %u replications\n",
                set->n, o->replications);
    rc = dr_sweep_mpi_max(mpi, oom ? DR_EXIT_FAILURE : 0);
    if (rc) return rc;
    dr_compare *c = job->c;

    const int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    dr_cli_progress prog = {.enabled = master && !o->quiet && isatty(STDERR_FILENO),
                            .t0 = omp_get_wtime(),
                            .threads = threads};
    dr_compare_plan plan = {.threads = threads,
                            .progress = dr_cli_progress_runs,
                            .progress_arg = &prog,
                            .err = err,
                            .mpi = *mpi};
    char started[21];
    dr_cli_iso_now(started);
    dr_cli_catch_interrupts();

    double t0 = omp_get_wtime();
    int src = dr_compare_run(c, set, &plan);
    double seconds = omp_get_wtime() - t0;
    const size_t n_runs =
        set->n * o->replications + (o->independent ? (set->n - 1) * o->replications : 0);
    if (!master) return src == DR_SWEEP_OK ? 0 : DR_EXIT_FAILURE; /* rank 0 writes */
    if (src != DR_SWEEP_OK) {
        if (prog.enabled) fputc('\n', stderr);
        fprintf(err, "durand compare: %s; nothing written to %s\n",
                src == DR_SWEEP_INTERRUPTED ? "interrupted"
                : src == DR_SWEEP_ENOMEM    ? "out of memory"
                                            : "the runs stopped with an error",
                out);
        return DR_EXIT_FAILURE;
    }
    if (c->n_failed) {
        fprintf(err,
                "durand compare: %zu of %zu runs failed (out of memory?); a comparison "
                "needs every pair: nothing written to %s\n",
                c->n_failed, n_runs, out);
        return DR_EXIT_FAILURE;
    }
    if (dr_compare_analyse(c) != 0) {
        fprintf(err, "durand compare: out of memory in the analysis\n");
        return DR_EXIT_FAILURE;
    }
    dr_h5_compare_info info = {.command_line = job->cmdline,
                               .wall_time_start = started,
                               .overrides = job->overrides_text,
                               .omp_threads = threads};
    if (dr_h5_compare_write(out, c, set, &info, err) != 0) return DR_EXIT_FAILURE;
    if (o->quiet) return 0;
    printf("durand %s: compare %zu strateg%s of %s (%s), %u replications each\n",
           DR_VERSION, set->n, set->n == 1 ? "y" : "ies", sc->meta.name, sc->path,
           o->replications);
    printf("  seed %lld, common random numbers: replication i of every strategy uses "
           "stream i\n",
           (long long)sc->meta.seed);
    printf("  %zu runs%s, %d thread%s", n_runs,
           o->independent ? " (with the independent-seed check)" : "", threads,
           threads == 1 ? "" : "s");
    if (mpi->size > 1) printf(" on each of %d MPI ranks", mpi->size);
    printf(", %.2f s\n", seconds);
    print_table(c, set, stdout);
    printf("\nresult: %s\n", out);
    return 0;
}

int dr_cmd_compare(int argc, char **argv, int full_argc, char **full_argv)
{
    compare_opts *o = calloc(1, sizeof *o);
    compare_job *job = calloc(1, sizeof *job);
    int rc;
    if (!o || !job) {
        fprintf(stderr, "durand compare: out of memory\n");
        rc = DR_EXIT_FAILURE;
    } else {
        rc = parse_compare(argc, argv, o, stderr);
        if (rc == 1) {
            rc = 0;
        } else if (rc == 0) {
            dr_sweep_mpi mpi = {0, 0, 1};
            if (dr_sweep_mpi_init(&full_argc, &full_argv, &mpi, stderr) != 0) {
                rc = DR_EXIT_INPUT;
            } else {
                /* Only rank 0 talks; the others check the same silently. */
                FILE *err = mpi.rank == 0 ? stderr : fopen("/dev/null", "w");
                if (!err) err = stderr;
                rc = run_compare(o, &mpi, job, full_argc, full_argv, err);
                rc = dr_sweep_mpi_max(&mpi, rc);
                if (err != stderr) fclose(err);
                dr_sweep_mpi_finalize(&mpi);
            }
        }
    }
    if (job) {
        dr_compare_destroy(job->c);
        dr_strategies_destroy(job->set);
        free(job->overrides_text);
        free(job->cmdline);
    }
    free(job);
    free(o);
    return rc;
}
