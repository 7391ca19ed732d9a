/*
 * compare.h — strategy comparison with common random numbers (`durand
 * compare`, README.md "Comparing strategies").
 *
 * A comparison runs every strategy of a strategy set (scenario.h,
 * dr_strategies_load) for replications 0..R-1 of one seed. All randomness
 * in durand comes from streams keyed by (seed, replication, purpose,
 * entity, day), so replication i of every strategy sees the same
 * exogenous draws (common random numbers, CRN): the difference between a
 * strategy and the baseline in replication i is due to the strategy, not
 * to luck, and the paired differences vary far less than two independent
 * samples would. The runs go through the experiment runner (sweep.h) with
 * one design point per strategy (x = {strategy index, replication
 * offset}), so they spread over OpenMP threads and their results do not
 * depend on the thread count.
 *
 * Optionally (`independent`), every non-baseline strategy is run again
 * with replications R..2R-1 — streams the baseline's runs never saw — so
 * that the half-width an independent-seed comparison would have, which
 * the analysis estimates from the marginal variances, can be measured.
 *
 * The analysis (dr_compare_analyse) is a pure function of the stored runs
 * in a fixed order: paired Student-t intervals per strategy and
 * indicator, the independent-seed half-width, deaths averted and their
 * cost, a rank, and mean and quantiles of the daily series.
 */
#ifndef DR_COMPARE_H
#define DR_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"
#include "summary.h"
#include "sweep.h"

/* Replications per strategy when the command line gives none. */
#define DR_COMPARE_REPLICATIONS 20
/* Confidence level of every interval. */
#define DR_COMPARE_LEVEL 0.95
/* Unit of the cost-effectiveness ratio: deaths averted per this many USD. */
#define DR_COMPARE_COST_UNIT 1.0e6
/* Name of the cumulative cost indicator (summary.c); when the indicator
 * table has no such row, every strategy costs 0. */
#define DR_COMPARE_COST_INDICATOR "cost_total"
/* Name of the indicator whose difference is "deaths averted". */
#define DR_COMPARE_DEATHS_INDICATOR "deaths_total"
/* "No such indicator". */
#define DR_COMPARE_NONE ((size_t)-1)

/* Quantiles of the daily series over replications (fan charts). */
#define DR_COMPARE_N_QUANTILES 3
extern const double dr_compare_quantiles[DR_COMPARE_N_QUANTILES]; /* .05 .5 .95 */
extern const char *const dr_compare_quantile_names[DR_COMPARE_N_QUANTILES]; /* q05.. */

/*
 * A comparison: the runs and their analysis. Arrays are row-major; S =
 * n_strategies, R = n_replications, I = n_indicators (dr_n_indicators),
 * K = n_series (dr_n_summary_series), D = days. Created by
 * dr_compare_create, filled by dr_compare_run (or by the caller, in
 * tests), analysed by dr_compare_analyse.
 */
