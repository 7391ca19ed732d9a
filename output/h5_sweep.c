/*
 * h5_sweep.c — the sweep file (h5_sweep.h), netCDF-4/CF like the run file
 * of h5_observer.c: every dimension a coordinate variable made a dimension
 * scale, creation order tracked, units and long_name everywhere, NaN fill
 * values on floats, no object times (identical sweeps give identical
 * datasets). Layout in output/SCHEMA.md, "Sweep files".
 */
#define _POSIX_C_SOURCE 200809L

#include "h5_sweep.h"

#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

#include "h5_util.h"
#include "rng.h"
#include "scenario.h"
#include "sweep.h"
#include "version.h"

enum sw_dim {
    DIM_RUN = 0,
    DIM_POINT,
    DIM_REPLICATION,
    DIM_PARAM,
    DIM_INDICATOR,
    DIM_TIME,
    DIM_COUNT
};

_Static_assert(DIM_COUNT <= DR_H5_WRITER_DIMS, "a dr_h5_writer holds every dimension");

/* ---- writing ------------------------------------------------------------- */

static int write_root_attributes(dr_h5_writer *w, const dr_sweep_file *f,
                                 const dr_h5_sweep_info *info)
{
    char now[21], identity[17], shard[32];
    dr_h5_iso_now(now);
    snprintf(identity, sizeof identity, "%016llx", (unsigned long long)f->identity);
    snprintf(shard, sizeof shard, "%u/%u", f->shard, f->n_shards ? f->n_shards : 1);
    size_t done = 0, failed = 0, owned = 0;
    for (size_t r = 0; r < f->n_runs; r++) {
        owned += dr_sweep_shard_owns(r, f->shard, f->n_shards);
        done += f->status[r] == DR_RUN_DONE;
        failed += f->status[r] == DR_RUN_FAILED;
    }
    hid_t g = w->file;
    int ok = dr_h5_attr_provenance(g, f->title, f->comment, now,
                                   info && info->command_line ? info->command_line
                                                              : "durand sweep",
                                   "sweep") >= 0 &&
             dr_h5_attr_u64(g, "seed", f->seed) >= 0 &&
             dr_h5_attr_string(g, "design", f->design) >= 0 &&
             dr_h5_attr_u64(g, "design_base_n", f->design_base_n) >= 0 &&
             dr_h5_attr_i64(g, "replications", (int64_t)f->n_replications) >= 0 &&
             dr_h5_attr_f64(g, "tension_threshold", f->tension_threshold) >= 0 &&
             dr_h5_attr_string(g, "sweep_identity", identity) >= 0 &&
             dr_h5_attr_string(g, "shard", shard) >= 0 &&
             dr_h5_attr_i64(g, "runs_owned", (int64_t)owned) >= 0 &&
             dr_h5_attr_i64(g, "runs_done", (int64_t)done) >= 0 &&
             dr_h5_attr_i64(g, "runs_failed", (int64_t)failed) >= 0 &&
             dr_h5_attr_i32(g, "merged_from", info ? info->merged_from : 0) >= 0 &&
             dr_h5_attr_i32(g, "omp_threads", info ? info->omp_threads : 1) >= 0 &&
             dr_h5_attr_i32(g, "mpi_ranks",
                            info && info->mpi_ranks > 0 ? info->mpi_ranks : 1) >= 0 &&
             dr_h5_attr_string(g, "start_date", f->start_date) >= 0 &&
             dr_h5_attr_i64(g, "days", f->days) >= 0 &&
             dr_h5_attr_string(g, "scenario_path", f->scenario_path) >= 0 &&
             dr_h5_attr_string(g, "scenario_text", f->scenario_text) >= 0 &&
             dr_h5_attr_string(g, "overrides", f->overrides) >= 0 &&
             dr_h5_attr_string(g, "wall_time_start",
                               info && info->wall_time_start ? info->wall_time_start
                                                             : now) >= 0 &&
             dr_h5_attr_string(g, "wall_time_end", now) >= 0;
    return ok ? 0 : dr_h5_writer_fail(w, "cannot write the root attributes");
}

