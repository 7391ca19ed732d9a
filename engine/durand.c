/*
 * durand.c — the `durand` program: the only file with a main().
 *
 *   durand run [SCENARIO] [-s PATH=VALUE]... [-o FILE] [--seed N]
 *              [--replication I] [--checkpoint-every N [--checkpoint FILE]]
 *              [--restart CKPT] [-q]
 *   durand check SCENARIO [-s PATH=VALUE]...
 *   durand inspect FILE.h5
 *   durand sweep SCENARIO --param PATH=LO:HI[:LEVELS]... (sweep_cli.c)
 *   durand merge -o OUT SHARD.h5...
 *   durand sensitivity SWEEP.h5
 *   durand compare SCENARIO --strategies FILE [-R N] ... (compare_cli.c)
 *   durand flee DIR [-o FILE] [--seed N] [--replication I] [--hasten N] [-q]
 *
 * Exit status: 0 success, 1 a run that failed for a reason other than its
 * input (out of memory, a write error, interrupted), 2 bad input or usage.
 */
#define _POSIX_C_SOURCE 200809L

#include <gsl/gsl_errno.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "compare_cli.h"
#include "flee_cli.h"
#include "h5_checkpoint.h"
#include "h5_observer.h"
#include "observer.h"
#include "rng.h"
#include "scenario.h"
#include "sweep_cli.h"
#include "version.h"
#include "world.h"

#define DR_MAX_OVERRIDES 1024

static const char *const dr_usage_main =
    "usage: durand COMMAND [ARGS]\n"
    "\n"
    "durand simulates conflict scenarios (scenarios/REFERENCE.md) and writes\n"
    "HDF5 results (output/SCHEMA.md).\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]    run one replication of a scenario (default: the flagship)\n"
    "  check SCENARIO    validate a scenario and print a summary\n"
    "  inspect FILE.h5   print a summary of a result file\n"
    "  sweep SCENARIO    run a design of experiments x replications into one file\n"
    "  merge -o OUT SHARD...  join the shard files of a sweep\n"
    "  sensitivity FILE  Sobol indices / Morris effects of a sweep file\n"
    "  compare SCENARIO --strategies FILE\n"
    "                    every strategy against the baseline (common random\n"
    "                    numbers): effects with 95% intervals, cost-effectiveness\n"
    "  flee DIR          run a FLEE case directory and score it against its data\n"
    "\n"
    "`durand COMMAND --help` describes each command; `durand --version`.\n"
    "--no-file-locking (with any command) turns HDF5 file locking off, for\n"
    "file systems without locks (README.md, \"Running on clusters\").\n";

static const char *const dr_usage_run =
    "usage: durand run [SCENARIO] [-s PATH=VALUE]... [-o FILE] [--seed N]\n"
    "                  [--replication I] [--checkpoint-every N [--checkpoint FILE]]\n"
    "                  [-q]\n"
    "       durand run [SCENARIO] --restart CKPT [-o FILE]\n"
    "                  [--checkpoint-every N] [--checkpoint FILE] [-q]\n"
    "\n"
    "Run one replication of SCENARIO (default: the flagship scenario\n"
    "scenarios/pak_afg.cfg) and write the result as HDF5.\n"
    "\n"
    "  -s PATH=VALUE     override a setting, e.g. -s scenario.days=730 or\n"
    "                    -s 'actors.[TTP].fighters=8000' (repeatable)\n"
    "  -o FILE           result file (default: NAME_seedS_repI.h5 in the\n"
    "                    current directory, NAME the scenario file's name)\n"
    "  --seed N          master seed (same as -s scenario.seed=N)\n"
    "  --replication I   replication index, 0 to 1048575 (default 0)\n"
    "  -q, --quiet       no progress bar and no summary\n"
    "  --checkpoint-every N\n"
    "                    after every N days, write the whole state of the run\n"
    "                    to the checkpoint file (atomically: only the last\n"
    "                    complete checkpoint exists); also on SIGINT/SIGTERM.\n"
    "                    Removed when the run succeeds. 0: none (default)\n"
    "  --checkpoint FILE checkpoint file (default: FILE with .h5 replaced by\n"
    "                    .ckpt.h5, e.g. out.h5 -> out.ckpt.h5)\n"
    "  --restart CKPT    continue the run CKPT was written by, from the day\n"
    "                    after it; the result equals the uninterrupted run's.\n"
    "                    The scenario file is the one recorded in CKPT (or\n"
    "                    SCENARIO, when given) and must be unchanged; the\n"
    "                    overrides, seed and replication are CKPT's (if given,\n"
    "                    they must be the same). -o defaults to the run's\n"
    "                    result file, --checkpoint-every to the run's interval.\n"
    "\n"
    "The same scenario, overrides, seed and replication give bit-identical\n"
    "datasets for any OMP_NUM_THREADS. The file is written to FILE.part and\n"
    "renamed when the run succeeds; a failed run leaves nothing at FILE.\n"
    "Exit status 2 for bad input, including a checkpoint that is damaged or\n"
    "belongs to another scenario, seed, replication or durand version.\n";

