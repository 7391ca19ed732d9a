/*
 * world.c — creating and destroying a world, and the tick loop around the
 * phase list (phases.c).
 */
#include "world.h"

#include <assert.h>
#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "civilians.h"
#include "observer.h"
#include "rng.h"

const char *const dr_log_kind_names[DR_LOG_KIND_COUNT] = {
    "border_regulation",
    "deportation",
    "deployment",
    "shock",
    "summit",
    "withdrawal",
    "set",
    "clash",
    "attack",
    "strike",
    "retaliation",
    "closure",
    "reopening",
    "agreement",
    "breakdown",
    "intervention_start",
    "intervention_end",
};

/* Allocate n zeroed elements of size sz; NULL-safe for n == 0 (returns a
 * valid 1-byte allocation so that NULL always means failure). */
static void *dr_calloc(size_t n, size_t sz)
{
    return calloc(n ? n : 1, sz ? sz : 1);
}

static int dr_is_armed(const dr_actor *a)
{
    return a->kind == DR_ACTOR_STATE || a->kind == DR_ACTOR_MILITANT;
}

static int dr_is_border_route(const dr_route *r)
{
    return r->kind == DR_ROUTE_CROSSING || r->kind == DR_ROUTE_INFORMAL;
}

/* Enumerate clash channels into `out` (or only count them when out is
 * NULL): for every pair i < j of armed actors with a dyad in at least one
 * direction, one channel per location and one per border route, in that
 * order. Returns the number of channels. */
static size_t dr_enumerate_channels(const dr_scenario *sc, dr_channel *out)
{
    size_t n = 0;
    for (size_t i = 0; i < sc->n_actors; i++) {
        if (!dr_is_armed(&sc->actors[i])) continue;
        for (size_t j = i + 1; j < sc->n_actors; j++) {
            if (!dr_is_armed(&sc->actors[j])) continue;
            size_t ij = dr_scenario_find_dyad(sc, i, j);
            size_t ji = dr_scenario_find_dyad(sc, j, i);
            if (ij == DR_NONE && ji == DR_NONE) continue;
            for (size_t l = 0; l < sc->n_locations; l++, n++)
                if (out) out[n] = (dr_channel){i, j, ij, ji, l, DR_NONE};
            for (size_t r = 0; r < sc->n_routes; r++) {
                if (!dr_is_border_route(&sc->routes[r])) continue;
                if (out) out[n] = (dr_channel){i, j, ij, ji, DR_NONE, r};
                n++;
            }
        }
    }
    return n;
}

static size_t dr_count_channels(const dr_scenario *sc)
{
    return dr_enumerate_channels(sc, NULL);
}

static void dr_fill_channels(const dr_scenario *sc, dr_channel *out)
{
    dr_enumerate_channels(sc, out);
}

/* The ordered dyads between each intervention's parties (w->iv_dyads),
 * listed once so that phase 2 never searches the dyad table. Returns 0, or
 * -1 when memory runs out. */
static int dr_list_party_dyads(dr_world *w)
{
    const dr_scenario *sc = w->sc;
    const size_t ni = sc->n_interventions;
    w->iv_dyad_off = dr_calloc(ni + 1, sizeof *w->iv_dyad_off);
    if (!w->iv_dyad_off) return -1;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        for (size_t k = 0; k < ni; k++) {
            const dr_intervention *v = &sc->interventions[k];
            w->iv_dyad_off[k] = n;
            for (size_t i = 0; i < v->n_parties; i++)
                for (size_t j = 0; j < v->n_parties; j++) {
                    size_t d =
                        i == j ? DR_NONE
                               : dr_scenario_find_dyad(sc, v->parties[i], v->parties[j]);
                    if (d == DR_NONE) continue;
                    if (pass) w->iv_dyads[n] = d;
                    n++;
                }
        }
        w->iv_dyad_off[ni] = n;
        if (!pass && !(w->iv_dyads = dr_calloc(n, sizeof *w->iv_dyads))) return -1;
    }
    return 0;
}