static int write_contents(dr_h5_writer *w, const dr_sweep_file *f)
{
    const size_t nr = f->n_runs, np = f->n_points, nk = f->n_params, ni = f->n_indicators;
    size_t big = nr > np ? nr : np;
    if ((size_t)f->n_replications > big) big = f->n_replications;
    if ((size_t)f->days > big && f->n_series) big = (size_t)f->days;
    int32_t *i32 = malloc((big ? big : 1) * sizeof *i32);
    if (!i32) return dr_h5_writer_fail(w, "out of memory");
    int rc = -1;

    for (size_t i = 0; i < nr; i++) i32[i] = (int32_t)i;
    dr_h5_wvar v_run = {"run",   H5T_STD_I32LE,
                        1,       {DIM_RUN, 0},
                        {nr, 0}, 1,
                        "1",     "run number = point * replications + replication"};
    if (dr_h5_writer_coordinate(w, DIM_RUN, &v_run, H5T_NATIVE_INT32, i32) < 0) goto done;
    for (size_t i = 0; i < np; i++) i32[i] = (int32_t)i;
    dr_h5_wvar v_point = {"point", H5T_STD_I32LE,
                          1,       {DIM_POINT, 0},
                          {np, 0}, 0,
                          "1",     "design point (row of the design matrix)"};
    if (dr_h5_writer_coordinate(w, DIM_POINT, &v_point, H5T_NATIVE_INT32, i32) < 0)
        goto done;
    for (size_t i = 0; i < f->n_replications; i++) i32[i] = (int32_t)i;
    dr_h5_wvar v_rep = {"replication",
                        H5T_STD_I32LE,
                        1,
                        {DIM_REPLICATION, 0},
                        {f->n_replications, 0},
                        0,
                        "1",
                        "replication index (random-number stream of the run)"};
    if (dr_h5_writer_coordinate(w, DIM_REPLICATION, &v_rep, H5T_NATIVE_INT32, i32) < 0)
        goto done;
    dr_h5_wvar v_param = {"param", 0, 1,   {DIM_PARAM, 0},
                          {nk, 0}, 0, "1", "swept parameter: scenario setting path"};
    if (dr_h5_writer_coordinate(w, DIM_PARAM, &v_param, 0, f->param_names) < 0) goto done;
    dr_h5_wvar v_ind = {
        "indicator", 0, 1,   {DIM_INDICATOR, 0},
        {ni, 0},     0, "1", "run summary indicator (MODEL.md section 5)"};
    if (dr_h5_writer_coordinate(w, DIM_INDICATOR, &v_ind, 0, f->indicator_names) < 0)
        goto done;
    char day_units[64];
    snprintf(day_units, sizeof day_units, "days since %s", f->start_date);
    if (f->n_series) {
        for (int64_t t = 0; t < f->days; t++) i32[t] = (int32_t)t;
        dr_h5_wvar v_time = {"time",        H5T_STD_I32LE,         1,
                             {DIM_TIME, 0}, {(hsize_t)f->days, 0}, 0,
                             day_units,     "simulated day"};
        if (dr_h5_writer_coordinate(w, DIM_TIME, &v_time, H5T_NATIVE_INT32, i32) < 0)
            goto done;
        if (dr_h5_attr_string(w->scale[DIM_TIME], "calendar", "proleptic_gregorian") <
                0 ||
            dr_h5_attr_string(w->scale[DIM_TIME], "standard_name", "time") < 0 ||
            dr_h5_attr_string(w->scale[DIM_TIME], "axis", "T") < 0) {
            dr_h5_writer_fail(w, "cannot write attributes of time");
            goto done;
        }
    }

    dr_h5_wvar v_design = {"design",
                           H5T_IEEE_F64LE,
                           2,
                           {DIM_POINT, DIM_PARAM},
                           {np, nk},
                           0,
                           "1",
                           "design matrix: value of each parameter at each point, in "
                           "the parameter's own unit (scenarios/REFERENCE.md)"};
    if (dr_h5_writer_write_var(w, w->file, &v_design, H5T_NATIVE_DOUBLE, f->x, NULL) < 0)
        goto done;
    dr_h5_wvar v_lo = {"param_lo", H5T_IEEE_F64LE,
                       1,          {DIM_PARAM, 0},
                       {nk, 0},    0,
                       "1",        "lower end of the parameter's range"};
    dr_h5_wvar v_hi = {"param_hi", H5T_IEEE_F64LE,
                       1,          {DIM_PARAM, 0},
                       {nk, 0},    0,
                       "1",        "upper end of the parameter's range"};
    dr_h5_wvar v_lv = {"param_levels",
                       H5T_STD_I32LE,
                       1,
                       {DIM_PARAM, 0},
                       {nk, 0},
                       0,
                       "1",
                       "levels per parameter (factorial, morris grid)"};
    dr_h5_wvar v_int = {"param_integer",
                        H5T_STD_I8LE,
                        1,
                        {DIM_PARAM, 0},
                        {nk, 0},
                        0,
                        "1",
                        "1 if the parameter's values are rounded to integers"};
    if (dr_h5_writer_write_var(w, w->file, &v_lo, H5T_NATIVE_DOUBLE, f->param_lo, NULL) <
            0 ||
        dr_h5_writer_write_var(w, w->file, &v_hi, H5T_NATIVE_DOUBLE, f->param_hi, NULL) <
            0 ||
        dr_h5_writer_write_var(w, w->file, &v_lv, H5T_NATIVE_INT32, f->param_levels,
                               NULL) < 0 ||
        dr_h5_writer_write_var(w, w->file, &v_int, H5T_NATIVE_INT8, f->param_integer,
                               NULL) < 0)
        goto done;

    for (size_t i = 0; i < nr; i++) i32[i] = (int32_t)(i / f->n_replications);
    dr_h5_wvar v_rp = {"run_point", H5T_STD_I32LE,
                       1,           {DIM_RUN, 0},
                       {nr, 0},     1,
                       "1",         "index along point of the run's design point"};
    if (dr_h5_writer_write_var(w, w->file, &v_rp, H5T_NATIVE_INT32, i32, NULL) < 0)
        goto done;
    for (size_t i = 0; i < nr; i++) i32[i] = (int32_t)(i % f->n_replications);
    dr_h5_wvar v_rr = {"run_replication",
                       H5T_STD_I32LE,
                       1,
                       {DIM_RUN, 0},
                       {nr, 0},
                       1,
                       "1",
                       "replication index of the run"};
    if (dr_h5_writer_write_var(w, w->file, &v_rr, H5T_NATIVE_INT32, i32, NULL) < 0)
        goto done;

    hid_t d = -1;
    dr_h5_wvar v_st = {"status", H5T_STD_I8LE,       1, {DIM_RUN, 0}, {nr, 0}, 1,
                       "1",      "status of the run"};
    if (dr_h5_writer_write_var(w, w->file, &v_st, H5T_NATIVE_INT8, f->status, &d) < 0)
        goto done;
    int ok = dr_h5_attr_flags(d, dr_run_status_names, DR_RUN_STATUS_COUNT) >= 0;
    H5Dclose(d);
    if (!ok) {
        dr_h5_writer_fail(w, "cannot write attributes of status");
        goto done;
    }

    dr_h5_wvar v_iv = {"indicators",
                       H5T_IEEE_F64LE,
                       2,
                       {DIM_RUN, DIM_INDICATOR},
                       {nr, ni},
                       1,
                       "1",
                       "run summary indicators; NaN where the run is missing or failed"};
    d = -1;
    if (dr_h5_writer_write_var(w, w->file, &v_iv, H5T_NATIVE_DOUBLE, f->indicators, &d) <
        0)
        goto done;
    ok = dr_h5_attr_string(d, "comment",
                           "units differ by indicator: see indicator_units") >= 0;
    H5Dclose(d);
    if (!ok) {
        dr_h5_writer_fail(w, "cannot write attributes of indicators");
        goto done;
    }
    dr_h5_wvar v_iu = {"indicator_units", 0, 1,   {DIM_INDICATOR, 0},
                       {ni, 0},           0, "1", "UDUNITS units of the indicator"};
    dr_h5_wvar v_il = {
        "indicator_long_name",        0, 1, {DIM_INDICATOR, 0}, {ni, 0}, 0, "1",
        "what the indicator measures"};
    if (dr_h5_writer_write_var(w, w->file, &v_iu, 0, f->indicator_units, NULL) < 0 ||
        dr_h5_writer_write_var(w, w->file, &v_il, 0, f->indicator_long_names, NULL) < 0)
        goto done;

    if (f->n_series) {
        size_t days = (size_t)f->days, ns = f->n_series;
        double *col = malloc((days ? days : 1) * sizeof *col);
        if (!col) {
            dr_h5_writer_fail(w, "out of memory");
            goto done;
        }
        for (size_t s = 0; s < ns; s++) {
            char name[128], long_name[512];
            snprintf(name, sizeof name, "series_%s", f->series_names[s]);
            snprintf(long_name, sizeof long_name, "%s (per run and day)",
                     f->series_long_names[s]);
            dr_h5_wvar v = {
                name, H5T_IEEE_F64LE,     2,        {DIM_RUN, DIM_TIME}, {nr, days},
                1,    f->series_units[s], long_name};
            hid_t sd = dr_h5_writer_create_var(w, w->file, &v);
            if (sd < 0) {
                free(col);
                goto done;
            }
            int good = 1;
            hid_t fs = H5Dget_space(sd);
            hsize_t mdim = days;
            hid_t ms = H5Screate_simple(1, &mdim, NULL);
            good = fs >= 0 && ms >= 0;
            for (size_t r = 0; good && r < nr; r++) {
                const double *src = f->series + r * days * ns;
                for (size_t t = 0; t < days; t++) col[t] = src[t * ns + s];
                hsize_t start[2] = {r, 0}, count[2] = {1, days};
                good = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count,
                                           NULL) >= 0 &&
                       H5Dwrite(sd, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, col) >= 0;
            }
            if (ms >= 0) H5Sclose(ms);
            if (fs >= 0) H5Sclose(fs);
            if (H5Dclose(sd) < 0) good = 0;
            if (!good) {
                free(col);
                dr_h5_writer_fail(w, "cannot write variable %s", name);
                goto done;
            }
        }
        free(col);
    }
    rc = 0;
