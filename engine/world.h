/*
 * world.h — the mutable state of one run, and the tick loop.
 *
 * A world is created from a validated scenario (borrowed: it must outlive
 * the world), a seed and a replication index. The run is a pure function of
 * those three and nothing else: no global state, no shared generator.
 *
 * State is stored as flat arrays (structure of arrays). The output layer
 * reads the fields below directly and must treat them as read-only.
 */
#ifndef DR_WORLD_H
#define DR_WORLD_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "scenario.h"

struct dr_observer;

typedef struct dr_world {
    const dr_scenario *sc; /* borrowed */
    uint64_t seed;
    uint32_t replication;
    int64_t day; /* the day being simulated; -1 before the first */

    /* Mutable copies of the scenario's tables; `set` events write here. */
    dr_params params;
    size_t n_actors, n_locations, n_routes, n_dyads;
    dr_actor *actors;       /* [n_actors] */
    dr_location *locations; /* [n_locations] */
    dr_route *routes;       /* [n_routes]; status is the crossing's state */
    dr_dyad *dyads;         /* [n_dyads]; tension/trust are the state */
    int *withdrawn;         /* [n_actors] 1 after a withdrawal event */

    /* Forces: personnel of actor i at location l is force[i*n_locations+l]. */
    double *force;

    /* Phase 6: conflict intensity I_l (deaths), perceived danger d_l,
     * deaths at the location today (reset at the start of each day). */
    double *intensity;    /* [n_locations] */
    double *danger;       /* [n_locations] */
    double *deaths_today; /* [n_locations] */

    /* Phase 8 state beyond the dyad table: coordination C_ab. */
    double *coordination; /* [n_dyads] */

    /* Crossings: indices of routes of kind crossing, in route order. */
    size_t n_crossings;
    size_t *crossing_routes; /* [n_crossings] */

    /* Work space, allocated once. */
    double *scratch_tension; /* [n_dyads] */
    double *scratch_trust;   /* [n_dyads] */
    int n_threads;           /* OpenMP threads the run uses */
    gsl_rng **rngs;          /* [n_threads] keyed Philox generators */

    size_t next_event; /* first scenario event not yet applied */

    struct dr_observer *obs; /* borrowed, may be NULL */
    int obs_status;          /* first non-zero observer return */
    int n_deportation_events;
} dr_world;

/*
 * Create a world at day "-1" (before the first tick) from a scenario.
 * replication must be <= DR_RNG_REPLICATION_MAX. Returns NULL if memory
 * runs out (nothing is leaked).
 */
dr_world *dr_world_create(const dr_scenario *sc, uint64_t seed,
                          uint32_t replication);
/* Free a world; accepts NULL. */
void dr_world_destroy(dr_world *w);

/* Attach an observer (borrowed) that the observe phase reports to. */
void dr_world_set_observer(dr_world *w, struct dr_observer *obs);

/* Advance one day: run every phase of the phase list in order.
 * Returns 0, or the first non-zero status an observer returned. */
int dr_world_step(dr_world *w);

/* Run all scenario days, calling `progress(days_done, days, arg)` after each
 * day when it is not NULL; a non-zero return from it stops the run with that
 * status (e.g. on SIGINT). Calls the observer's begin, and end with the
 * run's status. Returns 0 if the run completed and the observer kept its
 * output, otherwise the first non-zero status. */
int dr_world_run(dr_world *w, int (*progress)(int64_t, int64_t, void *),
                 void *arg);

/* The phase list, for documentation and `durand check`. */
typedef struct dr_phase {
    const char *name;     /* e.g. "schedule" */
    const char *model_ref;/* e.g. "MODEL.md §2 phase 1" */
    int (*run)(dr_world *w);
} dr_phase;
extern const dr_phase dr_phases[];
extern const size_t dr_n_phases;

/* Write the log entry to the observer (used by phases). */
int dr_world_log(dr_world *w, int kind, size_t actor_a, size_t actor_b,
                 size_t location, size_t route, double value,
                 const char *note);

#endif /* DR_WORLD_H */
