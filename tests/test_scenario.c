/*
 * test_scenario.c — the scenario loader: good scenarios and their defaults,
 * dyad mirroring, event order, overrides, `set` targets, calendar helpers,
 * and the catalogue of malformed scenarios in tests/bad/, each of
 * which must be rejected with a one-line "FILE:LINE: ..." message that
 * contains the substring its first line announces ("# expect: ...").
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dr_test.h"
#include "scenario.h"

#define MINIMAL DR_SRC("scenarios/test/minimal.cfg")
#define TWO_STATES DR_SRC("scenarios/test/two_states.cfg")
#define BAD_DIR DR_SRC("tests/bad")

/* Read everything written to a temporary stream into a new string. */
static char *slurp_stream(FILE *f)
{
    long n;
    fflush(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    char *buf = calloc((size_t)(n > 0 ? n : 0) + 1, 1);
    if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) buf[0] = '\0';
    return buf;
}

/* Read a whole file into a new string (NULL if it cannot be read). */
static char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = slurp_stream(f);
    fclose(f);
    return s;
}

/* Load with overrides, capturing the error text in *errors (always set,
 * caller frees). */
static dr_scenario *load_capture(const char *path, const char *const *ov,
                                 size_t n, char **errors)
{
    FILE *err = tmpfile();
    dr_scenario *sc = dr_scenario_load(path, ov, n, err);
    *errors = err ? slurp_stream(err) : calloc(1, 1);
    if (err) fclose(err);
    return sc;
}

/* Equality of doubles up to a relative 1e-12. */
static int close_to(double a, double b)
{
    return fabs(a - b) <= 1e-12 * (1.0 + fabs(b));
}

