/*
 * compare.c — strategy comparison with common random numbers (compare.h).
 *
 * The runs go through dr_sweep_run: design point p is x = {strategy,
 * replication offset}, points 0..S-1 the strategies at offset 0 and, with
 * the independent check, points S.. the non-baseline strategies at offset
 * R. The runner stores results by run number (point * R + replication),
 * never by thread, so the copy into the comparison's arrays is the same
 * for any thread count; the analysis then reads them in a fixed order.
 */
#include "compare.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "world.h"

const double dr_compare_quantiles[DR_COMPARE_N_QUANTILES] = {0.05, 0.5, 0.95};
const char *const dr_compare_quantile_names[DR_COMPARE_N_QUANTILES] = {"q05", "q50",
                                                                       "q95"};

size_t dr_compare_indicator(const char *name)
{
    for (size_t i = 0; i < dr_n_indicators; i++)
        if (!strcmp(dr_indicators[i].name, name)) return i;
    return DR_COMPARE_NONE;
}

/* ---- create / destroy ------------------------------------------------------ */

static double *nan_array(size_t n)
{
    double *a = malloc((n ? n : 1) * sizeof *a);
    if (a)
        for (size_t i = 0; i < n; i++) a[i] = NAN;
    return a;
}

dr_compare *dr_compare_create(size_t n_strategies, size_t baseline,
                              uint32_t n_replications, int64_t days, int independent,
                              const dr_summary_options *summary)
{
    assert(n_strategies >= 1 && baseline < n_strategies && n_replications >= 1);
    assert(days >= 0);
    dr_compare *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->n_strategies = n_strategies;
    c->n_replications = n_replications;
    c->n_indicators = dr_n_indicators;
    c->n_series = dr_n_summary_series;
    c->days = days;
    c->baseline = baseline;
    c->independent = independent != 0;
    if (summary)
        c->summary = *summary;
    else
        dr_summary_options_default(&c->summary);
    c->cost_indicator = dr_compare_indicator(DR_COMPARE_COST_INDICATOR);
    c->deaths_indicator = dr_compare_indicator(DR_COMPARE_DEATHS_INDICATOR);
    c->t_quantile = NAN;

    const size_t S = n_strategies, R = n_replications, I = c->n_indicators;
    const size_t K = c->n_series, D = (size_t)days;
    int ok =
        (c->indicators = nan_array(S * R * I)) && (c->series = nan_array(S * R * D * K));
    if (ok && independent) ok = (c->indep = nan_array(S * R * I)) != NULL;
    double **si[] = {
        &c->mean,      &c->sd,        &c->effect,        &c->effect_lo,
        &c->effect_hi, &c->halfwidth, &c->halfwidth_ind, &c->halfwidth_ind_measured};
    for (size_t k = 0; ok && k < sizeof si / sizeof si[0]; k++)
        ok = (*si[k] = nan_array(S * I)) != NULL;
    double **ss[] = {&c->cost,       &c->cost_increment, &c->averted,
                     &c->averted_lo, &c->averted_hi,     &c->averted_per_cost};
    for (size_t k = 0; ok && k < sizeof ss / sizeof ss[0]; k++)
        ok = (*ss[k] = nan_array(S)) != NULL;
    if (ok) ok = (c->series_mean = nan_array(K * S * D)) != NULL;
    for (size_t q = 0; ok && q < DR_COMPARE_N_QUANTILES; q++)
        ok = (c->series_q[q] = nan_array(K * S * D)) != NULL;
    if (ok) ok = (c->n_pairs = calloc(S * I + 1, sizeof *c->n_pairs)) != NULL;
    if (ok) ok = (c->rank = calloc(S, sizeof *c->rank)) != NULL;
    if (!ok) {
        dr_compare_destroy(c);
        return NULL;
    }
    return c;
}

void dr_compare_destroy(dr_compare *c)
{
    if (!c) return;
    free(c->indicators);
    free(c->series);
    free(c->indep);
    free(c->n_pairs);
    free(c->mean);
    free(c->sd);
    free(c->effect);
    free(c->effect_lo);
    free(c->effect_hi);
    free(c->halfwidth);
    free(c->halfwidth_ind);
    free(c->halfwidth_ind_measured);
    free(c->cost);
    free(c->cost_increment);
    free(c->averted);
    free(c->averted_lo);
    free(c->averted_hi);
    free(c->averted_per_cost);
    free(c->rank);
    free(c->series_mean);
    for (size_t q = 0; q < DR_COMPARE_N_QUANTILES; q++) free(c->series_q[q]);
    free(c);
}