done:
    free(i32);
    return rc;
}

/* What dr_h5_writer_write_file hands to write_file. */
typedef struct sw_file {
    const dr_sweep_file *f;
    const dr_h5_sweep_info *info;
} sw_file;

static int write_file(dr_h5_writer *w, const void *arg)
{
    const sw_file *sf = arg;
    if (write_root_attributes(w, sf->f, sf->info) != 0) return -1;
    return write_contents(w, sf->f);
}

int dr_h5_sweep_write(const char *path, const dr_sweep_file *f,
                      const dr_h5_sweep_info *info, FILE *err)
{
    sw_file sf = {.f = f, .info = info};
    return dr_h5_writer_write_file(path, err, write_file, &sf);
}

/* ---- reading ------------------------------------------------------------- */

typedef struct sw_reader {
    hid_t file;
    const char *path;
    FILE *err;
    dr_sweep_file *f;
    int failed;
} sw_reader;

static int rd_fail(sw_reader *r, const char *fmt, const char *what)
{
    if (r->err && !r->failed) {
        fprintf(r->err, "durand: %s: ", r->path);
        fprintf(r->err, fmt, what);
        fputc('\n', r->err);
    }
    r->failed = 1;
    return -1;
}

/* Track an allocation in the file's owned list. NULL on failure. */
static void *own(sw_reader *r, void *p)
{
    if (!p) return NULL;
    dr_sweep_file *f = r->f;
    void **grown = realloc(f->owned, (f->n_owned + 1) * sizeof *grown);
    if (!grown) {
        free(p);
        return NULL;
    }
    f->owned = grown;
    f->owned[f->n_owned++] = p;
    return p;
}

