/*
 * sensitivity.c — Sobol indices and Morris elementary effects from the
 * outputs of a design's points (design.h).
 *
 * Sobol (design kind sobol, blocks A, B, AB_1..AB_k of N rows each, see
 * design.c): with f_A, f_B, f_ABi the outputs of row j of each block and V
 * the variance of the 2N outputs of [A; B],
 *   first order (Saltelli et al. 2010, Table 2 (b)):
 *     S1_i = (1/N) sum_j f_B(j) (f_ABi(j) - f_A(j)) / V
 *   total (Jansen 1999):
 *     ST_i = (1/(2N)) sum_j (f_A(j) - f_ABi(j))^2 / V
 * The outputs are first centred on the mean of [A; B]. That leaves the
 * expectation of S1's numerator unchanged (E[f_ABi - f_A] = 0) and removes
 * its noise term proportional to a constant offset of the indicator, so an
 * indicator of mean 1e6 gets the same indices as the same indicator minus
 * 1e6. V uses the 1/(2N) normalisation. Constant outputs (V = 0) give NaN.
 *
 * Bootstrap: resample b (b = 0..n_boot-1) draws N row indices with
 * replacement, gsl_rng_uniform_int(N) each, from the keyed stream
 * (seed, replication 0, DR_RNG_BOOTSTRAP, entity = `stream`, tick = b); the
 * same rows are used in every block and for every parameter (the rows are the
 * independent units). The interval is the percentile interval: the 2.5% and
 * 97.5% quantiles of the n_boot resampled indices, with GSL's linear
 * interpolation between order statistics. The rows of a Sobol sequence are
 * not independent draws, so these intervals over-state the error of a
 * quasi-Monte Carlo estimate; they are the usual, conservative choice.
 */
#include <assert.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "design.h"
#include "rng.h"

/* Two-sided coverage of the bootstrap intervals. */
#define DR_SOBOL_CI_LEVEL 0.95

/*
 * Estimate S1 and ST of every parameter from the rows rows[0..n-1] (indices
 * into each block; NULL means rows 0..n-1 in order) of the N-row blocks of y.
 * Writes s1[k] and st[k].
 */
static void dr_sobol_estimate(const double *y, size_t big_n, size_t k, const size_t *rows,
                              double *s1, double *st)
{
    const double *ya = y, *yb = y + big_n;
    size_t n = big_n;
    double mean = 0.0;
    for (size_t j = 0; j < n; j++) {
        size_t r = rows ? rows[j] : j;
        mean += ya[r] + yb[r];
    }
    mean /= (double)(2 * n);
    double var = 0.0;
    for (size_t j = 0; j < n; j++) {
        size_t r = rows ? rows[j] : j;
        double da = ya[r] - mean, db = yb[r] - mean;
        var += da * da + db * db;
    }
    var /= (double)(2 * n);
    for (size_t i = 0; i < k; i++) {
        const double *yab = y + (2 + i) * big_n;
        double v1 = 0.0, vt = 0.0;
        for (size_t j = 0; j < n; j++) {
            size_t r = rows ? rows[j] : j;
            double diff = yab[r] - ya[r];
            v1 += (yb[r] - mean) * diff;
            vt += diff * diff;
        }
        v1 /= (double)n;
        vt /= (double)(2 * n);
        s1[i] = var > 0.0 ? v1 / var : NAN;
        st[i] = var > 0.0 ? vt / var : NAN;
    }
}

/* The percentile interval of the `n` values v[0], v[stride], ...: copied into
 * `tmp`, sorted, and cut at the (1 - level)/2 and (1 + level)/2 quantiles. A
 * NaN among the values makes both bounds NaN. */
static void dr_percentile_interval(const double *v, size_t stride, size_t n, double *tmp,
                                   double *lo, double *hi)
{
    for (size_t b = 0; b < n; b++) {
        tmp[b] = v[b * stride];
        if (isnan(tmp[b])) {
            *lo = *hi = NAN;
            return;
        }
    }
    gsl_sort(tmp, 1, n);
    *lo = gsl_stats_quantile_from_sorted_data(tmp, 1, n, (1.0 - DR_SOBOL_CI_LEVEL) / 2);
    *hi = gsl_stats_quantile_from_sorted_data(tmp, 1, n, (1.0 + DR_SOBOL_CI_LEVEL) / 2);
}

/* Point estimates always; intervals from n_boot resamples, NaN when
 * n_boot = 0. Also returns -1 for NULL arguments, a design whose point count
 * does not match N (k + 2), n_boot above 2^32 (the resample index is a
 * stream's tick) or failed allocation. */
