/*
 * test_rng.c — keyed Philox streams (engine/rng.c).
 *
 * Layers, in order: known answers for the raw Philox4x32-10 block function;
 * the gsl_rng_type interface (word order, 53-bit doubles, keying and
 * restarting of streams, the key and counter layout of rng.h); statistical
 * tests of GSL distributions drawn through the generator, both from one long
 * stream and from many one-draw entity streams as the engine uses them; and
 * correlation between neighbouring streams.
 *
 * Every statistical test uses a fixed key, so its outcome is deterministic.
 * Tolerances are 5 standard errors of the statistic under the null
 * hypothesis (the generator is ideal): for a correct generator each check
 * would fail by chance with probability about 6e-7, and a key that happened to
 * fail would be a finding, not a reason to change the key.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dr_test.h"
#include "rng.h"

/* The key of all statistical tests. Arbitrary, fixed, and using both halves of
 * the 64-bit seed. */
#define STAT_SEED UINT64_C(0x5eed0f0d4a2d1c3b)

/* Draws per statistical check, and streams per correlation check. */
#define STAT_N 1000000u

/* Tolerance of every statistical check, in standard errors. */
#define STAT_SIGMAS 5.0

/* Allocate a generator of the type under test; the calling test stops if
 * allocation fails. */
static gsl_rng *new_rng(void)
{
    gsl_rng *r = gsl_rng_alloc(dr_rng_philox4x32);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return r;
}

/* The word of a stream with the given key and counter words 1..3 at position
 * `index` (block index / 4, word index % 4), computed from the raw block
 * function: the reference the gsl_rng interface is checked against. */
static uint32_t reference_word(const uint32_t key[2], uint32_t c1, uint32_t c2,
                               uint32_t c3, uint32_t index)
{
    const uint32_t ctr[4] = {index / 4u, c1, c2, c3};
    uint32_t out[4];
    dr_rng_philox_block(ctr, key, out);
    return out[index % 4u];
}

/* ---------------------------------------------------------------------------
 * Known answers
 * ------------------------------------------------------------------------- */

/* Random123's kat_vectors, the three "philox4x32 10" lines: counter (4 words),
 * key (2 words), expected block (4 words). */
typedef struct kat_vector {
    uint32_t ctr[4];
    uint32_t key[2];
    uint32_t expect[4];
} kat_vector;