typedef struct dr_compare {
    size_t n_strategies;
    uint32_t n_replications;
    size_t n_indicators;
    size_t n_series;
    int64_t days;    /* rows of the daily series (every strategy's days) */
    size_t baseline; /* index of the reference strategy */
    int independent; /* 1: the independent-seed runs exist */
    dr_summary_options summary;
    size_t cost_indicator;   /* row of cost_total in dr_indicators, or NONE */
    size_t deaths_indicator; /* row of deaths_total, or NONE */

    /* The runs. */
    double *indicators; /* [S][R][I]: replication i of each strategy */
    double *series;     /* [S][R][D][K]: daily series of those runs */
    double *indep;      /* [S][R][I] or NULL: replication R+i of each
                           non-baseline strategy; NaN for the baseline */
    size_t n_failed;    /* runs the model could not complete */

    /* The analysis, per strategy and indicator ([S][I]). */
    double t_quantile; /* Student t (0.975, R-1) of the complete pairs */
    int32_t *n_pairs;  /* replications where both values are finite */
    double *mean;      /* mean over replications */
    double *sd;        /* standard deviation over replications */
    double *effect;    /* mean of (strategy - baseline), paired */
    double *effect_lo; /* effect -/+ t*sd(differences)/sqrt(n) */
    double *effect_hi;
    double *halfwidth;              /* (effect_hi - effect_lo)/2 */
    double *halfwidth_ind;          /* t*sqrt((var_s + var_b)/n): the same interval's
                                       half-width with independent seeds, estimated
                                       from the marginal variances */
    double *halfwidth_ind_measured; /* t*sd(indep_s - baseline)/sqrt(n) of
                                       the independent-seed runs; NaN
                                       without them and for the baseline */
    /* Cost-effectiveness, per strategy ([S]). */
    double *cost;           /* mean cumulative cost, USD (0 without cost_total) */
    double *cost_increment; /* cost - the baseline's cost, USD */
    double *averted;        /* baseline deaths - strategy deaths, mean, persons */
    double *averted_lo;     /* 95% interval of that */
    double *averted_hi;
    double *averted_per_cost; /* averted per DR_COMPARE_COST_UNIT USD of
                                 cost_increment; NaN unless it is > 0 */
    int32_t *rank;            /* 1 = best: strategies with cost_increment > 0 by
                                 averted_per_cost, then the others by averted */
    /* Daily series over replications, per series, strategy and day
     * ([K][S][D]; NaN where no replication has a finite value). */
    double *series_mean;
    double *series_q[DR_COMPARE_N_QUANTILES];
} dr_compare;

/*
 * Allocate a comparison of n_strategies x n_replications runs with `days`
 * rows of series, the runs NaN. independent: also room for the
 * independent-seed runs. `summary` NULL means the defaults. Returns NULL
 * if memory runs out (nothing is kept).
 */
dr_compare *dr_compare_create(size_t n_strategies, size_t baseline,
                              uint32_t n_replications, int64_t days, int independent,
                              const dr_summary_options *summary);
/* Free a comparison; accepts NULL. */
void dr_compare_destroy(dr_compare *c);

/*
 * Check that a strategy set can be compared with CRN: every strategy has
 * the baseline's seed, start date and number of days (a strategy's `set`
 * list must not change them). Returns 0, or DR_EXIT_INPUT after one line
 * per problem on err, naming the strategies file and line.
 */
int dr_compare_check(const dr_strategy_set *set, FILE *err);

/* How dr_compare_run spreads and reports the work. */
typedef struct dr_compare_plan {
    int threads; /* runs at once, one thread each; <= 0: omp default */
    /* As dr_sweep_plan.progress: after each run, non-zero stops. */
    int (*progress)(size_t done, size_t total, void *arg);
    void *progress_arg;
    FILE *err; /* messages; may be NULL */
    /* MPI state (dr_sweep_mpi_init); size 0 means one process. Under MPI
     * every rank calls dr_compare_run; only rank 0's c holds the runs. */
    dr_sweep_mpi mpi;
} dr_compare_plan;

/*
 * Run every strategy of `set` (borrowed; its strategies must match c's
 * shape and pass dr_compare_check) for replications 0..R-1 of the
 * baseline's seed — and, when c->independent, every other strategy for
 * replications R..2R-1 — into c. Returns a dr_sweep_rc (DR_SWEEP_OK also
 * when some runs failed: see c->n_failed). R (2R with independent) must
 * not exceed DR_RNG_REPLICATION_MAX + 1.
 */
int dr_compare_run(dr_compare *c, const dr_strategy_set *set, const dr_compare_plan *p);

/*
 * Compute the analysis fields from the runs. Pure and single-threaded;
 * NaN indicators (e.g. tension of a scenario without state dyads) are
 * left out pairwise. Returns 0, or -1 if memory runs out.
 */
int dr_compare_analyse(dr_compare *c);

/* Row of the indicator called `name` in dr_indicators, or DR_COMPARE_NONE. */
size_t dr_compare_indicator(const char *name);

#endif /* DR_COMPARE_H */
