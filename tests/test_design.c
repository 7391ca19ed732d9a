/*
 * test_design.c — designs of experiments (engine/design.c) and sensitivity
 * analysis (engine/sensitivity.c).
 *
 * Layers, in order: the layout of each design kind (factorial enumeration,
 * Latin hypercube strata and reproducibility, Saltelli blocks, Morris
 * one-at-a-time moves), override formatting, every argument error; then
 * known answers: Morris effects of a linear function (exact), Sobol indices
 * of the Ishigami function against their closed forms, and the Morris
 * screening of the Ishigami function.
 *
 * Every design uses a fixed seed, so every outcome is deterministic. The
 * Ishigami tolerance (0.03, from issue 6) is several times the error a
 * Sobol-sequence estimate with N = 4096 makes on this function (about 0.01).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "design.h"
#include "dr_test.h"
#include "sweep.h"

#define SEED UINT64_C(0x0d15ea5e5eedf00d)

/* Ishigami constants and its input range. */
#define ISHI_A 7.0
#define ISHI_B 0.1
#define PI 3.14159265358979323846

/* A range with the given path, bounds and levels, real-valued. */
static dr_param_range range(const char *path, double lo, double hi, int levels)
{
    dr_param_range p;
    memset(&p, 0, sizeof p);
    snprintf(p.path, sizeof p.path, "%s", path);
    p.lo = lo;
    p.hi = hi;
    p.levels = levels;
    p.integer = 0;
    return p;
}

/* Value of parameter j at point i. */
static double at(const dr_design *d, size_t i, size_t j)
{
    return d->x[i * d->n_params + j];
}

static double ishigami(const double *x)
{
    double s3 = x[2] * x[2];
    return sin(x[0]) * (1.0 + ISHI_B * s3 * s3) + ISHI_A * sin(x[1]) * sin(x[1]);
}

/* Closed-form first-order and total indices of the Ishigami function. */
static void ishigami_indices(double s1[3], double st[3])
{
    double p4 = pow(PI, 4.0), p8 = pow(PI, 8.0);
    double v1 = 0.5 * (1.0 + ISHI_B * p4 / 5.0) * (1.0 + ISHI_B * p4 / 5.0);
    double v2 = ISHI_A * ISHI_A / 8.0;
    double v13 = ISHI_B * ISHI_B * p8 * (1.0 / 18.0 - 1.0 / 50.0);
    double v = v1 + v2 + v13;
    s1[0] = v1 / v;
    s1[1] = v2 / v;
    s1[2] = 0.0;
    st[0] = (v1 + v13) / v;
    st[1] = v2 / v;
    st[2] = v13 / v;
}

/* Create a design, stopping the test on failure. */
static dr_design *make(dr_design_kind kind, const dr_param_range *p, size_t k, size_t n,
                       uint64_t seed)
{
    dr_design *d = dr_design_create(kind, p, k, n, seed, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    return d;
}

/* ---------------------------------------------------------------------------
 * Layouts
 */

static void test_kind_names(void)
{
    CU_ASSERT_STRING_EQUAL(dr_design_kind_names[DR_DESIGN_FACTORIAL], "factorial");
    CU_ASSERT_STRING_EQUAL(dr_design_kind_names[DR_DESIGN_LHS], "lhs");
    CU_ASSERT_STRING_EQUAL(dr_design_kind_names[DR_DESIGN_SOBOL], "sobol");
    CU_ASSERT_STRING_EQUAL(dr_design_kind_names[DR_DESIGN_MORRIS], "morris");
}

/* 2 x 3 x 4 levels: 24 points, every combination exactly once, last parameter
 * fastest, values exactly on the grid (endpoints included). */
static void test_factorial_enumerates(void)
{
    dr_param_range p[3] = {range("a", 0.0, 1.0, 2), range("b", -1.0, 1.0, 3),
                           range("c", 10.0, 40.0, 4)};
    dr_design *d = make(DR_DESIGN_FACTORIAL, p, 3, 0, SEED);
    CU_ASSERT_EQUAL(d->n_points, 24);
    CU_ASSERT_EQUAL(d->base_n, 0);
    int seen[2][3][4];
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < d->n_points; i++) {
        int la = -1, lb = -1, lc = -1;
        for (int l = 0; l < 2; l++)
            if (at(d, i, 0) == (double)l) la = l;
        for (int l = 0; l < 3; l++)
            if (at(d, i, 1) == -1.0 + l) lb = l;
        for (int l = 0; l < 4; l++)
            if (at(d, i, 2) == 10.0 + 10.0 * l) lc = l;
        CU_ASSERT_FATAL(la >= 0 && lb >= 0 && lc >= 0);
        seen[la][lb][lc]++;
        /* Odometer order: point i = (la * 3 + lb) * 4 + lc. */
        CU_ASSERT_EQUAL((size_t)((la * 3 + lb) * 4 + lc), i);
    }
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 4; c++) CU_ASSERT_EQUAL(seen[a][b][c], 1);
    dr_design_destroy(d);
}