dr_world *dr_world_create(const dr_scenario *sc, uint64_t seed, uint32_t replication)
{
    if (!sc || replication > DR_RNG_REPLICATION_MAX) return NULL;
    dr_world *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->sc = sc;
    w->seed = seed;
    w->replication = replication;
    w->day = -1;
    w->params = sc->params;
    w->n_actors = sc->n_actors;
    w->n_locations = sc->n_locations;
    w->n_routes = sc->n_routes;
    w->n_dyads = sc->n_dyads;

    const size_t na = w->n_actors, nl = w->n_locations, nr = w->n_routes, nd = w->n_dyads;
    const size_t ni = sc->n_interventions;
    w->n_interventions = ni;
    w->n_threads = omp_get_max_threads();
    if (w->n_threads < 1) w->n_threads = 1;
    w->n_channels = dr_count_channels(sc);
    w->cap_pending = 64 + 16 * nd;
    /* Every array of the world, allocated once here and never in the loop. */
    const struct {
        void **ptr;
        size_t n, size;
    } arrays[] = {
        {(void **)&w->actors, na, sizeof *w->actors},
        {(void **)&w->locations, nl, sizeof *w->locations},
        {(void **)&w->routes, nr, sizeof *w->routes},
        {(void **)&w->dyads, nd, sizeof *w->dyads},
        {(void **)&w->withdrawn, na, sizeof *w->withdrawn},
        {(void **)&w->force, na * nl, sizeof *w->force},
        {(void **)&w->intensity, nl, sizeof *w->intensity},
        {(void **)&w->danger, nl, sizeof *w->danger},
        {(void **)&w->deaths_today, nl, sizeof *w->deaths_today},
        {(void **)&w->coordination, nd, sizeof *w->coordination},
        {(void **)&w->crossing_routes, nr, sizeof *w->crossing_routes},
        {(void **)&w->scratch_tension, nd, sizeof *w->scratch_tension},
        {(void **)&w->scratch_trust, nd, sizeof *w->scratch_trust},
        {(void **)&w->posture, nd, sizeof *w->posture},
        {(void **)&w->attack_memory, nd, sizeof *w->attack_memory},
        {(void **)&w->channels, w->n_channels, sizeof *w->channels},
        {(void **)&w->excitation, 2 * w->n_channels, sizeof *w->excitation},
        {(void **)&w->channel_day, w->n_channels, sizeof *w->channel_day},
        {(void **)&w->reopen_day, nr, sizeof *w->reopen_day},
        {(void **)&w->reopen_to, nr, sizeof *w->reopen_to},
        {(void **)&w->attack_day, na * nl, sizeof *w->attack_day},
        {(void **)&w->pending, w->cap_pending, sizeof *w->pending},
        {(void **)&w->fatalities, na, sizeof *w->fatalities},
        {(void **)&w->fatalities_at, na * nl, sizeof *w->fatalities_at},
        {(void **)&w->civilian_deaths, nl, sizeof *w->civilian_deaths},
        {(void **)&w->clashes_today, nl, sizeof *w->clashes_today},
        {(void **)&w->attacks_today, nl, sizeof *w->attacks_today},
        {(void **)&w->strikes_today, nl, sizeof *w->strikes_today},
        {(void **)&w->grievance_today, nd, sizeof *w->grievance_today},
        {(void **)&w->dyad_clashes_today, nd, sizeof *w->dyad_clashes_today},
        {(void **)&w->project_damage, nl, sizeof *w->project_damage},
        {(void **)&w->project_sabotage, nl, sizeof *w->project_sabotage},
        {(void **)&w->rngs, (size_t)w->n_threads, sizeof *w->rngs},
        {(void **)&w->civ_count, nl * DR_AGENT_STATUS_COUNT, sizeof *w->civ_count},
        {(void **)&w->civ_on_route, nr, sizeof *w->civ_on_route},
        {(void **)&w->civ_active, nl, sizeof *w->civ_active},
        {(void **)&w->civ_flow, 2 * nr, sizeof *w->civ_flow},
        {(void **)&w->civ_returns, nl, sizeof *w->civ_returns},
        {(void **)&w->civ_deported, nl, sizeof *w->civ_deported},
        {(void **)&w->civ_deaths, nl, sizeof *w->civ_deaths},
        {(void **)&w->civ_route_deaths, nr, sizeof *w->civ_route_deaths},
        {(void **)&w->calm_days, nl, sizeof *w->calm_days},
        {(void **)&w->iv_active, ni, sizeof *w->iv_active},
        {(void **)&w->iv_started, ni, sizeof *w->iv_started},
        {(void **)&w->iv_held, ni, sizeof *w->iv_held},
        {(void **)&w->iv_rounds, ni, sizeof *w->iv_rounds},
        {(void **)&w->iv_successes, ni, sizeof *w->iv_successes},
        {(void **)&w->iv_progress, ni, sizeof *w->iv_progress},
        {(void **)&w->iv_cost, ni, sizeof *w->iv_cost},
        {(void **)&w->iv_damage, ni, sizeof *w->iv_damage},
        {(void **)&w->iv_round_today, ni, sizeof *w->iv_round_today},
        {(void **)&w->ceasefire_left, nd, sizeof *w->ceasefire_left},
        {(void **)&w->ceasefire_by, nd, sizeof *w->ceasefire_by},
        {(void **)&w->ceasefire_damp, nd, sizeof *w->ceasefire_damp},
        {(void **)&w->stalemate, nd, sizeof *w->stalemate},
        {(void **)&w->iv_interdep, nd, sizeof *w->iv_interdep},
        {(void **)&w->iv_coordination, nd, sizeof *w->iv_coordination},
        {(void **)&w->iv_resolution, nd, sizeof *w->iv_resolution},
        {(void **)&w->iv_hostility, nd, sizeof *w->iv_hostility},
        {(void **)&w->iv_mediated, nd, sizeof *w->iv_mediated},
        {(void **)&w->iv_relief, nl, sizeof *w->iv_relief},
        {(void **)&w->iv_grievance, nl, sizeof *w->iv_grievance},
        {(void **)&w->pw_projects, na, sizeof *w->pw_projects},
        {(void **)&w->pw_blame, na, sizeof *w->pw_blame},
        {(void **)&w->pw_threat, na, sizeof *w->pw_threat},
    };
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) {
        *arrays[k].ptr = dr_calloc(arrays[k].n, arrays[k].size);
        if (!*arrays[k].ptr) {
            dr_world_destroy(w);
            return NULL;
        }
    }
    for (int t = 0; t < w->n_threads; t++) {
        w->rngs[t] = gsl_rng_alloc(dr_rng_philox4x32);
        if (!w->rngs[t]) {
            dr_world_destroy(w);
            return NULL;
        }
    }

    /* The world's tables are shallow copies: owned strings and lists stay
     * with the scenario, which outlives the world. */
    if (w->n_actors) memcpy(w->actors, sc->actors, w->n_actors * sizeof *w->actors);
    if (w->n_locations)
        memcpy(w->locations, sc->locations, w->n_locations * sizeof *w->locations);
    if (w->n_routes) memcpy(w->routes, sc->routes, w->n_routes * sizeof *w->routes);
    if (w->n_dyads) memcpy(w->dyads, sc->dyads, w->n_dyads * sizeof *w->dyads);

    for (size_t f = 0; f < sc->n_forces; f++) {
        const dr_force *fo = &sc->forces[f];
        w->force[fo->actor * w->n_locations + fo->location] = fo->personnel;
    }
    for (size_t l = 0; l < w->n_locations; l++) {
        w->intensity[l] = w->locations[l].intensity;
        w->danger[l] = 1.0 - exp(-w->intensity[l] / w->params.intensity.reference_deaths);
    }
    for (size_t d = 0; d < w->n_dyads; d++) {
        double c = w->dyads[d].trust;
        w->coordination[d] = c < 0.0 ? 0.0 : (c > 1.0 ? 1.0 : c);
    }
    for (size_t r = 0; r < w->n_routes; r++)
        if (w->routes[r].kind == DR_ROUTE_CROSSING)
            w->crossing_routes[w->n_crossings++] = r;
    for (size_t e = 0; e < sc->n_events; e++)
        if (sc->events[e].type == DR_EVENT_DEPORTATION) w->n_deportation_events++;
    for (size_t k = 0; k < ni; k++) w->iv_started[k] = -1;
    if (dr_list_party_dyads(w) != 0) {
        dr_world_destroy(w);
        return NULL;
    }
    for (size_t d = 0; d < nd; d++) w->ceasefire_by[d] = -1;
    for (size_t r = 0; r < w->n_routes; r++) {
        w->reopen_day[r] = -1;
        w->reopen_to[r] = w->routes[r].status;
    }
    for (size_t d = 0; d < w->n_dyads; d++)
        w->posture[d] = w->actors[w->dyads[d].a].kind == DR_ACTOR_STATE
                            ? (int8_t)DR_POSTURE_HOLD
                            : (int8_t)-1;
    dr_fill_channels(sc, w->channels);

    /* Civilian agents: one per agent_scale persons of each `civilians`
     * entry and documentation status (dr_scenario_agent_count), in file
     * order, with room for model.civilians.reserve_agents more. */
    const int64_t n_agents = dr_scenario_agent_count(sc);
    const int64_t reserve = w->params.civilians.reserve_agents;
    if (n_agents + reserve >= (int64_t)UINT32_MAX) {
        dr_world_destroy(w);
        return NULL;
    }
    w->civ = dr_civ_work_create(w);
    if (!w->civ || dr_civ_reserve(w, (size_t)(n_agents + reserve)) != 0) {
        dr_world_destroy(w);
        return NULL;
    }
    const int64_t scale = sc->meta.agent_scale >= 1 ? sc->meta.agent_scale : 1;
    for (size_t g = 0; g < sc->n_civilians; g++) {
        const dr_civilians *cv = &sc->civilians[g];
        const int status =
            cv->location == cv->origin
                ? (int)DR_AGENT_RESIDENT
                : (int)dr_civ_displaced_status(w, cv->location, cv->origin);
        for (int d = 0; d < DR_DOC_COUNT; d++) {
            int64_t k = (cv->count[d] + scale / 2) / scale;
            uint8_t flags =
                status != DR_AGENT_RESIDENT && w->params.civilians.initial_settled
                    ? (uint8_t)DR_AGENT_SETTLED
                    : 0;
            if (k > 0)
                dr_civ_append(w, cv->location, cv->origin, status, d, flags, (size_t)k);
        }
    }
    w->agents.n_initial = w->agents.n;
    dr_civ_recount(w);
    return w;
}

