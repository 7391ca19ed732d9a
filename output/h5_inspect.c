/*
 * h5_inspect.c — `durand inspect`: a human summary of one result file.
 *
 * The reader trusts nothing about the file beyond what it checks: it must
 * be HDF5, carry the root attribute `durand_version`, and hold the
 * variables of output/SCHEMA.md that the headline figures need. Anything
 * else is "not a durand result" (status 2). Time series are read one row at
 * a time, so memory does not grow with the number of days.
 */
#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h5_observer.h"

/* Rows of the event log printed in full. */
#define DR_INSPECT_EVENT_ROWS 10
/* Dyads listed by final tension. */
#define DR_INSPECT_TOP_DYADS 5
/* Most flag meanings a categorical variable may have. */
#define DR_INSPECT_MAX_FLAGS 64
/* Status 2: not readable as a durand result. */
#define DR_INSPECT_BAD 2

/* A list of owned strings. */
typedef struct dr_strings {
    char **s;
    size_t n;
} dr_strings;

/* Free the strings of l and empty it; accepts an empty list. */
static void strings_clear(dr_strings *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->s[i]);
    free(l->s);
    l->s = NULL;
    l->n = 0;
}

/* Element i of l, or "?" when out of range (indices from the file are
 * untrusted). */
static const char *strings_at(const dr_strings *l, int64_t i)
{
    return (i >= 0 && (uint64_t)i < l->n) ? l->s[i] : "?";
}

/* A malloc'd copy of s up to its first NUL or n bytes, NUL-terminated. */
static char *dup_n(const char *s, size_t n)
{
    size_t len = 0;
    while (len < n && s[len]) len++;
    char *c = malloc(len + 1);
    if (!c) return NULL;
    memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

/* The attribute `name` of loc as a malloc'd string (variable- or fixed-
 * length, scalar or the first element), or NULL when it is absent or not a
 * string. */
static char *attr_text(hid_t loc, const char *name)
{
    if (H5Aexists(loc, name) <= 0) return NULL;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return NULL;
    hid_t ft = H5Aget_type(a);
    hid_t sp = H5Aget_space(a);
    char *result = NULL;
    hssize_t npoints = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING && npoints >= 1) {
        hid_t mt = H5Tcopy(H5T_C_S1);
        if (H5Tis_variable_str(ft) > 0) {
            char **v = calloc((size_t)npoints, sizeof *v);
            if (v && mt >= 0 && H5Tset_size(mt, H5T_VARIABLE) >= 0 &&
                H5Tset_cset(mt, H5Tget_cset(ft)) >= 0 && H5Aread(a, mt, v) >= 0) {
                result = dup_n(v[0] ? v[0] : "", v[0] ? strlen(v[0]) : 0);
                H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
            }
            free(v);
        } else {
            size_t sz = H5Tget_size(ft);
            char *buf = sz ? calloc((size_t)npoints, sz) : NULL;
            if (buf && mt >= 0 && H5Tset_size(mt, sz) >= 0 &&
                H5Tset_cset(mt, H5Tget_cset(ft)) >= 0 && H5Aread(a, mt, buf) >= 0)
                result = dup_n(buf, sz);
            free(buf);
        }
        if (mt >= 0) H5Tclose(mt);
    }
    if (sp >= 0) H5Sclose(sp);
    if (ft >= 0) H5Tclose(ft);
    H5Aclose(a);
    return result;
}

/* The numeric scalar attribute `name` of loc converted to int64 into *v.
 * Returns 0, or -1 when absent or not numeric. */
static int attr_int(hid_t loc, const char *name, int64_t *v)
{
    if (H5Aexists(loc, name) <= 0) return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return -1;
    hid_t ft = H5Aget_type(a);
    int rc = -1;
    if (ft >= 0 && H5Tget_class(ft) == H5T_INTEGER)
        rc = H5Aread(a, H5T_NATIVE_INT64, v) < 0 ? -1 : 0;
    if (ft >= 0) H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

/* The length of dimension 0 of dataset `name`, or -1 when absent. */
static int64_t dataset_length(hid_t file, const char *name)
{
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return -1;
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0) return -1;
    hid_t s = H5Dget_space(d);
    hsize_t dims[H5S_MAX_RANK];
    int rank = s >= 0 ? H5Sget_simple_extent_dims(s, dims, NULL) : -1;
    if (s >= 0) H5Sclose(s);
    H5Dclose(d);
    return rank >= 1 ? (int64_t)dims[0] : -1;
}

/* Read the 1-D string variable `name` into l (owned copies). Returns 0 or
 * -1 (absent, not 1-D or not strings). */
