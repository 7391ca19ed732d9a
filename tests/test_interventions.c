/*
 * test_interventions.c — interventions (MODEL.md §3, phase 2) and external
 * powers (phase 9): activity windows and triggers, the direction of each
 * family's effect (paired over 50 replications with common random numbers,
 * 95 % interval of the mean difference excluding 0), and the ceasefire
 * breakdown hazard with and without the mediator.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dr_test.h"
#include "observer.h"
#include "scenario.h"
#include "summary.h"
#include "world.h"

#define BASE DR_SRC("tests/interventions/base.cfg")
#define DIRECTIONS DR_SRC("tests/interventions/directions.cfg")
#define CASES DR_SRC("tests/interventions/cases.cfg")
#define N_REP 50

static dr_strategy_set *cases;

/* The scenario of one strategy of cases.cfg (loaded once). */
static const dr_scenario *load_case(const char *name)
{
    if (!cases) cases = dr_strategies_load(BASE, NULL, 0, CASES, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cases);
    for (size_t i = 0; i < cases->n; i++)
        if (!strcmp(cases->strategies[i].name, name)) return cases->strategies[i].sc;
    CU_FAIL_FATAL("no such case");
    return NULL;
}

static dr_scenario *load(const char *const *ov, size_t n)
{
    dr_scenario *sc = dr_scenario_load(BASE, ov, n, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    return sc;
}

/* Indicator values of one run. */
static void run_summary(const dr_scenario *sc, uint32_t rep, double *out)
{
    dr_world *w = dr_world_create(sc, (uint64_t)sc->meta.seed, rep);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    dr_summary s;
    dr_summary_init(&s, NULL, NULL, NULL, 0);
    dr_world_set_observer(w, &s.obs);
    CU_ASSERT_EQUAL(dr_world_run(w, NULL, NULL), 0);
    CU_ASSERT_EQUAL(dr_summary_values(&s, out), 0);
    dr_world_destroy(w);
}

static size_t indicator(const char *name)
{
    for (size_t i = 0; i < dr_n_indicators; i++)
        if (!strcmp(dr_indicators[i].name, name)) return i;
    CU_FAIL_FATAL("no such indicator");
    return 0;
}

static size_t strategy(const dr_strategy_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->strategies[i].name, name)) return i;
    CU_FAIL_FATAL("no such strategy");
    return 0;
}