static void *rd_alloc(sw_reader *r, size_t n)
{
    return own(r, malloc(n ? n : 1));
}

static const char *rd_attr_string(sw_reader *r, const char *name)
{
    if (r->failed) return NULL;
    hid_t a = H5Aopen(r->file, name, H5P_DEFAULT);
    if (a < 0) {
        rd_fail(r, "missing root attribute %s (not a durand sweep file?)", name);
        return NULL;
    }
    hid_t t = dr_h5_vlen_string_type();
    char *v = NULL;
    const char *out = NULL;
    if (t >= 0 && H5Aread(a, t, &v) >= 0 && v) {
        size_t n = strlen(v) + 1;
        char *c = rd_alloc(r, n);
        if (c) memcpy(c, v, n);
        out = c;
        H5free_memory(v);
    }
    if (t >= 0) H5Tclose(t);
    H5Aclose(a);
    if (!out) rd_fail(r, "cannot read root attribute %s", name);
    return out;
}

static int rd_attr_num(sw_reader *r, const char *name, hid_t mem_type, void *out)
{
    if (r->failed) return -1;
    hid_t a = H5Aopen(r->file, name, H5P_DEFAULT);
    if (a < 0)
        return rd_fail(r, "missing root attribute %s (not a durand sweep file?)", name);
    int rc = H5Aread(a, mem_type, out) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc ? rd_fail(r, "cannot read root attribute %s", name) : 0;
}

