/*
 * test_flee.c — the FLEE reader, FLEE's error metric and the FLEE driver:
 * FLEE's three reference cases parsed (counts as in
 * ../shared/data/flee/README.md), simsetting.yml defaults, data
 * interpolation and truncation, hasten, the spawning plan with its debt,
 * ARD known answers computed by hand, the driver's spawning, and malformed
 * inputs reported as FILE:LINE: field = value.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dr_test.h"
#include "flee.h"
#include "world.h"

#define FLEE_DATA DR_SOURCE_DIR "/../shared/data/flee"

/* ---- helpers ------------------------------------------------------------- */

/* A scratch case directory: files given as (relative path, contents). */
typedef struct tcase {
    char dir[256];
} tcase;

static void put(const tcase *t, const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", t->dir, rel);
    /* Make the parent directory. */
    char d[512];
    snprintf(d, sizeof d, "%s", p);
    char *slash = strrchr(d, '/');
    if (slash) {
        *slash = '\0';
        mkdir(d, 0700);
    }
    FILE *f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* A small valid case: two conflict zones in AA, a town, two camps in BB. */
static void make_case(tcase *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/dr_test_flee_XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(t->dir));
    put(t, "input_csv/locations.csv",
        "#name,region,country,lat,lon,location_type,conflict_date,population\n"
        "X,R,AA,1.0,1.0,conflict_zone,0,1000\n"
        "Y,R,AA,1.0,2.0,conflict_zone,2,3000\n"
        "T,R,AA,1.0,3.0,town,,500\n"
        "C1,R,BB,2.0,1.0,camp,,100\n"
        "C2,R,BB,2.0,2.0,camp,,\n");
    put(t, "input_csv/routes.csv",
        "#name1,name2,distance,forced_redirection\n"
        "X,T,100,0\n"
        "Y,T,50,\n"
        "T,C1,80,0\n"
        "T,C2,120,0\n");
    put(t, "input_csv/conflicts.csv",
        "#Day,X,Y\n0,1,0\n1,1,0\n2,1,2\n3,1,2\n4,0,2\n5,0,2\n6,0,2\n7,0,2\n");
    put(t, "input_csv/closures.csv",
        "#closure_type,name1,name2,closure_start,closure_end\n"
        "country,AA,BB,1,3\n");
    put(t, "input_csv/sim_period.csv", "StartDate,2020-01-01\nLength,8\n");
    put(t, "source_data/data_layout.csv", "total,refugees.csv\nC1,c1.csv\nC2,c2.csv\n");
    put(t, "source_data/refugees.csv",
        "Date,Refugee_numbers\n2020-01-01,10\n2020-01-08,60\n");
    /* C1: 10 on days 0-2, 4 on day 3, back to 10 on day 5, 20 on day 7. */
    put(t, "source_data/c1.csv",
        "#DateTime,count\n2020-01-01,10\n2020-01-03,10\n2020-01-04,4\n2020-01-06,10\n"
        "2020-01-08,20\n");
    /* C2: 0 until day 2, then linear to 30 on day 5. */
    put(t, "source_data/c2.csv", ",\n2019-12-01,0\n2020-01-03,0\n2020-01-06,30\n");
    put(t, "simsetting.yml",
        "log_levels:\n  agent: 0\nspawn_rules:\n  conflict_spawn_decay: [1.0, 0.5]\n"
        "  conflict_spawn_decay_interval: 2\nmove_rules:\n  camp_weight: 2.0 # comment\n"
        "  awareness_level: 2\noptimisations:\n  hasten: 1\n");
}

static void remove_case(const tcase *t)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

/* Load t's case and return what went to the error stream (malloc'd). */
static dr_flee_case *load_capture(const tcase *t, char **msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    dr_flee_case *fc = dr_flee_load(t->dir, err);
    fclose(err);
    *msg = buf;
    return fc;
}

/* FLEE's reference cases live outside the repository
 * (../shared/data/flee); their tests are skipped, with a note, without it. */
static int have_flee_data(void)
{
    if (access(FLEE_DATA "/mali2012/input_csv/locations.csv", R_OK) == 0) return 1;
    fprintf(stderr, "\n  %s not found: skipped\n", FLEE_DATA);
    return 0;
}