/* Defaults of every optional setting, on the smallest valid scenario. */
static void test_minimal_defaults(void)
{
    char *errors;
    dr_scenario *sc = load_capture(MINIMAL, NULL, 0, &errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_STRING_EQUAL(errors, "");
    free(errors);
    CU_ASSERT_STRING_EQUAL(sc->path, MINIMAL);
    char *text = slurp_file(MINIMAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(sc->text, text);
    free(text);
    CU_ASSERT_EQUAL(sc->n_overrides, 0);

    CU_ASSERT_STRING_EQUAL(sc->meta.name, "Minimal test scenario");
    CU_ASSERT_STRING_EQUAL(sc->meta.description, "");
    CU_ASSERT_STRING_EQUAL(sc->meta.start_date, "2023-01-01");
    CU_ASSERT_EQUAL(sc->meta.days, 10);
    CU_ASSERT_EQUAL(sc->meta.seed, 1);
    CU_ASSERT_EQUAL(sc->meta.agent_scale, 1);

    CU_ASSERT_EQUAL(sc->params.intensity.enabled, 1);
    CU_ASSERT(close_to(sc->params.intensity.decay_days, 30.0));
    CU_ASSERT(close_to(sc->params.intensity.reference_deaths, 10.0));
    CU_ASSERT_EQUAL(sc->params.relations.enabled, 1);
    CU_ASSERT(close_to(sc->params.relations.reactivity, 0.01));
    CU_ASSERT(close_to(sc->params.relations.restraint, 0.02));
    CU_ASSERT(close_to(sc->params.relations.volatility, 0.005));
    CU_ASSERT(close_to(sc->params.relations.interdependence_restraint, 1.0));
    CU_ASSERT(close_to(sc->params.relations.trust_relaxation, 0.01));

    const dr_posture_params *po = &sc->params.postures;
    CU_ASSERT_EQUAL(po->enabled, 1);
    CU_ASSERT(close_to(po->threshold_hold, 0.15));
    CU_ASSERT(close_to(po->threshold_pressure, 0.35));
    CU_ASSERT(close_to(po->threshold_strike, 0.6));
    CU_ASSERT(close_to(po->noise, 0.05));
    CU_ASSERT(close_to(po->w_interdependence, 0.5));
    CU_ASSERT(close_to(po->w_hostility, 0.2));
    CU_ASSERT(close_to(po->w_attacks, 0.02));
    CU_ASSERT(close_to(po->attack_memory_days, 14.0));
    CU_ASSERT(close_to(po->hold_factor, 0.25));
    CU_ASSERT(close_to(po->pressure_factor, 1.0));
    CU_ASSERT(close_to(po->strike_factor, 2.0));

    const dr_clash_params *cl = &sc->params.clashes;
    CU_ASSERT_EQUAL(cl->enabled, 1);
    CU_ASSERT(close_to(cl->base_rate, 0.02));
    CU_ASSERT(close_to(cl->force_reference, 100.0));
    CU_ASSERT(close_to(cl->coordination_damping, 0.8));
    CU_ASSERT(close_to(cl->self_excitation, 0.1));
    CU_ASSERT(close_to(cl->cross_excitation, 0.2));
    CU_ASSERT(close_to(cl->excitation_decay, 0.5));
    CU_ASSERT_EQUAL(cl->law, DR_LANCHESTER_SQUARE);
    CU_ASSERT(close_to(cl->engagement, 0.05));
    CU_ASSERT(close_to(cl->max_engaged, 200.0));
    CU_ASSERT(close_to(cl->duration_days, 0.1));
    CU_ASSERT(close_to(cl->collateral, 0.2));
    CU_ASSERT(close_to(cl->density_reference, 100000.0));
    CU_ASSERT(close_to(cl->tension_per_death, 0.002));
    CU_ASSERT(close_to(cl->trust_per_clash, 0.01));
    CU_ASSERT(close_to(cl->closure_probability, 0.2));
    CU_ASSERT(close_to(cl->closure_mean_days, 7.0));

    const dr_militant_params *mi = &sc->params.militants;
    CU_ASSERT_EQUAL(mi->enabled, 1);
    CU_ASSERT(close_to(mi->base_rate, 0.01));
    CU_ASSERT(close_to(mi->fighter_exponent, 0.5));
    CU_ASSERT(close_to(mi->w_grievance, 1.0));
    CU_ASSERT(close_to(mi->w_security, 0.5));
    CU_ASSERT(close_to(mi->w_coordination, 0.7));
    CU_ASSERT(close_to(mi->deaths_security, 2.0));
    CU_ASSERT(close_to(mi->deaths_civilians, 3.0));
    CU_ASSERT(close_to(mi->deaths_projects, 0.5));
    CU_ASSERT(close_to(mi->fighter_losses, 0.8));
    CU_ASSERT(close_to(mi->project_damage, 0.05));
    CU_ASSERT(close_to(mi->recruitment, 0.0005));
    CU_ASSERT(close_to(mi->counterinsurgency, 0.002));
    CU_ASSERT(close_to(mi->tension_per_attack, 0.003));

    const dr_strike_params *st = &sc->params.strikes;
    CU_ASSERT_EQUAL(st->enabled, 1);
    CU_ASSERT(close_to(st->rate, 0.2));
    CU_ASSERT(close_to(st->fighters_killed, 10.0));
    CU_ASSERT(close_to(st->civilians_killed, 3.0));
    CU_ASSERT(close_to(st->retaliation_probability, 0.5));
    CU_ASSERT(close_to(st->retaliation_mean_days, 2.0));
    CU_ASSERT(close_to(st->tension_per_strike, 0.05));

    CU_ASSERT_EQUAL_FATAL(sc->n_actors, 1);
    const dr_actor *a = &sc->actors[0];
    CU_ASSERT_STRING_EQUAL(a->id, "PAK");
    CU_ASSERT_STRING_EQUAL(a->name, "PAK");
    CU_ASSERT_EQUAL(a->kind, DR_ACTOR_STATE);
    CU_ASSERT(close_to(a->strength, 0.0));
    CU_ASSERT(close_to(a->economy, 0.5));
    CU_ASSERT(close_to(a->resolve, 0.5));
    CU_ASSERT(close_to(a->legitimacy, 0.5));
    CU_ASSERT(close_to(a->lethality, 0.5));
    CU_ASSERT_EQUAL(a->host, DR_NONE);
    CU_ASSERT_EQUAL(a->sanctuary, DR_NONE);

    CU_ASSERT_EQUAL_FATAL(sc->n_locations, 1);
    const dr_location *l = &sc->locations[0];
    CU_ASSERT_STRING_EQUAL(l->name, "peshawar");
    CU_ASSERT_EQUAL(l->country, 0);
    CU_ASSERT_EQUAL(l->type, DR_LOC_CITY);
    CU_ASSERT(close_to(l->lat, 34.01));
    CU_ASSERT(close_to(l->lon, 71.58));
    CU_ASSERT_EQUAL(l->population, 0);
    CU_ASSERT(close_to(l->ruggedness, 0.3));
    CU_ASSERT_EQUAL(l->capacity, 0);
    CU_ASSERT(close_to(l->security, 0.5));
    CU_ASSERT(close_to(l->intensity, 0.0));
    CU_ASSERT(close_to(l->grievance, 0.0));
    CU_ASSERT_EQUAL(l->n_projects, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l->region); /* default "" */
    CU_ASSERT_STRING_EQUAL(l->region, "");

    CU_ASSERT_EQUAL(sc->n_routes, 0);
    CU_ASSERT_EQUAL(sc->n_forces, 0);
    CU_ASSERT_EQUAL(sc->n_civilians, 0);
    CU_ASSERT_EQUAL(sc->n_dyads, 0);
    CU_ASSERT_EQUAL(sc->n_events, 0);
    CU_ASSERT_EQUAL(dr_scenario_agent_count(sc), 0);
    dr_scenario_destroy(sc);
}

/* Entries of every kind, references resolved, kind-specific settings. */
static void test_two_states_content(void)
{
    char *errors;
    dr_scenario *sc = load_capture(TWO_STATES, NULL, 0, &errors);
    CU_ASSERT_STRING_EQUAL(errors, "");
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_EQUAL(sc->meta.seed, 20230501);
    CU_ASSERT_EQUAL(sc->meta.agent_scale, 100);
    CU_ASSERT(close_to(sc->params.intensity.reference_deaths, 5.0));

    size_t pak = dr_scenario_find_actor(sc, "PAK");
    size_t afg = dr_scenario_find_actor(sc, "AFG");
    size_t ttp = dr_scenario_find_actor(sc, "TTP");
    size_t chn = dr_scenario_find_actor(sc, "CHN");
    size_t sco = dr_scenario_find_actor(sc, "SCO");
    CU_ASSERT_EQUAL_FATAL(sc->n_actors, 5);
    CU_ASSERT(pak == 0 && afg == 1 && ttp == 2 && chn == 3 && sco == 4);
    CU_ASSERT_EQUAL(dr_scenario_find_actor(sc, "IND"), DR_NONE);
    CU_ASSERT_EQUAL(dr_scenario_find_actor(sc, NULL), DR_NONE);

    const dr_actor *t = &sc->actors[ttp];
    CU_ASSERT_EQUAL(t->kind, DR_ACTOR_MILITANT);
    CU_ASSERT_STRING_EQUAL(t->name, "TTP");
    CU_ASSERT_EQUAL(t->host, pak);
    CU_ASSERT_EQUAL(t->sanctuary, afg);
    CU_ASSERT(close_to(t->fighters, 6000.0));
    CU_ASSERT(close_to(t->lethality, 0.5));
    /* 0.3 : 0.1 : 0.1 normalised. */
    CU_ASSERT(close_to(t->target_security, 0.6));
    CU_ASSERT(close_to(t->target_civilians, 0.2));
    CU_ASSERT(close_to(t->target_projects, 0.2));

    const dr_actor *c = &sc->actors[chn];
    CU_ASSERT_EQUAL(c->kind, DR_ACTOR_POWER);
    CU_ASSERT(close_to(c->involvement, 0.2));
    CU_ASSERT(close_to(c->leverage, 0.5));
    CU_ASSERT_EQUAL(c->adaptive_mediator, 1);
    CU_ASSERT(close_to(c->interest_stability, 0.9));
    CU_ASSERT_EQUAL_FATAL(c->n_project_locations, 2);
    CU_ASSERT_EQUAL(c->project_locations[0],
                    dr_scenario_find_location(sc, "peshawar"));
    CU_ASSERT_EQUAL(c->project_locations[1],
                    dr_scenario_find_location(sc, "kabul"));

    const dr_actor *o = &sc->actors[sco];
    CU_ASSERT_EQUAL(o->kind, DR_ACTOR_ORGANIZATION);
    CU_ASSERT(close_to(o->leverage, 0.4));
    CU_ASSERT_EQUAL_FATAL(o->n_members, 2);
    CU_ASSERT(o->members[0] == pak && o->members[1] == chn);
    CU_ASSERT(close_to(sc->actors[pak].resolve, 0.7));
    CU_ASSERT(close_to(sc->actors[afg].strength, 150000.0));

    CU_ASSERT_EQUAL_FATAL(sc->n_locations, 5);
    const dr_location *pe = &sc->locations[0];
    CU_ASSERT_STRING_EQUAL(pe->name, "Peshawar");
    CU_ASSERT_EQUAL(pe->population, 4300000);
    CU_ASSERT_EQUAL_FATAL(pe->n_projects, 1);
    CU_ASSERT_STRING_EQUAL(pe->projects[0], "brt");
    CU_ASSERT_EQUAL(sc->locations[2].country, afg);
    CU_ASSERT_EQUAL(sc->locations[1].type, DR_LOC_CROSSING);

    CU_ASSERT_EQUAL_FATAL(sc->n_routes, 4);
    CU_ASSERT_STRING_EQUAL(sc->routes[0].id, "peshawar-torkham_pk");
    CU_ASSERT_EQUAL(sc->routes[0].kind, DR_ROUTE_ROAD);
    size_t tork = dr_scenario_find_route(sc, "torkham");
    CU_ASSERT_EQUAL_FATAL(tork, 1);
    CU_ASSERT_EQUAL(sc->routes[tork].kind, DR_ROUTE_CROSSING);
    CU_ASSERT_EQUAL(sc->routes[tork].status, DR_CROSSING_RESTRICTED);
    CU_ASSERT(close_to(sc->routes[tork].pass_fraction, 0.25));
    CU_ASSERT_EQUAL(sc->routes[2].kind, DR_ROUTE_INFORMAL);
    CU_ASSERT(close_to(sc->routes[2].distance_km, 210.0));
    CU_ASSERT_EQUAL(sc->routes[3].status, DR_CROSSING_OPEN);

    CU_ASSERT_EQUAL_FATAL(sc->n_forces, 3);
    CU_ASSERT_EQUAL(sc->forces[1].actor, ttp);
    CU_ASSERT(close_to(sc->forces[1].personnel, 800.0));

    CU_ASSERT_EQUAL_FATAL(sc->n_civilians, 3);
    CU_ASSERT_EQUAL(sc->civilians[0].origin, sc->civilians[0].location);
    CU_ASSERT_EQUAL(sc->civilians[1].origin,
                    dr_scenario_find_location(sc, "kabul"));
    CU_ASSERT_EQUAL(sc->civilians[0].count[DR_DOC_UNDOCUMENTED], 60000);
    /* (4300000 + 120000 + 40000 + 60000 + 30000 + 4600000) / 100. */
    CU_ASSERT_EQUAL(dr_scenario_agent_count(sc), 91500);
    dr_scenario_destroy(sc);
}

/* Mirroring, one-sided dyads, pairs listed both ways, defaults. */
static void test_dyads(void)
{
    char *errors;
    dr_scenario *sc = load_capture(TWO_STATES, NULL, 0, &errors);
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    size_t pak = 0, afg = 1, ttp = 2, chn = 3;
    CU_ASSERT_EQUAL_FATAL(sc->n_dyads, 5);
    size_t pa = dr_scenario_find_dyad(sc, pak, afg);
    size_t ap = dr_scenario_find_dyad(sc, afg, pak);
    CU_ASSERT_FATAL(pa != DR_NONE && ap != DR_NONE);
    CU_ASSERT_STRING_EQUAL(sc->dyads[ap].id, "AFG-PAK");
    CU_ASSERT_EQUAL(sc->dyads[pa].reverse, ap);
    CU_ASSERT_EQUAL(sc->dyads[ap].reverse, pa);
    CU_ASSERT(close_to(sc->dyads[ap].tension, 0.45));
    CU_ASSERT(close_to(sc->dyads[ap].trust, 0.35));
    CU_ASSERT(close_to(sc->dyads[ap].interdependence, 0.3));
    /* Derived baseline: day-0 tension is the Richardson fixed point,
     * T0 = T_ab - k*T_ba / (a*(1 + w_E*E)) = 0.45 - 0.02*0.45/(0.05*1.3). */
    CU_ASSERT(close_to(sc->dyads[ap].baseline_tension,
                       0.45 - 0.02 * 0.45 / (0.05 * 1.3)));
    CU_ASSERT(close_to(sc->dyads[ap].reactivity, 0.02));
    CU_ASSERT(close_to(sc->dyads[ap].restraint, 0.05));
    CU_ASSERT(close_to(sc->dyads[ap].volatility, 0.0));

    size_t pt = dr_scenario_find_dyad(sc, pak, ttp);
    CU_ASSERT_FATAL(pt != DR_NONE);
    CU_ASSERT_EQUAL(dr_scenario_find_dyad(sc, ttp, pak), DR_NONE);
    CU_ASSERT_EQUAL(sc->dyads[pt].reverse, DR_NONE);
    CU_ASSERT(close_to(sc->dyads[pt].baseline_tension, 0.6));
    CU_ASSERT(close_to(sc->dyads[pt].reactivity, 0.1));

    size_t cp = dr_scenario_find_dyad(sc, chn, pak);
    size_t pc = dr_scenario_find_dyad(sc, pak, chn);
    CU_ASSERT_FATAL(cp != DR_NONE && pc != DR_NONE);
    CU_ASSERT(close_to(sc->dyads[cp].alignment, 0.8));
    CU_ASSERT(close_to(sc->dyads[pc].alignment, 0.6));
    CU_ASSERT(close_to(sc->dyads[cp].restraint, 0.05));
    CU_ASSERT(close_to(sc->dyads[pc].restraint, 0.2));
    CU_ASSERT(close_to(sc->dyads[cp].trust, 0.5));
    CU_ASSERT_EQUAL(sc->dyads[cp].reverse, pc);
    for (size_t i = 0; i < sc->n_dyads; i++)
        for (size_t j = 0; j < i; j++)
            CU_ASSERT(sc->dyads[i].a != sc->dyads[j].a ||
                      sc->dyads[i].b != sc->dyads[j].b);
    dr_scenario_destroy(sc);
}

/* Events: sorted by day, file order within a day, type-specific fields. */
static void test_events(void)
{
    char *errors;
    dr_scenario *sc = load_capture(TWO_STATES, NULL, 0, &errors);
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_EQUAL_FATAL(sc->n_events, 12);
    for (size_t i = 1; i < sc->n_events; i++)
        CU_ASSERT(sc->events[i - 1].day <= sc->events[i].day);
    const dr_event *e = sc->events;
    /* Day 5: border_regulation, deployment (given as a date), summit. */
    CU_ASSERT(e[0].day == 5 && e[0].type == DR_EVENT_BORDER_REGULATION);
    CU_ASSERT(e[1].day == 5 && e[1].type == DR_EVENT_DEPLOYMENT);
    CU_ASSERT(e[2].day == 5 && e[2].type == DR_EVENT_SUMMIT);
    CU_ASSERT(e[0].line < e[1].line && e[1].line < e[2].line);
    CU_ASSERT_EQUAL(e[0].route, 1);
    CU_ASSERT_EQUAL(e[0].status, DR_CROSSING_CLOSED);
    CU_ASSERT(isnan(e[0].pass_fraction));
    CU_ASSERT_STRING_EQUAL(e[0].note, "Crossing closed");
    CU_ASSERT(e[1].actor == 0 && close_to(e[1].delta, -2000.0));
    CU_ASSERT_EQUAL(e[1].location, 4);
    CU_ASSERT_STRING_EQUAL(e[1].note, "");
    CU_ASSERT_EQUAL_FATAL(e[2].n_parties, 3);
    CU_ASSERT(e[2].parties[0] == 0 && e[2].parties[2] == 3);
    CU_ASSERT_EQUAL(e[2].host, 3);
    CU_ASSERT(close_to(e[2].d_trust, 0.05));
    CU_ASSERT(e[3].type == DR_EVENT_DEPORTATION && e[3].day == 10);
    CU_ASSERT_EQUAL(e[3].country, 0);
    CU_ASSERT_EQUAL(e[3].documentation, DR_DOC_UNDOCUMENTED);
    CU_ASSERT(close_to(e[3].rate, 0.001));
    CU_ASSERT_EQUAL(e[3].duration, 30);
    const dr_event *shock = &e[10], *wd = &e[11];
    CU_ASSERT(shock->type == DR_EVENT_SHOCK && shock->day == 30);
    CU_ASSERT(shock->a == 0 && shock->b == 1 && shock->symmetric == 1);
    CU_ASSERT(close_to(shock->d_tension, 0.15));
    CU_ASSERT(close_to(shock->d_trust, -0.1));
    CU_ASSERT(close_to(shock->fatalities, 4.0));
    CU_ASSERT_EQUAL(shock->location, 1);
    CU_ASSERT(wd->type == DR_EVENT_WITHDRAWAL && wd->actor == 3);
    CU_ASSERT_EQUAL(wd->location, DR_NONE);
    dr_scenario_destroy(sc);
}

/* `set` events resolve to (table, index, offset, type, value). */
static void test_set_targets(void)
{
    char *errors;
    dr_scenario *sc = load_capture(TWO_STATES, NULL, 0, &errors);
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    const dr_event *e = sc->events;
    CU_ASSERT_EQUAL_FATAL(sc->n_events, 12);
    const dr_set_target *t = &e[4].target;
    CU_ASSERT(e[4].type == DR_EVENT_SET && e[4].day == 20);
    CU_ASSERT_STRING_EQUAL(e[4].path, "actors.[TTP].fighters");
    CU_ASSERT(t->table == DR_TARGET_ACTOR && t->index == 2);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_actor, fighters));
    CU_ASSERT(t->type == DR_VALUE_DOUBLE && close_to(t->value, 8000.0));

    t = &e[5].target;
    CU_ASSERT(t->table == DR_TARGET_ROUTE && t->index == 1);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_route, status));
    CU_ASSERT(t->type == DR_VALUE_ENUM && t->value == DR_CROSSING_OPEN);

    t = &e[6].target;
    CU_ASSERT(t->table == DR_TARGET_PARAMS && t->index == 0);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_params, relations) +
                                   offsetof(dr_relations_params, restraint));
    CU_ASSERT(t->type == DR_VALUE_DOUBLE && close_to(t->value, 0.1));

    t = &e[7].target;
    CU_ASSERT(t->table == DR_TARGET_DYAD);
    CU_ASSERT_EQUAL(t->index, dr_scenario_find_dyad(sc, 1, 0));
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_dyad, trust));
    CU_ASSERT(close_to(t->value, 0.5));

    t = &e[8].target;
    CU_ASSERT(t->table == DR_TARGET_PARAMS && t->type == DR_VALUE_BOOL);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_params, intensity) +
                                   offsetof(dr_intensity_params, enabled));
    CU_ASSERT(t->value == 0.0);

    t = &e[9].target;
    CU_ASSERT(t->table == DR_TARGET_LOCATION && t->index == 4);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_location, capacity));
    CU_ASSERT(t->type == DR_VALUE_INT64 && t->value == 5000.0);
    dr_scenario_destroy(sc);
}

