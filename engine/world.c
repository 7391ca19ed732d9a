/*
 * world.c — creating and destroying a world, and the tick loop around the
 * phase list (phases.c).
 */
#include "world.h"

#include <assert.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "civilians.h"
#include "observer.h"
#include "rng.h"

const char *const dr_log_kind_names[DR_LOG_KIND_COUNT] = {
    "border_regulation", "deportation", "deployment", "shock",
    "summit",            "withdrawal",  "set",         "clash",
    "attack",            "strike",      "retaliation", "closure",
    "reopening",
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
                if (out)
                    out[n] = (dr_channel){i, j, ij, ji, l, DR_NONE};
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

dr_world *dr_world_create(const dr_scenario *sc, uint64_t seed,
                          uint32_t replication)
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

    const size_t na = w->n_actors, nl = w->n_locations, nr = w->n_routes,
                 nd = w->n_dyads;
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
        w->danger[l] = 1.0 - exp(-w->intensity[l] /
                                 w->params.intensity.reference_deaths);
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
        const int status = cv->location == cv->origin
                               ? (int)DR_AGENT_RESIDENT
                               : (int)dr_civ_displaced_status(w, cv->location, cv->origin);
        for (int d = 0; d < DR_DOC_COUNT; d++) {
            int64_t k = (cv->count[d] + scale / 2) / scale;
            uint8_t flags = status != DR_AGENT_RESIDENT && w->params.civilians.initial_settled
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

int dr_world_spawn(dr_world *w, size_t location, size_t origin, int status,
                   int doc, size_t n)
{
    if (!w || location >= w->n_locations || origin >= w->n_locations ||
        status < 0 || status >= (int)DR_AGENT_DEAD || doc < 0 || doc >= DR_DOC_COUNT ||
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

int dr_world_log(dr_world *w, int kind, size_t actor_a, size_t actor_b,
                 size_t location, size_t route, double value, const char *note)
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

int dr_world_run(dr_world *w, int (*progress)(int64_t, int64_t, void *),
                 void *arg)
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
