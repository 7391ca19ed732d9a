/*
 * flee_driver.c — the FLEE driver (flee.h): each day's conflicts, spawning
 * and closures applied to a world before its phases run, and the camp
 * populations recorded after them.
 *
 * FLEE's day is: conflict onsets and ends, spawning, closures, then every
 * agent moves. durand's civilian phase (phase 7) is the moving part; this
 * driver is the rest, applied between days so that no phase has to know
 * about FLEE. Everything here is serial and depends only on the case, the
 * day and the keyed stream of the day, so a run stays a pure function of
 * (case, seed, replication).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "civilians.h"
#include "flee.h"
#include "rng.h"
#include "world.h"

struct dr_flee_driver {
    const dr_flee_case *fc; /* borrowed */
    size_t nl, nr, nc;
    dr_flee_kind *kind; /* [nl] FLEE kind now (after location changes) */
    int *camp_closed;   /* [nl] camp closures covering the location */
    int *route_closed;  /* [nr] closures covering the route */
    int64_t *pop;       /* [nl] spawn population, agents */
    double *weight;     /* [nl] spawn weights of the day */
    unsigned int *draw; /* [nl] multinomial counts of the day */
    int64_t *spawned;   /* [nl] agents placed by the last before_day */
    double *camp_sim;   /* [days * nc] */
    int64_t days_recorded;
    int64_t carry; /* agents waiting for a conflict zone */
    int64_t total; /* agents spawned so far */
    gsl_rng *rng;
};

dr_flee_driver *dr_flee_driver_create(const dr_flee_case *fc)
{
    if (!fc) return NULL;
    dr_flee_driver *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->fc = fc;
    d->nl = fc->n_locations;
    d->nr = fc->scenario->n_routes;
    d->nc = fc->n_camps;
    const size_t nl = d->nl ? d->nl : 1;
    d->kind = malloc(nl * sizeof *d->kind);
    d->camp_closed = calloc(nl, sizeof *d->camp_closed);
    d->route_closed = calloc(d->nr ? d->nr : 1, sizeof *d->route_closed);
    d->pop = malloc(nl * sizeof *d->pop);
    d->weight = calloc(nl, sizeof *d->weight);
    d->draw = calloc(nl, sizeof *d->draw);
    d->spawned = calloc(nl, sizeof *d->spawned);
    d->camp_sim = calloc((size_t)fc->days * (d->nc ? d->nc : 1), sizeof *d->camp_sim);
    d->rng = gsl_rng_alloc(dr_rng_philox4x32);
    if (!d->kind || !d->camp_closed || !d->route_closed || !d->pop || !d->weight ||
        !d->draw || !d->spawned || !d->camp_sim || !d->rng) {
        dr_flee_driver_destroy(d);
        return NULL;
    }
    for (size_t l = 0; l < d->nl; l++) {
        d->kind[l] = fc->kind[l];
        d->pop[l] = fc->pop[l];
    }
    return d;
}

void dr_flee_driver_destroy(dr_flee_driver *d)
{
    if (!d) return;
    gsl_rng_free(d->rng);
    free(d->camp_sim);
    free(d->spawned);
    free(d->draw);
    free(d->weight);
    free(d->pop);
    free(d->route_closed);
    free(d->camp_closed);
    free(d->kind);
    free(d);
}

static int is_camp_kind(dr_flee_kind k)
{
    return k == DR_FLEE_CAMP || k == DR_FLEE_IDPCAMP;
}

/* The engine's location type for FLEE kind k, in conflict or not, with a
 * camp closure running or not. */
static dr_location_type type_of(dr_flee_kind k, int in_conflict, int camp_closed)
{
    if (is_camp_kind(k)) return camp_closed ? DR_LOC_TOWN : DR_LOC_CAMP;
    if (in_conflict) return DR_LOC_CONFLICT_ZONE;
    switch (k) {
    case DR_FLEE_FORWARD:
    case DR_FLEE_MARKER:
        return DR_LOC_CROSSING;
    default:
        return DR_LOC_TOWN;
    }
}

/* Add `delta` (+1 close, -1 reopen) to every route closure k covers, or to
 * its camp. */
static void apply_closure(dr_flee_driver *d, dr_world *w, const dr_flee_closure *k,
                          int delta)
{
    const dr_scenario *sc = d->fc->scenario;
    if (k->type == DR_FLEE_CLOSE_FORCED_REDIRECTION)
        return; /* routing ignores the flag */
    if (k->type == DR_FLEE_CLOSE_CAMP || k->type == DR_FLEE_CLOSE_IDPCAMP) {
        d->camp_closed[k->a] += delta;
        return;
    }
    for (size_t r = 0; r < d->nr; r++) {
        const dr_route *rt = &sc->routes[r];
        int hit = 0;
        switch (k->type) {
        case DR_FLEE_CLOSE_COUNTRY: {
            size_t ca = sc->locations[rt->from].country,
                   cb = sc->locations[rt->to].country;
            hit = (ca == k->a && cb == k->b) || (ca == k->b && cb == k->a);
            break;
        }
        case DR_FLEE_CLOSE_LOCATION:
            hit = rt->from == k->a || rt->to == k->a;
            break;
        case DR_FLEE_CLOSE_LINK:
            hit = (rt->from == k->a && rt->to == k->b) ||
                  (rt->from == k->b && rt->to == k->a);
            break;
        default:
            break;
        }
        if (!hit) continue;
        d->route_closed[r] += delta;
        w->routes[r].status =
            d->route_closed[r] > 0 ? DR_CROSSING_CLOSED : sc->routes[r].status;
    }
}