/* Integer parameters are rounded, and stay within their bounds. */
static void test_factorial_integer(void)
{
    dr_param_range p = range("n", 1.0, 4.0, 3);
    p.integer = 1;
    dr_design *d = make(DR_DESIGN_FACTORIAL, &p, 1, 0, SEED);
    CU_ASSERT_EQUAL(d->n_points, 3);
    CU_ASSERT_EQUAL(at(d, 0, 0), 1.0);
    CU_ASSERT_EQUAL(at(d, 1, 0), 3.0); /* 2.5 rounds away from zero */
    CU_ASSERT_EQUAL(at(d, 2, 0), 4.0);
    dr_design_destroy(d);
}

/* Each parameter has exactly one point in each of the n strata. */
static void test_lhs_strata(void)
{
    enum { N = 97 };
    dr_param_range p[3] = {range("a", 0.0, 1.0, 0), range("b", -2.0, 6.0, 0),
                           range("c", 100.0, 100.5, 0)};
    dr_design *d = make(DR_DESIGN_LHS, p, 3, N, SEED);
    CU_ASSERT_EQUAL(d->n_points, N);
    for (size_t j = 0; j < 3; j++) {
        int hits[N];
        memset(hits, 0, sizeof hits);
        for (size_t i = 0; i < N; i++) {
            double u = (at(d, i, j) - p[j].lo) / (p[j].hi - p[j].lo);
            CU_ASSERT_FATAL(u >= 0.0 && u < 1.0);
            hits[(size_t)floor(u * N)]++;
        }
        for (size_t s = 0; s < N; s++) CU_ASSERT_EQUAL(hits[s], 1);
    }
    dr_design_destroy(d);
}

/* Same seed: the same matrix; another seed: a different one (every value). */
static void test_lhs_reproducible(void)
{
    dr_param_range p[2] = {range("a", 0.0, 1.0, 0), range("b", 5.0, 7.0, 0)};
    dr_design *d1 = make(DR_DESIGN_LHS, p, 2, 40, SEED);
    dr_design *d2 = make(DR_DESIGN_LHS, p, 2, 40, SEED);
    dr_design *d3 = make(DR_DESIGN_LHS, p, 2, 40, SEED + 1);
    CU_ASSERT_EQUAL(memcmp(d1->x, d2->x, 80 * sizeof(double)), 0);
    size_t same = 0;
    for (size_t c = 0; c < 80; c++) same += d1->x[c] == d3->x[c];
    CU_ASSERT_EQUAL(same, 0);
    /* A parameter's column depends only on its own stream: dropping the second
     * parameter leaves the first column unchanged. */
    dr_design *d4 = make(DR_DESIGN_LHS, p, 1, 40, SEED);
    for (size_t i = 0; i < 40; i++) CU_ASSERT_EQUAL(at(d4, i, 0), at(d1, i, 0));
    dr_design_destroy(d1);
    dr_design_destroy(d2);
    dr_design_destroy(d3);
    dr_design_destroy(d4);
}

/* Blocks A, B, AB_1..AB_k: AB_i rows equal A's but for column i, which is
 * B's; A and B rows differ; the degenerate first points of the sequence
 * (where A = B) are skipped. */
