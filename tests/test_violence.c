/*
 * test_violence.c — phases 3 (postures), 4 (clashes) and 5 (militant
 * operations and strikes) in whole runs: limit cases, the direction of the
 * coordination effect, conservation of the accounting, determinism across
 * threads. Closed forms of the building blocks (Lanchester, Hawkes) are in
 * test_lanchester.c and test_hawkes.c.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "dr_test.h"
#include "observer.h"
#include "scenario.h"
#include "world.h"

/* Totals of a run, accumulated day by day. */
typedef struct totals {
    double fatalities;      /* personnel of all actors */
    double civilians;
    double deaths;          /* all deaths at locations */
    double shock_deaths;    /* scheduled fatalities */
    long clashes, attacks, strikes;
    long border_clashes;    /* clashes at locations at the end of a crossing */
    double fighters_end;
} totals;

static dr_scenario *load(const char *rel, const char *const *ov, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", DR_SOURCE_DIR, rel);
    dr_scenario *sc = dr_scenario_load(path, ov, n, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    return sc;
}

static int is_border(const dr_world *w, size_t l)
{
    for (size_t r = 0; r < w->n_routes; r++)
        if (w->routes[r].kind != DR_ROUTE_ROAD &&
            (w->routes[r].from == l || w->routes[r].to == l))
            return 1;
    return 0;
}

static totals run(const dr_scenario *sc, uint32_t rep)
{
    totals t = {0};
    dr_world *w = dr_world_create(sc, (uint64_t)sc->meta.seed, rep);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    for (int64_t d = 0; d < sc->meta.days; d++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        double day_mil = 0.0, day_civ = 0.0, day_all = 0.0;
        for (size_t a = 0; a < w->n_actors; a++) day_mil += w->fatalities[a];
        for (size_t l = 0; l < w->n_locations; l++) {
            day_civ += w->civilian_deaths[l];
            day_all += w->deaths_today[l];
            t.clashes += w->clashes_today[l];
            t.attacks += w->attacks_today[l];
            t.strikes += w->strikes_today[l];
            if (is_border(w, l)) t.border_clashes += w->clashes_today[l];
        }
        double shock = 0.0;
        for (size_t e = 0; e < sc->n_events; e++)
            if (sc->events[e].day == d && sc->events[e].type == DR_EVENT_SHOCK)
                shock += sc->events[e].fatalities;
        /* Accounting: every death at a location is a fatality of an actor,
         * a civilian, or a scheduled fatality. */
        CU_ASSERT_DOUBLE_EQUAL(day_all, day_mil + day_civ + shock, 1e-6);
        t.fatalities += day_mil;
        t.civilians += day_civ;
        t.deaths += day_all;
        t.shock_deaths += shock;
    }
    for (size_t a = 0; a < w->n_actors; a++)
        if (w->actors[a].kind == DR_ACTOR_MILITANT)
            for (size_t l = 0; l < w->n_locations; l++)
                t.fighters_end += w->force[a * w->n_locations + l];
    dr_world_destroy(w);
    return t;
}

static void test_violence_happens(void)
{
    /* The test scenario is violent by design: all three mechanisms act. */
    dr_scenario *sc = load("scenarios/test/violence.cfg", NULL, 0);
    totals t = run(sc, 0);
    printf("\n    violence.cfg: %ld clashes, %ld attacks, %ld strikes, %.0f fatalities, "
           "%.0f civilians\n",
           t.clashes, t.attacks, t.strikes, t.fatalities, t.civilians);
    CU_ASSERT_TRUE(t.clashes > 0);
    CU_ASSERT_TRUE(t.attacks > 0);
    CU_ASSERT_TRUE(t.fatalities > 0.0);
    CU_ASSERT_TRUE(t.civilians > 0.0);
    dr_scenario_destroy(sc);
}

static void test_zero_lethality(void)
{
    const char *ov[] = {
        "actors.[A].lethality=0",          "actors.[B].lethality=0",
        "actors.[G].lethality=0",          "model.militants.deaths_security=0",
        "model.militants.deaths_civilians=0", "model.militants.deaths_projects=0",
        "model.militants.fighter_losses=0", "model.militants.counterinsurgency=0",
        "model.strikes.fighters_killed=0", "model.strikes.civilians_killed=0",
    };
    dr_scenario *sc = load("scenarios/test/violence.cfg", ov, sizeof ov / sizeof *ov);
    totals t = run(sc, 0);
    CU_ASSERT_TRUE(t.clashes > 0); /* the fighting still happens ... */
    CU_ASSERT_TRUE(t.attacks > 0);
    CU_ASSERT_EQUAL(t.fatalities, 0.0); /* ... and kills nobody */
    CU_ASSERT_EQUAL(t.civilians, 0.0);
    CU_ASSERT_EQUAL(t.deaths, 0.0);
    dr_scenario_destroy(sc);
}

static void test_no_militants_no_attacks(void)
{
    dr_scenario *sc = load("scenarios/test/violence_states.cfg", NULL, 0);
    totals t = run(sc, 0);
    CU_ASSERT_EQUAL(t.attacks, 0);
    CU_ASSERT_EQUAL(t.strikes, 0);
    CU_ASSERT_TRUE(t.clashes > 0); /* the states still clash */
    dr_scenario_destroy(sc);
}

static void test_withdrawn_from_border_no_clashes(void)
{
    /* Every armed actor's forces at border locations are taken away: the
     * remaining forces (state forces in interior cities) face nobody. */
    dr_scenario *sc = load("scenarios/test/violence.cfg", NULL, 0);
    dr_world *probe = dr_world_create(sc, 1, 0);
    for (size_t f = 0; f < sc->n_forces; f++)
        if (is_border(probe, sc->forces[f].location)) sc->forces[f].personnel = 0.0;
    dr_world_destroy(probe);
    totals t = run(sc, 0);
    CU_ASSERT_EQUAL(t.clashes, 0);
    CU_ASSERT_EQUAL(t.border_clashes, 0);
    CU_ASSERT_EQUAL(t.attacks, 0); /* the group had fighters only there */
    dr_scenario_destroy(sc);
}

static void test_mechanisms_switch_off(void)
{
    const char *ov[] = {"model.clashes.enabled=false", "model.militants.enabled=false",
                        "model.strikes.enabled=false"};
    dr_scenario *sc = load("scenarios/test/violence.cfg", ov, 3);
    totals t = run(sc, 0);
    CU_ASSERT_EQUAL(t.clashes + t.attacks + t.strikes, 0);
    CU_ASSERT_EQUAL(t.deaths, 0.0);
    dr_scenario_destroy(sc);
}

/* Paired comparison over replications with the same streams: lowering
 * the A-B (host-sanctuary) trust lowers coordination, which must raise
 * militant attacks and clash deaths. The 95% interval of the mean paired
 * difference (normal approximation, n = 60) must exclude 0. */
static void test_lower_trust_more_violence(void)
{
    const char *low[] = {"dyads.[A-B].trust=0.05"};
    dr_scenario *base = load("scenarios/test/violence.cfg", NULL, 0);
    dr_scenario *dist = load("scenarios/test/violence.cfg", low, 1);
    const int n = 60;
    double sum_a = 0, sum_a2 = 0, sum_d = 0, sum_d2 = 0;
    for (int r = 0; r < n; r++) {
        totals tb = run(base, (uint32_t)r), td = run(dist, (uint32_t)r);
        double da = (double)(td.attacks - tb.attacks);
        double dd = (td.fatalities + td.civilians) - (tb.fatalities + tb.civilians);
        sum_a += da;
        sum_a2 += da * da;
        sum_d += dd;
        sum_d2 += dd * dd;
    }
    double ma = sum_a / n, sa = sqrt((sum_a2 - n * ma * ma) / (n - 1));
    double md = sum_d / n, sd = sqrt((sum_d2 - n * md * md) / (n - 1));
    double ha = 1.96 * sa / sqrt(n), hd = 1.96 * sd / sqrt(n);
    printf("\n    lower trust: attacks %+.1f [%+.1f, %+.1f], deaths %+.1f [%+.1f, %+.1f]\n",
           ma, ma - ha, ma + ha, md, md - hd, md + hd);
    CU_ASSERT_TRUE(ma - ha > 0.0);
    CU_ASSERT_TRUE(md - hd > 0.0);
    dr_scenario_destroy(dist);
    dr_scenario_destroy(base);
}

/* An observer that sums the deaths of clash log rows (and retaliations,
 * which are clashes too) and counts attack rows' attacks via the world. */
typedef struct clash_sum {
    double clash_deaths;
    long attacks;
} clash_sum;

static int sum_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    (void)w;
    clash_sum *c = ctx;
    if (e->kind == DR_LOG_CLASH || e->kind == DR_LOG_RETALIATION) c->clash_deaths += e->value;
    return 0;
}