/* Read a whole dataset of `n` elements (checked) into fresh memory. */
static void *rd_var(sw_reader *r, const char *name, hid_t mem_type, size_t elem, size_t n)
{
    if (r->failed) return NULL;
    hid_t d = H5Dopen2(r->file, name, H5P_DEFAULT);
    if (d < 0) {
        rd_fail(r, "missing variable %s", name);
        return NULL;
    }
    hid_t s = H5Dget_space(d);
    hssize_t have = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    if (s >= 0) H5Sclose(s);
    void *buf = NULL;
    if (have != (hssize_t)n) {
        rd_fail(r, "variable %s has the wrong size", name);
    } else {
        buf = rd_alloc(r, n * elem);
        hid_t t = mem_type ? H5Tcopy(mem_type) : dr_h5_vlen_string_type();
        if (!buf || t < 0 ||
            (n && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)) {
            rd_fail(r, "cannot read variable %s", name);
            buf = NULL;
        }
        if (t >= 0) H5Tclose(t);
    }
    H5Dclose(d);
    return buf;
}

/* Read a string variable into owned copies. */
static const char *const *rd_strings(sw_reader *r, const char *name, size_t n)
{
    char **raw = rd_var(r, name, 0, sizeof(char *), n);
    if (!raw) return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *v = raw[i] ? raw[i] : "";
        size_t len = strlen(v) + 1;
        char *c = rd_alloc(r, len);
        if (c) memcpy(c, v, len);
        if (raw[i]) H5free_memory(raw[i]);
        raw[i] = c;
        if (!c) rd_fail(r, "out of memory reading %s", name);
    }
    return r->failed ? NULL : (const char *const *)raw;
}

static size_t dim_length(sw_reader *r, const char *name)
{
    if (r->failed) return 0;
    hid_t d = H5Dopen2(r->file, name, H5P_DEFAULT);
    if (d < 0) {
        rd_fail(r, "missing dimension %s (not a durand sweep file?)", name);
        return 0;
    }
    hid_t s = H5Dget_space(d);
    hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    if (s >= 0) H5Sclose(s);
    H5Dclose(d);
    if (n < 0) rd_fail(r, "cannot read dimension %s", name);
    return n < 0 ? 0 : (size_t)n;
}