static void test_sobol_layout(void)
{
    enum { N = 64, K = 3 };
    dr_param_range p[K] = {range("a", 0.0, 1.0, 0), range("b", -1.0, 1.0, 0),
                           range("c", 2.0, 3.0, 0)};
    dr_design *d = make(DR_DESIGN_SOBOL, p, K, N, SEED);
    CU_ASSERT_EQUAL(d->n_points, N * (K + 2));
    CU_ASSERT_EQUAL(d->base_n, N);
    for (size_t r = 0; r < N; r++) {
        size_t differ = 0;
        for (size_t j = 0; j < K; j++) {
            differ += at(d, r, j) != at(d, N + r, j);
            CU_ASSERT(at(d, r, j) >= p[j].lo && at(d, r, j) <= p[j].hi);
            CU_ASSERT(at(d, N + r, j) >= p[j].lo && at(d, N + r, j) <= p[j].hi);
        }
        CU_ASSERT(differ > 0);
        for (size_t i = 0; i < K; i++) {
            size_t ab = (2 + i) * N + r;
            for (size_t j = 0; j < K; j++)
                CU_ASSERT_EQUAL(at(d, ab, j), j == i ? at(d, N + r, j) : at(d, r, j));
        }
    }
    /* Known answer: GSL's 6-d Sobol sequence runs (1/2, ...), then
     * (3/4, 1/4, 3/4, 1/4, 3/4, 1/4); the latter is row 0 of A and B. */
    static const double a0[K] = {0.75, 0.25, 0.75}, b0[K] = {0.25, 0.75, 0.25};
    for (size_t j = 0; j < K; j++) {
        double w = p[j].hi - p[j].lo;
        CU_ASSERT_DOUBLE_EQUAL(at(d, 0, j), p[j].lo + a0[j] * w, 1e-15);
        CU_ASSERT_DOUBLE_EQUAL(at(d, N, j), p[j].lo + b0[j] * w, 1e-15);
    }
    dr_design_destroy(d);
}

/* Each trajectory's consecutive points differ in exactly one parameter, by
 * +-delta = p/(2(p-1)) of its range; every parameter moves once per
 * trajectory; every value stays on the p-level grid (p even). */
static void test_morris_moves(void)
{
    enum { K = 4, R = 30 };
    dr_param_range p[K] = {range("a", 0.0, 1.0, 4), range("b", -3.0, 3.0, 6),
                           range("c", 10.0, 11.0, 2), range("d", 0.0, 8.0, 8)};
    dr_design *d = make(DR_DESIGN_MORRIS, p, K, R, SEED);
    CU_ASSERT_EQUAL(d->n_points, R * (K + 1));
    CU_ASSERT_EQUAL(d->base_n, R);
    int up = 0, down = 0;
    for (size_t t = 0; t < R; t++) {
        int moved[K] = {0};
        for (size_t m = 0; m <= K; m++) {
            size_t row = t * (K + 1) + m;
            for (size_t j = 0; j < K; j++) {
                double u = (at(d, row, j) - p[j].lo) / (p[j].hi - p[j].lo);
                double g = u * (p[j].levels - 1);
                CU_ASSERT_DOUBLE_EQUAL(g, round(g), 1e-9);
            }
            if (m == 0) continue;
            int changed = 0;
            for (size_t j = 0; j < K; j++) {
                double step = (at(d, row, j) - at(d, row - 1, j)) / (p[j].hi - p[j].lo);
                if (step == 0.0) continue;
                changed++;
                moved[j]++;
                double lv = p[j].levels;
                CU_ASSERT_DOUBLE_EQUAL(fabs(step), lv / (2.0 * (lv - 1.0)), 1e-12);
                if (step > 0)
                    up++;
                else
                    down++;
            }
            CU_ASSERT_EQUAL(changed, 1);
        }
        for (size_t j = 0; j < K; j++) CU_ASSERT_EQUAL(moved[j], 1);
    }
    /* Both directions occur (each has probability 1/2 over 120 moves). */
    CU_ASSERT(up > 30 && down > 30);
    dr_design *again = make(DR_DESIGN_MORRIS, p, K, R, SEED);
    CU_ASSERT_EQUAL(memcmp(d->x, again->x, R * (K + 1) * K * sizeof(double)), 0);
    dr_design_destroy(again);
    dr_design_destroy(d);
}

/* Overrides: integers without a fraction, reals as float literals that read
 * back exactly. */