/* Overrides: replace, add, change type, [ID], [N], [A-B], [FROM-TO],
 * missing groups created, bare strings, arrays; stored verbatim. */
static void test_overrides(void)
{
    const char *ov[] = {
        "scenario.days=30",                        /* replace */
        "actors.[PAK].resolve=0.9",                /* add, [ID] */
        "locations.[0].lat=30",                    /* [N], int for float */
        "model.relations.restraint=0.04",          /* groups created */
        "scenario.name=Renamed",                   /* bare string */
        "scenario.seed=7L",                        /* int64 */
        "locations.[peshawar].region=\"Khyber Pakhtunkhwa\"", /* optional string */
    };
    char *errors;
    dr_scenario *sc = load_capture(MINIMAL, ov, 7, &errors);
    CU_ASSERT_STRING_EQUAL(errors, "");
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_EQUAL(sc->meta.days, 30);
    CU_ASSERT(close_to(sc->actors[0].resolve, 0.9));
    CU_ASSERT(close_to(sc->locations[0].lat, 30.0));
    CU_ASSERT(close_to(sc->params.relations.restraint, 0.04));
    CU_ASSERT(close_to(sc->params.relations.reactivity, 0.01));
    CU_ASSERT_STRING_EQUAL(sc->meta.name, "Renamed");
    CU_ASSERT_EQUAL(sc->meta.seed, 7);
    CU_ASSERT_STRING_EQUAL(sc->locations[0].region, "Khyber Pakhtunkhwa");
    CU_ASSERT_EQUAL_FATAL(sc->n_overrides, 7);
    for (size_t i = 0; i < 7; i++)
        CU_ASSERT_STRING_EQUAL(sc->overrides[i], ov[i]);
    dr_scenario_destroy(sc);

    const char *ov2[] = {
        "model.intensity.reference_deaths=7.5", /* int in the file -> float */
        "dyads.[PAK-AFG].trust=0.2",            /* dyad [A-B], mirrored */
        "routes.[peshawar-torkham_pk].distance_km=60", /* [FROM-TO] */
        "routes.[torkham].status=closed",       /* bare enum word */
        "actors.[CHN].interests.projects=[\"kabul\"]", /* array */
        "events.[0].day=3",                     /* re-sorted */
        "scenario.days=40",
        "scenario.days=45",                     /* the last one wins */
    };
    sc = load_capture(TWO_STATES, ov2, 8, &errors);
    CU_ASSERT_STRING_EQUAL(errors, "");
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT(close_to(sc->params.intensity.reference_deaths, 7.5));
    CU_ASSERT(close_to(sc->dyads[dr_scenario_find_dyad(sc, 0, 1)].trust, 0.2));
    CU_ASSERT(close_to(sc->dyads[dr_scenario_find_dyad(sc, 1, 0)].trust, 0.2));
    CU_ASSERT(close_to(sc->routes[0].distance_km, 60.0));
    CU_ASSERT_EQUAL(sc->routes[1].status, DR_CROSSING_CLOSED);
    CU_ASSERT_EQUAL_FATAL(sc->actors[3].n_project_locations, 1);
    CU_ASSERT_EQUAL(sc->actors[3].project_locations[0], 3);
    CU_ASSERT(sc->events[0].day == 3 && sc->events[0].type == DR_EVENT_SHOCK);
    CU_ASSERT_EQUAL(sc->meta.days, 45);
    dr_scenario_destroy(sc);

    /* Shortening a run keeps the later events; they are never reached. */
    const char *ov3[] = {"scenario.days=15"};
    sc = load_capture(TWO_STATES, ov3, 1, &errors);
    CU_ASSERT_STRING_EQUAL(errors, "");
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_EQUAL(sc->n_events, 12);
    CU_ASSERT_EQUAL(sc->events[11].day, 40);
    dr_scenario_destroy(sc);
}