static void read_all(sw_reader *r)
{
    dr_sweep_file *f = r->f;
    const char *kind = rd_attr_string(r, "durand_file");
    if (kind && strcmp(kind, "sweep") != 0)
        rd_fail(r, "durand_file = %s: expected a sweep file", kind);
    f->scenario_path = rd_attr_string(r, "scenario_path");
    f->scenario_text = rd_attr_string(r, "scenario_text");
    f->title = rd_attr_string(r, "title");
    f->comment = rd_attr_string(r, "comment");
    f->overrides = rd_attr_string(r, "overrides");
    f->start_date = rd_attr_string(r, "start_date");
    f->design = rd_attr_string(r, "design");
    const char *identity = rd_attr_string(r, "sweep_identity");
    const char *shard = rd_attr_string(r, "shard");
    int64_t reps = 0;
    rd_attr_num(r, "days", H5T_NATIVE_INT64, &f->days);
    rd_attr_num(r, "seed", H5T_NATIVE_UINT64, &f->seed);
    rd_attr_num(r, "design_base_n", H5T_NATIVE_UINT64, &f->design_base_n);
    rd_attr_num(r, "replications", H5T_NATIVE_INT64, &reps);
    rd_attr_num(r, "tension_threshold", H5T_NATIVE_DOUBLE, &f->tension_threshold);
    if (r->failed) return;
    f->identity = strtoull(identity, NULL, 16);
    unsigned a = 0, b = 1;
    if (sscanf(shard, "%u/%u", &a, &b) != 2 || b == 0 || a >= b) {
        rd_fail(r, "shard = %s: expected I/N", shard);
        return;
    }
    f->shard = a;
    f->n_shards = b;
    if (reps < 1 || reps > (int64_t)DR_RNG_REPLICATION_MAX + 1) {
        rd_fail(r, "replications attribute out of range%s", "");
        return;
    }
    f->n_replications = (uint32_t)reps;
    f->n_runs = dim_length(r, "run");
    f->n_points = dim_length(r, "point");
    f->n_params = dim_length(r, "param");
    f->n_indicators = dim_length(r, "indicator");
    if (r->failed) return;
    if (f->n_runs != f->n_points * f->n_replications) {
        rd_fail(r, "run length is not point x replication%s", "");
        return;
    }
    f->param_names = rd_strings(r, "param", f->n_params);
    f->param_lo = rd_var(r, "param_lo", H5T_NATIVE_DOUBLE, 8, f->n_params);
    f->param_hi = rd_var(r, "param_hi", H5T_NATIVE_DOUBLE, 8, f->n_params);
    f->param_levels = rd_var(r, "param_levels", H5T_NATIVE_INT32, 4, f->n_params);
    f->param_integer = rd_var(r, "param_integer", H5T_NATIVE_INT8, 1, f->n_params);
    f->x = rd_var(r, "design", H5T_NATIVE_DOUBLE, 8, f->n_points * f->n_params);
    f->indicator_names = rd_strings(r, "indicator", f->n_indicators);
    f->indicator_units = rd_strings(r, "indicator_units", f->n_indicators);
    f->indicator_long_names = rd_strings(r, "indicator_long_name", f->n_indicators);
    f->status = rd_var(r, "status", H5T_NATIVE_INT8, 1, f->n_runs);
    f->indicators =
        rd_var(r, "indicators", H5T_NATIVE_DOUBLE, 8, f->n_runs * f->n_indicators);
    if (r->failed) return;

    /* Series: every series_<name> variable, in creation order. */
    if (H5Lexists(r->file, "time", H5P_DEFAULT) <= 0) return;
    size_t days = dim_length(r, "time");
    if (r->failed || (int64_t)days != f->days) {
        rd_fail(r, "time has the wrong length%s", "");
        return;
    }
    H5G_info_t gi;
    if (H5Gget_info(r->file, &gi) < 0) {
        rd_fail(r, "cannot list the variables%s", "");
        return;
    }
    char **names = rd_alloc(r, gi.nlinks * sizeof *names);
    const char **units = rd_alloc(r, gi.nlinks * sizeof *units);
    const char **long_names = rd_alloc(r, gi.nlinks * sizeof *long_names);
    if (!names || !units || !long_names) {
        rd_fail(r, "out of memory%s", "");
        return;
    }
    size_t ns = 0;
    for (hsize_t i = 0; i < gi.nlinks; i++) {
        char name[256];
        ssize_t len = H5Lget_name_by_idx(r->file, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i,
                                         name, sizeof name, H5P_DEFAULT);
        if (len <= 0 || (size_t)len >= sizeof name || strncmp(name, "series_", 7) != 0)
            continue;
        names[ns] = rd_alloc(r, strlen(name + 7) + 1);
        if (!names[ns]) {
            rd_fail(r, "out of memory%s", "");
            return;
        }
        strcpy(names[ns], name + 7);
        /* units and long_name of the series variable */
        hid_t d = H5Dopen2(r->file, name, H5P_DEFAULT);
        const char *vals[2] = {"1", ""};
        static const char *const an[2] = {"units", "long_name"};
        for (int k = 0; d >= 0 && k < 2; k++) {
            hid_t at = H5Aopen(d, an[k], H5P_DEFAULT);
            hid_t t = dr_h5_vlen_string_type();
            char *v = NULL;
            if (at >= 0 && t >= 0 && H5Aread(at, t, &v) >= 0 && v) {
                char *c = rd_alloc(r, strlen(v) + 1);
                if (c) strcpy(c, v);
                vals[k] = c ? c : vals[k];
                H5free_memory(v);
            }
            if (t >= 0) H5Tclose(t);
            if (at >= 0) H5Aclose(at);
        }
        if (d >= 0) H5Dclose(d);
        units[ns] = vals[0];
        /* drop the " (per run and day)" the writer appended */
        const char *suffix = " (per run and day)";
        size_t ll = strlen(vals[1]), sl = strlen(suffix);
        if (ll >= sl && strcmp(vals[1] + ll - sl, suffix) == 0) {
            char *c = rd_alloc(r, ll - sl + 1);
            if (c) {
                memcpy(c, vals[1], ll - sl);
                c[ll - sl] = '\0';
                vals[1] = c;
            }
        }
        long_names[ns] = vals[1];
        ns++;
    }
    f->n_series = ns;
    f->series_names = (const char *const *)names;
    f->series_units = units;
    f->series_long_names = long_names;
    if (!ns) return;
    double *series = rd_alloc(r, f->n_runs * days * ns * sizeof *series);
    if (!series) {
        rd_fail(r, "out of memory for the series%s", "");
        return;
    }
    for (size_t s = 0; s < ns; s++) {
        char name[256];
        snprintf(name, sizeof name, "series_%s", names[s]);
        double *v = rd_var(r, name, H5T_NATIVE_DOUBLE, 8, f->n_runs * days);
        if (!v) return;
        for (size_t run = 0; run < f->n_runs; run++)
            for (size_t t = 0; t < days; t++)
                series[(run * days + t) * ns + s] = v[run * days + t];
    }
    f->series = series;
}

