/*
 * philox_lanes.c — Philox4x32-10 blocks for DR_CIV_LANES consecutive
 * counters at once, the civilian phase's source of random words.
 *
 * Three implementations of one function, all exactly Philox4x32 with 10
 * rounds (Salmon et al. 2011; the round and key schedule of Random123's
 * philox.h, which rng.c uses block by block):
 *   - portable C over arrays of lanes (any compiler and machine);
 *   - SSE2, four lanes per register (every x86-64 processor);
 *   - AVX2, eight lanes per register, chosen at run time where the
 *     processor has it.
 * They are integer arithmetic only, so they give the same words: which one
 * runs changes no result (tests/test_civilians.c compares each with rng.c).
 */
#include "civilians.h"

#include <stdatomic.h>
#include <stdint.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DR_PHILOX_X86 1
#include <immintrin.h>
#endif

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void philox_lanes_c(const uint32_t key[2], uint32_t entity0, uint32_t tick,
                           uint32_t word3, uint32_t out[DR_CIV_LANES][4])
{
    uint32_t c0[DR_CIV_LANES], c1[DR_CIV_LANES], c2[DR_CIV_LANES], c3[DR_CIV_LANES];
    for (unsigned k = 0; k < DR_CIV_LANES; k++) {
        c0[k] = 0;
        c1[k] = entity0 + k;
        c2[k] = tick;
        c3[k] = word3;
    }
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        for (unsigned k = 0; k < DR_CIV_LANES; k++) {
            const uint64_t p0 = (uint64_t)PHILOX_M0 * c0[k];
            const uint64_t p1 = (uint64_t)PHILOX_M1 * c2[k];
            const uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[k] ^ k0;
            const uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3[k] ^ k1;
            c1[k] = (uint32_t)p1;
            c3[k] = (uint32_t)p0;
            c0[k] = n0;
            c2[k] = n2;
        }
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    for (unsigned k = 0; k < DR_CIV_LANES; k++) {
        out[k][0] = c0[k];
        out[k][1] = c1[k];
        out[k][2] = c2[k];
        out[k][3] = c3[k];
    }
}

#ifdef DR_PHILOX_X86

/* 32 x 32 -> 64-bit products of four lanes: *hi and *lo their halves.
 * pmuludq multiplies the even lanes; the odd ones are shifted down. */
static inline void mul_hilo_sse2(__m128i a, __m128i m, __m128i *hi, __m128i *lo)
{
    const __m128i lo_mask = _mm_set1_epi64x(0xffffffffLL);
    const __m128i pe = _mm_mul_epu32(a, m);
    const __m128i po = _mm_mul_epu32(_mm_srli_epi64(a, 32), m);
    *hi = _mm_or_si128(_mm_srli_epi64(pe, 32), _mm_andnot_si128(lo_mask, po));
    *lo = _mm_or_si128(_mm_and_si128(pe, lo_mask), _mm_slli_epi64(po, 32));
}

/* Store lanes (c0, c1, c2, c3) of four counters as four blocks. */
static inline void store4_sse2(uint32_t out[][4], __m128i c0, __m128i c1, __m128i c2,
                               __m128i c3)
{
    const __m128i t0 = _mm_unpacklo_epi32(c0, c1); /* a0 b0 a1 b1 */
    const __m128i t1 = _mm_unpackhi_epi32(c0, c1); /* a2 b2 a3 b3 */
    const __m128i t2 = _mm_unpacklo_epi32(c2, c3); /* c0 d0 c1 d1 */
    const __m128i t3 = _mm_unpackhi_epi32(c2, c3);
    _mm_storeu_si128((__m128i *)out[0], _mm_unpacklo_epi64(t0, t2));
    _mm_storeu_si128((__m128i *)out[1], _mm_unpackhi_epi64(t0, t2));
    _mm_storeu_si128((__m128i *)out[2], _mm_unpacklo_epi64(t1, t3));
    _mm_storeu_si128((__m128i *)out[3], _mm_unpackhi_epi64(t1, t3));
}

#define SSE_V (DR_CIV_LANES / 4)
static void philox_lanes_sse2(const uint32_t key[2], uint32_t entity0, uint32_t tick,
                              uint32_t word3, uint32_t out[DR_CIV_LANES][4])
{
    __m128i c0[SSE_V], c1[SSE_V], c2[SSE_V], c3[SSE_V];
    const __m128i m0 = _mm_set1_epi32((int)PHILOX_M0),
                  m1 = _mm_set1_epi32((int)PHILOX_M1);
    for (unsigned v = 0; v < SSE_V; v++) {
        const uint32_t e = entity0 + 4 * v;
        c0[v] = _mm_setzero_si128();
        c1[v] = _mm_setr_epi32((int)e, (int)(e + 1), (int)(e + 2), (int)(e + 3));
        c2[v] = _mm_set1_epi32((int)tick);
        c3[v] = _mm_set1_epi32((int)word3);
    }
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        const __m128i vk0 = _mm_set1_epi32((int)k0), vk1 = _mm_set1_epi32((int)k1);
        for (unsigned v = 0; v < SSE_V; v++) {
            __m128i hi0, lo0, hi1, lo1;
            mul_hilo_sse2(c0[v], m0, &hi0, &lo0);
            mul_hilo_sse2(c2[v], m1, &hi1, &lo1);
            c0[v] = _mm_xor_si128(_mm_xor_si128(hi1, c1[v]), vk0);
            c2[v] = _mm_xor_si128(_mm_xor_si128(hi0, c3[v]), vk1);
            c1[v] = lo1;
            c3[v] = lo0;
        }
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    for (unsigned v = 0; v < SSE_V; v++)
        store4_sse2(out + 4 * v, c0[v], c1[v], c2[v], c3[v]);
}

