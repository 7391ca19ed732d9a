/*
 * sweep_cli.c — `durand sweep`, `durand merge`, `durand sensitivity`
 * (sweep_cli.h). Parsing, validation, progress, and the glue between the
 * runner (sweep.h), the design (design.h) and the sweep file (h5_sweep.h).
 *
 * A sweep: parse and check the options; load the scenario once (its text
 * is kept and every run checks the file still has it); load it again with
 * each parameter at both ends of its range so that a bad path or range is
 * a clear input error before any run; build the design; hash everything
 * that determines the results (the sweep identity, which guards --resume
 * and merge); run (threads / MPI ranks / a shard); then rank 0 writes the
 * file and removes the journal.
 */
#define _POSIX_C_SOURCE 200809L

#include "sweep_cli.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_util.h"
#include "design.h"
#include "h5_sweep.h"
#include "rng.h"
#include "scenario.h"
#include "summary.h"
#include "sweep.h"
#include "version.h"

#define DR_SWEEP_MAX_PARAMS DR_SWEEP_PARAMS_MAX
#define DR_SWEEP_MAX_OVERRIDES 1024
/* Default levels of a factorial design and of the Morris grid. */
#define DR_SWEEP_FACTORIAL_LEVELS 3
#define DR_SWEEP_MORRIS_LEVELS 4
/* Default bootstrap resamples of `durand sensitivity`. */
#define DR_SWEEP_BOOTSTRAP 500

static const char *const usage_sweep =
    "usage: durand sweep SCENARIO [--param PATH=LO:HI[:LEVELS][:int]]...\n"
    "                    [--design factorial|lhs|sobol|morris] [--points N]\n"
    "                    [--replications R] [-s PATH=VALUE]... [--seed N]\n"
    "                    [-o FILE] [--threads T] [--shard I/N] [--resume]\n"
    "                    [--series] [--tension-threshold X] [--batch B] [-q]\n"
    "\n"
    "Run SCENARIO at every point of a design of experiments, R replications\n"
    "each, and write one sweep file (output/SCHEMA.md, \"Sweep files\").\n"
    "The design comes from the options below and from the scenario's `sweep`\n"
    "block (scenarios/REFERENCE.md): each of --design, --points and\n"
    "--replications replaces the block's setting; any --param replaces the\n"
    "block's whole params list.\n"
    "\n"
    "  --param PATH=LO:HI[:LEVELS][:int]\n"
    "                    a swept setting (same paths as -s), its range, its\n"
    "                    levels (factorial: default 3; morris grid: default 4)\n"
    "                    and ':int' for integer values (repeatable; none: one\n"
    "                    point, replications only)\n"
    "  --design KIND     factorial (default; every combination of levels),\n"
    "                    lhs (Latin hypercube of --points N points), sobol\n"
    "                    (Saltelli scheme, base size N = --points: N*(k+2)\n"
    "                    points), morris (--points r trajectories of k+1)\n"
    "  --points N        see --design; required for lhs, sobol and morris\n"
    "  --replications R  runs per point, replications 0..R-1 (default 1)\n"
    "  -s PATH=VALUE     override a setting in every run (repeatable)\n"
    "  --seed N          master seed (same as -s scenario.seed=N); also keys\n"
    "                    the lhs and morris designs\n"
    "  -o FILE           sweep file (default NAME_sweep.h5, with a shard:\n"
    "                    NAME_sweep_shardI_of_N.h5)\n"
    "  --threads T       runs at once on this node, one thread each\n"
    "                    (default: OMP_NUM_THREADS, else all cores)\n"
    "  --shard I/N       run only runs with run % N == I (Slurm arrays) and\n"
    "                    write a shard file; `durand merge` joins the N files\n"
    "  --resume          continue an interrupted sweep from FILE.journal\n"
    "  --series          also keep daily series of every run\n"
    "  --tension-threshold X\n"
    "                    threshold of first_day_tension_below (default 0.3)\n"
    "  --batch B         runs per MPI hand-out (default: automatic)\n"
    "  -q, --quiet       no progress bar and no summary\n"
    "\n"
    "Under `mpiexec -n N durand sweep ...` (a build with DR_MPI) rank 0 hands\n"
    "out runs to all ranks. A run's result depends only on the scenario, the\n"
    "design point, the replication and the seed: the file's datasets are the\n"
    "same for any threads, ranks or shards. Finished runs are kept in\n"
    "FILE.journal as they complete; after a crash or kill, the same command\n"
    "with --resume runs only the missing ones.\n";

static const char *const usage_merge =
    "usage: durand merge -o OUT.h5 SHARD.h5...\n"
    "\n"
    "Join the shard files of one sweep (`durand sweep --shard I/N`, all N of\n"
    "them, in any order) into OUT.h5, whose datasets equal those of the same\n"
    "sweep run in one process. Refuses shards of different sweeps, missing or\n"
    "duplicate shards, and shards with missing runs.\n";

static const char *const usage_sensitivity =
    "usage: durand sensitivity SWEEP.h5 [--bootstrap B] [--seed S] [-q]\n"
    "\n"
    "Sensitivity of every indicator to every parameter of a complete sweep\n"
    "file, from the mean over replications of each design point:\n"
    "  sobol design:  first-order and total Sobol indices with bootstrap 95%\n"
    "                 intervals (B resamples, default 500, keyed by S,\n"
    "                 default the sweep's seed);\n"
    "  morris design: mu* and sigma of the elementary effects.\n"
    "Prints a table and writes the `sensitivity` group into SWEEP.h5\n"
    "(replacing an earlier one).\n";

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- durand sweep ------------------------------------------------------- */

