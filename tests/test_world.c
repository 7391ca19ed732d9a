/*
 * test_world.c — the world, the tick loop and the phases of the foundation:
 * schedule (1), conflict intensity (6), relations (8), observe (10).
 *
 * Scenarios are built by hand here so that each test states exactly the
 * parameters its closed form needs; loader tests live in test_scenario.c.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dr_test.h"
#include "observer.h"
#include "phases.h"
#include "scenario.h"
#include "world.h"

/* A scenario of n_states states with every ordered pair a dyad, one
 * location per state and one crossing between the first two locations. */
static dr_scenario *make_scenario(size_t n_states, int64_t days)
{
    dr_scenario *sc = calloc(1, sizeof *sc);
    sc->meta.name = strdup("test");
    sc->meta.description = strdup("");
    strcpy(sc->meta.start_date, "2023-01-01");
    sc->meta.days = days;
    sc->meta.seed = 7;
    sc->meta.agent_scale = 1;
    sc->params.intensity = (dr_intensity_params){1, 30.0, 10.0};
    sc->params.relations =
        (dr_relations_params){.enabled = 1, .reactivity = 0.01, .restraint = 0.02};
    sc->n_actors = n_states;
    sc->actors = calloc(n_states, sizeof *sc->actors);
    sc->n_locations = n_states;
    sc->locations = calloc(n_states, sizeof *sc->locations);
    for (size_t i = 0; i < n_states; i++) {
        dr_actor *a = &sc->actors[i];
        snprintf(a->id, sizeof a->id, "S%zu", i);
        a->name = strdup(a->id);
        a->kind = DR_ACTOR_STATE;
        a->host = a->sanctuary = DR_NONE;
        dr_location *l = &sc->locations[i];
        snprintf(l->id, sizeof l->id, "L%zu", i);
        l->name = strdup(l->id);
        l->country = i;
        l->type = DR_LOC_DISTRICT;
    }
    sc->n_routes = n_states > 1 ? 1 : 0;
    sc->routes = calloc(1, sizeof *sc->routes);
    if (sc->n_routes) {
        strcpy(sc->routes[0].id, "x");
        sc->routes[0].from = 0;
        sc->routes[0].to = 1;
        sc->routes[0].distance_km = 1.0;
        sc->routes[0].kind = DR_ROUTE_CROSSING;
        sc->routes[0].pass_fraction = 0.5;
    }
    sc->n_dyads = n_states * (n_states - 1);
    sc->dyads = calloc(sc->n_dyads ? sc->n_dyads : 1, sizeof *sc->dyads);
    size_t d = 0;
    for (size_t a = 0; a < n_states; a++)
        for (size_t b = 0; b < n_states; b++) {
            if (a == b) continue;
            dr_dyad *y = &sc->dyads[d++];
            snprintf(y->id, sizeof y->id, "S%zu-S%zu", a, b);
            y->a = a;
            y->b = b;
            y->tension = 0.3;
            y->trust = 0.5;
            y->baseline_tension = 0.3;
            y->reactivity = 0.01;
            y->restraint = 0.02;
        }
    for (d = 0; d < sc->n_dyads; d++)
        for (size_t e = 0; e < sc->n_dyads; e++)
            if (sc->dyads[e].a == sc->dyads[d].b && sc->dyads[e].b == sc->dyads[d].a)
                sc->dyads[d].reverse = e;
    return sc;
}

static void add_events(dr_scenario *sc, size_t n)
{
    sc->events = calloc(n, sizeof *sc->events);
    sc->n_events = n;
    for (size_t i = 0; i < n; i++) {
        dr_event *e = &sc->events[i];
        e->note = strdup("");
        e->route = e->a = e->b = e->location = e->host = e->actor = e->country = DR_NONE;
        e->pass_fraction = NAN;
    }
}

static void run_days(dr_world *w, int64_t n)
{
    for (int64_t i = 0; i < n; i++) CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
}

