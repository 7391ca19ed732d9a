/*
 * h5_checkpoint.c — checkpoint files of one run and restarts from them
 * (h5_checkpoint.h; layout in output/SCHEMA.md, "Checkpoint files").
 *
 * The state of the world comes from the engine as a list of typed blocks
 * (dr_world_state_blocks), each stored as a 1-D dataset of /state, so this
 * file knows no field of the world. The output written so far is found by
 * walking the result file: every dataset whose dimension 0 has the `time`
 * dimension scale attached is copied (rows 0..day) into /output, and copied
 * back into the new result file on restart. The event log is recorded by
 * the checkpointer's own observer in the engine's form (dr_log_entry) and
 * replayed to the observers on restart, so the result observer rebuilds
 * its event table exactly as the uninterrupted run did.
 *
 * Integrity: a checkpoint is written to "<path>.part", flushed, fsync'ed and
 * renamed, so <path> is complete or absent; a 64-bit checksum over every
 * stored data byte (root attribute `checksum`, written last) catches a
 * damaged file, and HDF5 itself refuses a truncated one.
 */
#define _POSIX_C_SOURCE 200809L

#include "h5_checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h5_observer.h"
#include "h5_util.h"
#include "rng.h"
#include "version.h"

/* Largest buffer used to copy a time series (rows are copied in blocks). */
#define DR_CKPT_COPY_BYTES ((size_t)8 << 20)

/* One event-log row as the engine produced it; indices -1 for DR_NONE. */
typedef struct ck_log_row {
    int64_t day;
    int32_t kind;
    int64_t actor_a, actor_b, location, route;
    double value;
    char *note; /* owned */
} ck_log_row;

struct dr_h5_ckpt {
    dr_observer obs;    /* the forwarding observer; obs.ctx = this */
    dr_observer *inner; /* borrowed */
    dr_observer *h5;    /* borrowed: the result file's observer */
    char *path, *part, *output;
    int64_t every;
    FILE *err;
    ck_log_row *log; /* the event log so far */
    size_t n_log, cap_log;
    char *restore_from; /* owned: checkpoint whose output begin restores */
    int64_t restore_rows;
    int replay; /* begin replays log[0..n_log) to inner */
};

/* ---- small helpers ------------------------------------------------------ */

uint64_t dr_h5_ckpt_hash(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t k = 0; k < n; k++) {
        h ^= p[k];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* A streaming checksum over data bytes: 8-byte words mixed by multiply and
 * shift, the same whatever the pieces the bytes arrive in. */
typedef struct ck_sum {
    uint64_t h;
    uint64_t word;
    unsigned fill; /* bytes in word */
} ck_sum;

static void sum_word(ck_sum *s, uint64_t w)
{
    s->h ^= w;
    s->h *= UINT64_C(0x9E3779B97F4A7C15);
    s->h ^= s->h >> 29;
}

static void sum_add(ck_sum *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t k = 0;
    while (k < n && s->fill) {
        s->word |= (uint64_t)p[k++] << (8 * s->fill);
        if (++s->fill == 8) {
            sum_word(s, s->word);
            s->word = 0;
            s->fill = 0;
        }
    }
    for (; k + 8 <= n; k += 8) {
        uint64_t w = 0;
        for (int b = 0; b < 8; b++) w |= (uint64_t)p[k + (size_t)b] << (8 * b);
        sum_word(s, w);
    }
    for (; k < n; k++) s->word |= (uint64_t)p[k] << (8 * s->fill++);
}

static uint64_t sum_final(ck_sum *s)
{
    sum_word(s, s->word ^ ((uint64_t)s->fill << 56));
    s->word = 0;
    s->fill = 0;
    return s->h;
}

/* HDF5's innermost error of the current stack into buf[256] ("" if none). */
static herr_t first_error(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0) {
        char *buf = data;
        snprintf(buf, 256, "%s: %s", e->func_name ? e->func_name : "?",
                 e->desc ? e->desc : "unknown error");
        for (char *p = buf; *p; p++)
            if (*p == '\n' || *p == '\r') *p = ' ';
    }
    return 0;
}

/* Report "durand: FILE: what (HDF5 detail)" on err; returns `status`. */
static int report(FILE *err, int status, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dr_h5_vreport(err, file, first_error, fmt, ap);
    va_end(ap);
    return status;
}

/* Read a scalar integer attribute as int64 / uint64. Returns 0 or -1. */
static int read_i64(hid_t loc, const char *name, int64_t *v)
{
    if (H5Aexists(loc, name) <= 0) return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    int rc = a >= 0 && H5Aread(a, H5T_NATIVE_INT64, v) >= 0 ? 0 : -1;
    if (a >= 0) H5Aclose(a);
    return rc;
}

static int read_u64(hid_t loc, const char *name, uint64_t *v)
{
    if (H5Aexists(loc, name) <= 0) return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    int rc = a >= 0 && H5Aread(a, H5T_NATIVE_UINT64, v) >= 0 ? 0 : -1;
    if (a >= 0) H5Aclose(a);
    return rc;
}

/* A scalar variable-length string attribute as a malloc'd string, or NULL. */
static char *read_string(hid_t loc, const char *name)
{
    if (H5Aexists(loc, name) <= 0) return NULL;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t ft = a >= 0 ? H5Aget_type(a) : -1;
    hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
    hid_t mt = dr_h5_vlen_string_type();
    char *v = NULL, *out = NULL;
    if (ft >= 0 && sp >= 0 && mt >= 0 && H5Tget_class(ft) == H5T_STRING &&
        H5Tis_variable_str(ft) > 0 && H5Sget_simple_extent_npoints(sp) == 1 &&
        H5Aread(a, mt, &v) >= 0) {
        out = dr_h5_dup_string(v ? v : "");
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, &v);
    }
    if (mt >= 0) H5Tclose(mt);
    if (sp >= 0) H5Sclose(sp);
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    return out;
}

