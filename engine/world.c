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

#include "observer.h"
#include "rng.h"

const char *const dr_log_kind_names[DR_LOG_KIND_COUNT] = {
    "border_regulation", "deportation", "deployment", "shock",
    "summit",            "withdrawal",  "set",
};

/* Allocate n zeroed elements of size sz; NULL-safe for n == 0 (returns a
 * valid 1-byte allocation so that NULL always means failure). */
static void *dr_calloc(size_t n, size_t sz)
{
    return calloc(n ? n : 1, sz ? sz : 1);
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

    w->actors = dr_calloc(w->n_actors, sizeof *w->actors);
    w->locations = dr_calloc(w->n_locations, sizeof *w->locations);
    w->routes = dr_calloc(w->n_routes, sizeof *w->routes);
    w->dyads = dr_calloc(w->n_dyads, sizeof *w->dyads);
    w->withdrawn = dr_calloc(w->n_actors, sizeof *w->withdrawn);
    w->force = dr_calloc(w->n_actors * w->n_locations, sizeof *w->force);
    w->intensity = dr_calloc(w->n_locations, sizeof *w->intensity);
    w->danger = dr_calloc(w->n_locations, sizeof *w->danger);
    w->deaths_today = dr_calloc(w->n_locations, sizeof *w->deaths_today);
    w->coordination = dr_calloc(w->n_dyads, sizeof *w->coordination);
    w->crossing_routes = dr_calloc(w->n_routes, sizeof *w->crossing_routes);
    w->scratch_tension = dr_calloc(w->n_dyads, sizeof *w->scratch_tension);
    w->scratch_trust = dr_calloc(w->n_dyads, sizeof *w->scratch_trust);
    w->n_threads = omp_get_max_threads();
    if (w->n_threads < 1) w->n_threads = 1;
    w->rngs = dr_calloc((size_t)w->n_threads, sizeof *w->rngs);
    if (!w->actors || !w->locations || !w->routes || !w->dyads ||
        !w->withdrawn || !w->force || !w->intensity || !w->danger ||
        !w->deaths_today || !w->coordination || !w->crossing_routes ||
        !w->scratch_tension || !w->scratch_trust || !w->rngs) {
        dr_world_destroy(w);
        return NULL;
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
    return w;
}

void dr_world_destroy(dr_world *w)
{
    if (!w) return;
    if (w->rngs)
        for (int t = 0; t < w->n_threads; t++) gsl_rng_free(w->rngs[t]);
    free(w->rngs);
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
    for (size_t r = 0; r < w->n_routes; r++)
        assert(w->routes[r].status < DR_CROSSING_STATUS_COUNT &&
               w->routes[r].pass_fraction >= 0.0 && w->routes[r].pass_fraction <= 1.0);
    for (size_t e = 1; e < w->sc->n_events; e++)
        assert(w->sc->events[e - 1].day <= w->sc->events[e].day);
}
#endif

int dr_world_step(dr_world *w)
{
    w->day++;
    /* Per-day tallies start at zero; the phases fill them. */
    memset(w->deaths_today, 0, w->n_locations * sizeof *w->deaths_today);
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