/* ---- checks ---------------------------------------------------------------- */

int dr_compare_check(const dr_strategy_set *set, FILE *err)
{
    assert(set && set->n >= 1 && set->baseline < set->n);
    const dr_strategy *b = &set->strategies[set->baseline];
    int rc = 0;
    for (size_t s = 0; s < set->n; s++) {
        const dr_strategy *st = &set->strategies[s];
        const dr_meta *m = &st->sc->meta, *bm = &b->sc->meta;
        const char *what = NULL;
        char have[64] = "", want[64] = "";
        if (m->seed != bm->seed) {
            what = "scenario.seed";
            snprintf(have, sizeof have, "%lld", (long long)m->seed);
            snprintf(want, sizeof want, "%lld", (long long)bm->seed);
        } else if (m->days != bm->days) {
            what = "scenario.days";
            snprintf(have, sizeof have, "%lld", (long long)m->days);
            snprintf(want, sizeof want, "%lld", (long long)bm->days);
        } else if (strcmp(m->start_date, bm->start_date) != 0) {
            what = "scenario.start_date";
            snprintf(have, sizeof have, "\"%s\"", m->start_date);
            snprintf(want, sizeof want, "\"%s\"", bm->start_date);
        }
        if (!what) continue;
        if (err)
            fprintf(err,
                    "%s:%d: strategy %s: %s = %s: expected the baseline's (%s) value "
                    "%s (strategies are compared over the same days with the same "
                    "random numbers; use -s or --seed to change it for all)\n",
                    set->path, st->line, st->name, what, have, b->name, want);
        rc = DR_EXIT_INPUT;
    }
    return rc;
}

/* ---- the runs -------------------------------------------------------------- */

/* The model the runner evaluates: read-only, shared by all threads. */
typedef struct compare_model {
    const dr_strategy_set *set; /* borrowed */
    uint64_t seed;              /* the baseline's seed, for every strategy */
    int64_t days;               /* rows of the series */
    dr_summary_options summary;
} compare_model;

/* One run: strategy x[0], replication rep + x[1]. */
static int compare_eval_series(void *ctx, const double *x, uint32_t rep, double *ind,
                               double *series)
{
    const compare_model *m = ctx;
    const size_t s = (size_t)x[0];
    const uint32_t r = rep + (uint32_t)x[1];
    assert(s < m->set->n);
    for (size_t i = 0; i < dr_n_indicators; i++) ind[i] = NAN;
    if (series)
        for (size_t i = 0; i < (size_t)m->days * dr_n_summary_series; i++)
            series[i] = NAN;
    dr_world *w = dr_world_create(m->set->strategies[s].sc, m->seed, r);
    if (!w) return -1;
    dr_summary sum;
    dr_summary_init(&sum, &m->summary, NULL, series, series ? m->days : 0);
    dr_world_set_observer(w, &sum.obs);
    int rc = dr_world_run(w, NULL, NULL) == 0 ? dr_summary_values(&sum, ind) : -1;
    dr_world_destroy(w);
    return rc;
}

static int compare_eval(void *ctx, const double *x, uint32_t rep, double *ind)
{
    return compare_eval_series(ctx, x, rep, ind, NULL);
}