int dr_world_spawn(dr_world *w, size_t location, size_t origin, int status, int doc,
                   size_t n)
{
    if (!w || location >= w->n_locations || origin >= w->n_locations || status < 0 ||
        status >= (int)DR_AGENT_DEAD || doc < 0 || doc >= DR_DOC_COUNT ||
        n >= (size_t)UINT32_MAX - w->agents.n)
        return -1;
    if (n == 0) return 0;
    dr_agents *a = &w->agents;
    if (a->n + n > a->cap) {
        /* Geometric growth, a function of the counts only. */
        size_t cap = a->cap + a->cap / 2 + 1024;
        if (cap < a->n + n) cap = a->n + n;
        if (cap >= (size_t)UINT32_MAX) cap = (size_t)UINT32_MAX - 1;
        if (dr_civ_reserve(w, cap) != 0) return -2;
    }
    dr_civ_append(w, location, origin, status, doc, 0, n);
    a->n_spawned += n;
    w->civ_count[location * DR_AGENT_STATUS_COUNT + (size_t)status] += (int64_t)n;
    return 0;
}

void dr_world_destroy(dr_world *w)
{
    if (!w) return;
    dr_civ_work_destroy(w->civ);
    dr_civ_free_agents(w);
    free(w->calm_days);
    free(w->civ_route_deaths);
    free(w->civ_deaths);
    free(w->civ_deported);
    free(w->civ_returns);
    free(w->civ_flow);
    free(w->civ_active);
    free(w->civ_on_route);
    free(w->civ_count);
    if (w->rngs)
        for (int t = 0; t < w->n_threads; t++) gsl_rng_free(w->rngs[t]);
    free(w->rngs);
    free(w->project_damage);
    free(w->project_sabotage);
    free(w->dyad_clashes_today);
    free(w->grievance_today);
    free(w->strikes_today);
    free(w->attacks_today);
    free(w->clashes_today);
    free(w->civilian_deaths);
    free(w->fatalities_at);
    free(w->fatalities);
    free(w->pending);
    free(w->attack_day);
    void *iv[] = {
        w->iv_active,      w->iv_started,      w->iv_held,        w->iv_rounds,
        w->iv_successes,   w->iv_progress,     w->iv_cost,        w->iv_damage,
        w->ceasefire_left, w->ceasefire_by,    w->ceasefire_damp, w->stalemate,
        w->iv_interdep,    w->iv_coordination, w->iv_resolution,  w->iv_hostility,
        w->iv_mediated,    w->iv_relief,       w->iv_grievance,   w->iv_round_today,
        w->pw_projects,    w->pw_blame,        w->pw_threat};
    for (size_t k = 0; k < sizeof iv / sizeof iv[0]; k++) free(iv[k]);
    free(w->iv_dyad_off);
    free(w->iv_dyads);
    free(w->reopen_to);
    free(w->reopen_day);
    free(w->channel_day);
    free(w->excitation);
    free(w->channels);
    free(w->attack_memory);
    free(w->posture);
    free(w->scratch_trust);
    free(w->scratch_tension);
    free(w->crossing_routes);
    free(w->coordination);
    free(w->deaths_today);
    free(w->danger);
    free(w->intensity);
    free(w->force);
    free(w->withdrawn);
    free(w->dyads);
    free(w->routes);
    free(w->locations);
    free(w->actors);
    free(w);
}

