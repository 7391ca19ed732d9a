/*
 * civilians.h — civilian agents and phase 7 (MODEL.md §1, §2 phase 7),
 * internal to the engine (tests include it for the closed forms).
 *
 * The agents themselves live in the world (dr_agents, world.h); this module
 * owns the work space of phase 7 (dr_civ_work: the route graph, candidate
 * routes, per-location probabilities of the day, per-thread partial counts),
 * creates and grows the agent arrays, and runs the phase. The rules and
 * their settings are documented in scenarios/REFERENCE.md § model.civilians.
 */
#ifndef DR_CIVILIANS_H
#define DR_CIVILIANS_H

#include "world.h"

typedef struct dr_civ_work dr_civ_work;

/* Largest number of links a location may have (a planned hop is one byte,
 * 0xff marks "no hop"). */
#define DR_CIV_MAX_DEGREE 254u

/* Legs (links entered) an agent may travel in one day; a bound against
 * endless hopping on very short links (FLEE stops at Python's recursion
 * limit instead). */
#define DR_CIV_MAX_LEGS 16

/*
 * Create the phase-7 work space of w (its graph, candidate routes to depth
 * w->params.civilians.awareness_level, per-location arrays, per-thread
 * partial counts for w->n_threads threads). Reads the world's locations and
 * routes, which must already be filled in. Returns NULL when memory runs out
 * or a location has more than DR_CIV_MAX_DEGREE links.
 */
dr_civ_work *dr_civ_work_create(const dr_world *w);

/* Free a work space; accepts NULL. */
void dr_civ_work_destroy(dr_civ_work *c);

/* Make room for at least `cap` agents in w->agents (keeping the first
 * w->agents.n rows). Returns 0, or -2 when memory runs out (the agents are
 * unchanged, possibly with some arrays already larger). */
int dr_civ_reserve(dr_world *w, size_t cap);

/* Free the agent arrays of w (w->agents becomes empty). */
void dr_civ_free_agents(dr_world *w);

/* Append n agents (rows w->agents.n .. n+n-1, capacity already reserved)
 * at `location` with home `origin`, the given status, documentation and
 * flags (DR_AGENT_* bits),
 * H and R drawn from their keyed streams (purpose DR_RNG_CIVILIAN_INIT),
 * and mark `origin` for return routing. Does not touch the counts. */
void dr_civ_append(dr_world *w, size_t location, size_t origin, int status, int doc,
                   uint8_t flags, size_t n);

/* Rebuild the location counts (civ_count, civ_on_route, civ_active,
 * civ_dead) from the agent arrays, serially. */
void dr_civ_recount(dr_world *w);

/* Take every agent through the general per-agent rules (on = 0) instead
 * of the quiet batches that decide most agents' ordinary day at once (on =
 * 1, the default). The results are the same either way: for tests and
 * benchmarks. */
void dr_civ_set_quiet_batches(dr_world *w, int on);

/* Philox blocks computed together by dr_civ_philox_lanes. */
#define DR_CIV_LANES 16u

/* The Philox4x32-10 blocks of the DR_CIV_LANES counters
 * (0, entity0 + k, tick, word3) under `key`, k = 0 .. DR_CIV_LANES - 1:
 * out[k] equals dr_rng_philox_block of the same counter and key, computed
 * lane-parallel for speed. */
void dr_civ_philox_lanes(const uint32_t key[2], uint32_t entity0, uint32_t tick,
                         uint32_t word3, uint32_t out[DR_CIV_LANES][4]);

/* How many implementations of dr_civ_philox_lanes this build has (portable
 * C, then SSE2 and AVX2 on x86-64); dr_civ_philox_lanes runs the widest one
 * the processor supports. All give the same words. */
int dr_civ_philox_variants(void);

/* dr_civ_philox_lanes computed by implementation v (0 .. variants - 1).
 * Returns 0, or -1 when this processor cannot run it (nothing written).
 * For tests and benchmarks. */
int dr_civ_philox_lanes_variant(int v, const uint32_t key[2], uint32_t entity0,
                                uint32_t tick, uint32_t word3,
                                uint32_t out[DR_CIV_LANES][4]);

/* Epstein's arrest probability P = 1 - exp(-k * security / max(1, actives))
 * for `security` security agents and `actives` active agents in view. */
double dr_civ_arrest_probability(double k, double security, double actives);

/* FLEE's capacity multiplier of a destination holding `occupancy` persons
 * with capacity `capacity` (0 = unlimited) and buffer B: 1 up to B*capacity,
 * 0 from capacity on, linear in between. */
double dr_civ_capacity_multiplier(double occupancy, double capacity, double buffer);

/* The status a displaced agent has at `location` given its origin: idp in
 * the origin's country, refugee elsewhere. */
dr_agent_status dr_civ_displaced_status(const dr_world *w, size_t location,
                                        size_t origin);

#ifdef DR_DEBUG_CHECKS
/* Assert the invariants of phase 7's work space after a day: every
 * probability of the day in [0, 1], sorted offsets and cumulative route
 * weights, indices in range (world.c calls it with the world's checks). */
void dr_civ_check(const dr_world *w);
#endif

#endif /* DR_CIVILIANS_H */