/* The violence settings (model.postures, .clashes, .militants, .strikes,
 * actor lethality, location grievance): overrides, equal thresholds, and
 * `set` targets of every value type, including thresholds that pass each
 * other within one day but end it in order. */
static void test_violence_settings(void)
{
    const char *ov[] = {
        "model.postures.threshold_hold=0.4",
        "model.postures.threshold_pressure=0.4", /* equal is in order */
        "model.postures.threshold_strike=0.4",
        "model.postures.enabled=false",
        "model.clashes.law=linear",
        "model.clashes.max_engaged=50",
        "model.militants.fighter_exponent=1",
        "model.strikes.retaliation_mean_days=3.5",
        "actors.[PAK].lethality=2",
        "locations.[0].grievance=0.25",
    };
    char *errors;
    dr_scenario *sc = load_capture(MINIMAL, ov, 10, &errors);
    CU_ASSERT_STRING_EQUAL(errors, "");
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT(close_to(sc->params.postures.threshold_hold, 0.4));
    CU_ASSERT(close_to(sc->params.postures.threshold_pressure, 0.4));
    CU_ASSERT(close_to(sc->params.postures.threshold_strike, 0.4));
    CU_ASSERT_EQUAL(sc->params.postures.enabled, 0);
    CU_ASSERT_EQUAL(sc->params.clashes.law, DR_LANCHESTER_LINEAR);
    CU_ASSERT(close_to(sc->params.clashes.max_engaged, 50.0));
    CU_ASSERT(close_to(sc->params.clashes.base_rate, 0.02));
    CU_ASSERT(close_to(sc->params.militants.fighter_exponent, 1.0));
    CU_ASSERT(close_to(sc->params.strikes.retaliation_mean_days, 3.5));
    CU_ASSERT(close_to(sc->actors[0].lethality, 2.0));
    CU_ASSERT(close_to(sc->locations[0].grievance, 0.25));
    dr_scenario_destroy(sc);

    const char *path = DR_BINARY_DIR "/test_scenario_violence_set.cfg";
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f,
            "scenario = { name = \"x\"; start_date = \"2023-01-01\"; };\n"
            "model = { clashes = { law = \"linear\"; }; };\n"
            "actors = ( { id = \"PAK\"; kind = \"state\"; lethality = 0; },\n"
            "  { id = \"AFG\"; kind = \"state\"; },\n"
            "  { id = \"TTP\"; kind = \"militant\"; host = \"PAK\";\n"
            "    sanctuary = \"AFG\"; lethality = 1.5; } );\n"
            "locations = ( { id = \"pesh\"; country = \"PAK\"; type = "
            "\"city\"; lat = 0; lon = 0; grievance = 0.6; } );\n"
            "events = (\n"
            "  { day = 1; type = \"set\"; path = \"model.clashes.law\";\n"
            "    value = \"square\"; },\n"
            "  { day = 2; type = \"set\"; path = \"model.strikes.enabled\";\n"
            "    value = false; },\n"
            "  { day = 3; type = \"set\"; path = \"actors.[TTP].lethality\";\n"
            "    value = 3; },\n"
            "  { day = 3; type = \"set\"; path = \"locations.[pesh].grievance\";\n"
            "    value = 0.9; },\n"
            "  { day = 4; type = \"set\";\n"
            "    path = \"model.postures.threshold_hold\"; value = 0.7; },\n"
            "  { day = 4; type = \"set\";\n"
            "    path = \"model.postures.threshold_strike\"; value = 0.9; },\n"
            "  { day = 4; type = \"set\";\n"
            "    path = \"model.postures.threshold_pressure\"; value = 0.8; }\n"
            ");\n");
    fclose(f);
    sc = load_capture(path, NULL, 0, &errors);
    CU_ASSERT_STRING_EQUAL(errors, "");
    free(errors);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_EQUAL(sc->params.clashes.law, DR_LANCHESTER_LINEAR);
    CU_ASSERT(close_to(sc->actors[0].lethality, 0.0));
    CU_ASSERT(close_to(sc->actors[1].lethality, 0.5));
    CU_ASSERT(close_to(sc->actors[2].lethality, 1.5));
    CU_ASSERT(close_to(sc->locations[0].grievance, 0.6));
    CU_ASSERT_EQUAL_FATAL(sc->n_events, 7);
    const dr_set_target *t = &sc->events[0].target;
    CU_ASSERT(t->table == DR_TARGET_PARAMS && t->type == DR_VALUE_ENUM);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_params, clashes) +
                                   offsetof(dr_clash_params, law));
    CU_ASSERT(t->value == DR_LANCHESTER_SQUARE);
    t = &sc->events[1].target;
    CU_ASSERT(t->table == DR_TARGET_PARAMS && t->type == DR_VALUE_BOOL);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_params, strikes) +
                                   offsetof(dr_strike_params, enabled));
    CU_ASSERT(t->value == 0.0);
    t = &sc->events[2].target;
    CU_ASSERT(t->table == DR_TARGET_ACTOR && t->index == 2);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_actor, lethality));
    CU_ASSERT(t->type == DR_VALUE_DOUBLE && close_to(t->value, 3.0));
    t = &sc->events[3].target;
    CU_ASSERT(t->table == DR_TARGET_LOCATION && t->index == 0);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_location, grievance));
    CU_ASSERT(close_to(t->value, 0.9));
    t = &sc->events[4].target;
    CU_ASSERT(t->table == DR_TARGET_PARAMS && t->type == DR_VALUE_DOUBLE);
    CU_ASSERT_EQUAL(t->offset, offsetof(dr_params, postures) +
                                   offsetof(dr_posture_params,
                                            threshold_hold));
    CU_ASSERT(close_to(t->value, 0.7));
    CU_ASSERT_EQUAL(sc->events[6].target.offset,
                    offsetof(dr_params, postures) +
                        offsetof(dr_posture_params, threshold_pressure));
    dr_scenario_destroy(sc);

    /* The same day, ending out of order (hold 0.7 > pressure 0.35), is an
     * error at the last threshold event of the day. */
    const char *drop[] = {"events.[6].day=5"};
    sc = load_capture(path, drop, 1, &errors);
    CU_ASSERT_PTR_NULL(sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, "events.[5].value = 0.9: expected "
                                          "a value that keeps threshold_hold "
                                          "<= threshold_pressure <= "
                                          "threshold_strike after the set "
                                          "events of day 4"));
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, "here threshold_hold = 0.7 > "
                                          "threshold_pressure = 0.35"));
    free(errors);
    dr_scenario_destroy(sc);
    remove(path);
}

