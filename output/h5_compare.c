/*
 * h5_compare.c — the comparison file (h5_compare.h), netCDF-4/CF like the
 * sweep file of h5_sweep.c: every dimension a coordinate variable made a
 * dimension scale, creation order tracked, units and long_name on every
 * variable, NaN fill values on floats, no object times (identical
 * comparisons give identical datasets). Layout in output/SCHEMA.md,
 * "Comparison files".
 */
#define _POSIX_C_SOURCE 200809L

#include "h5_compare.h"

#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h5_util.h"
#include "summary.h"
#include "version.h"

enum cmp_dim { DIM_STRATEGY = 0, DIM_REPLICATION, DIM_INDICATOR, DIM_TIME, DIM_COUNT };
_Static_assert(DIM_COUNT <= DR_H5_WRITER_DIMS, "a dr_h5_writer holds every dimension");

/* The memory type of a variable's data: the native type of its file type
 * (0: strings). */
static hid_t mem_type(const dr_h5_wvar *v)
{
    return v->file_type == H5T_IEEE_F64LE  ? H5T_NATIVE_DOUBLE
           : v->file_type == H5T_STD_I32LE ? H5T_NATIVE_INT32
                                           : 0;
}

/* Create and write a whole variable at the root; keep it open in *keep
 * (else close). */
static int write_var(dr_h5_writer *w, const dr_h5_wvar *v, const void *data, hid_t *keep)
{
    return dr_h5_writer_write_var(w, w->file, v, mem_type(v), data, keep);
}

static int write_coordinate(dr_h5_writer *w, int dim, const dr_h5_wvar *v,
                            const void *data)
{
    return dr_h5_writer_coordinate(w, dim, v, mem_type(v), data);
}

/* A variable with one extra string attribute (comment); text may be NULL. */
static int write_var_comment(dr_h5_writer *w, const dr_h5_wvar *v, const void *data,
                             const char *comment)
{
    hid_t d = -1;
    if (write_var(w, v, data, &d) < 0) return -1;
    int ok = !comment || dr_h5_attr_string(d, "comment", comment) >= 0;
    if (H5Dclose(d) < 0) ok = 0;
    return ok ? 0 : dr_h5_writer_fail(w, "cannot write attributes of %s", v->name);
}

/* ---- writing ------------------------------------------------------------- */

static int write_root_attributes(dr_h5_writer *w, const dr_compare *c,
                                 const dr_strategy_set *set,
                                 const dr_h5_compare_info *info)
{
    const dr_scenario *sc = set->strategies[set->baseline].sc;
    char now[21];
    dr_h5_iso_now(now);
    size_t runs = c->n_strategies * c->n_replications;
    if (c->independent) runs += (c->n_strategies - 1) * c->n_replications;
    const char *cost =
        c->cost_indicator != DR_COMPARE_NONE ? dr_indicators[c->cost_indicator].name : "";
    hid_t g = w->file;
    int ok = dr_h5_attr_provenance(g, sc->meta.name, sc->meta.description, now,
                                   info && info->command_line ? info->command_line
                                                              : "durand compare",
                                   "compare") >= 0 &&
             dr_h5_attr_u64(g, "seed", (uint64_t)sc->meta.seed) >= 0 &&
             dr_h5_attr_i64(g, "replications", (int64_t)c->n_replications) >= 0 &&
             dr_h5_attr_i64(g, "strategies", (int64_t)c->n_strategies) >= 0 &&
             dr_h5_attr_string(g, "baseline", set->strategies[set->baseline].name) >= 0 &&
             dr_h5_attr_i32(g, "baseline_index", (int32_t)set->baseline) >= 0 &&
             dr_h5_attr_f64(g, "confidence_level", DR_COMPARE_LEVEL) >= 0 &&
             dr_h5_attr_f64(g, "t_quantile", c->t_quantile) >= 0 &&
             dr_h5_attr_i32(g, "independent_check", c->independent) >= 0 &&
             dr_h5_attr_string(g, "cost_indicator", cost) >= 0 &&
             dr_h5_attr_f64(g, "cost_unit", DR_COMPARE_COST_UNIT) >= 0 &&
             dr_h5_attr_f64(g, "tension_threshold", c->summary.tension_threshold) >= 0 &&
             dr_h5_attr_i64(g, "runs", (int64_t)runs) >= 0 &&
             dr_h5_attr_i32(g, "omp_threads", info ? info->omp_threads : 1) >= 0 &&
             dr_h5_attr_string(g, "start_date", sc->meta.start_date) >= 0 &&
             dr_h5_attr_i64(g, "days", c->days) >= 0 &&
             dr_h5_attr_string(g, "scenario_path", sc->path) >= 0 &&
             dr_h5_attr_string(g, "scenario_text", sc->text) >= 0 &&
             dr_h5_attr_string(g, "overrides", info ? info->overrides : "") >= 0 &&
             dr_h5_attr_string(g, "strategies_path", set->path) >= 0 &&
             dr_h5_attr_string(g, "strategies_text", set->text) >= 0 &&
             dr_h5_attr_string(g, "wall_time_start",
                               info && info->wall_time_start ? info->wall_time_start
                                                             : now) >= 0 &&
             dr_h5_attr_string(g, "wall_time_end", now) >= 0;
    return ok ? 0 : dr_h5_writer_fail(w, "cannot write the root attributes");
}

