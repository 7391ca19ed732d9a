/*
 * design.h — designs of experiments for parameter sweeps, and the
 * sensitivity analysis that reads their results.
 *
 * A design is a matrix of points (n_points x n_params) in the parameters'
 * natural units. Each parameter is a scenario setting path (the same paths
 * as `-s` overrides) with a range. Designs are pure functions of their
 * arguments and the seed: the same call gives the same matrix anywhere.
 *
 * Kinds:
 *   factorial  every combination of `levels` equally spaced values per
 *              parameter (n_points = product of levels)
 *   lhs        Latin hypercube of n points, strata permuted with the keyed
 *              stream (purpose DR_RNG_DESIGN, entity = parameter index)
 *   sobol      Saltelli scheme for Sobol indices from GSL's Sobol sequence
 *              (gsl_qrng_sobol) in 2k dimensions: base sample size N gives
 *              N*(k+2) points laid out as blocks A, B, AB_1..AB_k of N rows
 *   morris     r trajectories of k+1 points each on a p-level grid
 *              (Morris 1991, with the step delta = p/(2(p-1)))
 */
#ifndef DR_DESIGN_H
#define DR_DESIGN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum dr_design_kind {
    DR_DESIGN_FACTORIAL = 0,
    DR_DESIGN_LHS = 1,
    DR_DESIGN_SOBOL = 2,
    DR_DESIGN_MORRIS = 3,
    DR_DESIGN_KIND_COUNT
} dr_design_kind;

extern const char *const dr_design_kind_names[DR_DESIGN_KIND_COUNT];

typedef struct dr_param_range {
    char path[256]; /* setting path, e.g. "dyads.[PAK-AFG].trust" */
    double lo, hi;  /* range in the setting's unit, lo <= hi */
    int levels;     /* factorial levels / Morris grid levels (>= 2) */
    int integer;    /* 1: values are rounded to integers */
} dr_param_range;

typedef struct dr_design {
    dr_design_kind kind;
    size_t n_params;
    dr_param_range *params; /* owned copy */
    size_t n_points;
    double *x; /* owned, row-major [n_points][n_params] */
    size_t base_n;         /* sobol: N; morris: r trajectories; else 0 */
    uint64_t seed;
} dr_design;

/*
 * Build a design. `n` is: ignored for factorial; the number of points for
 * lhs; the base sample size N for sobol; the number of trajectories r for
 * morris. Returns NULL and writes one line to `err` on bad arguments
 * (empty range list, lo > hi, levels < 2, n == 0, too many points).
 */
dr_design *dr_design_create(dr_design_kind kind, const dr_param_range *params,
                            size_t n_params, size_t n, uint64_t seed, FILE *err);
void dr_design_destroy(dr_design *d);

/* Format point i's parameter j as an override "PATH=VALUE" into buf. */
void dr_design_override(const dr_design *d, size_t i, size_t j, char *buf,
                        size_t n);

/*
 * Sobol indices from a sobol design's outputs y[n_points] (one indicator,
 * averaged over replications by the caller): first-order S1 (Saltelli 2010
 * estimator) and total ST (Jansen 1999) per parameter, with percentile
 * bootstrap 95% intervals from n_boot resamples drawn from keyed streams
 * (purpose DR_RNG_BOOTSTRAP, entity = `stream`). Arrays are [n_params].
 * Returns 0, or -1 if the design is not a sobol design.
 */
int dr_sobol_indices(const dr_design *d, const double *y, size_t n_boot,
                     uint64_t seed, uint32_t stream, double *s1, double *s1_lo,
                     double *s1_hi, double *st, double *st_lo, double *st_hi);

/*
 * Morris elementary effects from a morris design's outputs y[n_points]:
 * mu* (mean absolute effect) and sigma (standard deviation of effects) per
 * parameter, in the indicator's units per unit of the parameter's range.
 * Returns 0, or -1 if the design is not a morris design.
 */
int dr_morris_effects(const dr_design *d, const double *y, double *mu_star,
                      double *sigma);

#endif /* DR_DESIGN_H */