static int64_t total_agents(const dr_flee_case *fc)
{
    int64_t n = 0;
    for (size_t c = 0; c < fc->n_camps; c++) n += fc->day0[c];
    for (int64_t t = 0; t < fc->days; t++) n += fc->new_agents[t];
    return n;
}

/* ---- FLEE's reference cases --------------------------------------------- */

static void test_case_test_input_csv(void)
{
    if (!have_flee_data()) return;
    dr_flee_case *fc = dr_flee_load(FLEE_DATA "/test_input_csv", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    const dr_scenario *sc = fc->scenario;
    CU_ASSERT_EQUAL(sc->n_locations, 7); /* A, B, C, C2, D, E, F */
    CU_ASSERT_EQUAL(sc->n_routes, 9);
    CU_ASSERT_EQUAL(fc->n_camps, 3);
    CU_ASSERT_EQUAL(fc->days, 10);
    CU_ASSERT_EQUAL(fc->settings.hasten, 5);
    CU_ASSERT_EQUAL(sc->meta.agent_scale, 5);
    CU_ASSERT_STRING_EQUAL(sc->meta.start_date, "2020-01-01");
    CU_ASSERT_EQUAL(sc->n_actors, 2);
    CU_ASSERT_STRING_EQUAL(sc->actors[0].id, "ABC"); /* first row: home */
    /* Data end in 2010: constant at the last value, divided by hasten. */
    CU_ASSERT_EQUAL(fc->day0[0], 600);
    CU_ASSERT_EQUAL(fc->day0[1], 400);
    CU_ASSERT_EQUAL(fc->day0[2], 200);
    CU_ASSERT_EQUAL(total_agents(fc), 1200);
    /* Routes C-D etc. join ABC and DEF: crossings. */
    size_t cd = dr_scenario_find_route(sc, "C-D");
    CU_ASSERT_NOT_EQUAL_FATAL(cd, DR_NONE);
    CU_ASSERT_EQUAL(sc->routes[cd].kind, DR_ROUTE_CROSSING);
    CU_ASSERT_EQUAL(sc->routes[dr_scenario_find_route(sc, "A-B")].kind, DR_ROUTE_ROAD);
    CU_ASSERT_EQUAL(fc->n_closures, 1);
    CU_ASSERT_EQUAL(fc->closures[0].type, DR_FLEE_CLOSE_COUNTRY);
    CU_ASSERT_EQUAL(fc->n_changes, 2); /* location_changes.csv */
    /* B: conflict_zone with conflict_date 10, but conflicts.csv starts it
     * on day 0. */
    size_t b = dr_scenario_find_location(sc, "B");
    CU_ASSERT_DOUBLE_EQUAL(fc->conflict[0 * fc->n_locations + b], 1.0, 0);
    CU_ASSERT_EQUAL(fc->onset[3 * fc->n_locations + b], 0);
    /* Populations: persons in the scenario, agents in the case. */
    CU_ASSERT_EQUAL(sc->locations[b].population, 1000000000);
    CU_ASSERT_EQUAL(fc->pop[b], 200000000);
    CU_ASSERT(fc->n_notes >= 4); /* agents.csv, major_routes.csv, ... */
    dr_flee_case_destroy(fc);
}

static void test_case_mali2012(void)
{
    if (!have_flee_data()) return;
    dr_flee_case *fc = dr_flee_load(FLEE_DATA "/mali2012", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    CU_ASSERT_EQUAL(fc->scenario->n_locations, 23);
    CU_ASSERT_EQUAL(fc->scenario->n_routes, 35);
    CU_ASSERT_EQUAL(fc->n_camps, 7);
    CU_ASSERT_EQUAL(fc->days, 300);
    CU_ASSERT_EQUAL(fc->settings.hasten, 10);
    CU_ASSERT_DOUBLE_EQUAL(fc->settings.camp_weight, 5.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(fc->settings.capacity_buffer, 0.75, 0);
    CU_ASSERT_DOUBLE_EQUAL(fc->settings.max_move_speed, 200.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(fc->settings.conflict_weight, 0.25, 0);
    CU_ASSERT_EQUAL_FATAL(fc->settings.n_conflict_spawn_decay, 5);
    CU_ASSERT_DOUBLE_EQUAL(fc->settings.conflict_spawn_decay[3], 0.5, 0);
    CU_ASSERT_EQUAL(fc->settings.conflict_spawn_decay_interval, 30);
    /* Camps in locations.csv order. */
    CU_ASSERT_STRING_EQUAL(fc->scenario->locations[fc->camp_location[0]].name,
                           "Fassala-Mbera");
    CU_ASSERT_STRING_EQUAL(fc->scenario->locations[fc->camp_location[0]].id,
                           "Fassala_Mbera");
    /* Two country closures with Mali. */
    CU_ASSERT_EQUAL(fc->n_closures, 2);
    dr_flee_case_destroy(fc);
    /* At hasten 1 FLEE spawns 89,991 agents (README). */
    fc = dr_flee_load_hasten(FLEE_DATA "/mali2012", 1, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    CU_ASSERT_EQUAL(fc->settings.hasten, 1);
    CU_ASSERT_EQUAL(total_agents(fc), 89991);
    CU_ASSERT_EQUAL(fc->scenario->params.civilians.reserve_agents, 89991);
    dr_flee_case_destroy(fc);
}

static void test_case_burundi(void)
{
    if (!have_flee_data()) return;
    dr_flee_case *fc = dr_flee_load(FLEE_DATA "/burundi", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    const dr_scenario *sc = fc->scenario;
    CU_ASSERT_EQUAL(sc->n_locations, 30);
    CU_ASSERT_EQUAL(sc->n_routes, 41);
    CU_ASSERT_EQUAL(fc->n_camps, 5);
    CU_ASSERT_EQUAL(fc->days, 396);
    CU_ASSERT_EQUAL(fc->settings.hasten, 1);
    CU_ASSERT_EQUAL(total_agents(fc), 212321);
    /* Kagunga is a forwarding hub: a transit point. */
    size_t k = dr_scenario_find_location(sc, "Kagunga");
    CU_ASSERT_EQUAL(fc->kind[k], DR_FLEE_FORWARD);
    CU_ASSERT_EQUAL(sc->locations[k].type, DR_LOC_CROSSING);
    /* forced_redirection 2 on Kagunga-Nyarugusu. */
    size_t r = dr_scenario_find_route(sc, "Kagunga-Nyarugusu");
    CU_ASSERT_NOT_EQUAL_FATAL(r, DR_NONE);
    CU_ASSERT_EQUAL(fc->forced_redirection[r], 2);
    /* Closures: remove_forced_redirection and two camp closures. */
    CU_ASSERT_EQUAL(fc->n_closures, 3);
    CU_ASSERT_EQUAL(fc->closures[1].type, DR_FLEE_CLOSE_CAMP);
    /* Registration corrections: Lusenda's data before 2015-09-30 scaled by
     * 155/7332, so its day-94 (2015-08-03) value is 155. */
    size_t lus = 4;
    CU_ASSERT_STRING_EQUAL(sc->locations[fc->camp_location[lus]].name, "Lusenda");
    CU_ASSERT_DOUBLE_EQUAL(fc->camp_data[94 * fc->n_camps + lus], 155.0, 0);
    /* Two columns of conflicts.csv name no location: noted, not fatal. */
    int noted = 0;
    for (size_t i = 0; i < fc->n_notes; i++)
        noted += strstr(fc->notes[i], "Isale") != NULL;
    CU_ASSERT_EQUAL(noted, 1);
    dr_flee_case_destroy(fc);
}

/* ---- settings ------------------------------------------------------------ */

static void test_settings_defaults(void)
{
    dr_flee_settings s;
    dr_flee_settings_default(&s);
    CU_ASSERT_DOUBLE_EQUAL(s.max_move_speed, 360.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.conflict_weight, 1.0 / 3.16227766017, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(s.camp_movechance, 0.001, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.default_movechance, 0.3, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.capacity_buffer, 0.9, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.softening, 10.0, 0);
    CU_ASSERT_EQUAL(s.awareness_level, 1);
    CU_ASSERT_EQUAL(s.hasten, 1);
    CU_ASSERT_EQUAL(s.insert_day0, 1);
    CU_ASSERT_PTR_NULL(s.conflict_spawn_decay);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_conflict_decay(&s, 1000), 1.0, 0);

    /* The scratch case: given keys override, absent keys default. */
    tcase t;
    make_case(&t);
    char *msg;
    dr_flee_case *fc = load_capture(&t, &msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    CU_ASSERT_STRING_EQUAL(msg, "");
    free(msg);
    CU_ASSERT_DOUBLE_EQUAL(fc->settings.camp_weight, 2.0, 0);
    CU_ASSERT_EQUAL(fc->settings.awareness_level, 2);
    CU_ASSERT_DOUBLE_EQUAL(fc->settings.max_move_speed, 360.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(fc->settings.foreign_weight, 1.0, 0);
    CU_ASSERT_EQUAL(fc->settings.conflict_spawn_decay_interval, 2);
    /* decay: [1.0, 0.5] per 2 days. */
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_conflict_decay(&fc->settings, 0), 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_conflict_decay(&fc->settings, 1), 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_conflict_decay(&fc->settings, 2), 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_conflict_decay(&fc->settings, 99), 0.5, 0);
    /* The civilian phase runs FLEE's rules. */
    const dr_civilian_params *p = &fc->scenario->params.civilians;
    CU_ASSERT_EQUAL(p->enabled, 1);
    CU_ASSERT_DOUBLE_EQUAL(p->camp_weight, 2.0, 0);
    CU_ASSERT_EQUAL(p->awareness_level, 2);
    CU_ASSERT_EQUAL(p->mobilisation, 0);
    dr_flee_case_destroy(fc);
    remove_case(&t);
}

/* ---- data and the spawning plan ------------------------------------------ */

static void test_data_and_spawning_plan(void)
{
    tcase t;
    make_case(&t);
    char *msg;
    dr_flee_case *fc = load_capture(&t, &msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    free(msg);
    const size_t nc = fc->n_camps;
    CU_ASSERT_EQUAL_FATAL(nc, 2);
    /* C1: 10 10 10 4 7 10 15 20 (interpolated between dates). */
    const double c1[8] = {10, 10, 10, 4, 7, 10, 15, 20};
    /* C2: 0 0 0 10 20 30 30 30 (constant after the last date). */
    const double c2[8] = {0, 0, 0, 10, 20, 30, 30, 30};
    for (int d = 0; d < 8; d++) {
        CU_ASSERT_DOUBLE_EQUAL(fc->camp_data[d * nc + 0], c1[d], 0);
        CU_ASSERT_DOUBLE_EQUAL(fc->camp_data[d * nc + 1], c2[d], 0);
    }
    /* Total (refugees.csv): 10 + 50 t / 7, truncated. */
    CU_ASSERT_DOUBLE_EQUAL(fc->total_data[3], floor(10 + 150.0 / 7), 0);
    /* Day 0: camps get their data. Then the summed increase, with the
     * decrease on day 3 (-6 +10 = +4) carried as debt:
     * sums 10 10 10 14 27 40 45 50 -> 0 0 0 4 13 13 5 5. */
    CU_ASSERT_EQUAL(fc->day0[0], 10);
    CU_ASSERT_EQUAL(fc->day0[1], 0);
    const int64_t want[8] = {0, 0, 0, 4, 13, 13, 5, 5};
    for (int d = 0; d < 8; d++) CU_ASSERT_EQUAL(fc->new_agents[d], want[d]);
    /* Capacity of C1: 100 minus its day-0 population, in persons. */
    CU_ASSERT_EQUAL(fc->capacity[3], 90);
    CU_ASSERT_EQUAL(fc->scenario->locations[3].capacity, 90);
    CU_ASSERT_EQUAL(fc->capacity[4], 0);
    /* Conflicts: X from day 0 to 3, Y from day 2 (intensity 2). */
    const size_t nl = fc->n_locations;
    CU_ASSERT_DOUBLE_EQUAL(fc->conflict[3 * nl + 0], 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(fc->conflict[4 * nl + 0], 0.0, 0);
    CU_ASSERT_EQUAL(fc->onset[4 * nl + 0], -1);
    CU_ASSERT_EQUAL(fc->onset[5 * nl + 1], 2);
    dr_flee_case_destroy(fc);

    /* A decrease larger than the next increase keeps the debt going. */
    put(&t, "source_data/c2.csv", "2020-01-01,0\n2020-01-08,0\n");
    put(&t, "source_data/c1.csv",
        "2020-01-01,10\n2020-01-03,10\n2020-01-04,4\n2020-01-06,10\n2020-01-08,20\n");
    fc = load_capture(&t, &msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    free(msg);
    /* C1 alone: 10 10 10 4 7 10 15 20: diffs 0 0 -6 +3 +3 +5 +5 ->
     * debt 6, 3, 0, then 5 and 5. */
    const int64_t want2[8] = {0, 0, 0, 0, 0, 0, 5, 5};
    for (int d = 0; d < 8; d++) CU_ASSERT_EQUAL(fc->new_agents[d], want2[d]);
    dr_flee_case_destroy(fc);
    remove_case(&t);
}

static void test_hasten(void)
{
    tcase t;
    make_case(&t);
    put(&t, "simsetting.yml", "optimisations:\n  hasten: 3\n");
    char *msg;
    dr_flee_case *fc = load_capture(&t, &msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    free(msg);
    const size_t nc = fc->n_camps;
    /* C2 day 4: 20/3 = 6.67 -> 6 agents; C1 day 0: 10/3 -> 3. */
    CU_ASSERT_DOUBLE_EQUAL(fc->camp_data[4 * nc + 1], 6.0, 0);
    CU_ASSERT_EQUAL(fc->day0[0], 3);
    /* Populations: persons // hasten in agents, persons in the scenario. */
    CU_ASSERT_EQUAL(fc->pop[1], 1000);
    CU_ASSERT_EQUAL(fc->scenario->locations[1].population, 3000);
    CU_ASSERT_EQUAL(fc->scenario->meta.agent_scale, 3);
    /* Capacity 100 // 3 = 33 agents minus 3 = 30 agents = 90 persons. */
    CU_ASSERT_EQUAL(fc->capacity[3], 30);
    CU_ASSERT_EQUAL(fc->scenario->locations[3].capacity, 90);
    dr_flee_case_destroy(fc);
    remove_case(&t);
}

/* ---- the metric ---------------------------------------------------------- */

static void test_ard_known_answers(void)
{
    /* sim (10, 0), data (5, 5): |5| + |5| over 10 = 1; rescaling by 10/10
     * changes nothing. */
    double s1[] = {10, 0}, d1[] = {5, 5};
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s1, d1, 2, 0), 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s1, d1, 2, 1), 1.0, 1e-15);
    /* sim (1, 3), data (2, 6): normal (1 + 3)/8 = 0.5; rescaled x2 -> 0. */
    double s2[] = {1, 3}, d2[] = {2, 6};
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s2, d2, 2, 0), 0.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s2, d2, 2, 1), 0.0, 1e-15);
    /* sim (3, 1, 0), data (1, 1, 2): normal (2+0+2)/4 = 1; rescaled by
     * 4/4: the same. */
    double s3[] = {3, 1, 0}, d3[] = {1, 1, 2};
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s3, d3, 3, 0), 1.0, 1e-15);
    /* sim (6, 2), data (1, 3): normal (5+1)/4 = 1.5; rescaled by 4/8 ->
     * (3, 1): (2+2)/4 = 1. */
    double s4[] = {6, 2}, d4[] = {1, 3};
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s4, d4, 2, 0), 1.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s4, d4, 2, 1), 1.0, 1e-15);
    /* No data: the denominator is 1; rescaled sim is 0. */
    double s5[] = {3, 0}, d5[] = {0, 0};
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s5, d5, 2, 0), 3.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s5, d5, 2, 1), 0.0, 1e-15);
    /* No simulated agents: rescaling leaves 0, error 1. */
    double s6[] = {0, 0}, d6[] = {4, 4};
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_day_error(s6, d6, 2, 1), 1.0, 1e-15);
    /* ARD: the mean over days of (0.5, 1.5) = 1.0; rescaled (0, 1) = 0.5. */
    double sim[] = {1, 3, 6, 2}, data[] = {2, 6, 1, 3};
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_ard(sim, data, 2, 2, 0), 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_ard(sim, data, 2, 2, 1), 0.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(dr_flee_ard(sim, data, 0, 2, 1), 0.0, 0);
}