/* The coordinates and the string tables along them. */
static int write_axes(dr_h5_writer *w, const dr_compare *c, const dr_strategy_set *set,
                      const char **strs, int32_t *i32)
{
    const size_t S = c->n_strategies, R = c->n_replications, I = c->n_indicators;
    const size_t D = (size_t)c->days;
    const dr_scenario *sc = set->strategies[set->baseline].sc;

    for (size_t s = 0; s < S; s++) strs[s] = set->strategies[s].name;
    dr_h5_wvar v_st = {"strategy", 0, 1,   {DIM_STRATEGY},
                       {S},        0, "1", "strategy (name in the strategies file)"};
    if (write_coordinate(w, DIM_STRATEGY, &v_st, strs) < 0) return -1;
    for (size_t i = 0; i < R; i++) i32[i] = (int32_t)i;
    dr_h5_wvar v_rep = {"replication",
                        H5T_STD_I32LE,
                        1,
                        {DIM_REPLICATION},
                        {R},
                        0,
                        "1",
                        "replication index (random-number stream shared by all "
                        "strategies)"};
    if (write_coordinate(w, DIM_REPLICATION, &v_rep, i32) < 0) return -1;
    for (size_t i = 0; i < I; i++) strs[i] = dr_indicators[i].name;
    dr_h5_wvar v_ind = {
        "indicator", 0, 1,   {DIM_INDICATOR},
        {I},         0, "1", "run summary indicator (MODEL.md section 5)"};
    if (write_coordinate(w, DIM_INDICATOR, &v_ind, strs) < 0) return -1;
    char day_units[64];
    snprintf(day_units, sizeof day_units, "days since %s", sc->meta.start_date);
    for (size_t t = 0; t < D; t++) i32[t] = (int32_t)t;
    dr_h5_wvar v_time = {"time",    H5T_STD_I32LE,  1, {DIM_TIME}, {D}, 0,
                         day_units, "simulated day"};
    if (write_coordinate(w, DIM_TIME, &v_time, i32) < 0) return -1;
    if (dr_h5_attr_string(w->scale[DIM_TIME], "calendar", "proleptic_gregorian") < 0 ||
        dr_h5_attr_string(w->scale[DIM_TIME], "standard_name", "time") < 0 ||
        dr_h5_attr_string(w->scale[DIM_TIME], "axis", "T") < 0)
        return dr_h5_writer_fail(w, "cannot write attributes of time");

    for (size_t s = 0; s < S; s++) strs[s] = set->strategies[s].description;
    dr_h5_wvar v_sd = {"strategy_description",
                       0,
                       1,
                       {DIM_STRATEGY},
                       {S},
                       0,
                       "1",
                       "description of the strategy (strategies file)"};
    if (write_var(w, &v_sd, strs, NULL) < 0) return -1;
    for (size_t s = 0; s < S; s++) i32[s] = (int32_t)set->strategies[s].line;
    dr_h5_wvar v_sl = {"strategy_line",
                       H5T_STD_I32LE,
                       1,
                       {DIM_STRATEGY},
                       {S},
                       0,
                       "1",
                       "line of the strategy in the strategies file"};
    if (write_var(w, &v_sl, i32, NULL) < 0) return -1;
    for (size_t i = 0; i < I; i++) strs[i] = dr_indicators[i].units;
    dr_h5_wvar v_iu = {"indicator_units",
                       0,
                       1,
                       {DIM_INDICATOR},
                       {I},
                       0,
                       "1",
                       "UDUNITS units of the indicator"};
    if (write_var(w, &v_iu, strs, NULL) < 0) return -1;
    for (size_t i = 0; i < I; i++) strs[i] = dr_indicators[i].long_name;
    dr_h5_wvar v_il = {"indicator_long_name",        0, 1, {DIM_INDICATOR}, {I}, 0, "1",
                       "what the indicator measures"};
    return write_var(w, &v_il, strs, NULL);
}