void dr_world_set_observer(dr_world *w, struct dr_observer *obs)
{
    w->obs = obs;
}

int dr_world_log(dr_world *w, int kind, size_t actor_a, size_t actor_b, size_t location,
                 size_t route, double value, const char *note)
{
    if (!w->obs || !w->obs->log || w->obs_status) return w->obs_status;
    dr_log_entry e = {
        .day = w->day,
        .kind = kind,
        .actor_a = actor_a,
        .actor_b = actor_b,
        .location = location,
        .route = route,
        .value = value,
        .note = note ? note : "",
    };
    int rc = w->obs->log(w->obs->ctx, w, &e);
    if (rc) w->obs_status = rc;
    return w->obs_status;
}

#ifdef DR_DEBUG_CHECKS
/* Expensive invariants of the state after a day, checked in debug-check
 * builds only: every quantity inside its documented range and finite. */
static void dr_world_check_invariants(const dr_world *w)
{
    for (size_t d = 0; d < w->n_dyads; d++) {
        const dr_dyad *y = &w->dyads[d];
        assert(y->tension >= 0.0 && y->tension <= 1.0);
        assert(y->trust >= 0.0 && y->trust <= 1.0);
        assert(w->coordination[d] >= 0.0 && w->coordination[d] <= 1.0);
    }
    for (size_t l = 0; l < w->n_locations; l++) {
        assert(isfinite(w->intensity[l]) && w->intensity[l] >= 0.0);
        assert(w->danger[l] >= 0.0 && w->danger[l] <= 1.0);
        assert(w->deaths_today[l] >= 0.0);
    }
    for (size_t i = 0; i < w->n_actors * w->n_locations; i++)
        assert(isfinite(w->force[i]) && w->force[i] >= 0.0);
    /* Every death is booked once: by actor, by location, and in the day's
     * deaths at the location (with civilians and scheduled fatalities). */
    double booked = 0.0, at_locations = 0.0;
    for (size_t a = 0; a < w->n_actors; a++) {
        double by_loc = 0.0;
        for (size_t l = 0; l < w->n_locations; l++)
            by_loc += w->fatalities_at[a * w->n_locations + l];
        assert(fabs(by_loc - w->fatalities[a]) <= 1e-6 * (1.0 + by_loc));
        booked += by_loc;
    }
    for (size_t l = 0; l < w->n_locations; l++) {
        booked += w->civilian_deaths[l];
        at_locations += w->deaths_today[l];
    }
    assert(booked <= at_locations + 1e-6 * (1.0 + at_locations));
    for (size_t r = 0; r < w->n_routes; r++)
        assert(w->routes[r].status < DR_CROSSING_STATUS_COUNT &&
               w->routes[r].pass_fraction >= 0.0 && w->routes[r].pass_fraction <= 1.0);
    for (size_t e = 1; e < w->sc->n_events; e++)
        assert(w->sc->events[e - 1].day <= w->sc->events[e].day);

    /* Civilians: conservation (alive + dead = initial + spawned), and the
     * location counts agree with a recount of the agent arrays. */
    const dr_agents *ag = &w->agents;
    assert(ag->n == ag->n_initial + ag->n_spawned && ag->n <= ag->cap);
    int64_t civ_at = 0, on_routes = 0, dead = 0;
    for (size_t l = 0; l < w->n_locations; l++) {
        for (size_t s = 0; s < DR_AGENT_STATUS_COUNT; s++) {
            int64_t k = w->civ_count[l * DR_AGENT_STATUS_COUNT + s];
            assert(k >= 0);
            civ_at += k;
        }
        dead += w->civ_count[l * DR_AGENT_STATUS_COUNT + DR_AGENT_DEAD];
        assert(w->civ_active[l] >= 0 && w->calm_days[l] >= 0);
    }
    for (size_t r = 0; r < w->n_routes; r++) on_routes += w->civ_on_route[r];
    assert(civ_at + on_routes == (int64_t)ag->n);
    assert(dead == w->civ_dead);
    int64_t recount_dead = 0, recount_route = 0;
    for (size_t i = 0; i < ag->n; i++) {
        assert(ag->status[i] < DR_AGENT_STATUS_COUNT);
        assert(ag->location[i] < w->n_locations && ag->origin[i] < w->n_locations);
        assert(ag->documentation[i] < DR_DOC_COUNT);
        assert(ag->hardship[i] >= 0.0f && ag->hardship[i] <= 1.0f);
        assert(ag->risk_aversion[i] >= 0.0f && ag->risk_aversion[i] <= 1.0f);
        if (ag->status[i] == DR_AGENT_DEAD) {
            assert(ag->link[i] == DR_AGENT_NONE);
            recount_dead++;
        } else if (ag->link[i] != DR_AGENT_NONE) {
            assert(ag->link[i] < w->n_routes);
            recount_route++;
        }
    }
    assert(recount_dead == dead && recount_route == on_routes);
    dr_civ_check(w);
}
#endif