static const char *const dr_usage_check =
    "usage: durand check SCENARIO [-s PATH=VALUE]...\n"
    "\n"
    "Load and validate SCENARIO (with overrides) and print its actors,\n"
    "locations, crossings, forces, dyads, events and the tick phases.\n"
    "Exit status 2 and one line per problem if it is not valid.\n";

static const char *const dr_usage_inspect =
    "usage: durand inspect FILE.h5\n"
    "\n"
    "Print a human summary of a durand result file: provenance, dimensions,\n"
    "variables with units, and headline figures.\n";

/* Options shared by run and check. */
typedef struct dr_cli {
    const char *scenario;
    const char *output;
    const char *overrides[DR_MAX_OVERRIDES];
    size_t n_overrides;
    char seed_override[64];
    uint32_t replication;
    int replication_given;
    int quiet;
    int64_t checkpoint_every; /* -1: not given */
    const char *checkpoint;   /* --checkpoint, or NULL */
    const char *restart;      /* --restart, or NULL */
} dr_cli;

/* Parse run/check arguments. Returns 0, 1 when help was printed, or
 * DR_EXIT_INPUT after printing a usage error. */
static int dr_cli_parse(int argc, char **argv, const char *usage, int allow_run,
                        dr_cli *c)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (dr_cli_is_help(a)) {
            fputs(usage, stdout);
            return 1;
        } else if (!strcmp(a, "-s") || !strcmp(a, "--set")) {
            if (!next || !strchr(next, '=')) {
                fprintf(stderr, "durand: %s needs PATH=VALUE, got %s\n", a,
                        next ? next : "nothing");
                return DR_EXIT_INPUT;
            }
            if (c->n_overrides == DR_MAX_OVERRIDES) {
                fprintf(stderr, "durand: more than %d overrides\n", DR_MAX_OVERRIDES);
                return DR_EXIT_INPUT;
            }
            c->overrides[c->n_overrides++] = next;
            i++;
        } else if (allow_run && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
            if (!next || !*next) {
                fprintf(stderr, "durand: %s needs a file name\n", a);
                return DR_EXIT_INPUT;
            }
            c->output = next;
            i++;
        } else if (allow_run && !strcmp(a, "--seed")) {
            unsigned long long v;
            if (dr_cli_parse_u64(next, (unsigned long long)INT64_MAX, &v)) {
                fprintf(stderr, "durand: --seed %s: expected an integer in [0, 2^63-1]\n",
                        next ? next : "(missing)");
                return DR_EXIT_INPUT;
            }
            snprintf(c->seed_override, sizeof c->seed_override, "scenario.seed=%lluL", v);
            i++;
        } else if (allow_run && !strcmp(a, "--replication")) {
            unsigned long long v;
            if (dr_cli_option_u64("durand", a, next, 0, DR_RNG_REPLICATION_MAX, &v,
                                  stderr))
                return DR_EXIT_INPUT;
            c->replication = (uint32_t)v;
            c->replication_given = 1;
            i++;
        } else if (allow_run && !strcmp(a, "--checkpoint-every")) {
            unsigned long long v;
            if (dr_cli_parse_u64(next, (unsigned long long)INT32_MAX, &v)) {
                fprintf(stderr,
                        "durand: --checkpoint-every %s: expected a number of days in "
                        "[0, %d]\n",
                        next ? next : "(missing)", INT32_MAX);
                return DR_EXIT_INPUT;
            }
            c->checkpoint_every = (int64_t)v;
            i++;
        } else if (allow_run && (!strcmp(a, "--checkpoint") || !strcmp(a, "--restart"))) {
            if (!next || !*next) {
                fprintf(stderr, "durand: %s needs a file name\n", a);
                return DR_EXIT_INPUT;
            }
            if (a[2] == 'c')
                c->checkpoint = next;
            else
                c->restart = next;
            i++;
        } else if (allow_run && (!strcmp(a, "-q") || !strcmp(a, "--quiet"))) {
            c->quiet = 1;
        } else if (dr_cli_positional("durand", a, &c->scenario, usage, stderr)) {
            return DR_EXIT_INPUT;
        }
    }
    if (c->seed_override[0]) {
        if (c->n_overrides == DR_MAX_OVERRIDES) {
            fprintf(stderr, "durand: more than %d overrides\n", DR_MAX_OVERRIDES);
            return DR_EXIT_INPUT;
        }
        c->overrides[c->n_overrides++] = c->seed_override;
    }
    return 0;
}

