/*
 * h5_util.c — small HDF5 helpers shared by the writers of output/
 * (h5_util.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "h5_util.h"

#include <errno.h>
#include <gsl/gsl_version.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scenario.h"
#include "version.h"

hid_t dr_h5_vlen_string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

int dr_h5_attr_string(hid_t loc, const char *name, const char *value)
{
    int rc = -1;
    hid_t t = dr_h5_vlen_string_type();
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a = -1;
    if (t >= 0 && s >= 0) a = H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        const char *v = value ? value : "";
        rc = H5Awrite(a, t, &v) < 0 ? -1 : 0;
    }
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    return rc;
}

int dr_h5_attr_numeric(hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                       const void *value, size_t n)
{
    int rc = -1;
    hsize_t dim = n;
    hid_t s = n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    hid_t a = -1;
    if (s >= 0) a = H5Acreate2(loc, name, file_type, s, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) rc = H5Awrite(a, mem_type, value) < 0 ? -1 : 0;
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    return rc;
}

int dr_h5_attr_i64(hid_t loc, const char *name, int64_t v)
{
    return dr_h5_attr_numeric(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &v, 1);
}

int dr_h5_attr_u64(hid_t loc, const char *name, uint64_t v)
{
    return dr_h5_attr_numeric(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v, 1);
}

int dr_h5_attr_i32(hid_t loc, const char *name, int32_t v)
{
    return dr_h5_attr_numeric(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &v, 1);
}

int dr_h5_attr_f64(hid_t loc, const char *name, double v)
{
    return dr_h5_attr_numeric(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v, 1);
}

int dr_h5_attr_flags(hid_t loc, const char *const *names, size_t n)
{
    int8_t values[64];
    char meanings[1024] = "";
    size_t used = 0;
    if (n > sizeof values) return -1;
    for (size_t i = 0; i < n; i++) {
        values[i] = (int8_t)i;
        int k = snprintf(meanings + used, sizeof meanings - used, "%s%s", i ? " " : "",
                         names[i] ? names[i] : "unknown");
        if (k < 0 || (size_t)k >= sizeof meanings - used) return -1;
        used += (size_t)k;
    }
    if (dr_h5_attr_numeric(loc, "flag_values", H5T_STD_I8LE, H5T_NATIVE_INT8, values, n) <
        0)
        return -1;
    return dr_h5_attr_string(loc, "flag_meanings", meanings);
}

void dr_h5_iso_now(char buf[21])
{
    time_t t = time(NULL);
    const struct tm *tm = gmtime(&t);
    if (!tm || strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", tm) == 0)
        strcpy(buf, "1970-01-01T00:00:00Z");
}

int dr_h5_attr_provenance(hid_t root, const char *title, const char *comment,
                          const char *now, const char *command_line,
                          const char *durand_file)
{
    char history[4096], source[256], hdf5_version[64];
    snprintf(history, sizeof history, "%s %s", now, command_line);
    snprintf(source, sizeof source, "durand %s (%s)", DR_VERSION, DR_GIT_REVISION);
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(hdf5_version, sizeof hdf5_version, "%u.%u.%u", maj, min, rel);
    int ok = dr_h5_attr_string(root, "Conventions", "CF-1.8") >= 0 &&
             dr_h5_attr_string(root, "title", title) >= 0 &&
             dr_h5_attr_string(root, "comment", comment) >= 0 &&
             dr_h5_attr_string(root, "source", source) >= 0 &&
             dr_h5_attr_string(root, "history", history) >= 0 &&
             (!durand_file || dr_h5_attr_string(root, "durand_file", durand_file) >= 0) &&
             dr_h5_attr_string(root, "durand_version", DR_VERSION) >= 0 &&
             dr_h5_attr_string(root, "git_revision", DR_GIT_REVISION) >= 0 &&
             dr_h5_attr_string(root, "compiler", DR_COMPILER) >= 0 &&
             dr_h5_attr_string(root, "gsl_version", GSL_VERSION) >= 0 &&
             dr_h5_attr_string(root, "hdf5_version", hdf5_version) >= 0 &&
             dr_h5_attr_string(root, "libconfig_version",
                               dr_scenario_libconfig_version()) >= 0;
    return ok ? 0 : -1;
}

void dr_h5_quiet_begin(dr_h5_quiet *q)
{
    H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void dr_h5_quiet_end(const dr_h5_quiet *q)
{
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, q->func, q->data);
}

hid_t dr_h5_order_props(hid_t cls)
{
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    hid_t p = H5Pcreate(cls);
    if (p < 0) return -1;
    if (H5Pset_link_creation_order(p, order) < 0 ||
        H5Pset_attr_creation_order(p, order) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

hid_t dr_h5_create_var(hid_t loc, const dr_h5_var_spec *v)
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
    if (ok && v->chunk && !has_zero)
        ok = H5Pset_chunk(dcpl, v->rank, v->chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 &&
             H5Pset_deflate(dcpl, DR_H5_DEFLATE) >= 0;
    if (ok && is_float) {
        double fill = NAN;
        ok = H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill) >= 0;
    }
    if (ok) {
        space = H5Screate_simple(v->rank, v->size, NULL);
        type = v->file_type ? H5Tcopy(v->file_type) : dr_h5_vlen_string_type();
        ok = space >= 0 && type >= 0;
    }
    if (ok) {
        d = H5Dcreate2(loc, v->name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        ok = d >= 0;
    }
    if (ok)
        ok = dr_h5_attr_string(d, "units", v->units) >= 0 &&
             dr_h5_attr_string(d, "long_name", v->long_name) >= 0;
    if (ok && is_float) ok = dr_h5_attr_f64(d, "_FillValue", NAN) >= 0;
    for (int i = 0; ok && i < v->rank; i++)
        if (v->scale[i] >= 0) ok = H5DSattach_scale(d, v->scale[i], (unsigned)i) >= 0;
    if (dcpl >= 0) H5Pclose(dcpl);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    if (!ok) {
        if (d >= 0) H5Dclose(d);
        return -1;
    }
    return d;
}

int dr_h5_write_all(hid_t d, hid_t mem_type, const void *data)
{
    int rc = 0;
    hid_t t = mem_type ? H5Tcopy(mem_type) : dr_h5_vlen_string_type();
    if (t < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) rc = -1;
    if (t >= 0) H5Tclose(t);
    return rc;
}

void dr_h5_chunk_shape(int rank, const hsize_t *size, size_t elem, hsize_t *chunk)
{
    size_t inner = elem;
    for (int i = 1; i < rank; i++) {
        chunk[i] = size[i];
        inner *= size[i] ? (size_t)size[i] : 1;
    }
    size_t rows = DR_H5_CHUNK_BYTES / inner;
    if (rows < 1) rows = 1;
    chunk[0] = size[0] < rows ? size[0] : rows;
}

/* H5Ewalk2 callback of dr_h5_vreport's default: the innermost error as
 * "FUNC: DESC" into data[256]. */