/* Bad overrides are rejected with a message that names -s. */
static void test_override_errors(void)
{
    static const struct {
        const char *ov, *expect;
    } cases[] = {
        {"scenario.days=abc", "-s scenario.days=abc: scenario.days = \"abc\": "
                              "expected an integer"},
        {"scenario.days=1.5", "expected an integer in [1, 36500]"},
        {"scenario.days=0", "-s scenario.days=0: scenario.days = 0: expected"},
        {"actors.[PAK].resolve=2", "-s actors.[PAK].resolve=2: "
                                   "actors.[0].resolve = 2: expected a float"},
        {"actors.[IND].resolve=0.5", "-s actors.[IND].resolve=0.5: "
                                     "actors.[IND]: no such element"},
        {"actors.[3].resolve=0.5", "actors.[3]: no such element"},
        {"actors.[PAK].fightrs=1", "-s actors.[PAK].fightrs=1: "
                                   "actors.[0].fightrs: unknown setting"},
        {"actors.[PAK].fighters=1", "-s actors.[PAK].fighters=1: "
                                    "actors.[0].fighters: setting of a "
                                    "militant actor"},
        {"scenrio.days=5", "-s scenrio.days=5: scenrio: unknown setting"},
        {"scenario.days", "-s scenario.days: expected PATH=VALUE"},
        {"actors=1", "-s actors=1: actors: expected the path of a value"},
        {"scenario.days={a=1;}", "expected a number, string, boolean or array"},
        {"scenario..days=1", "-s scenario..days=1: scenario..days: expected a "
                             "path"},
        {"locations.[0].type=village", "-s locations.[0].type=village: "
                                       "locations.[0].type = \"village\": "
                                       "expected one of city"},
        {"model.clashes.law=cubic", "-s model.clashes.law=cubic: "
                                    "model.clashes.law = \"cubic\": expected "
                                    "one of square, linear"},
        {"model.postures.threshold_hold=0.5",
         "-s model.postures.threshold_hold=0.5: model.postures.threshold_hold "
         "= 0.5: expected threshold_hold <= threshold_pressure <= "
         "threshold_strike (here threshold_hold = 0.5 > threshold_pressure = "
         "0.35)"},
        {"model.clashes.max_engaged=0", "model.clashes.max_engaged = 0: "
                                        "expected a float in [1, 10000000]"},
        {"model.militants.recruitment=-1", "model.militants.recruitment = -1: "
                                           "expected a float in [0, 1]"},
        {"model.strikes.rate=1000", "model.strikes.rate = 1000: expected a "
                                    "float in [0, 100]"},
        {"locations.[0].grievance=2", "-s locations.[0].grievance=2: "
                                      "locations.[0].grievance = 2: expected "
                                      "a float in [0, 1]"},
        {"model.clashes.lethality=1", "model.clashes.lethality: unknown "
                                      "setting"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *errors;
        dr_scenario *sc = load_capture(MINIMAL, &cases[i].ov, 1, &errors);
        CU_ASSERT_PTR_NULL(sc);
        if (!strstr(errors, cases[i].expect))
            fprintf(stderr, "\n%s: got '%s', want '%s'\n", cases[i].ov, errors,
                    cases[i].expect);
        CU_ASSERT_PTR_NOT_NULL(strstr(errors, cases[i].expect));
        CU_ASSERT_EQUAL(strncmp(errors, "-s ", 3), 0);
        dr_scenario_destroy(sc);
        free(errors);
    }
}

/* Whether `text` contains "FILE:N:" with N a positive line number. */
static int has_file_line(const char *text, const char *file)
{
    size_t n = strlen(file);
    for (const char *p = strstr(text, file); p; p = strstr(p + 1, file)) {
        const char *q = p + n;
        if (*q++ != ':') continue;
        if (*q < '1' || *q > '9') continue;
        while (*q >= '0' && *q <= '9') q++;
        if (*q == ':') return 1;
    }
    return 0;
}

/* qsort comparator of file names. */
static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every tests/bad/NN_name.cfg is rejected with its message. */
static void test_bad_catalogue(void)
{
    DIR *dir = opendir(BAD_DIR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    char *names[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dir)) && n < 256) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".cfg") == 0) {
            names[n] = malloc(len + 1);
            if (names[n]) memcpy(names[n++], de->d_name, len + 1);
        }
    }
    closedir(dir);
    qsort(names, n, sizeof names[0], by_name);
    CU_ASSERT(n >= 30);
    for (size_t i = 0; i < n; i++) {
        char path[1024], expect[512];
        snprintf(path, sizeof path, "%s/%s", BAD_DIR, names[i]);
        char *text = slurp_file(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        const char *tag = "# expect: ";
        CU_ASSERT_EQUAL_FATAL(strncmp(text, tag, strlen(tag)), 0);
        size_t k = 0;
        for (const char *p = text + strlen(tag); *p && *p != '\n'; p++)
            if (k + 1 < sizeof expect) expect[k++] = *p;
        expect[k] = '\0';
        free(text);

        char *errors;
        dr_scenario *sc = load_capture(path, NULL, 0, &errors);
        int ok = sc == NULL && strstr(errors, expect) != NULL &&
                 has_file_line(errors, path);
        if (!ok)
            fprintf(stderr, "\n%s:\n  want: %s\n  got:  %s", names[i], expect,
                    errors);
        CU_ASSERT_PTR_NULL(sc);
        CU_ASSERT_PTR_NOT_NULL(strstr(errors, expect));
        CU_ASSERT(has_file_line(errors, path));
        /* Every line of the report starts with the file name. */
        for (const char *line = errors; *line;) {
            CU_ASSERT_EQUAL(strncmp(line, path, strlen(path)), 0);
            const char *nl = strchr(line, '\n');
            if (!nl) break;
            line = nl + 1;
        }
        dr_scenario_destroy(sc);
        free(errors);
        free(names[i]);
    }
}

