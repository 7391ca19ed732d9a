/*
 * test_compare.c — the strategy comparison (compare.h): known answers of
 * the analysis (paired t interval, independent-seed half-widths, pairwise
 * NaN handling, deaths averted, cost ratio and rank, series quantiles),
 * and real runs of tests/compare/ (common random numbers make a strategy
 * without changes equal to the baseline run by run; thread counts do not
 * change results; a strategy that changes the seed is refused).
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "dr_test.h"
#include "scenario.h"
#include "summary.h"

#define SCENARIO DR_SRC("tests/compare/two_states.cfg")
#define STRATEGIES DR_SRC("tests/compare/strategies.cfg")
#define BAD_SEED DR_SRC("tests/compare/bad_seed.cfg")

/* Student t, 0.975 quantile, 3 degrees of freedom (GSL's inverse cdf
 * agrees to about 1e-12, hence the tolerance TOL of what it scales). */
#define T3 3.182446305284263
#define TOL 1e-9

static size_t ind(const char *name)
{
    size_t k = dr_compare_indicator(name);
    CU_ASSERT_FATAL(k != DR_COMPARE_NONE);
    return k;
}

/* c->indicators[s][r][k] */
static double *at(dr_compare *c, size_t s, size_t r, size_t k)
{
    return &c->indicators[(s * c->n_replications + r) * c->n_indicators + k];
}

/* Three strategies x 4 replications, baseline 1, with every indicator 0
 * except those set here. */
static dr_compare *toy(void)
{
    dr_compare *c = dr_compare_create(3, 1, 4, 2, 1, NULL);
    CU_ASSERT_FATAL(c != NULL);
    for (size_t i = 0; i < 3 * 4 * c->n_indicators; i++) c->indicators[i] = 0.0;
    const size_t d = ind("deaths_total");
    const double base[4] = {10, 12, 14, 20}, plus[4] = {1, 2, 3, 2};
    for (size_t r = 0; r < 4; r++) {
        *at(c, 1, r, d) = base[r];
        *at(c, 0, r, d) = base[r] + plus[r]; /* 11 14 17 22 */
        *at(c, 2, r, d) = base[r];           /* identical to the baseline */
    }
    return c;
}

