/*
 * test_lanchester.c — Lanchester attrition (engine/lanchester.c).
 *
 * Layers, in order: known answers of the deterministic square law (the
 * acceptance case of issue 3, checked both to the issue's ±0.5 % and to the
 * closed form derived independently here); conservation of each law's
 * invariant along the closed forms and agreement with a fourth-order
 * Runge-Kutta integration of the ODEs written in this file; limit cases of
 * the closed forms; then the stochastic chain: win probabilities against an
 * exact recursion over states, mean losses against the deterministic law for
 * large forces, zero effectiveness, break levels, t_max and reproducibility.
 *
 * Every statistical test draws from fixed keyed streams (one stream per
 * replication: dr_rng_stream(r, seed, 0, DR_RNG_TEST, rep, 0)), so its
 * outcome is deterministic. The win probabilities use the 99 %
 * binomial interval; mean losses use 5 standard errors of the sample mean
 * (a chance failure probability of about 6e-7 for a correct chain) together
 * with the "within a few %" as a relative bound.
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dr_test.h"
#include "lanchester.h"
#include "rng.h"

/* Two-sided 99 % normal quantile, for binomial intervals. */
#define Z99 2.5758293035489004

/* Tolerance of mean-loss checks, in standard errors of the mean. */
#define STAT_SIGMAS 5.0

/* Replications of each win-probability estimate (the issue asks >= 20,000). */
#define WIN_REPS 100000u

/* Replications of each mean-loss estimate. */
#define MEAN_REPS 4000u

/* The acceptance case: alpha = 0.1, beta = 0.05, A0 = 100, B0 = 120. */
#define ACC_ALPHA 0.1
#define ACC_BETA 0.05
#define ACC_A0 100.0
#define ACC_B0 120.0

/* Allocate a keyed generator; the calling test stops if allocation fails. */
static gsl_rng *new_rng(void)
{
    gsl_rng *r = gsl_rng_alloc(dr_rng_philox4x32);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return r;
}

/* |x - y| <= rel * max(|x|, |y|) + abs_tol. */
static int close_to(double x, double y, double rel, double abs_tol)
{
    return fabs(x - y) <= rel * fmax(fabs(x), fabs(y)) + abs_tol;
}

/* Right-hand side of either law: (dA/dt, dB/dt) at (a, b). */
static void ode_rhs(dr_lanchester_law law, double alpha, double beta, double a,
                    double b, double *da, double *db)
{
    if (law == DR_LANCHESTER_LINEAR) {
        *da = -beta * a * b;
        *db = -alpha * a * b;
    } else {
        *da = -beta * b;
        *db = -alpha * a;
    }
}

/* Classical RK4 from (a0, b0) over [0, t] in n equal steps, independent of
 * the closed forms under test. Valid only while both sides stay positive
 * (the ODE itself does not stop at zero). */
static void rk4(dr_lanchester_law law, double alpha, double beta, double a0,
                double b0, double t, unsigned n, double *a, double *b)
{
    double h = t / n;
    double x = a0, y = b0;
    for (unsigned i = 0; i < n; i++) {
        double k1a, k1b, k2a, k2b, k3a, k3b, k4a, k4b;
        ode_rhs(law, alpha, beta, x, y, &k1a, &k1b);
        ode_rhs(law, alpha, beta, x + 0.5 * h * k1a, y + 0.5 * h * k1b, &k2a, &k2b);
        ode_rhs(law, alpha, beta, x + 0.5 * h * k2a, y + 0.5 * h * k2b, &k3a, &k3b);
        ode_rhs(law, alpha, beta, x + h * k3a, y + h * k3b, &k4a, &k4b);
        x += h / 6.0 * (k1a + 2.0 * k2a + 2.0 * k3a + k4a);
        y += h / 6.0 * (k1b + 2.0 * k2b + 2.0 * k3b + k4b);
    }
    *a = x;
    *b = y;
}

/* Exact probability that A annihilates B in the square-law chain from
 * (a0, b0), by the recursion over states P(a, b) = p P(a, b-1) +
 * (1 - p) P(a-1, b), p = alpha*a/(alpha*a + beta*b), with P(a, 0) = 1 for
 * a > 0 and P(0, b) = 0. The next event is a loss of B with probability p
 * whatever the waiting time, so the winner depends only on the jump chain.
 * Returns -1 if the table cannot be allocated. */