static void test_override_format(void)
{
    dr_param_range p[2] = {range("dyads.[PAK-AFG].trust", 0.0, 1.0, 3),
                           range("actors.[TTP].fighters", 0.0, 1000.0, 3)};
    p[1].integer = 1;
    dr_design *d = make(DR_DESIGN_FACTORIAL, p, 2, 0, SEED);
    char buf[300];
    dr_design_override(d, 0, 0, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "dyads.[PAK-AFG].trust=0.0");
    dr_design_override(d, 3, 0, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "dyads.[PAK-AFG].trust=0.5");
    dr_design_override(d, 8, 1, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "actors.[TTP].fighters=1000");
    dr_design_destroy(d);

    dr_param_range q = range("x", 0.0, 0.3, 0);
    d = make(DR_DESIGN_LHS, &q, 1, 7, SEED);
    for (size_t i = 0; i < 7; i++) {
        dr_design_override(d, i, 0, buf, sizeof buf);
        CU_ASSERT_EQUAL(strncmp(buf, "x=", 2), 0);
        CU_ASSERT_EQUAL(strtod(buf + 2, NULL), at(d, i, 0));
    }
    dr_design_override(d, 0, 0, buf, 4); /* truncated, still terminated */
    CU_ASSERT_STRING_EQUAL(buf, "x=0");
    dr_design_destroy(d);
}

/* ---------------------------------------------------------------------------
 * Argument errors: NULL and exactly one line on the error stream.
 */

/* Expect creation to fail with one line of error text containing `needle`. */
static void expect_error(dr_design_kind kind, const dr_param_range *p, size_t k, size_t n,
                         const char *needle)
{
    FILE *err = tmpfile();
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    dr_design *d = dr_design_create(kind, p, k, n, SEED, err);
    CU_ASSERT_PTR_NULL(d);
    dr_design_destroy(d);
    char text[1024] = "";
    rewind(err);
    size_t len = fread(text, 1, sizeof text - 1, err);
    text[len] = '\0';
    fclose(err);
    CU_ASSERT(len > 0 && text[len - 1] == '\n');
    CU_ASSERT(strchr(text, '\n') == text + len - 1); /* exactly one line */
    if (!strstr(text, needle)) fprintf(stderr, "\nmissing '%s' in: %s", needle, text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, needle));
    /* A NULL error stream is allowed: still NULL, nothing written. */
    CU_ASSERT_PTR_NULL(dr_design_create(kind, p, k, n, SEED, NULL));
}

static void test_bad_arguments(void)
{
    dr_param_range ok[2] = {range("a", 0.0, 1.0, 3), range("b", 0.0, 1.0, 3)};
    dr_param_range bad;

    expect_error(DR_DESIGN_KIND_COUNT, ok, 2, 10, "expected one of");
    expect_error(DR_DESIGN_LHS, NULL, 2, 10, "no parameters");
    expect_error(DR_DESIGN_LHS, ok, 0, 10, "no parameters");

    bad = range("a", 2.0, 1.0, 3);
    expect_error(DR_DESIGN_LHS, &bad, 1, 10, "lo = 2 > hi = 1");
    bad = range("a", 0.0, NAN, 3);
    expect_error(DR_DESIGN_SOBOL, &bad, 1, 10, "finite");
    bad = range("a", -INFINITY, 0.0, 3);
    expect_error(DR_DESIGN_FACTORIAL, &bad, 1, 10, "finite");
    bad = range("", 0.0, 1.0, 3);
    expect_error(DR_DESIGN_LHS, &bad, 1, 10, "path is empty");
    bad = range("a", 0.0, 1.0, 3);
    memset(bad.path, 'p', sizeof bad.path);
    expect_error(DR_DESIGN_LHS, &bad, 1, 10, "not terminated");
    bad = range("a", 0.5, 3.0, 3);
    bad.integer = 1;
    expect_error(DR_DESIGN_LHS, &bad, 1, 10, "integral bounds");

    bad = range("a", 0.0, 1.0, 1);
    expect_error(DR_DESIGN_FACTORIAL, &bad, 1, 0, "levels = 1");
    expect_error(DR_DESIGN_MORRIS, &bad, 1, 10, "levels = 1");
    /* Kinds that do not read levels accept any. */
    dr_design *d = make(DR_DESIGN_LHS, &bad, 1, 10, SEED);
    dr_design_destroy(d);
    d = make(DR_DESIGN_SOBOL, &bad, 1, 10, SEED);
    dr_design_destroy(d);

    expect_error(DR_DESIGN_LHS, ok, 2, 0, "n = 0");
    expect_error(DR_DESIGN_SOBOL, ok, 2, 0, "n = 0");
    expect_error(DR_DESIGN_MORRIS, ok, 2, 0, "n = 0");

    /* Too many points: 10^8 LHS points; 10 parameters of 10 levels; a Sobol
     * base that overflows size_t when multiplied by k + 2. */
    expect_error(DR_DESIGN_LHS, ok, 2, 100000000u, "too large");
    dr_param_range ten[21];
    for (size_t j = 0; j < 21; j++) ten[j] = range("p", 0.0, 1.0, 10);
    expect_error(DR_DESIGN_FACTORIAL, ten, 10, 0, "too large");
    expect_error(DR_DESIGN_SOBOL, ok, 2, SIZE_MAX / 2, "too large");
    expect_error(DR_DESIGN_MORRIS, ok, 2, SIZE_MAX, "too large");
    /* Sobol: at most 20 parameters (GSL's 40 dimensions). */
    expect_error(DR_DESIGN_SOBOL, ten, 21, 8, "at most 20");
    d = make(DR_DESIGN_SOBOL, ten, 20, 8, SEED);
    dr_design_destroy(d);

    /* Analyses refuse the wrong kind of design and NULL arguments. */
    double y[10] = {0}, a[2], b[2], c[2], e[2], f[2], g[2];
    d = make(DR_DESIGN_LHS, ok, 2, 10, SEED);
    CU_ASSERT_EQUAL(dr_sobol_indices(d, y, 10, SEED, 0, a, b, c, e, f, g), -1);
    CU_ASSERT_EQUAL(dr_morris_effects(d, y, a, b), -1);
    dr_design_destroy(d);
    CU_ASSERT_EQUAL(dr_sobol_indices(NULL, y, 10, SEED, 0, a, b, c, e, f, g), -1);
    CU_ASSERT_EQUAL(dr_morris_effects(NULL, y, a, b), -1);
    dr_design_destroy(NULL);
}

