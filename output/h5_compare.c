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

#include <errno.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "h5_util.h"
#include "summary.h"
#include "version.h"

/* Target uncompressed bytes of one chunk. */
#define DR_CMP_CHUNK_BYTES ((size_t)128 * 1024)
#define DR_CMP_DEFLATE 4
#define DR_CMP_MAX_RANK 3

enum cmp_dim { DIM_STRATEGY = 0, DIM_REPLICATION, DIM_INDICATOR, DIM_TIME, DIM_COUNT };

typedef struct cmp_writer {
    hid_t file;
    hid_t scale[DIM_COUNT];
    const char *path; /* the file being written, for messages */
    FILE *err;
    int failed;
} cmp_writer;

/* ---- helpers ------------------------------------------------------------- */

static void iso_now(char buf[21])
{
    time_t t = time(NULL);
    const struct tm *tm = gmtime(&t);
    if (!tm || strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", tm) == 0)
        strcpy(buf, "1970-01-01T00:00:00Z");
}

static herr_t first_error(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0)
        snprintf(data, 256, "%s: %s", e->func_name ? e->func_name : "?",
                 e->desc ? e->desc : "unknown error");
    return 0;
}

/* One line on err: what failed, and HDF5's innermost reason. Returns -1. */
static int cmp_fail(cmp_writer *w, const char *fmt, ...)
{
    char what[512], detail[256] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (H5Eget_num(H5E_DEFAULT) > 0)
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first_error, detail);
    H5Eclear2(H5E_DEFAULT);
    if (w->err && !w->failed) {
        if (detail[0])
            fprintf(w->err, "durand: %s: %s (HDF5 %s)\n", w->path, what, detail);
        else
            fprintf(w->err, "durand: %s: %s\n", w->path, what);
    }
    w->failed = 1;
    return -1;
}

static int attr_numeric(hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                        const void *value)
{
    int rc = -1;
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a = -1;
    if (s >= 0) a = H5Acreate2(loc, name, file_type, s, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) rc = H5Awrite(a, mem_type, value) < 0 ? -1 : 0;
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    return rc;
}

static int attr_i64(hid_t loc, const char *name, int64_t v)
{
    return attr_numeric(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &v);
}