/* Closed-form Richardson equilibrium T_ab* for the pair (ab, ba). */
static double richardson_eq(double a_ab, double a_ba, double k_ab, double k_ba,
                            double t0_ab, double t0_ba)
{
    return (a_ab * a_ba * t0_ab + k_ab * a_ba * t0_ba) / (a_ab * a_ba - k_ab * k_ba);
}

static void test_richardson_equilibrium(void)
{
    dr_scenario *sc = make_scenario(2, 4000);
    /* Asymmetric, stable: a_ab*a_ba = 0.0015 > k_ab*k_ba = 0.0006. */
    sc->dyads[0].restraint = 0.05;
    sc->dyads[0].reactivity = 0.03;
    sc->dyads[0].baseline_tension = 0.2;
    sc->dyads[0].tension = 0.9;
    sc->dyads[1].restraint = 0.03;
    sc->dyads[1].reactivity = 0.02;
    sc->dyads[1].baseline_tension = 0.1;
    sc->dyads[1].tension = 0.0;
    double e01 = richardson_eq(0.05, 0.03, 0.03, 0.02, 0.2, 0.1);
    double e10 = richardson_eq(0.03, 0.05, 0.02, 0.03, 0.1, 0.2);
    CU_ASSERT_TRUE(e01 > 0.0 && e01 < 1.0 && e10 > 0.0 && e10 < 1.0);
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 4000);
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[0].tension, e01, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[1].tension, e10, 1e-9);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_richardson_instability(void)
{
    /* a_ab*a_ba = 0.0004 < k_ab*k_ba = 0.0009: tension runs away from
     * equilibrium to the clamp at 1, from a start just below the (negative,
     * hence unreachable) fixed point's basin. */
    dr_scenario *sc = make_scenario(2, 3000);
    for (size_t d = 0; d < 2; d++) {
        sc->dyads[d].restraint = 0.02;
        sc->dyads[d].reactivity = 0.03;
        sc->dyads[d].baseline_tension = 0.1;
        sc->dyads[d].tension = 0.1;
    }
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 3000);
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[0].tension, 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[1].tension, 1.0, 1e-12);
    dr_world_destroy(w);

    /* On the stable side (a*a > k*k) the same start converges. */
    for (size_t d = 0; d < 2; d++) sc->dyads[d].reactivity = 0.015;
    w = dr_world_create(sc, 1, 0);
    run_days(w, 3000);
    double eq = richardson_eq(0.02, 0.02, 0.015, 0.015, 0.1, 0.1);
    CU_ASSERT_TRUE(eq < 1.0);
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[0].tension, eq, 1e-6);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_interdependence_restrains(void)
{
    /* Interdependence multiplies restraint: the equilibrium with E = 1 and
     * w_E = 1 equals the closed form with doubled a. */
    dr_scenario *sc = make_scenario(2, 4000);
    sc->params.relations.interdependence_restraint = 1.0;
    for (size_t d = 0; d < 2; d++) {
        sc->dyads[d].interdependence = 1.0;
        sc->dyads[d].restraint = 0.02;
        sc->dyads[d].reactivity = 0.015;
        sc->dyads[d].baseline_tension = 0.2;
    }
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 4000);
    double with_e = richardson_eq(0.04, 0.04, 0.015, 0.015, 0.2, 0.2);
    double without = richardson_eq(0.02, 0.02, 0.015, 0.015, 0.2, 0.2);
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[0].tension, with_e, 1e-9);
    CU_ASSERT_TRUE(with_e < without);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_relations_off(void)
{
    dr_scenario *sc = make_scenario(2, 10);
    sc->params.relations.enabled = 0;
    sc->dyads[0].tension = 0.8;
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 10);
    CU_ASSERT_EQUAL(w->dyads[0].tension, 0.8);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_trust_dynamics(void)
{
    /* Trust relaxes to its initial level; excess tension erodes it. */
    dr_scenario *sc = make_scenario(2, 500);
    sc->params.relations.enabled = 1;
    sc->params.relations.trust_relaxation = 0.05;
    for (size_t d = 0; d < 2; d++) {
        sc->dyads[d].reactivity = 0.0;
        sc->dyads[d].restraint = 0.0;
    }
    add_events(sc, 1);
    sc->events[0].type = DR_EVENT_SHOCK;
    sc->events[0].day = 0;
    sc->events[0].a = 0;
    sc->events[0].b = 1;
    sc->events[0].d_trust = -0.4;
    sc->events[0].symmetric = 1;
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 1);
    /* Shock then one day of relaxation: 0.1 + 0.05 * (0.5 - 0.1). */
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[0].trust, 0.12, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(w->coordination[0], 0.12, 1e-12);
    run_days(w, 499);
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[0].trust, 0.5, 1e-9);
    dr_world_destroy(w);

    /* A quiet dyad keeps its calibrated trust, whatever its tension. */
    for (size_t d = 0; d < 2; d++) sc->dyads[d].tension = 0.7; /* T0 = 0.3 */
    sc->n_events = 0;
    w = dr_world_create(sc, 1, 0);
    run_days(w, 500);
    CU_ASSERT_DOUBLE_EQUAL(w->dyads[0].tension, 0.7, 1e-12);
    CU_ASSERT_EQUAL(w->dyads[0].trust, 0.5);
    dr_world_destroy(w);
    sc->n_events = 1;
    dr_scenario_destroy(sc);
}