typedef struct sweep_opts {
    const char *scenario;
    const char *output;
    const char *overrides[DR_SWEEP_MAX_OVERRIDES];
    size_t n_overrides;
    char seed_override[64];
    int seed_given;
    uint64_t seed_value;
    dr_param_range params[DR_SWEEP_MAX_PARAMS];
    int levels_given[DR_SWEEP_MAX_PARAMS];
    /* Where each parameter came from, for messages: "--param PATH" or
     * "FILE:LINE: sweep.params.[i]". */
    char origin[DR_SWEEP_MAX_PARAMS][320];
    size_t n_params;
    dr_design_kind kind;
    size_t points;
    uint32_t replications;
    int kind_given, points_given, replications_given;
    int threads;
    uint32_t shard, n_shards;
    int shard_given;
    int resume, series, quiet;
    double tension_threshold;
    size_t batch;
} sweep_opts;

/* PATH=LO:HI[:LEVELS][:int] */
static int parse_param(const char *s, dr_param_range *p, int *levels_given, FILE *err)
{
    memset(p, 0, sizeof *p);
    const char *eq = s ? strchr(s, '=') : NULL;
    if (!eq || eq == s || (size_t)(eq - s) >= sizeof p->path) {
        fprintf(err,
                "durand sweep: --param %s: expected PATH=LO:HI[:LEVELS][:int], e.g. "
                "--param 'dyads.[PAK-AFG].trust=0.1:0.5'\n",
                s ? s : "(missing)");
        return DR_EXIT_INPUT;
    }
    memcpy(p->path, s, (size_t)(eq - s));
    char rest[256];
    snprintf(rest, sizeof rest, "%s", eq + 1);
    char *tok[5];
    size_t n = 0;
    for (char *t = rest, *save = NULL; n < 5; t = NULL) {
        char *piece = strtok_r(t, ":", &save);
        if (!piece) break;
        tok[n++] = piece;
    }
    int ok = n >= 2 && n <= 4 && dr_cli_parse_double(tok[0], &p->lo) == 0 &&
             dr_cli_parse_double(tok[1], &p->hi) == 0;
    p->levels = 0;
    *levels_given = 0;
    for (size_t i = 2; ok && i < n; i++) {
        unsigned long long lv;
        if (!strcmp(tok[i], "int") && !p->integer) {
            p->integer = 1;
        } else if (!*levels_given && dr_cli_parse_u64(tok[i], 1000000, &lv) == 0 &&
                   lv >= 2) {
            p->levels = (int)lv;
            *levels_given = 1;
        } else {
            ok = 0;
        }
    }
    if (!ok) {
        fprintf(err,
                "durand sweep: --param %s: expected PATH=LO:HI[:LEVELS][:int] with "
                "numbers LO <= HI, LEVELS an integer >= 2\n",
                s);
        return DR_EXIT_INPUT;
    }
    if (p->lo > p->hi) {
        fprintf(
            err,
            "durand sweep: --param %s: LO = %g is above HI = %g (expected LO <= HI)\n", s,
            p->lo, p->hi);
        return DR_EXIT_INPUT;
    }
    return 0;
}

/* Returns 0, 1 when help was printed, or DR_EXIT_INPUT. */
static int parse_sweep(int argc, char **argv, sweep_opts *o, FILE *err)
{
    static const char *const cmd = "durand sweep";
    o->kind = DR_DESIGN_FACTORIAL;
    o->replications = 1;
    o->n_shards = 1;
    o->tension_threshold = DR_SUMMARY_TENSION_THRESHOLD;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long v;
        int rc = 0;
        if (dr_cli_is_help(a)) {
            fputs(usage_sweep, stdout);
            return 1;
        } else if (!strcmp(a, "--param")) {
            if (o->n_params == DR_SWEEP_MAX_PARAMS) {
                fprintf(err, "durand sweep: more than %d --param options\n",
                        DR_SWEEP_MAX_PARAMS);
                return DR_EXIT_INPUT;
            }
            rc = parse_param(next, &o->params[o->n_params], &o->levels_given[o->n_params],
                             err);
            if (rc) return rc;
            snprintf(o->origin[o->n_params], sizeof o->origin[0], "--param %s", next);
            o->n_params++;
            i++;
        } else if (!strcmp(a, "--design")) {
            int found = 0;
            for (int k = 0; next && k < DR_DESIGN_KIND_COUNT; k++)
                if (!strcmp(next, dr_design_kind_names[k])) {
                    o->kind = (dr_design_kind)k;
                    found = 1;
                }
            if (!found) {
                fprintf(err,
                        "durand sweep: --design %s: expected one of factorial, lhs, "
                        "sobol, morris\n",
                        next ? next : "(missing)");
                return DR_EXIT_INPUT;
            }
            o->kind_given = 1;
            i++;
        } else if (!strcmp(a, "--points")) {
            rc = dr_cli_option_u64(cmd, a, next, 1, 100000000ULL, &v, err);
            if (!rc) o->points = (size_t)v;
            o->points_given = 1;
            i++;
        } else if (!strcmp(a, "--replications")) {
            rc = dr_cli_option_u64(
                cmd, a, next, 1, (unsigned long long)DR_RNG_REPLICATION_MAX + 1, &v, err);
            if (!rc) o->replications = (uint32_t)v;
            o->replications_given = 1;
            i++;
        } else if (!strcmp(a, "-s")) {
            rc = dr_cli_option_override(cmd, a, next, o->overrides, &o->n_overrides,
                                        DR_SWEEP_MAX_OVERRIDES, err);
            i++;
        } else if (!strcmp(a, "--seed")) {
            rc = dr_cli_option_seed(cmd, a, next, o->seed_override,
                                    sizeof o->seed_override, err);
            o->seed_given = 1;
            i++;
        } else if (!strcmp(a, "-o")) {
            rc = dr_cli_option_file(cmd, a, next, &o->output, err);
            i++;
        } else if (!strcmp(a, "--threads")) {
            rc = dr_cli_option_u64(cmd, a, next, 1, 4096, &v, err);
            if (!rc) o->threads = (int)v;
            i++;
        } else if (!strcmp(a, "--shard")) {
            unsigned long long si, sn;
            const char *slash = next ? strchr(next, '/') : NULL;
            char left[32] = "";
            if (slash && (size_t)(slash - next) < sizeof left)
                memcpy(left, next, (size_t)(slash - next));
            if (!slash || dr_cli_parse_u64(left, 1000000, &si) ||
                dr_cli_parse_u64(slash + 1, 1000000, &sn) || sn == 0 || si >= sn) {
                fprintf(err,
                        "durand sweep: --shard %s: expected I/N with 0 <= I < N, e.g. "
                        "--shard 0/4\n",
                        next ? next : "(missing)");
                return DR_EXIT_INPUT;
            }
            o->shard = (uint32_t)si;
            o->n_shards = (uint32_t)sn;
            o->shard_given = 1;
            i++;
        } else if (!strcmp(a, "--resume")) {
            o->resume = 1;
        } else if (!strcmp(a, "--series")) {
            o->series = 1;
        } else if (!strcmp(a, "--tension-threshold")) {
            rc = dr_cli_option_double(cmd, a, next, 0.0, 1.0, &o->tension_threshold, err);
            i++;
        } else if (!strcmp(a, "--batch")) {
            rc = dr_cli_option_u64(cmd, a, next, 1, 1000000, &v, err);
            if (!rc) o->batch = (size_t)v;
            i++;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else {
            rc = dr_cli_positional(cmd, a, &o->scenario, usage_sweep, err);
        }
        if (rc) return rc;
    }
    if (dr_cli_require(cmd, o->scenario, "a SCENARIO file", usage_sweep, err))
        return DR_EXIT_INPUT;
    if (o->seed_given) o->overrides[o->n_overrides++] = o->seed_override;
    return 0;
}