/* Many errors: at most DR_MAX_ERRORS lines plus a count of the rest. */
static void test_error_cap(void)
{
    const char *path = DR_BINARY_DIR "/test_scenario_many_errors.cfg";
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "scenario = { name = \"x\"; start_date = \"2023-01-01\"; };\n"
               "actors = (\n");
    for (int i = 0; i < 40; i++)
        fprintf(f, "  { id = \"A%d\"; kind = \"state\"; resolve = 7.0; },\n", i);
    fprintf(f, "  { id = \"last\"; kind = \"state\"; }\n);\n"
               "locations = ( { id = \"l\"; country = \"last\"; type = "
               "\"city\"; lat = 0; lon = 0; } );\n");
    fclose(f);
    char *errors;
    dr_scenario *sc = load_capture(path, NULL, 0, &errors);
    CU_ASSERT_PTR_NULL(sc);
    size_t lines = 0;
    for (const char *p = errors; *p; p++) lines += *p == '\n';
    CU_ASSERT_EQUAL(lines, 21);
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, "20 more errors not shown"));
    free(errors);
    remove(path);
}

/* Truncated copies of a good scenario never crash or leak. */
static void test_truncations(void)
{
    char *text = slurp_file(TWO_STATES);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    size_t len = strlen(text);
    const char *path = DR_BINARY_DIR "/test_scenario_truncated.cfg";
    for (size_t cut = 0; cut < len; cut += 37) {
        FILE *f = fopen(path, "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fwrite(text, 1, cut, f);
        fclose(f);
        char *errors;
        dr_scenario *sc = load_capture(path, NULL, 0, &errors);
        CU_ASSERT(sc == NULL || errors[0] == '\0');
        dr_scenario_destroy(sc);
        free(errors);
    }
    remove(path);
    free(text);
}

/* A file that does not exist. */
static void test_missing_file(void)
{
    char *errors;
    dr_scenario *sc = load_capture(DR_SRC("scenarios/test/no_such.cfg"), NULL,
                                   0, &errors);
    CU_ASSERT_PTR_NULL(sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(errors, "no_such.cfg"));
    free(errors);
    dr_scenario_destroy(NULL);
}

/* Known answers of the calendar helpers. */
static void test_dates(void)
{
    int64_t d = -1;
    char buf[11];
    CU_ASSERT(dr_date_parse("1970-01-01", &d) == 0 && d == 0);
    CU_ASSERT(dr_date_parse("2023-01-01", &d) == 0 && d == 19358);
    CU_ASSERT(dr_date_parse("2000-03-01", &d) == 0 && d == 11017);
    CU_ASSERT(dr_date_parse("1900-01-01", &d) == 0 && d == -25567);
    CU_ASSERT(dr_date_parse("2200-12-31", &d) == 0 && d == 84370);
    CU_ASSERT(dr_date_parse("2024-02-29", &d) == 0);
    CU_ASSERT(dr_date_parse("2023-02-29", &d) == -1);
    CU_ASSERT(dr_date_parse("1900-02-29", &d) == -1);
    CU_ASSERT(dr_date_parse("2000-02-29", &d) == 0);
    CU_ASSERT(dr_date_parse("2023-13-01", &d) == -1);
    CU_ASSERT(dr_date_parse("2023-1-01", &d) == -1);
    CU_ASSERT(dr_date_parse("2023-01-011", &d) == -1);
    CU_ASSERT(dr_date_parse("", &d) == -1);
    CU_ASSERT(dr_date_parse(NULL, &d) == -1);
    dr_date_format("2023-01-01", 59, buf);
    CU_ASSERT_STRING_EQUAL(buf, "2023-03-01");
    dr_date_format("2023-01-01", 365, buf);
    CU_ASSERT_STRING_EQUAL(buf, "2024-01-01");
    dr_date_format("2024-03-01", -1, buf);
    CU_ASSERT_STRING_EQUAL(buf, "2024-02-29");
    dr_date_format("bad", 1, buf);
    CU_ASSERT_STRING_EQUAL(buf, "");
}

/* The libconfig version string and a few enum names. */
static void test_libconfig_version(void)
{
    CU_ASSERT_STRING_EQUAL(dr_scenario_libconfig_version(), "1.5");
    CU_ASSERT_STRING_EQUAL(dr_actor_kind_names[DR_ACTOR_ORGANIZATION],
                           "organization");
    CU_ASSERT_STRING_EQUAL(dr_event_type_names[DR_EVENT_SET], "set");
    CU_ASSERT_STRING_EQUAL(dr_posture_names[DR_POSTURE_COOPERATE], "cooperate");
    CU_ASSERT_STRING_EQUAL(dr_posture_names[DR_POSTURE_STRIKE], "strike");
    CU_ASSERT_STRING_EQUAL(dr_lanchester_law_names[DR_LANCHESTER_LINEAR],
                           "linear");
}

static const dr_test_case dr_tests[] = {
    {"minimal scenario and defaults", test_minimal_defaults},
    {"two_states: entries of every kind", test_two_states_content},
    {"dyads: mirroring and defaults", test_dyads},
    {"events: order and fields", test_events},
    {"set events: targets", test_set_targets},
    {"overrides", test_overrides},
    {"violence settings: overrides, set targets, thresholds",
     test_violence_settings},
    {"bad overrides name -s", test_override_errors},
    {"bad scenario catalogue", test_bad_catalogue},
    {"error cap", test_error_cap},
    {"truncated files", test_truncations},
    {"missing file", test_missing_file},
    {"dates", test_dates},
    {"libconfig version and names", test_libconfig_version},
    {NULL, NULL},
};

DR_TEST_MAIN("scenario")