static int sum_tick(void *ctx, const dr_world *w, int64_t day)
{
    (void)day;
    clash_sum *c = ctx;
    for (size_t l = 0; l < w->n_locations; l++) c->attacks += w->attacks_today[l];
    return 0;
}

static clash_sum flagship_run(const dr_scenario *sc, uint32_t rep)
{
    clash_sum c = {0};
    dr_observer obs = {.ctx = &c, .tick = sum_tick, .log = sum_log};
    dr_world *w = dr_world_create(sc, (uint64_t)sc->meta.seed, rep);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    dr_world_set_observer(w, &obs);
    CU_ASSERT_EQUAL(dr_world_run(w, NULL, NULL), 0);
    dr_world_destroy(w);
    return c;
}

/* The acceptance check on the flagship: lowering Pakistan-Taliban trust
 * (both directions) raises expected militant attacks and clash deaths,
 * paired over 50 replications with the same streams; the 95% interval of
 * the mean paired difference excludes 0. One year keeps it quick. */
static void test_flagship_trust_direction(void)
{
    /* Civilians (phase 7) feed back on violence only through mobilised
     * recruitment, off at the default recruitment_weight 0: switching the
     * phase off leaves these runs unchanged and keeps the 100 runs quick. */
    /* A coarse agent_scale keeps the (unused) agent arrays tiny, which
     * matters in the sanitizer build's debug checks. */
    const char *base_ov[] = {"scenario.days=365", "model.civilians.enabled=false",
                             "scenario.agent_scale=1000000"};
    const char *low_ov[] = {"scenario.days=365", "model.civilians.enabled=false",
                            "scenario.agent_scale=1000000", "dyads.[PAK-AFG].trust=0.05",
                            "dyads.[AFG-PAK].trust=0.05"};
    dr_scenario *base = load("scenarios/pak_afg.cfg", base_ov, 3);
    dr_scenario *low = load("scenarios/pak_afg.cfg", low_ov, 5);
    const int n = 50;
    double sa = 0, sa2 = 0, sd = 0, sd2 = 0;
    for (int r = 0; r < n; r++) {
        clash_sum b = flagship_run(base, (uint32_t)r), l = flagship_run(low, (uint32_t)r);
        double da = (double)(l.attacks - b.attacks), dd = l.clash_deaths - b.clash_deaths;
        sa += da;
        sa2 += da * da;
        sd += dd;
        sd2 += dd * dd;
    }
    double ma = sa / n, ha = 1.96 * sqrt((sa2 - n * ma * ma) / (n - 1)) / sqrt(n);
    double md = sd / n, hd = 1.96 * sqrt((sd2 - n * md * md) / (n - 1)) / sqrt(n);
    printf("\n    flagship, PAK-AFG trust 0.05: attacks %+.1f [%+.1f, %+.1f], "
           "clash deaths %+.1f [%+.1f, %+.1f]\n",
           ma, ma - ha, ma + ha, md, md - hd, md + hd);
    CU_ASSERT_TRUE(ma - ha > 0.0);
    CU_ASSERT_TRUE(md - hd > 0.0);
    dr_scenario_destroy(low);
    dr_scenario_destroy(base);
}