__attribute__((target("avx2"))) static inline void mul_hilo_avx2(__m256i a, __m256i m,
                                                                 __m256i *hi, __m256i *lo)
{
    const __m256i lo_mask = _mm256_set1_epi64x(0xffffffffLL);
    const __m256i pe = _mm256_mul_epu32(a, m);
    const __m256i po = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
    *hi = _mm256_or_si256(_mm256_srli_epi64(pe, 32), _mm256_andnot_si256(lo_mask, po));
    *lo = _mm256_or_si256(_mm256_and_si256(pe, lo_mask), _mm256_slli_epi64(po, 32));
}

#define AVX_V (DR_CIV_LANES / 8)
__attribute__((target("avx2"))) static void
philox_lanes_avx2(const uint32_t key[2], uint32_t entity0, uint32_t tick, uint32_t word3,
                  uint32_t out[DR_CIV_LANES][4])
{
    __m256i c0[AVX_V], c1[AVX_V], c2[AVX_V], c3[AVX_V];
    const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M0);
    const __m256i m1 = _mm256_set1_epi32((int)PHILOX_M1);
    for (unsigned v = 0; v < AVX_V; v++) {
        const uint32_t e = entity0 + 8 * v;
        c0[v] = _mm256_setzero_si256();
        c1[v] = _mm256_add_epi32(_mm256_set1_epi32((int)e),
                                 _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        c2[v] = _mm256_set1_epi32((int)tick);
        c3[v] = _mm256_set1_epi32((int)word3);
    }
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        const __m256i vk0 = _mm256_set1_epi32((int)k0), vk1 = _mm256_set1_epi32((int)k1);
        for (unsigned v = 0; v < AVX_V; v++) {
            __m256i hi0, lo0, hi1, lo1;
            mul_hilo_avx2(c0[v], m0, &hi0, &lo0);
            mul_hilo_avx2(c2[v], m1, &hi1, &lo1);
            c0[v] = _mm256_xor_si256(_mm256_xor_si256(hi1, c1[v]), vk0);
            c2[v] = _mm256_xor_si256(_mm256_xor_si256(hi0, c3[v]), vk1);
            c1[v] = lo1;
            c3[v] = lo0;
        }
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    /* Transpose within each 128-bit half: the low halves hold lanes
     * 8v .. 8v+3, the high halves 8v+4 .. 8v+7. */
    for (unsigned v = 0; v < AVX_V; v++) {
        const __m256i t0 = _mm256_unpacklo_epi32(c0[v], c1[v]);
        const __m256i t1 = _mm256_unpackhi_epi32(c0[v], c1[v]);
        const __m256i t2 = _mm256_unpacklo_epi32(c2[v], c3[v]);
        const __m256i t3 = _mm256_unpackhi_epi32(c2[v], c3[v]);
        const __m256i b0 = _mm256_unpacklo_epi64(t0, t2); /* lanes 0 | 4 */
        const __m256i b1 = _mm256_unpackhi_epi64(t0, t2); /* lanes 1 | 5 */
        const __m256i b2 = _mm256_unpacklo_epi64(t1, t3); /* lanes 2 | 6 */
        const __m256i b3 = _mm256_unpackhi_epi64(t1, t3); /* lanes 3 | 7 */
        uint32_t(*o)[4] = out + 8 * v;
        _mm256_storeu_si256((__m256i *)o[0], _mm256_permute2x128_si256(b0, b1, 0x20));
        _mm256_storeu_si256((__m256i *)o[2], _mm256_permute2x128_si256(b2, b3, 0x20));
        _mm256_storeu_si256((__m256i *)o[4], _mm256_permute2x128_si256(b0, b1, 0x31));
        _mm256_storeu_si256((__m256i *)o[6], _mm256_permute2x128_si256(b2, b3, 0x31));
    }
}
_Static_assert(DR_CIV_LANES % 8 == 0, "whole AVX2 registers of lanes");

#endif /* DR_PHILOX_X86 */

typedef void (*philox_lanes_fn)(const uint32_t[2], uint32_t, uint32_t, uint32_t,
                                uint32_t[DR_CIV_LANES][4]);

int dr_civ_philox_variants(void)
{
#ifdef DR_PHILOX_X86
    return 3;
#else
    return 1;
#endif
}

/* Variant v (0 portable C, 1 SSE2, 2 AVX2), or NULL where this processor
 * cannot run it. */
static philox_lanes_fn philox_variant(int v)
{
    if (v == 0) return philox_lanes_c;
#ifdef DR_PHILOX_X86
    if (v == 1) return philox_lanes_sse2;
    if (v == 2 && __builtin_cpu_supports("avx2")) return philox_lanes_avx2;
#endif
    return NULL;
}

int dr_civ_philox_lanes_variant(int v, const uint32_t key[2], uint32_t entity0,
                                uint32_t tick, uint32_t word3,
                                uint32_t out[DR_CIV_LANES][4])
{
    const philox_lanes_fn f = philox_variant(v);
    if (!f) return -1;
    f(key, entity0, tick, word3, out);
    return 0;
}

void dr_civ_philox_lanes(const uint32_t key[2], uint32_t entity0, uint32_t tick,
                         uint32_t word3, uint32_t out[DR_CIV_LANES][4])
{
    /* The widest variant this processor runs, chosen on first use (a
     * benign race: every thread stores the same pointer). */
    static _Atomic(philox_lanes_fn) best;
    philox_lanes_fn f = atomic_load_explicit(&best, memory_order_relaxed);
    if (!f) {
        for (int v = dr_civ_philox_variants() - 1; v >= 0 && !f; v--)
            f = philox_variant(v);
        atomic_store_explicit(&best, f, memory_order_relaxed);
    }
    f(key, entity0, tick, word3, out);
}