static herr_t dr_h5_plain_error(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0)
        snprintf(data, 256, "%s: %s", e->func_name ? e->func_name : "?",
                 e->desc ? e->desc : "unknown error");
    return 0;
}

void dr_h5_vreport(FILE *err, const char *path, H5E_walk2_t detail, const char *fmt,
                   va_list ap)
{
    char what[512], why[256] = "";
    vsnprintf(what, sizeof what, fmt, ap);
    if (H5Eget_num(H5E_DEFAULT) > 0)
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, detail ? detail : dr_h5_plain_error, why);
    H5Eclear2(H5E_DEFAULT);
    if (err) {
        if (why[0])
            fprintf(err, "durand: %s: %s (HDF5 %s)\n", path, what, why);
        else
            fprintf(err, "durand: %s: %s\n", path, what);
    }
}

/* ---- the writer of sweep and comparison files ----------------------------- */

int dr_h5_writer_fail(dr_h5_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dr_h5_vreport(w->failed ? NULL : w->err, w->path, NULL, fmt, ap);
    va_end(ap);
    w->failed = 1;
    return -1;
}

hid_t dr_h5_writer_create_var(dr_h5_writer *w, hid_t loc, const dr_h5_wvar *v)
{
    hsize_t chunk[DR_H5_MAX_RANK];
    hid_t scale[DR_H5_MAX_RANK];
    if (v->chunked) {
        size_t elem = v->file_type == H5T_IEEE_F64LE  ? 8
                      : v->file_type == H5T_STD_I32LE ? 4
                                                      : 1;
        dr_h5_chunk_shape(v->rank, v->size, elem, chunk);
    }
    for (int i = 0; i < v->rank; i++) scale[i] = w->scale[v->dims[i]];
    dr_h5_var_spec s = {.name = v->name,
                        .file_type = v->file_type,
                        .rank = v->rank,
                        .size = v->size,
                        .chunk = v->chunked ? chunk : NULL,
                        .scale = scale,
                        .units = v->units,
                        .long_name = v->long_name};
    hid_t d = dr_h5_create_var(loc, &s);
    if (d < 0) dr_h5_writer_fail(w, "cannot create variable %s", v->name);
    return d;
}