/*
 * Settle the design: the scenario's `sweep` block supplies whatever the
 * command line left out (each of --design, --points, --replications
 * replaces the block's setting; any --param replaces the block's whole
 * params list), then the combination is checked.
 */
static int settle_design(sweep_opts *o, const dr_scenario *sc, FILE *err)
{
    const dr_sweep_spec *sw = &sc->sweep;
    if (sw->present) {
        if (!o->kind_given) o->kind = (dr_design_kind)sw->design;
        if (!o->points_given) o->points = (size_t)sw->points;
        if (!o->replications_given) o->replications = (uint32_t)sw->replications;
        if (o->n_params == 0) {
            for (size_t j = 0; j < sw->n_params; j++) {
                const dr_sweep_param_spec *q = &sw->params[j];
                dr_param_range *p = &o->params[j];
                memset(p, 0, sizeof *p);
                snprintf(p->path, sizeof p->path, "%s", q->path);
                p->lo = q->lo;
                p->hi = q->hi;
                p->levels = (int)q->levels;
                p->integer = q->integer;
                o->levels_given[j] = q->levels > 0;
                snprintf(o->origin[j], sizeof o->origin[0], "%s:%d: sweep.params.[%zu]",
                         sc->path, q->line, j);
            }
            o->n_params = sw->n_params;
        }
    }
    if (o->kind != DR_DESIGN_FACTORIAL && !o->points) {
        fprintf(err, "durand sweep: --design %s needs --points N (%s)\n",
                dr_design_kind_names[o->kind],
                o->kind == DR_DESIGN_LHS ? "number of points"
                : o->kind == DR_DESIGN_SOBOL
                    ? "base sample size N; N*(k+2) points"
                    : "number of trajectories r; r*(k+1) points");
        return DR_EXIT_INPUT;
    }
    if (o->kind == DR_DESIGN_FACTORIAL && o->points) {
        fprintf(err,
                "durand sweep: --points %zu: a factorial design takes its size from the "
                "levels of each parameter (drop --points or choose --design lhs)\n",
                o->points);
        return DR_EXIT_INPUT;
    }
    if (o->kind != DR_DESIGN_FACTORIAL && o->n_params == 0) {
        fprintf(err,
                "durand sweep: --design %s: expected at least one --param (or a "
                "sweep.params list in the scenario)\n",
                dr_design_kind_names[o->kind]);
        return DR_EXIT_INPUT;
    }
    for (size_t j = 0; j < o->n_params; j++) {
        if (!o->levels_given[j])
            o->params[j].levels = o->kind == DR_DESIGN_MORRIS ? DR_SWEEP_MORRIS_LEVELS
                                                              : DR_SWEEP_FACTORIAL_LEVELS;
        for (size_t k = 0; k < j; k++)
            if (!strcmp(o->params[j].path, o->params[k].path)) {
                fprintf(err, "durand sweep: --param %s given twice\n", o->params[j].path);
                return DR_EXIT_INPUT;
            }
        if (o->series && !strcmp(o->params[j].path, "scenario.days")) {
            fprintf(err,
                    "durand sweep: %s: --series with scenario.days as a parameter: runs "
                    "would have different lengths (sweep days without --series)\n",
                    o->origin[j]);
            return DR_EXIT_INPUT;
        }
    }
    return 0;
}

/* Check every parameter path and range by loading the scenario with each
 * parameter at each end of its range (the others at their low end), the
 * values formatted by dr_design_override exactly as the runs will be. */
