/*
 * rng.c — Philox4x32-10 behind a gsl_rng_type, and keyed stream selection.
 *
 * The block function comes from Debian's Random123 headers (a pure function
 * of a 128-bit counter and a 64-bit key). This file adds the little state a
 * gsl_rng needs to hand out one 32-bit word at a time: the key, the counter
 * of the next block, and the four words of the current block with an index
 * into them. The key and counter layout is the one fixed in rng.h.
 *
 * Random123's philox.h was checked to compile without warnings under
 * -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
 * -Wmissing-prototypes with gcc 12 and clang, so it is included without any
 * diagnostic pragmas.
 */
#include "rng.h"

#include <Random123/philox.h>
#include <assert.h>
#include <string.h>

/* The number of Philox rounds. Fixed at 10 here rather than taken from
 * PHILOX4x32_DEFAULT_ROUNDS, so that a build defining that macro cannot
 * silently change every stream. */
#define DR_RNG_ROUNDS 10u

/* Words per Philox4x32 block. */
#define DR_RNG_BLOCK_WORDS 4u

/* The state behind a gsl_rng of type dr_rng_philox4x32. A stream is the
 * sequence of blocks philox(ctr, key) for ctr[0] = 0, 1, 2, ..., with the
 * other counter words held fixed; its words are handed out in block order and,
 * within a block, in index order.
 *
 * Invariant: when next < DR_RNG_BLOCK_WORDS, buf holds the block for counter
 * value ctr[0] - 1 (modulo 2^32) and buf[next] is the next word to return;
 * when next == DR_RNG_BLOCK_WORDS, the buffer is spent and the next draw
 * computes the block for ctr[0]. A stream therefore holds 2^32 blocks
 * (2^34 words) before ctr[0] wraps around and the stream repeats. */
typedef struct dr_rng_state {
    uint32_t key[2];                  /* Philox key: seed low, seed high */
    uint32_t ctr[4];                  /* counter of the next block to compute */
    uint32_t buf[DR_RNG_BLOCK_WORDS]; /* words of the current block */
    unsigned next;                    /* index of the next word in buf */
} dr_rng_state;

/* One raw block, out = philox4x32_10(ctr, key), as declared in rng.h. Both
 * inputs are copied before `out` is written, so `out` may alias `ctr`. */
void dr_rng_philox_block(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    philox4x32_ctr_t c;
    philox4x32_key_t k;
    memcpy(c.v, ctr, sizeof c.v);
    memcpy(k.v, key, sizeof k.v);
    philox4x32_ctr_t r = philox4x32_R(DR_RNG_ROUNDS, c, k);
    memcpy(out, r.v, sizeof r.v);
}

/* Key `s` with `seed`, put the counter at block 0 of the stream whose other
 * counter words are ctr1..ctr3, and mark the buffer spent so that the next
 * draw is word 0 of block 0. */
static void dr_rng_state_reset(dr_rng_state *s, uint64_t seed, uint32_t ctr1,
                               uint32_t ctr2, uint32_t ctr3)
{
    s->key[0] = (uint32_t)(seed & 0xffffffffu);
    s->key[1] = (uint32_t)(seed >> 32);
    s->ctr[0] = 0;
    s->ctr[1] = ctr1;
    s->ctr[2] = ctr2;
    s->ctr[3] = ctr3;
    memset(s->buf, 0, sizeof s->buf);
    s->next = DR_RNG_BLOCK_WORDS;
}

/* Return the next 32-bit word of the stream, computing a new block (and
 * advancing the block counter ctr[0]) when the current one is spent. */
static uint32_t dr_rng_next_word(dr_rng_state *s)
{
    if (s->next >= DR_RNG_BLOCK_WORDS) {
        dr_rng_philox_block(s->ctr, s->key, s->buf);
        s->ctr[0]++; /* unsigned: wraps after 2^32 blocks, see dr_rng_state */
        s->next = 0;
    }
    return s->buf[s->next++];
}

/* gsl_rng_type.set: key with `seed` (all 64 bits where unsigned long has
 * them) and zero every other counter field, i.e. the stream
 * (seed, replication 0, purpose DR_RNG_TEST, entity 0, tick 0). */
static void dr_rng_type_set(void *state, unsigned long int seed)
{
    dr_rng_state_reset(state, (uint64_t)seed, 0, 0, 0);
}

/* gsl_rng_type.get: the next 32-bit word, in [0, 0xffffffff]. */
static unsigned long int dr_rng_type_get(void *state)
{
    return dr_rng_next_word(state);
}

/* gsl_rng_type.get_double: a uniform double in [0, 1) with 53 random bits.
 * It consumes two words: the top 27 bits of the first give the high part and
 * the top 26 bits of the second the low part, so the result is k / 2^53 for a
 * uniform integer k in [0, 2^53 - 1], exactly representable. */
static double dr_rng_type_get_double(void *state)
{
    dr_rng_state *s = state;
    uint32_t hi = dr_rng_next_word(s) >> 5;
    uint32_t lo = dr_rng_next_word(s) >> 6;
    return ((double)hi * 67108864.0 + (double)lo) * (1.0 / 9007199254740992.0);
}

/* The generator type. Its state is plain data, so gsl_rng_clone and
 * gsl_rng_memcpy copy a stream together with its position. */
static const gsl_rng_type dr_rng_philox4x32_type = {
    .name = "philox4x32_10",
    .max = 0xffffffffUL,
    .min = 0UL,
    .size = sizeof(dr_rng_state),
    .set = dr_rng_type_set,
    .get = dr_rng_type_get,
    .get_double = dr_rng_type_get_double,
};

const gsl_rng_type *dr_rng_philox4x32 = &dr_rng_philox4x32_type;

/* The caller must have validated replication and purpose (a scenario or
 * command-line check); they are asserted here. In a build without asserts the
 * fields are masked to their widths, so an out-of-range replication can at
 * worst alias another replication, never another purpose. */
void dr_rng_stream(gsl_rng *r, uint64_t seed, uint32_t replication,
                   dr_rng_purpose purpose, uint32_t entity, uint32_t tick)
{
    assert(r != NULL);
    assert(r->type == dr_rng_philox4x32);
    assert(replication <= DR_RNG_REPLICATION_MAX);
    assert((uint32_t)purpose <= (uint32_t)DR_RNG_PURPOSE_MAX);
    uint32_t rep = replication & DR_RNG_REPLICATION_MAX;
    uint32_t pur = (uint32_t)purpose & (uint32_t)DR_RNG_PURPOSE_MAX;
    dr_rng_state_reset(r->state, seed, entity, tick, pur << 20 | rep);
}