/* File and memory types of a state block's elements. */
static void block_types(dr_state_type t, hid_t *file, hid_t *mem, size_t *size)
{
    switch (t) {
    case DR_STATE_F64:
        *file = H5T_IEEE_F64LE, *mem = H5T_NATIVE_DOUBLE, *size = 8;
        return;
    case DR_STATE_F32:
        *file = H5T_IEEE_F32LE, *mem = H5T_NATIVE_FLOAT, *size = 4;
        return;
    case DR_STATE_I64:
        *file = H5T_STD_I64LE, *mem = H5T_NATIVE_INT64, *size = 8;
        return;
    case DR_STATE_I32:
        *file = H5T_STD_I32LE, *mem = H5T_NATIVE_INT32, *size = 4;
        return;
    case DR_STATE_I8:
        *file = H5T_STD_I8LE, *mem = H5T_NATIVE_INT8, *size = 1;
        return;
    case DR_STATE_U32:
        *file = H5T_STD_U32LE, *mem = H5T_NATIVE_UINT32, *size = 4;
        return;
    case DR_STATE_U16:
        *file = H5T_STD_U16LE, *mem = H5T_NATIVE_UINT16, *size = 2;
        return;
    case DR_STATE_U8:
    case DR_STATE_BYTES:
    case DR_STATE_TYPE_COUNT:
        break;
    }
    *file = H5T_STD_U8LE, *mem = H5T_NATIVE_UINT8, *size = 1;
}

/* Elements of a block as stored (structs as their bytes). */
static size_t block_elements(const dr_state_block *b)
{
    return b->type == DR_STATE_BYTES ? b->count * b->elem_size : b->count;
}

/* Write a 1-D dataset `name` in loc of n elements. Returns 0 or -1. */
static int write_1d(hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                    size_t n, const void *data)
{
    hsize_t dim = n;
    hid_t s = H5Screate_simple(1, &dim, NULL);
    hid_t d = s >= 0 ? H5Dcreate2(loc, name, file_type, s, H5P_DEFAULT, H5P_DEFAULT,
                                  H5P_DEFAULT)
                     : -1;
    int rc = d >= 0 && (n == 0 ||
                        H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0)
                 ? 0
                 : -1;
    if (d >= 0 && H5Dclose(d) < 0) rc = -1;
    if (s >= 0) H5Sclose(s);
    return rc;
}

/* Read the 1-D dataset `name` of loc, which must hold exactly n elements.
 * Returns 0, -1 (HDF5 error) or -2 (wrong size: not this run's state). */
static int read_1d(hid_t loc, const char *name, hid_t mem_type, size_t n, void *data)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) return -2;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    int rc = -1;
    if (s >= 0) {
        hsize_t dim = 0;
        if (H5Sget_simple_extent_ndims(s) != 1 ||
            H5Sget_simple_extent_dims(s, &dim, NULL) != 1 || dim != n)
            rc = -2;
        else
            rc = n == 0 || H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0
                     ? 0
                     : -1;
    }
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    return rc;
}

/* A group with link creation order tracked (its members are visited in
 * the order written). */
static hid_t create_group(hid_t loc, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl < 0) return -1;
    hid_t g = -1;
    if (H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >=
        0)
        g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    return g;
}

/* ---- the time series of the result file -------------------------------- */

/* Names of the datasets of `file` whose dimension 0 is the time scale, in
 * link creation order (the result file tracks it). */
typedef struct ck_names {
    char **name;
    size_t n, cap;
    hid_t time; /* the time coordinate */
    int failed;
} ck_names;

static herr_t collect_series(hid_t loc, const char *name, const H5L_info_t *info,
                             void *data)
{
    ck_names *c = data;
    (void)info;
    H5O_info_t oi;
    if (H5Oget_info_by_name(loc, name, &oi, H5P_DEFAULT) < 0) return -1;
    if (oi.type != H5O_TYPE_DATASET) return 0;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return -1;
    int take = H5DSis_scale(d) <= 0 && H5DSis_attached(d, c->time, 0) > 0;
    H5Dclose(d);
    if (!take) return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        char **grown = realloc(c->name, cap * sizeof *grown);
        if (!grown) return -1;
        c->name = grown;
        c->cap = cap;
    }
    if (!(c->name[c->n] = dr_h5_dup_string(name))) return -1;
    c->n++;
    return 0;
}

static void names_clear(ck_names *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->name[i]);
    free(c->name);
    c->name = NULL;
    c->n = c->cap = 0;
}

/* Every time series of the open result file, into *out. Returns 0 or -1. */
static int list_series(hid_t file, ck_names *out)
{
    memset(out, 0, sizeof *out);
    out->time = H5Dopen2(file, "time", H5P_DEFAULT);
    if (out->time < 0) return -1;
    hsize_t idx = 0;
    herr_t rc =
        H5Literate(file, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_series, out);
    H5Dclose(out->time);
    if (rc < 0) {
        names_clear(out);
        return -1;
    }
    return 0;
}

/*
 * Copy rows [0, rows) of dataset `name` from src into dst (both open
 * files), creating it in dst when `create` is set (dims[0] = rows), else
 * writing into the existing one, whose other dimensions must match. Sums
 * the copied bytes into *sum (may be NULL). Returns 0, -1 (HDF5 error) or
 * -2 (shapes or types do not match).
 */