int dr_flee_driver_before_day(dr_flee_driver *d, dr_world *w)
{
    const dr_flee_case *fc = d->fc;
    const dr_flee_settings *st = &fc->settings;
    const int64_t t = w->day + 1;
    const size_t nl = d->nl;
    if (t < 0 || t >= fc->days) return 0;
    memset(d->spawned, 0, nl * sizeof *d->spawned);

    /* 1. Location changes. */
    for (size_t k = 0; k < fc->n_changes; k++)
        if (fc->changes[k].day == t)
            d->kind[fc->changes[k].location] = fc->changes[k].kind;

    /* 4 (early). Closures of day t, applied before the types are set so
     * that a camp closed today is a town today, as in FLEE (which closes
     * before agents move). Route statuses only matter to the phases. */
    for (size_t k = 0; k < fc->n_closures; k++) {
        const dr_flee_closure *c = &fc->closures[k];
        if (c->start == t) apply_closure(d, w, c, +1);
        if (c->end == t) apply_closure(d, w, c, -1);
    }

    /* 2. Conflict state and spawn weights. */
    double total_w = 0.0;
    const double *cf = fc->conflict + (size_t)t * nl;
    const int64_t *on = fc->onset + (size_t)t * nl;
    for (size_t l = 0; l < nl; l++) {
        const int in_conflict = cf[l] > 0.0;
        w->locations[l].type = type_of(d->kind[l], in_conflict, d->camp_closed[l] > 0);
        if (in_conflict) {
            double decay = dr_flee_conflict_decay(st, t - on[l]);
            double x = cf[l] * decay;
            w->intensity[l] = cf[l];
            w->danger[l] = x < 1.0 ? x : 1.0;
            d->weight[l] = (double)d->pop[l] * x;
        } else {
            w->intensity[l] = 0.0;
            w->danger[l] = 0.0;
            d->weight[l] = 0.0;
        }
        if (!(d->weight[l] > 0.0)) d->weight[l] = 0.0;
        total_w += d->weight[l];
    }

    /* 3. Spawning. Day-0 camp populations first. */
    if (t == 0) {
        for (size_t c = 0; c < d->nc; c++) {
            int64_t n = fc->day0[c];
            if (n <= 0) continue;
            size_t loc = fc->camp_location[c];
            int status = (int)dr_civ_displaced_status(w, loc, 0);
            int rc = dr_world_spawn(w, loc, 0, status, DR_DOC_CITIZEN, (size_t)n);
            if (rc) return rc;
            d->spawned[loc] += n;
            d->total += n;
        }
    }
    int64_t n = fc->new_agents[t] + d->carry;
    d->carry = 0;
    if (n > 0 && !(total_w > 0.0)) {
        d->carry = n;
    } else if (n > 0) {
        /* Multinomial in chunks that fit an unsigned int. */
        dr_rng_stream(d->rng, w->seed, w->replication, DR_RNG_FLEE_SPAWN, 0, (uint32_t)t);
        int64_t left = n;
        while (left > 0) {
            unsigned int chunk = left > 1000000000 ? 1000000000u : (unsigned int)left;
            gsl_ran_multinomial(d->rng, nl, chunk, d->weight, d->draw);
            for (size_t l = 0; l < nl; l++) {
                if (!d->draw[l]) continue;
                int status = (int)dr_civ_displaced_status(w, l, l);
                int rc = dr_world_spawn(w, l, l, status, DR_DOC_CITIZEN, d->draw[l]);
                if (rc) return rc;
                d->spawned[l] += d->draw[l];
                if (st->take_from_population) {
                    d->pop[l] -= (int64_t)d->draw[l];
                    if (d->pop[l] < 0) d->pop[l] = 0;
                }
            }
            left -= chunk;
        }
        d->total += n;
    }
    return 0;
}

void dr_flee_driver_after_day(dr_flee_driver *d, const dr_world *w)
{
    const dr_flee_case *fc = d->fc;
    const int64_t t = w->day;
    if (t < 0 || t >= fc->days) return;
    for (size_t c = 0; c < d->nc; c++) {
        size_t l = fc->camp_location[c];
        int64_t n = 0;
        for (int s = 0; s < DR_AGENT_DEAD; s++)
            n += w->civ_count[l * DR_AGENT_STATUS_COUNT + (size_t)s];
        d->camp_sim[(size_t)t * d->nc + c] = (double)n;
    }
    if (t + 1 > d->days_recorded) d->days_recorded = t + 1;
}

const int64_t *dr_flee_driver_spawned(const dr_flee_driver *d)
{
    return d->spawned;
}

const double *dr_flee_driver_camp_sim(const dr_flee_driver *d)
{
    return d->camp_sim;
}

int64_t dr_flee_driver_days_recorded(const dr_flee_driver *d)
{
    return d->days_recorded;
}

int64_t dr_flee_driver_unplaced(const dr_flee_driver *d)
{
    return d->carry;
}

int64_t dr_flee_driver_total_spawned(const dr_flee_driver *d)
{
    return d->total;
}