static void test_threads_identical(void)
{
    dr_scenario *sc = load("scenarios/test/violence.cfg", NULL, 0);
    omp_set_num_threads(1);
    totals one = run(sc, 3);
    omp_set_num_threads(2);
    totals two = run(sc, 3);
    CU_ASSERT_EQUAL(memcmp(&one, &two, sizeof one), 0);
    dr_scenario_destroy(sc);
}

static void test_strike_ladder(void)
{
    /* Force A into strike posture toward G (thresholds at 0): strikes on
     * G's fighters in B follow, and B retaliates with clashes. */
    const char *ov[] = {"model.postures.threshold_hold=0", "model.postures.threshold_pressure=0",
                        "model.postures.threshold_strike=0", "model.strikes.rate=1.0",
                        "model.strikes.retaliation_probability=1.0"};
    dr_scenario *sc = load("scenarios/test/violence.cfg", ov, 5);
    totals t = run(sc, 0);
    CU_ASSERT_TRUE(t.strikes > 0);
    dr_scenario_destroy(sc);

    /* With strikes off there are none. */
    const char *off[] = {"model.postures.threshold_hold=0", "model.postures.threshold_pressure=0",
                         "model.postures.threshold_strike=0", "model.strikes.enabled=false"};
    sc = load("scenarios/test/violence.cfg", off, 4);
    t = run(sc, 0);
    CU_ASSERT_EQUAL(t.strikes, 0);
    dr_scenario_destroy(sc);
}

static const dr_test_case dr_tests[] = {
    {"violence happens in the test scenario", test_violence_happens},
    {"lethality 0 => zero deaths", test_zero_lethality},
    {"no militant actors => no attacks", test_no_militants_no_attacks},
    {"forces withdrawn from the border => no clashes", test_withdrawn_from_border_no_clashes},
    {"mechanisms switch off", test_mechanisms_switch_off},
    {"lower host-sanctuary trust => more attacks and deaths", test_lower_trust_more_violence},
    {"identical for 1 and 2 threads", test_threads_identical},
    {"flagship: lower Pakistan-Taliban trust => more attacks, clash deaths",
     test_flagship_trust_direction},
    {"strike posture => strikes", test_strike_ladder},
    {NULL, NULL},
};

DR_TEST_MAIN("violence")