static void test_paired_interval(void)
{
    dr_compare *c = toy();
    const size_t d = ind("deaths_total"), I = c->n_indicators;
    CU_ASSERT_EQUAL(dr_compare_analyse(c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c->t_quantile, T3, TOL);
    /* Differences 1 2 3 2: mean 2, variance 2/3. */
    CU_ASSERT_DOUBLE_EQUAL(c->effect[0 * I + d], 2.0, 1e-12);
    double hw = T3 * sqrt(2.0 / 3.0 / 4.0);
    CU_ASSERT_DOUBLE_EQUAL(c->halfwidth[0 * I + d], hw, TOL);
    CU_ASSERT_DOUBLE_EQUAL(c->effect_lo[0 * I + d], 2.0 - hw, TOL);
    CU_ASSERT_DOUBLE_EQUAL(c->effect_hi[0 * I + d], 2.0 + hw, TOL);
    /* Variances 22 (strategy) and 56/3 (baseline). */
    CU_ASSERT_DOUBLE_EQUAL(c->halfwidth_ind[0 * I + d],
                           T3 * sqrt((22.0 + 56.0 / 3.0) / 4.0), TOL);
    CU_ASSERT_DOUBLE_EQUAL(c->mean[0 * I + d], 16.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->sd[1 * I + d], sqrt(56.0 / 3.0), 1e-12);
    CU_ASSERT_EQUAL(c->n_pairs[0 * I + d], 4);
    /* A strategy equal to the baseline: exactly 0, zero width. */
    for (size_t k = 0; k < I; k++) {
        CU_ASSERT(c->effect[2 * I + k] == 0.0);
        CU_ASSERT(c->effect_lo[2 * I + k] == 0.0);
        CU_ASSERT(c->effect_hi[2 * I + k] == 0.0);
        CU_ASSERT(c->effect[1 * I + k] == 0.0);
    }
    CU_ASSERT(c->halfwidth_ind[2 * I + d] > 0.0);
    /* Deaths averted: the negated effect and interval. */
    CU_ASSERT_DOUBLE_EQUAL(c->averted[0], -2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->averted_lo[0], -2.0 - hw, TOL);
    CU_ASSERT_DOUBLE_EQUAL(c->averted_hi[0], -2.0 + hw, TOL);
    dr_compare_destroy(c);
}

static void test_nan_pairs(void)
{
    dr_compare *c = toy();
    const size_t d = ind("deaths_total"), I = c->n_indicators;
    *at(c, 0, 2, d) = NAN; /* drops the pair 17 - 14 */
    CU_ASSERT_EQUAL(dr_compare_analyse(c), 0);
    CU_ASSERT_EQUAL(c->n_pairs[0 * I + d], 3);
    /* Differences 1 2 2. */
    CU_ASSERT_DOUBLE_EQUAL(c->effect[0 * I + d], 5.0 / 3.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->mean[0 * I + d], (11.0 + 14.0 + 22.0) / 3.0, 1e-12);
    /* All NaN: no pairs, NaN effect. */
    for (size_t s = 0; s < 3; s++)
        for (size_t r = 0; r < 4; r++) *at(c, s, r, ind("tension_final")) = NAN;
    CU_ASSERT_EQUAL(dr_compare_analyse(c), 0);
    CU_ASSERT_EQUAL(c->n_pairs[0 * I + ind("tension_final")], 0);
    CU_ASSERT(isnan(c->effect[0 * I + ind("tension_final")]));
    dr_compare_destroy(c);
}

static void test_independent_measured(void)
{
    dr_compare *c = toy();
    const size_t d = ind("deaths_total"), I = c->n_indicators, R = 4;
    const double other[4] = {16, 10, 12, 18}; /* minus 10 12 14 20: 6 -2 -2 -2 */
    for (size_t r = 0; r < R; r++) c->indep[(0 * R + r) * I + d] = other[r];
    CU_ASSERT_EQUAL(dr_compare_analyse(c), 0);
    /* mean 0, variance (36 + 3*4)/3 = 16 */
    CU_ASSERT_DOUBLE_EQUAL(c->halfwidth_ind_measured[0 * I + d], T3 * sqrt(16.0 / 4.0),
                           TOL);
    CU_ASSERT(isnan(c->halfwidth_ind_measured[1 * I + d])); /* the baseline */
    dr_compare_destroy(c);
}

/* The cost path, with another indicator standing in for cost_total. */
static void test_cost_and_rank(void)
{
    dr_compare *c = dr_compare_create(4, 0, 2, 1, 0, NULL);
    CU_ASSERT_FATAL(c != NULL);
    const size_t I = c->n_indicators, d = ind("deaths_total");
    c->cost_indicator = ind("strikes_total");
    for (size_t i = 0; i < 4 * 2 * I; i++) c->indicators[i] = 0.0;
    /* deaths (both replications) and cost per strategy */
    const double deaths[4] = {100, 90, 80, 95}, cost[4] = {1e6, 3e6, 5e6, 1e6};
    for (size_t s = 0; s < 4; s++)
        for (size_t r = 0; r < 2; r++) {
            *at(c, s, r, d) = deaths[s] + (double)r;
            *at(c, s, r, c->cost_indicator) = cost[s];
        }
    CU_ASSERT_EQUAL(dr_compare_analyse(c), 0);
    /* averted 0 10 20 5; increments 0 2e6 4e6 0; per 1 M USD: - 5 5 - */
    CU_ASSERT_DOUBLE_EQUAL(c->cost[2], 5e6, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(c->cost_increment[2], 4e6, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(c->averted[2], 20.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->averted_per_cost[1], 5.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->averted_per_cost[2], 5.0, 1e-12);
    CU_ASSERT(isnan(c->averted_per_cost[0]) && isnan(c->averted_per_cost[3]));
    /* Costly ones first by ratio (tie: file order), then the others by
     * deaths averted. */
    CU_ASSERT_EQUAL(c->rank[1], 1);
    CU_ASSERT_EQUAL(c->rank[2], 2);
    CU_ASSERT_EQUAL(c->rank[3], 3);
    CU_ASSERT_EQUAL(c->rank[0], 4);
    /* Without a cost indicator every strategy costs 0. */
    c->cost_indicator = DR_COMPARE_NONE;
    CU_ASSERT_EQUAL(dr_compare_analyse(c), 0);
    CU_ASSERT(c->cost[2] == 0.0 && isnan(c->averted_per_cost[2]));
    CU_ASSERT_EQUAL(c->rank[2], 1);
    CU_ASSERT_EQUAL(c->rank[1], 2);
    CU_ASSERT_EQUAL(c->rank[3], 3);
    CU_ASSERT_EQUAL(c->rank[0], 4);
    dr_compare_destroy(c);
}

static void test_series_quantiles(void)
{
    dr_compare *c = toy();
    const size_t K = c->n_series, D = 2, R = 4, S = 3;
    /* Series 0, strategy 1, day 1: 4 3 1 2 over the replications. */
    const double v[4] = {4, 3, 1, 2};
    for (size_t r = 0; r < R; r++) c->series[((1 * R + r) * D + 1) * K + 0] = v[r];
    c->series[((1 * R + 3) * D + 0) * K + 0] = 7.0; /* one finite value on day 0 */
    CU_ASSERT_EQUAL(dr_compare_analyse(c), 0);
    size_t a = (0 * S + 1) * D + 1;
    CU_ASSERT_DOUBLE_EQUAL(c->series_mean[a], 2.5, 1e-12);
    /* Linear interpolation between order statistics (numpy's default). */
    CU_ASSERT_DOUBLE_EQUAL(c->series_q[0][a], 1.15, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->series_q[1][a], 2.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->series_q[2][a], 3.85, 1e-12);
    a = (0 * S + 1) * D + 0;
    CU_ASSERT(c->series_mean[a] == 7.0 && c->series_q[0][a] == 7.0);
    CU_ASSERT(isnan(c->series_mean[(0 * S + 0) * D + 0])); /* no finite value */
    dr_compare_destroy(c);
}

/* Run tests/compare/ with R replications on `threads` threads. */
static dr_compare *run(const dr_strategy_set *set, uint32_t R, int threads, int indep)
{
    dr_compare *c =
        dr_compare_create(set->n, set->baseline, R,
                          set->strategies[set->baseline].sc->meta.days, indep, NULL);
    CU_ASSERT_FATAL(c != NULL);
    dr_compare_plan p = {.threads = threads, .err = stderr};
    CU_ASSERT_EQUAL_FATAL(dr_compare_run(c, set, &p), 0);
    CU_ASSERT_EQUAL(c->n_failed, 0);
    CU_ASSERT_EQUAL(dr_compare_analyse(c), 0);
    return c;
}

static size_t strategy(const dr_strategy_set *set, const char *name)
{
    for (size_t s = 0; s < set->n; s++)
        if (!strcmp(set->strategies[s].name, name)) return s;
    CU_FAIL_FATAL("no such strategy");
    return 0;
}

static void test_runs(void)
{
    dr_strategy_set *set = dr_strategies_load(SCENARIO, NULL, 0, STRATEGIES, stderr);
    CU_ASSERT_FATAL(set != NULL);
    CU_ASSERT_EQUAL(dr_compare_check(set, stderr), 0);
    const uint32_t R = 3;
    dr_compare *a = run(set, R, 1, 1), *b = run(set, R, 2, 1);
    const size_t S = set->n, I = a->n_indicators, D = (size_t)a->days, K = a->n_series;
    /* Thread counts do not change results. */
    CU_ASSERT(!memcmp(a->indicators, b->indicators, S * R * I * sizeof(double)));
    CU_ASSERT(!memcmp(a->series, b->series, S * R * D * K * sizeof(double)));
    CU_ASSERT(!memcmp(a->indep, b->indep, S * R * I * sizeof(double)));
    CU_ASSERT(!memcmp(a->effect, b->effect, S * I * sizeof(double)));
    /* Common random numbers: a strategy without changes is the baseline,
     * run by run and day by day. */
    size_t same = strategy(set, "same"), base = set->baseline;
    CU_ASSERT_EQUAL(base, strategy(set, "baseline"));
    CU_ASSERT(!memcmp(a->indicators + same * R * I, a->indicators + base * R * I,
                      R * I * sizeof(double)));
    CU_ASSERT(!memcmp(a->series + same * R * D * K, a->series + base * R * D * K,
                      R * D * K * sizeof(double)));
    const size_t d = ind("deaths_total");
    CU_ASSERT(a->effect[same * I + d] == 0.0 && a->halfwidth[same * I + d] == 0.0);
    /* The independent runs use other streams: they differ from the
     * baseline's (in at least one indicator of one replication). */
    CU_ASSERT(memcmp(a->indep + same * R * I, a->indicators + base * R * I,
                     R * I * sizeof(double)) != 0);
    /* Fewer attacks means fewer attacks in every replication here. */
    size_t fewer = strategy(set, "fewer_attacks");
    CU_ASSERT(a->effect_hi[fewer * I + ind("attacks_total")] < 0.0);
    dr_compare_destroy(a);
    dr_compare_destroy(b);
    dr_strategies_destroy(set);
}

static void test_check_refuses_seed(void)
{
    FILE *err = tmpfile();
    CU_ASSERT_FATAL(err != NULL);
    dr_strategy_set *set = dr_strategies_load(SCENARIO, NULL, 0, BAD_SEED, err);
    CU_ASSERT_FATAL(set != NULL);
    CU_ASSERT_EQUAL(dr_compare_check(set, err), DR_EXIT_INPUT);
    char buf[1024] = "";
    rewind(err);
    size_t n = fread(buf, 1, sizeof buf - 1, err);
    buf[n] = '\0';
    CU_ASSERT(strstr(buf, "bad_seed.cfg:") != NULL);
    CU_ASSERT(strstr(buf, "scenario.seed") != NULL);
    CU_ASSERT(strstr(buf, "lucky") != NULL);
    fclose(err);
    dr_strategies_destroy(set);
}

static const dr_test_case dr_tests[] = {
    {"paired interval, independent estimate, zero effect", test_paired_interval},
    {"NaN indicators are left out pairwise", test_nan_pairs},
    {"measured independent-seed half-width", test_independent_measured},
    {"cost, deaths averted per cost, rank", test_cost_and_rank},
    {"series mean and quantiles", test_series_quantiles},
    {"runs: CRN and thread independence", test_runs},
    {"a strategy that changes the seed is refused", test_check_refuses_seed},
    {NULL, NULL}};

DR_TEST_MAIN("compare")