int dr_compare_run(dr_compare *c, const dr_strategy_set *set, const dr_compare_plan *p)
{
    assert(c && set && p && set->n == c->n_strategies && set->baseline == c->baseline);
    const size_t S = c->n_strategies, R = c->n_replications, I = c->n_indicators;
    const size_t width = (size_t)c->days * c->n_series;
    const size_t n_points = S + (c->independent ? S - 1 : 0);
    assert((c->independent ? 2 * R : R) - 1 <= DR_RNG_REPLICATION_MAX);
    double *x = malloc(2 * n_points * sizeof *x);
    dr_sweep_results *res = dr_sweep_results_create(n_points * R, I, width);
    if (!x || !res) {
        free(x);
        dr_sweep_results_destroy(res);
        return DR_SWEEP_ENOMEM;
    }
    size_t pt = 0;
    for (size_t s = 0; s < S; s++, pt++) {
        x[2 * pt] = (double)s;
        x[2 * pt + 1] = 0.0;
    }
    for (size_t s = 0; c->independent && s < S; s++) {
        if (s == c->baseline) continue;
        x[2 * pt] = (double)s;
        x[2 * pt + 1] = (double)R;
        pt++;
    }
    assert(pt == n_points);

    compare_model m = {.set = set,
                       .seed = (uint64_t)set->strategies[set->baseline].sc->meta.seed,
                       .days = c->days,
                       .summary = c->summary};
    /* The identity only guards a journal, which a comparison does not keep;
     * it is still a faithful hash of what fixes the results. */
    uint64_t h = dr_sweep_hash_str(DR_SWEEP_HASH_INIT, "durand compare 1");
    h = dr_sweep_hash_str(h, set->text);
    h = dr_sweep_hash_str(h, set->strategies[set->baseline].sc->text);
    h = dr_sweep_hash(h, &m.seed, sizeof m.seed);
    h = dr_sweep_hash(h, x, 2 * n_points * sizeof *x);
    dr_sweep_model model = {.ctx = &m,
                            .n_indicators = I,
                            .eval = compare_eval,
                            .series_width = width,
                            .eval_series = compare_eval_series};
    dr_sweep_plan plan = {.n_points = n_points,
                          .n_params = 2,
                          .x = x,
                          .n_replications = (uint32_t)R,
                          .shard = 0,
                          .n_shards = 1,
                          .series = 1,
                          .threads = p->threads,
                          .identity = h,
                          .journal = NULL,
                          .mpi = p->mpi.size > 0 ? p->mpi : (dr_sweep_mpi){0, 0, 1},
                          .progress = p->progress,
                          .progress_arg = p->progress_arg,
                          .err = p->err};
    int rc = dr_sweep_run(&plan, &model, res);
    if (rc == DR_SWEEP_OK) {
        /* Runs 0..S*R-1 are [strategy][replication] already. */
        memcpy(c->indicators, res->indicators, S * R * I * sizeof *c->indicators);
        memcpy(c->series, res->series, S * R * width * sizeof *c->series);
        c->n_failed = res->n_failed;
        for (size_t k = S; k < n_points; k++) {
            size_t s = (size_t)x[2 * k];
            memcpy(c->indep + s * R * I, res->indicators + k * R * I,
                   R * I * sizeof *c->indep);
        }
    }
    free(x);
    dr_sweep_results_destroy(res);
    return rc;
}

/* ---- the analysis ---------------------------------------------------------- */

/* Mean and sample variance of a[0..n-1] (two passes, in order). */
static void mean_var(const double *a, size_t n, double *mean, double *var)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += a[i];
    *mean = n ? s / (double)n : NAN;
    double q = 0.0;
    for (size_t i = 0; i < n; i++) q += (a[i] - *mean) * (a[i] - *mean);
    *var = n > 1 ? q / (double)(n - 1) : NAN;
}

static double t_quantile(size_t n)
{
    return n > 1 ? gsl_cdf_tdist_Pinv(0.5 + DR_COMPARE_LEVEL / 2.0, (double)(n - 1))
                 : NAN;
}

/* Effects of strategy s on indicator k; buf holds 3R doubles. */
static void analyse_indicator(dr_compare *c, size_t s, size_t k, double *buf)
{
    const size_t R = c->n_replications, I = c->n_indicators, at = s * I + k;
    const double *ys = c->indicators + s * R * I + k;
    const double *yb = c->indicators + c->baseline * R * I + k;
    double *a = buf, *b = buf + R, *d = buf + 2 * R;
    size_t n = 0, m = 0;
    for (size_t i = 0; i < R; i++)
        if (isfinite(ys[i * I])) a[m++] = ys[i * I];
    double var;
    mean_var(a, m, &c->mean[at], &var);
    c->sd[at] = sqrt(var);
    for (size_t i = 0; i < R; i++) {
        if (!isfinite(ys[i * I]) || !isfinite(yb[i * I])) continue;
        a[n] = ys[i * I];
        b[n] = yb[i * I];
        /* Exactly 0 when the strategy's run equals the baseline's. */
        d[n] = ys[i * I] - yb[i * I];
        n++;
    }
    c->n_pairs[at] = (int32_t)n;
    double md, vd, ma, va, mb, vb;
    mean_var(d, n, &md, &vd);
    mean_var(a, n, &ma, &va);
    mean_var(b, n, &mb, &vb);
    const double t = t_quantile(n);
    c->effect[at] = md;
    c->halfwidth[at] = n > 1 ? t * sqrt(vd / (double)n) : NAN;
    c->effect_lo[at] = md - c->halfwidth[at];
    c->effect_hi[at] = md + c->halfwidth[at];
    c->halfwidth_ind[at] = n > 1 ? t * sqrt((va + vb) / (double)n) : NAN;

    c->halfwidth_ind_measured[at] = NAN;
    if (!c->indep || s == c->baseline) return;
    const double *yi = c->indep + s * R * I + k;
    n = 0;
    for (size_t i = 0; i < R; i++)
        if (isfinite(yi[i * I]) && isfinite(yb[i * I])) d[n++] = yi[i * I] - yb[i * I];
    mean_var(d, n, &md, &vd);
    c->halfwidth_ind_measured[at] = n > 1 ? t_quantile(n) * sqrt(vd / (double)n) : NAN;
}