static const char *const per_indicator = "units differ by indicator: see indicator_units";

/* Per-run indicators and the effects table. */
static int write_effects(dr_h5_writer *w, const dr_compare *c)
{
    const size_t S = c->n_strategies, R = c->n_replications, I = c->n_indicators;
    dr_h5_wvar v_runs = {"indicators",
                         H5T_IEEE_F64LE,
                         3,
                         {DIM_STRATEGY, DIM_REPLICATION, DIM_INDICATOR},
                         {S, R, I},
                         1,
                         "1",
                         "run summary indicators of replication r of each strategy; "
                         "NaN where the run failed"};
    if (write_var_comment(w, &v_runs, c->indicators, per_indicator) < 0) return -1;
    if (c->independent) {
        dr_h5_wvar v = v_runs;
        v.name = "indicators_independent";
        v.long_name = "run summary indicators of replication R + r of each strategy "
                      "(streams the baseline's runs did not use); NaN for the "
                      "baseline";
        if (write_var_comment(w, &v, c->indep, per_indicator) < 0) return -1;
    }
    /* [S][I] tables, all in the indicator's own units. */
    const struct {
        const char *name;
        const double *data;
        const char *long_name;
    } tab[] = {
        {"indicator_mean", c->mean, "mean of the indicator over replications"},
        {"indicator_sd", c->sd, "standard deviation of the indicator over replications"},
        {"effect", c->effect,
         "mean over replications of (strategy - baseline), paired by replication "
         "(common random numbers)"},
        {"effect_lo", c->effect_lo,
         "lower end of the 95% interval of effect (Student t on the paired "
         "differences)"},
        {"effect_hi", c->effect_hi, "upper end of the 95% interval of effect"},
        {"effect_halfwidth", c->halfwidth,
         "half-width of the 95% interval of effect with common random numbers"},
        {"effect_halfwidth_independent", c->halfwidth_ind,
         "estimated half-width of the 95% interval with independent seeds: "
         "t*sqrt((var_strategy + var_baseline)/n)"},
    };
    for (size_t k = 0; k < sizeof tab / sizeof tab[0]; k++) {
        dr_h5_wvar v = {
            tab[k].name, H5T_IEEE_F64LE,  2, {DIM_STRATEGY, DIM_INDICATOR}, {S, I}, 0,
            "1",         tab[k].long_name};
        if (write_var_comment(w, &v, tab[k].data, per_indicator) < 0) return -1;
    }
    if (c->independent) {
        dr_h5_wvar v = {"effect_halfwidth_independent_measured",
                        H5T_IEEE_F64LE,
                        2,
                        {DIM_STRATEGY, DIM_INDICATOR},
                        {S, I},
                        0,
                        "1",
                        "measured half-width of the 95% interval with independent "
                        "seeds: Student t on (indicators_independent - baseline "
                        "indicators); NaN for the baseline"};
        if (write_var_comment(w, &v, c->halfwidth_ind_measured, per_indicator) < 0)
            return -1;
    }
    dr_h5_wvar v_n = {"effect_n",
                      H5T_STD_I32LE,
                      2,
                      {DIM_STRATEGY, DIM_INDICATOR},
                      {S, I},
                      0,
                      "1",
                      "replications in which both the strategy's and the baseline's "
                      "indicator are finite (the pairs behind effect)"};
    return write_var(w, &v_n, c->n_pairs, NULL);
}