static int copy_rows(hid_t src, hid_t dst, const char *name, hsize_t rows, int create,
                     ck_sum *sum)
{
    int rc = -1;
    hid_t sd = -1, ss = -1, ft = -1, mt = -1, dd = -1, ds = -1, ms = -1;
    void *buf = NULL;
    hsize_t dims[H5S_MAX_RANK], ddims[H5S_MAX_RANK];
    sd = H5Dopen2(src, name, H5P_DEFAULT);
    if (sd < 0) goto done;
    ss = H5Dget_space(sd);
    ft = H5Dget_type(sd);
    if (ss < 0 || ft < 0) goto done;
    int rank = H5Sget_simple_extent_ndims(ss);
    if (rank < 1 || H5Sget_simple_extent_dims(ss, dims, NULL) != rank) goto done;
    H5T_class_t cls = H5Tget_class(ft);
    if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || dims[0] < rows) {
        rc = -2;
        goto done;
    }
    mt = H5Tget_native_type(ft, H5T_DIR_ASCEND);
    if (mt < 0) goto done;
    if (create) {
        ddims[0] = rows;
        for (int k = 1; k < rank; k++) ddims[k] = dims[k];
        ds = H5Screate_simple(rank, ddims, NULL);
        if (ds < 0) goto done;
        dd = H5Dcreate2(dst, name, ft, ds, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    } else {
        if (H5Lexists(dst, name, H5P_DEFAULT) <= 0) {
            rc = -2;
            goto done;
        }
        dd = H5Dopen2(dst, name, H5P_DEFAULT);
        ds = dd >= 0 ? H5Dget_space(dd) : -1;
        hid_t dt = dd >= 0 ? H5Dget_type(dd) : -1;
        int same_class =
            dt >= 0 && H5Tget_class(dt) == cls && H5Tget_size(dt) == H5Tget_size(ft);
        if (dt >= 0) H5Tclose(dt);
        if (ds < 0) goto done;
        if (!same_class || H5Sget_simple_extent_ndims(ds) != rank ||
            H5Sget_simple_extent_dims(ds, ddims, NULL) != rank || ddims[0] < rows) {
            rc = -2;
            goto done;
        }
        for (int k = 1; k < rank; k++)
            if (ddims[k] != dims[k]) {
                rc = -2;
                goto done;
            }
    }
    if (dd < 0) goto done;
    size_t row = H5Tget_size(mt);
    for (int k = 1; k < rank; k++) row *= (size_t)dims[k];
    if (row == 0) {
        rc = 0;
        goto done;
    }
    hsize_t block = DR_CKPT_COPY_BYTES / row;
    if (block < 1) block = 1;
    if (block > rows) block = rows;
    buf = malloc((size_t)block * row);
    if (!buf && rows) goto done;
    for (hsize_t r0 = 0; r0 < rows; r0 += block) {
        hsize_t start[H5S_MAX_RANK] = {0}, count[H5S_MAX_RANK];
        count[0] = rows - r0 < block ? rows - r0 : block;
        start[0] = r0;
        for (int k = 1; k < rank; k++) count[k] = dims[k];
        hsize_t mdim = count[0] * (row / H5Tget_size(mt));
        ms = H5Screate_simple(1, &mdim, NULL);
        if (ms < 0 ||
            H5Sselect_hyperslab(ss, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Sselect_hyperslab(ds, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dread(sd, mt, ms, ss, H5P_DEFAULT, buf) < 0 ||
            H5Dwrite(dd, mt, ms, ds, H5P_DEFAULT, buf) < 0)
            goto done;
        if (sum) sum_add(sum, buf, (size_t)count[0] * row);
        H5Sclose(ms);
        ms = -1;
    }
    rc = 0;
done:
    free(buf);
    if (ms >= 0) H5Sclose(ms);
    if (ds >= 0) H5Sclose(ds);
    if (dd >= 0 && H5Dclose(dd) < 0) rc = -1;
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (ss >= 0) H5Sclose(ss);
    if (sd >= 0) H5Dclose(sd);
    return rc;
}

/* Sum the bytes of every dataset of /output (creation order), as the
 * writer summed them, without keeping them. Returns 0 or -1. */
static int sum_output(hid_t group, ck_sum *sum)
{
    H5G_info_t gi;
    if (H5Gget_info(group, &gi) < 0) return -1;
    for (hsize_t i = 0; i < gi.nlinks; i++) {
        char name[256];
        if (H5Lget_name_by_idx(group, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name,
                               sizeof name, H5P_DEFAULT) < 0)
            return -1;
        hid_t d = H5Dopen2(group, name, H5P_DEFAULT);
        hid_t s = d >= 0 ? H5Dget_space(d) : -1;
        hid_t ft = d >= 0 ? H5Dget_type(d) : -1;
        hid_t mt = ft >= 0 ? H5Tget_native_type(ft, H5T_DIR_ASCEND) : -1;
        hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
        size_t bytes = n >= 0 && mt >= 0 ? (size_t)n * H5Tget_size(mt) : 0;
        void *buf = bytes ? malloc(bytes) : NULL;
        int ok = d >= 0 && s >= 0 && mt >= 0 && n >= 0 && (bytes == 0 || buf) &&
                 (bytes == 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
        if (ok && bytes) sum_add(sum, buf, bytes);
        free(buf);
        if (mt >= 0) H5Tclose(mt);
        if (ft >= 0) H5Tclose(ft);
        if (s >= 0) H5Sclose(s);
        if (d >= 0) H5Dclose(d);
        if (!ok) return -1;
    }
    return 0;
}

/* ---- the forwarding observer ------------------------------------------- */

static int64_t index64(size_t i)
{
    return i == DR_NONE ? -1 : (int64_t)i;
}

static size_t index_of(int64_t i)
{
    return i < 0 ? DR_NONE : (size_t)i;
}

/* Restore the saved rows into the result file and replay the event log.
 * Returns 0 or 1 (reported). */
static int restore_output(dr_h5_ckpt *c, const dr_world *w)
{
    int rc = 1;
    hid_t out = (hid_t)dr_h5_observer_file(c->h5);
    hid_t f = -1, g = -1;
    ck_names series = {0};
    if (out < 0)
        return report(c->err, 1, c->restore_from, "no result file to restore into");
    f = H5Fopen(c->restore_from, H5F_ACC_RDONLY, H5P_DEFAULT);
    g = f >= 0 ? H5Gopen2(f, "output", H5P_DEFAULT) : -1;
    if (g < 0) {
        report(c->err, 1, c->restore_from, "cannot reopen the checkpoint");
        goto done;
    }
    if (list_series(out, &series) < 0) {
        report(c->err, 1, c->restore_from, "cannot list the result's time series");
        goto done;
    }
    for (size_t i = 0; i < series.n; i++) {
        if (H5Lexists(g, series.name[i], H5P_DEFAULT) <= 0) {
            report(c->err, 1, c->restore_from, "checkpoint has no rows of time series %s",
                   series.name[i]);
            goto done;
        }
        int k = copy_rows(g, out, series.name[i], (hsize_t)c->restore_rows, 0, NULL);
        if (k < 0) {
            report(c->err, 1, c->restore_from, "cannot restore time series %s%s",
                   series.name[i], k == -2 ? ": shape or type differs" : "");
            goto done;
        }
    }
    H5G_info_t gi;
    if (H5Gget_info(g, &gi) < 0 || gi.nlinks != series.n) {
        report(c->err, 1, c->restore_from,
               "checkpoint holds %llu time series, the result file %zu",
               (unsigned long long)gi.nlinks, series.n);
        goto done;
    }
    rc = 0;
done:
    names_clear(&series);
    if (g >= 0) H5Gclose(g);
    if (f >= 0) H5Fclose(f);
    if (rc) return rc;
    /* The event log: to the inner observers, exactly as first produced. */
    for (size_t i = 0; i < c->n_log; i++) {
        const ck_log_row *r = &c->log[i];
        dr_log_entry e = {.day = r->day,
                          .kind = r->kind,
                          .actor_a = index_of(r->actor_a),
                          .actor_b = index_of(r->actor_b),
                          .location = index_of(r->location),
                          .route = index_of(r->route),
                          .value = r->value,
                          .note = r->note};
        int k = c->inner->log ? c->inner->log(c->inner->ctx, w, &e) : 0;
        if (k) return k;
    }
    return 0;
}

static int ck_begin(void *ctx, const dr_world *w)
{
    dr_h5_ckpt *c = ctx;
    int rc = c->inner->begin ? c->inner->begin(c->inner->ctx, w) : 0;
    if (rc || !c->replay) return rc;
    c->replay = 0;
    dr_h5_quiet q;
    dr_h5_quiet_begin(&q);
    rc = restore_output(c, w);
    dr_h5_quiet_end(&q);
    return rc;
}

static int ck_tick(void *ctx, const dr_world *w, int64_t day)
{
    dr_h5_ckpt *c = ctx;
    return c->inner->tick ? c->inner->tick(c->inner->ctx, w, day) : 0;
}

/* Append a row to the recorded log. Returns 0 or -1 (out of memory). */
static int log_append(dr_h5_ckpt *c, const ck_log_row *r, const char *note)
{
    if (c->n_log == c->cap_log) {
        size_t cap = c->cap_log ? 2 * c->cap_log : 64;
        ck_log_row *grown = realloc(c->log, cap * sizeof *grown);
        if (!grown) return -1;
        c->log = grown;
        c->cap_log = cap;
    }
    ck_log_row *d = &c->log[c->n_log];
    *d = *r;
    if (!(d->note = dr_h5_dup_string(note ? note : ""))) return -1;
    c->n_log++;
    return 0;
}

static int ck_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    dr_h5_ckpt *c = ctx;
    ck_log_row r = {.day = e->day,
                    .kind = e->kind,
                    .actor_a = index64(e->actor_a),
                    .actor_b = index64(e->actor_b),
                    .location = index64(e->location),
                    .route = index64(e->route),
                    .value = e->value};
    if (log_append(c, &r, e->note) < 0) {
        if (c->err) fprintf(c->err, "durand: out of memory for the event log\n");
        return 1;
    }
    return c->inner->log ? c->inner->log(c->inner->ctx, w, e) : 0;
}

static int ck_end(void *ctx, const dr_world *w, int status)
{
    dr_h5_ckpt *c = ctx;
    return c->inner->end ? c->inner->end(c->inner->ctx, w, status) : status;
}

/* ---- create, destroy ---------------------------------------------------- */

dr_h5_ckpt *dr_h5_ckpt_create(const char *path, dr_observer *inner, dr_observer *h5,
                              const char *output, int64_t every, FILE *err)
{
    if (!path || !inner) return NULL;
    dr_h5_ckpt *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    size_t n = strlen(path);
    c->path = dr_h5_dup_string(path);
    c->part = malloc(n + sizeof ".part");
    c->output = dr_h5_dup_string(output ? output : "");
    if (!c->path || !c->part || !c->output) {
        dr_h5_ckpt_destroy(c);
        return NULL;
    }
    memcpy(c->part, path, n);
    memcpy(c->part + n, ".part", sizeof ".part");
    c->inner = inner;
    c->h5 = h5;
    c->every = every;
    c->err = err;
    c->obs = (dr_observer){
        .ctx = c, .begin = ck_begin, .tick = ck_tick, .log = ck_log, .end = ck_end};
    return c;
}

void dr_h5_ckpt_destroy(dr_h5_ckpt *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n_log; i++) free(c->log[i].note);
    free(c->log);
    free(c->restore_from);
    free(c->path);
    free(c->part);
    free(c->output);
    free(c);
}

dr_observer *dr_h5_ckpt_observer(dr_h5_ckpt *c)
{
    return &c->obs;
}

/* ---- write -------------------------------------------------------------- */

/* The event-log columns of /log, in a fixed order. */
enum {
    CK_LOG_DAY = 0,
    CK_LOG_KIND,
    CK_LOG_A,
    CK_LOG_B,
    CK_LOG_LOCATION,
    CK_LOG_ROUTE,
    CK_LOG_VALUE,
    CK_LOG_COLUMNS
};
static const char *const ck_log_names[CK_LOG_COLUMNS] = {
    "day", "kind", "actor_a", "actor_b", "location", "route", "value"};

/* Write the log columns into group g, summing them. Returns 0 or -1. */
static int write_log(const dr_h5_ckpt *c, hid_t g, ck_sum *sum)
{
    const size_t n = c->n_log;
    int64_t *i64 = malloc((n ? n : 1) * sizeof *i64);
    const char **str = malloc((n ? n : 1) * sizeof *str);
    int rc = i64 && str ? 0 : -1;
    for (int k = 0; rc == 0 && k < CK_LOG_COLUMNS; k++) {
        for (size_t i = 0; i < n; i++) {
            const ck_log_row *r = &c->log[i];
            double v = r->value;
            switch (k) {
            case CK_LOG_DAY:
                i64[i] = r->day;
                break;
            case CK_LOG_KIND:
                i64[i] = r->kind;
                break;
            case CK_LOG_A:
                i64[i] = r->actor_a;
                break;
            case CK_LOG_B:
                i64[i] = r->actor_b;
                break;
            case CK_LOG_LOCATION:
                i64[i] = r->location;
                break;
            case CK_LOG_ROUTE:
                i64[i] = r->route;
                break;
            default:
                memcpy(&i64[i], &v, sizeof v);
                break;
            }
        }
        int is_value = k == CK_LOG_VALUE;
        rc = write_1d(g, ck_log_names[k], is_value ? H5T_IEEE_F64LE : H5T_STD_I64LE,
                      is_value ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, n, i64);
        sum_add(sum, i64, n * sizeof *i64);
    }
    if (rc == 0) {
        for (size_t i = 0; i < n; i++) {
            str[i] = c->log[i].note;
            sum_add(sum, str[i], strlen(str[i]) + 1);
        }
        hid_t t = dr_h5_vlen_string_type();
        rc = t >= 0 ? write_1d(g, "note", t, t, n, str) : -1;
        if (t >= 0) H5Tclose(t);
    }
    free(i64);
    free(str);
    return rc;
}

/* fsync a file or directory by path. Returns 0 or -1 (errno set). */
static int sync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

int dr_h5_ckpt_write(dr_h5_ckpt *c, dr_world *w)
{
    dr_h5_quiet q;
    dr_h5_quiet_begin(&q);
    int ok = 1;
    const char *what = "cannot create the file";
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t f = -1, g = -1, b = -1, o = -1, l = -1;
    ck_sum sum = {0};
    ck_names series = {0};
    ok = fcpl >= 0 && fapl >= 0 &&
         H5Pset_link_creation_order(fcpl,
                                    H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0 &&
         H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0;
    if (ok) f = H5Fcreate(c->part, H5F_ACC_TRUNC, fcpl, fapl);
    ok = ok && f >= 0;

    /* Identity. */
    const dr_scenario *sc = w->sc;
    if (ok) {
        what = "cannot write the identity";
        ok = dr_h5_attr_string(f, "format", DR_H5_CKPT_FORMAT) >= 0 &&
             dr_h5_attr_i64(f, "format_version", DR_H5_CKPT_FORMAT_VERSION) >= 0 &&
             dr_h5_attr_string(f, "durand_version", DR_VERSION) >= 0 &&
             dr_h5_attr_string(f, "git_revision", DR_GIT_REVISION) >= 0 &&
             dr_h5_attr_u64(f, "layout", dr_world_state_layout()) >= 0 &&
             dr_h5_attr_string(f, "scenario_path", sc->path) >= 0 &&
             dr_h5_attr_string(f, "scenario_text", sc->text) >= 0 &&
             dr_h5_attr_u64(f, "scenario_hash",
                            dr_h5_ckpt_hash(sc->text, strlen(sc->text))) >= 0 &&
             dr_h5_attr_u64(f, "seed", w->seed) >= 0 &&
             dr_h5_attr_i64(f, "replication", (int64_t)w->replication) >= 0 &&
             dr_h5_attr_i64(f, "days", sc->meta.days) >= 0 &&
             dr_h5_attr_i64(f, "day", w->day) >= 0 &&
             dr_h5_attr_i64(f, "checkpoint_every", c->every) >= 0 &&
             dr_h5_attr_string(f, "output", c->output) >= 0;
        hid_t t = ok ? dr_h5_vlen_string_type() : -1;
        ok = ok && t >= 0 &&
             write_1d(f, "overrides", t, t, sc->n_overrides,
                      (const void *)sc->overrides) >= 0;
        if (t >= 0) H5Tclose(t);
    }

    /* State. */
    dr_state_block blocks[DR_STATE_MAX_BLOCKS];
    size_t nb = dr_world_state_blocks(w, blocks);
    if (ok) {
        what = "cannot write the world state";
        g = create_group(f, "state");
        b = g >= 0 ? create_group(f, "state_base") : -1;
        dr_state_counts cn;
        dr_world_state_counts(w, &cn);
        ok = g >= 0 && b >= 0 && dr_h5_attr_i64(g, "day", cn.day) >= 0 &&
             dr_h5_attr_i64(g, "next_event", cn.next_event) >= 0 &&
             dr_h5_attr_i64(g, "n_pending", cn.n_pending) >= 0 &&
             dr_h5_attr_i64(g, "n_agents", cn.n_agents) >= 0 &&
             dr_h5_attr_i64(g, "n_initial", cn.n_initial) >= 0 &&
             dr_h5_attr_i64(g, "n_spawned", cn.n_spawned) >= 0 &&
             dr_h5_attr_i64(g, "civ_dead", cn.civ_dead) >= 0;
        sum_add(&sum, &cn, sizeof cn);
    }
    for (size_t k = 0; ok && k < nb; k++) {
        hid_t ft, mt;
        size_t size;
        block_types(blocks[k].type, &ft, &mt, &size);
        size_t n = block_elements(&blocks[k]);
        ok = write_1d(g, blocks[k].name, ft, mt, n, blocks[k].data) >= 0;
        sum_add(&sum, blocks[k].data, n * size);
        if (ok && blocks[k].base) {
            ok = write_1d(b, blocks[k].name, ft, mt, n, blocks[k].base) >= 0;
            sum_add(&sum, blocks[k].base, n * size);
        }
    }

    /* Output so far: every time series of the result file, rows 0..day. */
    hid_t out = c->h5 ? (hid_t)dr_h5_observer_file(c->h5) : -1;
    if (ok) {
        what = "cannot copy the result's time series";
        o = create_group(f, "output");
        ok = o >= 0 && dr_h5_attr_i64(o, "rows", w->day + 1) >= 0;
        if (ok && out >= 0) {
            ok = H5Fflush(out, H5F_SCOPE_LOCAL) >= 0 && list_series(out, &series) >= 0;
            for (size_t i = 0; ok && i < series.n; i++)
                ok = copy_rows(out, o, series.name[i], (hsize_t)(w->day + 1), 1, &sum) ==
                     0;
        }
    }

    /* Event log so far. */
    if (ok) {
        what = "cannot write the event log";
        l = create_group(f, "log");
        ok = l >= 0 && dr_h5_attr_i64(l, "rows", (int64_t)c->n_log) >= 0 &&
             write_log(c, l, &sum) >= 0;
    }
    if (ok) {
        what = "cannot write the checksum";
        ok = dr_h5_attr_u64(f, "checksum", sum_final(&sum)) >= 0;
    }
    names_clear(&series);
    if (l >= 0) H5Gclose(l);
    if (o >= 0) H5Gclose(o);
    if (b >= 0) H5Gclose(b);
    if (g >= 0) H5Gclose(g);
    if (fcpl >= 0) H5Pclose(fcpl);
    if (fapl >= 0) H5Pclose(fapl);
    if (f >= 0 && H5Fclose(f) < 0 && ok) {
        ok = 0;
        what = "cannot close the file";
    }
    int rc = 0;
    if (!ok) {
        rc = report(c->err, 1, c->part, "checkpoint of day %lld: %s", (long long)w->day,
                    what);
        if (f >= 0) remove(c->part);
    } else if (sync_path(c->part, 0) != 0 || rename(c->part, c->path) != 0) {
        int e = errno;
        remove(c->part);
        rc = report(c->err, 1, c->path, "checkpoint of day %lld: %s", (long long)w->day,
                    strerror(e));
    } else {
        /* The rename itself reaches the disk with the directory. */
        char dir[4096];
        const char *slash = strrchr(c->path, '/');
        size_t n = slash ? (size_t)(slash - c->path) : 0;
        if (!slash)
            strcpy(dir, ".");
        else if (n == 0)
            strcpy(dir, "/");
        else if (n < sizeof dir) {
            memcpy(dir, c->path, n);
            dir[n] = '\0';
        }
        if (!slash || n < sizeof dir) (void)sync_path(dir, 1);
    }
    dr_h5_quiet_end(&q);
    return rc;
}

/* ---- read --------------------------------------------------------------- */

void dr_h5_ckpt_info_clear(dr_h5_ckpt_info *info)
{
    free(info->durand_version);
    free(info->git_revision);
    free(info->scenario_path);
    free(info->scenario_text);
    for (size_t i = 0; i < info->n_overrides; i++) free(info->overrides[i]);
    free(info->overrides);
    free(info->output);
    memset(info, 0, sizeof *info);
}

/* Read the overrides dataset into info. Returns 0 or -1. */
static int read_overrides(hid_t f, dr_h5_ckpt_info *info)
{
    hid_t d = H5Dopen2(f, "overrides", H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hid_t t = dr_h5_vlen_string_type();
    int rc = -1;
    hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    if (d >= 0 && t >= 0 && n >= 0) {
        char **v = calloc((size_t)n + 1, sizeof *v);
        info->overrides = calloc((size_t)n + 1, sizeof *info->overrides);
        if (v && info->overrides &&
            (n == 0 || H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0)) {
            rc = 0;
            for (hssize_t i = 0; i < n; i++) {
                info->overrides[i] = dr_h5_dup_string(v[i] ? v[i] : "");
                if (!info->overrides[i]) rc = -1;
                info->n_overrides++;
            }
            if (n) H5Dvlen_reclaim(t, s, H5P_DEFAULT, v);
        }
        free(v);
    }
    if (t >= 0) H5Tclose(t);
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    return rc;
}

int dr_h5_ckpt_read_info(const char *path, dr_h5_ckpt_info *info, FILE *err)
{
    memset(info, 0, sizeof *info);
    if (access(path, R_OK) != 0) {
        int e = errno;
        if (err)
            fprintf(err, "durand: %s: cannot read the checkpoint: %s\n", path,
                    strerror(e));
        return DR_EXIT_INPUT;
    }
    dr_h5_quiet q;
    dr_h5_quiet_begin(&q);
    int rc = DR_EXIT_INPUT;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        report(err, rc, path,
               "not a readable HDF5 file (truncated or damaged?): expected a durand "
               "checkpoint");
        goto done;
    }
    char *format = read_string(f, "format");
    int64_t version = 0, replication = -1;
    int is_ckpt = format && !strcmp(format, DR_H5_CKPT_FORMAT);
    free(format);
    if (!is_ckpt) {
        report(err, rc, path, "not a durand checkpoint (no format = \"%s\" attribute)",
               DR_H5_CKPT_FORMAT);
        goto done;
    }
    if (read_i64(f, "format_version", &version) < 0 ||
        version != DR_H5_CKPT_FORMAT_VERSION) {
        report(err, rc, path, "checkpoint format_version %lld: expected %d",
               (long long)version, DR_H5_CKPT_FORMAT_VERSION);
        goto done;
    }
    uint64_t checksum = 0;
    info->durand_version = read_string(f, "durand_version");
    info->git_revision = read_string(f, "git_revision");
    info->scenario_path = read_string(f, "scenario_path");
    info->scenario_text = read_string(f, "scenario_text");
    info->output = read_string(f, "output");
    if (!info->durand_version || !info->git_revision || !info->scenario_path ||
        !info->scenario_text || !info->output ||
        read_u64(f, "layout", &info->layout) < 0 ||
        read_u64(f, "scenario_hash", &info->scenario_hash) < 0 ||
        read_u64(f, "seed", &info->seed) < 0 ||
        read_i64(f, "replication", &replication) < 0 ||
        read_i64(f, "days", &info->days) < 0 || read_i64(f, "day", &info->day) < 0 ||
        read_i64(f, "checkpoint_every", &info->checkpoint_every) < 0 ||
        read_overrides(f, info) < 0 || read_u64(f, "checksum", &checksum) < 0) {
        report(err, rc, path,
               "incomplete checkpoint (an attribute or the overrides "
               "are missing)");
        goto done;
    }
    if (replication < 0 || replication > (int64_t)DR_RNG_REPLICATION_MAX ||
        info->day < 0 || info->day >= info->days) {
        report(err, rc, path, "damaged checkpoint: replication %lld, day %lld of %lld",
               (long long)replication, (long long)info->day, (long long)info->days);
        goto done;
    }
    info->replication = (uint32_t)replication;
    if (dr_h5_ckpt_hash(info->scenario_text, strlen(info->scenario_text)) !=
        info->scenario_hash) {
        report(err, rc, path,
               "damaged checkpoint: the scenario text does not match "
               "its hash");
        goto done;
    }
    rc = 0;
done:
    if (f >= 0) H5Fclose(f);
    dr_h5_quiet_end(&q);
    if (rc) dr_h5_ckpt_info_clear(info);
    return rc;
}

int dr_h5_ckpt_check(const char *path, const dr_h5_ckpt_info *info, const dr_scenario *sc,
                     uint64_t seed, uint32_t replication, FILE *err)
{
#define CK_REFUSE(...)                                                                   \
    do {                                                                                 \
        if (err) {                                                                       \
            fprintf(err, "durand: %s: cannot restart: ", path);                          \
            fprintf(err, __VA_ARGS__);                                                   \
            fputc('\n', err);                                                            \
        }                                                                                \
        return DR_EXIT_INPUT;                                                            \
    } while (0)
    if (strcmp(info->durand_version, DR_VERSION) ||
        strcmp(info->git_revision, DR_GIT_REVISION))
        CK_REFUSE("written by durand %s (%s), this is durand %s (%s)",
                  info->durand_version, info->git_revision, DR_VERSION, DR_GIT_REVISION);
    if (info->layout != dr_world_state_layout())
        CK_REFUSE("state layout %016llx differs from this build's %016llx",
                  (unsigned long long)info->layout,
                  (unsigned long long)dr_world_state_layout());
    if (strcmp(info->scenario_text, sc->text))
        CK_REFUSE("scenario %s differs from the one the checkpoint was written from "
                  "(%s, text hash %016llx, now %016llx)",
                  sc->path, info->scenario_path, (unsigned long long)info->scenario_hash,
                  (unsigned long long)dr_h5_ckpt_hash(sc->text, strlen(sc->text)));
    if (info->seed != seed)
        CK_REFUSE("seed %llu, the checkpoint's run had seed %llu",
                  (unsigned long long)seed, (unsigned long long)info->seed);
    if (info->replication != replication)
        CK_REFUSE("replication %u, the checkpoint's run had replication %u", replication,
                  info->replication);
    size_t n = info->n_overrides < sc->n_overrides ? info->n_overrides : sc->n_overrides;
    for (size_t i = 0; i < n; i++)
        if (strcmp(info->overrides[i], sc->overrides[i]))
            CK_REFUSE("override %zu is -s %s, the checkpoint's -s %s", i + 1,
                      sc->overrides[i], info->overrides[i]);
    if (info->n_overrides != sc->n_overrides)
        CK_REFUSE("%zu overrides given, the checkpoint's run had %zu", sc->n_overrides,
                  info->n_overrides);
    if (info->days != sc->meta.days)
        CK_REFUSE("scenario.days = %lld, the checkpoint's run had %lld",
                  (long long)sc->meta.days, (long long)info->days);
#undef CK_REFUSE
    return 0;
}

/* Read /log into c->log, summing as the writer did. Returns 0, -1 (HDF5
 * error or damage) or -3 (out of memory). */
static int read_log(dr_h5_ckpt *c, hid_t g, ck_sum *sum)
{
    int64_t rows = -1;
    if (read_i64(g, "rows", &rows) < 0 || rows < 0) return -1;
    const size_t n = (size_t)rows;
    int64_t *col[CK_LOG_COLUMNS] = {0};
    char **note = calloc(n + 1, sizeof *note);
    int rc = note ? 0 : -3;
    for (int k = 0; rc == 0 && k < CK_LOG_COLUMNS; k++) {
        col[k] = malloc((n + 1) * sizeof *col[k]);
        if (!col[k]) {
            rc = -3;
            break;
        }
        int is_value = k == CK_LOG_VALUE;
        if (read_1d(g, ck_log_names[k], is_value ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64,
                    n, col[k]) != 0)
            rc = -1;
        else
            sum_add(sum, col[k], n * sizeof *col[k]);
    }
    hid_t t = dr_h5_vlen_string_type();
    if (rc == 0 && (t < 0 || read_1d(g, "note", t, n, note) != 0)) rc = -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *s = note[i] ? note[i] : "";
        sum_add(sum, s, strlen(s) + 1);
        ck_log_row r = {.day = col[CK_LOG_DAY][i],
                        .kind = (int32_t)col[CK_LOG_KIND][i],
                        .actor_a = col[CK_LOG_A][i],
                        .actor_b = col[CK_LOG_B][i],
                        .location = col[CK_LOG_LOCATION][i],
                        .route = col[CK_LOG_ROUTE][i]};
        memcpy(&r.value, &col[CK_LOG_VALUE][i], sizeof r.value);
        if (log_append(c, &r, s) < 0) rc = -3;
    }
    if (t >= 0 && n) {
        hsize_t dim = n;
        hid_t s = H5Screate_simple(1, &dim, NULL);
        if (s >= 0) {
            H5Dvlen_reclaim(t, s, H5P_DEFAULT, note);
            H5Sclose(s);
        }
    }
    if (t >= 0) H5Tclose(t);
    for (int k = 0; k < CK_LOG_COLUMNS; k++) free(col[k]);
    free(note);
    return rc;
}

int dr_h5_ckpt_restore(dr_h5_ckpt *c, const char *path, dr_world *w)
{
    dr_h5_quiet q;
    dr_h5_quiet_begin(&q);
    int rc = DR_EXIT_INPUT;
    const char *what = "";
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t g = f >= 0 ? H5Gopen2(f, "state", H5P_DEFAULT) : -1;
    hid_t b = f >= 0 ? H5Gopen2(f, "state_base", H5P_DEFAULT) : -1;
    hid_t o = f >= 0 ? H5Gopen2(f, "output", H5P_DEFAULT) : -1;
    hid_t l = f >= 0 ? H5Gopen2(f, "log", H5P_DEFAULT) : -1;
    unsigned char *saved = NULL, *saved_base = NULL;
    ck_sum sum = {0};
    uint64_t checksum = 0;
    if (g < 0 || b < 0 || o < 0 || l < 0 || read_u64(f, "checksum", &checksum) < 0) {
        what = "not a complete durand checkpoint";
        goto done;
    }
    dr_state_counts cn;
    if (read_i64(g, "day", &cn.day) < 0 ||
        read_i64(g, "next_event", &cn.next_event) < 0 ||
        read_i64(g, "n_pending", &cn.n_pending) < 0 ||
        read_i64(g, "n_agents", &cn.n_agents) < 0 ||
        read_i64(g, "n_initial", &cn.n_initial) < 0 ||
        read_i64(g, "n_spawned", &cn.n_spawned) < 0 ||
        read_i64(g, "civ_dead", &cn.civ_dead) < 0) {
        what = "the state's counts are missing";
        goto done;
    }
    sum_add(&sum, &cn, sizeof cn);
    int k = dr_world_state_prepare(w, &cn);
    if (k == -2) {
        rc = 1;
        what = "out of memory for the agents";
        goto done;
    }
    if (k < 0 || cn.day < 0) {
        what = "the state's counts do not fit this scenario (damaged?)";
        goto done;
    }
    dr_state_block blocks[DR_STATE_MAX_BLOCKS];
    size_t nb = dr_world_state_blocks(w, blocks);
    H5G_info_t gi;
    if (H5Gget_info(g, &gi) < 0 || gi.nlinks != nb) {
        what = "the state has another set of blocks than this build's";
        goto done;
    }
    for (size_t i = 0; i < nb; i++) {
        const dr_state_block *s = &blocks[i];
        hid_t ft, mt;
        size_t size;
        block_types(s->type, &ft, &mt, &size);
        (void)ft;
        const size_t n = block_elements(s), bytes = n * size;
        if (!s->base) {
            if (read_1d(g, s->name, mt, n, s->data) != 0) {
                what = s->name;
                goto bad_block;
            }
            sum_add(&sum, s->data, bytes);
            continue;
        }
        saved = malloc(bytes ? bytes : 1);
        saved_base = malloc(bytes ? bytes : 1);
        if (!saved || !saved_base) {
            rc = 1;
            what = "out of memory";
            goto done;
        }
        if (read_1d(g, s->name, mt, n, saved) != 0 ||
            read_1d(b, s->name, mt, n, saved_base) != 0) {
            what = s->name;
            goto bad_block;
        }
        sum_add(&sum, saved, bytes);
        sum_add(&sum, saved_base, bytes);
        dr_world_state_merge(s->data, saved, saved_base, s->base, bytes);
        free(saved);
        free(saved_base);
        saved = saved_base = NULL;
    }
    int64_t rows = -1;
    if (read_i64(o, "rows", &rows) < 0 || rows != cn.day + 1 || sum_output(o, &sum) < 0) {
        what = "the saved output cannot be read";
        goto done;
    }
    k = read_log(c, l, &sum);
    if (k == -3) {
        rc = 1;
        what = "out of memory for the event log";
        goto done;
    }
    if (k < 0) {
        what = "the saved event log cannot be read";
        goto done;
    }
    if (sum_final(&sum) != checksum) {
        what = "checksum mismatch: the checkpoint is damaged";
        goto done;
    }
    k = dr_world_state_finish(w);
    if (k == -2) {
        rc = 1;
        what = "out of memory";
        goto done;
    }
    if (k < 0) {
        what = "the saved state is not valid for this scenario";
        goto done;
    }
    free(c->restore_from);
    c->restore_from = dr_h5_dup_string(path);
    if (!c->restore_from) {
        rc = 1;
        what = "out of memory";
        goto done;
    }
    c->restore_rows = rows;
    c->replay = 1;
    rc = 0;
    goto done;
bad_block:
    report(c->err, rc, path, "state block %s is missing, of the wrong size or unreadable",
           what);
    what = NULL;
done:
    if (rc && what) report(c->err, rc, path, "cannot restart: %s", what);
    free(saved);
    free(saved_base);
    if (l >= 0) H5Gclose(l);
    if (o >= 0) H5Gclose(o);
    if (b >= 0) H5Gclose(b);
    if (g >= 0) H5Gclose(g);
    if (f >= 0) H5Fclose(f);
    dr_h5_quiet_end(&q);
    return rc;
}