static int attr_u64(hid_t loc, const char *name, uint64_t v)
{
    return attr_numeric(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
}

static int attr_i32(hid_t loc, const char *name, int32_t v)
{
    return attr_numeric(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &v);
}

static int attr_f64(hid_t loc, const char *name, double v)
{
    return attr_numeric(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
}

/* A variable to create: its type (0 = variable-length string), shape
 * (dimensions by enum cmp_dim, sizes) and CF attributes. */
typedef struct cmp_var {
    const char *name;
    hid_t file_type; /* H5T_IEEE_F64LE, H5T_STD_I32LE; 0 = string */
    int rank;
    int dims[DR_CMP_MAX_RANK];
    hsize_t size[DR_CMP_MAX_RANK];
    int chunked; /* shuffle + deflate */
    const char *units;
    const char *long_name;
} cmp_var;

/* Chunk: whole inner axes, about DR_CMP_CHUNK_BYTES along the first. */
static void chunk_shape(const cmp_var *v, size_t elem, hsize_t chunk[DR_CMP_MAX_RANK])
{
    size_t inner = elem;
    for (int i = 1; i < v->rank; i++) {
        chunk[i] = v->size[i];
        inner *= v->size[i] ? (size_t)v->size[i] : 1;
    }
    size_t rows = DR_CMP_CHUNK_BYTES / inner;
    if (rows < 1) rows = 1;
    chunk[0] = v->size[0] < rows ? v->size[0] : rows;
}

/* Create a variable at the root (attributes, fill, scales attached). */
static hid_t create_var(cmp_writer *w, const cmp_var *v)
{
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t space = -1, type = -1, d = -1;
    int ok = dcpl >= 0;
    const int is_float = v->file_type == H5T_IEEE_F64LE;
    int has_zero = 0;
    for (int i = 0; i < v->rank; i++) has_zero |= v->size[i] == 0;
    if (ok)
        ok = H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED |
                                                  H5P_CRT_ORDER_INDEXED) >= 0 &&
             H5Pset_obj_track_times(dcpl, 0) >= 0;
    if (ok && v->chunked && !has_zero) {
        hsize_t chunk[DR_CMP_MAX_RANK];
        chunk_shape(v, is_float ? 8 : 4, chunk);
        ok = H5Pset_chunk(dcpl, v->rank, chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 &&
             H5Pset_deflate(dcpl, DR_CMP_DEFLATE) >= 0;
    }
    if (ok && is_float) {
        double fill = NAN;
        ok = H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill) >= 0;
    }
    if (ok) {
        space = H5Screate_simple(v->rank, v->size, NULL);
        type = v->file_type ? H5Tcopy(v->file_type) : dr_h5_vlen_string_type();
        ok = space >= 0 && type >= 0;
    }
    if (ok)
        ok = (d = H5Dcreate2(w->file, v->name, type, space, H5P_DEFAULT, dcpl,
                             H5P_DEFAULT)) >= 0;
    if (ok)
        ok = dr_h5_attr_string(d, "units", v->units) >= 0 &&
             dr_h5_attr_string(d, "long_name", v->long_name) >= 0;
    if (ok && is_float) {
        double fill = NAN;
        ok = attr_f64(d, "_FillValue", fill) >= 0;
    }
    for (int i = 0; ok && i < v->rank; i++) {
        hid_t sc = w->scale[v->dims[i]];
        if (sc >= 0) ok = H5DSattach_scale(d, sc, (unsigned)i) >= 0;
    }
    if (dcpl >= 0) H5Pclose(dcpl);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    if (!ok) {
        if (d >= 0) H5Dclose(d);
        cmp_fail(w, "cannot create variable %s", v->name);
        return -1;
    }
    return d;
}

/* Create and write a whole variable; keep it open in *keep (else close). */
static int write_var(cmp_writer *w, const cmp_var *v, const void *data, hid_t *keep)
{
    hid_t d = create_var(w, v);
    if (d < 0) return -1;
    int rc = 0;
    size_t n = 1;
    for (int i = 0; i < v->rank; i++) n *= (size_t)v->size[i];
    if (data && n > 0) {
        hid_t t = v->file_type == H5T_IEEE_F64LE  ? H5Tcopy(H5T_NATIVE_DOUBLE)
                  : v->file_type == H5T_STD_I32LE ? H5Tcopy(H5T_NATIVE_INT32)
                                                  : dr_h5_vlen_string_type();
        if (t < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) rc = -1;
        if (t >= 0) H5Tclose(t);
    }
    if (rc == 0 && keep) {
        *keep = d;
        return 0;
    }
    if (H5Dclose(d) < 0) rc = -1;
    if (rc < 0) return cmp_fail(w, "cannot write variable %s", v->name);
    return 0;
}

static int write_coordinate(cmp_writer *w, int dim, const cmp_var *v, const void *data)
{
    hid_t d = -1;
    if (write_var(w, v, data, &d) < 0) return -1;
    w->scale[dim] = d;
    if (H5DSset_scale(d, v->name) < 0)
        return cmp_fail(w, "cannot make %s a dimension scale", v->name);
    return 0;
}

/* A variable with one extra string attribute (comment); text may be NULL. */
static int write_var_comment(cmp_writer *w, const cmp_var *v, const void *data,
                             const char *comment)
{
    hid_t d = -1;
    if (write_var(w, v, data, &d) < 0) return -1;
    int ok = !comment || dr_h5_attr_string(d, "comment", comment) >= 0;
    if (H5Dclose(d) < 0) ok = 0;
    return ok ? 0 : cmp_fail(w, "cannot write attributes of %s", v->name);
}

static hid_t file_props(void)
{
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    hid_t p = H5Pcreate(H5P_FILE_CREATE);
    if (p < 0) return -1;
    if (H5Pset_link_creation_order(p, order) < 0 ||
        H5Pset_attr_creation_order(p, order) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

/* ---- writing ------------------------------------------------------------- */

static int write_root_attributes(cmp_writer *w, const dr_compare *c,
                                 const dr_strategy_set *set,
                                 const dr_h5_compare_info *info)
{
    const dr_scenario *sc = set->strategies[set->baseline].sc;
    char now[21], history[4096], source[256], hdf5_version[64];
    iso_now(now);
    snprintf(history, sizeof history, "%s %s", now,
             info && info->command_line ? info->command_line : "durand compare");
    snprintf(source, sizeof source, "durand %s (%s)", DR_VERSION, DR_GIT_REVISION);
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(hdf5_version, sizeof hdf5_version, "%u.%u.%u", maj, min, rel);
    size_t runs = c->n_strategies * c->n_replications;
    if (c->independent) runs += (c->n_strategies - 1) * c->n_replications;
    const char *cost =
        c->cost_indicator != DR_COMPARE_NONE ? dr_indicators[c->cost_indicator].name : "";
    hid_t g = w->file;
    int ok =
        dr_h5_attr_string(g, "Conventions", "CF-1.8") >= 0 &&
        dr_h5_attr_string(g, "title", sc->meta.name) >= 0 &&
        dr_h5_attr_string(g, "comment", sc->meta.description) >= 0 &&
        dr_h5_attr_string(g, "source", source) >= 0 &&
        dr_h5_attr_string(g, "history", history) >= 0 &&
        dr_h5_attr_string(g, "durand_file", "compare") >= 0 &&
        dr_h5_attr_string(g, "durand_version", DR_VERSION) >= 0 &&
        dr_h5_attr_string(g, "git_revision", DR_GIT_REVISION) >= 0 &&
        dr_h5_attr_string(g, "compiler", DR_COMPILER) >= 0 &&
        dr_h5_attr_string(g, "gsl_version", GSL_VERSION) >= 0 &&
        dr_h5_attr_string(g, "hdf5_version", hdf5_version) >= 0 &&
        dr_h5_attr_string(g, "libconfig_version", dr_scenario_libconfig_version()) >= 0 &&
        attr_u64(g, "seed", (uint64_t)sc->meta.seed) >= 0 &&
        attr_i64(g, "replications", (int64_t)c->n_replications) >= 0 &&
        attr_i64(g, "strategies", (int64_t)c->n_strategies) >= 0 &&
        dr_h5_attr_string(g, "baseline", set->strategies[set->baseline].name) >= 0 &&
        attr_i32(g, "baseline_index", (int32_t)set->baseline) >= 0 &&
        attr_f64(g, "confidence_level", DR_COMPARE_LEVEL) >= 0 &&
        attr_f64(g, "t_quantile", c->t_quantile) >= 0 &&
        attr_i32(g, "independent_check", c->independent) >= 0 &&
        dr_h5_attr_string(g, "cost_indicator", cost) >= 0 &&
        attr_f64(g, "cost_unit", DR_COMPARE_COST_UNIT) >= 0 &&
        attr_f64(g, "tension_threshold", c->summary.tension_threshold) >= 0 &&
        attr_i64(g, "runs", (int64_t)runs) >= 0 &&
        attr_i32(g, "omp_threads", info ? info->omp_threads : 1) >= 0 &&
        dr_h5_attr_string(g, "start_date", sc->meta.start_date) >= 0 &&
        attr_i64(g, "days", c->days) >= 0 &&
        dr_h5_attr_string(g, "scenario_path", sc->path) >= 0 &&
        dr_h5_attr_string(g, "scenario_text", sc->text) >= 0 &&
        dr_h5_attr_string(g, "overrides", info ? info->overrides : "") >= 0 &&
        dr_h5_attr_string(g, "strategies_path", set->path) >= 0 &&
        dr_h5_attr_string(g, "strategies_text", set->text) >= 0 &&
        dr_h5_attr_string(g, "wall_time_start",
                          info && info->wall_time_start ? info->wall_time_start : now) >=
            0 &&
        dr_h5_attr_string(g, "wall_time_end", now) >= 0;
    return ok ? 0 : cmp_fail(w, "cannot write the root attributes");
}

/* The coordinates and the string tables along them. */
static int write_axes(cmp_writer *w, const dr_compare *c, const dr_strategy_set *set,
                      const char **strs, int32_t *i32)
{
    const size_t S = c->n_strategies, R = c->n_replications, I = c->n_indicators;
    const size_t D = (size_t)c->days;
    const dr_scenario *sc = set->strategies[set->baseline].sc;

    for (size_t s = 0; s < S; s++) strs[s] = set->strategies[s].name;
    cmp_var v_st = {"strategy", 0, 1,   {DIM_STRATEGY},
                    {S},        0, "1", "strategy (name in the strategies file)"};
    if (write_coordinate(w, DIM_STRATEGY, &v_st, strs) < 0) return -1;
    for (size_t i = 0; i < R; i++) i32[i] = (int32_t)i;
    cmp_var v_rep = {"replication",
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
    cmp_var v_ind = {"indicator", 0, 1,   {DIM_INDICATOR},
                     {I},         0, "1", "run summary indicator (MODEL.md section 5)"};
    if (write_coordinate(w, DIM_INDICATOR, &v_ind, strs) < 0) return -1;
    char day_units[64];
    snprintf(day_units, sizeof day_units, "days since %s", sc->meta.start_date);
    for (size_t t = 0; t < D; t++) i32[t] = (int32_t)t;
    cmp_var v_time = {"time",    H5T_STD_I32LE,  1, {DIM_TIME}, {D}, 0,
                      day_units, "simulated day"};
    if (write_coordinate(w, DIM_TIME, &v_time, i32) < 0) return -1;
    if (dr_h5_attr_string(w->scale[DIM_TIME], "calendar", "proleptic_gregorian") < 0 ||
        dr_h5_attr_string(w->scale[DIM_TIME], "standard_name", "time") < 0 ||
        dr_h5_attr_string(w->scale[DIM_TIME], "axis", "T") < 0)
        return cmp_fail(w, "cannot write attributes of time");

    for (size_t s = 0; s < S; s++) strs[s] = set->strategies[s].description;
    cmp_var v_sd = {"strategy_description",
                    0,
                    1,
                    {DIM_STRATEGY},
                    {S},
                    0,
                    "1",
                    "description of the strategy (strategies file)"};
    if (write_var(w, &v_sd, strs, NULL) < 0) return -1;
    for (size_t s = 0; s < S; s++) i32[s] = (int32_t)set->strategies[s].line;
    cmp_var v_sl = {"strategy_line",
                    H5T_STD_I32LE,
                    1,
                    {DIM_STRATEGY},
                    {S},
                    0,
                    "1",
                    "line of the strategy in the strategies file"};
    if (write_var(w, &v_sl, i32, NULL) < 0) return -1;
    for (size_t i = 0; i < I; i++) strs[i] = dr_indicators[i].units;
    cmp_var v_iu = {"indicator_units",
                    0,
                    1,
                    {DIM_INDICATOR},
                    {I},
                    0,
                    "1",
                    "UDUNITS units of the indicator"};
    if (write_var(w, &v_iu, strs, NULL) < 0) return -1;
    for (size_t i = 0; i < I; i++) strs[i] = dr_indicators[i].long_name;
    cmp_var v_il = {"indicator_long_name",        0, 1, {DIM_INDICATOR}, {I}, 0, "1",
                    "what the indicator measures"};
    return write_var(w, &v_il, strs, NULL);
}

static const char *const per_indicator = "units differ by indicator: see indicator_units";

/* Per-run indicators and the effects table. */
static int write_effects(cmp_writer *w, const dr_compare *c)
{
    const size_t S = c->n_strategies, R = c->n_replications, I = c->n_indicators;
    cmp_var v_runs = {"indicators",
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
        cmp_var v = v_runs;
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
        cmp_var v = {
            tab[k].name, H5T_IEEE_F64LE,  2, {DIM_STRATEGY, DIM_INDICATOR}, {S, I}, 0,
            "1",         tab[k].long_name};
        if (write_var_comment(w, &v, tab[k].data, per_indicator) < 0) return -1;
    }
    if (c->independent) {
        cmp_var v = {"effect_halfwidth_independent_measured",
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
    cmp_var v_n = {"effect_n",
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
static int write_costs(cmp_writer *w, const dr_compare *c)
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
        cmp_var v = {tab[k].name,  H5T_IEEE_F64LE,  1, {DIM_STRATEGY}, {S}, 0,
                     tab[k].units, tab[k].long_name};
        if (write_var(w, &v, tab[k].data, NULL) < 0) return -1;
    }
    cmp_var v_rank = {"rank",
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
static int write_series(cmp_writer *w, const dr_compare *c)
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
            cmp_var v = {name, H5T_IEEE_F64LE, 2,        {DIM_STRATEGY, DIM_TIME}, {S, D},
                         1,    ser->units,     long_name};
            if (write_var(w, &v, data + k * S * D, NULL) < 0) return -1;
        }
    }
    return 0;
}

static int write_contents(cmp_writer *w, const dr_compare *c, const dr_strategy_set *set)
{
    size_t big = c->n_strategies;
    if (c->n_replications > big) big = c->n_replications;
    if (c->n_indicators > big) big = c->n_indicators;
    if ((size_t)c->days > big) big = (size_t)c->days;
    const char **strs = malloc(big * sizeof *strs);
    int32_t *i32 = malloc(big * sizeof *i32);
    int rc = -1;
    if (!strs || !i32)
        cmp_fail(w, "out of memory");
    else if (write_axes(w, c, set, strs, i32) == 0 && write_effects(w, c) == 0 &&
             write_costs(w, c) == 0 && write_series(w, c) == 0)
        rc = 0;
    free(strs);
    free(i32);
    return rc;
}

int dr_h5_compare_write(const char *path, const dr_compare *c, const dr_strategy_set *set,
                        const dr_h5_compare_info *info, FILE *err)
{
    size_t n = strlen(path);
    char *part = malloc(n + sizeof ".part");
    if (!part) {
        if (err) fprintf(err, "durand: %s: out of memory\n", path);
        return -1;
    }
    memcpy(part, path, n);
    memcpy(part + n, ".part", sizeof ".part");
    cmp_writer w = {.file = -1, .path = part, .err = err};
    for (int i = 0; i < DIM_COUNT; i++) w.scale[i] = -1;

    H5E_auto2_t saved_func;
    void *saved_data;
    H5Eget_auto2(H5E_DEFAULT, &saved_func, &saved_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    int rc = -1;
    hid_t fcpl = file_props();
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fcpl < 0 || fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        cmp_fail(&w, "cannot set up file properties");
    } else if ((w.file = H5Fcreate(part, H5F_ACC_TRUNC, fcpl, fapl)) < 0) {
        cmp_fail(&w, "cannot create file");
    } else if (write_root_attributes(&w, c, set, info) == 0 &&
               write_contents(&w, c, set) == 0) {
        rc = 0;
    }
    for (int i = 0; i < DIM_COUNT; i++)
        if (w.scale[i] >= 0) H5Dclose(w.scale[i]);
    if (w.file >= 0 && H5Fclose(w.file) < 0 && rc == 0)
        rc = cmp_fail(&w, "cannot close the file");
    if (fcpl >= 0) H5Pclose(fcpl);
    if (fapl >= 0) H5Pclose(fapl);
    if (rc == 0 && rename(part, path) != 0) {
        int e = errno;
        rc = cmp_fail(&w, "cannot rename to %s: %s", path, strerror(e));
    }
    if (rc != 0) remove(part);
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, saved_func, saved_data);
    free(part);
    return rc;
}