static void test_intensity_decay(void)
{
    dr_scenario *sc = make_scenario(2, 40);
    add_events(sc, 1);
    dr_event *e = &sc->events[0];
    e->type = DR_EVENT_SHOCK;
    e->day = 5;
    e->a = 0;
    e->b = 1;
    e->location = 1;
    e->fatalities = 12.0;
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 5);
    CU_ASSERT_EQUAL(w->intensity[1], 0.0);
    run_days(w, 1); /* day 5 */
    CU_ASSERT_DOUBLE_EQUAL(w->intensity[1], 12.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(w->danger[1], 1.0 - exp(-1.2), 1e-12);
    CU_ASSERT_EQUAL(w->deaths_today[1], 12.0);
    run_days(w, 30); /* day 35: 30 e-folding days later */
    CU_ASSERT_DOUBLE_EQUAL(w->intensity[1], 12.0 * exp(-1.0), 1e-9);
    CU_ASSERT_EQUAL(w->deaths_today[1], 0.0);
    CU_ASSERT_EQUAL(w->intensity[0], 0.0);
    CU_ASSERT_EQUAL(w->danger[0], 0.0);
    dr_world_destroy(w);

    /* Zero deaths everywhere: intensity and danger stay zero. */
    sc->n_events = 0;
    w = dr_world_create(sc, 1, 0);
    run_days(w, 40);
    for (size_t l = 0; l < w->n_locations; l++) CU_ASSERT_EQUAL(w->intensity[l], 0.0);
    dr_world_destroy(w);
    sc->n_events = 1;
    dr_scenario_destroy(sc);
}