/* Activity windows, costs and triggers. */
static void test_activity(void)
{
    const dr_scenario *sc = load_case("activity");
    CU_ASSERT_EQUAL_FATAL(sc->n_interventions, 2);
    dr_world *w = dr_world_create(sc, 1, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    int64_t active_days = 0, late_days = 0;
    for (int64_t t = 0; t < 60; t++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        CU_ASSERT_EQUAL(w->iv_active[0], t >= 10 && t < 30);
        CU_ASSERT_EQUAL(w->iv_active[1], t >= 4 && t < 14);
        active_days += w->iv_active[0];
        late_days += w->iv_active[1];
    }
    CU_ASSERT_EQUAL(active_days, 20);
    CU_ASSERT_EQUAL(late_days, 10);
    CU_ASSERT_DOUBLE_EQUAL(w->iv_cost[0], 2000.0, 1e-9);
    CU_ASSERT_EQUAL(w->iv_rounds[0], 3); /* days 10, 17, 24 */
    CU_ASSERT_EQUAL(w->iv_started[1], 4);
    dr_world_destroy(w);
}

/* model.interventions.enabled = false: a run with interventions is the
 * run without them, bit for bit. */
static void test_disabled_is_baseline(void)
{
    const dr_scenario *with = load_case("disabled_with");
    const dr_scenario *without = load_case("disabled_without");
    CU_ASSERT_EQUAL(with->n_interventions, 1);
    double a[DR_SUMMARY_MAX_INDICATORS], b[DR_SUMMARY_MAX_INDICATORS];
    run_summary(with, 3, a);
    run_summary(without, 3, b);
    CU_ASSERT_EQUAL(memcmp(a, b, dr_n_indicators * sizeof(double)), 0);
}

/* Indicators of every strategy of a set over N_REP replications:
 * values[(s * N_REP + r) * DR_SUMMARY_MAX_INDICATORS + k]. */
static double *run_all(const dr_strategy_set *set)
{
    double *v = malloc(set->n * N_REP * DR_SUMMARY_MAX_INDICATORS * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (size_t st = 0; st < set->n; st++)
        for (uint32_t r = 0; r < N_REP; r++)
            run_summary(set->strategies[st].sc, r,
                        v + (st * N_REP + r) * DR_SUMMARY_MAX_INDICATORS);
    return v;
}

/* Effect of strategy `s` against `ref` on indicator `ind` (paired mean
 * difference and the half-width of its 95 % Student interval): the
 * interval lies wholly below 0 (sign -1) or above (sign +1). */
static void check_direction(const dr_strategy_set *set, const double *v, const char *s,
                            const char *ref, const char *ind, int sign)
{
    size_t a = strategy(set, s), b = strategy(set, ref), k = indicator(ind);
    double d[N_REP], m = 0.0, ss = 0.0;
    for (int r = 0; r < N_REP; r++) {
        d[r] = v[(a * N_REP + r) * DR_SUMMARY_MAX_INDICATORS + k] -
               v[(b * N_REP + r) * DR_SUMMARY_MAX_INDICATORS + k];
        m += d[r] / N_REP;
    }
    for (int r = 0; r < N_REP; r++) ss += (d[r] - m) * (d[r] - m);
    double h = gsl_cdf_tdist_Pinv(0.975, N_REP - 1) * sqrt(ss / (N_REP - 1) / N_REP);
    printf("\n    %s vs %s: %s %+.4g [%+.4g, %+.4g] ", s, ref, ind, m, m - h, m + h);
    CU_ASSERT(sign < 0 ? m + h < 0.0 : m - h > 0.0);
}

static void test_directions(void)
{
    dr_strategy_set *set = dr_strategies_load(BASE, NULL, 0, DIRECTIONS, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(set);
    double *v = run_all(set);
    /* Higher mediator leverage => fewer clash deaths. */
    check_direction(set, v, "mediation_high", "mediation_low", "clash_deaths_total", -1);
    /* Task force => higher trust, fewer militant attacks. */
    check_direction(set, v, "task_force", "none", "trust_final", +1);
    check_direction(set, v, "task_force", "none", "attacks_total", -1);
    /* Economic => interdependence up, escalation down. */
    check_direction(set, v, "economic", "none", "interdependence_final", +1);
    check_direction(set, v, "economic", "none", "escalation_mean", -1);
    /* Outreach => lower recruitment. */
    check_direction(set, v, "outreach", "none", "recruited_total", -1);
    free(v);
    dr_strategies_destroy(set);
}

/* Exposure and breakdowns of the A-B ceasefire, split by whether the
 * mediation that made it is active. */
typedef struct cf_count {
    double days_present, days_after;
    double breaks_present, breaks_after;
} cf_count;

static int cf_tick(void *ctx, const dr_world *w, int64_t day)
{
    (void)day;
    cf_count *c = ctx;
    /* Ceasefire days that survived today's breakdown draw. */
    if (w->ceasefire_left[0] > 0 || w->breakdowns_today) {
        if (w->iv_active[0])
            c->days_present += 1.0;
        else
            c->days_after += 1.0;
    }
    return 0;
}

static int cf_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    (void)w;
    cf_count *c = ctx;
    if (e->kind != DR_LOG_BREAKDOWN) return 0;
    if (e->value > 0.5)
        c->breaks_present += 1.0;
    else
        c->breaks_after += 1.0;
    return 0;
}

/* Beardsley (2008): mediated ceasefires break down at a higher daily
 * hazard once the mediator has left. A mediation that always succeeds
 * (b0 = 20) meets every day until day 150; the hazard is estimated as
 * breakdowns per ceasefire-day before and after, over 40 replications. */
static void test_breakdown_after_exit(void)
{
    const dr_scenario *sc = load_case("breakdown");
    CU_ASSERT_EQUAL_FATAL(sc->dyads[0].a, 0);
    CU_ASSERT_EQUAL_FATAL(sc->dyads[0].b, 1);
    cf_count c = {0};
    dr_observer obs = {.ctx = &c, .tick = cf_tick, .log = cf_log};
    for (uint32_t r = 0; r < 40; r++) {
        dr_world *w = dr_world_create(sc, 5, r);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w);
        dr_world_set_observer(w, &obs);
        CU_ASSERT_EQUAL(dr_world_run(w, NULL, NULL), 0);
        dr_world_destroy(w);
    }
    double h1 = c.breaks_present / c.days_present, h2 = c.breaks_after / c.days_after;
    printf("\n    hazard with mediator %.4f/day (%g in %g days), after it left %.4f/day "
           "(%g in %g days) ",
           h1, c.breaks_present, c.days_present, h2, c.breaks_after, c.days_after);
    CU_ASSERT(c.breaks_present >= 20 && c.breaks_after >= 20);
    /* The log-rate ratio is about normal with variance 1/n1 + 1/n2. */
    double z = log(h2 / h1) / sqrt(1.0 / c.breaks_present + 1.0 / c.breaks_after);
    CU_ASSERT(z > 1.96);
}

/* Phase 9: attacks on a power's project raise its involvement above what
 * it settles at without them, and alignment turns away from the state
 * that shelters the attackers. An adaptive mediator opens its mediation
 * once involvement reaches the threshold. */
static void test_powers(void)
{
    const char *ov_quiet[] = {"model.militants.enabled=false",
                              "model.clashes.enabled=false"};
    dr_scenario *busy = load(NULL, 0), *quiet = load(ov_quiet, 2);
    dr_world *wb = dr_world_create(busy, 1, 0), *wq = dr_world_create(quiet, 1, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wq);
    CU_ASSERT_EQUAL(dr_world_run(wb, NULL, NULL), 0);
    CU_ASSERT_EQUAL(dr_world_run(wq, NULL, NULL), 0);
    size_t P = dr_scenario_find_actor(busy, "P");
    size_t pa = dr_scenario_find_dyad(busy, P, 0), pb = dr_scenario_find_dyad(busy, P, 1);
    printf("\n    involvement busy %.3f quiet %.3f; alignment P->A %.3f P->B %.3f ",
           wb->actors[P].involvement, wq->actors[P].involvement, wb->dyads[pa].alignment,
           wb->dyads[pb].alignment);
    CU_ASSERT(wb->actors[P].involvement > wq->actors[P].involvement);
    CU_ASSERT(wq->actors[P].involvement < 0.5); /* no threat: it drifts down */
    CU_ASSERT(wb->dyads[pb].alignment < wb->dyads[pa].alignment);
    CU_ASSERT_DOUBLE_EQUAL(wq->dyads[pa].alignment, 0.3, 1e-12); /* no blame */
    dr_world_destroy(wb);
    dr_world_destroy(wq);
    dr_scenario_destroy(busy);
    dr_scenario_destroy(quiet);

    const char *ov_med[] = {"actors.[P].adaptive_mediator=true",
                            "actors.[P].involvement=0.9",
                            "model.powers.mediation_threshold=0.8"};
    dr_scenario *sc = load(ov_med, 3);
    CU_ASSERT_EQUAL_FATAL(sc->n_interventions, 1);
    CU_ASSERT_STRING_EQUAL(sc->interventions[0].id, "P_mediation");
    CU_ASSERT_EQUAL(sc->interventions[0].mediator, P);
    dr_world *w = dr_world_create(sc, 1, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(dr_world_step(w), 0);
    CU_ASSERT_EQUAL(w->iv_active[0], 1);
    CU_ASSERT_EQUAL(w->iv_rounds[0], 1);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_cleanup(void)
{
    dr_strategies_destroy(cases);
    cases = NULL;
}

static const dr_test_case dr_tests[] = {
    {"activity windows, costs and triggers", test_activity},
    {"interventions switched off = baseline", test_disabled_is_baseline},
    {"directions (paired, 50 replications)", test_directions},
    {"ceasefires break down faster after the mediator leaves", test_breakdown_after_exit},
    {"powers: involvement, alignment, adaptive mediation", test_powers},
    {"(release the loaded cases)", test_cleanup},
    {NULL, NULL},
};

DR_TEST_MAIN("interventions")