/* ---------------------------------------------------------------------------
 * Known answers
 */

/* y = 3 a - 2 b + 0.5 c + 7: every elementary effect is exactly the
 * coefficient times the range, so mu* = |coefficient| range and sigma = 0. */
static void test_morris_linear(void)
{
    enum { K = 4, R = 20 };
    dr_param_range p[K] = {range("a", 0.0, 1.0, 4), range("b", -1.0, 3.0, 4),
                           range("c", 10.0, 20.0, 6), range("fixed", 5.0, 5.0, 4)};
    dr_design *d = make(DR_DESIGN_MORRIS, p, K, R, SEED);
    double y[R * (K + 1)];
    for (size_t i = 0; i < d->n_points; i++)
        y[i] = 3.0 * at(d, i, 0) - 2.0 * at(d, i, 1) + 0.5 * at(d, i, 2) + 7.0;
    double mu[K], sg[K];
    CU_ASSERT_EQUAL_FATAL(dr_morris_effects(d, y, mu, sg), 0);
    CU_ASSERT_DOUBLE_EQUAL(mu[0], 3.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(mu[1], 8.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(mu[2], 5.0, 1e-9);
    for (size_t j = 0; j < 3; j++) CU_ASSERT_DOUBLE_EQUAL(sg[j], 0.0, 1e-9);
    /* A parameter with lo = hi never moves: no effect, reported as NaN. */
    CU_ASSERT(isnan(mu[3]) && isnan(sg[3]));
    dr_design_destroy(d);
}

/* Evaluate the Ishigami function at every point of a design. */
static double *ishigami_outputs(const dr_design *d)
{
    double *y = malloc(d->n_points * sizeof *y);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    for (size_t i = 0; i < d->n_points; i++) y[i] = ishigami(d->x + i * d->n_params);
    return y;
}

/* Issue 6 acceptance: N = 4096, every index within 0.03 of its closed form,
 * and every 95% bootstrap interval containing the closed form. */
static void test_sobol_ishigami(void)
{
    dr_param_range p[3] = {range("x1", -PI, PI, 0), range("x2", -PI, PI, 0),
                           range("x3", -PI, PI, 0)};
    dr_design *d = make(DR_DESIGN_SOBOL, p, 3, 4096, SEED);
    double *y = ishigami_outputs(d);
    double s1[3], s1l[3], s1h[3], st[3], stl[3], sth[3], e1[3], et[3];
    ishigami_indices(e1, et);
    CU_ASSERT_EQUAL_FATAL(
        dr_sobol_indices(d, y, 1000, SEED, 0, s1, s1l, s1h, st, stl, sth), 0);
    for (size_t i = 0; i < 3; i++) {
        printf("\n    x%zu: S1 = %.4f [%.4f, %.4f] (exact %.4f), "
               "ST = %.4f [%.4f, %.4f] (exact %.4f)",
               i + 1, s1[i], s1l[i], s1h[i], e1[i], st[i], stl[i], sth[i], et[i]);
        CU_ASSERT_DOUBLE_EQUAL(s1[i], e1[i], 0.03);
        CU_ASSERT_DOUBLE_EQUAL(st[i], et[i], 0.03);
        CU_ASSERT(s1l[i] <= e1[i] && e1[i] <= s1h[i]);
        CU_ASSERT(stl[i] <= et[i] && et[i] <= sth[i]);
        CU_ASSERT(s1l[i] <= s1[i] && s1[i] <= s1h[i]);
        CU_ASSERT(stl[i] <= st[i] && st[i] <= sth[i]);
    }
    printf("\n");

    /* The bootstrap is a pure function of (seed, stream); another stream gives
     * other intervals around the same point estimates. */
    double r1[3], r1l[3], r1h[3], rt[3], rtl[3], rth[3];
    CU_ASSERT_EQUAL(dr_sobol_indices(d, y, 1000, SEED, 0, r1, r1l, r1h, rt, rtl, rth), 0);
    CU_ASSERT_EQUAL(memcmp(r1l, s1l, sizeof r1l), 0);
    CU_ASSERT_EQUAL(memcmp(rth, sth, sizeof rth), 0);
    CU_ASSERT_EQUAL(dr_sobol_indices(d, y, 1000, SEED, 1, r1, r1l, r1h, rt, rtl, rth), 0);
    CU_ASSERT_EQUAL(memcmp(r1, s1, sizeof r1), 0);
    CU_ASSERT(memcmp(r1l, s1l, sizeof r1l) != 0);

    /* A constant offset leaves the indices unchanged (outputs are centred). */
    for (size_t i = 0; i < d->n_points; i++) y[i] += 1e6;
    CU_ASSERT_EQUAL(dr_sobol_indices(d, y, 0, SEED, 0, r1, r1l, r1h, rt, rtl, rth), 0);
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_DOUBLE_EQUAL(r1[i], s1[i], 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(rt[i], st[i], 1e-6);
        CU_ASSERT(isnan(r1l[i]) && isnan(rth[i])); /* n_boot = 0: no interval */
    }
    free(y);
    dr_design_destroy(d);
}

/* The Ishigami function as a sweep model: one indicator, the same value for
 * every replication. */
static int ishigami_eval(void *ctx, const double *x, uint32_t replication,
                         double *indicators)
{
    (void)ctx;
    (void)replication;
    indicators[0] = ishigami(x);
    return 0;
}

/* Issue 6 acceptance through the sweep machinery: the Saltelli design is run
 * by dr_sweep_run (two replications, several threads, no journal), the
 * replications are averaged per point as `durand sensitivity` does, and the
 * indices are those of the direct evaluation, bit for bit. */
static void test_sobol_ishigami_sweep(void)
{
    enum { REPS = 2 };
    dr_param_range p[3] = {range("x1", -PI, PI, 0), range("x2", -PI, PI, 0),
                           range("x3", -PI, PI, 0)};
    dr_design *d = make(DR_DESIGN_SOBOL, p, 3, 4096, SEED);
    dr_sweep_model model;
    memset(&model, 0, sizeof model);
    model.n_indicators = 1;
    model.eval = ishigami_eval;
    dr_sweep_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.n_points = d->n_points;
    plan.n_params = d->n_params;
    plan.x = d->x;
    plan.n_replications = REPS;
    plan.shard = 0;
    plan.n_shards = 1;
    plan.threads = 4;
    plan.identity =
        dr_sweep_hash(DR_SWEEP_HASH_INIT, d->x, d->n_points * d->n_params * sizeof *d->x);
    plan.journal = NULL;
    plan.mpi.rank = 0;
    plan.mpi.size = 1;
    plan.err = stderr;
    dr_sweep_results *r = dr_sweep_results_create(d->n_points * REPS, 1, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL_FATAL(dr_sweep_run(&plan, &model, r), DR_SWEEP_OK);
    CU_ASSERT_EQUAL(r->n_failed, 0);

    double *y = malloc(d->n_points * sizeof *y);
    double *direct = ishigami_outputs(d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    for (size_t i = 0; i < d->n_points; i++) {
        double sum = 0.0;
        for (size_t rep = 0; rep < REPS; rep++) {
            size_t run = i * REPS + rep;
            CU_ASSERT_EQUAL(r->status[run], DR_RUN_DONE);
            sum += r->indicators[run];
        }
        y[i] = sum / REPS;
    }
    CU_ASSERT_EQUAL(memcmp(y, direct, d->n_points * sizeof *y), 0);

    double s1[3], s1l[3], s1h[3], st[3], stl[3], sth[3], e1[3], et[3];
    ishigami_indices(e1, et);
    CU_ASSERT_EQUAL_FATAL(
        dr_sobol_indices(d, y, 1000, SEED, 0, s1, s1l, s1h, st, stl, sth), 0);
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_DOUBLE_EQUAL(s1[i], e1[i], 0.03);
        CU_ASSERT_DOUBLE_EQUAL(st[i], et[i], 0.03);
        CU_ASSERT(s1l[i] <= e1[i] && e1[i] <= s1h[i]);
        CU_ASSERT(stl[i] <= et[i] && et[i] <= sth[i]);
    }
    free(direct);
    free(y);
    dr_sweep_results_destroy(r);
    dr_design_destroy(d);
}

/*
 * Morris screening of the Ishigami function. x3 acts only through its
 * interaction with x1 (S1_3 = 0, ST_3 = 0.24): its elementary effect is
 * 0.1 sin(x1) (x3'^4 - x3^4) / delta, whose sign follows sin(x1). Morris does
 * not call x3 non-influential — mu* measures total, not first-order,
 * influence, so mu*_3 is of the same order as the others — but its effects
 * cancel in sign, so its sigma exceeds its mu* (sigma >= mean |EE| whenever
 * the mean EE is about zero), the signature of a pure interaction. x1 and x2
 * act mainly alone; their effects' signs are those of a fixed function of
 * the parameter itself.
 */
static void test_morris_ishigami(void)
{
    dr_param_range p[3] = {range("x1", -PI, PI, 4), range("x2", -PI, PI, 4),
                           range("x3", -PI, PI, 4)};
    dr_design *d = make(DR_DESIGN_MORRIS, p, 3, 1000, SEED);
    double *y = ishigami_outputs(d);
    double mu[3], sg[3];
    CU_ASSERT_EQUAL_FATAL(dr_morris_effects(d, y, mu, sg), 0);
    printf("\n    mu* = (%.3f, %.3f, %.3f), sigma = (%.3f, %.3f, %.3f)\n", mu[0], mu[1],
           mu[2], sg[0], sg[1], sg[2]);
    for (size_t j = 0; j < 3; j++) CU_ASSERT(mu[j] > 1.0);
    CU_ASSERT(sg[2] > mu[2]);
    CU_ASSERT(sg[2] / mu[2] > sg[0] / mu[0]);
    free(y);
    dr_design_destroy(d);
}

static const dr_test_case dr_tests[] = {
    {"kind names", test_kind_names},
    {"factorial enumerates every combination", test_factorial_enumerates},
    {"factorial rounds integer parameters", test_factorial_integer},
    {"lhs has one point per stratum", test_lhs_strata},
    {"lhs is reproducible and keyed", test_lhs_reproducible},
    {"sobol Saltelli layout", test_sobol_layout},
    {"morris one-at-a-time moves", test_morris_moves},
    {"override formatting", test_override_format},
    {"bad arguments rejected", test_bad_arguments},
    {"morris linear function", test_morris_linear},
    {"sobol indices of Ishigami", test_sobol_ishigami},
    {"sobol indices of Ishigami through dr_sweep_run", test_sobol_ishigami_sweep},
    {"morris screening of Ishigami", test_morris_ishigami},
    {NULL, NULL},
};

DR_TEST_MAIN("design")