int dr_sobol_indices(const dr_design *d, const double *y, size_t n_boot, uint64_t seed,
                     uint32_t stream, double *s1, double *s1_lo, double *s1_hi,
                     double *st, double *st_lo, double *st_hi)
{
    if (!d || d->kind != DR_DESIGN_SOBOL || !y || !s1 || !s1_lo || !s1_hi || !st ||
        !st_lo || !st_hi)
        return -1;
    size_t k = d->n_params, big_n = d->base_n;
    if (k == 0 || big_n == 0 || d->n_points != big_n * (k + 2)) return -1;
    if (n_boot > (size_t)UINT32_MAX + 1u) return -1;

    dr_sobol_estimate(y, big_n, k, NULL, s1, st);
    if (n_boot == 0) {
        for (size_t i = 0; i < k; i++) s1_lo[i] = s1_hi[i] = st_lo[i] = st_hi[i] = NAN;
        return 0;
    }

    /* Resampled indices, [n_boot][k] each, then reduced per parameter. */
    if (n_boot > SIZE_MAX / sizeof(double) / k) return -1;
    double *b1 = malloc(n_boot * k * sizeof *b1);
    double *bt = malloc(n_boot * k * sizeof *bt);
    double *tmp = malloc(n_boot * sizeof *tmp);
    size_t *rows = malloc(big_n * sizeof *rows);
    gsl_rng *r = gsl_rng_alloc(dr_rng_philox4x32);
    int status = (b1 && bt && tmp && rows && r) ? 0 : -1;
    for (size_t b = 0; b < n_boot && status == 0; b++) {
        dr_rng_stream(r, seed, 0, DR_RNG_BOOTSTRAP, stream, (uint32_t)b);
        for (size_t j = 0; j < big_n; j++)
            rows[j] = (size_t)gsl_rng_uniform_int(r, (unsigned long)big_n);
        dr_sobol_estimate(y, big_n, k, rows, b1 + b * k, bt + b * k);
    }
    if (status == 0) {
        for (size_t i = 0; i < k; i++) {
            dr_percentile_interval(b1 + i, k, n_boot, tmp, &s1_lo[i], &s1_hi[i]);
            dr_percentile_interval(bt + i, k, n_boot, tmp, &st_lo[i], &st_hi[i]);
        }
    }
    free(b1);
    free(bt);
    free(tmp);
    free(rows);
    gsl_rng_free(r);
    return status;
}

/*
 * Elementary effects are read off the design matrix itself, so they need no
 * knowledge of how the trajectories were drawn: within each trajectory of
 * k+1 consecutive rows, consecutive points must differ in at most one
 * parameter j, and the effect is
 *   EE_j = (y[m] - y[m-1]) / ((x[m][j] - x[m-1][j]) / (hi_j - lo_j)),
 * the change of the indicator per unit of the parameter's normalised range
 * (so a linear y = c x_j gives EE_j = c (hi_j - lo_j)). A step of zero (a
 * parameter with lo = hi, or an integer one whose rounded values coincide)
 * gives no effect. mu*_j is the mean of |EE_j| (Campolongo et al. 2007) and
 * sigma_j the standard deviation of EE_j with the 1/(n-1) normalisation
 * (Morris 1991); with no effect mu* and sigma are NaN, with one effect sigma
 * is 0. Returns -1 for NULL arguments, a point count other than r (k + 1), a
 * pair of consecutive points differing in several parameters, or failed
 * allocation.
 */
int dr_morris_effects(const dr_design *d, const double *y, double *mu_star, double *sigma)
{
    if (!d || d->kind != DR_DESIGN_MORRIS || !y || !mu_star || !sigma || !d->x ||
        !d->params)
        return -1;
    size_t k = d->n_params, r_traj = d->base_n;
    if (k == 0 || r_traj == 0 || d->n_points != r_traj * (k + 1)) return -1;

    /* Welford's running mean and sum of squared deviations of the signed
     * effects, and the running mean of their absolute values. */
    size_t *count = calloc(k, sizeof *count);
    double *mean = calloc(k, sizeof *mean);
    double *m2 = calloc(k, sizeof *m2);
    double *mabs = calloc(k, sizeof *mabs);
    int status = (count && mean && m2 && mabs) ? 0 : -1;
    for (size_t t = 0; t < r_traj && status == 0; t++) {
        for (size_t m = 1; m <= k && status == 0; m++) {
            size_t row = t * (k + 1) + m;
            const double *prev = d->x + (row - 1) * k, *cur = d->x + row * k;
            size_t moved = k;
            for (size_t j = 0; j < k; j++) {
                if (cur[j] == prev[j]) continue;
                if (moved != k) {
                    status = -1;
                    break;
                }
                moved = j;
            }
            if (status || moved == k) continue;
            double range = d->params[moved].hi - d->params[moved].lo;
            double ee = (y[row] - y[row - 1]) / ((cur[moved] - prev[moved]) / range);
            size_t c = ++count[moved];
            double delta = ee - mean[moved];
            mean[moved] += delta / (double)c;
            m2[moved] += delta * (ee - mean[moved]);
            mabs[moved] += (fabs(ee) - mabs[moved]) / (double)c;
        }
    }
    if (status == 0) {
        for (size_t j = 0; j < k; j++) {
            if (count[j] == 0) {
                mu_star[j] = sigma[j] = NAN;
                continue;
            }
            mu_star[j] = mabs[j];
            sigma[j] = count[j] > 1 ? sqrt(m2[j] / (double)(count[j] - 1)) : 0.0;
        }
    }
    free(count);
    free(mean);
    free(m2);
    free(mabs);
    return status;
}