static double exact_p_a_wins(double alpha, double beta, unsigned a0, unsigned b0)
{
    size_t w = (size_t)b0 + 1;
    double *p = malloc(((size_t)a0 + 1) * w * sizeof *p);
    if (!p) return -1.0;
    for (unsigned a = 0; a <= a0; a++) {
        for (unsigned b = 0; b <= b0; b++) {
            double v;
            if (b == 0)
                v = a > 0 ? 1.0 : 0.0;
            else if (a == 0)
                v = 0.0;
            else {
                double pb = alpha * a / (alpha * a + beta * b);
                v = pb * p[a * w + b - 1] + (1.0 - pb) * p[(a - 1) * w + b];
            }
            p[a * w + b] = v;
        }
    }
    double out = p[a0 * w + b0];
    free(p);
    return out;
}

/* ---- deterministic square law ------------------------------------------ */

static void test_square_acceptance(void)
{
    int winner = 99;
    double t_end = -1.0;
    double s = dr_lanchester_square(ACC_ALPHA, ACC_BETA, ACC_A0, ACC_B0, &winner,
                                    &t_end);
    printf("\n    square law 100 vs 120: winner %d, survivors %.6f, t* %.6f\n",
           winner, s, t_end);
    CU_ASSERT_EQUAL(winner, 1);
    /* The figures, ±0.5 %. */
    CU_ASSERT(fabs(s - 52.915) <= 0.005 * 52.915);
    CU_ASSERT(fabs(t_end - 17.690) <= 0.005 * 17.690);
    /* Derived here: alpha*A0^2 - beta*B0^2 = 1000 - 720 = 280, so the
     * survivors are sqrt(280/0.1) = sqrt(2800) = 20 sqrt(7). With gamma =
     * sqrt(0.005) = sqrt(2)/20 and tanh(gamma t*) = B0/(sqrt(2) A0) =
     * 6/(5 sqrt(2)), t* = atanh(6/(5 sqrt 2)) / gamma =
     * 5 sqrt(2) ln((5 sqrt 2 + 6)/(5 sqrt 2 - 6)). */
    double s_exact = 20.0 * sqrt(7.0);
    double r2 = 5.0 * sqrt(2.0);
    double t_exact = r2 * log((r2 + 6.0) / (r2 - 6.0));
    CU_ASSERT(close_to(s, s_exact, 1e-12, 0.0));
    CU_ASSERT(close_to(t_end, t_exact, 1e-12, 0.0));
    CU_ASSERT(close_to(tanh(sqrt(ACC_ALPHA * ACC_BETA) * t_end),
                       ACC_B0 / (sqrt(ACC_ALPHA / ACC_BETA) * ACC_A0), 1e-12, 0.0));

    /* dr_lanchester_at agrees: B is gone at t*, A holds the survivors, and
     * nothing moves afterwards. */
    double a, b;
    dr_lanchester_at(DR_LANCHESTER_SQUARE, ACC_ALPHA, ACC_BETA, ACC_A0, ACC_B0,
                     t_end * (1.0 - 1e-9), &a, &b);
    CU_ASSERT(close_to(a, s_exact, 1e-6, 0.0));
    CU_ASSERT(b >= 0.0 && b < 1e-4);
    for (double t = t_end; t < 10.0 * t_end; t += 7.3) {
        dr_lanchester_at(DR_LANCHESTER_SQUARE, ACC_ALPHA, ACC_BETA, ACC_A0, ACC_B0,
                         t, &a, &b);
        CU_ASSERT(close_to(a, s_exact, 1e-12, 0.0));
        CU_ASSERT_EQUAL(b, 0.0);
    }
}

