/*
 * test_hawkes.c — the daily self- and cross-exciting update (engine/hawkes.h).
 *
 * Layers: the discrete kernel itself (first-day weight, geometric decay, total
 * mass alpha/beta, cross-excitation), then long-run event rates of simulated
 * daily processes against the stationary rates stated in hawkes.h. A day's
 * count is N_t ~ Poisson(mu + X_t), drawn from a keyed stream per process and
 * day (dr_rng_stream(r, seed, 0, DR_RNG_TEST, process, day)), and X is carried
 * by dr_hawkes_next.
 *
 * Tolerance reasoning. The process is a Poisson cluster process: immigrants
 * arrive at rate mu and every event has Poisson offspring with mean n (the
 * branching ratio, alpha/beta; (alpha_s + alpha_x)/beta for the total of a
 * symmetric pair). A cluster's size S then has E[S] = 1/(1 - n) and E[S^2] =
 * 1/(1 - n)^3, so over T days Var N(T) ~ mu T E[S^2] = lambda T/(1 - n)^2 with
 * lambda = mu/(1 - n), and the standard error of the rate N(T)/T is
 * sqrt(lambda/T)/(1 - n). For lambda = 0.2, n = 0.5, T = 10^6 that is 8.9e-4,
 * 0.45 % of the rate, so the 5 % tolerance is over 11 standard errors.
 * Each check also asserts the tighter bound of 5 standard errors (a chance
 * failure probability of about 6e-7; the streams are fixed, so the outcome is
 * deterministic). For one process of a symmetric pair with positive
 * cross-excitation the two counts are positively correlated, so Var N_1 <=
 * Var(N_1 + N_2)/2, and the pair's total has branching ratio 0.5 and
 * immigration 2 mu: the same standard error bound holds per process. The
 * start from X = 0 biases the rate by O(1/T) (the intensity relaxes within a
 * few days), negligible here.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "dr_test.h"
#include "hawkes.h"
#include "rng.h"

/* Days simulated by each rate check. */
#define DAYS 1000000u

/* The tolerance on the long-run rate (relative). */
#define REL_TOL 0.05

/* The tighter tolerance, in standard errors of the rate. */
#define STAT_SIGMAS 5.0

/* Allocate a keyed generator; the calling test stops if allocation fails. */
static gsl_rng *new_rng(void)
{
    gsl_rng *r = gsl_rng_alloc(dr_rng_philox4x32);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return r;
}

/* Check an observed long-run rate against the stationary rate `lambda` of a
 * process whose branching ratio is `n`, over DAYS days. */
static void check_rate(const char *what, double observed, double lambda, double n)
{
    double se = sqrt(lambda / DAYS) / (1.0 - n);
    printf("\n    %s: rate %.6f/day, expected %.6f (rel. error %+.3f %%, %.2f se)\n",
           what, observed, lambda, 100.0 * (observed / lambda - 1.0),
           (observed - lambda) / se);
    CU_ASSERT(fabs(observed - lambda) <= REL_TOL * lambda);
    CU_ASSERT(fabs(observed - lambda) <= STAT_SIGMAS * se);
}

/* Long-run event rate of a univariate daily process over DAYS days. */
static double univariate_rate(uint64_t seed, double mu, double alpha, double beta)
{
    gsl_rng *r = new_rng();
    double x = 0.0;
    double events = 0.0;
    for (uint32_t day = 0; day < DAYS; day++) {
        dr_rng_stream(r, seed, 0, DR_RNG_TEST, 0, day);
        unsigned k = gsl_ran_poisson(r, mu + x);
        events += k;
        x = dr_hawkes_next(x, beta, alpha, 0.0, (double)k, 0.0);
    }
    gsl_rng_free(r);
    return events / DAYS;
}