/* ---- progress and summary ------------------------------------------------ */

typedef struct dr_progress {
    int enabled;
    int last_percent;
    dr_h5_ckpt *ckpt; /* checkpoints, or NULL */
    dr_world *w;      /* the run (for checkpoints) */
    int64_t every;    /* checkpoint interval, days */
    const char *ckpt_path;
    int64_t ckpt_day; /* day of the last checkpoint written, -1: none */
} dr_progress;

static int dr_progress_cb(int64_t done, int64_t total, void *arg)
{
    dr_progress *p = arg;
    /* A checkpoint every `every` days, and one when interrupted so that a
     * scheduler's SIGTERM loses nothing. */
    if (p->ckpt && done < total && (done % p->every == 0 || dr_cli_interrupted())) {
        if (dr_h5_ckpt_write(p->ckpt, p->w)) return DR_EXIT_FAILURE;
        p->ckpt_day = p->w->day;
    }
    if (dr_cli_interrupted()) return DR_EXIT_FAILURE;
    if (p->enabled) dr_cli_progress_days(done, total, &p->last_percent);
    return 0;
}

/* An observer that tallies what the summary prints and forwards every call
 * to the HDF5 observer. */
typedef struct dr_tally {
    dr_observer *inner;
    double deaths;
    size_t log_rows[DR_LOG_KIND_COUNT];
    size_t crossing_closed_days;
} dr_tally;

static int dr_tally_begin(void *ctx, const dr_world *w)
{
    dr_tally *t = ctx;
    return t->inner->begin ? t->inner->begin(t->inner->ctx, w) : 0;
}

static int dr_tally_tick(void *ctx, const dr_world *w, int64_t day)
{
    dr_tally *t = ctx;
    for (size_t l = 0; l < w->n_locations; l++) t->deaths += w->deaths_today[l];
    for (size_t c = 0; c < w->n_crossings; c++)
        if (w->routes[w->crossing_routes[c]].status == DR_CROSSING_CLOSED)
            t->crossing_closed_days++;
    return t->inner->tick ? t->inner->tick(t->inner->ctx, w, day) : 0;
}

static int dr_tally_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    dr_tally *t = ctx;
    if (e->kind >= 0 && e->kind < DR_LOG_KIND_COUNT) t->log_rows[e->kind]++;
    return t->inner->log ? t->inner->log(t->inner->ctx, w, e) : 0;
}

static int dr_tally_end(void *ctx, const dr_world *w, int status)
{
    dr_tally *t = ctx;
    return t->inner->end ? t->inner->end(t->inner->ctx, w, status) : status;
}

static void dr_print_summary(const dr_world *w, const dr_tally *t, const char *path,
                             double seconds, int64_t restart_day)
{
    const dr_scenario *sc = w->sc;
    char end_date[11];
    dr_date_format(sc->meta.start_date, sc->meta.days - 1, end_date);
    printf("durand %s: %s\n", DR_VERSION, sc->meta.name);
    printf("  %lld days, %s to %s; seed %lld, replication %u, %d thread%s, %.2f s\n",
           (long long)sc->meta.days, sc->meta.start_date, end_date, (long long)w->seed,
           w->replication, w->n_threads, w->n_threads == 1 ? "" : "s", seconds);
    printf("  %zu actors, %zu locations, %zu crossings, %zu dyads\n", w->n_actors,
           w->n_locations, w->n_crossings, w->n_dyads);
    size_t rows = 0;
    for (int k = 0; k < DR_LOG_KIND_COUNT; k++) rows += t->log_rows[k];
    if (restart_day >= 0)
        printf("  restarted after day %lld: deaths and closed days count from "
               "there\n",
               (long long)restart_day);
    printf("  %zu scheduled events applied; %.0f deaths recorded; "
           "%zu crossing-days closed\n",
           rows, t->deaths, t->crossing_closed_days);
    /* Tension between states: the relations a reader looks at first. */
    for (size_t d = 0; d < w->n_dyads; d++) {
        const dr_dyad *y = &w->dyads[d];
        if (w->actors[y->a].kind != DR_ACTOR_STATE ||
            w->actors[y->b].kind != DR_ACTOR_STATE)
            continue;
        printf("  %-12s tension %.3f -> %.3f, trust %.3f -> %.3f\n", y->id,
               sc->dyads[d].tension, y->tension, sc->dyads[d].trust, y->trust);
    }
    printf("result: %s\n", path);
}