static int read_strings(hid_t file, const char *name, dr_strings *l)
{
    l->s = NULL;
    l->n = 0;
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return -1;
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0) return -1;
    hid_t ft = H5Dget_type(d), sp = H5Dget_space(d), mt = H5Tcopy(H5T_C_S1);
    int rc = -1;
    hsize_t n = 0;
    if (ft < 0 || sp < 0 || mt < 0 || H5Tget_class(ft) != H5T_STRING ||
        H5Sget_simple_extent_ndims(sp) != 1)
        goto done;
    /* HDF5 converts no strings between character sets: read in the
     * file's own. */
    if (H5Sget_simple_extent_dims(sp, &n, NULL) < 0 ||
        H5Tset_cset(mt, H5Tget_cset(ft)) < 0)
        goto done;
    l->s = calloc(n ? n : 1, sizeof *l->s);
    if (!l->s) goto done;
    if (n == 0) {
        rc = 0;
        goto done;
    }
    if (H5Tis_variable_str(ft) > 0) {
        char **v = calloc(n, sizeof *v);
        if (v && H5Tset_size(mt, H5T_VARIABLE) >= 0 &&
            H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
            rc = 0;
            for (hsize_t i = 0; i < n; i++) {
                const char *s = v[i] ? v[i] : "";
                l->s[i] = dup_n(s, strlen(s));
                if (!l->s[i]) rc = -1;
            }
            l->n = n;
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
        }
        free(v);
    } else {
        size_t sz = H5Tget_size(ft);
        char *buf = calloc(n, sz ? sz : 1);
        if (buf && H5Tset_size(mt, sz) >= 0 &&
            H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
            rc = 0;
            for (hsize_t i = 0; i < n; i++) {
                l->s[i] = dup_n(buf + i * sz, sz);
                if (!l->s[i]) rc = -1;
            }
            l->n = n;
        }
        free(buf);
    }
done:
    if (mt >= 0) H5Tclose(mt);
    if (sp >= 0) H5Sclose(sp);
    if (ft >= 0) H5Tclose(ft);
    H5Dclose(d);
    if (rc < 0) strings_clear(l);
    return rc;
}

/* Read the whole 1-D numeric variable `name` as `mem_type` into a new
 * buffer of *n elements of `elem` bytes. Returns the buffer (a 1-byte
 * allocation for 0 rows), or NULL. */
static void *read_column(hid_t file, const char *name, hid_t mem_type, size_t elem,
                         size_t *n)
{
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return NULL;
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0) return NULL;
    hid_t sp = H5Dget_space(d);
    hsize_t len = 0;
    void *buf = NULL;
    if (sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 &&
        H5Sget_simple_extent_dims(sp, &len, NULL) >= 0) {
        buf = malloc(len ? len * elem : 1);
        if (buf && len && H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            free(buf);
            buf = NULL;
        }
        *n = len;
    }
    if (sp >= 0) H5Sclose(sp);
    H5Dclose(d);
    return buf;
}

/* A 2-D (time, entity) variable opened for row-by-row reading. */
typedef struct dr_series_reader {
    hid_t d, fs, ms;
    hsize_t rows, cols;
} dr_series_reader;

/* Open `name` and check it is 2-D with `rows` rows. Returns 0 or -1. */
static int series_open(hid_t file, const char *name, int64_t rows, dr_series_reader *r)
{
    r->d = r->fs = r->ms = -1;
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return -1;
    r->d = H5Dopen2(file, name, H5P_DEFAULT);
    if (r->d < 0) return -1;
    r->fs = H5Dget_space(r->d);
    hsize_t dims[2];
    if (r->fs < 0 || H5Sget_simple_extent_ndims(r->fs) != 2 ||
        H5Sget_simple_extent_dims(r->fs, dims, NULL) < 0 || dims[0] != (hsize_t)rows)
        return -1;
    r->rows = dims[0];
    r->cols = dims[1];
    r->ms = H5Screate_simple(1, &r->cols, NULL);
    return r->ms < 0 ? -1 : 0;
}