int dr_world_step(dr_world *w)
{
    w->day++;
    /* Per-day tallies start at zero; the phases fill them. */
    const size_t nl = w->n_locations, nd = w->n_dyads;
    memset(w->deaths_today, 0, nl * sizeof *w->deaths_today);
    memset(w->civilian_deaths, 0, nl * sizeof *w->civilian_deaths);
    memset(w->clashes_today, 0, nl * sizeof *w->clashes_today);
    memset(w->attacks_today, 0, nl * sizeof *w->attacks_today);
    memset(w->strikes_today, 0, nl * sizeof *w->strikes_today);
    memset(w->fatalities, 0, w->n_actors * sizeof *w->fatalities);
    memset(w->fatalities_at, 0, w->n_actors * nl * sizeof *w->fatalities_at);
    memset(w->grievance_today, 0, nd * sizeof *w->grievance_today);
    memset(w->dyad_clashes_today, 0, nd * sizeof *w->dyad_clashes_today);
    memset(w->civ_flow, 0, 2 * w->n_routes * sizeof *w->civ_flow);
    memset(w->civ_returns, 0, nl * sizeof *w->civ_returns);
    memset(w->civ_deported, 0, nl * sizeof *w->civ_deported);
    memset(w->civ_deaths, 0, nl * sizeof *w->civ_deaths);
    memset(w->civ_route_deaths, 0, w->n_routes * sizeof *w->civ_route_deaths);
    w->recruited_today = 0.0;
    w->agreements_today = 0;
    w->breakdowns_today = 0;
    for (size_t p = 0; p < dr_n_phases; p++) {
        int rc = dr_phases[p].run(w);
        if (rc) return rc;
        if (w->obs_status) return w->obs_status;
    }
#ifdef DR_DEBUG_CHECKS
    dr_world_check_invariants(w);
#endif
    return 0;
}