/* Build the default output name NAME_seedS_repI.h5 from the scenario path. */
static void dr_default_output(const char *scenario, int64_t seed, uint32_t rep, char *buf,
                              size_t n)
{
    const char *stem;
    int len = dr_cli_scenario_stem(scenario, &stem);
    snprintf(buf, n, "%.*s_seed%lld_rep%u.h5", len, stem, (long long)seed, rep);
}

/* The default checkpoint file of result `out`: its name with ".h5" replaced
 * by ".ckpt.h5" (".ckpt.h5" appended when it has no ".h5"). */
static void dr_default_checkpoint(const char *out, char *buf, size_t n)
{
    size_t len = strlen(out);
    if (len > 3 && !strcmp(out + len - 3, ".h5")) len -= 3;
    snprintf(buf, n, "%.*s.ckpt.h5", (int)len, out);
}

static int dr_cmd_run(int argc, char **argv, int full_argc, char **full_argv)
{
    dr_cli c = {0};
    c.checkpoint_every = -1;
    int rc = dr_cli_parse(argc, argv, dr_usage_run, 1, &c);
    if (rc) return rc == 1 ? 0 : rc;

    /* A restart takes the scenario path, overrides, replication, result
     * file and interval from the checkpoint unless they are given; what is
     * given must match it (dr_h5_ckpt_check). */
    dr_h5_ckpt_info info = {0};
    const char *const *overrides = c.overrides;
    size_t n_overrides = c.n_overrides;
    if (c.restart) {
        rc = dr_h5_ckpt_read_info(c.restart, &info, stderr);
        if (rc) return rc;
        if (!c.scenario) c.scenario = info.scenario_path;
        if (!n_overrides) {
            overrides = (const char *const *)info.overrides;
            n_overrides = info.n_overrides;
        }
        if (!c.replication_given) c.replication = info.replication;
        if (!c.output) c.output = info.output;
        if (c.checkpoint_every < 0) c.checkpoint_every = info.checkpoint_every;
    }
    if (!c.scenario) c.scenario = DR_SCENARIO_DIR "/pak_afg.cfg";
    if (c.checkpoint_every < 0) c.checkpoint_every = 0;
    if (c.checkpoint && c.checkpoint_every == 0) {
        fprintf(stderr, "durand: --checkpoint %s needs --checkpoint-every N (N >= 1)\n",
                c.checkpoint);
        dr_h5_ckpt_info_clear(&info);
        return DR_EXIT_INPUT;
    }

    dr_scenario *sc = dr_scenario_load(c.scenario, overrides, n_overrides, stderr);
    if (!sc) {
        if (c.restart)
            fprintf(stderr,
                    "durand: %s: cannot restart: cannot load its scenario %s (give the "
                    "unchanged scenario file as SCENARIO)\n",
                    c.restart, c.scenario);
        dr_h5_ckpt_info_clear(&info);
        return DR_EXIT_INPUT;
    }
    if (c.restart) {
        rc = dr_h5_ckpt_check(c.restart, &info, sc, (uint64_t)sc->meta.seed,
                              c.replication, stderr);
        if (rc) {
            dr_scenario_destroy(sc);
            dr_h5_ckpt_info_clear(&info);
            return rc;
        }
    }

    char default_out[512], default_ckpt[1024];
    const char *out = c.output;
    if (!out) {
        dr_default_output(c.scenario, sc->meta.seed, c.replication, default_out,
                          sizeof default_out);
        out = default_out;
    }
    const char *ckpt_path = c.checkpoint;
    if (!ckpt_path) {
        dr_default_checkpoint(out, default_ckpt, sizeof default_ckpt);
        ckpt_path = default_ckpt;
    }
    rc = dr_cli_check_output_dir("durand", "-o", out, 1, stderr);
    if (!rc && c.checkpoint_every > 0) {
        if (!strcmp(ckpt_path, out)) {
            fprintf(stderr,
                    "durand: --checkpoint %s: the result file itself (expected "
                    "another file)\n",
                    ckpt_path);
            rc = DR_EXIT_INPUT;
        } else {
            rc = dr_cli_check_output_dir("durand", "-o", ckpt_path, 1, stderr);
        }
    }
    if (rc) {
        dr_scenario_destroy(sc);
        dr_h5_ckpt_info_clear(&info);
        return rc;
    }

    char *cmdline = dr_cli_join_args(full_argc, full_argv);
    dr_h5_run_info run_info = {.command_line = cmdline ? cmdline : "durand run",
                               .mpi_ranks = 1};
    dr_world *w = dr_world_create(sc, (uint64_t)sc->meta.seed, c.replication);
    dr_observer *h5 = w ? dr_h5_observer_create(out, &run_info, stderr) : NULL;
    dr_tally tally = {.inner = h5};
    dr_observer obs = {.ctx = &tally,
                       .begin = dr_tally_begin,
                       .tick = dr_tally_tick,
                       .log = dr_tally_log,
                       .end = dr_tally_end};
    /* Checkpoints see every observer call first: they record the event log
     * and, on restart, hand the saved output to the result file. */
    dr_h5_ckpt *ckpt = NULL;
    if (h5 && (c.checkpoint_every > 0 || c.restart))
        ckpt = dr_h5_ckpt_create(ckpt_path, &obs, h5, out, c.checkpoint_every, stderr);
    if (!w || !h5 || ((c.checkpoint_every > 0 || c.restart) && !ckpt)) {
        fprintf(stderr, "durand: out of memory creating the run\n");
        rc = DR_EXIT_FAILURE;
        goto done;
    }
    dr_world_set_observer(w, ckpt ? dr_h5_ckpt_observer(ckpt) : &obs);
    if (c.restart) {
        rc = dr_h5_ckpt_restore(ckpt, c.restart, w);
        if (rc) goto done;
    }
    const int64_t restart_day = c.restart ? w->day : -1;

    dr_cli_catch_interrupts();

    dr_progress prog = {.enabled = !c.quiet && isatty(STDERR_FILENO),
                        .last_percent = -1,
                        .ckpt = c.checkpoint_every > 0 ? ckpt : NULL,
                        .w = w,
                        .every = c.checkpoint_every,
                        .ckpt_path = ckpt_path,
                        .ckpt_day = -1};
    double t0 = omp_get_wtime();
    rc = dr_world_run(w, dr_progress_cb, &prog);
    double seconds = omp_get_wtime() - t0;
    if (rc) {
        if (prog.enabled) fputc('\n', stderr);
        fprintf(stderr, "durand: run %s; no result written to %s\n",
                dr_cli_interrupted() ? "interrupted" : "failed", out);
        if (prog.ckpt_day >= 0)
            fprintf(stderr,
                    "durand: checkpoint after day %lld in %s; continue with: durand run "
                    "--restart %s\n",
                    (long long)prog.ckpt_day, ckpt_path, ckpt_path);
        rc = DR_EXIT_FAILURE;
    } else {
        /* The result is complete: the checkpoint has served its purpose. */
        if (c.checkpoint_every > 0) remove(ckpt_path);
        if (!c.quiet) dr_print_summary(w, &tally, out, seconds, restart_day);
    }
done:
    dr_h5_ckpt_destroy(ckpt);
    dr_h5_observer_destroy(h5);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
    dr_h5_ckpt_info_clear(&info);
    free(cmdline);
    return rc;
}