/* Strategy order of the ranking: a before b? (Strict weak order.) */
static int ranks_before(const dr_compare *c, size_t a, size_t b)
{
    int pa = c->cost_increment[a] > 0.0, pb = c->cost_increment[b] > 0.0;
    if (pa != pb) return pa;
    double va = pa ? c->averted_per_cost[a] : c->averted[a];
    double vb = pb ? c->averted_per_cost[b] : c->averted[b];
    if (isnan(va) || isnan(vb)) return !isnan(va) && isnan(vb);
    return va > vb;
}

int dr_compare_analyse(dr_compare *c)
{
    assert(c);
    const size_t S = c->n_strategies, R = c->n_replications, I = c->n_indicators;
    const size_t K = c->n_series, D = (size_t)c->days;
    double *buf = malloc(3 * R * sizeof *buf);
    size_t *order = malloc(S * sizeof *order);
    if (!buf || !order) {
        free(buf);
        free(order);
        return -1;
    }
    c->t_quantile = t_quantile(R);
    for (size_t s = 0; s < S; s++)
        for (size_t k = 0; k < I; k++) analyse_indicator(c, s, k, buf);

    /* Cost-effectiveness. */
    const size_t ci = c->cost_indicator, di = c->deaths_indicator;
    for (size_t s = 0; s < S; s++)
        c->cost[s] = ci != DR_COMPARE_NONE ? c->mean[s * I + ci] : 0.0;
    for (size_t s = 0; s < S; s++) {
        c->cost_increment[s] = c->cost[s] - c->cost[c->baseline];
        if (di == DR_COMPARE_NONE) continue;
        c->averted[s] = -c->effect[s * I + di];
        c->averted_lo[s] = -c->effect_hi[s * I + di];
        c->averted_hi[s] = -c->effect_lo[s * I + di];
        c->averted_per_cost[s] =
            c->cost_increment[s] > 0.0
                ? c->averted[s] / (c->cost_increment[s] / DR_COMPARE_COST_UNIT)
                : NAN;
    }
    /* Rank: a stable insertion sort, ties in strategy order. */
    for (size_t s = 0; s < S; s++) {
        size_t j = s;
        while (j > 0 && ranks_before(c, s, order[j - 1])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = s;
    }
    for (size_t r = 0; r < S; r++) c->rank[order[r]] = (int32_t)(r + 1);

    /* Daily series: mean and quantiles over replications of finite values. */
    for (size_t k = 0; k < K; k++)
        for (size_t s = 0; s < S; s++)
            for (size_t t = 0; t < D; t++) {
                size_t n = 0, at = (k * S + s) * D + t;
                for (size_t i = 0; i < R; i++) {
                    double v = c->series[((s * R + i) * D + t) * K + k];
                    if (isfinite(v)) buf[n++] = v;
                }
                if (n == 0) continue;
                double mean, var;
                mean_var(buf, n, &mean, &var);
                c->series_mean[at] = mean;
                gsl_sort(buf, 1, n);
                for (size_t q = 0; q < DR_COMPARE_N_QUANTILES; q++)
                    c->series_q[q][at] = gsl_stats_quantile_from_sorted_data(
                        buf, 1, n, dr_compare_quantiles[q]);
            }
    free(buf);
    free(order);
    return 0;
}
