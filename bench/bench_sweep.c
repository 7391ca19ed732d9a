/*
 * bench_sweep.c — per-run overhead of the sweep runner, on one thread.
 *
 *   bench_sweep SCENARIO [RUNS] [WORKDIR]
 *
 * Times RUNS runs (default 1000) four ways and prints milliseconds per run;
 * the first three ways run in 10 interleaved rounds of RUNS/10 runs
 * (replications 0..RUNS/10-1 of one point, then the next ones) and each
 * way's best round is reported, so that a shared machine's slow spells do
 * not land on one way only:
 *   model   the scenario loaded once; world create + run + destroy only;
 *   eval    the scenario model as a sweep calls it: load the file with the
 *           overrides, run, reduce to the summary indicators;
 *   sweep   dr_sweep_run on one thread with its journal (the eval plus
 *           hand-out, result storage and one journal record per run);
 *   write   dr_h5_sweep_write of a round's results (the file at the end).
 * start overhead = eval - model; write overhead = (sweep - eval) + write.
 * Not a test: timings depend on the machine and its load.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5_sweep.h"
#include "scenario.h"
#include "summary.h"
#include "sweep.h"
#include "world.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_sweep SCENARIO [RUNS] [WORKDIR]\n");
        return 2;
    }
    const char *path = argv[1];
    size_t runs = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 1000;
    const char *dir = argc > 3 ? argv[3] : ".";
    if (runs == 0) runs = 1;
    omp_set_num_threads(1);
    dr_scenario *sc = dr_scenario_load(path, NULL, 0, stderr);
    if (!sc) return 2;

    /* The three ways are timed in ROUNDS interleaved rounds of runs/ROUNDS
     * runs each, and each way's best round counts: a shared machine's
     * slow spells (other jobs, a throttled virtual CPU) then hit all three
     * alike or none, instead of whichever way ran during them. */
    const size_t rounds = runs >= 10 ? 10 : 1;
    const size_t per = runs / rounds;
    dr_scenario_model sm = {
        path, sc->text, NULL, 0, NULL, {DR_SUMMARY_TENSION_THRESHOLD}, sc->meta.days};
    double ind[DR_SUMMARY_MAX_INDICATORS], x = 0.0;
    char journal[1024], file[1024];
    snprintf(journal, sizeof journal, "%s/bench_sweep.journal", dir);
    snprintf(file, sizeof file, "%s/bench_sweep.h5", dir);
    dr_sweep_model model_if = {&sm, dr_n_indicators, dr_scenario_model_eval, 0, NULL};
    dr_sweep_results *res = NULL;
    double model = INFINITY, eval = INFINITY, sweep = INFINITY;
    for (size_t round = 0; round < rounds; round++) {
        const uint32_t r0 = (uint32_t)(round * per);
        double t = omp_get_wtime();
        for (size_t r = 0; r < per; r++) {
            dr_world *w = dr_world_create(sc, (uint64_t)sc->meta.seed, r0 + (uint32_t)r);
            if (!w || dr_world_run(w, NULL, NULL) != 0) return 1;
            dr_world_destroy(w);
        }
        model = fmin(model, (omp_get_wtime() - t) / (double)per);

        t = omp_get_wtime();
        for (size_t r = 0; r < per; r++)
            if (dr_scenario_model_eval(&sm, &x, r0 + (uint32_t)r, ind) != 0) return 1;
        eval = fmin(eval, (omp_get_wtime() - t) / (double)per);

        /* The sweep of this round: replications 0..per-1 (the same runs
         * as the other two ways of round 0; every round does equal work). */
        remove(journal);
        dr_sweep_plan plan;
        memset(&plan, 0, sizeof plan);
        plan.n_points = 1;
        plan.n_params = 0;
        plan.x = &x;
        plan.n_replications = (uint32_t)per;
        plan.n_shards = 1;
        plan.threads = 1;
        plan.identity = 1;
        plan.journal = journal;
        plan.mpi.size = 1;
        plan.err = stderr;
        dr_sweep_results_destroy(res);
        res = dr_sweep_results_create(per, dr_n_indicators, 0);
        if (!res) return 1;
        t = omp_get_wtime();
        if (dr_sweep_run(&plan, &model_if, res) != DR_SWEEP_OK) return 1;
        sweep = fmin(sweep, (omp_get_wtime() - t) / (double)per);
    }

    const char *names[DR_SUMMARY_MAX_INDICATORS], *units[DR_SUMMARY_MAX_INDICATORS],
        *longs[DR_SUMMARY_MAX_INDICATORS];
    for (size_t i = 0; i < dr_n_indicators; i++) {
        names[i] = dr_indicators[i].name;
        units[i] = dr_indicators[i].units;
        longs[i] = dr_indicators[i].long_name;
    }
    dr_sweep_file f = {.scenario_path = path,
                       .scenario_text = sc->text,
                       .title = sc->meta.name,
                       .comment = "",
                       .overrides = "",
                       .start_date = sc->meta.start_date,
                       .days = sc->meta.days,
                       .seed = (uint64_t)sc->meta.seed,
                       .identity = 1,
                       .tension_threshold = DR_SUMMARY_TENSION_THRESHOLD,
                       .design = "factorial",
                       .n_points = 1,
                       .x = &x,
                       .n_replications = (uint32_t)per,
                       .n_indicators = dr_n_indicators,
                       .indicator_names = names,
                       .indicator_units = units,
                       .indicator_long_names = longs,
                       .n_runs = per,
                       .status = res->status,
                       .indicators = res->indicators,
                       .n_shards = 1};
    dr_h5_sweep_info info = {"bench_sweep", NULL, 1, 1, 0};
    double t = omp_get_wtime();
    if (dr_h5_sweep_write(file, &f, &info, stderr) != 0) return 1;
    double write = (omp_get_wtime() - t) / (double)per;
    remove(journal);
    remove(file);

    printf("bench_sweep: %zu runs of %s (%lld days) each way, 1 thread, best of %zu "
           "interleaved rounds of %zu runs\n",
           rounds * per, sc->meta.name, (long long)sc->meta.days, rounds, per);
    printf("  model only (world create+run+destroy) %8.3f ms/run\n", 1e3 * model);
    printf("  scenario model eval (load+run+summary) %8.3f ms/run\n", 1e3 * eval);
    printf("  dr_sweep_run with journal              %8.3f ms/run\n", 1e3 * sweep);
    printf("  sweep file write                       %8.3f ms/run\n", 1e3 * write);
    printf("  per-run overhead: start %.3f ms (load + summary), write %.3f ms "
           "(hand-out + journal + file); total %.3f ms\n",
           1e3 * (eval - model), 1e3 * (sweep - eval + write),
           1e3 * (sweep + write - model));
    dr_sweep_results_destroy(res);
    dr_scenario_destroy(sc);
    return 0;
}