static int check_ranges(const sweep_opts *o, FILE *err)
{
    const size_t n = o->n_overrides + o->n_params;
    const char **ov = malloc((n ? n : 1) * sizeof *ov);
    char(*buf)[320] = malloc((o->n_params ? o->n_params : 1) * sizeof *buf);
    double *row = malloc((o->n_params ? o->n_params : 1) * sizeof *row);
    int rc = 0;
    if (!ov || !buf || !row) {
        free(ov);
        free(buf);
        free(row);
        fprintf(err, "durand sweep: out of memory\n");
        return DR_EXIT_FAILURE;
    }
    dr_design view = {.kind = o->kind,
                      .n_params = o->n_params,
                      .params = (dr_param_range *)o->params,
                      .n_points = 1,
                      .x = row};
    for (size_t i = 0; i < o->n_overrides; i++) ov[i] = o->overrides[i];
    for (size_t j = 0; j < o->n_params && !rc; j++) {
        for (int end = 0; end < 2 && !rc; end++) {
            for (size_t k = 0; k < o->n_params; k++) {
                const dr_param_range *p = &o->params[k];
                row[k] = k == j && end ? p->hi : p->lo;
                if (p->integer) row[k] = round(row[k]);
                dr_design_override(&view, 0, k, buf[k], sizeof buf[k]);
                ov[o->n_overrides + k] = buf[k];
            }
            dr_scenario *sc = dr_scenario_load(o->scenario, ov, n, err);
            if (!sc) {
                fprintf(err,
                        "durand sweep: %s (%g to %g): the scenario is not valid with "
                        "%s at %g (see above)\n",
                        o->origin[j], o->params[j].lo, o->params[j].hi, o->params[j].path,
                        end ? o->params[j].hi : o->params[j].lo);
                rc = DR_EXIT_INPUT;
            }
            dr_scenario_destroy(sc);
        }
    }
    free(ov);
    free(buf);
    free(row);
    return rc;
}

/* Hash of everything that determines the results of the sweep. */
static uint64_t sweep_identity(const sweep_opts *o, const dr_scenario *sc,
                               const dr_design *d, int64_t days)
{
    uint64_t h = dr_sweep_hash_str(DR_SWEEP_HASH_INIT, "durand sweep 1");
    h = dr_sweep_hash_str(h, DR_VERSION);
    h = dr_sweep_hash_str(h, sc->text);
    for (size_t i = 0; i < o->n_overrides; i++) h = dr_sweep_hash_str(h, o->overrides[i]);
    h = dr_sweep_hash_str(h, dr_design_kind_names[d->kind]);
    uint64_t u[4] = {d->n_params, d->n_points, d->base_n, o->replications};
    h = dr_sweep_hash(h, u, sizeof u);
    for (size_t j = 0; j < d->n_params; j++) {
        const dr_param_range *p = &d->params[j];
        h = dr_sweep_hash_str(h, p->path);
        double r[2] = {p->lo, p->hi};
        int32_t li[2] = {p->levels, p->integer};
        h = dr_sweep_hash(h, r, sizeof r);
        h = dr_sweep_hash(h, li, sizeof li);
    }
    h = dr_sweep_hash(h, d->x, d->n_points * d->n_params * sizeof *d->x);
    int64_t s[3] = {sc->meta.seed, o->series, days};
    h = dr_sweep_hash(h, s, sizeof s);
    h = dr_sweep_hash(h, &o->tension_threshold, sizeof o->tension_threshold);
    for (size_t i = 0; i < dr_n_indicators; i++)
        h = dr_sweep_hash_str(h, dr_indicators[i].name);
    for (size_t i = 0; o->series && i < dr_n_summary_series; i++)
        h = dr_sweep_hash_str(h, dr_summary_series_table[i].name);
    return h;
}

/* Everything a sweep holds, freed in one place. */
typedef struct sweep_job {
    dr_scenario *sc;
    dr_design *design;
    dr_design flat; /* the one-point design of a sweep without parameters */
    double flat_x;
    dr_sweep_results *res;
    char *overrides_text;
    char *cmdline;
    char *journal;
    const char *param_names[DR_SWEEP_MAX_PARAMS];
    double lo[DR_SWEEP_MAX_PARAMS], hi[DR_SWEEP_MAX_PARAMS];
    int32_t levels[DR_SWEEP_MAX_PARAMS];
    int8_t integer[DR_SWEEP_MAX_PARAMS];
    const char *ind_names[DR_SUMMARY_MAX_INDICATORS];
    const char *ind_units[DR_SUMMARY_MAX_INDICATORS];
    const char *ind_long[DR_SUMMARY_MAX_INDICATORS];
    const char *ser_names[16], *ser_units[16], *ser_long[16];
    char default_out[512];
} sweep_job;

static void default_output(const char *scenario, const sweep_opts *o, char *buf, size_t n)
{
    const char *stem;
    int len = dr_cli_scenario_stem(scenario, &stem);
    if (o->n_shards > 1)
        snprintf(buf, n, "%.*s_sweep_shard%u_of_%u.h5", len, stem, o->shard, o->n_shards);
    else
        snprintf(buf, n, "%.*s_sweep.h5", len, stem);
}