static int dr_cmd_check(int argc, char **argv)
{
    dr_cli c = {0};
    int rc = dr_cli_parse(argc, argv, dr_usage_check, 0, &c);
    if (rc) return rc == 1 ? 0 : rc;
    if (dr_cli_require("durand check", c.scenario, "a SCENARIO file", dr_usage_check,
                       stderr))
        return DR_EXIT_INPUT;
    dr_scenario *sc = dr_scenario_load(c.scenario, c.overrides, c.n_overrides, stderr);
    if (!sc) return DR_EXIT_INPUT;

    char end_date[11];
    dr_date_format(sc->meta.start_date, sc->meta.days - 1, end_date);
    printf("%s: valid\n", sc->path);
    printf("scenario  %s\n", sc->meta.name);
    printf("period    %s to %s (%lld days), seed %lld\n", sc->meta.start_date, end_date,
           (long long)sc->meta.days, (long long)sc->meta.seed);
    printf("agents    %lld civilian agents at agent_scale %lld\n",
           (long long)dr_scenario_agent_count(sc), (long long)sc->meta.agent_scale);

    printf("\nactors (%zu)\n", sc->n_actors);
    for (int k = 0; k < DR_ACTOR_KIND_COUNT; k++)
        for (size_t i = 0; i < sc->n_actors; i++) {
            const dr_actor *a = &sc->actors[i];
            if ((int)a->kind != k) continue;
            printf("  %-13s %-6s %s", dr_actor_kind_names[k], a->id, a->name);
            if (a->kind == DR_ACTOR_MILITANT)
                printf(" (host %s%s%s)", sc->actors[a->host].id,
                       a->sanctuary != DR_NONE ? ", sanctuary " : "",
                       a->sanctuary != DR_NONE ? sc->actors[a->sanctuary].id : "");
            putchar('\n');
        }

    size_t by_type[DR_LOC_TYPE_COUNT] = {0};
    for (size_t l = 0; l < sc->n_locations; l++) by_type[sc->locations[l].type]++;
    printf("\nlocations (%zu):", sc->n_locations);
    for (int t = 0; t < DR_LOC_TYPE_COUNT; t++)
        if (by_type[t]) printf(" %zu %s", by_type[t], dr_location_type_names[t]);
    putchar('\n');
    for (size_t l = 0; l < sc->n_locations; l++) {
        const dr_location *L = &sc->locations[l];
        printf("  %-20s %-4s %-13s %8.3f %8.3f %10lld  %s\n", L->id,
               sc->actors[L->country].id, dr_location_type_names[L->type], L->lat, L->lon,
               (long long)L->population, L->name);
    }

    size_t by_kind[DR_ROUTE_KIND_COUNT] = {0};
    for (size_t r = 0; r < sc->n_routes; r++) by_kind[sc->routes[r].kind]++;
    printf("\nroutes (%zu): %zu road, %zu crossing, %zu informal\n", sc->n_routes,
           by_kind[DR_ROUTE_ROAD], by_kind[DR_ROUTE_CROSSING],
           by_kind[DR_ROUTE_INFORMAL]);
    printf("crossings (%zu)\n", by_kind[DR_ROUTE_CROSSING]);
    for (size_t r = 0; r < sc->n_routes; r++) {
        const dr_route *R = &sc->routes[r];
        if (R->kind != DR_ROUTE_CROSSING) continue;
        printf("  %-14s %s <-> %s, %s\n", R->id, sc->locations[R->from].id,
               sc->locations[R->to].id, dr_crossing_status_names[R->status]);
    }
    printf("informal routes (%zu)\n", by_kind[DR_ROUTE_INFORMAL]);
    for (size_t r = 0; r < sc->n_routes; r++) {
        const dr_route *R = &sc->routes[r];
        if (R->kind == DR_ROUTE_INFORMAL)
            printf("  %-14s %s <-> %s, %.0f km\n", R->id, sc->locations[R->from].id,
                   sc->locations[R->to].id, R->distance_km);
    }

    double personnel = 0.0;
    for (size_t f = 0; f < sc->n_forces; f++) personnel += sc->forces[f].personnel;
    printf("\nforces    %zu deployments, %.0f personnel\n", sc->n_forces, personnel);
    printf("civilians %zu groups\n", sc->n_civilians);
    printf("dyads     %zu ordered pairs\n", sc->n_dyads);

    printf("\nevents (%zu)\n", sc->n_events);
    for (size_t e = 0; e < sc->n_events; e++) {
        const dr_event *E = &sc->events[e];
        char date[11];
        dr_date_format(sc->meta.start_date, E->day, date);
        printf("  day %-4lld %s %-17s %s\n", (long long)E->day, date,
               dr_event_type_names[E->type], E->note);
    }
    printf("\ninterventions (%zu)\n", sc->n_interventions);
    for (size_t k = 0; k < sc->n_interventions; k++) {
        const dr_intervention *v = &sc->interventions[k];
        char from[11], to[11];
        const int64_t end = v->end < sc->meta.days ? v->end : sc->meta.days;
        dr_date_format(sc->meta.start_date, v->start, from);
        dr_date_format(sc->meta.start_date, end - 1, to); /* last active day */
        printf("  %-16s %-10s", v->id, dr_intervention_type_names[v->type]);
        for (size_t q = 0; q < v->n_parties; q++)
            printf("%s%s", q ? "-" : " ", sc->actors[v->parties[q]].id);
        if (v->type == DR_IV_MEDIATION) printf(" by %s", sc->actors[v->mediator].id);
        printf(", %s to %s, %.0f USD/day", from, to, v->cost);
        if (v->type == DR_IV_ECONOMIC && v->investment > 0.0)
            printf(" + %.0f USD over %lld days", v->investment, (long long)v->build_days);
        if (v->adaptive) {
            printf(", when");
            if (!isnan(v->trigger_tension)) printf(" tension > %g", v->trigger_tension);
            if (!isnan(v->trigger_involvement))
                printf("%s involvement >= %g", isnan(v->trigger_tension) ? "" : " and",
                       v->trigger_involvement);
            printf(" for %lld day%s", (long long)v->trigger_days,
                   v->trigger_days == 1 ? "" : "s");
        }
        putchar('\n');
    }
    printf("\nphases of a day:");
    for (size_t p = 0; p < dr_n_phases; p++)
        printf("%s %s", p ? "," : "", dr_phases[p].name);
    putchar('\n');
    if (sc->n_overrides) {
        printf("overrides:");
        for (size_t i = 0; i < sc->n_overrides; i++) printf(" -s %s", sc->overrides[i]);
        putchar('\n');
    }
    dr_scenario_destroy(sc);
    return 0;
}