int dr_h5_writer_write_var(dr_h5_writer *w, hid_t loc, const dr_h5_wvar *v,
                           hid_t mem_type, const void *data, hid_t *keep)
{
    hid_t d = dr_h5_writer_create_var(w, loc, v);
    if (d < 0) return -1;
    int rc = 0;
    size_t n = 1;
    for (int i = 0; i < v->rank; i++) n *= (size_t)v->size[i];
    if (data && n > 0) rc = dr_h5_write_all(d, mem_type, data);
    if (rc == 0 && keep) {
        *keep = d;
        return 0;
    }
    if (H5Dclose(d) < 0) rc = -1;
    if (rc < 0) return dr_h5_writer_fail(w, "cannot write variable %s", v->name);
    return 0;
}

int dr_h5_writer_coordinate(dr_h5_writer *w, int dim, const dr_h5_wvar *v, hid_t mem_type,
                            const void *data)
{
    hid_t d = -1;
    if (dr_h5_writer_write_var(w, w->file, v, mem_type, data, &d) < 0) return -1;
    w->scale[dim] = d;
    if (H5DSset_scale(d, v->name) < 0)
        return dr_h5_writer_fail(w, "cannot make %s a dimension scale", v->name);
    return 0;
}

int dr_h5_writer_write_file(const char *path, FILE *err,
                            int (*contents)(dr_h5_writer *w, const void *arg),
                            const void *arg)
{
    size_t n = strlen(path);
    char *part = malloc(n + sizeof ".part");
    if (!part) {
        if (err) fprintf(err, "durand: %s: out of memory\n", path);
        return -1;
    }
    memcpy(part, path, n);
    memcpy(part + n, ".part", sizeof ".part");
    dr_h5_writer w = {.file = -1, .path = part, .err = err};
    for (int i = 0; i < DR_H5_WRITER_DIMS; i++) w.scale[i] = -1;

    dr_h5_quiet quiet;
    dr_h5_quiet_begin(&quiet);

    int rc = -1;
    hid_t fcpl = dr_h5_order_props(H5P_FILE_CREATE);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fcpl < 0 || fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        dr_h5_writer_fail(&w, "cannot set up file properties");
    } else if ((w.file = H5Fcreate(part, H5F_ACC_TRUNC, fcpl, fapl)) < 0) {
        dr_h5_writer_fail(&w, "cannot create file");
    } else if (contents(&w, arg) == 0) {
        rc = 0;
    }
    for (int i = 0; i < DR_H5_WRITER_DIMS; i++)
        if (w.scale[i] >= 0) H5Dclose(w.scale[i]);
    if (w.file >= 0 && H5Fclose(w.file) < 0 && rc == 0)
        rc = dr_h5_writer_fail(&w, "cannot close the file");
    if (fcpl >= 0) H5Pclose(fcpl);
    if (fapl >= 0) H5Pclose(fapl);
    if (rc == 0 && rename(part, path) != 0) {
        int e = errno;
        rc = dr_h5_writer_fail(&w, "cannot rename to %s: %s", path, strerror(e));
    }
    if (rc != 0) remove(part);
    dr_h5_quiet_end(&quiet);
    free(part);
    return rc;
}

char *dr_h5_dup_string(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c) memcpy(c, s, n);
    return c;
}