dr_sweep_file *dr_h5_sweep_read(const char *path, FILE *err)
{
    dr_sweep_file *f = calloc(1, sizeof *f);
    if (!f) {
        if (err) fprintf(err, "durand: %s: out of memory\n", path);
        return NULL;
    }
    sw_reader r = {.file = -1, .path = path, .err = err, .f = f};
    dr_h5_quiet quiet;
    dr_h5_quiet_begin(&quiet);
    r.file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (r.file < 0)
        rd_fail(&r, "cannot open %s as HDF5 (missing, or not an HDF5 file)", "it");
    else
        read_all(&r);
    if (r.file >= 0) H5Fclose(r.file);
    dr_h5_quiet_end(&quiet);
    if (r.failed) {
        dr_h5_sweep_file_destroy(f);
        return NULL;
    }
    return f;
}

void dr_h5_sweep_file_destroy(dr_sweep_file *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->n_owned; i++) free(f->owned[i]);
    free(f->owned);
    free(f);
}

/* ---- the sensitivity group ---------------------------------------------------- */

int dr_h5_sweep_write_sensitivity(const char *path, const dr_sweep_sensitivity *s,
                                  const char *command_line, FILE *err)
{
    dr_h5_writer w = {.file = -1, .path = path, .err = err};
    for (int i = 0; i < DR_H5_WRITER_DIMS; i++) w.scale[i] = -1;
    dr_h5_quiet quiet;
    dr_h5_quiet_begin(&quiet);
    int rc = -1;
    hid_t g = -1, gcpl = -1;
    w.file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (w.file < 0) {
        dr_h5_writer_fail(&w, "cannot open the file for writing");
        goto done;
    }
    w.scale[DIM_PARAM] = H5Dopen2(w.file, "param", H5P_DEFAULT);
    w.scale[DIM_INDICATOR] = H5Dopen2(w.file, "indicator", H5P_DEFAULT);
    if (w.scale[DIM_PARAM] < 0 || w.scale[DIM_INDICATOR] < 0) {
        dr_h5_writer_fail(&w, "not a sweep file (no param or indicator dimension)");
        goto done;
    }
    if (H5Lexists(w.file, "sensitivity", H5P_DEFAULT) > 0 &&
        H5Ldelete(w.file, "sensitivity", H5P_DEFAULT) < 0) {
        dr_h5_writer_fail(&w, "cannot replace the sensitivity group");
        goto done;
    }
    gcpl = dr_h5_order_props(H5P_GROUP_CREATE);
    g = gcpl < 0 ? -1 : H5Gcreate2(w.file, "sensitivity", H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0) {
        dr_h5_writer_fail(&w, "cannot create the sensitivity group");
        goto done;
    }
    char now[21], history[4096];
    dr_h5_iso_now(now);
    snprintf(history, sizeof history, "%s %s", now,
             command_line ? command_line : "durand sensitivity");
    if (dr_h5_attr_string(g, "method", s->method) < 0 ||
        dr_h5_attr_string(g, "history", history) < 0 ||
        dr_h5_attr_string(
            g, "comment",
            "computed from the mean over replications of each design point") < 0 ||
        (s->s1 && (dr_h5_attr_i64(g, "bootstrap", (int64_t)s->bootstrap) < 0 ||
                   dr_h5_attr_u64(g, "bootstrap_seed", s->seed) < 0))) {
        dr_h5_writer_fail(&w, "cannot write attributes of the sensitivity group");
        goto done;
    }
    typedef struct {
        const char *name;
        const double *data;
        const char *long_name;
    } item;
    const item items[] = {
        {"S1", s->s1, "first-order Sobol index (Saltelli 2010)"},
        {"S1_lo", s->s1_lo, "first-order Sobol index, bootstrap 95% interval, lower end"},
        {"S1_hi", s->s1_hi, "first-order Sobol index, bootstrap 95% interval, upper end"},
        {"ST", s->st, "total Sobol index (Jansen 1999)"},
        {"ST_lo", s->st_lo, "total Sobol index, bootstrap 95% interval, lower end"},
        {"ST_hi", s->st_hi, "total Sobol index, bootstrap 95% interval, upper end"},
        {"mu_star", s->mu_star,
         "Morris mean absolute elementary effect, indicator units per unit of the "
         "parameter's range"},
        {"sigma", s->sigma, "Morris standard deviation of the elementary effects"},
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (!items[i].data) continue;
        dr_h5_wvar v = {items[i].name,
                        H5T_IEEE_F64LE,
                        2,
                        {DIM_INDICATOR, DIM_PARAM},
                        {s->n_indicators, s->n_params},
                        0,
                        "1",
                        items[i].long_name};
        if (dr_h5_writer_write_var(&w, g, &v, H5T_NATIVE_DOUBLE, items[i].data, NULL) < 0)
            goto done;
    }
    rc = 0;
done:
    if (g >= 0) H5Gclose(g);
    if (gcpl >= 0) H5Pclose(gcpl);
    for (int i = 0; i < DR_H5_WRITER_DIMS; i++)
        if (w.scale[i] >= 0) H5Dclose(w.scale[i]);
    if (w.file >= 0 && H5Fclose(w.file) < 0 && rc == 0)
        rc = dr_h5_writer_fail(&w, "cannot close the file");
    dr_h5_quiet_end(&quiet);
    return rc;
}