static void test_square_b_wins_and_draw(void)
{
    /* Mirror of the acceptance case: B wins with the same numbers. */
    int winner = 99;
    double t_end = -1.0;
    double s = dr_lanchester_square(ACC_BETA, ACC_ALPHA, ACC_B0, ACC_A0, &winner,
                                    &t_end);
    CU_ASSERT_EQUAL(winner, -1);
    CU_ASSERT(close_to(s, 20.0 * sqrt(7.0), 1e-12, 0.0));
    double r2 = 5.0 * sqrt(2.0);
    CU_ASSERT(close_to(t_end, r2 * log((r2 + 6.0) / (r2 - 6.0)), 1e-12, 0.0));

    /* Draw: alpha*A0^2 == beta*B0^2 exactly (0.5*2^2 == 2*1^2). */
    s = dr_lanchester_square(0.5, 2.0, 2.0, 1.0, &winner, &t_end);
    CU_ASSERT_EQUAL(winner, 0);
    CU_ASSERT_EQUAL(s, 0.0);
    CU_ASSERT(isinf(t_end) && t_end > 0.0);
    double a, b;
    dr_lanchester_at(DR_LANCHESTER_SQUARE, 0.5, 2.0, 2.0, 1.0, 3.0, &a, &b);
    CU_ASSERT(close_to(a, 2.0 * exp(-3.0), 1e-12, 0.0));
    CU_ASSERT(close_to(b, 1.0 * exp(-3.0), 1e-12, 0.0));
    /* Long after the fight both are (floored) near zero, never NaN. */
    dr_lanchester_at(DR_LANCHESTER_SQUARE, 0.5, 2.0, 2.0, 1.0, 1e6, &a, &b);
    CU_ASSERT(a == 0.0 && b == 0.0);

    /* Both absent: a draw at time 0. One absent: the other wins at once. */
    s = dr_lanchester_square(0.1, 0.1, 0.0, 0.0, &winner, &t_end);
    CU_ASSERT(winner == 0 && s == 0.0 && t_end == 0.0);
    s = dr_lanchester_square(0.1, 0.1, 5.0, 0.0, &winner, &t_end);
    CU_ASSERT(winner == 1 && s == 5.0 && t_end == 0.0);
    s = dr_lanchester_square(0.1, 0.1, 0.0, 5.0, &winner, &t_end);
    CU_ASSERT(winner == -1 && s == 5.0 && t_end == 0.0);
}

static void test_square_invariant_and_rk4(void)
{
    double inv0 = dr_lanchester_invariant(DR_LANCHESTER_SQUARE, ACC_ALPHA,
                                          ACC_BETA, ACC_A0, ACC_B0);
    CU_ASSERT(close_to(inv0, 280.0, 1e-12, 0.0));
    const double ts[] = {0.0, 0.5, 2.0, 5.0, 10.0, 15.0, 17.0};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        double a, b, ra, rb;
        dr_lanchester_at(DR_LANCHESTER_SQUARE, ACC_ALPHA, ACC_BETA, ACC_A0, ACC_B0,
                         ts[i], &a, &b);
        double inv = dr_lanchester_invariant(DR_LANCHESTER_SQUARE, ACC_ALPHA,
                                             ACC_BETA, a, b);
        /* The invariant is a difference of terms of order 1000 with rounding
         * at 1e-16 relative: 1e-9 absolute is generous. */
        CU_ASSERT(close_to(inv, inv0, 0.0, 1e-9));
        rk4(DR_LANCHESTER_SQUARE, ACC_ALPHA, ACC_BETA, ACC_A0, ACC_B0, ts[i],
            (unsigned)(ts[i] * 1000.0) + 1u, &ra, &rb);
        CU_ASSERT(close_to(a, ra, 1e-10, 1e-10));
        CU_ASSERT(close_to(b, rb, 1e-10, 1e-10));
    }

    /* A second case with B winning and unequal scales. */
    const double al = 0.02, be = 0.3, a0 = 900.0, b0 = 250.0;
    double inv1 = dr_lanchester_invariant(DR_LANCHESTER_SQUARE, al, be, a0, b0);
    CU_ASSERT(inv1 < 0.0);
    int winner;
    double t_end;
    (void)dr_lanchester_square(al, be, a0, b0, &winner, &t_end);
    CU_ASSERT_EQUAL(winner, -1);
    for (int k = 1; k <= 9; k++) {
        double t = t_end * k / 10.0, a, b, ra, rb;
        dr_lanchester_at(DR_LANCHESTER_SQUARE, al, be, a0, b0, t, &a, &b);
        CU_ASSERT(close_to(dr_lanchester_invariant(DR_LANCHESTER_SQUARE, al, be, a, b),
                           inv1, 1e-12, 1e-9));
        rk4(DR_LANCHESTER_SQUARE, al, be, a0, b0, t, 20000u, &ra, &rb);
        CU_ASSERT(close_to(a, ra, 1e-9, 1e-9));
        CU_ASSERT(close_to(b, rb, 1e-9, 1e-9));
    }
}