static void test_kernel(void)
{
    const double alpha = 0.5, beta = 1.0;
    /* One event on day 0, none after: the excitation on day k >= 1 is
     * (alpha/beta)(1 - e^-beta) e^(-beta(k-1)), summing to alpha/beta. */
    double x = dr_hawkes_next(0.0, beta, alpha, 0.7, 1.0, 0.0);
    CU_ASSERT(fabs(x - alpha / beta * (1.0 - exp(-beta))) < 1e-15);
    double mass = 0.0;
    for (int k = 1; k <= 200; k++) {
        double expect = alpha / beta * (1.0 - exp(-beta)) * exp(-beta * (k - 1));
        CU_ASSERT(fabs(x - expect) <= 1e-14 * expect);
        mass += x;
        x = dr_hawkes_next(x, beta, alpha, 0.7, 0.0, 0.0);
    }
    CU_ASSERT(fabs(mass - alpha / beta) < 1e-12);
    /* The partner's events weigh alpha_cross, and contributions add. */
    double y = dr_hawkes_next(0.0, 0.4, 0.1, 0.3, 2.0, 5.0);
    CU_ASSERT(fabs(y - (1.0 - exp(-0.4)) / 0.4 * (0.1 * 2.0 + 0.3 * 5.0)) < 1e-15);
    /* No events: pure decay. */
    CU_ASSERT(fabs(dr_hawkes_next(2.0, 0.4, 0.1, 0.3, 0.0, 0.0) - 2.0 * exp(-0.4)) <
              1e-15);
}

static void test_univariate_rate(void)
{
    const double mu = 0.1, alpha = 0.5, beta = 1.0;
    double rate = univariate_rate(UINT64_C(0x4a3b2c1d00000001), mu, alpha, beta);
    check_rate("univariate mu 0.1, alpha 0.5, beta 1", rate,
               mu / (1.0 - alpha / beta), alpha / beta);
}

static void test_no_excitation(void)
{
    const double mu = 0.1;
    double rate = univariate_rate(UINT64_C(0x4a3b2c1d00000002), mu, 0.0, 1.0);
    check_rate("univariate mu 0.1, alpha 0", rate, mu, 0.0);
}

static void test_bivariate_rate(void)
{
    const double mu = 0.1, alpha_s = 0.2, alpha_x = 0.3, beta = 1.0;
    const uint64_t seed = UINT64_C(0x4a3b2c1d00000003);
    gsl_rng *r = new_rng();
    double x1 = 0.0, x2 = 0.0;
    double e1 = 0.0, e2 = 0.0;
    for (uint32_t day = 0; day < DAYS; day++) {
        dr_rng_stream(r, seed, 0, DR_RNG_TEST, 0, day);
        unsigned k1 = gsl_ran_poisson(r, mu + x1);
        dr_rng_stream(r, seed, 0, DR_RNG_TEST, 1, day);
        unsigned k2 = gsl_ran_poisson(r, mu + x2);
        e1 += k1;
        e2 += k2;
        /* Both updates read today's counts and yesterday's excitation. */
        double n1 = x1, n2 = x2;
        x1 = dr_hawkes_next(n1, beta, alpha_s, alpha_x, (double)k1, (double)k2);
        x2 = dr_hawkes_next(n2, beta, alpha_s, alpha_x, (double)k2, (double)k1);
    }
    gsl_rng_free(r);
    double n = (alpha_s + alpha_x) / beta;
    double lambda = mu / (1.0 - n);
    check_rate("pair process 1 (alpha_s 0.2, alpha_x 0.3)", e1 / DAYS, lambda, n);
    check_rate("pair process 2 (alpha_s 0.2, alpha_x 0.3)", e2 / DAYS, lambda, n);
}

static const dr_test_case dr_tests[] = {
    {"discrete kernel: weights, mass, cross-excitation", test_kernel},
    {"univariate: long-run rate mu/(1 - alpha/beta)", test_univariate_rate},
    {"univariate: alpha 0 gives rate mu", test_no_excitation},
    {"symmetric pair: rate mu/(1 - (alpha_s + alpha_x)/beta)", test_bivariate_rate},
    {NULL, NULL},
};

DR_TEST_MAIN("hawkes")