/* ---- the driver ---------------------------------------------------------- */

/* Run the scratch case's driver for all days, returning per-location
 * spawned totals in `tot` and checking the world's counts. */
static void run_driver(const dr_flee_case *fc, uint64_t seed, int64_t *tot)
{
    dr_world *w = dr_world_create(fc->scenario, seed, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    dr_flee_driver *d = dr_flee_driver_create(fc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    memset(tot, 0, fc->n_locations * sizeof *tot);
    while (w->day + 1 < fc->days) {
        CU_ASSERT_EQUAL_FATAL(dr_flee_driver_before_day(d, w), 0);
        const int64_t t = w->day + 1;
        const int64_t *sp = dr_flee_driver_spawned(d);
        for (size_t l = 0; l < fc->n_locations; l++) tot[l] += sp[l];
        /* Closure country AA-BB on days 1-2: the crossings T-C1, T-C2. */
        size_t r = dr_scenario_find_route(fc->scenario, "T-C1");
        CU_ASSERT_EQUAL(w->routes[r].status,
                        t >= 1 && t < 3 ? DR_CROSSING_CLOSED : DR_CROSSING_OPEN);
        /* X is a conflict zone until day 3, then a town. */
        CU_ASSERT_EQUAL(w->locations[0].type,
                        t <= 3 ? DR_LOC_CONFLICT_ZONE : DR_LOC_TOWN);
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        dr_flee_driver_after_day(d, w);
    }
    CU_ASSERT_EQUAL(dr_flee_driver_days_recorded(d), fc->days);
    CU_ASSERT_EQUAL(dr_flee_driver_unplaced(d), 0);
    CU_ASSERT_EQUAL((int64_t)w->agents.n, total_agents(fc));
    CU_ASSERT_EQUAL(dr_flee_driver_total_spawned(d), total_agents(fc));
    dr_flee_driver_destroy(d);
    dr_world_destroy(w);
}

static void test_driver_spawning(void)
{
    tcase t;
    make_case(&t);
    char *msg;
    dr_flee_case *fc = load_capture(&t, &msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
    free(msg);
    int64_t a[5], b[5];
    run_driver(fc, 7, a);
    run_driver(fc, 7, b);
    /* Same seed, same draws. */
    CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
    /* Day 0: 10 agents at C1; new agents from day 3 on, when X has ended
     * on day 4: days 3 (X and Y), 4-7 (Y only). The town never spawns. */
    CU_ASSERT_EQUAL(a[3], 10);
    CU_ASSERT_EQUAL(a[2], 0);
    CU_ASSERT_EQUAL(a[4], 0);
    CU_ASSERT_EQUAL(a[0] + a[1], 4 + 13 + 13 + 5 + 5);
    CU_ASSERT(a[1] >= 13 + 13 + 5 + 5); /* days 4-7 all at Y */
    dr_flee_case_destroy(fc);
    remove_case(&t);
}

/* ---- malformed inputs ---------------------------------------------------- */

/* Replace one file of the scratch case, load, and expect a failure whose
 * message contains `want`. */
static void expect_error(const char *rel, const char *text, const char *want)
{
    tcase t;
    make_case(&t);
    put(&t, rel, text);
    char *msg;
    dr_flee_case *fc = load_capture(&t, &msg);
    CU_ASSERT_PTR_NULL(fc);
    if (!strstr(msg, want)) fprintf(stderr, "\n  expected \"%s\" in: %s", want, msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, want));
    /* Every message line is located: it starts with the case directory. */
    CU_ASSERT_EQUAL(strncmp(msg, t.dir, strlen(t.dir)), 0);
    free(msg);
    dr_flee_case_destroy(fc);
    remove_case(&t);
}

static void test_malformed_inputs(void)
{
    expect_error(
        "input_csv/locations.csv",
        "#name,region,country,lat,lon,location_type,conflict_date,population\n"
        "X,R,AA,1,1,conflict_zone,0,1000\nY,R,AA,1,1,conflict_zone,2,lots\n",
        "input_csv/locations.csv:3: population = \"lots\": expected a whole number");
    expect_error("input_csv/locations.csv",
                 "X,R,AA,1,1,conflict_zone,0,1000\nY,R,AA,1,1,volcano,2,1\n",
                 "input_csv/locations.csv:2: location_type = \"volcano\"");
    expect_error("input_csv/locations.csv", "X,R,AA,1,1,conflict_zone\n",
                 "input_csv/locations.csv:1: row = \"6 fields\"");
    expect_error("input_csv/routes.csv", "X,T,100\nY,Nowhere,5\n",
                 "input_csv/routes.csv:2: name2 = \"Nowhere\": expected a location");
    expect_error("input_csv/routes.csv", "X,T,-3\n",
                 "input_csv/routes.csv:1: distance = \"-3\"");
    expect_error("input_csv/conflicts.csv", "#Day,X,Y\n0,1,0\n1,1,x\n",
                 "input_csv/conflicts.csv:3: Y = \"x\": expected an intensity");
    expect_error("input_csv/conflicts.csv", "#Day,X,Y\n0,1,0\n1,1,0\n",
                 "expected one row per day for all 8 days");
    expect_error("input_csv/closures.csv", "border,AA,BB,1,3\n",
                 "input_csv/closures.csv:1: type = \"border\"");
    expect_error("input_csv/closures.csv", "country,AA,ZZ,1,3\n",
                 "input_csv/closures.csv:1: name2 = \"ZZ\": expected a country");
    expect_error("input_csv/sim_period.csv", "StartDate,2020-02-30\nLength,8\n",
                 "input_csv/sim_period.csv:1: StartDate = \"2020-02-30\"");
    expect_error("source_data/c1.csv", "2020-01-01,10\n2020-13-03,10\n",
                 "source_data/c1.csv:2: date = \"2020-13-03\"");
    expect_error("source_data/c1.csv", "2020-01-05,10\n2020-01-03,10\n",
                 "source_data/c1.csv:2: date = \"2020-01-03\": expected dates in "
                 "increasing order");
    expect_error("source_data/data_layout.csv", "total,refugees.csv\nC1,c1.csv\n",
                 "camp = \"C2\": expected a row \"C2,FILE.csv\"");
    expect_error("source_data/data_layout.csv",
                 "total,refugees.csv\nC1,c1.csv\nC2,none.csv\n",
                 "source_data/none.csv: cannot read");
    expect_error(
        "simsetting.yml", "move_rules:\n  camp_wieght: 2\n",
        "simsetting.yml:2: move_rules.camp_wieght: expected one of the settings");
    expect_error(
        "simsetting.yml", "move_rules:\n  camp_weight: heavy\n",
        "simsetting.yml:2: move_rules.camp_weight = \"heavy\": expected a number");
    expect_error("simsetting.yml", "optimisations:\n  hasten: 0\n",
                 "simsetting.yml:2: optimisations.hasten = \"0\"");
    expect_error("simsetting.yml", "move_rules:\n  fixed_routes: True\n",
                 "durand does not implement fixed location routes");
    expect_error("simsetting.yml", "spawn_rules:\n  conflict_spawn_decay: [1.0, x]\n",
                 "simsetting.yml:2: spawn_rules.conflict_spawn_decay[1] = \"x\"");
    expect_error("simsetting.yml", "move_rules:\n  camp_weight: 2\n   softening: 3\n",
                 "simsetting.yml:3: indentation");
    expect_error("input_csv/registration_corrections.csv", "C1,2020-01-02\n",
                 "registration_corrections.csv:1: date = \"2020-01-02\": expected a date "
                 "that has a data row");
}

static void test_not_a_case(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NULL(dr_flee_load("/nonexistent/flee/case", err));
    CU_ASSERT_PTR_NULL(dr_flee_load(DR_SOURCE_DIR "/engine", err));
    fclose(err);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "/nonexistent/flee/case: not a directory"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "no input_csv/locations.csv"));
    free(buf);
}

static const dr_test_case dr_tests[] = {
    {"FLEE test_input_csv case", test_case_test_input_csv},
    {"FLEE mali2012 case", test_case_mali2012},
    {"FLEE burundi case", test_case_burundi},
    {"simsetting.yml defaults and overrides", test_settings_defaults},
    {"data interpolation and the spawning plan", test_data_and_spawning_plan},
    {"hasten", test_hasten},
    {"ARD known answers", test_ard_known_answers},
    {"driver spawning, conflicts and closures", test_driver_spawning},
    {"malformed inputs", test_malformed_inputs},
    {"not a case directory", test_not_a_case},
    {NULL, NULL},
};

DR_TEST_MAIN("flee")