static void test_square_zero_effectiveness(void)
{
    double a, b;
    /* Nobody fires: nothing changes. */
    dr_lanchester_at(DR_LANCHESTER_SQUARE, 0.0, 0.0, 50.0, 70.0, 100.0, &a, &b);
    CU_ASSERT(a == 50.0 && b == 70.0);
    /* Only B fires: A falls linearly at beta*B0 and B is untouched. */
    dr_lanchester_at(DR_LANCHESTER_SQUARE, 0.0, 0.1, 50.0, 70.0, 3.0, &a, &b);
    CU_ASSERT(close_to(a, 50.0 - 0.1 * 70.0 * 3.0, 1e-12, 0.0));
    CU_ASSERT_EQUAL(b, 70.0);
    dr_lanchester_at(DR_LANCHESTER_SQUARE, 0.0, 0.1, 50.0, 70.0, 100.0, &a, &b);
    CU_ASSERT(a == 0.0 && b == 70.0);
    /* Time zero is the initial state. */
    dr_lanchester_at(DR_LANCHESTER_SQUARE, ACC_ALPHA, ACC_BETA, ACC_A0, ACC_B0, 0.0,
                     &a, &b);
    CU_ASSERT(close_to(a, ACC_A0, 1e-15, 0.0) && close_to(b, ACC_B0, 1e-15, 0.0));
}

/* ---- deterministic linear law ------------------------------------------ */

static void test_linear_invariant_and_rk4(void)
{
    /* c > 0 (A wins), c < 0 (B wins), and c == 0 exactly. */
    const struct {
        double alpha, beta, a0, b0;
    } cases[] = {
        {1e-3, 2e-3, 100.0, 40.0},
        {4e-4, 1e-3, 150.0, 120.0},
        {0.5, 0.25, 2.0, 4.0},
    };
    const double ts[] = {0.0, 0.25, 1.0, 2.0, 5.0, 10.0, 40.0};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double al = cases[c].alpha, be = cases[c].beta;
        double a0 = cases[c].a0, b0 = cases[c].b0;
        double inv0 = dr_lanchester_invariant(DR_LANCHESTER_LINEAR, al, be, a0, b0);
        CU_ASSERT(close_to(inv0, al * a0 - be * b0, 1e-15, 0.0));
        for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
            double a, b, ra, rb;
            dr_lanchester_at(DR_LANCHESTER_LINEAR, al, be, a0, b0, ts[i], &a, &b);
            CU_ASSERT(a > 0.0 && b > 0.0);
            CU_ASSERT(a <= a0 && b <= b0);
            double inv = dr_lanchester_invariant(DR_LANCHESTER_LINEAR, al, be, a, b);
            CU_ASSERT(close_to(inv, inv0, 0.0, 1e-12));
            rk4(DR_LANCHESTER_LINEAR, al, be, a0, b0, ts[i],
                (unsigned)(ts[i] * 2000.0) + 1u, &ra, &rb);
            CU_ASSERT(close_to(a, ra, 1e-9, 1e-12));
            CU_ASSERT(close_to(b, rb, 1e-9, 1e-12));
        }
    }
    /* Long-run limits: the winner tends to c/alpha, the loser to zero. */
    double a, b;
    dr_lanchester_at(DR_LANCHESTER_LINEAR, 1e-3, 2e-3, 100.0, 40.0, 1e5, &a, &b);
    CU_ASSERT(close_to(a, (0.1 - 0.08) / 1e-3, 1e-9, 0.0));
    CU_ASSERT(b >= 0.0 && b < 1e-12);
    /* c == 0: A(t) = A0/(1 + alpha*A0*t). */
    dr_lanchester_at(DR_LANCHESTER_LINEAR, 0.5, 0.25, 2.0, 4.0, 3.0, &a, &b);
    CU_ASSERT(close_to(a, 2.0 / (1.0 + 0.5 * 2.0 * 3.0), 1e-15, 0.0));
    CU_ASSERT(close_to(b, 4.0 / (1.0 + 0.25 * 4.0 * 3.0), 1e-15, 0.0));
    /* Zero effectiveness and absent sides leave the state unchanged. */
    dr_lanchester_at(DR_LANCHESTER_LINEAR, 0.0, 0.0, 50.0, 70.0, 100.0, &a, &b);
    CU_ASSERT(a == 50.0 && b == 70.0);
    dr_lanchester_at(DR_LANCHESTER_LINEAR, 0.1, 0.1, 0.0, 70.0, 100.0, &a, &b);
    CU_ASSERT(a == 0.0 && b == 70.0);
}