/* The sweep proper, between MPI start and finish. */
static int run_sweep(sweep_opts *o, const dr_sweep_mpi *mpi, sweep_job *job,
                     int full_argc, char **full_argv, FILE *err)
{
    const int master = mpi->rank == 0;
    int rc = 0;
    const char *out = o->output;
    if (!out) {
        default_output(o->scenario, o, job->default_out, sizeof job->default_out);
        out = job->default_out;
    }
    if (master) rc = dr_cli_check_output_dir("durand", "-o", out, 0, err);
    rc = dr_sweep_mpi_max(mpi, rc);
    if (rc) return rc;

    job->sc = dr_scenario_load(o->scenario, o->overrides, o->n_overrides, err);
    if (!job->sc) return dr_sweep_mpi_max(mpi, DR_EXIT_INPUT);
    rc = dr_sweep_mpi_max(mpi, settle_design(o, job->sc, err));
    if (rc) return rc;
    rc = dr_sweep_mpi_max(mpi, check_ranges(o, err));
    if (rc) return rc;

    const dr_design *d;
    if (o->n_params) {
        job->design = dr_design_create(o->kind, o->params, o->n_params, o->points,
                                       (uint64_t)job->sc->meta.seed, err);
        if (!job->design) {
            fprintf(err, "durand sweep: the design cannot be built (see above)\n");
            return dr_sweep_mpi_max(mpi, DR_EXIT_INPUT);
        }
        d = job->design;
    } else {
        memset(&job->flat, 0, sizeof job->flat);
        job->flat.kind = DR_DESIGN_FACTORIAL;
        job->flat.n_points = 1;
        job->flat.x = &job->flat_x;
        job->flat.seed = (uint64_t)job->sc->meta.seed;
        d = &job->flat;
    }
    if (d->n_points > (size_t)INT32_MAX / o->replications) {
        fprintf(err, "durand sweep: %zu points x %u replications: more than %d runs\n",
                d->n_points, o->replications, INT32_MAX);
        return dr_sweep_mpi_max(mpi, DR_EXIT_INPUT);
    }
    const size_t n_runs = d->n_points * o->replications;
    const int64_t days = job->sc->meta.days;
    const size_t width = o->series ? (size_t)days * dr_n_summary_series : 0;
    uint64_t identity = sweep_identity(o, job->sc, d, days);

    job->journal = malloc(strlen(out) + sizeof ".journal");
    job->res = dr_sweep_results_create(n_runs, dr_n_indicators, width);
    job->overrides_text = dr_cli_join_lines(o->overrides, o->n_overrides);
    job->cmdline = dr_cli_join_args(full_argc, full_argv);
    if (!job->journal || !job->res || !job->overrides_text || !job->cmdline) {
        fprintf(err, "durand sweep: out of memory for %zu runs\n", n_runs);
        return dr_sweep_mpi_max(mpi, DR_EXIT_FAILURE);
    }
    strcpy(job->journal, out);
    strcat(job->journal, ".journal");

    /* --resume of a sweep that already finished: nothing to do. */
    int complete = 0;
    if (master && o->resume && !file_exists(job->journal) && file_exists(out)) {
        dr_sweep_file *prev = dr_h5_sweep_read(out, NULL);
        complete = prev && prev->identity == identity && prev->n_shards == o->n_shards &&
                   prev->shard == o->shard;
        dr_h5_sweep_file_destroy(prev);
        if (complete && !o->quiet)
            fprintf(stderr, "durand sweep: %s is complete (no journal): nothing to do\n",
                    out);
    }
    if (dr_sweep_mpi_max(mpi, complete)) return 0;

    dr_scenario_model sm = {.path = o->scenario,
                            .text = job->sc->text,
                            .overrides = o->overrides,
                            .n_overrides = o->n_overrides,
                            .design = o->n_params ? d : NULL,
                            .series_days = days};
    sm.summary.tension_threshold = o->tension_threshold;
    dr_sweep_model model = {.ctx = &sm,
                            .n_indicators = dr_n_indicators,
                            .eval = dr_scenario_model_eval,
                            .series_width = width,
                            .eval_series = dr_scenario_model_eval_series};
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    dr_cli_progress prog = {.enabled = master && !o->quiet && isatty(STDERR_FILENO),
                            .t0 = omp_get_wtime(),
                            .threads = threads,
                            .ranks = mpi->size};
    dr_sweep_plan plan = {.n_points = d->n_points,
                          .n_params = d->n_params,
                          .x = d->x,
                          .n_replications = o->replications,
                          .shard = o->shard,
                          .n_shards = o->n_shards,
                          .series = o->series,
                          .threads = threads,
                          .batch = o->batch,
                          .identity = identity,
                          .journal = master ? job->journal : NULL,
                          .resume = o->resume,
                          .mpi = *mpi,
                          .progress = master ? dr_cli_progress_runs : NULL,
                          .progress_arg = &prog,
                          .err = master ? err : NULL};
    char started[21];
    dr_cli_iso_now(started);
    dr_cli_catch_interrupts();

    /* The progress callback sees the resumed count first; remember it. */
    double t0 = omp_get_wtime();
    int src = dr_sweep_run(&plan, &model, job->res);
    double seconds = omp_get_wtime() - t0;
    if (!master)
        return src == DR_SWEEP_EINPUT ? DR_EXIT_INPUT : src ? DR_EXIT_FAILURE : 0;
    if (src == DR_SWEEP_EINPUT) return DR_EXIT_INPUT;
    if (src != DR_SWEEP_OK) {
        if (prog.enabled) fputc('\n', stderr);
        size_t done = 0;
        for (size_t r = 0; r < n_runs; r++) done += job->res->status[r] != DR_RUN_MISSING;
        fprintf(err,
                "durand sweep: %s after %zu of %zu runs; finished runs are kept in %s: "
                "rerun the same command with --resume to continue\n",
                src == DR_SWEEP_INTERRUPTED ? "interrupted" : "stopped by an error", done,
                job->res->n_owned, job->journal);
        return DR_EXIT_FAILURE;
    }

    /* The file. */
    for (size_t j = 0; j < d->n_params; j++) {
        job->param_names[j] = d->params[j].path;
        job->lo[j] = d->params[j].lo;
        job->hi[j] = d->params[j].hi;
        job->levels[j] = d->params[j].levels;
        job->integer[j] = (int8_t)d->params[j].integer;
    }
    for (size_t i = 0; i < dr_n_indicators; i++) {
        job->ind_names[i] = dr_indicators[i].name;
        job->ind_units[i] = dr_indicators[i].units;
        job->ind_long[i] = dr_indicators[i].long_name;
    }
    for (size_t i = 0; i < dr_n_summary_series && i < 16; i++) {
        job->ser_names[i] = dr_summary_series_table[i].name;
        job->ser_units[i] = dr_summary_series_table[i].units;
        job->ser_long[i] = dr_summary_series_table[i].long_name;
    }
    dr_sweep_file f = {.scenario_path = job->sc->path,
                       .scenario_text = job->sc->text,
                       .title = job->sc->meta.name,
                       .comment = job->sc->meta.description,
                       .overrides = job->overrides_text,
                       .start_date = job->sc->meta.start_date,
                       .days = days,
                       .seed = (uint64_t)job->sc->meta.seed,
                       .identity = identity,
                       .tension_threshold = o->tension_threshold,
                       .design = dr_design_kind_names[d->kind],
                       .design_base_n = d->base_n,
                       .n_points = d->n_points,
                       .n_params = d->n_params,
                       .param_names = job->param_names,
                       .param_lo = job->lo,
                       .param_hi = job->hi,
                       .param_levels = job->levels,
                       .param_integer = job->integer,
                       .x = d->x,
                       .n_replications = o->replications,
                       .n_indicators = dr_n_indicators,
                       .indicator_names = job->ind_names,
                       .indicator_units = job->ind_units,
                       .indicator_long_names = job->ind_long,
                       .n_series = o->series ? dr_n_summary_series : 0,
                       .series_names = job->ser_names,
                       .series_units = job->ser_units,
                       .series_long_names = job->ser_long,
                       .n_runs = n_runs,
                       .status = job->res->status,
                       .indicators = job->res->indicators,
                       .series = job->res->series,
                       .shard = o->n_shards > 1 ? o->shard : 0,
                       .n_shards = o->n_shards};
    dr_h5_sweep_info info = {.command_line = job->cmdline,
                             .wall_time_start = started,
                             .mpi_ranks = mpi->size,
                             .omp_threads = threads};
    if (dr_h5_sweep_write(out, &f, &info, err) != 0) {
        fprintf(err,
                "durand sweep: the runs are kept in %s: rerun with --resume to write "
                "the file again\n",
                job->journal);
        return DR_EXIT_FAILURE;
    }
    if (remove(job->journal) != 0 && errno != ENOENT)
        fprintf(err, "durand sweep: warning: cannot remove %s: %s\n", job->journal,
                strerror(errno));
    if (!o->quiet) {
        size_t ran = job->res->n_ran;
        printf("durand %s: sweep of %s\n", DR_VERSION, job->sc->meta.name);
        printf("  design %s, %zu parameter%s, %zu point%s x %u replication%s = %zu runs",
               dr_design_kind_names[d->kind], d->n_params, d->n_params == 1 ? "" : "s",
               d->n_points, d->n_points == 1 ? "" : "s", o->replications,
               o->replications == 1 ? "" : "s", n_runs);
        if (o->n_shards > 1)
            printf(", shard %u/%u: %zu runs", o->shard, o->n_shards, job->res->n_owned);
        printf(
            "\n  %zu run now, %zu resumed, %zu failed; %d thread%s x %d rank%s, %.2f s",
            ran, job->res->n_resumed, job->res->n_failed, threads,
            threads == 1 ? "" : "s", mpi->size, mpi->size == 1 ? "" : "s", seconds);
        if (ran)
            printf(" (%.3f ms per run and thread)",
                   1e3 * seconds * threads / (double)ran);
        printf("\nresult: %s\n", out);
    }
    if (job->res->n_failed) {
        fprintf(err, "durand sweep: %zu run%s failed (status = failed in %s)\n",
                job->res->n_failed, job->res->n_failed == 1 ? "" : "s", out);
        return DR_EXIT_FAILURE;
    }
    return 0;
}

