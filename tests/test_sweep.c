/*
 * test_sweep.c — the run summary (summary.h), the runner (sweep.h: thread
 * and shard independence, journal, resume, torn records, refusals, failed
 * runs), the scenario model, and the sweep file (h5_sweep.h) round trip.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dr_test.h"
#include "h5_sweep.h"
#include "scenario.h"
#include "summary.h"
#include "sweep.h"
#include "world.h"

#define TWO_STATES DR_SRC("scenarios/test/two_states.cfg")
#define N_IND 3

/* ---- an analytic model ------------------------------------------------- */

/* Indicators: x0 + x1, x0 * rep, a value that depends on (x, rep) only.
 * Fails when x0 < 0 (to test failed runs). */
static int toy_eval(void *ctx, const double *x, uint32_t rep, double *ind)
{
    (void)ctx;
    if (x[0] < 0.0) return -1;
    ind[0] = x[0] + x[1];
    ind[1] = x[0] * (double)rep;
    ind[2] = sin(x[0] * 3.0 + x[1]) + (double)rep * 1e-3;
    return 0;
}

static int toy_eval_series(void *ctx, const double *x, uint32_t rep, double *ind,
                           double *series)
{
    for (int t = 0; t < 4; t++) series[t] = x[1] * t + rep;
    return toy_eval(ctx, x, rep, ind);
}

enum { TOY_POINTS = 23, TOY_REPS = 3 };

static void toy_design(double *x)
{
    for (int i = 0; i < TOY_POINTS; i++) {
        x[2 * i] = i == 7 ? -1.0 : 0.1 * i;
        x[2 * i + 1] = 1.0 - 0.05 * i;
    }
}

static void toy_plan(dr_sweep_plan *p, const double *x)
{
    memset(p, 0, sizeof *p);
    p->n_points = TOY_POINTS;
    p->n_params = 2;
    p->x = x;
    p->n_replications = TOY_REPS;
    p->n_shards = 1;
    p->threads = 1;
    p->identity = 42;
    p->mpi.size = 1;
    p->err = NULL;
}

static dr_sweep_model toy_model(void)
{
    dr_sweep_model m = {NULL, N_IND, toy_eval, 4, toy_eval_series};
    return m;
}

static int same_results(const dr_sweep_results *a, const dr_sweep_results *b)
{
    size_t n = a->n_runs;
    return a->n_runs == b->n_runs && memcmp(a->status, b->status, n) == 0 &&
           memcmp(a->indicators, b->indicators, n * a->n_indicators * sizeof(double)) ==
               0 &&
           (!a->series_width ||
            memcmp(a->series, b->series, n * a->series_width * sizeof(double)) == 0);
}