static const kat_vector kat_vectors[] = {
    {{0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u},
     {0x00000000u, 0x00000000u},
     {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
    {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
     {0xffffffffu, 0xffffffffu},
     {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
    {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
     {0xa4093822u, 0x299f31d0u},
     {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
};

static void test_philox_known_answers(void)
{
    for (size_t i = 0; i < sizeof kat_vectors / sizeof kat_vectors[0]; i++) {
        const kat_vector *v = &kat_vectors[i];
        uint32_t out[4];
        dr_rng_philox_block(v->ctr, v->key, out);
        for (size_t j = 0; j < 4; j++) CU_ASSERT_EQUAL(out[j], v->expect[j]);

        /* The output may overwrite the counter in place. */
        uint32_t inplace[4];
        memcpy(inplace, v->ctr, sizeof inplace);
        dr_rng_philox_block(inplace, v->key, inplace);
        CU_ASSERT_EQUAL(memcmp(inplace, v->expect, sizeof inplace), 0);
    }
}

/* The all-zero known answer reached through the GSL interface: seed 0 and
 * every stream field 0 is counter (0,0,0,0), key (0,0). */
static void test_gsl_known_answer(void)
{
    gsl_rng *r = new_rng();
    gsl_rng_set(r, 0);
    for (size_t j = 0; j < 4; j++)
        CU_ASSERT_EQUAL(gsl_rng_get(r), kat_vectors[0].expect[j]);
    dr_rng_stream(r, 0, 0, DR_RNG_TEST, 0, 0);
    for (size_t j = 0; j < 4; j++)
        CU_ASSERT_EQUAL(gsl_rng_get(r), kat_vectors[0].expect[j]);
    gsl_rng_free(r);
}

/* ---------------------------------------------------------------------------
 * The gsl_rng_type interface
 * ------------------------------------------------------------------------- */

static void test_type_fields(void)
{
    CU_ASSERT_STRING_EQUAL(dr_rng_philox4x32->name, "philox4x32_10");
    CU_ASSERT_EQUAL(dr_rng_philox4x32->min, 0UL);
    CU_ASSERT_EQUAL(dr_rng_philox4x32->max, 0xffffffffUL);
    CU_ASSERT(dr_rng_philox4x32->size > 0);
    gsl_rng *r = new_rng();
    CU_ASSERT_STRING_EQUAL(gsl_rng_name(r), "philox4x32_10");
    CU_ASSERT_EQUAL(gsl_rng_min(r), 0UL);
    CU_ASSERT_EQUAL(gsl_rng_max(r), 0xffffffffUL);
    gsl_rng_free(r);
}

/* gsl_rng_set(r, s) keys with all bits of s and yields the words of blocks
 * ctr = (0,0,0,0), (1,0,0,0), ... in order. */
static void test_get_is_block_sequence(void)
{
#if ULONG_MAX > 0xffffffffUL
    const unsigned long seed = 0x299f31d0a4093822UL;
#else
    const unsigned long seed = 0xa4093822UL;
#endif
    const uint32_t key[2] = {(uint32_t)((uint64_t)seed & 0xffffffffu),
                             (uint32_t)((uint64_t)seed >> 32)};
    gsl_rng *r = new_rng();
    gsl_rng_set(r, seed);
    for (uint32_t b = 0; b < 64; b++) {
        const uint32_t ctr[4] = {b, 0, 0, 0};
        uint32_t block[4];
        dr_rng_philox_block(ctr, key, block);
        for (size_t j = 0; j < 4; j++) CU_ASSERT_EQUAL(gsl_rng_get(r), block[j]);
    }
    gsl_rng_free(r);
}

/* dr_rng_stream places seed, entity, tick, purpose and replication exactly as
 * the layout comment of rng.h says, including at the edges of each field. */
static void test_stream_layout(void)
{
    typedef struct {
        uint64_t seed;
        uint32_t rep;
        dr_rng_purpose purpose;
        uint32_t entity, tick;
    } stream_key;
    static const stream_key keys[] = {
        {UINT64_C(0), 0u, DR_RNG_TEST, 0u, 0u},
        {UINT64_C(0x0123456789abcdef), 7u, DR_RNG_RELATIONS, 12345u, 678u},
        {UINT64_MAX, DR_RNG_REPLICATION_MAX, DR_RNG_PURPOSE_MAX, UINT32_MAX, UINT32_MAX},
        {UINT64_C(1) << 32, 1u, DR_RNG_TEST, 1u, 1u},
    };
    gsl_rng *r = new_rng();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const stream_key *k = &keys[i];
        const uint32_t key[2] = {(uint32_t)(k->seed & 0xffffffffu),
                                 (uint32_t)(k->seed >> 32)};
        const uint32_t c3 = (uint32_t)k->purpose << 20 | k->rep;
        dr_rng_stream(r, k->seed, k->rep, k->purpose, k->entity, k->tick);
        for (uint32_t w = 0; w < 12; w++)
            CU_ASSERT_EQUAL(gsl_rng_get(r),
                            reference_word(key, k->entity, k->tick, c3, w));
    }
    gsl_rng_free(r);
}

/* get_double is (first word >> 5) * 2^26 + (second word >> 6), over 2^53, and
 * consumes exactly two words, across a block boundary if need be. */
static void test_get_double(void)
{
    const uint64_t seed = UINT64_C(0xfeedface12345678);
    const uint32_t key[2] = {0x12345678u, 0xfeedfaceu};
    gsl_rng *r = new_rng();
    dr_rng_stream(r, seed, 0, DR_RNG_TEST, 0, 0);

    /* Words 0..1 and 2..3 of block 0. */
    for (uint32_t w = 0; w < 4; w += 2) {
        double expect = ((double)(reference_word(key, 0, 0, 0, w) >> 5) * 67108864.0 +
                         (double)(reference_word(key, 0, 0, 0, w + 1) >> 6)) /
                        9007199254740992.0;
        CU_ASSERT_EQUAL(gsl_rng_uniform(r), expect);
    }

    /* A double straddling blocks 1 and 2, then a word: words 4..6 are taken
     * as integers, 7 and 8 form the double, and 9 comes next. */
    for (uint32_t w = 4; w < 7; w++)
        CU_ASSERT_EQUAL(gsl_rng_get(r), reference_word(key, 0, 0, 0, w));
    double expect = ((double)(reference_word(key, 0, 0, 0, 7) >> 5) * 67108864.0 +
                     (double)(reference_word(key, 0, 0, 0, 8) >> 6)) /
                    9007199254740992.0;
    CU_ASSERT_EQUAL(gsl_rng_uniform(r), expect);
    CU_ASSERT_EQUAL(gsl_rng_get(r), reference_word(key, 0, 0, 0, 9));

    /* Every double lies in [0, 1) and its 53 bits are all used: k = u 2^53 is
     * an integer, and some k are odd (the low bit is live). */
    int odd_seen = 0, bad = 0;
    for (int i = 0; i < 10000; i++) {
        double u = gsl_rng_uniform(r);
        double k = u * 9007199254740992.0;
        if (!(u >= 0.0 && u < 1.0) || k != floor(k)) bad++;
        if (fmod(k, 2.0) == 1.0) odd_seen = 1;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(odd_seen);
    gsl_rng_free(r);
}

/* The first block of a stream, as four words. */
static void first_block(gsl_rng *r, uint64_t seed, uint32_t rep, dr_rng_purpose purpose,
                        uint32_t entity, uint32_t tick, uint32_t out[4])
{
    dr_rng_stream(r, seed, rep, purpose, entity, tick);
    for (size_t j = 0; j < 4; j++) out[j] = (uint32_t)gsl_rng_get(r);
}

/* Changing any one field of the key, by one unit or in the high half of the
 * seed, gives a different stream; so does moving between the top replication
 * of one purpose and replication 0 of the next (the fields do not overlap). */
static void test_stream_keys_distinct(void)
{
    enum { n_variants = 10 };
    uint32_t blocks[n_variants][4];
    const uint64_t s = UINT64_C(20250101);
    gsl_rng *r = new_rng();
    first_block(r, s, 3, DR_RNG_TEST, 7, 11, blocks[0]); /* the base key */
    first_block(r, s + 1, 3, DR_RNG_TEST, 7, 11, blocks[1]);
    first_block(r, s ^ (UINT64_C(1) << 32), 3, DR_RNG_TEST, 7, 11, blocks[2]);
    first_block(r, s, 4, DR_RNG_TEST, 7, 11, blocks[3]);
    first_block(r, s, 3, DR_RNG_RELATIONS, 7, 11, blocks[4]);
    first_block(r, s, 3, DR_RNG_TEST, 8, 11, blocks[5]);
    first_block(r, s, 3, DR_RNG_TEST, 7, 12, blocks[6]);
    first_block(r, s, 3, DR_RNG_TEST, 11, 7, blocks[7]); /* entity <-> tick */
    first_block(r, s, DR_RNG_REPLICATION_MAX, DR_RNG_TEST, 7, 11, blocks[8]);
    first_block(r, s, 0, DR_RNG_RELATIONS, 7, 11, blocks[9]);
    for (int i = 0; i < n_variants; i++)
        for (int j = i + 1; j < n_variants; j++)
            for (int w = 0; w < 4; w++) CU_ASSERT_NOT_EQUAL(blocks[i][w], blocks[j][w]);
    gsl_rng_free(r);
}

/* The same key gives the same words in another generator; dr_rng_stream
 * restarts a stream at word 0 however far it had gone (mid-block, after a
 * double, many blocks on); gsl_rng_set(r, s) is the stream (s, 0, TEST, 0, 0);
 * a clone continues from the same position. */
static void test_stream_reproducible(void)
{
    enum { n_words = 1000 };
    static uint32_t ref[n_words];
    const uint64_t seed = UINT64_C(0xabcdef0123456789);
    gsl_rng *a = new_rng();
    gsl_rng *b = new_rng();

    dr_rng_stream(a, seed, 5, DR_RNG_RELATIONS, 42, 9);
    for (int i = 0; i < n_words; i++) ref[i] = (uint32_t)gsl_rng_get(a);

    /* A second generator, set to the same key after drawing from another. */
    dr_rng_stream(b, seed + 99, 1, DR_RNG_TEST, 1, 1);
    (void)gsl_rng_get(b);
    dr_rng_stream(b, seed, 5, DR_RNG_RELATIONS, 42, 9);
    int mismatches = 0;
    for (int i = 0; i < n_words; i++)
        if (gsl_rng_get(b) != ref[i]) mismatches++;
    CU_ASSERT_EQUAL(mismatches, 0);

    /* Restart after 1, 3, 4, 5 and 999 words and after a double. */
    static const int consumed[] = {1, 3, 4, 5, 999};
    for (size_t c = 0; c < sizeof consumed / sizeof consumed[0]; c++) {
        dr_rng_stream(a, seed, 5, DR_RNG_RELATIONS, 42, 9);
        for (int i = 0; i < consumed[c]; i++) (void)gsl_rng_get(a);
        dr_rng_stream(a, seed, 5, DR_RNG_RELATIONS, 42, 9);
        CU_ASSERT_EQUAL(gsl_rng_get(a), ref[0]);
        CU_ASSERT_EQUAL(gsl_rng_get(a), ref[1]);
    }
    (void)gsl_rng_uniform(a);
    dr_rng_stream(a, seed, 5, DR_RNG_RELATIONS, 42, 9);
    CU_ASSERT_EQUAL(gsl_rng_get(a), ref[0]);

    /* gsl_rng_set against dr_rng_stream, on a seed unsigned long holds. */
    gsl_rng_set(a, 0x9e3779b9UL);
    dr_rng_stream(b, UINT64_C(0x9e3779b9), 0, DR_RNG_TEST, 0, 0);
    mismatches = 0;
    for (int i = 0; i < n_words; i++)
        if (gsl_rng_get(a) != gsl_rng_get(b)) mismatches++;
    CU_ASSERT_EQUAL(mismatches, 0);

    /* A clone taken mid-block carries the position with it. */
    dr_rng_stream(a, seed, 5, DR_RNG_RELATIONS, 42, 9);
    for (int i = 0; i < 6; i++) (void)gsl_rng_get(a);
    gsl_rng *c = gsl_rng_clone(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    mismatches = 0;
    for (int i = 6; i < n_words; i++) {
        uint32_t wa = (uint32_t)gsl_rng_get(a), wc = (uint32_t)gsl_rng_get(c);
        if (wa != ref[i] || wc != ref[i]) mismatches++;
    }
    CU_ASSERT_EQUAL(mismatches, 0);

    gsl_rng_free(c);
    gsl_rng_free(b);
    gsl_rng_free(a);
}

/* ---------------------------------------------------------------------------
 * Statistical tests
 * ------------------------------------------------------------------------- */

/* Running mean and sum of squared deviations (Welford), so that 10^6 draws
 * need no storage and lose no precision. */
typedef struct moments {
    double n;    /* draws so far */
    double mean; /* their mean */
    double m2;   /* sum of squared deviations from the mean */
} moments;

static void moments_add(moments *m, double x)
{
    m->n += 1.0;
    double d = x - m->mean;
    m->mean += d / m->n;
    m->m2 += d * (x - m->mean);
}

/* A distribution under test: how to draw once, and its exact mean, variance
 * and fourth central moment (which sets the standard error of the sample
 * variance: Var(s^2) ~ (mu4 - sigma^4) / N for large N). */
typedef struct dist_case {
    const char *name;
    double (*draw)(const gsl_rng *r, const struct dist_case *c);
    double a;   /* Poisson mean or binomial p */
    unsigned n; /* binomial trials */
    double mean, var, mu4;
} dist_case;

static double draw_uniform(const gsl_rng *r, const dist_case *c)
{
    (void)c;
    return gsl_rng_uniform(r);
}

static double draw_poisson(const gsl_rng *r, const dist_case *c)
{
    return (double)gsl_ran_poisson(r, c->a);
}

static double draw_binomial(const gsl_rng *r, const dist_case *c)
{
    return (double)gsl_ran_binomial(r, c->a, c->n);
}

static double draw_gaussian(const gsl_rng *r, const dist_case *c)
{
    (void)c;
    return gsl_ran_gaussian(r, 1.0);
}

static double draw_gaussian_ziggurat(const gsl_rng *r, const dist_case *c)
{
    (void)c;
    return gsl_ran_gaussian_ziggurat(r, 1.0);
}

/* Compare sample moments with the exact ones: both the mean and the variance
 * must lie within STAT_SIGMAS standard errors. Prints the numbers. */
static void check_moments(const dist_case *c, const char *mode, const moments *m)
{
    double var = m->m2 / (m->n - 1.0);
    double tol_mean = STAT_SIGMAS * sqrt(c->var / m->n);
    double tol_var = STAT_SIGMAS * sqrt((c->mu4 - c->var * c->var) / m->n);
    int ok = fabs(m->mean - c->mean) <= tol_mean && fabs(var - c->var) <= tol_var;
    printf("\n    %-26s %-7s mean %.6f (%.6f +- %.2e)  var %.6f (%.6f +- %.2e)%s",
           c->name, mode, m->mean, c->mean, tol_mean, var, c->var, tol_var,
           ok ? "" : "  FAIL");
    CU_ASSERT(fabs(m->mean - c->mean) <= tol_mean);
    CU_ASSERT(fabs(var - c->var) <= tol_var);
}

/* STAT_N draws from one long stream. */
static void run_long_stream(gsl_rng *r, const dist_case *c, moments *m)
{
    dr_rng_stream(r, STAT_SEED, 0, DR_RNG_TEST, 0, 0);
    for (unsigned i = 0; i < STAT_N; i++) moments_add(m, c->draw(r, c));
}

/* One draw from each of STAT_N entity streams on one tick, as the engine
 * draws: every value comes from the first words of its own stream. */
static void run_entity_streams(gsl_rng *r, const dist_case *c, moments *m)
{
    for (unsigned i = 0; i < STAT_N; i++) {
        dr_rng_stream(r, STAT_SEED, 1, DR_RNG_TEST, i, 17);
        moments_add(m, c->draw(r, c));
    }
}

static void check_dist_case(const dist_case *c)
{
    gsl_rng *r = new_rng();
    moments lm = {0, 0, 0}, em = {0, 0, 0};
    run_long_stream(r, c, &lm);
    check_moments(c, "long", &lm);
    run_entity_streams(r, c, &em);
    check_moments(c, "entity", &em);
    gsl_rng_free(r);
}

/* Fourth central moments: uniform 1/80; Poisson mu (1 + 3 mu); binomial
 * 3 (npq)^2 + npq (1 - 6pq); standard normal 3. */
static dist_case poisson_case(const char *name, double mu)
{
    dist_case c = {name, draw_poisson, mu, 0, mu, mu, mu * (1.0 + 3.0 * mu)};
    return c;
}

static dist_case binomial_case(const char *name, double p, unsigned n)
{
    double v = n * p * (1.0 - p);
    double mu4 = 3.0 * v * v + v * (1.0 - 6.0 * p * (1.0 - p));
    dist_case c = {name, draw_binomial, p, n, n * p, v, mu4};
    return c;
}

static void test_uniform_moments(void)
{
    dist_case c = {"uniform", draw_uniform, 0, 0, 0.5, 1.0 / 12.0, 1.0 / 80.0};
    check_dist_case(&c);
}

/* Chi-square of gsl_rng_uniform over 100 equal bins, long stream and entity
 * streams. With 99 degrees of freedom the statistic has mean 99 and standard
 * deviation sqrt(198) ~ 14.1; the bound is mean + STAT_SIGMAS sd, about 169. */
static void test_uniform_histogram(void)
{
    enum { n_bins = 100 };
    const double dof = n_bins - 1;
    const double bound = dof + STAT_SIGMAS * sqrt(2.0 * dof);
    const double expect = (double)STAT_N / n_bins;
    gsl_rng *r = new_rng();
    for (int mode = 0; mode < 2; mode++) {
        static unsigned count[n_bins];
        memset(count, 0, sizeof count);
        if (mode == 0) dr_rng_stream(r, STAT_SEED, 2, DR_RNG_TEST, 0, 0);
        for (unsigned i = 0; i < STAT_N; i++) {
            if (mode == 1) dr_rng_stream(r, STAT_SEED, 3, DR_RNG_TEST, i, 0);
            count[(int)(gsl_rng_uniform(r) * n_bins)]++;
        }
        double chi2 = 0;
        for (int b = 0; b < n_bins; b++)
            chi2 += (count[b] - expect) * (count[b] - expect) / expect;
        printf("\n    uniform chi2 (%s, 99 dof) %.1f (bound %.1f)",
               mode ? "entity" : "long", chi2, bound);
        CU_ASSERT(chi2 <= bound);
    }
    gsl_rng_free(r);
}

static void test_poisson_moments(void)
{
    const dist_case cases[] = {
        poisson_case("poisson mu=0.5", 0.5),
        poisson_case("poisson mu=5", 5.0),
        poisson_case("poisson mu=50", 50.0),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_dist_case(&cases[i]);
}

static void test_binomial_moments(void)
{
    const dist_case cases[] = {
        binomial_case("binomial n=20 p=0.3", 0.3, 20),
        binomial_case("binomial n=1000 p=0.01", 0.01, 1000),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_dist_case(&cases[i]);
}

/* Both GSL normal samplers: the polar method, and the ziggurat the relations
 * phase uses (it takes whole 32-bit words from gsl_rng_get, so it also checks
 * min and max). */
static void test_gaussian_moments(void)
{
    const dist_case cases[] = {
        {"gaussian", draw_gaussian, 0, 0, 0.0, 1.0, 3.0},
        {"gaussian ziggurat", draw_gaussian_ziggurat, 0, 0, 0.0, 1.0, 3.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_dist_case(&cases[i]);
}

/* ---------------------------------------------------------------------------
 * Independence of neighbouring streams
 * ------------------------------------------------------------------------- */

/* Sums for the Pearson correlation of pairs (x, y) of uniforms, centred on
 * 0.5 first so that the sums do not cancel. */
typedef struct corr_sums {
    double n, sx, sy, sxx, syy, sxy;
} corr_sums;

static void corr_add(corr_sums *c, double x, double y)
{
    x -= 0.5;
    y -= 0.5;
    c->n += 1.0;
    c->sx += x;
    c->sy += y;
    c->sxx += x * x;
    c->syy += y * y;
    c->sxy += x * y;
}

static double corr_value(const corr_sums *c)
{
    double cov = c->sxy / c->n - (c->sx / c->n) * (c->sy / c->n);
    double vx = c->sxx / c->n - (c->sx / c->n) * (c->sx / c->n);
    double vy = c->syy / c->n - (c->sy / c->n) * (c->sy / c->n);
    return cov / sqrt(vx * vy);
}

/* Which key field steps from one stream to the next. */
typedef enum step_field {
    STEP_ENTITY,
    STEP_TICK,
    STEP_REPLICATION,
    STEP_SEED
} step_field;

/* The first uniform of stream i, where i is put in field `f`. */
static double first_uniform(gsl_rng *r, step_field f, uint32_t i)
{
    switch (f) {
    case STEP_ENTITY:
        dr_rng_stream(r, STAT_SEED, 4, DR_RNG_TEST, i, 5);
        break;
    case STEP_TICK:
        dr_rng_stream(r, STAT_SEED, 4, DR_RNG_TEST, 5, i);
        break;
    case STEP_REPLICATION:
        dr_rng_stream(r, STAT_SEED, i, DR_RNG_TEST, 5, 5);
        break;
    case STEP_SEED:
        dr_rng_stream(r, STAT_SEED + i, 4, DR_RNG_TEST, 5, 5);
        break;
    }
    return gsl_rng_uniform(r);
}

/* Correlation between the first draws of streams that differ by one in the
 * entity (and, likewise, in tick, replication or seed), and between
 * successive draws of one long stream. Under independence the sample
 * correlation of n pairs has standard deviation about 1/sqrt(n), so the bound
 * is STAT_SIGMAS / sqrt(n) = 0.005 for n ~ 10^6. STAT_N is below 2^20, so
 * every replication index used is valid. */
static void test_adjacent_stream_correlation(void)
{
    static const char *const names[] = {"entity", "tick", "replication", "seed"};
    gsl_rng *r = new_rng();
    for (int f = STEP_ENTITY; f <= STEP_SEED; f++) {
        corr_sums c = {0, 0, 0, 0, 0, 0};
        double prev = first_uniform(r, (step_field)f, 0);
        for (uint32_t i = 1; i < STAT_N; i++) {
            double u = first_uniform(r, (step_field)f, i);
            corr_add(&c, prev, u);
            prev = u;
        }
        double rho = corr_value(&c), bound = STAT_SIGMAS / sqrt(c.n);
        printf("\n    corr of first draws, adjacent %-11s % .5f (bound %.5f)", names[f],
               rho, bound);
        CU_ASSERT(fabs(rho) <= bound);
    }

    corr_sums c = {0, 0, 0, 0, 0, 0};
    dr_rng_stream(r, STAT_SEED, 4, DR_RNG_TEST, 0, 0);
    double prev = gsl_rng_uniform(r);
    for (uint32_t i = 1; i < STAT_N; i++) {
        double u = gsl_rng_uniform(r);
        corr_add(&c, prev, u);
        prev = u;
    }
    double rho = corr_value(&c), bound = STAT_SIGMAS / sqrt(c.n);
    printf("\n    corr of successive draws, long stream % .5f (bound %.5f)\n", rho,
           bound);
    CU_ASSERT(fabs(rho) <= bound);
    gsl_rng_free(r);
}

static const dr_test_case dr_tests[] = {
    {"philox4x32-10 known answers (Random123 kat_vectors)", test_philox_known_answers},
    {"known answer through gsl_rng_set and dr_rng_stream", test_gsl_known_answer},
    {"gsl_rng_type name, min, max", test_type_fields},
    {"gsl_rng_get returns block words in order", test_get_is_block_sequence},
    {"dr_rng_stream key and counter layout", test_stream_layout},
    {"get_double: 53 bits from two words", test_get_double},
    {"different keys give different streams", test_stream_keys_distinct},
    {"same key reproduces; dr_rng_stream restarts", test_stream_reproducible},
    {"uniform mean and variance", test_uniform_moments},
    {"uniform histogram chi-square", test_uniform_histogram},
    {"poisson mean and variance", test_poisson_moments},
    {"binomial mean and variance", test_binomial_moments},
    {"gaussian mean and variance", test_gaussian_moments},
    {"adjacent streams uncorrelated", test_adjacent_stream_correlation},
    {NULL, NULL},
};

DR_TEST_MAIN("rng")