static int dr_cmd_inspect(int argc, char **argv)
{
    if (argc >= 1 && dr_cli_is_help(argv[0])) {
        fputs(dr_usage_inspect, stdout);
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "durand inspect: expected one FILE.h5\n\n%s", dr_usage_inspect);
        return DR_EXIT_INPUT;
    }
    return dr_h5_inspect(argv[0], stdout, stderr);
}

/* Remove every --no-file-locking from argv (it may appear anywhere) and,
 * if there was one, turn HDF5 file locking off for this process through
 * HDF5's own switch, HDF5_USE_FILE_LOCKING=FALSE, which every HDF5 file
 * open (run, sweep, merge, inspect, ...) honours. Returns the new argc. */
static int dr_take_file_locking_option(int argc, char **argv)
{
    int n = 1, off = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-file-locking"))
            off = 1;
        else
            argv[n++] = argv[i];
    }
    argv[n] = NULL;
    if (off) setenv("HDF5_USE_FILE_LOCKING", "FALSE", 1);
    return n;
}

int main(int argc, char **argv)
{
    /* Library code reports errors by status; GSL must not abort. */
    gsl_set_error_handler_off();
    /* A file-size limit (ulimit -f) must make a write fail, so that the
     * run reports it and removes its partial file, not kill the program. */
    signal(SIGXFSZ, SIG_IGN);
    dr_h5_prepare();
    argc = dr_take_file_locking_option(argc, argv);
    if (argc < 2) {
        fputs(dr_usage_main, stderr);
        return DR_EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (dr_cli_is_help(cmd)) {
        fputs(dr_usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("durand %s (%s)\n", DR_VERSION, DR_GIT_REVISION);
        return 0;
    }
    if (!strcmp(cmd, "run")) return dr_cmd_run(argc - 2, argv + 2, argc, argv);
    if (!strcmp(cmd, "check")) return dr_cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "inspect")) return dr_cmd_inspect(argc - 2, argv + 2);
    if (!strcmp(cmd, "sweep")) return dr_cmd_sweep(argc - 2, argv + 2, argc, argv);
    if (!strcmp(cmd, "merge")) return dr_cmd_merge(argc - 2, argv + 2, argc, argv);
    if (!strcmp(cmd, "sensitivity"))
        return dr_cmd_sensitivity(argc - 2, argv + 2, argc, argv);
    if (!strcmp(cmd, "compare")) return dr_cmd_compare(argc - 2, argv + 2, argc, argv);
    if (!strcmp(cmd, "flee")) return dr_cmd_flee(argc - 2, argv + 2, argc, argv);
    fprintf(stderr, "durand: unknown command '%s'\n\n%s", cmd, dr_usage_main);
    return DR_EXIT_INPUT;
}