static void test_schedule_events(void)
{
    dr_scenario *sc = make_scenario(3, 20);
    sc->forces = calloc(1, sizeof *sc->forces);
    sc->n_forces = 1;
    sc->forces[0] = (dr_force){.actor = 0, .location = 0, .personnel = 100.0};
    add_events(sc, 6);
    dr_event *e = sc->events;
    e[0].type = DR_EVENT_BORDER_REGULATION;
    e[0].day = 2;
    e[0].route = 0;
    e[0].status = DR_CROSSING_RESTRICTED;
    e[0].pass_fraction = 0.2;
    e[1].type = DR_EVENT_DEPLOYMENT;
    e[1].day = 3;
    e[1].actor = 0;
    e[1].location = 0;
    e[1].delta = -150.0; /* more than there is: floors at zero */
    e[2].type = DR_EVENT_DEPLOYMENT;
    e[2].day = 4;
    e[2].actor = 1;
    e[2].location = 0;
    e[2].delta = 40.0;
    e[3].type = DR_EVENT_SUMMIT;
    e[3].day = 5;
    e[3].parties = malloc(3 * sizeof(size_t));
    e[3].parties[0] = 0;
    e[3].parties[1] = 1;
    e[3].parties[2] = 2;
    e[3].n_parties = 3;
    e[3].d_tension = -0.1;
    e[3].d_trust = 0.1;
    e[4].type = DR_EVENT_WITHDRAWAL;
    e[4].day = 6;
    e[4].actor = 1;
    e[5].type = DR_EVENT_SET;
    e[5].day = 7;
    e[5].path = strdup("routes.[x].status");
    e[5].target = (dr_set_target){.table = DR_TARGET_ROUTE,
                                  .index = 0,
                                  .offset = offsetof(dr_route, status),
                                  .type = DR_VALUE_ENUM,
                                  .value = DR_CROSSING_CLOSED};
    sc->params.relations.enabled = 0;
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 2);
    CU_ASSERT_EQUAL(w->routes[0].status, DR_CROSSING_OPEN);
    run_days(w, 1); /* day 2 */
    CU_ASSERT_EQUAL(w->routes[0].status, DR_CROSSING_RESTRICTED);
    CU_ASSERT_EQUAL(w->routes[0].pass_fraction, 0.2);
    run_days(w, 1); /* day 3 */
    CU_ASSERT_EQUAL(w->force[0 * 3 + 0], 0.0);
    run_days(w, 1); /* day 4 */
    CU_ASSERT_EQUAL(w->force[1 * 3 + 0], 40.0);
    run_days(w, 1); /* day 5: summit over all six ordered pairs */
    for (size_t d = 0; d < w->n_dyads; d++) {
        CU_ASSERT_DOUBLE_EQUAL(w->dyads[d].tension, 0.2, 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(w->dyads[d].trust, 0.6, 1e-12);
    }
    run_days(w, 1); /* day 6 */
    CU_ASSERT_EQUAL(w->force[1 * 3 + 0], 0.0);
    CU_ASSERT_EQUAL(w->withdrawn[1], 1);
    run_days(w, 1); /* day 7 */
    CU_ASSERT_EQUAL(w->routes[0].status, DR_CROSSING_CLOSED);
    CU_ASSERT_EQUAL(w->next_event, 6);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_set_params(void)
{
    dr_scenario *sc = make_scenario(2, 10);
    add_events(sc, 2);
    sc->events[0].type = DR_EVENT_SET;
    sc->events[0].day = 1;
    sc->events[0].path = strdup("model.relations.enabled");
    sc->events[0].target = (dr_set_target){
        .table = DR_TARGET_PARAMS,
        .offset = offsetof(dr_params, relations) + offsetof(dr_relations_params, enabled),
        .type = DR_VALUE_BOOL,
        .value = 0.0};
    sc->events[1].type = DR_EVENT_SET;
    sc->events[1].day = 1;
    sc->events[1].path = strdup("locations.[L0].intensity");
    sc->events[1].target = (dr_set_target){.table = DR_TARGET_LOCATION,
                                           .index = 0,
                                           .offset = offsetof(dr_location, intensity),
                                           .type = DR_VALUE_DOUBLE,
                                           .value = 10.0};
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 2);
    CU_ASSERT_EQUAL(w->params.relations.enabled, 0);
    /* Set at the start of day 1, then decayed once by the intensity phase. */
    CU_ASSERT_DOUBLE_EQUAL(w->intensity[0], 10.0 * exp(-1.0 / 30.0), 1e-12);
    /* The scenario itself is untouched. */
    CU_ASSERT_EQUAL(sc->params.relations.enabled, 1);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

/* Run a noisy world with `threads` OpenMP threads; return its final
 * tension and trust (2 * n_dyads values, caller frees). */
static double *noisy_run(int threads, uint32_t replication)
{
    omp_set_num_threads(threads);
    dr_scenario *sc = make_scenario(12, 200);
    for (size_t d = 0; d < sc->n_dyads; d++) sc->dyads[d].volatility = 0.02;
    dr_world *w = dr_world_create(sc, 99, replication);
    CU_ASSERT_EQUAL(w->n_threads, threads);
    run_days(w, 200);
    double *out = malloc(2 * sc->n_dyads * sizeof *out);
    for (size_t d = 0; d < sc->n_dyads; d++) {
        out[2 * d] = w->dyads[d].tension;
        out[2 * d + 1] = w->dyads[d].trust;
    }
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
    return out;
}

static void test_threads_bitwise(void)
{
    size_t n = 2 * 12 * 11;
    double *one = noisy_run(1, 0);
    double *two = noisy_run(2, 0);
    double *four = noisy_run(4, 0);
    double *other = noisy_run(2, 1);
    CU_ASSERT_EQUAL(memcmp(one, two, n * sizeof *one), 0);
    CU_ASSERT_EQUAL(memcmp(one, four, n * sizeof *one), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(one, other, n * sizeof *one), 0);
    free(one);
    free(two);
    free(four);
    free(other);
    omp_set_num_threads(1);
}

/* An observer that counts calls, for the tick loop's contract. */
typedef struct counts {
    int begin, ticks, logs, end, end_status;
    int64_t last_day;
    int fail_on_day;
} counts;
static int c_begin(void *c, const dr_world *w)
{
    (void)w;
    ((counts *)c)->begin++;
    return 0;
}
static int c_tick(void *c, const dr_world *w, int64_t day)
{
    (void)w;
    counts *k = c;
    k->ticks++;
    k->last_day = day;
    return day == k->fail_on_day ? 5 : 0;
}
static int c_log(void *c, const dr_world *w, const dr_log_entry *e)
{
    (void)w;
    (void)e;
    ((counts *)c)->logs++;
    return 0;
}
static int c_end(void *c, const dr_world *w, int status)
{
    (void)w;
    ((counts *)c)->end++;
    ((counts *)c)->end_status = status;
    return status;
}

static void test_run_loop_and_observer(void)
{
    dr_scenario *sc = make_scenario(2, 15);
    add_events(sc, 1);
    sc->events[0].type = DR_EVENT_SHOCK;
    sc->events[0].day = 3;
    sc->events[0].a = 0;
    sc->events[0].b = 1;
    counts k = {.fail_on_day = -1};
    dr_observer obs = {&k, c_begin, c_tick, c_log, c_end};
    dr_world *w = dr_world_create(sc, 1, 0);
    dr_world_set_observer(w, &obs);
    CU_ASSERT_EQUAL(dr_world_run(w, NULL, NULL), 0);
    CU_ASSERT_EQUAL(k.begin, 1);
    CU_ASSERT_EQUAL(k.ticks, 15);
    CU_ASSERT_EQUAL(k.last_day, 14);
    CU_ASSERT_EQUAL(k.logs, 1);
    CU_ASSERT_EQUAL(k.end, 1);
    CU_ASSERT_EQUAL(k.end_status, 0);
    dr_world_destroy(w);

    /* An observer failure stops the run and reaches end() as its status. */
    k = (counts){.fail_on_day = 4};
    w = dr_world_create(sc, 1, 0);
    dr_world_set_observer(w, &obs);
    CU_ASSERT_EQUAL(dr_world_run(w, NULL, NULL), 5);
    CU_ASSERT_EQUAL(k.ticks, 5);
    CU_ASSERT_EQUAL(k.end_status, 5);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_phase_list(void)
{
    const char *expect[] = {"schedule",  "interventions", "postures",  "clashes",
                            "militants", "intensity",     "civilians", "relations",
                            "powers",    "observe"};
    CU_ASSERT_EQUAL_FATAL(dr_n_phases, sizeof expect / sizeof expect[0]);
    for (size_t i = 0; i < dr_n_phases; i++) {
        CU_ASSERT_STRING_EQUAL(dr_phases[i].name, expect[i]);
        CU_ASSERT_PTR_NOT_NULL(dr_phases[i].run);
    }
}

static void test_quiet_scenario_stays(void)
{
    /* Derived baselines make day-0 tensions the fixed point: with no noise
     * and no events a loaded scenario does not drift (stable dyads), and a
     * one-sided dyad keeps its tension too. */
    dr_scenario *sc =
        dr_scenario_load(DR_SRC("scenarios/test/quiet.cfg"), NULL, 0, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    dr_world *w = dr_world_create(sc, 1, 0);
    run_days(w, 1000);
    for (size_t d = 0; d < w->n_dyads; d++)
        CU_ASSERT_DOUBLE_EQUAL(w->dyads[d].tension, sc->dyads[d].tension, 1e-12);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

/* Copy the state of world `from` into `to` (created from `sc_to`, a
 * scenario loaded from the same file) through the checkpoint interface, as
 * a checkpoint write and read would: counts, then blocks, with base tables
 * merged. */
static void copy_state(dr_world *from, dr_world *to)
{
    dr_state_counts cn;
    dr_world_state_counts(from, &cn);
    CU_ASSERT_EQUAL_FATAL(dr_world_state_prepare(to, &cn), 0);
    dr_state_block a[DR_STATE_MAX_BLOCKS], b[DR_STATE_MAX_BLOCKS];
    size_t na = dr_world_state_blocks(from, a), nb = dr_world_state_blocks(to, b);
    CU_ASSERT_EQUAL_FATAL(na, nb);
    for (size_t k = 0; k < na; k++) {
        CU_ASSERT_STRING_EQUAL_FATAL(a[k].name, b[k].name);
        CU_ASSERT_EQUAL_FATAL(a[k].count, b[k].count);
        size_t bytes = a[k].count * a[k].elem_size;
        if (a[k].base)
            dr_world_state_merge(b[k].data, a[k].data, a[k].base, b[k].base, bytes);
        else if (bytes)
            memcpy(b[k].data, a[k].data, bytes);
    }
    CU_ASSERT_EQUAL_FATAL(dr_world_state_finish(to), 0);
}

/* Every state block of x equals y's, byte for byte (tables with pointers
 * into their scenarios compared where both scenarios agree). */
static int same_state(dr_world *x, dr_world *y)
{
    dr_state_block a[DR_STATE_MAX_BLOCKS], b[DR_STATE_MAX_BLOCKS];
    size_t n = dr_world_state_blocks(x, a);
    if (n != dr_world_state_blocks(y, b)) return 0;
    for (size_t k = 0; k < n; k++) {
        size_t bytes = a[k].count * a[k].elem_size;
        if (a[k].count != b[k].count) return 0;
        if (!a[k].base) {
            if (bytes && memcmp(a[k].data, b[k].data, bytes)) return 0;
            continue;
        }
        /* Where the two scenarios differ (pointers), each world must hold
         * its own scenario's byte; elsewhere the worlds agree. */
        const unsigned char *da = a[k].data, *db = b[k].data, *ba = a[k].base,
                            *bb = b[k].base;
        for (size_t i = 0; i < bytes; i++)
            if (ba[i] == bb[i] ? da[i] != db[i] : (da[i] != ba[i] || db[i] != bb[i]))
                return 0;
    }
    dr_state_counts ca, cb;
    dr_world_state_counts(x, &ca);
    dr_world_state_counts(y, &cb);
    return !memcmp(&ca, &cb, sizeof ca);
}

static void test_state_round_trip(void)
{
    /* The flagship with agents, violence and events, shortened; the copy
     * goes to a world of a second load of the file (other pointers). */
    const char *ov[] = {"scenario.days=60", "scenario.agent_scale=2000"};
    dr_scenario *sc = dr_scenario_load(DR_SRC("scenarios/pak_afg.cfg"), ov, 2, stderr);
    dr_scenario *sc2 = dr_scenario_load(DR_SRC("scenarios/pak_afg.cfg"), ov, 2, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc2);
    dr_world *w = dr_world_create(sc, 11, 2);
    dr_world *r = dr_world_create(sc2, 11, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT(w->agents.n > 0);
    run_days(w, 10);
    /* A driver's spawn adds agents with a new origin (restored in order). */
    CU_ASSERT_EQUAL(dr_world_spawn(w, 1, 2, DR_AGENT_IDP, DR_DOC_POR, 50), 0);
    run_days(w, 15);
    copy_state(w, r);
    CU_ASSERT_EQUAL(r->day, 24);
    CU_ASSERT(same_state(w, r));
    /* Pointers into the scenario are the new scenario's. */
    CU_ASSERT_PTR_EQUAL(r->actors[0].name, sc2->actors[0].name);
    CU_ASSERT_PTR_EQUAL(r->locations[0].name, sc2->locations[0].name);
    /* Both go on identically to the end. */
    run_days(w, 35);
    run_days(r, 35);
    CU_ASSERT(same_state(w, r));
    dr_world_destroy(r);

    /* Counts that cannot belong to this world are refused. */
    dr_state_counts cn;
    dr_world_state_counts(w, &cn);
    r = dr_world_create(sc2, 11, 2);
    dr_state_counts bad = cn;
    bad.day = sc->meta.days;
    CU_ASSERT_EQUAL(dr_world_state_prepare(r, &bad), -1);
    bad = cn;
    bad.n_initial++;
    CU_ASSERT_EQUAL(dr_world_state_prepare(r, &bad), -1);
    bad = cn;
    bad.next_event = (int64_t)sc->n_events + 1;
    CU_ASSERT_EQUAL(dr_world_state_prepare(r, &bad), -1);
    /* A state with an agent outside the map is refused by finish. */
    CU_ASSERT_EQUAL_FATAL(dr_world_state_prepare(r, &cn), 0);
    r->agents.location[0] = (uint32_t)r->n_locations;
    CU_ASSERT_EQUAL(dr_world_state_finish(r), -1);
    dr_world_destroy(r);
    dr_world_destroy(w);
    dr_scenario_destroy(sc2);
    dr_scenario_destroy(sc);
}

/* The same with interventions running (scenarios/test/interventions.cfg:
 * one of each family; its mediation agrees ceasefires): a copy taken
 * while a ceasefire holds goes on exactly as the original. */
static void test_state_round_trip_interventions(void)
{
    dr_scenario *sc =
        dr_scenario_load(DR_SRC("scenarios/test/interventions.cfg"), NULL, 0, stderr);
    dr_scenario *sc2 =
        dr_scenario_load(DR_SRC("scenarios/test/interventions.cfg"), NULL, 0, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc2);
    CU_ASSERT_FATAL(sc->n_interventions >= 4);
    dr_world *w = dr_world_create(sc, 3, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    /* Run until a ceasefire holds (or the run is nearly over). */
    int64_t held = 0;
    while (w->day + 20 < sc->meta.days) {
        run_days(w, 1);
        for (size_t d = 0; d < w->n_dyads; d++) held |= w->ceasefire_left[d] > 0;
        if (held && w->day > 40) break;
    }
    CU_ASSERT(held);
    dr_world *r = dr_world_create(sc2, 3, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    copy_state(w, r);
    CU_ASSERT(same_state(w, r));
    int64_t left = sc->meta.days - 1 - w->day;
    run_days(w, left);
    run_days(r, left);
    CU_ASSERT(same_state(w, r));
    dr_world_destroy(r);
    dr_world_destroy(w);
    dr_scenario_destroy(sc2);
    dr_scenario_destroy(sc);
}

static const dr_test_case dr_tests[] = {
    {"Richardson equilibrium (closed form)", test_richardson_equilibrium},
    {"Richardson instability when a_ab*a_ba < k_ab*k_ba", test_richardson_instability},
    {"interdependence raises restraint", test_interdependence_restrains},
    {"relations switched off", test_relations_off},
    {"trust relaxation", test_trust_dynamics},
    {"conflict intensity decay and danger", test_intensity_decay},
    {"scheduled events", test_schedule_events},
    {"set events on parameters and state", test_set_params},
    {"bitwise identical for 1, 2, 4 threads", test_threads_bitwise},
    {"tick loop and observer contract", test_run_loop_and_observer},
    {"phase list order", test_phase_list},
    {"quiet scenario stays at its calibration", test_quiet_scenario_stays},
    {"state round trip (checkpoint blocks)", test_state_round_trip},
    {"state round trip with interventions", test_state_round_trip_interventions},
    {NULL, NULL},
};

DR_TEST_MAIN("world")