int dr_cmd_sweep(int argc, char **argv, int full_argc, char **full_argv)
{
    sweep_opts *o = calloc(1, sizeof *o);
    sweep_job *job = calloc(1, sizeof *job);
    if (!o || !job) {
        free(o);
        free(job);
        fprintf(stderr, "durand sweep: out of memory\n");
        return DR_EXIT_FAILURE;
    }
    dr_sweep_mpi mpi = {0, 0, 1};
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++)
        if (dr_cli_is_help(argv[i])) rc = 1;
    if (rc == 1) {
        fputs(usage_sweep, stdout);
        free(o);
        free(job);
        return 0;
    }
    rc = dr_sweep_mpi_init(&full_argc, &full_argv, &mpi, stderr);
    if (rc) {
        free(o);
        free(job);
        return DR_EXIT_INPUT;
    }
    /* Only rank 0 talks; the others check the same things silently. */
    FILE *err = mpi.rank == 0 ? stderr : fopen("/dev/null", "w");
    if (!err) err = stderr;
    rc = parse_sweep(argc, argv, o, err);
    if (!rc) rc = run_sweep(o, &mpi, job, full_argc, full_argv, err);
    if (err != stderr) fclose(err);
    dr_sweep_mpi_finalize(&mpi);
    dr_design_destroy(job->design);
    dr_sweep_results_destroy(job->res);
    dr_scenario_destroy(job->sc);
    free(job->overrides_text);
    free(job->cmdline);
    free(job->journal);
    free(job);
    free(o);
    return rc;
}

/* ---- durand merge --------------------------------------------------------- */

