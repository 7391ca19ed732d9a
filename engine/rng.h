/*
 * rng.h — keyed, counter-based random streams.
 *
 * Every random draw in durand comes from a stream keyed by
 * (seed, replication, purpose, entity, tick). The generator is Philox4x32-10
 * (Salmon et al. 2011, Random123), exposed as a gsl_rng_type so that GSL's
 * distributions (gsl_ran_gaussian, gsl_ran_poisson, gsl_ran_binomial, ...)
 * draw from it. A stream has no state beyond its key and a draw counter, so
 * the numbers an entity gets on a tick do not depend on which thread or rank
 * computes it, nor on what other entities drew.
 *
 * Layout of the Philox key and counter (fixed; changing it changes every
 * result ever produced):
 *   key[0] = low 32 bits of seed, key[1] = high 32 bits of seed
 *   ctr[0] = draw block index within the stream (incremented per 4 words)
 *   ctr[1] = entity
 *   ctr[2] = tick
 *   ctr[3] = purpose << 20 | replication   (replication < 2^20, purpose < 2^12)
 */
#ifndef DR_RNG_H
#define DR_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* What a stream is used for. Values are part of the key: NEVER renumber or
 * reuse a value; a new mechanism appends a new one. */
typedef enum dr_rng_purpose {
    DR_RNG_TEST = 0,      /* unit tests only */
    DR_RNG_RELATIONS = 1, /* phase 8: tension noise, entity = dyad index */
    DR_RNG_DESIGN = 2,    /* sweep designs (LHS, Morris), entity = parameter */
    DR_RNG_BOOTSTRAP = 3, /* sensitivity bootstrap, entity = indicator */
    DR_RNG_POSTURE = 4,   /* phase 3: posture noise, entity = dyad index */
    DR_RNG_CLASH = 5,     /* phase 4: clashes, entity = clash channel */
    DR_RNG_ATTACK = 6,    /* phase 5: militant operations, entity = group x location */
    DR_RNG_STRIKE = 7,    /* phase 4/5: strikes, retaliation, closures */
    DR_RNG_CIVILIANS = 8, /* phase 7: first word of an agent's day, entity =
                             agent / 4 (agent i takes word i % 4) */
    DR_RNG_CIVILIAN_INIT = 9,   /* initial H and R, entity = agent, tick 0 */
    DR_RNG_CIVILIAN_DRAWS = 10, /* phase 7: an agent's further words of the
                                   day, entity = agent */
    DR_RNG_FLEE_SPAWN = 10,     /* FLEE driver: conflict zones of the day's new
                                   agents, entity 0, tick = day */
    DR_RNG_MEDIATION = 11,      /* phase 2: mediation rounds, entity = mediator actor
                                   + n_actors x its earlier rounds that day */
    DR_RNG_CEASEFIRE = 12,      /* phase 2: ceasefire breakdown, entity = dyad */
    DR_RNG_PURPOSE_MAX = 4095
} dr_rng_purpose;

#define DR_RNG_REPLICATION_MAX ((1u << 20) - 1u)

/* The GSL generator type. gsl_rng_set(r, s) keys it with seed s, stream 0 of
 * every other field; dr_rng_stream() selects a keyed stream. */
extern const gsl_rng_type *dr_rng_philox4x32;

/* Point `r` (allocated with dr_rng_philox4x32) at the start of the stream
 * (seed, replication, purpose, entity, tick). Cheap: no allocation. */
void dr_rng_stream(gsl_rng *r, uint64_t seed, uint32_t replication,
                   dr_rng_purpose purpose, uint32_t entity, uint32_t tick);

/* One raw Philox4x32-10 block: out = philox4x32_10(ctr, key). Exposed for
 * known-answer tests. */
void dr_rng_philox_block(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

#endif /* DR_RNG_H */