int dr_world_run(dr_world *w, int (*progress)(int64_t, int64_t, void *), void *arg)
{
    int rc = 0;
    if (w->obs && w->obs->begin) rc = w->obs->begin(w->obs->ctx, w);
    const int64_t days = w->sc->meta.days;
    while (!rc && w->day + 1 < days) {
        rc = dr_world_step(w);
        if (!rc && progress) rc = progress(w->day + 1, days, arg);
    }
    if (w->obs && w->obs->end) {
        int kept = w->obs->end(w->obs->ctx, w, rc);
        if (!rc) rc = kept;
    }
    return rc;
}

/* ---- checkpoints ------------------------------------------------------- */

void dr_world_state_counts(const dr_world *w, dr_state_counts *c)
{
    c->day = w->day;
    c->next_event = (int64_t)w->next_event;
    c->n_pending = (int64_t)w->n_pending;
    c->n_agents = (int64_t)w->agents.n;
    c->n_initial = (int64_t)w->agents.n_initial;
    c->n_spawned = (int64_t)w->agents.n_spawned;
    c->civ_dead = w->civ_dead;
}

int dr_world_state_prepare(dr_world *w, const dr_state_counts *c)
{
    if (c->day < -1 || c->day >= w->sc->meta.days || c->next_event < 0 ||
        (uint64_t)c->next_event > w->sc->n_events || c->n_pending < 0 ||
        (uint64_t)c->n_pending > w->cap_pending ||
        c->n_initial != (int64_t)w->agents.n_initial || c->n_spawned < 0 ||
        c->n_agents != c->n_initial + c->n_spawned ||
        c->n_agents >= (int64_t)UINT32_MAX || c->civ_dead < 0 ||
        c->civ_dead > c->n_agents)
        return -1;
    const size_t n = (size_t)c->n_agents;
    if (n > w->agents.cap && dr_civ_reserve(w, n) != 0) return -2;
    w->day = c->day;
    w->next_event = (size_t)c->next_event;
    w->n_pending = (size_t)c->n_pending;
    w->agents.n = n;
    w->agents.n_spawned = (size_t)c->n_spawned;
    w->civ_dead = c->civ_dead;
    return 0;
}

