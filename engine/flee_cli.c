/*
 * flee_cli.c — `durand flee DIR [-o FILE] [--seed N] [--replication I] [-q]`:
 * a FLEE case directory read unchanged (flee_load.c), run through the
 * engine's phases with the FLEE driver (flee_driver.c) before each day, the
 * normal result file written by the HDF5 observer, the validation
 * extension added to it (output/h5_flee.c), and FLEE's error printed.
 */
#define _POSIX_C_SOURCE 200809L

#include "flee_cli.h"

#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "flee.h"
#include "h5_flee.h"
#include "h5_observer.h"
#include "observer.h"
#include "rng.h"
#include "scenario.h"
#include "version.h"
#include "world.h"

static const char *const dr_usage_flee =
    "usage: durand flee DIR [-o FILE] [--seed N] [--replication I] [--hasten N] [-q]\n"
    "\n"
    "Run the FLEE case in directory DIR, read unchanged (input_csv/,\n"
    "source_data/, simsetting.yml; see README.md, \"FLEE cases\"), on FLEE's\n"
    "rules: validation-driven spawning, conflicts and closures by day, civilian\n"
    "agents moving by FLEE's move chances and route weights. Writes the normal\n"
    "result file plus the simulated and observed camp populations per day and\n"
    "FLEE's averaged relative difference (output/SCHEMA.md, \"Validation\n"
    "extension\"), and prints the error, normal and rescaled.\n"
    "\n"
    "  -o FILE           result file (default: CASE_seedS_repI.h5 in the current\n"
    "                    directory, CASE the directory's name)\n"
    "  --seed N          master seed (default 0)\n"
    "  --replication I   replication index, 0 to 1048575 (default 0)\n"
    "  --hasten N        replace the case's optimisations.hasten (persons per\n"
    "                    agent), e.g. --hasten 1 for FLEE's full-size runs\n"
    "  -q, --quiet       no progress bar, notes or camp table; only the error line\n"
    "\n"
    "Exit status 2 with one line per problem when the case is malformed.\n";

/* The observer of a FLEE run: records camp populations after each day
 * (the observe phase runs after the civilian phase) and forwards every
 * call to the HDF5 observer. */
typedef struct dr_flee_obs {
    dr_observer *inner;
    dr_flee_driver *driver;
} dr_flee_obs;

static int dr_flee_obs_begin(void *ctx, const dr_world *w)
{
    dr_flee_obs *o = ctx;
    return o->inner->begin ? o->inner->begin(o->inner->ctx, w) : 0;
}

static int dr_flee_obs_tick(void *ctx, const dr_world *w, int64_t day)
{
    dr_flee_obs *o = ctx;
    dr_flee_driver_after_day(o->driver, w);
    return o->inner->tick ? o->inner->tick(o->inner->ctx, w, day) : 0;
}

static int dr_flee_obs_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    dr_flee_obs *o = ctx;
    return o->inner->log ? o->inner->log(o->inner->ctx, w, e) : 0;
}

static int dr_flee_obs_end(void *ctx, const dr_world *w, int status)
{
    dr_flee_obs *o = ctx;
    return o->inner->end ? o->inner->end(o->inner->ctx, w, status) : status;
}