int dr_cmd_merge(int argc, char **argv, int full_argc, char **full_argv)
{
    const char *out = NULL;
    const char **inputs = calloc((size_t)(argc > 0 ? argc : 1), sizeof *inputs);
    size_t n_in = 0;
    if (!inputs) return DR_EXIT_FAILURE;
    for (int i = 0; i < argc; i++) {
        if (dr_cli_is_help(argv[i])) {
            fputs(usage_merge, stdout);
            free(inputs);
            return 0;
        } else if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "durand merge: -o: expected a file name\n");
                free(inputs);
                return DR_EXIT_INPUT;
            }
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "durand merge: unknown option %s\n\n%s", argv[i],
                    usage_merge);
            free(inputs);
            return DR_EXIT_INPUT;
        } else {
            inputs[n_in++] = argv[i];
        }
    }
    if (!out || n_in == 0) {
        fprintf(stderr,
                "durand merge: expected -o OUT.h5 and at least one shard file\n\n%s",
                usage_merge);
        free(inputs);
        return DR_EXIT_INPUT;
    }
    int rc = dr_cli_check_output_dir("durand", "-o", out, 0, stderr);
    dr_sweep_file **f = calloc(n_in, sizeof *f);
    if (!f) rc = DR_EXIT_FAILURE;
    for (size_t i = 0; !rc && i < n_in; i++) {
        f[i] = dr_h5_sweep_read(inputs[i], stderr);
        if (!f[i]) rc = DR_EXIT_INPUT;
    }
    uint32_t n_shards = !rc ? f[0]->n_shards : 0;
    for (size_t i = 0; !rc && i < n_in; i++) {
        if (f[i]->identity != f[0]->identity || f[i]->n_shards != n_shards ||
            f[i]->n_runs != f[0]->n_runs || f[i]->n_indicators != f[0]->n_indicators ||
            f[i]->n_series != f[0]->n_series) {
            fprintf(stderr,
                    "durand merge: %s is a shard of a different sweep than %s "
                    "(sweep_identity or shard count differ)\n",
                    inputs[i], inputs[0]);
            rc = DR_EXIT_INPUT;
        }
        for (size_t k = 0; !rc && k < i; k++)
            if (f[k]->shard == f[i]->shard) {
                fprintf(stderr, "durand merge: %s and %s are both shard %u/%u\n",
                        inputs[k], inputs[i], f[i]->shard, n_shards);
                rc = DR_EXIT_INPUT;
            }
    }
    if (!rc && n_in != n_shards) {
        fprintf(stderr,
                "durand merge: %zu file%s given for a sweep of %u shards: shard%s", n_in,
                n_in == 1 ? "" : "s", n_shards, "");
        for (uint32_t s = 0; s < n_shards; s++) {
            int have = 0;
            for (size_t i = 0; i < n_in; i++) have |= f[i]->shard == s;
            if (!have) fprintf(stderr, " %u/%u", s, n_shards);
        }
        fprintf(stderr, " missing\n");
        rc = DR_EXIT_INPUT;
    }
    int8_t *status = NULL;
    double *ind = NULL, *ser = NULL;
    size_t nr = !rc ? f[0]->n_runs : 0, ni = !rc ? f[0]->n_indicators : 0;
    size_t width = !rc ? (size_t)f[0]->days * f[0]->n_series : 0;
    if (!rc) {
        status = malloc(nr ? nr : 1);
        ind = malloc((nr * ni + 1) * sizeof *ind);
        ser = width ? malloc(nr * width * sizeof *ser) : NULL;
        if (!status || !ind || (width && !ser)) rc = DR_EXIT_FAILURE;
    }
    size_t missing = 0;
    for (size_t i = 0; !rc && i < n_in; i++) {
        const dr_sweep_file *s = f[i];
        for (size_t r = 0; r < nr; r++) {
            if (!dr_sweep_shard_owns(r, s->shard, n_shards)) continue;
            if (s->status[r] == DR_RUN_MISSING) {
                if (missing++ < 5)
                    fprintf(stderr, "durand merge: %s (shard %u/%u) lacks run %zu\n",
                            inputs[i], s->shard, n_shards, r);
            }
            status[r] = s->status[r];
            memcpy(ind + r * ni, s->indicators + r * ni, ni * sizeof *ind);
            if (width)
                memcpy(ser + r * width, s->series + r * width, width * sizeof *ser);
        }
    }
    if (!rc && missing) {
        fprintf(stderr,
                "durand merge: %zu run%s missing: finish the incomplete shard%s "
                "(durand sweep ... --shard I/N --resume) and merge again\n",
                missing, missing == 1 ? "" : "s", missing == 1 ? "" : "s");
        rc = DR_EXIT_INPUT;
    }
    if (!rc) {
        dr_sweep_file m = *f[0];
        m.owned = NULL;
        m.n_owned = 0;
        m.status = status;
        m.indicators = ind;
        m.series = ser;
        m.shard = 0;
        m.n_shards = 1;
        char *cmdline = dr_cli_join_args(full_argc, full_argv);
        dr_h5_sweep_info info = {.command_line = cmdline ? cmdline : "durand merge",
                                 .mpi_ranks = 1,
                                 .omp_threads = 1,
                                 .merged_from = (int)n_in};
        if (dr_h5_sweep_write(out, &m, &info, stderr) != 0) rc = DR_EXIT_FAILURE;
        free(cmdline);
    }
    for (size_t i = 0; f && i < n_in; i++) dr_h5_sweep_file_destroy(f[i]);
    free(f);
    free(status);
    free(ind);
    free(ser);
    free(inputs);
    return rc;
}

/* ---- durand sensitivity ----------------------------------------------------- */