/* ---- stochastic chain --------------------------------------------------- */

/* Fraction of `reps` square-law fights to annihilation that A wins, one
 * keyed stream per replication. */
static double ctmc_win_fraction(uint64_t seed, double alpha, double beta, long a0,
                                long b0, unsigned reps)
{
    gsl_rng *r = new_rng();
    unsigned wins = 0;
    for (unsigned rep = 0; rep < reps; rep++) {
        dr_rng_stream(r, seed, 0, DR_RNG_TEST, rep, 0);
        long al, bl;
        double t;
        dr_lanchester_ctmc(r, DR_LANCHESTER_SQUARE, alpha, beta, a0, b0, INFINITY,
                           0, 0, &al, &bl, &t);
        /* Exactly one side is annihilated and the fight ends at an event. */
        CU_ASSERT((al == a0) != (bl == b0));
        CU_ASSERT(isfinite(t) && t > 0.0);
        if (bl == b0) wins++;
    }
    gsl_rng_free(r);
    return (double)wins / reps;
}

static void check_win_probability(uint64_t seed, double alpha, double beta, long a0,
                                  long b0, double reference)
{
    double exact = exact_p_a_wins(alpha, beta, (unsigned)a0, (unsigned)b0);
    CU_ASSERT_FATAL(exact >= 0.0);
    /* The figure is the exact value to four decimals. */
    CU_ASSERT(fabs(exact - reference) < 5e-5);
    double p = ctmc_win_fraction(seed, alpha, beta, a0, b0, WIN_REPS);
    double half = Z99 * sqrt(exact * (1.0 - exact) / WIN_REPS);
    printf("\n    P(A wins) %ld vs %ld, alpha %g beta %g: exact %.6f, chain %.5f "
           "over %u (99%% half-width %.5f)\n",
           a0, b0, alpha, beta, exact, p, WIN_REPS, half);
    CU_ASSERT(fabs(p - exact) <= half);
}

static void test_ctmc_win_equal_rates(void)
{
    check_win_probability(UINT64_C(0x1a2c4e7f00000001), 1.0, 1.0, 10, 8, 0.7914);
}

static void test_ctmc_win_unequal_rates(void)
{
    check_win_probability(UINT64_C(0x1a2c4e7f00000002), 0.1, 0.05, 10, 14, 0.5283);
}

/* Mean losses of `reps` chains up to t_max against the deterministic law. */
static void check_mean_losses(uint64_t seed, dr_lanchester_law law, double alpha,
                              double beta, long a0, long b0, double t_max,
                              double rel_tol)
{
    gsl_rng *r = new_rng();
    double sa = 0.0, sa2 = 0.0, sb = 0.0, sb2 = 0.0;
    for (unsigned rep = 0; rep < MEAN_REPS; rep++) {
        dr_rng_stream(r, seed, 0, DR_RNG_TEST, rep, 0);
        long al, bl;
        double t;
        dr_lanchester_ctmc(r, law, alpha, beta, a0, b0, t_max, 0, 0, &al, &bl, &t);
        CU_ASSERT_EQUAL(t, t_max);
        sa += (double)al;
        sa2 += (double)al * (double)al;
        sb += (double)bl;
        sb2 += (double)bl * (double)bl;
    }
    gsl_rng_free(r);
    double n = MEAN_REPS;
    double ma = sa / n, mb = sb / n;
    double se_a = sqrt((sa2 / n - ma * ma) / (n - 1.0));
    double se_b = sqrt((sb2 / n - mb * mb) / (n - 1.0));
    double a, b;
    dr_lanchester_at(law, alpha, beta, (double)a0, (double)b0, t_max, &a, &b);
    double da = (double)a0 - a, db = (double)b0 - b;
    printf("\n    %s %ld vs %ld, t %g: mean losses A %.3f (ODE %.3f, se %.3f), "
           "B %.3f (ODE %.3f, se %.3f)\n",
           law == DR_LANCHESTER_LINEAR ? "linear" : "square", a0, b0, t_max, ma,
           da, se_a, mb, db, se_b);
    CU_ASSERT(fabs(ma - da) <= rel_tol * da);
    CU_ASSERT(fabs(mb - db) <= rel_tol * db);
    if (law == DR_LANCHESTER_SQUARE) {
        /* The square law's rates are linear in the state, so the chain's
         * mean obeys the ODE exactly until a side can reach zero (which is
         * impossible here in practice): a 5-standard-error check. */
        CU_ASSERT(fabs(ma - da) <= STAT_SIGMAS * se_a);
        CU_ASSERT(fabs(mb - db) <= STAT_SIGMAS * se_b);
    }
}