size_t dr_world_state_blocks(dr_world *w, dr_state_block *out)
{
    const dr_scenario *sc = w->sc;
    const size_t na = w->n_actors, nl = w->n_locations, nr = w->n_routes, nd = w->n_dyads,
                 nc = w->n_channels, n = w->agents.n, ni = w->n_interventions;
    dr_agents *a = &w->agents;
    /* int and the enums stored below are 4 bytes on every platform durand
     * builds on; dr_world_state_layout records it. */
    const dr_state_block list[] = {
        /* Tables copied from the scenario, changed by `set` events and
         * phases (pools, involvement, route status, tension, trust). */
        {"params", DR_STATE_BYTES, sizeof w->params, 1, &w->params, &sc->params},
        {"actors", DR_STATE_BYTES, sizeof *w->actors, na, w->actors, sc->actors},
        {"locations", DR_STATE_BYTES, sizeof *w->locations, nl, w->locations,
         sc->locations},
        {"routes", DR_STATE_BYTES, sizeof *w->routes, nr, w->routes, sc->routes},
        {"dyads", DR_STATE_BYTES, sizeof *w->dyads, nd, w->dyads, sc->dyads},
        {"withdrawn", DR_STATE_I32, sizeof *w->withdrawn, na, w->withdrawn, NULL},
        {"force", DR_STATE_F64, sizeof *w->force, na * nl, w->force, NULL},
        {"intensity", DR_STATE_F64, sizeof(double), nl, w->intensity, NULL},
        {"danger", DR_STATE_F64, sizeof(double), nl, w->danger, NULL},
        {"deaths_today", DR_STATE_F64, sizeof(double), nl, w->deaths_today, NULL},
        {"coordination", DR_STATE_F64, sizeof(double), nd, w->coordination, NULL},
        {"posture", DR_STATE_I8, sizeof *w->posture, nd, w->posture, NULL},
        {"attack_memory", DR_STATE_F64, sizeof(double), nd, w->attack_memory, NULL},
        {"excitation", DR_STATE_F64, sizeof(double), 2 * nc, w->excitation, NULL},
        {"reopen_day", DR_STATE_I64, sizeof *w->reopen_day, nr, w->reopen_day, NULL},
        {"reopen_to", DR_STATE_I32, sizeof *w->reopen_to, nr, w->reopen_to, NULL},
        {"pending", DR_STATE_BYTES, sizeof *w->pending, w->n_pending, w->pending, NULL},
        {"fatalities", DR_STATE_F64, sizeof(double), na, w->fatalities, NULL},
        {"fatalities_at", DR_STATE_F64, sizeof(double), na * nl, w->fatalities_at, NULL},
        {"civilian_deaths", DR_STATE_F64, sizeof(double), nl, w->civilian_deaths, NULL},
        {"clashes_today", DR_STATE_I32, sizeof(int32_t), nl, w->clashes_today, NULL},
        {"attacks_today", DR_STATE_I32, sizeof(int32_t), nl, w->attacks_today, NULL},
        {"strikes_today", DR_STATE_I32, sizeof(int32_t), nl, w->strikes_today, NULL},
        {"grievance_today", DR_STATE_F64, sizeof(double), nd, w->grievance_today, NULL},
        {"dyad_clashes_today", DR_STATE_I32, sizeof(int32_t), nd, w->dyad_clashes_today,
         NULL},
        {"project_damage", DR_STATE_F64, sizeof(double), nl, w->project_damage, NULL},
        {"project_sabotage", DR_STATE_F64, sizeof(double), nl, w->project_sabotage, NULL},
        {"civ_count", DR_STATE_I64, sizeof(int64_t), nl * DR_AGENT_STATUS_COUNT,
         w->civ_count, NULL},
        {"civ_on_route", DR_STATE_I64, sizeof(int64_t), nr, w->civ_on_route, NULL},
        {"civ_active", DR_STATE_I64, sizeof(int64_t), nl, w->civ_active, NULL},
        {"civ_flow", DR_STATE_I64, sizeof(int64_t), 2 * nr, w->civ_flow, NULL},
        {"civ_returns", DR_STATE_I64, sizeof(int64_t), nl, w->civ_returns, NULL},
        {"civ_deported", DR_STATE_I64, sizeof(int64_t), nl, w->civ_deported, NULL},
        {"civ_deaths", DR_STATE_I64, sizeof(int64_t), nl, w->civ_deaths, NULL},
        {"civ_route_deaths", DR_STATE_I64, sizeof(int64_t), nr, w->civ_route_deaths,
         NULL},
        {"calm_days", DR_STATE_I64, sizeof(int64_t), nl, w->calm_days, NULL},
        {"iv_active", DR_STATE_I8, 1, ni, w->iv_active, NULL},
        {"iv_started", DR_STATE_I64, 8, ni, w->iv_started, NULL},
        {"iv_held", DR_STATE_I64, 8, ni, w->iv_held, NULL},
        {"iv_rounds", DR_STATE_I64, 8, ni, w->iv_rounds, NULL},
        {"iv_successes", DR_STATE_I64, 8, ni, w->iv_successes, NULL},
        {"iv_progress", DR_STATE_F64, 8, ni, w->iv_progress, NULL},
        {"iv_cost", DR_STATE_F64, 8, ni, w->iv_cost, NULL},
        {"iv_damage", DR_STATE_F64, 8, ni, w->iv_damage, NULL},
        {"ceasefire_left", DR_STATE_I64, 8, nd, w->ceasefire_left, NULL},
        {"ceasefire_by", DR_STATE_I32, 4, nd, w->ceasefire_by, NULL},
        {"ceasefire_damp", DR_STATE_F64, 8, nd, w->ceasefire_damp, NULL},
        {"stalemate", DR_STATE_F64, 8, nd, w->stalemate, NULL},
        {"pw_projects", DR_STATE_F64, 8, na, w->pw_projects, NULL},
        {"pw_blame", DR_STATE_F64, 8, na, w->pw_blame, NULL},
        {"pw_threat", DR_STATE_F64, 8, na, w->pw_threat, NULL},
        {"pw_instability", DR_STATE_F64, 8, 1, &w->pw_instability, NULL},
        /* The civilian agents, one block per field of dr_agents. */
        {"agent_location", DR_STATE_U32, sizeof(uint32_t), n, a->location, NULL},
        {"agent_origin", DR_STATE_U32, sizeof(uint32_t), n, a->origin, NULL},
        {"agent_link", DR_STATE_U32, sizeof(uint32_t), n, a->link, NULL},
        {"agent_plan", DR_STATE_U32, sizeof(uint32_t), n, a->plan, NULL},
        {"agent_km_left", DR_STATE_F32, sizeof(float), n, a->km_left, NULL},
        {"agent_hardship", DR_STATE_F32, sizeof(float), n, a->hardship, NULL},
        {"agent_risk_aversion", DR_STATE_F32, sizeof(float), n, a->risk_aversion, NULL},
        {"agent_since", DR_STATE_U16, sizeof(uint16_t), n, a->since, NULL},
        {"agent_status", DR_STATE_U8, 1, n, a->status, NULL},
        {"agent_documentation", DR_STATE_U8, 1, n, a->documentation, NULL},
        {"agent_flags", DR_STATE_U8, 1, n, a->flags, NULL},
    };
    const size_t k = sizeof list / sizeof list[0];
    _Static_assert(sizeof list / sizeof list[0] <= DR_STATE_MAX_BLOCKS,
                   "raise DR_STATE_MAX_BLOCKS");
    memcpy(out, list, sizeof list);
    return k;
}