/* Read row t into buf (cols elements of mem_type). Returns 0 or -1. */
static int series_row(dr_series_reader *r, hsize_t t, hid_t mem_type, void *buf)
{
    if (r->cols == 0) return 0;
    hsize_t start[2] = {t, 0}, count[2] = {1, r->cols};
    if (H5Sselect_hyperslab(r->fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0)
        return -1;
    return H5Dread(r->d, mem_type, r->ms, r->fs, H5P_DEFAULT, buf) < 0 ? -1 : 0;
}

static void series_close(dr_series_reader *r)
{
    if (r->ms >= 0) H5Sclose(r->ms);
    if (r->fs >= 0) H5Sclose(r->fs);
    if (r->d >= 0) H5Dclose(r->d);
    r->d = r->fs = r->ms = -1;
}

/* ---- the listing of dimensions and variables ------------------------ */

/* H5Literate callback: collect link names in creation order. */
static herr_t collect_name(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    dr_strings *l = data;
    char **grown = realloc(l->s, (l->n + 1) * sizeof *grown);
    if (!grown) return -1;
    l->s = grown;
    l->s[l->n] = dup_n(name, strlen(name));
    if (!l->s[l->n]) return -1;
    l->n++;
    return 0;
}

/* H5DSiterate_scales callback: the name of the first attached scale. */
static herr_t scale_name(hid_t d, unsigned dim, hid_t scale, void *data)
{
    (void)d;
    (void)dim;
    char *buf = data;
    if (H5DSget_scale_name(scale, buf, 64) <= 0) H5Iget_name(scale, buf, 64);
    return 1; /* stop at the first */
}

/* A short type name ("float64", "int8", "string") into buf[16]. */
static void type_name(hid_t t, char buf[16])
{
    switch (H5Tget_class(t)) {
    case H5T_FLOAT:
        snprintf(buf, 16, "float%zu", 8 * H5Tget_size(t));
        break;
    case H5T_INTEGER:
        snprintf(buf, 16, "%sint%zu", H5Tget_sign(t) == H5T_SGN_NONE ? "u" : "",
                 8 * H5Tget_size(t));
        break;
    case H5T_STRING:
        snprintf(buf, 16, "string");
        break;
    default:
        snprintf(buf, 16, "other");
        break;
    }
}

/* Print the dimensions (the datasets that are dimension scales) and every
 * variable with its dimensions, type, units and long_name. */
static int print_listing(hid_t file, FILE *out)
{
    dr_strings names = {NULL, 0};
    hsize_t idx = 0;
    if (H5Literate(file, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_name, &names) <
        0) {
        /* A file without tracked creation order: fall back to names. */
        strings_clear(&names);
        idx = 0;
        if (H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names) <
            0) {
            strings_clear(&names);
            return -1;
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        fprintf(out, pass == 0 ? "\ndimensions:\n" : "\nvariables:\n");
        for (size_t i = 0; i < names.n; i++) {
            hid_t d = H5Dopen2(file, names.s[i], H5P_DEFAULT);
            if (d < 0) continue;
            int is_scale = H5DSis_scale(d) > 0;
            hid_t sp = H5Dget_space(d), t = H5Dget_type(d);
            hsize_t dims[H5S_MAX_RANK];
            int rank = sp >= 0 ? H5Sget_simple_extent_dims(sp, dims, NULL) : -1;
            if (pass == 0 && is_scale && rank == 1) {
                fprintf(out, "  %-16s %llu\n", names.s[i], (unsigned long long)dims[0]);
            } else if (pass == 1 && rank >= 0) {
                char shape[256] = "", tn[16];
                size_t used = 0;
                for (int k = 0; k < rank; k++) {
                    char dn[64] = "?";
                    if (H5DSget_num_scales(d, (unsigned)k) > 0)
                        H5DSiterate_scales(d, (unsigned)k, NULL, scale_name, dn);
                    else if (is_scale)
                        snprintf(dn, sizeof dn, "%s", names.s[i]);
                    int w = snprintf(shape + used, sizeof shape - used, "%s%s",
                                     k ? ", " : "", dn);
                    if (w > 0 && (size_t)w < sizeof shape - used) used += (size_t)w;
                }
                type_name(t, tn);
                char *units = attr_text(d, "units");
                char *long_name = attr_text(d, "long_name");
                char label[300];
                snprintf(label, sizeof label, "%s(%s)", names.s[i], shape);
                fprintf(out, "  %-34s %-8s [%s] %s\n", label, tn,
                        units ? units : "no units", long_name ? long_name : "");
                free(units);
                free(long_name);
            }
            if (t >= 0) H5Tclose(t);
            if (sp >= 0) H5Sclose(sp);
            H5Dclose(d);
        }
    }
    strings_clear(&names);
    return 0;
}

/* ---- headline figures ------------------------------------------------ */

/* Per-dyad final and maximum tension, the top few by final value. */
static int print_tension(hid_t file, int64_t days, const char *start_date, FILE *out)
{
    dr_strings dyads;
    if (read_strings(file, "dyad", &dyads) < 0) return -1;
    dr_series_reader r = {-1, -1, -1, 0, 0};
    double *row = malloc((dyads.n ? dyads.n : 1) * sizeof *row);
    double *max = malloc((dyads.n ? dyads.n : 1) * sizeof *max);
    int64_t *argmax = malloc((dyads.n ? dyads.n : 1) * sizeof *argmax);
    int rc = -1;
    if (!row || !max || !argmax || series_open(file, "tension", days, &r) < 0 ||
        r.cols != dyads.n)
        goto done;
    for (size_t k = 0; k < dyads.n; k++) {
        max[k] = -HUGE_VAL;
        argmax[k] = 0;
    }
    for (hsize_t t = 0; t < r.rows; t++) {
        if (series_row(&r, t, H5T_NATIVE_DOUBLE, row) < 0) goto done;
        for (size_t k = 0; k < dyads.n; k++)
            if (row[k] > max[k]) {
                max[k] = row[k];
                argmax[k] = (int64_t)t;
            }
    }
    /* `row` now holds the final day. Print the top few by final value. */
    size_t shown = dyads.n < DR_INSPECT_TOP_DYADS ? dyads.n : DR_INSPECT_TOP_DYADS;
    fprintf(out, "  tension, top %zu of %zu dyads by final value:\n", shown, dyads.n);
    char *used = calloc(dyads.n ? dyads.n : 1, 1);
    if (!used) goto done;
    for (size_t s = 0; s < shown; s++) {
        size_t best = DR_NONE;
        for (size_t k = 0; k < dyads.n; k++)
            if (!used[k] && (best == DR_NONE || row[k] > row[best])) best = k;
        used[best] = 1;
        char date[11];
        dr_date_format(start_date, argmax[best], date);
        fprintf(out, "    %-20s final %.3f   max %.3f on %s\n", dyads.s[best], row[best],
                max[best], date);
    }
    free(used);
    rc = 0;
done:
    series_close(&r);
    free(row);
    free(max);
    free(argmax);
    strings_clear(&dyads);
    return rc;
}

/* Total deaths over all days and locations. */
static int print_deaths(hid_t file, int64_t days, FILE *out)
{
    dr_series_reader r = {-1, -1, -1, 0, 0};
    int rc = -1;
    double *row = NULL, total = 0.0;
    if (series_open(file, "deaths", days, &r) < 0) goto done;
    row = malloc((r.cols ? r.cols : 1) * sizeof *row);
    if (!row) goto done;
    for (hsize_t t = 0; t < r.rows; t++) {
        if (series_row(&r, t, H5T_NATIVE_DOUBLE, row) < 0) goto done;
        for (hsize_t k = 0; k < r.cols; k++) total += row[k];
    }
    fprintf(out, "  total deaths: %.1f (over %llu locations)\n", total,
            (unsigned long long)r.cols);
    rc = 0;
done:
    series_close(&r);
    free(row);
    return rc;
}

/* Days each crossing spent closed and restricted. */
static int print_crossings(hid_t file, int64_t days, FILE *out)
{
    dr_strings ids;
    if (read_strings(file, "crossing", &ids) < 0) return -1;
    dr_series_reader r = {-1, -1, -1, 0, 0};
    int rc = -1;
    size_t n = ids.n ? ids.n : 1;
    int8_t *row = malloc(n);
    int64_t *closed = calloc(n, sizeof *closed);
    int64_t *restricted = calloc(n, sizeof *restricted);
    if (!row || !closed || !restricted ||
        series_open(file, "crossing_status", days, &r) < 0 || r.cols != ids.n)
        goto done;
    for (hsize_t t = 0; t < r.rows; t++) {
        if (series_row(&r, t, H5T_NATIVE_INT8, row) < 0) goto done;
        for (size_t k = 0; k < ids.n; k++) {
            if (row[k] == 2) closed[k]++;
            if (row[k] == 1) restricted[k]++;
        }
    }
    fprintf(out, "  crossings (%zu):%s\n", ids.n, ids.n ? "" : " none");
    for (size_t k = 0; k < ids.n; k++)
        fprintf(out, "    %-24s closed %lld days, restricted %lld days\n", ids.s[k],
                (long long)closed[k], (long long)restricted[k]);
    rc = 0;
done:
    series_close(&r);
    free(row);
    free(closed);
    free(restricted);
    strings_clear(&ids);
    return rc;
}

/* Split the flag_meanings attribute of `var` into l. Returns 0 or -1. */
static int flag_meanings(hid_t file, const char *var, dr_strings *l)
{
    l->s = NULL;
    l->n = 0;
    hid_t d = H5Dopen2(file, var, H5P_DEFAULT);
    if (d < 0) return -1;
    char *m = attr_text(d, "flag_meanings");
    H5Dclose(d);
    if (!m) return -1;
    l->s = calloc(DR_INSPECT_MAX_FLAGS, sizeof *l->s);
    int rc = l->s ? 0 : -1;
    for (char *p = m; rc == 0 && *p && l->n < DR_INSPECT_MAX_FLAGS;) {
        while (*p == ' ') p++;
        size_t len = strcspn(p, " ");
        if (len == 0) break;
        l->s[l->n] = dup_n(p, len);
        if (!l->s[l->n])
            rc = -1;
        else
            l->n++;
        p += len;
    }
    free(m);
    if (rc < 0) strings_clear(l);
    return rc;
}

/* The sum over all days of every column of the (time, n) float64 series
 * `name` into sum[n] (zeroed here). Returns 0 or -1 (absent, or not n
 * columns). */
static int series_totals(hid_t file, const char *name, int64_t days, size_t n,
                         double *sum)
{
    dr_series_reader r = {-1, -1, -1, 0, 0};
    double *row = malloc((n ? n : 1) * sizeof *row);
    int rc = -1;
    if (!row || series_open(file, name, days, &r) < 0 || r.cols != n) goto done;
    for (size_t k = 0; k < n; k++) sum[k] = 0.0;
    for (hsize_t t = 0; t < r.rows; t++) {
        if (series_row(&r, t, H5T_NATIVE_DOUBLE, row) < 0) goto done;
        for (size_t k = 0; k < n; k++) sum[k] += row[k];
    }
    rc = 0;
done:
    series_close(&r);
    free(row);
    return rc;
}

/* Total fatalities by category: security forces of each state, fighters of
 * each militant group, personnel of any other actor that lost some, and
 * civilians over all locations. */
static int print_fatalities(hid_t file, int64_t days, FILE *out)
{
    dr_strings actors = {NULL, 0}, kinds = {NULL, 0};
    size_t nk = 0, nl = 0;
    int8_t *kind = NULL;
    double *by_actor = NULL, *civ = NULL;
    int rc = -1;
    if (read_strings(file, "actor", &actors) < 0) goto done;
    kind = read_column(file, "actor_kind", H5T_NATIVE_INT8, 1, &nk);
    int64_t len = dataset_length(file, "location");
    nl = len > 0 ? (size_t)len : 0;
    by_actor = malloc((actors.n ? actors.n : 1) * sizeof *by_actor);
    civ = malloc((nl ? nl : 1) * sizeof *civ);
    if (!kind || nk != actors.n || !by_actor || !civ ||
        flag_meanings(file, "actor_kind", &kinds) < 0 ||
        series_totals(file, "fatalities", days, actors.n, by_actor) < 0 ||
        series_totals(file, "civilian_deaths", days, nl, civ) < 0)
        goto done;
    double civilians = 0.0;
    for (size_t l = 0; l < nl; l++) civilians += civ[l];
    fprintf(out, "  fatalities (persons):\n");
    /* States first (security forces), then militant groups (fighters),
     * then anything else, each in actor order. */
    static const struct {
        int kind; /* dr_actor_kind, -1: any other kind */
        const char *label;
    } group[3] = {{DR_ACTOR_STATE, "security forces"},
                  {DR_ACTOR_MILITANT, "fighters"},
                  {-1, "personnel"}};
    for (int g = 0; g < 3; g++)
        for (size_t a = 0; a < actors.n; a++) {
            int is_other = kind[a] != DR_ACTOR_STATE && kind[a] != DR_ACTOR_MILITANT;
            if (group[g].kind >= 0 ? kind[a] != group[g].kind
                                   : !is_other || by_actor[a] == 0.0)
                continue;
            char label[64];
            snprintf(label, sizeof label, "%s %s", strings_at(&actors, (int64_t)a),
                     group[g].label);
            fprintf(out, "    %-28s %12.1f", label, by_actor[a]);
            if (group[g].kind < 0) fprintf(out, "  (%s)", strings_at(&kinds, kind[a]));
            fprintf(out, "\n");
        }
    fprintf(out, "    %-28s %12.1f\n", "civilians", civilians);
    rc = 0;
done:
    free(kind);
    free(by_actor);
    free(civ);
    strings_clear(&actors);
    strings_clear(&kinds);
    return rc;
}

/* Totals of the int32 (time, location) counts clashes, attacks, strikes. */
static int print_violence_counts(hid_t file, int64_t days, FILE *out)
{
    static const char *const names[3] = {"clashes", "attacks", "strikes"};
    long long total[3] = {0, 0, 0};
    int32_t *row = NULL;
    int rc = -1;
    for (int k = 0; k < 3; k++) {
        dr_series_reader r = {-1, -1, -1, 0, 0};
        int ok = series_open(file, names[k], days, &r) == 0;
        free(row);
        row = ok ? malloc((r.cols ? r.cols : 1) * sizeof *row) : NULL;
        ok = ok && row;
        for (hsize_t t = 0; ok && t < r.rows; t++) {
            ok = series_row(&r, t, H5T_NATIVE_INT32, row) == 0;
            for (hsize_t c = 0; ok && c < r.cols; c++) total[k] += row[c];
        }
        series_close(&r);
        if (!ok) goto done;
    }
    fprintf(out, "  total clashes %lld, attacks %lld, strikes %lld\n", total[0], total[1],
            total[2]);
    rc = 0;
done:
    free(row);
    return rc;
}

/* Days each state spent in each posture toward the actors it was most
 * hostile to: the dyads with a posture (A a state), ranked by days in the
 * hostile postures (the codes from `pressure` up), ties by days in the
 * last (most hostile) code, then dyad order; the top few shown. */
static int print_postures(hid_t file, int64_t days, FILE *out)
{
    dr_strings dyads = {NULL, 0}, meanings = {NULL, 0};
    dr_series_reader r = {-1, -1, -1, 0, 0};
    int64_t *count = NULL, *hostile = NULL;
    int8_t *row = NULL;
    char *used = NULL;
    int rc = -1;
    if (read_strings(file, "dyad", &dyads) < 0 ||
        flag_meanings(file, "posture", &meanings) < 0 || meanings.n == 0)
        goto done;
    size_t nd = dyads.n ? dyads.n : 1, nf = meanings.n;
    /* count[k*(nf+1) + f]: days in posture f; slot nf counts "no posture". */
    count = calloc(nd * (nf + 1), sizeof *count);
    hostile = calloc(nd, sizeof *hostile);
    row = malloc(nd);
    used = calloc(nd, 1);
    if (!count || !hostile || !row || !used ||
        series_open(file, "posture", days, &r) < 0 || r.cols != dyads.n)
        goto done;
    /* Hostile postures: pressure and above, found by name so that codes
     * appended later are judged by the file's own meanings. */
    size_t first_hostile = nf;
    for (size_t f = 0; f < nf; f++)
        if (strcmp(meanings.s[f], "pressure") == 0) first_hostile = f;
    for (hsize_t t = 0; t < r.rows; t++) {
        if (series_row(&r, t, H5T_NATIVE_INT8, row) < 0) goto done;
        for (size_t k = 0; k < dyads.n; k++) {
            size_t f = (row[k] >= 0 && (size_t)row[k] < nf) ? (size_t)row[k] : nf;
            count[k * (nf + 1) + f]++;
            if (f < nf && f >= first_hostile) hostile[k]++;
        }
    }
    size_t n_state = 0;
    for (size_t k = 0; k < dyads.n; k++) {
        if (count[k * (nf + 1) + nf] < (int64_t)r.rows)
            n_state++;
        else
            used[k] = 1; /* never a posture: A is not a state */
    }
    size_t shown = n_state < DR_INSPECT_TOP_DYADS ? n_state : DR_INSPECT_TOP_DYADS;
    fprintf(out,
            "  postures, days in each, top %zu of %zu state dyads by days in "
            "%s or above:\n",
            shown, n_state, first_hostile < nf ? meanings.s[first_hostile] : "?");
    for (size_t s = 0; s < shown; s++) {
        size_t best = DR_NONE;
        for (size_t k = 0; k < dyads.n; k++)
            if (!used[k] &&
                (best == DR_NONE || hostile[k] > hostile[best] ||
                 (hostile[k] == hostile[best] &&
                  count[k * (nf + 1) + nf - 1] > count[best * (nf + 1) + nf - 1])))
                best = k;
        used[best] = 1;
        fprintf(out, "    %-20s", dyads.s[best]);
        for (size_t f = 0; f < nf; f++)
            fprintf(out, " %s %lld", meanings.s[f],
                    (long long)count[best * (nf + 1) + f]);
        fprintf(out, "\n");
    }
    rc = 0;
done:
    series_close(&r);
    free(count);
    free(hostile);
    free(row);
    free(used);
    strings_clear(&dyads);
    strings_clear(&meanings);
    return rc;
}

/* One line per intervention (MODEL.md section 3): id, type, days active,
 * cumulative cost at the end and, for mediations, ceasefires agreed.
 * Prints nothing for a file without interventions (or written before
 * they existed). Returns 0, or -1 when the variables are malformed. */
static int print_interventions(hid_t file, int64_t days, FILE *out)
{
    if (dataset_length(file, "intervention") <= 0) return 0;
    dr_strings ids = {NULL, 0}, types = {NULL, 0};
    dr_series_reader r = {-1, -1, -1, 0, 0};
    size_t nt = 0;
    int8_t *type = NULL, *active = NULL;
    int64_t *active_days = NULL;
    double *cost = NULL;
    int32_t *agreements = NULL;
    int rc = -1;
    if (read_strings(file, "intervention", &ids) < 0 ||
        flag_meanings(file, "intervention_type", &types) < 0)
        goto done;
    const size_t n = ids.n;
    type = read_column(file, "intervention_type", H5T_NATIVE_INT8, 1, &nt);
    active = malloc(n);
    active_days = calloc(n, sizeof *active_days);
    cost = malloc(n * sizeof *cost);
    agreements = malloc(n * sizeof *agreements);
    if (!type || nt != n || !active || !active_days || !cost || !agreements ||
        series_open(file, "intervention_active", days, &r) < 0 || r.cols != n)
        goto done;
    for (hsize_t t = 0; t < r.rows; t++) {
        if (series_row(&r, t, H5T_NATIVE_INT8, active) < 0) goto done;
        for (size_t k = 0; k < n; k++)
            if (active[k]) active_days[k]++;
    }
    series_close(&r);
    /* The cumulative series: their last row is the run's total. */
    if (series_open(file, "intervention_cost", days, &r) < 0 || r.cols != n ||
        series_row(&r, r.rows - 1, H5T_NATIVE_DOUBLE, cost) < 0)
        goto done;
    series_close(&r);
    if (series_open(file, "intervention_agreements", days, &r) < 0 || r.cols != n ||
        series_row(&r, r.rows - 1, H5T_NATIVE_INT32, agreements) < 0)
        goto done;
    double total = 0.0;
    for (size_t k = 0; k < n; k++) total += cost[k];
    fprintf(out, "  interventions (%zu), total cost %.0f USD:\n", n, total);
    for (size_t k = 0; k < n; k++) {
        const char *tn = strings_at(&types, type[k]);
        fprintf(out, "    %-16s %-11s active %lld days, cost %.0f USD", ids.s[k], tn,
                (long long)active_days[k], cost[k]);
        if (strcmp(tn, "mediation") == 0)
            fprintf(out, ", %lld ceasefires agreed", (long long)agreements[k]);
        fprintf(out, "\n");
    }
    rc = 0;
done:
    series_close(&r);
    free(type);
    free(active);
    free(active_days);
    free(cost);
    free(agreements);
    strings_clear(&ids);
    strings_clear(&types);
    return rc;
}

/* Event counts by kind and the first rows of the log. */
static int print_events(hid_t file, const char *start_date, FILE *out)
{
    size_t n = 0, m;
    dr_strings kinds = {NULL, 0}, actors = {NULL, 0}, locations = {NULL, 0},
               crossings = {NULL, 0}, notes = {NULL, 0};
    int32_t *day = read_column(file, "event_day", H5T_NATIVE_INT32, sizeof(int32_t), &n);
    int8_t *kind = read_column(file, "event_kind", H5T_NATIVE_INT8, 1, &m);
    int ok = day && kind && m == n;
    int32_t *a =
        ok ? read_column(file, "event_actor_a", H5T_NATIVE_INT32, sizeof(int32_t), &m)
           : NULL;
    ok = ok && a && m == n;
    int32_t *b =
        ok ? read_column(file, "event_actor_b", H5T_NATIVE_INT32, sizeof(int32_t), &m)
           : NULL;
    ok = ok && b && m == n;
    int32_t *loc =
        ok ? read_column(file, "event_location", H5T_NATIVE_INT32, sizeof(int32_t), &m)
           : NULL;
    ok = ok && loc && m == n;
    int32_t *route =
        ok ? read_column(file, "event_route", H5T_NATIVE_INT32, sizeof(int32_t), &m)
           : NULL;
    ok = ok && route && m == n;
    double *value =
        ok ? read_column(file, "event_value", H5T_NATIVE_DOUBLE, sizeof(double), &m)
           : NULL;
    ok = ok && value && m == n;
    ok = ok && flag_meanings(file, "event_kind", &kinds) == 0 &&
         read_strings(file, "event_note", &notes) == 0 && notes.n == n &&
         read_strings(file, "actor", &actors) == 0 &&
         read_strings(file, "location", &locations) == 0 &&
         read_strings(file, "crossing", &crossings) == 0;
    if (ok) {
        fprintf(out, "  event log: %zu rows", n);
        for (size_t k = 0; k < kinds.n; k++) {
            size_t count = 0;
            for (size_t i = 0; i < n; i++)
                if (kind[i] == (int8_t)k) count++;
            if (count) fprintf(out, ", %s %zu", kinds.s[k], count);
        }
        fprintf(out, "\n");
        size_t shown = n < DR_INSPECT_EVENT_ROWS ? n : DR_INSPECT_EVENT_ROWS;
        if (shown) fprintf(out, "  first %zu events:\n", shown);
        for (size_t i = 0; i < shown; i++) {
            char date[11];
            dr_date_format(start_date, day[i], date);
            /* The place: the location, else the crossing, else "-". */
            const char *place = loc[i] >= 0     ? strings_at(&locations, loc[i])
                                : route[i] >= 0 ? strings_at(&crossings, route[i])
                                                : "-";
            fprintf(
                out, "    %s  %-18s %-6s %-6s %-16s %10.3f  %s\n", date,
                strings_at(&kinds, kind[i]), a[i] >= 0 ? strings_at(&actors, a[i]) : "-",
                b[i] >= 0 ? strings_at(&actors, b[i]) : "-", place, value[i], notes.s[i]);
        }
    }
    free(day);
    free(kind);
    free(a);
    free(b);
    free(loc);
    free(route);
    free(value);
    strings_clear(&kinds);
    strings_clear(&actors);
    strings_clear(&locations);
    strings_clear(&crossings);
    strings_clear(&notes);
    return ok ? 0 : -1;
}

/* ---- the summary ----------------------------------------------------- */

/* Print one root attribute as "  label: value" (text or integer). */
static void print_attr(hid_t file, const char *label, const char *name, FILE *out)
{
    char *s = attr_text(file, name);
    int64_t v;
    if (s) {
        fprintf(out, "  %-17s %s\n", label, s);
        free(s);
    } else if (attr_int(file, name, &v) == 0) {
        fprintf(out, "  %-17s %lld\n", label, (long long)v);
    } else {
        fprintf(out, "  %-17s (absent)\n", label);
    }
}

/* The body of dr_h5_inspect once the file is open and identified. */
static int summarise(hid_t file, const char *path, FILE *out, FILE *err)
{
    char *start_date = attr_text(file, "start_date");
    int64_t days = 0, replication = 0;
    uint64_t useed = 0;
    int rc = DR_INSPECT_BAD;
    if (!start_date || attr_int(file, "days", &days) < 0 || days < 1 ||
        dataset_length(file, "time") != days) {
        fprintf(err,
                "durand inspect: %s: not a durand result "
                "(no start_date/days, or they disagree with time)\n",
                path);
        goto done;
    }
    /* The seed is stored as uint64: read it without a signed conversion. */
    hid_t sa = H5Aexists(file, "seed") > 0 ? H5Aopen(file, "seed", H5P_DEFAULT) : -1;
    if (sa >= 0) {
        if (H5Aread(sa, H5T_NATIVE_UINT64, &useed) < 0) useed = 0;
        H5Aclose(sa);
    }
    attr_int(file, "replication", &replication);

    char last[11];
    dr_date_format(start_date, days - 1, last);
    fprintf(out, "durand result %s\n", path);
    print_attr(file, "scenario:", "title", out);
    print_attr(file, "scenario file:", "scenario_path", out);
    fprintf(out, "  %-17s %s .. %s (%lld days)\n", "dates:", start_date, last,
            (long long)days);
    fprintf(out, "  %-17s %llu, replication %lld\n", "seed:", (unsigned long long)useed,
            (long long)replication);
    print_attr(file, "source:", "source", out);
    print_attr(file, "compiler:", "compiler", out);
    print_attr(file, "OpenMP threads:", "omp_threads", out);
    print_attr(file, "MPI ranks:", "mpi_ranks", out);
    print_attr(file, "agent scale:", "agent_scale", out);
    print_attr(file, "wall time start:", "wall_time_start", out);
    print_attr(file, "wall time end:", "wall_time_end", out);
    print_attr(file, "history:", "history", out);
    char *overrides = attr_text(file, "overrides");
    if (!overrides || !overrides[0]) {
        fprintf(out, "  %-17s none\n", "overrides:");
    } else {
        fprintf(out, "  overrides:\n");
        for (char *p = overrides; *p;) {
            size_t len = strcspn(p, "\n");
            fprintf(out, "    -s %.*s\n", (int)len, p);
            p += len;
            if (*p) p++;
        }
    }
    free(overrides);

    if (print_listing(file, out) < 0) {
        fprintf(err, "durand inspect: %s: cannot list the variables\n", path);
        goto done;
    }
    fprintf(out, "\nheadline:\n");
    if (print_tension(file, days, start_date, out) < 0 ||
        print_deaths(file, days, out) < 0 || print_fatalities(file, days, out) < 0 ||
        print_violence_counts(file, days, out) < 0 ||
        print_postures(file, days, out) < 0 || print_crossings(file, days, out) < 0 ||
        print_interventions(file, days, out) < 0 ||
        print_events(file, start_date, out) < 0) {
        fprintf(err,
                "durand inspect: %s: not a durand result "
                "(a variable of output/SCHEMA.md is missing or malformed)\n",
                path);
        goto done;
    }
    rc = 0;
done:
    free(start_date);
    return rc;
}

int dr_h5_inspect(const char *path, FILE *out, FILE *err)
{
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        int e = errno;
        fprintf(err, "durand inspect: %s: cannot open: %s\n", path, strerror(e));
        return DR_INSPECT_BAD;
    }
    fclose(probe);

    /* Quiet HDF5 for the duration of the call, then restore its printer. */
    H5E_auto2_t saved_func = NULL;
    void *saved_data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &saved_func, &saved_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    int rc = DR_INSPECT_BAD;
    hid_t file = -1;
    if (H5Fis_hdf5(path) <= 0) {
        fprintf(err, "durand inspect: %s: not an HDF5 file\n", path);
        goto done;
    }
    file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        fprintf(err, "durand inspect: %s: cannot open as HDF5\n", path);
        goto done;
    }
    if (H5Aexists(file, "durand_version") <= 0) {
        fprintf(err,
                "durand inspect: %s: not a durand result "
                "(no durand_version attribute)\n",
                path);
        goto done;
    }
    rc = summarise(file, path, out, err);
done:
    if (file >= 0) H5Fclose(file);
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, saved_func, saved_data);
    return rc;
}