static void test_ctmc_mean_square(void)
{
    check_mean_losses(UINT64_C(0x1a2c4e7f00000003), DR_LANCHESTER_SQUARE, 0.01,
                      0.01, 2000, 2000, 5.0, 0.03);
    check_mean_losses(UINT64_C(0x1a2c4e7f00000004), DR_LANCHESTER_SQUARE, 0.01,
                      0.02, 2000, 1500, 2.0, 0.03);
}

static void test_ctmc_mean_linear(void)
{
    /* Bilinear rates: the mean departs from the ODE only by covariance terms
     * of relative order 1/N, well inside 3 %. */
    check_mean_losses(UINT64_C(0x1a2c4e7f00000005), DR_LANCHESTER_LINEAR, 1e-5,
                      1e-5, 2000, 2000, 2.0, 0.03);
    check_mean_losses(UINT64_C(0x1a2c4e7f00000006), DR_LANCHESTER_LINEAR, 1e-5,
                      2e-5, 2000, 1500, 2.0, 0.03);
}

static void test_ctmc_zero_effectiveness(void)
{
    gsl_rng *r = new_rng();
    for (int law = 0; law < DR_LANCHESTER_LAW_COUNT; law++) {
        long al = -1, bl = -1;
        double t = -1.0;
        dr_rng_stream(r, UINT64_C(7), 0, DR_RNG_TEST, (uint32_t)law, 0);
        dr_lanchester_ctmc(r, (dr_lanchester_law)law, 0.0, 0.0, 500, 400, 10.0, 0,
                           0, &al, &bl, &t);
        CU_ASSERT(al == 0 && bl == 0 && t == 10.0);
        dr_lanchester_ctmc(r, (dr_lanchester_law)law, 0.0, 0.0, 500, 400, INFINITY,
                           0, 0, &al, &bl, &t);
        CU_ASSERT(al == 0 && bl == 0 && isinf(t));
        /* Only B is lethal: B loses nobody, A is destroyed. */
        dr_lanchester_ctmc(r, (dr_lanchester_law)law, 0.0, 0.05, 30, 20, INFINITY,
                           0, 0, &al, &bl, &t);
        CU_ASSERT(al == 30 && bl == 0 && isfinite(t));
        /* Only A is lethal, over a short time: A loses nobody. */
        dr_lanchester_ctmc(r, (dr_lanchester_law)law, 0.05, 0.0, 30, 20, 1.0, 0, 0,
                           &al, &bl, &t);
        CU_ASSERT(al == 0 && bl >= 0 && bl <= 20);
    }
    gsl_rng_free(r);
}