int dr_cmd_sensitivity(int argc, char **argv, int full_argc, char **full_argv)
{
    static const char *const cmd = "durand sensitivity";
    const char *path = NULL;
    size_t n_boot = DR_SWEEP_BOOTSTRAP;
    int seed_given = 0, quiet = 0;
    uint64_t seed = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long v;
        if (dr_cli_is_help(a)) {
            fputs(usage_sensitivity, stdout);
            return 0;
        } else if (!strcmp(a, "--bootstrap")) {
            if (dr_cli_option_u64(cmd, a, next, 10, 1000000, &v, stderr))
                return DR_EXIT_INPUT;
            n_boot = (size_t)v;
            i++;
        } else if (!strcmp(a, "--seed")) {
            if (dr_cli_option_u64(cmd, a, next, 0, (unsigned long long)INT64_MAX, &v,
                                  stderr))
                return DR_EXIT_INPUT;
            seed = v;
            seed_given = 1;
            i++;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (dr_cli_positional(cmd, a, &path, usage_sensitivity, stderr)) {
            return DR_EXIT_INPUT;
        }
    }
    if (dr_cli_require(cmd, path, "a SWEEP.h5 file", usage_sensitivity, stderr))
        return DR_EXIT_INPUT;
    dr_sweep_file *f = dr_h5_sweep_read(path, stderr);
    if (!f) return DR_EXIT_INPUT;
    int rc = 0;
    dr_design_kind kind = DR_DESIGN_KIND_COUNT;
    for (int k = 0; k < DR_DESIGN_KIND_COUNT; k++)
        if (!strcmp(f->design, dr_design_kind_names[k])) kind = (dr_design_kind)k;
    if (kind != DR_DESIGN_SOBOL && kind != DR_DESIGN_MORRIS) {
        fprintf(stderr,
                "durand sensitivity: %s: design = %s: expected a sobol or morris design "
                "(durand sweep --design sobol|morris)\n",
                path, f->design);
        dr_h5_sweep_file_destroy(f);
        return DR_EXIT_INPUT;
    }
    size_t bad = 0;
    for (size_t r = 0; r < f->n_runs; r++) bad += f->status[r] != DR_RUN_DONE;
    if (bad) {
        fprintf(stderr,
                "durand sensitivity: %s: %zu of %zu runs are missing or failed "
                "(a shard file? merge the shards first, or resume the sweep)\n",
                path, bad, f->n_runs);
        dr_h5_sweep_file_destroy(f);
        return DR_EXIT_INPUT;
    }
    if (!seed_given) seed = f->seed;
    const size_t k = f->n_params, ni = f->n_indicators, np = f->n_points;
    dr_param_range *params = calloc(k ? k : 1, sizeof *params);
    double *y = malloc((np ? np : 1) * sizeof *y);
    double *res[8] = {0};
    const int n_res = kind == DR_DESIGN_SOBOL ? 6 : 2;
    for (int i = 0; i < n_res; i++) res[i] = malloc((ni * k + 1) * sizeof(double));
    int oom = !params || !y;
    for (int i = 0; i < n_res; i++) oom |= !res[i];
    if (oom) {
        fprintf(stderr, "durand sensitivity: out of memory\n");
        rc = DR_EXIT_FAILURE;
        goto done;
    }
    for (size_t j = 0; j < k; j++) {
        snprintf(params[j].path, sizeof params[j].path, "%s", f->param_names[j]);
        params[j].lo = f->param_lo[j];
        params[j].hi = f->param_hi[j];
        params[j].levels = f->param_levels[j];
        params[j].integer = f->param_integer[j];
    }
    dr_design d = {.kind = kind,
                   .n_params = k,
                   .params = params,
                   .n_points = np,
                   .x = (double *)f->x,
                   .base_n = (size_t)f->design_base_n,
                   .seed = f->seed};
    if (!quiet)
        printf("%s: %s design, %zu points x %u replications; %s\n", path, f->design, np,
               f->n_replications,
               kind == DR_DESIGN_SOBOL
                   ? "Sobol indices S1 and ST [95% bootstrap interval]"
                   : "Morris mu* and sigma");
    for (size_t i = 0; i < ni && !rc; i++) {
        for (size_t p = 0; p < np; p++) {
            double s = 0.0;
            for (uint32_t q = 0; q < f->n_replications; q++)
                s += f->indicators[(p * f->n_replications + q) * ni + i];
            y[p] = s / (double)f->n_replications;
        }
        int st = kind == DR_DESIGN_SOBOL
                     ? dr_sobol_indices(&d, y, n_boot, seed, (uint32_t)i, res[0] + i * k,
                                        res[1] + i * k, res[2] + i * k, res[3] + i * k,
                                        res[4] + i * k, res[5] + i * k)
                     : dr_morris_effects(&d, y, res[0] + i * k, res[1] + i * k);
        if (st != 0) {
            fprintf(stderr,
                    "durand sensitivity: %s: the design does not have the %s layout "
                    "(%zu points, base %llu)\n",
                    path, f->design, np, (unsigned long long)f->design_base_n);
            rc = DR_EXIT_INPUT;
            break;
        }
        if (quiet) continue;
        printf("\n%s (%s)\n", f->indicator_names[i], f->indicator_units[i]);
        for (size_t j = 0; j < k; j++) {
            size_t at = i * k + j;
            if (kind == DR_DESIGN_SOBOL)
                printf("  %-40s S1 %7.3f [%7.3f, %7.3f]  ST %7.3f [%7.3f, %7.3f]\n",
                       f->param_names[j], res[0][at], res[1][at], res[2][at], res[3][at],
                       res[4][at], res[5][at]);
            else
                printf("  %-40s mu* %12.5g  sigma %12.5g\n", f->param_names[j],
                       res[0][at], res[1][at]);
        }
    }
    if (!rc) {
        dr_sweep_sensitivity s = {.method = f->design,
                                  .n_indicators = ni,
                                  .n_params = k,
                                  .bootstrap = n_boot,
                                  .seed = seed};
        if (kind == DR_DESIGN_SOBOL) {
            s.s1 = res[0];
            s.s1_lo = res[1];
            s.s1_hi = res[2];
            s.st = res[3];
            s.st_lo = res[4];
            s.st_hi = res[5];
        } else {
            s.mu_star = res[0];
            s.sigma = res[1];
        }
        char *cmdline = dr_cli_join_args(full_argc, full_argv);
        if (dr_h5_sweep_write_sensitivity(path, &s, cmdline, stderr) != 0)
            rc = DR_EXIT_FAILURE;
        else if (!quiet)
            printf("\nwritten: %s, group sensitivity\n", path);
        free(cmdline);
    }
done:
    for (int i = 0; i < 8; i++) free(res[i]);
    free(params);
    free(y);
    dr_h5_sweep_file_destroy(f);
    return rc;
}