void dr_world_state_merge(void *dst, const void *saved, const void *saved_base,
                          const void *cur_base, size_t bytes)
{
    unsigned char *d = dst;
    const unsigned char *s = saved, *sb = saved_base, *cb = cur_base;
    for (size_t k = 0; k < bytes; k++) d[k] = s[k] == sb[k] ? cb[k] : s[k];
}

int dr_world_state_finish(dr_world *w)
{
    const size_t na = w->n_actors, nl = w->n_locations, nr = w->n_routes;
    dr_agents *a = &w->agents;
    for (size_t i = 0; i < a->n; i++)
        if (a->location[i] >= nl || a->origin[i] >= nl ||
            (a->link[i] != DR_AGENT_NONE && a->link[i] >= nr) ||
            a->status[i] >= DR_AGENT_STATUS_COUNT || a->documentation[i] >= DR_DOC_COUNT)
            return -1;
    for (size_t k = 0; k < w->n_pending; k++)
        if (w->pending[k].by >= na || w->pending[k].against >= na) return -1;
    for (size_t r = 0; r < nr; r++)
        if ((unsigned)w->routes[r].status >= DR_CROSSING_STATUS_COUNT ||
            (unsigned)w->reopen_to[r] >= DR_CROSSING_STATUS_COUNT)
            return -1;
    for (size_t d = 0; d < w->n_dyads; d++)
        if (w->posture[d] < -1 || w->posture[d] >= DR_POSTURE_COUNT) return -1;
    int64_t dead = 0;
    for (size_t l = 0; l < nl; l++)
        dead += w->civ_count[l * DR_AGENT_STATUS_COUNT + DR_AGENT_DEAD];
    if (dead != w->civ_dead) return -1;

    /* The phase-7 work space: the world was created with the initial
     * agents' origins marked for return routing; the spawned agents' are
     * marked in agent order, as dr_world_spawn marked them, by appending
     * the first of each run of agents with one origin again (dr_civ_append
     * marks its origin) and putting its saved row back. Its next-hop table
     * is built on the first day after the restart (a world that has not run
     * has none), which gives the table the run had unless a `set` event
     * changed a route's distance since the run last rebuilt it. */
    if (w->civ && a->n_spawned) {
        const size_t n = a->n;
        a->n = a->n_initial;
        while (a->n < n) {
            const size_t i = a->n;
            const uint32_t loc = a->location[i], org = a->origin[i], link = a->link[i],
                           plan = a->plan[i];
            const float km = a->km_left[i], h = a->hardship[i], r = a->risk_aversion[i];
            const uint16_t since = a->since[i];
            const uint8_t st = a->status[i], doc = a->documentation[i], fl = a->flags[i];
            dr_civ_append(w, loc, org, DR_AGENT_RESIDENT, doc, fl, 1);
            a->location[i] = loc;
            a->link[i] = link;
            a->plan[i] = plan;
            a->km_left[i] = km;
            a->hardship[i] = h;
            a->risk_aversion[i] = r;
            a->since[i] = since;
            a->status[i] = st;
            /* The agents after it with the same origin mark nothing new. */
            size_t j = i + 1;
            while (j < n && a->origin[j] == org) j++;
            a->n = j;
        }
    }
    return 0;
}

uint64_t dr_world_state_layout(void)
{
    /* FNV-1a over the sizes and offsets that the stored bytes depend on. */
    const uint64_t v[] = {
        sizeof(dr_params),
        sizeof(dr_actor),
        sizeof(dr_location),
        sizeof(dr_route),
        sizeof(dr_dyad),
        sizeof(dr_retaliation),
        sizeof(int),
        sizeof(dr_crossing_status),
        sizeof(size_t),
        offsetof(dr_actor, recruitment_pool),
        offsetof(dr_location, intensity),
        offsetof(dr_route, status),
        offsetof(dr_dyad, tension),
        offsetof(dr_params, civilians),
        DR_AGENT_BYTES,
        DR_AGENT_STATUS_COUNT,
    };
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        for (int b = 0; b < 8; b++) {
            h ^= (v[k] >> (8 * b)) & 0xffu;
            h *= UINT64_C(1099511628211);
        }
    return h;
}