static void test_ctmc_breaks_and_limits(void)
{
    gsl_rng *r = new_rng();
    unsigned a_broke = 0, b_broke = 0;
    for (unsigned rep = 0; rep < 2000; rep++) {
        dr_rng_stream(r, UINT64_C(0x1a2c4e7f00000007), 0, DR_RNG_TEST, rep, 0);
        long al, bl;
        double t;
        dr_lanchester_ctmc(r, DR_LANCHESTER_SQUARE, 0.02, 0.02, 100, 100, INFINITY,
                           70, 80, &al, &bl, &t);
        /* Neither side goes below its break level, and exactly one hits it. */
        CU_ASSERT(100 - al >= 70 && 100 - bl >= 80);
        CU_ASSERT((100 - al == 70) != (100 - bl == 80));
        a_broke += (100 - al == 70);
        b_broke += (100 - bl == 80);
    }
    /* B breaks after 20 losses, A after 30 at equal strength: B breaks more. */
    CU_ASSERT(b_broke > a_broke);
    CU_ASSERT(a_broke > 0);

    long al, bl;
    double t;
    /* Starting at or below a break level, or at zero: no fight. */
    dr_lanchester_ctmc(r, DR_LANCHESTER_SQUARE, 0.1, 0.1, 50, 40, INFINITY, 50, 0,
                       &al, &bl, &t);
    CU_ASSERT(al == 0 && bl == 0 && t == 0.0);
    dr_lanchester_ctmc(r, DR_LANCHESTER_LINEAR, 0.1, 0.1, 0, 40, INFINITY, 0, 0,
                       &al, &bl, &t);
    CU_ASSERT(al == 0 && bl == 0 && t == 0.0);
    /* t_max = 0: nothing happens. */
    dr_lanchester_ctmc(r, DR_LANCHESTER_SQUARE, 0.1, 0.1, 50, 40, 0.0, 0, 0, &al,
                       &bl, &t);
    CU_ASSERT(al == 0 && bl == 0 && t == 0.0);
    /* Negative break levels mean annihilation. */
    dr_lanchester_ctmc(r, DR_LANCHESTER_SQUARE, 0.1, 0.1, 5, 5, INFINITY, -3, -3,
                       &al, &bl, &t);
    CU_ASSERT((al == 5) != (bl == 5));
    CU_ASSERT(al <= 5 && bl <= 5);
    /* A fight cut short by t_max ends at t_max with both sides standing. */
    dr_lanchester_ctmc(r, DR_LANCHESTER_SQUARE, 0.01, 0.01, 1000, 1000, 0.5, 0, 0,
                       &al, &bl, &t);
    CU_ASSERT(t == 0.5 && al < 1000 && bl < 1000 && al + bl > 0);
    gsl_rng_free(r);
}

static void test_ctmc_reproducible(void)
{
    gsl_rng *r = new_rng();
    long al1, bl1, al2, bl2;
    double t1, t2;
    dr_rng_stream(r, UINT64_C(99), 3, DR_RNG_TEST, 17, 5);
    dr_lanchester_ctmc(r, DR_LANCHESTER_LINEAR, 0.002, 0.003, 300, 250, 4.0, 10, 10,
                       &al1, &bl1, &t1);
    dr_rng_stream(r, UINT64_C(99), 3, DR_RNG_TEST, 17, 5);
    dr_lanchester_ctmc(r, DR_LANCHESTER_LINEAR, 0.002, 0.003, 300, 250, 4.0, 10, 10,
                       &al2, &bl2, &t2);
    CU_ASSERT(al1 == al2 && bl1 == bl2 && t1 == t2);
    gsl_rng_free(r);
}

static const dr_test_case dr_tests[] = {
    {"square law: acceptance case 100 vs 120", test_square_acceptance},
    {"square law: B wins, draws, empty sides", test_square_b_wins_and_draw},
    {"square law: invariant and RK4", test_square_invariant_and_rk4},
    {"square law: zero effectiveness", test_square_zero_effectiveness},
    {"linear law: invariant, RK4, limits", test_linear_invariant_and_rk4},
    {"chain: P(A wins) 10 vs 8, equal rates", test_ctmc_win_equal_rates},
    {"chain: P(A wins) 10 vs 14, 0.1 vs 0.05", test_ctmc_win_unequal_rates},
    {"chain: square-law mean losses vs ODE", test_ctmc_mean_square},
    {"chain: linear-law mean losses vs ODE", test_ctmc_mean_linear},
    {"chain: zero effectiveness", test_ctmc_zero_effectiveness},
    {"chain: break levels, t_max, empty sides", test_ctmc_breaks_and_limits},
    {"chain: reproducible from the same stream", test_ctmc_reproducible},
    {NULL, NULL},
};

DR_TEST_MAIN("lanchester")