int dr_cmd_flee(int argc, char **argv, int full_argc, char **full_argv)
{
    const char *dir = NULL, *output = NULL;
    unsigned long long seed = 0, rep = 0, hasten = 0;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (dr_cli_is_help(a)) {
            fputs(dr_usage_flee, stdout);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!next || !*next) {
                fprintf(stderr, "durand flee: %s needs a file name\n", a);
                return DR_EXIT_INPUT;
            }
            output = next;
            i++;
        } else if (!strcmp(a, "--seed")) {
            if (dr_cli_parse_u64(next, (unsigned long long)INT64_MAX, &seed)) {
                fprintf(stderr,
                        "durand flee: --seed %s: expected an integer in [0, 2^63-1]\n",
                        next ? next : "(missing)");
                return DR_EXIT_INPUT;
            }
            i++;
        } else if (!strcmp(a, "--replication")) {
            if (dr_cli_option_u64("durand flee", a, next, 0, DR_RNG_REPLICATION_MAX, &rep,
                                  stderr))
                return DR_EXIT_INPUT;
            i++;
        } else if (!strcmp(a, "--hasten")) {
            if (dr_cli_option_u64("durand flee", a, next, 1, 1000000000ULL, &hasten,
                                  stderr))
                return DR_EXIT_INPUT;
            i++;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (dr_cli_positional("durand flee", a, &dir, dr_usage_flee, stderr)) {
            return DR_EXIT_INPUT;
        }
    }
    if (dr_cli_require("durand flee", dir, "a FLEE case DIR", dr_usage_flee, stderr))
        return DR_EXIT_INPUT;
    /* A trailing slash would leave the case without a name. */
    char dirbuf[PATH_MAX];
    snprintf(dirbuf, sizeof dirbuf, "%s", dir);
    for (size_t n = strlen(dirbuf); n > 1 && dirbuf[n - 1] == '/'; n--)
        dirbuf[n - 1] = '\0';
    dir = dirbuf;

    dr_flee_case *fc = dr_flee_load_hasten(dir, (int64_t)hasten, stderr);
    if (!fc) return DR_EXIT_INPUT;
    dr_scenario *sc = fc->scenario;
    sc->meta.seed = (int64_t)seed;

    char default_out[512];
    if (!output) {
        const char *base = strrchr(dir, '/');
        base = base ? base + 1 : dir;
        snprintf(default_out, sizeof default_out, "%.200s_seed%llu_rep%llu.h5", base,
                 seed, rep);
        output = default_out;
    }
    int rc = dr_cli_check_output_dir("durand", "-o", output, 0, stderr);
    if (rc) {
        dr_flee_case_destroy(fc);
        return rc;
    }
    if (!quiet)
        for (size_t i = 0; i < fc->n_notes; i++)
            fprintf(stderr, "durand: note: %s\n", fc->notes[i]);

    char *cmdline = dr_cli_join_args(full_argc, full_argv);
    dr_h5_run_info info = {.command_line = cmdline ? cmdline : "durand flee",
                           .mpi_ranks = 1};
    dr_world *w = dr_world_create(sc, (uint64_t)seed, (uint32_t)rep);
    dr_flee_driver *drv = w ? dr_flee_driver_create(fc) : NULL;
    dr_observer *h5 = drv ? dr_h5_observer_create(output, &info, stderr) : NULL;
    if (!w || !drv || !h5) {
        fprintf(stderr, "durand: out of memory creating the run\n");
        dr_h5_observer_destroy(h5);
        dr_flee_driver_destroy(drv);
        dr_world_destroy(w);
        dr_flee_case_destroy(fc);
        free(cmdline);
        return DR_EXIT_FAILURE;
    }
    dr_flee_obs fo = {.inner = h5, .driver = drv};
    dr_observer obs = {.ctx = &fo,
                       .begin = dr_flee_obs_begin,
                       .tick = dr_flee_obs_tick,
                       .log = dr_flee_obs_log,
                       .end = dr_flee_obs_end};
    dr_world_set_observer(w, &obs);

    dr_cli_catch_interrupts();

    const int bar = !quiet && isatty(STDERR_FILENO);
    int last = -1;
    const int64_t days = sc->meta.days;
    double t0 = omp_get_wtime();
    /* dr_world_run's loop, with the driver before each day. */
    rc = obs.begin(obs.ctx, w);
    while (!rc && w->day + 1 < days) {
        rc = dr_flee_driver_before_day(drv, w);
        if (rc) {
            fprintf(stderr, "durand: out of memory spawning agents on day %lld\n",
                    (long long)(w->day + 1));
            break;
        }
        rc = dr_world_step(w);
        if (!rc && dr_cli_interrupted()) rc = DR_EXIT_FAILURE;
        if (!rc && bar) dr_cli_progress_days(w->day + 1, days, &last);
    }
    double seconds = omp_get_wtime() - t0;
    int kept = obs.end(obs.ctx, w, rc);
    if (!rc) rc = kept;
    if (!rc && dr_h5_flee_append(output, fc, dr_flee_driver_camp_sim(drv), stderr)) {
        remove(output);
        rc = DR_EXIT_FAILURE;
    }
    if (rc) {
        if (bar) fputc('\n', stderr);
        fprintf(stderr, "durand: run %s; no result written to %s\n",
                dr_cli_interrupted() ? "interrupted" : "failed", output);
        rc = DR_EXIT_FAILURE;
    } else {
        const double *sim = dr_flee_driver_camp_sim(drv);
        const size_t nc = fc->n_camps;
        double ard = dr_flee_ard(sim, fc->camp_data, (size_t)days, nc, 0);
        double ard_r = dr_flee_ard(sim, fc->camp_data, (size_t)days, nc, 1);
        if (!quiet) {
            printf("durand %s: %s\n", DR_VERSION, sc->meta.name);
            printf("  %lld days from %s; hasten %lld; seed %llu, replication %llu, "
                   "%d thread%s, %.2f s\n",
                   (long long)days, sc->meta.start_date, (long long)fc->settings.hasten,
                   seed, rep, w->n_threads, w->n_threads == 1 ? "" : "s", seconds);
            printf("  %zu locations, %zu routes, %zu camps; %lld agents spawned",
                   sc->n_locations, sc->n_routes, nc,
                   (long long)dr_flee_driver_total_spawned(drv));
            if (dr_flee_driver_unplaced(drv))
                printf(" (%lld left unplaced: no conflict zone)",
                       (long long)dr_flee_driver_unplaced(drv));
            printf("\n  %-22s %12s %12s\n", "camp (last day)", "simulated", "observed");
            for (size_t c = 0; c < nc; c++)
                printf("  %-22s %12.0f %12.0f\n",
                       sc->locations[fc->camp_location[c]].name,
                       sim[(size_t)(days - 1) * nc + c],
                       fc->camp_data[(size_t)(days - 1) * nc + c]);
            printf("result: %s\n", output);
        }
        printf("ARD %.6f  rescaled %.6f\n", ard, ard_r);
    }
    dr_h5_observer_destroy(h5);
    dr_flee_driver_destroy(drv);
    dr_world_destroy(w);
    dr_flee_case_destroy(fc);
    free(cmdline);
    return rc;
}