static dr_sweep_results *toy_run(dr_sweep_plan *p, int *rc)
{
    dr_sweep_model m = toy_model();
    dr_sweep_results *r =
        dr_sweep_results_create(TOY_POINTS * TOY_REPS, N_IND, p->series ? 4 : 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    *rc = dr_sweep_run(p, &m, r);
    return r;
}

static void test_runner_basic(void)
{
    double x[2 * TOY_POINTS];
    toy_design(x);
    dr_sweep_plan p;
    toy_plan(&p, x);
    int rc;
    dr_sweep_results *r = toy_run(&p, &rc);
    CU_ASSERT_EQUAL(rc, DR_SWEEP_OK);
    CU_ASSERT_EQUAL(r->n_owned, TOY_POINTS * TOY_REPS);
    CU_ASSERT_EQUAL(r->n_ran, TOY_POINTS * TOY_REPS);
    CU_ASSERT_EQUAL(r->n_failed, TOY_REPS); /* point 7 fails */
    for (size_t run = 0; run < r->n_runs; run++) {
        size_t pt = run / TOY_REPS, rep = run % TOY_REPS;
        if (pt == 7) {
            CU_ASSERT_EQUAL(r->status[run], DR_RUN_FAILED);
            CU_ASSERT(isnan(r->indicators[run * N_IND]));
            continue;
        }
        CU_ASSERT_EQUAL(r->status[run], DR_RUN_DONE);
        CU_ASSERT_EQUAL(r->indicators[run * N_IND], x[2 * pt] + x[2 * pt + 1]);
        CU_ASSERT_EQUAL(r->indicators[run * N_IND + 1], x[2 * pt] * (double)rep);
    }
    dr_sweep_results_destroy(r);
}

/* Threads and shards do not change results. */
static void test_runner_threads_shards(void)
{
    double x[2 * TOY_POINTS];
    toy_design(x);
    dr_sweep_plan p;
    toy_plan(&p, x);
    p.series = 1;
    int rc;
    dr_sweep_results *one = toy_run(&p, &rc);
    p.threads = 3;
    dr_sweep_results *three = toy_run(&p, &rc);
    CU_ASSERT(same_results(one, three));

    dr_sweep_results *merged = dr_sweep_results_create(one->n_runs, N_IND, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(merged);
    size_t owned = 0;
    for (uint32_t s = 0; s < 4; s++) {
        p.shard = s;
        p.n_shards = 4;
        dr_sweep_results *part = toy_run(&p, &rc);
        CU_ASSERT_EQUAL(rc, DR_SWEEP_OK);
        owned += part->n_owned;
        for (size_t run = 0; run < part->n_runs; run++) {
            if (!dr_sweep_shard_owns(run, s, 4)) {
                CU_ASSERT_EQUAL(part->status[run], DR_RUN_MISSING);
                continue;
            }
            merged->status[run] = part->status[run];
            memcpy(merged->indicators + run * N_IND, part->indicators + run * N_IND,
                   N_IND * sizeof(double));
            memcpy(merged->series + run * 4, part->series + run * 4, 4 * sizeof(double));
        }
        dr_sweep_results_destroy(part);
    }
    CU_ASSERT_EQUAL(owned, one->n_runs);
    CU_ASSERT(same_results(one, merged));
    dr_sweep_results_destroy(merged);
    dr_sweep_results_destroy(one);
    dr_sweep_results_destroy(three);
}

/* Stop after `limit` progress calls with runs done beyond the start. */
typedef struct stopper {
    size_t limit, calls;
} stopper;

static int stop_after(size_t done, size_t total, void *arg)
{
    stopper *s = arg;
    (void)done;
    (void)total;
    return ++s->calls > s->limit;
}

static void journal_path(char *buf, size_t n, const char *tag)
{
    snprintf(buf, n, "%s/test_sweep_%s_%ld.journal", DR_BINARY_DIR, tag, (long)getpid());
}

/* Interrupt, resume, identical; a torn tail record is dropped and rerun. */
static void test_runner_resume(void)
{
    double x[2 * TOY_POINTS];
    toy_design(x);
    char path[512];
    journal_path(path, sizeof path, "resume");
    remove(path);
    dr_sweep_plan p;
    toy_plan(&p, x);
    p.series = 1;
    int rc;
    dr_sweep_results *full = toy_run(&p, &rc);

    p.journal = path;
    stopper st = {10, 0};
    p.progress = stop_after;
    p.progress_arg = &st;
    dr_sweep_results *a = toy_run(&p, &rc);
    CU_ASSERT_EQUAL(rc, DR_SWEEP_INTERRUPTED);
    CU_ASSERT_EQUAL(a->n_ran, 10);
    dr_sweep_results_destroy(a);

    /* Without --resume an existing journal is refused. */
    p.progress = NULL;
    dr_sweep_results *b = toy_run(&p, &rc);
    CU_ASSERT_EQUAL(rc, DR_SWEEP_EINPUT);
    dr_sweep_results_destroy(b);

    /* A journal of another sweep is refused. */
    p.resume = 1;
    p.identity = 43;
    b = toy_run(&p, &rc);
    CU_ASSERT_EQUAL(rc, DR_SWEEP_EINPUT);
    dr_sweep_results_destroy(b);
    p.identity = 42;

    /* Tear the last record: 9 survive. */
    FILE *fp = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fclose(fp);
    CU_ASSERT_EQUAL(truncate(path, size - 5), 0);

    st.calls = 0;
    st.limit = 5;
    p.progress = stop_after;
    b = toy_run(&p, &rc);
    CU_ASSERT_EQUAL(rc, DR_SWEEP_INTERRUPTED);
    CU_ASSERT_EQUAL(b->n_resumed, 9);
    dr_sweep_results_destroy(b);

    p.progress = NULL;
    p.threads = 2;
    b = toy_run(&p, &rc);
    CU_ASSERT_EQUAL(rc, DR_SWEEP_OK);
    CU_ASSERT_EQUAL(b->n_resumed, 9 + 5);
    CU_ASSERT_EQUAL(b->n_ran, full->n_runs - 14);
    CU_ASSERT(same_results(full, b));
    dr_sweep_results_destroy(b);

    /* Everything is in the journal now: a resume runs nothing. */
    b = toy_run(&p, &rc);
    CU_ASSERT_EQUAL(rc, DR_SWEEP_OK);
    CU_ASSERT_EQUAL(b->n_ran, 0);
    CU_ASSERT(same_results(full, b));
    dr_sweep_results_destroy(b);
    dr_sweep_results_destroy(full);
    remove(path);
}

static void test_hash(void)
{
    CU_ASSERT_EQUAL(dr_sweep_hash(DR_SWEEP_HASH_INIT, "", 0), DR_SWEEP_HASH_INIT);
    /* FNV-1a 64 of "a" */
    CU_ASSERT_EQUAL(dr_sweep_hash(DR_SWEEP_HASH_INIT, "a", 1), 0xaf63dc4c8601ec8cULL);
    CU_ASSERT_NOT_EQUAL(
        dr_sweep_hash_str(DR_SWEEP_HASH_INIT, "ab"),
        dr_sweep_hash_str(dr_sweep_hash_str(DR_SWEEP_HASH_INIT, "a"), "b"));
    CU_ASSERT(dr_sweep_shard_owns(5, 1, 4));
    CU_ASSERT(!dr_sweep_shard_owns(5, 2, 4));
    CU_ASSERT(dr_sweep_shard_owns(5, 0, 1));
}

/* ---- the summary ---------------------------------------------------------- */

static size_t indicator(const char *name)
{
    for (size_t i = 0; i < dr_n_indicators; i++)
        if (!strcmp(dr_indicators[i].name, name)) return i;
    CU_FAIL("unknown indicator");
    return 0;
}

/* A reference tally of deaths per day, beside the summary. */
typedef struct ref_tally {
    double deaths, peak;
    int64_t peak_day, closed;
} ref_tally;

static int ref_tick(void *ctx, const dr_world *w, int64_t day)
{
    ref_tally *t = ctx;
    double d = 0.0;
    for (size_t l = 0; l < w->n_locations; l++) d += w->deaths_today[l];
    t->deaths += d;
    if (d > t->peak) {
        t->peak = d;
        t->peak_day = day;
    }
    for (size_t c = 0; c < w->n_crossings; c++)
        t->closed += w->routes[w->crossing_routes[c]].status == DR_CROSSING_CLOSED;
    return 0;
}

static void run_summary(const dr_scenario *sc, const dr_summary_options *o, double *v,
                        ref_tally *ref, double *series)
{
    dr_world *w = dr_world_create(sc, (uint64_t)sc->meta.seed, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    dr_observer inner = {ref, NULL, ref_tick, NULL, NULL};
    dr_summary s;
    dr_summary_init(&s, o, &inner, series, sc->meta.days);
    dr_world_set_observer(w, &s.obs);
    CU_ASSERT_EQUAL(dr_world_run(w, NULL, NULL), 0);
    CU_ASSERT_EQUAL(dr_summary_values(&s, v), 0);
    /* Final tension: mean over state-state dyads of the world's end state. */
    double t = 0.0;
    int n = 0;
    for (size_t d = 0; d < w->n_dyads; d++)
        if (w->actors[w->dyads[d].a].kind == DR_ACTOR_STATE &&
            w->actors[w->dyads[d].b].kind == DR_ACTOR_STATE) {
            t += w->dyads[d].tension;
            n++;
        }
    CU_ASSERT(n > 0);
    CU_ASSERT_DOUBLE_EQUAL(v[indicator("tension_final")], t / n, 1e-15);
    dr_world_destroy(w);
}

static void test_summary(void)
{
    dr_scenario *sc = dr_scenario_load(TWO_STATES, NULL, 0, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT(dr_n_indicators <= DR_SUMMARY_MAX_INDICATORS);
    for (size_t i = 0; i < dr_n_indicators; i++) {
        CU_ASSERT_PTR_NOT_NULL(dr_indicators[i].finish);
        CU_ASSERT(strlen(dr_indicators[i].units) > 0);
        for (size_t k = 0; k < i; k++)
            CU_ASSERT(strcmp(dr_indicators[i].name, dr_indicators[k].name) != 0);
    }
    double v[DR_SUMMARY_MAX_INDICATORS], v2[DR_SUMMARY_MAX_INDICATORS];
    double *series = malloc((size_t)sc->meta.days * dr_n_summary_series * sizeof *series);
    CU_ASSERT_PTR_NOT_NULL_FATAL(series);
    ref_tally ref = {0, 0, -1, 0};
    dr_summary_options o;
    dr_summary_options_default(&o);
    CU_ASSERT_EQUAL(o.tension_threshold, DR_SUMMARY_TENSION_THRESHOLD);
    run_summary(sc, &o, v, &ref, series);
    CU_ASSERT_EQUAL(v[indicator("deaths_total")], ref.deaths);
    CU_ASSERT_EQUAL(v[indicator("deaths_peak")], ref.peak);
    CU_ASSERT_EQUAL(v[indicator("deaths_peak_day")], (double)ref.peak_day);
    CU_ASSERT_EQUAL(v[indicator("crossing_closed_days")], (double)ref.closed);
    CU_ASSERT(ref.closed > 0); /* the crossing is closed from day 5 to 20 */
    /* Every scheduled event of two_states falls within its 60 days. */
    CU_ASSERT_EQUAL(v[indicator("events_applied")], (double)sc->n_events);
    CU_ASSERT(v[indicator("max_danger")] >= 0.0 && v[indicator("max_danger")] <= 1.0);
    CU_ASSERT(v[indicator("tension_max")] >= v[indicator("tension_final")]);
    /* The series' deaths column sums to the total. */
    double sum = 0.0;
    for (int64_t t = 0; t < sc->meta.days; t++) sum += series[t * dr_n_summary_series];
    CU_ASSERT_DOUBLE_EQUAL(sum, ref.deaths, 1e-9 * (1.0 + ref.deaths));

    /* Threshold limits: 1.0 is crossed on day 0, 0.0 never. */
    o.tension_threshold = 1.0;
    ref_tally r2 = {0, 0, -1, 0};
    run_summary(sc, &o, v2, &r2, NULL);
    CU_ASSERT_EQUAL(v2[indicator("first_day_tension_below")], 0.0);
    o.tension_threshold = 0.0;
    run_summary(sc, &o, v2, &r2, NULL);
    CU_ASSERT_EQUAL(v2[indicator("first_day_tension_below")], -1.0);

    /* A run that does not end with status 0 has no values. */
    dr_summary s;
    dr_summary_init(&s, NULL, NULL, NULL, 0);
    CU_ASSERT_EQUAL(dr_summary_values(&s, v2), -1);
    CU_ASSERT(isnan(v2[0]));
    free(series);
    dr_scenario_destroy(sc);
}

/* The scenario model: a pure function of (x, replication). */
static void test_scenario_model(void)
{
    dr_scenario *sc = dr_scenario_load(TWO_STATES, NULL, 0, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    dr_param_range pr[1];
    memset(pr, 0, sizeof pr);
    snprintf(pr[0].path, sizeof pr[0].path, "dyads.[PAK-AFG].tension");
    pr[0].lo = 0.2;
    pr[0].hi = 0.8;
    pr[0].levels = 3;
    dr_design *d = dr_design_create(DR_DESIGN_FACTORIAL, pr, 1, 0, 1, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    dr_scenario_model sm = {
        TWO_STATES, sc->text, NULL, 0, d, {DR_SUMMARY_TENSION_THRESHOLD}, sc->meta.days};
    double a[DR_SUMMARY_MAX_INDICATORS], b[DR_SUMMARY_MAX_INDICATORS];
    CU_ASSERT_EQUAL(dr_scenario_model_eval(&sm, d->x, 0, a), 0);
    CU_ASSERT_EQUAL(dr_scenario_model_eval(&sm, d->x, 0, b), 0);
    CU_ASSERT_EQUAL(memcmp(a, b, dr_n_indicators * sizeof *a), 0);
    CU_ASSERT_EQUAL(dr_scenario_model_eval(&sm, d->x + 2, 0, b), 0);
    CU_ASSERT(a[indicator("tension_max")] < b[indicator("tension_max")]);
    /* A changed scenario text fails the run instead of mixing scenarios. */
    sm.text = "something else";
    CU_ASSERT_NOT_EQUAL(dr_scenario_model_eval(&sm, d->x, 0, b), 0);
    CU_ASSERT(isnan(b[0]));
    /* A value the loader rejects fails the run. */
    sm.text = sc->text;
    double bad = 7.0;
    CU_ASSERT_NOT_EQUAL(dr_scenario_model_eval(&sm, &bad, 0, b), 0);
    dr_design_destroy(d);
    dr_scenario_destroy(sc);
}

/* ---- the sweep file ------------------------------------------------------- */

static void test_file_roundtrip(void)
{
    double x[2 * TOY_POINTS];
    toy_design(x);
    dr_sweep_plan p;
    toy_plan(&p, x);
    p.series = 1;
    int rc;
    dr_sweep_results *r = toy_run(&p, &rc);
    const char *pn[2] = {"a.x", "b.y"};
    double lo[2] = {-1, 0}, hi[2] = {2.2, 1};
    int32_t lv[2] = {3, 4};
    int8_t it[2] = {0, 1};
    const char *in[N_IND] = {"sum", "prod", "wave"}, *iu[N_IND] = {"1", "day", "1"},
               *il[N_IND] = {"x0+x1", "x0*rep", "sin"};
    /* Series: 4 values per run = 2 days x 2 series. */
    const char *sn[2] = {"s0", "s1"}, *su[2] = {"1", "1"}, *sl[2] = {"first", "second"};
    dr_sweep_file f = {.scenario_path = "toy",
                       .scenario_text = "text",
                       .title = "Toy",
                       .comment = "",
                       .overrides = "",
                       .start_date = "2023-01-01",
                       .days = 2,
                       .seed = 7,
                       .identity = 0x123456789abcdefULL,
                       .tension_threshold = 0.3,
                       .design = "lhs",
                       .design_base_n = 0,
                       .n_points = TOY_POINTS,
                       .n_params = 2,
                       .param_names = pn,
                       .param_lo = lo,
                       .param_hi = hi,
                       .param_levels = lv,
                       .param_integer = it,
                       .x = x,
                       .n_replications = TOY_REPS,
                       .n_indicators = N_IND,
                       .indicator_names = in,
                       .indicator_units = iu,
                       .indicator_long_names = il,
                       .n_series = 2,
                       .series_names = sn,
                       .series_units = su,
                       .series_long_names = sl,
                       .n_runs = r->n_runs,
                       .status = r->status,
                       .indicators = r->indicators,
                       .series = r->series,
                       .shard = 0,
                       .n_shards = 1};
    char path[512];
    snprintf(path, sizeof path, "%s/test_sweep_%ld.h5", DR_BINARY_DIR, (long)getpid());
    dr_h5_sweep_info info = {"test", NULL, 1, 1, 0};
    CU_ASSERT_EQUAL_FATAL(dr_h5_sweep_write(path, &f, &info, stderr), 0);
    dr_sweep_file *g = dr_h5_sweep_read(path, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_EQUAL(g->identity, f.identity);
    CU_ASSERT_EQUAL(g->n_runs, f.n_runs);
    CU_ASSERT_EQUAL(g->n_points, TOY_POINTS);
    CU_ASSERT_EQUAL(g->n_replications, TOY_REPS);
    CU_ASSERT_EQUAL(g->n_series, 2);
    CU_ASSERT_STRING_EQUAL(g->design, "lhs");
    CU_ASSERT_STRING_EQUAL(g->param_names[1], "b.y");
    CU_ASSERT_STRING_EQUAL(g->indicator_units[1], "day");
    CU_ASSERT_STRING_EQUAL(g->series_long_names[1], "second");
    CU_ASSERT_EQUAL(memcmp(g->x, x, sizeof x), 0);
    CU_ASSERT_EQUAL(memcmp(g->status, r->status, r->n_runs), 0);
    for (size_t i = 0; i < r->n_runs * N_IND; i++)
        CU_ASSERT(g->indicators[i] == r->indicators[i] ||
                  (isnan(g->indicators[i]) && isnan(r->indicators[i])));
    for (size_t i = 0; i < r->n_runs * 4; i++)
        CU_ASSERT(g->series[i] == r->series[i] ||
                  (isnan(g->series[i]) && isnan(r->series[i])));
    dr_h5_sweep_file_destroy(g);

    double s1[N_IND * 2] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    dr_sweep_sensitivity s = {.method = "morris",
                              .n_indicators = N_IND,
                              .n_params = 2,
                              .mu_star = s1,
                              .sigma = s1};
    CU_ASSERT_EQUAL(dr_h5_sweep_write_sensitivity(path, &s, "test", stderr), 0);
    CU_ASSERT_EQUAL(dr_h5_sweep_write_sensitivity(path, &s, "test", stderr),
                    0); /* replace */
    g = dr_h5_sweep_read(path, NULL);
    CU_ASSERT_PTR_NOT_NULL(g);
    dr_h5_sweep_file_destroy(g);
    /* Not a sweep file. */
    CU_ASSERT_PTR_NULL(dr_h5_sweep_read(TWO_STATES, NULL));
    remove(path);
    dr_sweep_results_destroy(r);
}

static const dr_test_case dr_tests[] = {
    {"hash and shard ownership", test_hash},
    {"runner: results by run, failed runs", test_runner_basic},
    {"runner: threads and shards give the same results", test_runner_threads_shards},
    {"runner: journal, interrupt, torn record, resume", test_runner_resume},
    {"summary indicators against a reference tally", test_summary},
    {"scenario model is a pure function of (x, rep)", test_scenario_model},
    {"sweep file write, read, sensitivity group", test_file_roundtrip},
    {NULL, NULL},
};

DR_TEST_MAIN("sweep")