/* Cost-effectiveness, per strategy. */
static int write_costs(dr_h5_writer *w, const dr_compare *c)
{
    const size_t S = c->n_strategies;
    const char *cost_units = c->cost_indicator != DR_COMPARE_NONE
                                 ? dr_indicators[c->cost_indicator].units
                                 : "USD";
    char per_units[96], per_long[256];
    snprintf(per_units, sizeof per_units, "(%g %s)-1", DR_COMPARE_COST_UNIT, cost_units);
    snprintf(per_long, sizeof per_long,
             "deaths averted per %g %s of cost above the baseline's; NaN unless that "
             "cost is positive",
             DR_COMPARE_COST_UNIT, cost_units);
    const struct {
        const char *name;
        const double *data;
        const char *units;
        const char *long_name;
    } tab[] = {
        {"cost", c->cost, cost_units,
         "mean cumulative cost of the strategy's interventions over the run (0 when "
         "durand has no cost_total indicator)"},
        {"cost_increment", c->cost_increment, cost_units, "cost - the baseline's cost"},
        {"deaths_averted", c->averted, "1",
         "baseline deaths_total - strategy deaths_total, mean over paired "
         "replications (persons)"},
        {"deaths_averted_lo", c->averted_lo, "1",
         "lower end of the 95% interval of deaths_averted"},
        {"deaths_averted_hi", c->averted_hi, "1",
         "upper end of the 95% interval of deaths_averted"},
        {"deaths_averted_per_cost", c->averted_per_cost, per_units, per_long},
    };
    for (size_t k = 0; k < sizeof tab / sizeof tab[0]; k++) {
        dr_h5_wvar v = {tab[k].name,  H5T_IEEE_F64LE,  1, {DIM_STRATEGY}, {S}, 0,
                        tab[k].units, tab[k].long_name};
        if (write_var(w, &v, tab[k].data, NULL) < 0) return -1;
    }
    dr_h5_wvar v_rank = {"rank",
                         H5T_STD_I32LE,
                         1,
                         {DIM_STRATEGY},
                         {S},
                         0,
                         "1",
                         "1 = best: strategies with cost_increment > 0 by "
                         "deaths_averted_per_cost, then the others by deaths_averted"};
    return write_var(w, &v_rank, c->rank, NULL);
}

/* Mean and quantiles of every daily series, per strategy. */
static int write_series(dr_h5_writer *w, const dr_compare *c)
{
    const size_t S = c->n_strategies, D = (size_t)c->days;
    for (size_t k = 0; k < c->n_series; k++) {
        const dr_summary_series *ser = &dr_summary_series_table[k];
        for (size_t q = 0; q <= DR_COMPARE_N_QUANTILES; q++) {
            char name[128], long_name[512];
            const double *data;
            if (q == 0) {
                snprintf(name, sizeof name, "series_%s_mean", ser->name);
                snprintf(long_name, sizeof long_name, "%s: mean over replications",
                         ser->long_name);
                data = c->series_mean;
            } else {
                snprintf(name, sizeof name, "series_%s_%s", ser->name,
                         dr_compare_quantile_names[q - 1]);
                snprintf(long_name, sizeof long_name,
                         "%s: %g%% quantile over replications", ser->long_name,
                         100.0 * dr_compare_quantiles[q - 1]);
                data = c->series_q[q - 1];
            }
            dr_h5_wvar v = {
                name, H5T_IEEE_F64LE, 2,        {DIM_STRATEGY, DIM_TIME}, {S, D},
                1,    ser->units,     long_name};
            if (write_var(w, &v, data + k * S * D, NULL) < 0) return -1;
        }
    }
    return 0;
}

static int write_contents(dr_h5_writer *w, const dr_compare *c,
                          const dr_strategy_set *set)
{
    size_t big = c->n_strategies;
    if (c->n_replications > big) big = c->n_replications;
    if (c->n_indicators > big) big = c->n_indicators;
    if ((size_t)c->days > big) big = (size_t)c->days;
    const char **strs = malloc(big * sizeof *strs);
    int32_t *i32 = malloc(big * sizeof *i32);
    int rc = -1;
    if (!strs || !i32)
        dr_h5_writer_fail(w, "out of memory");
    else if (write_axes(w, c, set, strs, i32) == 0 && write_effects(w, c) == 0 &&
             write_costs(w, c) == 0 && write_series(w, c) == 0)
        rc = 0;
    free(strs);
    free(i32);
    return rc;
}

/* What dr_h5_writer_write_file hands to write_file. */
typedef struct cmp_file {
    const dr_compare *c;
    const dr_strategy_set *set;
    const dr_h5_compare_info *info;
} cmp_file;

static int write_file(dr_h5_writer *w, const void *arg)
{
    const cmp_file *f = arg;
    if (write_root_attributes(w, f->c, f->set, f->info) != 0) return -1;
    return write_contents(w, f->c, f->set);
}

int dr_h5_compare_write(const char *path, const dr_compare *c, const dr_strategy_set *set,
                        const dr_h5_compare_info *info, FILE *err)
{
    cmp_file f = {.c = c, .set = set, .info = info};
    return dr_h5_writer_write_file(path, err, write_file, &f);
}
