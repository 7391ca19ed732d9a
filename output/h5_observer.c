/*
 * h5_observer.c — the observer that writes one run as an HDF5 file that
 * reads as netCDF-4/CF (xarray, h5py, ncdump). The layout is documented in
 * output/SCHEMA.md; keep the two in step.
 *
 * Life of a file:
 *   begin  creates "<path>.part", writes the root attributes, the
 *          coordinate variables, the static per-entity variables, and
 *          creates the fixed-size time series (one row per scenario day);
 *   tick   writes row `day` of every time series (a hyperslab);
 *   log    copies the event row into a memory buffer (the only memory that
 *          grows during a run: the number of rows is unknown until the end);
 *   end    writes the event log and wall_time_end, closes the file and
 *          renames it to <path> when the status is 0; otherwise, or after
 *          any HDF5 error, removes the .part file.
 *
 * HDF5's automatic error printing is switched off inside every callback
 * (and restored afterwards, so other HDF5 users in the process are not
 * affected); errors are reported as one line on `err`.
 *
 * Invariants the readers rely on: every dimension is a coordinate variable
 * made a dimension scale and attached to every variable using it; link and
 * attribute creation order are tracked and indexed on the file and on every
 * dataset; datasets hold nothing that depends on time of day or on the
 * thread count (those go into root attributes only), so h5diff of two runs
 * with different thread counts compares equal.
 */
#include "h5_observer.h"

#include <errno.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h5_util.h"
#include "interventions.h"
#include "version.h"

/* Chunk length of the event log columns (rows); the time series are
 * chunked by DR_H5_CHUNK_BYTES (h5_util.h). */
#define DR_H5_EVENT_CHUNK ((size_t)4096)
/* Rows of the time coordinate written per H5Dwrite at begin. */
#define DR_H5_TIME_BLOCK ((size_t)1024)

/* The time series, one dataset each, in creation order. */
enum dr_h5_series {
    DR_H5_TENSION = 0,
    DR_H5_TRUST,
    DR_H5_COORDINATION,
    DR_H5_INTERDEPENDENCE,
    DR_H5_INTENSITY,
    DR_H5_DANGER,
    DR_H5_DEATHS,
    DR_H5_CROSSING_STATUS,
    DR_H5_PERSONNEL,
    DR_H5_FATALITIES,
    DR_H5_CIVILIAN_DEATHS,
    DR_H5_CLASHES,
    DR_H5_ATTACKS,
    DR_H5_STRIKES,
    DR_H5_POSTURE,
    DR_H5_FORCES,
    DR_H5_PROJECT_DAMAGE,
    DR_H5_FATALITIES_BY_LOCATION,
    /* Civilian agents (MODEL.md §2 phase 7), in persons. */
    DR_H5_CIVILIANS,
    DR_H5_CIVILIANS_ON_ROUTE,
    DR_H5_ROUTE_FLOW,
    DR_H5_CROSSING_FLOW,
    DR_H5_RETURNS,
    DR_H5_DEPORTATIONS,
    DR_H5_CIVILIAN_AGENT_DEATHS,
    DR_H5_CIVILIAN_AGENT_DEATHS_ON_ROUTE,
    DR_H5_MOBILISED,
    DR_H5_DISPLACED,
    DR_H5_RETURNS_CUMULATIVE,
    DR_H5_DEPORTATIONS_CUMULATIVE,
    /* External powers (phase 9) and interventions (phase 2, MODEL.md §3). */
    DR_H5_INVOLVEMENT,
    DR_H5_THREAT,
    DR_H5_ALIGNMENT,
    DR_H5_CEASEFIRE,
    DR_H5_INTERVENTION_ACTIVE,
    DR_H5_INTERVENTION_PROGRESS,
    DR_H5_INTERVENTION_COST,
    DR_H5_INTERVENTION_ROUNDS,
    DR_H5_INTERVENTION_AGREEMENTS,
    DR_H5_RECRUITED,
    DR_H5_SERIES_COUNT
};

/* The dimensions, in creation order of their coordinate variables. */
enum dr_h5_dim {
    DR_H5_DIM_TIME = 0,
    DR_H5_DIM_ACTOR,
    DR_H5_DIM_DYAD,
    DR_H5_DIM_LOCATION,
    DR_H5_DIM_CROSSING,
    DR_H5_DIM_EVENT,
    DR_H5_DIM_ROUTE,        /* every route (roads, crossings, informal routes) */
    DR_H5_DIM_STATUS,       /* civilian status (dr_agent_status) */
    DR_H5_DIM_DIRECTION,    /* from_to, to_from: direction of travel on a route */
    DR_H5_DIM_INTERVENTION, /* scenario interventions, in scenario order (may be 0) */
    DR_H5_DIM_COUNT
};

/* One buffered row of the event log, already in file types. */
typedef struct dr_h5_event_row {
    int32_t day;                                  /* days since start_date */
    int8_t kind;                                  /* dr_log_kind */
    int32_t actor_a, actor_b, location, crossing; /* indices, -1 = none */
    double value;
    char *note; /* owned copy */
} dr_h5_event_row;

typedef struct dr_h5_observer {
    dr_observer obs;    /* first member: the public face; obs.ctx = this */
    char *path;         /* owned: the target */
    char *part;         /* owned: path + ".part" */
    char *command_line; /* owned copy of info->command_line, or NULL */
    int mpi_ranks;
    FILE *err; /* borrowed */

    hid_t file;                         /* open between begin and end, else -1 */
    hid_t scale[DR_H5_DIM_COUNT];       /* open coordinate variables, or -1 */
    hid_t series[DR_H5_SERIES_COUNT];   /* open time series, or -1 */
    int rank[DR_H5_SERIES_COUNT];       /* 1 (time), 2 (time, entity) or 3 */
    size_t cols[DR_H5_SERIES_COUNT][2]; /* length of each entity axis */
    size_t width[DR_H5_SERIES_COUNT];   /* elements per row (product of cols) */
    int64_t days;                       /* rows of every time series */
    /* Rows of each series wait in memory until a whole chunk's rows (or the
     * run's end, or a checkpoint) are there, then go out in one write:
     * one H5Dwrite per chunk instead of one per day. */
    unsigned char *buf[DR_H5_SERIES_COUNT]; /* [brows * width * belem] */
    size_t brows[DR_H5_SERIES_COUNT];       /* rows a buffer holds (chunk rows) */
    size_t belem[DR_H5_SERIES_COUNT];       /* bytes per element in memory */
    hid_t btype[DR_H5_SERIES_COUNT];        /* memory type of the buffered rows */
    int64_t bfirst[DR_H5_SERIES_COUNT];     /* day of the first buffered row */
    size_t bn[DR_H5_SERIES_COUNT];          /* rows buffered */
    int64_t cum_day;                        /* day of the running totals, -1: none */
    int64_t cum_returns, cum_deported;      /* returns/deportations_cumulative */

    double *row;               /* [max width] scratch row, allocated at begin */
    int8_t *row8;              /* [n_crossings] scratch row of status codes */
    int32_t *row32;            /* [max(n_dyads, n_interventions)] scratch row */
    int64_t *row64;            /* [max width of the civilian series] scratch */
    size_t *crossing_of_route; /* [n_routes]: crossing index or DR_NONE */
    size_t n_routes;

    dr_h5_event_row *events; /* the event log, grown by doubling */
    size_t n_events, cap_events;

    int failed; /* an error happened: the output is discarded */
    int ended;  /* end() ran */

    dr_h5_quiet quiet; /* HDF5's error printer, restored after calls */
} dr_h5_observer;

/* ---- small helpers --------------------------------------------------- */

/* H5Ewalk2 callback: keep the innermost error (the first one walking
 * upward), which says what actually went wrong. */
static herr_t first_error(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0) {
        char *buf = data;
        const char *func = e->func_name ? e->func_name : "?";
        const char *desc = e->desc ? e->desc : "unknown error";
        /* A failed system call is described in a long, multi-line text
         * ("file write failed: time = ..., errno = 28, error message = 'No
         * space left on device', ..."): keep its head and errno's words. */
        const char *msg = strstr(desc, "error message = '");
        const char *colon = strchr(desc, ':');
        if (msg && colon) {
            msg += strlen("error message = '");
            const char *q = strchr(msg, '\'');
            snprintf(buf, 256, "%s: %.*s: %.*s", func, (int)(colon - desc), desc,
                     q ? (int)(q - msg) : 80, msg);
        } else {
            snprintf(buf, 256, "%s: %s", func, desc);
        }
        for (char *p = buf; *p; p++)
            if (*p == '\n' || *p == '\r') *p = ' ';
    }
    return 0;
}

/*
 * Report an error as one line on err: what we were doing (printf-style),
 * followed by HDF5's innermost error message when the HDF5 error stack has
 * one. Marks the observer failed. Returns -1 so callers can `return fail()`.
 */
static int fail(dr_h5_observer *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dr_h5_vreport(h->err, h->part, first_error, fmt, ap);
    va_end(ap);
    h->failed = 1;
    return -1;
}

/* ---- variables ------------------------------------------------------- */

/* Description of a variable to create. */
typedef struct dr_h5_var {
    const char *name;
    hid_t file_type;  /* H5T_IEEE_F64LE, H5T_STD_I32LE, H5T_STD_I8LE, or
                         0 for a variable-length string */
    int rank;         /* 1, 2 or 3 */
    int dims[3];      /* enum dr_h5_dim of each axis */
    hsize_t size[3];  /* length of each axis */
    int chunked;      /* chunk + shuffle + deflate (when no axis is 0) */
    hsize_t chunk[3]; /* chunk shape when chunked */
    const char *units;
    const char *long_name;
} dr_h5_var;

/*
 * Create a dataset as described, with attribute creation order tracked,
 * object times off (so two runs give the same object headers), a NaN fill
 * value and `_FillValue` for floating point, and the `units` and
 * `long_name` attributes. Variables along a dimension whose scale exists
 * are attached to it; the caller attaches coordinate variables to nothing
 * (they are the scales). Returns the open dataset, or -1 (reported).
 */
static hid_t create_var(dr_h5_observer *h, const dr_h5_var *v)
{
    hid_t scale[DR_H5_MAX_RANK];
    for (int i = 0; i < v->rank; i++) scale[i] = h->scale[v->dims[i]];
    dr_h5_var_spec s = {.name = v->name,
                        .file_type = v->file_type,
                        .rank = v->rank,
                        .size = v->size,
                        .chunk = v->chunked ? v->chunk : NULL,
                        .scale = scale,
                        .units = v->units,
                        .long_name = v->long_name};
    hid_t d = dr_h5_create_var(h->file, &s);
    if (d < 0) fail(h, "cannot create variable %s", v->name);
    return d;
}

/* Write a whole 1-D variable from memory (mem_type describes data) and
 * close it. An empty variable is created but not written. Returns 0/-1. */
static int write_static(dr_h5_observer *h, const dr_h5_var *v, hid_t mem_type,
                        const void *data)
{
    hid_t d = create_var(h, v);
    if (d < 0) return -1;
    int rc = v->size[0] > 0 ? dr_h5_write_all(d, mem_type, data) : 0;
    if (H5Dclose(d) < 0) rc = -1;
    if (rc < 0) return fail(h, "cannot write variable %s", v->name);
    return 0;
}

/* Create the coordinate variable of dimension `dim` from v, write its
 * values (data, mem_type as in write_static; data may be NULL when the
 * caller writes it), and make it a dimension scale named after itself.
 * The dataset stays open in h->scale[dim] for attaching. Returns 0/-1. */
static int create_coordinate(dr_h5_observer *h, int dim, const dr_h5_var *v,
                             hid_t mem_type, const void *data)
{
    hid_t d = create_var(h, v);
    if (d < 0) return -1;
    h->scale[dim] = d;
    if (data && v->size[0] > 0 && dr_h5_write_all(d, mem_type, data) < 0)
        return fail(h, "cannot write coordinate %s", v->name);
    if (H5DSset_scale(d, v->name) < 0)
        return fail(h, "cannot make %s a dimension scale", v->name);
    return 0;
}

/* Chunk rows of a (time, n) series so that a chunk holds about
 * DR_H5_CHUNK_BYTES, at least one row and at most `days` rows. */
static hsize_t chunk_rows(int64_t days, size_t n, size_t elem)
{
    size_t row = (n ? n : 1) * elem;
    size_t rows = DR_H5_CHUNK_BYTES / row;
    if (rows < 1) rows = 1;
    if ((int64_t)rows > days) rows = (size_t)days;
    return (hsize_t)rows;
}

/*
 * Chunk shape of a (time, cols[0][, cols[1]]) series of `elem`-byte values
 * into chunk[0..n_cols]. When one day's row fits in DR_H5_CHUNK_BYTES the
 * chunk holds whole entity axes and as many days as fit (chunk_rows).
 * Otherwise it holds one day and splits the entity axes, the last one
 * only if a single slice of it is still too large: every chunk of a day is
 * then completely written by that day's tick, so no chunk is ever
 * revisited, whatever the size of the chunk cache.
 */
static void series_chunk(int64_t days, int n_cols, const size_t cols[2], size_t elem,
                         hsize_t chunk[3])
{
    size_t width = 1;
    for (int k = 0; k < n_cols; k++) width *= cols[k] ? cols[k] : 1;
    chunk[0] = chunk_rows(days, width, elem);
    for (int k = 0; k < n_cols; k++) chunk[1 + k] = cols[k] ? cols[k] : 1;
    if (width * elem <= DR_H5_CHUNK_BYTES) return;
    size_t budget = DR_H5_CHUNK_BYTES / elem; /* elements per chunk */
    size_t last = n_cols == 2 ? chunk[2] : 1; /* inner slice, elements */
    if (n_cols == 2 && last <= budget) {
        chunk[1] = budget / last;
    } else {
        if (n_cols == 2) chunk[1] = 1;
        chunk[n_cols] = budget;
    }
}

/* Write the buffered rows of time series s to the file (one hyperslab of
 * bn[s] days from bfirst[s]). Returns 0 or -1. */
static int flush_series(dr_h5_observer *h, int s)
{
    if (h->bn[s] == 0) return 0;
    hsize_t start[3] = {(hsize_t)h->bfirst[s], 0, 0};
    hsize_t count[3] = {(hsize_t)h->bn[s], h->cols[s][0], h->cols[s][1]};
    hsize_t mdim = (hsize_t)(h->bn[s] * h->width[s]);
    hid_t fs = H5Dget_space(h->series[s]);
    hid_t ms = H5Screate_simple(1, &mdim, NULL);
    int ok = fs >= 0 && ms >= 0 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             H5Dwrite(h->series[s], h->btype[s], ms, fs, H5P_DEFAULT, h->buf[s]) >= 0;
    if (fs >= 0) H5Sclose(fs);
    if (ms >= 0) H5Sclose(ms);
    h->bn[s] = 0;
    return ok ? 0 : -1;
}

/* Write every buffered row. Returns 0 or -1. */
static int flush_all(dr_h5_observer *h)
{
    int rc = 0;
    for (int s = 0; s < DR_H5_SERIES_COUNT; s++)
        if (h->series[s] >= 0 && flush_series(h, s) < 0) rc = -1;
    return rc;
}

/* Add row `day` of time series s from `buf` (mem_type), laid out row-major
 * over the entity axes, to the series' buffer; the buffer goes to the file
 * when it ends a chunk of rows. */
static int write_row(dr_h5_observer *h, int s, int64_t day, hid_t mem_type,
                     const void *buf)
{
    if (h->width[s] == 0) return 0;
    const size_t row = h->width[s] * h->belem[s];
    if (h->bn[s] > 0 && day != h->bfirst[s] + (int64_t)h->bn[s] && flush_series(h, s) < 0)
        return -1;
    if (h->bn[s] == 0) {
        h->bfirst[s] = day;
        h->btype[s] = mem_type;
    }
    memcpy(h->buf[s] + h->bn[s] * row, buf, row);
    h->bn[s]++;
    if (h->bn[s] == h->brows[s] || (day + 1) % (int64_t)h->brows[s] == 0 ||
        day + 1 == h->days)
        return flush_series(h, s);
    return 0;
}

/* Close every open dataset and the file (HDF5 errors ignored: this is the
 * path for both success, where the caller checked the close of the file
 * separately, and failure). Safe to call twice. */
static void close_all(dr_h5_observer *h)
{
    for (int s = 0; s < DR_H5_SERIES_COUNT; s++)
        if (h->series[s] >= 0) {
            H5Dclose(h->series[s]);
            h->series[s] = -1;
        }
    for (int i = 0; i < DR_H5_DIM_COUNT; i++)
        if (h->scale[i] >= 0) {
            H5Dclose(h->scale[i]);
            h->scale[i] = -1;
        }
    if (h->file >= 0) {
        H5Fclose(h->file);
        h->file = -1;
    }
}

/* Close everything and remove the .part file; the target is untouched. */
static void discard(dr_h5_observer *h)
{
    int was_open = h->file >= 0;
    close_all(h);
    /* Only a file this observer created is removed: when creating it
     * failed, whatever is at the .part path is not ours (a directory, a
     * file of another user). */
    if (was_open) remove(h->part);
}

/* ---- begin ----------------------------------------------------------- */

/* The root attributes: CF identification and provenance. wall_time_end is
 * written by end(). Returns 0 or -1 (reported). */
static int write_root_attributes(dr_h5_observer *h, const dr_world *w)
{
    const dr_scenario *sc = w->sc;
    char now[21];
    dr_h5_iso_now(now);

    /* Overrides, newline-joined. */
    size_t len = 1;
    for (size_t i = 0; i < sc->n_overrides; i++) len += strlen(sc->overrides[i]) + 1;
    char *overrides = malloc(len);
    if (!overrides) return fail(h, "out of memory");
    overrides[0] = '\0';
    for (size_t i = 0, used = 0; i < sc->n_overrides; i++) {
        size_t n = strlen(sc->overrides[i]);
        if (i) overrides[used++] = '\n';
        memcpy(overrides + used, sc->overrides[i], n + 1);
        used += n;
    }

    hid_t r = h->file;
    uint64_t seed = w->seed;
    int ok =
        dr_h5_attr_provenance(r, sc->meta.name, sc->meta.description, now,
                              h->command_line ? h->command_line : "durand", NULL) >= 0 &&
        dr_h5_attr_u64(r, "seed", seed) >= 0 &&
        dr_h5_attr_i64(r, "replication", (int64_t)w->replication) >= 0 &&
        dr_h5_attr_i32(r, "omp_threads", (int32_t)w->n_threads) >= 0 &&
        dr_h5_attr_i32(r, "mpi_ranks", (int32_t)h->mpi_ranks) >= 0 &&
        dr_h5_attr_string(r, "start_date", sc->meta.start_date) >= 0 &&
        dr_h5_attr_i64(r, "days", sc->meta.days) >= 0 &&
        dr_h5_attr_i64(r, "agent_scale", sc->meta.agent_scale) >= 0 &&
        dr_h5_attr_string(r, "scenario_path", sc->path) >= 0 &&
        dr_h5_attr_string(r, "scenario_text", sc->text) >= 0 &&
        dr_h5_attr_string(r, "overrides", overrides) >= 0 &&
        dr_h5_attr_string(r, "wall_time_start", now) >= 0;
    free(overrides);
    if (!ok) return fail(h, "cannot write the root attributes");
    return 0;
}

/* An index as int32 for the file: -1 for DR_NONE (or out of int32). */
static int32_t index32(size_t i)
{
    return (i == DR_NONE || i > (size_t)INT32_MAX) ? -1 : (int32_t)i;
}

/* Scratch columns of static variables, freed before returning (their size
 * depends on the entity counts only, never on days). */
typedef struct dr_h5_scratch {
    const char **str;
    int32_t *i32;
    int8_t *i8;
    double *f64;
} dr_h5_scratch;

/* Allocate n entries (n >= 1) of each column of s. Returns 0, or -1
 * (reported; scratch_free still frees what was allocated). */
static int scratch_alloc(dr_h5_observer *h, dr_h5_scratch *s, size_t n)
{
    s->str = malloc(n * sizeof *s->str);
    s->i32 = malloc(n * sizeof *s->i32);
    s->i8 = malloc(n * sizeof *s->i8);
    s->f64 = malloc(n * sizeof *s->f64);
    if (!s->str || !s->i32 || !s->i8 || !s->f64) return fail(h, "out of memory");
    return 0;
}

static void scratch_free(dr_h5_scratch *s)
{
    free(s->str);
    free(s->i32);
    free(s->i8);
    free(s->f64);
}

/* The coordinate variables time, actor, dyad, location, crossing and the
 * static per-entity variables. Returns 0 or -1 (reported). */
static int write_coordinates_and_statics(dr_h5_observer *h, const dr_world *w)
{
    const dr_scenario *sc = w->sc;
    size_t na = w->n_actors, nd = w->n_dyads, nl = w->n_locations, nc = w->n_crossings;
    size_t nmax = na;
    if (nd > nmax) nmax = nd;
    if (nl > nmax) nmax = nl;
    if (nc > nmax) nmax = nc;
    if (nmax < DR_H5_TIME_BLOCK) nmax = DR_H5_TIME_BLOCK;

    /* Scratch for the static columns, freed before returning: its size
     * depends on the entity counts only, never on days. */
    dr_h5_scratch s;
    int rc = -1;
    if (scratch_alloc(h, &s, nmax) < 0) goto done;

    /* time: 0..days-1, written in blocks so no buffer scales with days. */
    char time_units[64];
    snprintf(time_units, sizeof time_units, "days since %s", sc->meta.start_date);
    dr_h5_var tv = {"time",
                    H5T_STD_I32LE,
                    1,
                    {DR_H5_DIM_TIME, 0},
                    {(hsize_t)h->days, 0},
                    1,
                    {chunk_rows(h->days, 1, sizeof(int32_t)), 0},
                    time_units,
                    "simulated day"};
    if (create_coordinate(h, DR_H5_DIM_TIME, &tv, 0, NULL) < 0) goto done;
    for (hsize_t start = 0; start < (hsize_t)h->days;) {
        hsize_t count = (hsize_t)h->days - start;
        if (count > DR_H5_TIME_BLOCK) count = DR_H5_TIME_BLOCK;
        for (hsize_t k = 0; k < count; k++) s.i32[k] = (int32_t)(start + k);
        hid_t fs = H5Dget_space(h->scale[DR_H5_DIM_TIME]);
        hid_t ms = H5Screate_simple(1, &count, NULL);
        int ok =
            fs >= 0 && ms >= 0 &&
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0 &&
            H5Dwrite(h->scale[DR_H5_DIM_TIME], H5T_NATIVE_INT32, ms, fs, H5P_DEFAULT,
                     s.i32) >= 0;
        if (fs >= 0) H5Sclose(fs);
        if (ms >= 0) H5Sclose(ms);
        if (!ok) {
            fail(h, "cannot write coordinate time");
            goto done;
        }
        start += count;
    }
    hid_t td = h->scale[DR_H5_DIM_TIME];
    if (dr_h5_attr_string(td, "calendar", "proleptic_gregorian") < 0 ||
        dr_h5_attr_string(td, "standard_name", "time") < 0 ||
        dr_h5_attr_string(td, "axis", "T") < 0) {
        fail(h, "cannot write attributes of time");
        goto done;
    }

    /* Entity coordinates: their ids as strings. */
    for (size_t i = 0; i < na; i++) s.str[i] = w->actors[i].id;
    dr_h5_var av = {"actor", 0,   1,         {DR_H5_DIM_ACTOR, 0}, {na, 0}, 0,
                    {0, 0},  "1", "actor id"};
    if (create_coordinate(h, DR_H5_DIM_ACTOR, &av, 0, s.str) < 0) goto done;

    for (size_t i = 0; i < nd; i++) s.str[i] = w->dyads[i].id;
    dr_h5_var dv = {"dyad",
                    0,
                    1,
                    {DR_H5_DIM_DYAD, 0},
                    {nd, 0},
                    0,
                    {0, 0},
                    "1",
                    "dyad id: ordered actor pair A-B (A's view of B)"};
    if (create_coordinate(h, DR_H5_DIM_DYAD, &dv, 0, s.str) < 0) goto done;

    for (size_t i = 0; i < nl; i++) s.str[i] = w->locations[i].id;
    dr_h5_var lv = {"location",   0, 1, {DR_H5_DIM_LOCATION, 0}, {nl, 0}, 0, {0, 0}, "1",
                    "location id"};
    if (create_coordinate(h, DR_H5_DIM_LOCATION, &lv, 0, s.str) < 0) goto done;

    for (size_t i = 0; i < nc; i++) s.str[i] = w->routes[w->crossing_routes[i]].id;
    dr_h5_var cv = {"crossing",
                    0,
                    1,
                    {DR_H5_DIM_CROSSING, 0},
                    {nc, 0},
                    0,
                    {0, 0},
                    "1",
                    "crossing id (route id of a border crossing)"};
    if (create_coordinate(h, DR_H5_DIM_CROSSING, &cv, 0, s.str) < 0) goto done;

    /* Static per-entity variables. */
    hid_t d;
    for (size_t i = 0; i < na; i++) s.str[i] = w->actors[i].name ? w->actors[i].name : "";
    dr_h5_var v1 = {"actor_name", 0,   1,           {DR_H5_DIM_ACTOR, 0}, {na, 0}, 0,
                    {0, 0},       "1", "actor name"};
    if (write_static(h, &v1, 0, s.str) < 0) goto done;

    for (size_t i = 0; i < na; i++) s.i8[i] = (int8_t)w->actors[i].kind;
    dr_h5_var v2 = {
        "actor_kind", H5T_STD_I8LE,   1, {DR_H5_DIM_ACTOR, 0}, {na, 0}, 0, {0, 0},
        "1",          "kind of actor"};
    if ((d = create_var(h, &v2)) < 0) goto done;
    if (dr_h5_attr_flags(d, dr_actor_kind_names, DR_ACTOR_KIND_COUNT) < 0 ||
        (na && H5Dwrite(d, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.i8) < 0)) {
        H5Dclose(d);
        fail(h, "cannot write variable actor_kind");
        goto done;
    }
    if (H5Dclose(d) < 0) {
        fail(h, "cannot write variable actor_kind");
        goto done;
    }

    for (size_t i = 0; i < nd; i++) s.i32[i] = index32(w->dyads[i].a);
    dr_h5_var v3 = {"dyad_a",
                    H5T_STD_I32LE,
                    1,
                    {DR_H5_DIM_DYAD, 0},
                    {nd, 0},
                    0,
                    {0, 0},
                    "1",
                    "index along actor of the dyad's first actor (A)"};
    if (write_static(h, &v3, H5T_NATIVE_INT32, s.i32) < 0) goto done;
    for (size_t i = 0; i < nd; i++) s.i32[i] = index32(w->dyads[i].b);
    dr_h5_var v4 = {"dyad_b",
                    H5T_STD_I32LE,
                    1,
                    {DR_H5_DIM_DYAD, 0},
                    {nd, 0},
                    0,
                    {0, 0},
                    "1",
                    "index along actor of the dyad's second actor (B)"};
    if (write_static(h, &v4, H5T_NATIVE_INT32, s.i32) < 0) goto done;

    for (size_t i = 0; i < nl; i++)
        s.str[i] = w->locations[i].name ? w->locations[i].name : "";
    dr_h5_var v5 = {"location_name", 0, 1,      {DR_H5_DIM_LOCATION, 0},
                    {nl, 0},         0, {0, 0}, "1",
                    "location name"};
    if (write_static(h, &v5, 0, s.str) < 0) goto done;

    for (size_t i = 0; i < nl; i++)
        s.str[i] = w->locations[i].region ? w->locations[i].region : "";
    dr_h5_var v5r = {"location_region",
                     0,
                     1,
                     {DR_H5_DIM_LOCATION, 0},
                     {nl, 0},
                     0,
                     {0, 0},
                     "1",
                     "region (province) of the location; empty when not given"};
    if (write_static(h, &v5r, 0, s.str) < 0) goto done;

    for (size_t i = 0; i < nl; i++) s.f64[i] = w->locations[i].lat;
    dr_h5_var v6 = {"lat",
                    H5T_IEEE_F64LE,
                    1,
                    {DR_H5_DIM_LOCATION, 0},
                    {nl, 0},
                    0,
                    {0, 0},
                    "degrees_north",
                    "latitude of the location"};
    if ((d = create_var(h, &v6)) < 0) goto done;
    if (dr_h5_attr_string(d, "standard_name", "latitude") < 0 ||
        (nl &&
         H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.f64) < 0)) {
        H5Dclose(d);
        fail(h, "cannot write variable lat");
        goto done;
    }
    H5Dclose(d);
    for (size_t i = 0; i < nl; i++) s.f64[i] = w->locations[i].lon;
    dr_h5_var v7 = {"lon",
                    H5T_IEEE_F64LE,
                    1,
                    {DR_H5_DIM_LOCATION, 0},
                    {nl, 0},
                    0,
                    {0, 0},
                    "degrees_east",
                    "longitude of the location"};
    if ((d = create_var(h, &v7)) < 0) goto done;
    if (dr_h5_attr_string(d, "standard_name", "longitude") < 0 ||
        (nl &&
         H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.f64) < 0)) {
        H5Dclose(d);
        fail(h, "cannot write variable lon");
        goto done;
    }
    H5Dclose(d);

    for (size_t i = 0; i < nl; i++) s.i8[i] = (int8_t)w->locations[i].type;
    dr_h5_var v8 = {"location_type",
                    H5T_STD_I8LE,
                    1,
                    {DR_H5_DIM_LOCATION, 0},
                    {nl, 0},
                    0,
                    {0, 0},
                    "1",
                    "type of location"};
    if ((d = create_var(h, &v8)) < 0) goto done;
    if (dr_h5_attr_flags(d, dr_location_type_names, DR_LOC_TYPE_COUNT) < 0 ||
        (nl && H5Dwrite(d, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.i8) < 0)) {
        H5Dclose(d);
        fail(h, "cannot write variable location_type");
        goto done;
    }
    H5Dclose(d);

    for (size_t i = 0; i < nl; i++) s.i32[i] = index32(w->locations[i].country);
    dr_h5_var v9 = {"location_country",
                    H5T_STD_I32LE,
                    1,
                    {DR_H5_DIM_LOCATION, 0},
                    {nl, 0},
                    0,
                    {0, 0},
                    "1",
                    "index along actor of the state the location lies in"};
    if ((d = create_var(h, &v9)) < 0) goto done;
    if (dr_h5_attr_string(d, "comment", "-1 = none") < 0 ||
        (nl && H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.i32) < 0)) {
        H5Dclose(d);
        fail(h, "cannot write variable location_country");
        goto done;
    }
    H5Dclose(d);

    for (size_t i = 0; i < nc; i++)
        s.i32[i] = index32(w->routes[w->crossing_routes[i]].from);
    dr_h5_var v10 = {"crossing_from",
                     H5T_STD_I32LE,
                     1,
                     {DR_H5_DIM_CROSSING, 0},
                     {nc, 0},
                     0,
                     {0, 0},
                     "1",
                     "index along location of the crossing's first end"};
    if (write_static(h, &v10, H5T_NATIVE_INT32, s.i32) < 0) goto done;
    for (size_t i = 0; i < nc; i++)
        s.i32[i] = index32(w->routes[w->crossing_routes[i]].to);
    dr_h5_var v11 = {"crossing_to",
                     H5T_STD_I32LE,
                     1,
                     {DR_H5_DIM_CROSSING, 0},
                     {nc, 0},
                     0,
                     {0, 0},
                     "1",
                     "index along location of the crossing's second end"};
    if (write_static(h, &v11, H5T_NATIVE_INT32, s.i32) < 0) goto done;
    rc = 0;
done:
    scratch_free(&s);
    return rc;
}

/* The coordinate variables of the civilian series, route, status and
 * direction, and the static per-route variables. Returns 0 or -1
 * (reported). */
static int write_civilian_coordinates(dr_h5_observer *h, const dr_world *w)
{
    size_t nr = w->n_routes;
    size_t n = nr > DR_AGENT_STATUS_COUNT ? nr : DR_AGENT_STATUS_COUNT;
    dr_h5_scratch s;
    int rc = -1;
    hid_t d;
    if (scratch_alloc(h, &s, n) < 0) goto done;

    for (size_t r = 0; r < nr; r++) s.str[r] = w->routes[r].id;
    dr_h5_var rv = {"route",
                    0,
                    1,
                    {DR_H5_DIM_ROUTE, 0},
                    {nr, 0},
                    0,
                    {0, 0},
                    "1",
                    "route id (explicit id, else FROM-TO), in scenario order"};
    if (create_coordinate(h, DR_H5_DIM_ROUTE, &rv, 0, s.str) < 0) goto done;

    for (size_t k = 0; k < DR_AGENT_STATUS_COUNT; k++)
        s.str[k] = dr_agent_status_names[k];
    dr_h5_var sv = {
        "status", 0,      1,   {DR_H5_DIM_STATUS, 0}, {DR_AGENT_STATUS_COUNT, 0},
        0,        {0, 0}, "1", "status of a civilian"};
    if (create_coordinate(h, DR_H5_DIM_STATUS, &sv, 0, s.str) < 0) goto done;

    static const char *const direction[2] = {"from_to", "to_from"};
    dr_h5_var dv = {"direction",
                    0,
                    1,
                    {DR_H5_DIM_DIRECTION, 0},
                    {2, 0},
                    0,
                    {0, 0},
                    "1",
                    "direction of travel on a route: from_to entered at its from end, "
                    "to_from at its to end"};
    if (create_coordinate(h, DR_H5_DIM_DIRECTION, &dv, 0, direction) < 0) goto done;

    for (size_t r = 0; r < nr; r++) s.i32[r] = index32(w->routes[r].from);
    dr_h5_var v1 = {"route_from",
                    H5T_STD_I32LE,
                    1,
                    {DR_H5_DIM_ROUTE, 0},
                    {nr, 0},
                    0,
                    {0, 0},
                    "1",
                    "index along location of the route's from end"};
    if (write_static(h, &v1, H5T_NATIVE_INT32, s.i32) < 0) goto done;
    for (size_t r = 0; r < nr; r++) s.i32[r] = index32(w->routes[r].to);
    dr_h5_var v2 = {"route_to",
                    H5T_STD_I32LE,
                    1,
                    {DR_H5_DIM_ROUTE, 0},
                    {nr, 0},
                    0,
                    {0, 0},
                    "1",
                    "index along location of the route's to end"};
    if (write_static(h, &v2, H5T_NATIVE_INT32, s.i32) < 0) goto done;

    for (size_t r = 0; r < nr; r++) s.i8[r] = (int8_t)w->routes[r].kind;
    dr_h5_var v3 = {
        "route_kind", H5T_STD_I8LE,   1, {DR_H5_DIM_ROUTE, 0}, {nr, 0}, 0, {0, 0},
        "1",          "kind of route"};
    if ((d = create_var(h, &v3)) < 0) goto done;
    if (dr_h5_attr_flags(d, dr_route_kind_names, DR_ROUTE_KIND_COUNT) < 0 ||
        (nr && H5Dwrite(d, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.i8) < 0)) {
        H5Dclose(d);
        fail(h, "cannot write variable route_kind");
        goto done;
    }
    H5Dclose(d);

    for (size_t r = 0; r < nr; r++) s.f64[r] = w->routes[r].distance_km;
    dr_h5_var v4 = {"route_distance",
                    H5T_IEEE_F64LE,
                    1,
                    {DR_H5_DIM_ROUTE, 0},
                    {nr, 0},
                    0,
                    {0, 0},
                    "km",
                    "length of the route"};
    if (write_static(h, &v4, H5T_NATIVE_DOUBLE, s.f64) < 0) goto done;
    rc = 0;
done:
    scratch_free(&s);
    return rc;
}

/* Write a whole 1-D int8 or int32 variable v from `data` (mem_type) with
 * its categorical flags (names[n], when names is not NULL) and a `comment`
 * (when not NULL), and close it. Returns 0 or -1 (reported). */
static int write_static_coded(dr_h5_observer *h, const dr_h5_var *v, hid_t mem_type,
                              const void *data, const char *const *names, size_t n,
                              const char *comment)
{
    hid_t d = create_var(h, v);
    if (d < 0) return -1;
    int ok = (!names || dr_h5_attr_flags(d, names, n) >= 0) &&
             (!comment || dr_h5_attr_string(d, "comment", comment) >= 0) &&
             (v->size[0] == 0 ||
              H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
    if (H5Dclose(d) < 0) ok = 0;
    if (!ok) return fail(h, "cannot write variable %s", v->name);
    return 0;
}

/* The coordinate variable `intervention` (MODEL.md §3; one entry per
 * scenario intervention, possibly none) and the static per-intervention
 * variables. Day indices are written like event_day: int32, days since
 * start_date; an end past the run (36501: "to the end") is written as
 * `days`, so that start <= day < end selects the window within the run.
 * Returns 0 or -1 (reported). */
static int write_intervention_coordinates(dr_h5_observer *h, const dr_world *w)
{
    const dr_scenario *sc = w->sc;
    const size_t ni = sc->n_interventions;
    const size_t cap = ni ? ni : 1;
    dr_h5_scratch s;
    int rc = -1;
    if (scratch_alloc(h, &s, cap) < 0) goto done;

    for (size_t k = 0; k < ni; k++) s.str[k] = sc->interventions[k].id;
    dr_h5_var iv = {"intervention",
                    0,
                    1,
                    {DR_H5_DIM_INTERVENTION, 0},
                    {ni, 0},
                    0,
                    {0, 0},
                    "1",
                    "intervention id, in scenario order"};
    if (create_coordinate(h, DR_H5_DIM_INTERVENTION, &iv, 0, s.str) < 0) goto done;

    for (size_t k = 0; k < ni; k++)
        s.str[k] = sc->interventions[k].name ? sc->interventions[k].name : "";
    dr_h5_var v1 = {"intervention_name",
                    0,
                    1,
                    {DR_H5_DIM_INTERVENTION, 0},
                    {ni, 0},
                    0,
                    {0, 0},
                    "1",
                    "intervention name; empty when not given"};
    if (write_static(h, &v1, 0, s.str) < 0) goto done;

    for (size_t k = 0; k < ni; k++) s.i8[k] = (int8_t)sc->interventions[k].type;
    dr_h5_var v2 = {"intervention_type",
                    H5T_STD_I8LE,
                    1,
                    {DR_H5_DIM_INTERVENTION, 0},
                    {ni, 0},
                    0,
                    {0, 0},
                    "1",
                    "family of the intervention"};
    if (write_static_coded(h, &v2, H5T_NATIVE_INT8, s.i8, dr_intervention_type_names,
                           DR_IV_TYPE_COUNT, NULL) < 0)
        goto done;

    char day_units[64];
    snprintf(day_units, sizeof day_units, "days since %s", sc->meta.start_date);
    for (int e = 0; e < 2; e++) {
        for (size_t k = 0; k < ni; k++) {
            int64_t t = e == 0 ? sc->interventions[k].start : sc->interventions[k].end;
            if (t > h->days) t = h->days;
            s.i32[k] = (int32_t)t;
        }
        dr_h5_var v = {e == 0 ? "intervention_start" : "intervention_end",
                       H5T_STD_I32LE,
                       1,
                       {DR_H5_DIM_INTERVENTION, 0},
                       {ni, 0},
                       0,
                       {0, 0},
                       day_units,
                       e == 0 ? "first day of the intervention's window"
                              : "day after the last day of the intervention's window "
                                "(exclusive end)"};
        hid_t d = create_var(h, &v);
        if (d < 0) goto done;
        int ok =
            dr_h5_attr_string(d, "calendar", "proleptic_gregorian") >= 0 &&
            dr_h5_attr_string(
                d, "comment",
                e == 0 ? "an adaptive intervention starts on the first day in its window "
                         "on which its trigger has held long enough"
                       : "days (one past the last day of the run) when the window runs "
                         "to the end; an adaptive intervention may stop earlier after "
                         "its duration") >= 0 &&
            (ni == 0 ||
             H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.i32) >= 0);
        if (H5Dclose(d) < 0) ok = 0;
        if (!ok) {
            fail(h, "cannot write variable %s", v.name);
            goto done;
        }
    }

    for (size_t k = 0; k < ni; k++) s.f64[k] = sc->interventions[k].cost;
    dr_h5_var v3 = {"intervention_cost_per_day",
                    H5T_IEEE_F64LE,
                    1,
                    {DR_H5_DIM_INTERVENTION, 0},
                    {ni, 0},
                    0,
                    {0, 0},
                    "USD",
                    "running cost of the intervention per active day (the economic "
                    "investment is spread over its build days on top of it)"};
    if (write_static(h, &v3, H5T_NATIVE_DOUBLE, s.f64) < 0) goto done;

    for (size_t k = 0; k < ni; k++)
        s.i8[k] = (int8_t)(sc->interventions[k].adaptive != 0);
    dr_h5_var v4 = {"intervention_adaptive",
                    H5T_STD_I8LE,
                    1,
                    {DR_H5_DIM_INTERVENTION, 0},
                    {ni, 0},
                    0,
                    {0, 0},
                    "1",
                    "1 if the intervention is adaptive (starts on a trigger), 0 if it "
                    "runs on every day of its window"};
    if (write_static_coded(h, &v4, H5T_NATIVE_INT8, s.i8, NULL, 0, NULL) < 0) goto done;

    for (size_t k = 0; k < ni; k++) {
        const dr_intervention *v = &sc->interventions[k];
        s.i32[k] = v->type == DR_IV_MEDIATION ? index32(v->mediator) : -1;
    }
    dr_h5_var v5 = {"intervention_mediator",
                    H5T_STD_I32LE,
                    1,
                    {DR_H5_DIM_INTERVENTION, 0},
                    {ni, 0},
                    0,
                    {0, 0},
                    "1",
                    "index along actor of the mediator (power or organization)"};
    if (write_static_coded(h, &v5, H5T_NATIVE_INT32, s.i32, NULL, 0,
                           "-1 = none (not a mediation)") < 0)
        goto done;
    rc = 0;
done:
    scratch_free(&s);
    return rc;
}

/* Stored types of the time series. */
enum dr_h5_type { DR_H5_F64 = 0, DR_H5_I32, DR_H5_I8, DR_H5_I64 };

/* Create the (time), (time, entity) and (time, entity, entity) series,
 * left open for tick(). Returns 0 or -1 (reported). */
static int create_series(dr_h5_observer *h, const dr_world *w)
{
    /* dim2 is DR_H5_DIM_COUNT for a (time, dim) series, and dim too for a
     * (time) series. Integer series get no _FillValue (see create_var);
     * categorical ones get flags; a comment, when given, is written as the
     * `comment` attribute. */
    static const struct {
        const char *name;
        int dim, dim2;
        int type; /* enum dr_h5_type */
        const char *units;
        const char *long_name;
        const char *comment; /* or NULL */
    } spec[DR_H5_SERIES_COUNT] = {
        [DR_H5_TENSION] = {"tension", DR_H5_DIM_DYAD, DR_H5_DIM_COUNT, DR_H5_F64, "1",
                           "tension of actor A toward actor B (0..1)"},
        [DR_H5_TRUST] = {"trust", DR_H5_DIM_DYAD, DR_H5_DIM_COUNT, DR_H5_F64, "1",
                         "trust of actor A in actor B (0..1)"},
        [DR_H5_COORDINATION] = {"coordination", DR_H5_DIM_DYAD, DR_H5_DIM_COUNT,
                                DR_H5_F64, "1", "border coordination of the dyad (0..1)"},
        [DR_H5_INTERDEPENDENCE] = {"interdependence", DR_H5_DIM_DYAD, DR_H5_DIM_COUNT,
                                   DR_H5_F64, "1",
                                   "effective economic interdependence of the dyad: "
                                   "its own plus what economic interventions add (0..1)"},
        [DR_H5_INTENSITY] = {"intensity", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT, DR_H5_F64,
                             "1",
                             "conflict intensity: exponentially decayed sum of "
                             "deaths at the location (persons)"},
        [DR_H5_DANGER] = {"danger", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT, DR_H5_F64, "1",
                          "perceived danger 1 - exp(-intensity/reference_deaths)"},
        [DR_H5_DEATHS] = {"deaths", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT, DR_H5_F64, "1",
                          "all deaths at the location on the day: personnel of "
                          "every side and civilians (persons)"},
        [DR_H5_CROSSING_STATUS] = {"crossing_status", DR_H5_DIM_CROSSING, DR_H5_DIM_COUNT,
                                   DR_H5_I8, "1", "status of the border crossing"},
        [DR_H5_PERSONNEL] = {"personnel", DR_H5_DIM_ACTOR, DR_H5_DIM_COUNT, DR_H5_F64,
                             "1",
                             "personnel of the actor summed over locations "
                             "(persons)"},
        [DR_H5_FATALITIES] = {"fatalities", DR_H5_DIM_ACTOR, DR_H5_DIM_COUNT, DR_H5_F64,
                              "1",
                              "personnel of the actor killed on the day: security "
                              "forces of a state, fighters of a militant group "
                              "(persons)"},
        [DR_H5_CIVILIAN_DEATHS] = {"civilian_deaths", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT,
                                   DR_H5_F64, "1",
                                   "civilians killed at the location on the day "
                                   "(persons; included in deaths)"},
        [DR_H5_CLASHES] = {"clashes", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT, DR_H5_I32, "1",
                           "clashes on the day whose deaths fall at the location "
                           "(count)"},
        [DR_H5_ATTACKS] = {"attacks", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT, DR_H5_I32, "1",
                           "militant attacks at the location on the day (count)"},
        [DR_H5_STRIKES] = {"strikes", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT, DR_H5_I32, "1",
                           "cross-border strikes on the location on the day "
                           "(count)"},
        [DR_H5_POSTURE] = {"posture", DR_H5_DIM_DYAD, DR_H5_DIM_COUNT, DR_H5_I8, "1",
                           "posture of state A toward actor B"},
        [DR_H5_FORCES] = {"forces", DR_H5_DIM_ACTOR, DR_H5_DIM_LOCATION, DR_H5_F64, "1",
                          "personnel of the actor at the location: security "
                          "forces of a state, fighters of a militant group "
                          "(persons)"},
        [DR_H5_PROJECT_DAMAGE] = {"project_damage", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT,
                                  DR_H5_F64, "1",
                                  "cumulative damage to economic projects at the "
                                  "location (0..1)"},
        [DR_H5_FATALITIES_BY_LOCATION] = {"fatalities_by_location", DR_H5_DIM_ACTOR,
                                          DR_H5_DIM_LOCATION, DR_H5_F64, "1",
                                          "personnel of the actor killed at the location "
                                          "on the day: security forces of a state, "
                                          "fighters of a militant group (persons)"},
        /* Civilian agents: the world's integer counts in agents times
         * scenario.agent_scale, so persons, exact and independent of the
         * thread count. */
        [DR_H5_CIVILIANS] = {"civilians", DR_H5_DIM_LOCATION, DR_H5_DIM_STATUS, DR_H5_I64,
                             "1",
                             "civilians at the location by status at the end of the "
                             "day, not counting those travelling on a route "
                             "(persons); dead: cumulative",
                             "persons = agents * agent_scale; the dead entry counts "
                             "everyone who has died at the location (or on a route "
                             "leaving it) since the start"},
        [DR_H5_CIVILIANS_ON_ROUTE] = {"civilians_on_route", DR_H5_DIM_ROUTE,
                                      DR_H5_DIM_COUNT, DR_H5_I64, "1",
                                      "civilians travelling on the route at the end "
                                      "of the day (persons)",
                                      "persons = agents * agent_scale"},
        [DR_H5_ROUTE_FLOW] = {"route_flow", DR_H5_DIM_ROUTE, DR_H5_DIM_DIRECTION,
                              DR_H5_I64, "1",
                              "civilians entering the route from each end on the day "
                              "(persons)",
                              "persons = agents * agent_scale; from_to: entered at the "
                              "route's from end, to_from: at its to end"},
        [DR_H5_CROSSING_FLOW] = {"crossing_flow", DR_H5_DIM_CROSSING, DR_H5_DIM_DIRECTION,
                                 DR_H5_I64, "1",
                                 "civilians entering the border crossing from each end "
                                 "on the day (persons)",
                                 "persons = agents * agent_scale; route_flow of the "
                                 "crossing's route; from_to: entered at crossing_from"},
        [DR_H5_RETURNS] = {"returns", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT, DR_H5_I64, "1",
                           "displaced civilians who arrived home at the location on "
                           "the day (persons)",
                           "persons = agents * agent_scale; counted where they arrive "
                           "(their origin), when their status becomes returnee"},
        [DR_H5_DEPORTATIONS] = {"deportations", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT,
                                DR_H5_I64, "1",
                                "civilians deported from the location on the day "
                                "(persons)",
                                "persons = agents * agent_scale; counted where the "
                                "deportation is ordered; they become in_transit"},
        [DR_H5_CIVILIAN_AGENT_DEATHS] = {"civilian_agent_deaths", DR_H5_DIM_LOCATION,
                                         DR_H5_DIM_COUNT, DR_H5_I64, "1",
                                         "civilian agents who died at the location, or "
                                         "on a route leaving it, on the day (persons)",
                                         "persons = agents * agent_scale; the agents' "
                                         "own death draws (violence share plus "
                                         "background and route mortality), not the "
                                         "violence tally civilian_deaths"},
        [DR_H5_CIVILIAN_AGENT_DEATHS_ON_ROUTE] =
            {"civilian_agent_deaths_on_route", DR_H5_DIM_ROUTE, DR_H5_DIM_COUNT,
             DR_H5_I64, "1",
             "civilian agents who died travelling on the route on the day (persons)",
             "persons = agents * agent_scale; included in civilian_agent_deaths at the "
             "location the agent left"},
        [DR_H5_MOBILISED] = {"mobilised", DR_H5_DIM_LOCATION, DR_H5_DIM_COUNT, DR_H5_I64,
                             "1",
                             "mobilised (active) civilians at the location at the end "
                             "of the day (persons)",
                             "persons = agents * agent_scale; Epstein's rule, MODEL.md "
                             "section 2 phase 7"},
        [DR_H5_DISPLACED] = {"displaced", DR_H5_DIM_COUNT, DR_H5_DIM_COUNT, DR_H5_I64,
                             "1",
                             "displaced civilians at the end of the day: idp, refugee "
                             "and in_transit at locations plus everyone travelling "
                             "(persons)",
                             "persons = agents * agent_scale"},
        [DR_H5_RETURNS_CUMULATIVE] = {"returns_cumulative", DR_H5_DIM_COUNT,
                                      DR_H5_DIM_COUNT, DR_H5_I64, "1",
                                      "returns summed over locations and over days "
                                      "from the first through this one (persons)",
                                      "persons = agents * agent_scale"},
        [DR_H5_DEPORTATIONS_CUMULATIVE] = {"deportations_cumulative", DR_H5_DIM_COUNT,
                                           DR_H5_DIM_COUNT, DR_H5_I64, "1",
                                           "deportations summed over locations and over "
                                           "days from the first through this one "
                                           "(persons)",
                                           "persons = agents * agent_scale"},
        /* External powers (phase 9). Only powers have an involvement and a
         * threat: the other actors' entries are missing (NaN). */
        [DR_H5_INVOLVEMENT] = {"involvement", DR_H5_DIM_ACTOR, DR_H5_DIM_COUNT, DR_H5_F64,
                               "1",
                               "involvement of the external power at the end of the "
                               "day (0..1)",
                               "NaN (missing) for actors that are not powers"},
        [DR_H5_THREAT] = {"threat", DR_H5_DIM_ACTOR, DR_H5_DIM_COUNT, DR_H5_F64, "1",
                          "threat to the external power's interests on the day, the "
                          "target its involvement moves toward (0..1)",
                          "NaN (missing) for actors that are not powers"},
        [DR_H5_ALIGNMENT] = {"alignment", DR_H5_DIM_DYAD, DR_H5_DIM_COUNT, DR_H5_F64, "1",
                             "alignment of actor A with actor B (-1..1)",
                             "recalibrated daily by the powers phase where A is a power "
                             "and B a state; constant otherwise"},
        /* Interventions (phase 2, MODEL.md section 3). */
        [DR_H5_CEASEFIRE] = {"ceasefire", DR_H5_DIM_DYAD, DR_H5_DIM_COUNT, DR_H5_I32, "1",
                             "days of the dyad's mediated ceasefire still to run at the "
                             "end of the day (days)",
                             "0 = no ceasefire; equal for A-B and B-A"},
        [DR_H5_INTERVENTION_ACTIVE] = {"intervention_active", DR_H5_DIM_INTERVENTION,
                                       DR_H5_DIM_COUNT, DR_H5_I8, "1",
                                       "1 if the intervention was active on the day, "
                                       "else 0"},
        [DR_H5_INTERVENTION_PROGRESS] = {"intervention_progress", DR_H5_DIM_INTERVENTION,
                                         DR_H5_DIM_COUNT, DR_H5_F64, "1",
                                         "progress of the intervention at the end of the "
                                         "day (0..1)",
                                         "economic: construction progress; outreach: "
                                         "share of the target population reached; "
                                         "mediation and task_force: 0"},
        [DR_H5_INTERVENTION_COST] = {"intervention_cost", DR_H5_DIM_INTERVENTION,
                                     DR_H5_DIM_COUNT, DR_H5_F64, "USD",
                                     "cost of the intervention from day 0 through the "
                                     "day (cumulative)",
                                     "cost per active day, plus the economic investment "
                                     "spread over its build days"},
        [DR_H5_INTERVENTION_ROUNDS] = {"intervention_rounds", DR_H5_DIM_INTERVENTION,
                                       DR_H5_DIM_COUNT, DR_H5_I32, "1",
                                       "mediation rounds or task-force meetings held "
                                       "from day 0 through the day (cumulative count)",
                                       "0 for economic and outreach interventions"},
        [DR_H5_INTERVENTION_AGREEMENTS] = {"intervention_agreements",
                                           DR_H5_DIM_INTERVENTION, DR_H5_DIM_COUNT,
                                           DR_H5_I32, "1",
                                           "ceasefires agreed in the mediation's rounds "
                                           "from day 0 through the day (cumulative "
                                           "count)",
                                           "0 for interventions other than mediation"},
        [DR_H5_RECRUITED] = {"recruited", DR_H5_DIM_COUNT, DR_H5_DIM_COUNT, DR_H5_F64,
                             "1",
                             "fighters recruited by all militant groups on the day "
                             "(persons)",
                             "from the recruitment pools plus mobilised civilians "
                             "(MODEL.md section 2 phase 5)"},
    };
    static const size_t elem_size[] = {[DR_H5_F64] = sizeof(double),
                                       [DR_H5_I32] = sizeof(int32_t),
                                       [DR_H5_I8] = sizeof(int8_t),
                                       [DR_H5_I64] = sizeof(int64_t)};
    size_t n_of_dim[DR_H5_DIM_COUNT + 1] = {0};
    n_of_dim[DR_H5_DIM_ACTOR] = w->n_actors;
    n_of_dim[DR_H5_DIM_DYAD] = w->n_dyads;
    n_of_dim[DR_H5_DIM_LOCATION] = w->n_locations;
    n_of_dim[DR_H5_DIM_CROSSING] = w->n_crossings;
    n_of_dim[DR_H5_DIM_ROUTE] = w->n_routes;
    n_of_dim[DR_H5_DIM_STATUS] = DR_AGENT_STATUS_COUNT;
    n_of_dim[DR_H5_DIM_DIRECTION] = 2;
    n_of_dim[DR_H5_DIM_INTERVENTION] = w->n_interventions;
    n_of_dim[DR_H5_DIM_COUNT] = 1; /* no (further) entity axis */

    for (int s = 0; s < DR_H5_SERIES_COUNT; s++) {
        int n_cols = spec[s].dim == DR_H5_DIM_COUNT    ? 0
                     : spec[s].dim2 == DR_H5_DIM_COUNT ? 1
                                                       : 2;
        h->rank[s] = 1 + n_cols;
        h->cols[s][0] = n_of_dim[spec[s].dim];
        h->cols[s][1] = n_of_dim[spec[s].dim2];
        h->width[s] = h->cols[s][0] * h->cols[s][1];
        dr_h5_var v = {spec[s].name,
                       spec[s].type == DR_H5_F64   ? H5T_IEEE_F64LE
                       : spec[s].type == DR_H5_I32 ? H5T_STD_I32LE
                       : spec[s].type == DR_H5_I64 ? H5T_STD_I64LE
                                                   : H5T_STD_I8LE,
                       h->rank[s],
                       {DR_H5_DIM_TIME, spec[s].dim, spec[s].dim2},
                       {(hsize_t)h->days, h->cols[s][0], h->cols[s][1]},
                       1,
                       {0, 0, 0},
                       spec[s].units,
                       spec[s].long_name};
        series_chunk(h->days, n_cols, h->cols[s], elem_size[spec[s].type], v.chunk);
        h->series[s] = create_var(h, &v);
        if (h->series[s] < 0) return -1;
        /* The row buffer: one chunk's rows (at most DR_H5_CHUNK_BYTES when
         * a row fits in a chunk, else one row). */
        h->brows[s] = (size_t)v.chunk[0];
        h->belem[s] = elem_size[spec[s].type];
        h->bn[s] = 0;
        if (h->width[s] > 0) {
            h->buf[s] = malloc(h->brows[s] * h->width[s] * h->belem[s]);
            if (!h->buf[s])
                return fail(h, "out of memory for the rows of %s", spec[s].name);
        }
        if (spec[s].comment &&
            dr_h5_attr_string(h->series[s], "comment", spec[s].comment) < 0)
            return fail(h, "cannot write attributes of %s", spec[s].name);
    }
    if (dr_h5_attr_flags(h->series[DR_H5_CROSSING_STATUS], dr_crossing_status_names,
                         DR_CROSSING_STATUS_COUNT) < 0)
        return fail(h, "cannot write attributes of crossing_status");
    /* -1 is not a flag value: it marks "no posture" (A is not a state), the
     * same convention as the -1 of integer indices. */
    if (dr_h5_attr_flags(h->series[DR_H5_POSTURE], dr_posture_names, DR_POSTURE_COUNT) <
            0 ||
        dr_h5_attr_string(h->series[DR_H5_POSTURE], "comment",
                          "-1 = A is not a state (no posture)") < 0)
        return fail(h, "cannot write attributes of posture");
    return 0;
}

/* begin callback: create the .part file and everything known up front. */
static int h5_begin(void *ctx, const dr_world *w)
{
    dr_h5_observer *h = ctx;
    if (h->file >= 0 || h->ended) {
        if (h->err) fprintf(h->err, "durand: %s: observer begun twice\n", h->part);
        h->failed = 1;
        return -1;
    }
    if (w->sc->meta.days < 1 || w->sc->meta.days > INT32_MAX) {
        if (h->err)
            fprintf(h->err, "durand: %s: days = %lld: expected 1..%ld\n", h->part,
                    (long long)w->sc->meta.days, (long)INT32_MAX);
        h->failed = 1;
        return -1;
    }
    /* tick() copies these arrays of the world row by row. */
    const struct {
        const char *name;
        const void *p;
    } need[] = {{"force", w->force},
                {"intensity", w->intensity},
                {"danger", w->danger},
                {"deaths_today", w->deaths_today},
                {"coordination", w->coordination},
                {"posture", w->posture},
                {"fatalities", w->fatalities},
                {"fatalities_at", w->fatalities_at},
                {"civilian_deaths", w->civilian_deaths},
                {"clashes_today", w->clashes_today},
                {"attacks_today", w->attacks_today},
                {"strikes_today", w->strikes_today},
                {"project_damage", w->project_damage},
                {"civ_count", w->civ_count},
                {"civ_on_route", w->civ_on_route},
                {"civ_active", w->civ_active},
                {"civ_flow", w->civ_flow},
                {"civ_returns", w->civ_returns},
                {"civ_deported", w->civ_deported},
                {"civ_deaths", w->civ_deaths},
                {"civ_route_deaths", w->civ_route_deaths},
                {"ceasefire_left", w->ceasefire_left},
                {"iv_interdep", w->iv_interdep},
                {"pw_threat", w->pw_threat}};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++)
        if (!need[i].p) {
            if (h->err)
                fprintf(h->err, "durand: %s: the world has no %s array\n", h->part,
                        need[i].name);
            h->failed = 1;
            return -1;
        }
    dr_h5_quiet_begin(&h->quiet);
    h->days = w->sc->meta.days;
    int rc = -1;
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    size_t nmax = w->n_actors;
    if (w->n_dyads > nmax) nmax = w->n_dyads;
    if (w->n_locations > nmax) nmax = w->n_locations;
    if (w->n_crossings > nmax) nmax = w->n_crossings;
    if (w->n_interventions > nmax) nmax = w->n_interventions;
    h->row = malloc((nmax ? nmax : 1) * sizeof *h->row);
    h->row8 = malloc((w->n_crossings ? w->n_crossings : 1) * sizeof *h->row8);
    size_t n32 = w->n_dyads > w->n_interventions ? w->n_dyads : w->n_interventions;
    h->row32 = malloc((n32 ? n32 : 1) * sizeof *h->row32);
    /* The widest civilian row: (location, status) or (route, direction). */
    size_t n64 = w->n_locations * DR_AGENT_STATUS_COUNT;
    if (2 * w->n_routes > n64) n64 = 2 * w->n_routes;
    h->row64 = malloc((n64 ? n64 : 1) * sizeof *h->row64);
    h->n_routes = w->n_routes;
    h->crossing_of_route =
        malloc((w->n_routes ? w->n_routes : 1) * sizeof *h->crossing_of_route);
    if (!h->row || !h->row8 || !h->row32 || !h->row64 || !h->crossing_of_route) {
        fail(h, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < w->n_routes; r++) h->crossing_of_route[r] = DR_NONE;
    for (size_t c = 0; c < w->n_crossings; c++)
        if (w->crossing_routes[c] < w->n_routes)
            h->crossing_of_route[w->crossing_routes[c]] = c;

    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (fcpl < 0 || fapl < 0 || H5Pset_link_creation_order(fcpl, order) < 0 ||
        H5Pset_attr_creation_order(fcpl, order) < 0 ||
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        fail(h, "cannot set up file properties");
        goto done;
    }
    h->file = H5Fcreate(h->part, H5F_ACC_TRUNC, fcpl, fapl);
    if (h->file < 0) {
        fail(h, "cannot create file");
        goto done;
    }
    if (write_root_attributes(h, w) < 0 || write_coordinates_and_statics(h, w) < 0 ||
        write_civilian_coordinates(h, w) < 0 ||
        write_intervention_coordinates(h, w) < 0 || create_series(h, w) < 0)
        goto done;
    rc = 0;
done:
    if (fcpl >= 0) H5Pclose(fcpl);
    if (fapl >= 0) H5Pclose(fapl);
    if (rc < 0) discard(h);
    dr_h5_quiet_end(&h->quiet);
    return rc;
}

/* ---- tick, log ------------------------------------------------------- */

/* Value of the (time) series s on day `day` - 1, read back from the file,
 * or 0 on day 0: where a cumulative series continues when its earlier rows
 * were written by someone else (a restart). Returns 0 or -1. */
static int previous_total(dr_h5_observer *h, int s, int64_t day, int64_t *v)
{
    *v = 0;
    if (day == 0) return 0;
    hsize_t start = (hsize_t)(day - 1), count = 1;
    hid_t fs = H5Dget_space(h->series[s]);
    hid_t ms = H5Screate_simple(1, &count, NULL);
    int ok = fs >= 0 && ms >= 0 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0 &&
             H5Dread(h->series[s], H5T_NATIVE_INT64, ms, fs, H5P_DEFAULT, v) >= 0;
    if (fs >= 0) H5Sclose(fs);
    if (ms >= 0) H5Sclose(ms);
    return ok ? 0 : -1;
}

/* Write row `day` of the civilian series from the world's integer counts
 * (agents, rebuilt by integer reduction in phase 7) times agent_scale.
 * Every sum runs in index order over integers: the rows do not depend on
 * the thread count. Returns 0 or -1. */
static int write_civilians(dr_h5_observer *h, const dr_world *w, int64_t day)
{
    const int64_t scale = w->sc->meta.agent_scale >= 1 ? w->sc->meta.agent_scale : 1;
    const size_t nl = w->n_locations, nr = w->n_routes, nc = w->n_crossings;
    const size_t ns = DR_AGENT_STATUS_COUNT;
    int64_t *row = h->row64;
    int64_t displaced = 0, returns = 0, deported = 0;

    for (size_t k = 0; k < nl * ns; k++) row[k] = w->civ_count[k] * scale;
    for (size_t l = 0; l < nl; l++)
        displaced += row[l * ns + DR_AGENT_IDP] + row[l * ns + DR_AGENT_REFUGEE] +
                     row[l * ns + DR_AGENT_IN_TRANSIT];
    if (write_row(h, DR_H5_CIVILIANS, day, H5T_NATIVE_INT64, row) < 0) return -1;
    /* Whoever travels has left home (a resident or returnee who sets off
     * becomes idp or refugee), so every traveller counts as displaced. */
    for (size_t r = 0; r < nr; r++) {
        row[r] = w->civ_on_route[r] * scale;
        displaced += row[r];
    }
    if (write_row(h, DR_H5_CIVILIANS_ON_ROUTE, day, H5T_NATIVE_INT64, row) < 0) return -1;
    for (size_t k = 0; k < 2 * nr; k++) row[k] = w->civ_flow[k] * scale;
    if (write_row(h, DR_H5_ROUTE_FLOW, day, H5T_NATIVE_INT64, row) < 0) return -1;
    for (size_t c = 0; c < nc; c++) {
        size_t r = w->crossing_routes[c];
        row[2 * c] = w->civ_flow[2 * r] * scale;
        row[2 * c + 1] = w->civ_flow[2 * r + 1] * scale;
    }
    if (write_row(h, DR_H5_CROSSING_FLOW, day, H5T_NATIVE_INT64, row) < 0) return -1;
    for (size_t l = 0; l < nl; l++) {
        row[l] = w->civ_returns[l] * scale;
        returns += row[l];
    }
    if (write_row(h, DR_H5_RETURNS, day, H5T_NATIVE_INT64, row) < 0) return -1;
    for (size_t l = 0; l < nl; l++) {
        row[l] = w->civ_deported[l] * scale;
        deported += row[l];
    }
    if (write_row(h, DR_H5_DEPORTATIONS, day, H5T_NATIVE_INT64, row) < 0) return -1;
    for (size_t l = 0; l < nl; l++) row[l] = w->civ_deaths[l] * scale;
    if (write_row(h, DR_H5_CIVILIAN_AGENT_DEATHS, day, H5T_NATIVE_INT64, row) < 0)
        return -1;
    for (size_t r = 0; r < nr; r++) row[r] = w->civ_route_deaths[r] * scale;
    if (write_row(h, DR_H5_CIVILIAN_AGENT_DEATHS_ON_ROUTE, day, H5T_NATIVE_INT64, row) <
        0)
        return -1;
    for (size_t l = 0; l < nl; l++) row[l] = w->civ_active[l] * scale;
    if (write_row(h, DR_H5_MOBILISED, day, H5T_NATIVE_INT64, row) < 0) return -1;
    if (write_row(h, DR_H5_DISPLACED, day, H5T_NATIVE_INT64, &displaced) < 0) return -1;
    /* Running totals, continued from the file's previous row when this
     * observer did not write it (the first day after a restart). */
    if (h->cum_day != day - 1) {
        if (previous_total(h, DR_H5_RETURNS_CUMULATIVE, day, &h->cum_returns) < 0 ||
            previous_total(h, DR_H5_DEPORTATIONS_CUMULATIVE, day, &h->cum_deported) < 0)
            return -1;
    }
    h->cum_returns += returns;
    h->cum_deported += deported;
    h->cum_day = day;
    if (write_row(h, DR_H5_RETURNS_CUMULATIVE, day, H5T_NATIVE_INT64, &h->cum_returns) <
            0 ||
        write_row(h, DR_H5_DEPORTATIONS_CUMULATIVE, day, H5T_NATIVE_INT64,
                  &h->cum_deported) < 0)
        return -1;
    return 0;
}

/* An int64 count as int32 for the file, saturating at INT32_MAX. */
static int32_t count32(int64_t v)
{
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

/* Write row `day` of the series of the external powers and of the
 * interventions. Returns 0 or -1. */
static int write_interventions(dr_h5_observer *h, const dr_world *w, int64_t day)
{
    const size_t na = w->n_actors, nd = w->n_dyads, ni = w->n_interventions;
    double *row = h->row;
    int32_t *row32 = h->row32;

    for (size_t a = 0; a < na; a++)
        row[a] = w->actors[a].kind == DR_ACTOR_POWER ? w->actors[a].involvement : NAN;
    if (write_row(h, DR_H5_INVOLVEMENT, day, H5T_NATIVE_DOUBLE, row) < 0) return -1;
    for (size_t a = 0; a < na; a++)
        row[a] = w->actors[a].kind == DR_ACTOR_POWER ? w->pw_threat[a] : NAN;
    if (write_row(h, DR_H5_THREAT, day, H5T_NATIVE_DOUBLE, row) < 0) return -1;
    for (size_t d = 0; d < nd; d++) row[d] = w->dyads[d].alignment;
    if (write_row(h, DR_H5_ALIGNMENT, day, H5T_NATIVE_DOUBLE, row) < 0) return -1;
    for (size_t d = 0; d < nd; d++) row32[d] = count32(w->ceasefire_left[d]);
    if (write_row(h, DR_H5_CEASEFIRE, day, H5T_NATIVE_INT32, row32) < 0) return -1;
    if (write_row(h, DR_H5_RECRUITED, day, H5T_NATIVE_DOUBLE, &w->recruited_today) < 0)
        return -1;

    /* Along `intervention`: width 0 when the scenario has none, and then
     * write_row writes nothing (the world's arrays may be empty). */
    if (ni == 0) return 0;
    if (write_row(h, DR_H5_INTERVENTION_ACTIVE, day, H5T_NATIVE_INT8, w->iv_active) < 0 ||
        write_row(h, DR_H5_INTERVENTION_PROGRESS, day, H5T_NATIVE_DOUBLE,
                  w->iv_progress) < 0 ||
        write_row(h, DR_H5_INTERVENTION_COST, day, H5T_NATIVE_DOUBLE, w->iv_cost) < 0)
        return -1;
    for (size_t k = 0; k < ni; k++) row32[k] = count32(w->iv_rounds[k]);
    if (write_row(h, DR_H5_INTERVENTION_ROUNDS, day, H5T_NATIVE_INT32, row32) < 0)
        return -1;
    for (size_t k = 0; k < ni; k++) row32[k] = count32(w->iv_successes[k]);
    if (write_row(h, DR_H5_INTERVENTION_AGREEMENTS, day, H5T_NATIVE_INT32, row32) < 0)
        return -1;
    return 0;
}

static int h5_tick(void *ctx, const dr_world *w, int64_t day)
{
    dr_h5_observer *h = ctx;
    if (h->failed || h->file < 0) return -1;
    if (day < 0 || day >= h->days) {
        if (h->err)
            fprintf(h->err, "durand: %s: tick for day %lld outside 0..%lld\n", h->part,
                    (long long)day, (long long)(h->days - 1));
        h->failed = 1;
        return -1;
    }
    dr_h5_quiet_begin(&h->quiet);
    int ok = 1;
    size_t nd = w->n_dyads, nl = w->n_locations;
    for (size_t i = 0; i < nd; i++) h->row[i] = w->dyads[i].tension;
    ok = ok && write_row(h, DR_H5_TENSION, day, H5T_NATIVE_DOUBLE, h->row) == 0;
    for (size_t i = 0; ok && i < nd; i++) h->row[i] = w->dyads[i].trust;
    ok = ok && write_row(h, DR_H5_TRUST, day, H5T_NATIVE_DOUBLE, h->row) == 0;
    ok = ok &&
         write_row(h, DR_H5_COORDINATION, day, H5T_NATIVE_DOUBLE, w->coordination) == 0;
    /* The effective value the relations phase uses: the dyad's own plus
     * what today's economic interventions add. */
    for (size_t i = 0; ok && i < nd; i++) h->row[i] = dr_interdependence(w, i);
    ok = ok && write_row(h, DR_H5_INTERDEPENDENCE, day, H5T_NATIVE_DOUBLE, h->row) == 0;
    ok = ok && write_row(h, DR_H5_INTENSITY, day, H5T_NATIVE_DOUBLE, w->intensity) == 0;
    ok = ok && write_row(h, DR_H5_DANGER, day, H5T_NATIVE_DOUBLE, w->danger) == 0;
    ok = ok && write_row(h, DR_H5_DEATHS, day, H5T_NATIVE_DOUBLE, w->deaths_today) == 0;
    for (size_t c = 0; ok && c < w->n_crossings; c++)
        h->row8[c] = (int8_t)w->routes[w->crossing_routes[c]].status;
    ok = ok && write_row(h, DR_H5_CROSSING_STATUS, day, H5T_NATIVE_INT8, h->row8) == 0;
    /* Sum in location order: the same on every thread count. */
    for (size_t a = 0; ok && a < w->n_actors; a++) {
        double sum = 0.0;
        for (size_t l = 0; l < nl; l++) sum += w->force[a * nl + l];
        h->row[a] = sum;
    }
    ok = ok && write_row(h, DR_H5_PERSONNEL, day, H5T_NATIVE_DOUBLE, h->row) == 0;
    /* The tallies of the day and the state of phases 3-5 are copied as the
     * engine holds them; force is already actor-major, as (actor, location)
     * rows are laid out. */
    ok = ok && write_row(h, DR_H5_FATALITIES, day, H5T_NATIVE_DOUBLE, w->fatalities) == 0;
    ok = ok && write_row(h, DR_H5_CIVILIAN_DEATHS, day, H5T_NATIVE_DOUBLE,
                         w->civilian_deaths) == 0;
    ok = ok && write_row(h, DR_H5_CLASHES, day, H5T_NATIVE_INT32, w->clashes_today) == 0;
    ok = ok && write_row(h, DR_H5_ATTACKS, day, H5T_NATIVE_INT32, w->attacks_today) == 0;
    ok = ok && write_row(h, DR_H5_STRIKES, day, H5T_NATIVE_INT32, w->strikes_today) == 0;
    ok = ok && write_row(h, DR_H5_POSTURE, day, H5T_NATIVE_INT8, w->posture) == 0;
    ok = ok && write_row(h, DR_H5_FORCES, day, H5T_NATIVE_DOUBLE, w->force) == 0;
    ok = ok && write_row(h, DR_H5_PROJECT_DAMAGE, day, H5T_NATIVE_DOUBLE,
                         w->project_damage) == 0;
    /* fatalities_at is actor-major like force. */
    ok = ok && write_row(h, DR_H5_FATALITIES_BY_LOCATION, day, H5T_NATIVE_DOUBLE,
                         w->fatalities_at) == 0;
    ok = ok && write_civilians(h, w, day) == 0;
    ok = ok && write_interventions(h, w, day) == 0;
    int rc = ok ? 0 : fail(h, "cannot write day %lld", (long long)day);
    dr_h5_quiet_end(&h->quiet);
    return rc;
}

static int h5_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    dr_h5_observer *h = ctx;
    (void)w;
    if (h->failed || h->file < 0) return -1;
    if (h->n_events == h->cap_events) {
        size_t cap = h->cap_events ? 2 * h->cap_events : 64;
        dr_h5_event_row *grown = realloc(h->events, cap * sizeof *grown);
        if (!grown) return fail(h, "out of memory for the event log");
        h->events = grown;
        h->cap_events = cap;
    }
    dr_h5_event_row *r = &h->events[h->n_events];
    r->note = dr_h5_dup_string(e->note ? e->note : "");
    if (!r->note) return fail(h, "out of memory for the event log");
    r->day = (int32_t)e->day;
    r->kind = (int8_t)e->kind;
    r->actor_a = index32(e->actor_a);
    r->actor_b = index32(e->actor_b);
    r->location = index32(e->location);
    r->crossing = (e->route != DR_NONE && e->route < h->n_routes)
                      ? index32(h->crossing_of_route[e->route])
                      : -1;
    r->value = e->value;
    h->n_events++;
    return 0;
}

/* ---- end ------------------------------------------------------------- */

/* Write the event log columns along a new `event` dimension of n rows.
 * Returns 0 or -1 (reported). */
static int write_event_log(dr_h5_observer *h, const dr_world *w)
{
    size_t n = h->n_events;
    size_t cap = n ? n : 1;
    hsize_t chunk = n < DR_H5_EVENT_CHUNK ? n : DR_H5_EVENT_CHUNK;
    int32_t *i32 = malloc(cap * sizeof *i32);
    int8_t *i8 = malloc(cap * sizeof *i8);
    double *f64 = malloc(cap * sizeof *f64);
    const char **str = malloc(cap * sizeof *str);
    int rc = -1;
    if (!i32 || !i8 || !f64 || !str) {
        fail(h, "out of memory");
        goto done;
    }

    for (size_t i = 0; i < n; i++) i32[i] = (int32_t)i;
    dr_h5_var ev = {"event", H5T_STD_I32LE, 1,   {DR_H5_DIM_EVENT, 0},  {n, 0},
                    1,       {chunk, 0},    "1", "row of the event log"};
    if (create_coordinate(h, DR_H5_DIM_EVENT, &ev, H5T_NATIVE_INT32, i32) < 0) goto done;

    char day_units[64];
    snprintf(day_units, sizeof day_units, "days since %s", w->sc->meta.start_date);
    for (size_t i = 0; i < n; i++) i32[i] = h->events[i].day;
    dr_h5_var v1 = {"event_day", H5T_STD_I32LE, 1,         {DR_H5_DIM_EVENT, 0}, {n, 0},
                    1,           {chunk, 0},    day_units, "day of the event"};
    hid_t d = create_var(h, &v1);
    if (d < 0) goto done;
    if (dr_h5_attr_string(d, "calendar", "proleptic_gregorian") < 0 ||
        (n && H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, i32) < 0)) {
        H5Dclose(d);
        fail(h, "cannot write variable event_day");
        goto done;
    }
    H5Dclose(d);

    for (size_t i = 0; i < n; i++) i8[i] = h->events[i].kind;
    dr_h5_var v2 = {"event_kind",         H5T_STD_I8LE, 1,
                    {DR_H5_DIM_EVENT, 0}, {n, 0},       1,
                    {chunk, 0},           "1",          "kind of event"};
    if ((d = create_var(h, &v2)) < 0) goto done;
    if (dr_h5_attr_flags(d, dr_log_kind_names, DR_LOG_KIND_COUNT) < 0 ||
        (n && H5Dwrite(d, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, i8) < 0)) {
        H5Dclose(d);
        fail(h, "cannot write variable event_kind");
        goto done;
    }
    H5Dclose(d);

    static const struct {
        const char *name;
        const char *long_name;
        const char *comment;
    } idx[4] = {
        {"event_actor_a", "index along actor of the first actor involved", "-1 = none"},
        {"event_actor_b", "index along actor of the second actor involved", "-1 = none"},
        {"event_location", "index along location of the event's place", "-1 = none"},
        {"event_route", "index along crossing of the route involved",
         "-1 = none (or a route that is not a border crossing)"},
    };
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; i < n; i++) {
            const dr_h5_event_row *r = &h->events[i];
            i32[i] = k == 0   ? r->actor_a
                     : k == 1 ? r->actor_b
                     : k == 2 ? r->location
                              : r->crossing;
        }
        dr_h5_var v = {idx[k].name, H5T_STD_I32LE, 1,   {DR_H5_DIM_EVENT, 0}, {n, 0},
                       1,           {chunk, 0},    "1", idx[k].long_name};
        if ((d = create_var(h, &v)) < 0) goto done;
        if (dr_h5_attr_string(d, "comment", idx[k].comment) < 0 ||
            (n &&
             H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, i32) < 0)) {
            H5Dclose(d);
            fail(h, "cannot write variable %s", idx[k].name);
            goto done;
        }
        H5Dclose(d);
    }

    for (size_t i = 0; i < n; i++) f64[i] = h->events[i].value;
    dr_h5_var v3 = {"event_value",
                    H5T_IEEE_F64LE,
                    1,
                    {DR_H5_DIM_EVENT, 0},
                    {n, 0},
                    1,
                    {chunk, 0},
                    "1",
                    "kind-specific magnitude of the event (see SCHEMA.md)"};
    if (write_static(h, &v3, H5T_NATIVE_DOUBLE, f64) < 0) goto done;

    for (size_t i = 0; i < n; i++) str[i] = h->events[i].note;
    dr_h5_var v4 = {
        "event_note",       0, 1, {DR_H5_DIM_EVENT, 0}, {n, 0}, 0, {0, 0}, "1",
        "note of the event"};
    if (write_static(h, &v4, 0, str) < 0) goto done;
    rc = 0;
done:
    free(i32);
    free(i8);
    free(f64);
    free(str);
    return rc;
}

static int h5_end(void *ctx, const dr_world *w, int status)
{
    dr_h5_observer *h = ctx;
    h->ended = 1;
    dr_h5_quiet_begin(&h->quiet);
    int rc = -1;
    if (status != 0 || h->failed || h->file < 0) {
        discard(h);
        goto done;
    }
    char now[21];
    dr_h5_iso_now(now);
    if (flush_all(h) < 0) {
        fail(h, "cannot write the last rows of the time series");
        discard(h);
        goto done;
    }
    if (write_event_log(h, w) < 0) {
        discard(h);
        goto done;
    }
    if (dr_h5_attr_string(h->file, "wall_time_end", now) < 0) {
        fail(h, "cannot write wall_time_end");
        discard(h);
        goto done;
    }
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0) {
        fail(h, "cannot flush the file");
        discard(h);
        goto done;
    }
    /* Close the datasets first so the file close is the real one and its
     * status tells whether everything reached the disk. */
    hid_t file = h->file;
    h->file = -1;
    close_all(h);
    if (H5Fclose(file) < 0) {
        fail(h, "cannot close the file");
        remove(h->part);
        goto done;
    }
    if (rename(h->part, h->path) != 0) {
        int e = errno;
        fail(h, "cannot rename to %s: %s", h->path, strerror(e));
        remove(h->part);
        goto done;
    }
    rc = 0;
done:
    dr_h5_quiet_end(&h->quiet);
    return rc;
}

/* ---- create, destroy ------------------------------------------------- */

/* HDF5 1.10 cannot close a file whose writes failed (disk full, a file-size
 * limit): H5Fclose fails half-way, and the library's atexit clean-up then
 * crashes on that file. durand closes every file itself, so the clean-up is
 * not needed. H5dont_atexit only works before the library's first use. */
void dr_h5_prepare(void)
{
    H5dont_atexit();
}

dr_observer *dr_h5_observer_create(const char *path, const dr_h5_run_info *info,
                                   FILE *err)
{
    if (!path) return NULL;
    dr_h5_observer *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->file = -1;
    for (int i = 0; i < DR_H5_DIM_COUNT; i++) h->scale[i] = -1;
    for (int s = 0; s < DR_H5_SERIES_COUNT; s++) h->series[s] = -1;
    h->cum_day = -1;
    h->err = err;
    h->mpi_ranks = info && info->mpi_ranks > 0 ? info->mpi_ranks : 1;
    size_t n = strlen(path);
    h->path = dr_h5_dup_string(path);
    h->part = malloc(n + sizeof ".part");
    if (info && info->command_line)
        h->command_line = dr_h5_dup_string(info->command_line);
    if (!h->path || !h->part || (info && info->command_line && !h->command_line)) {
        free(h->path);
        free(h->part);
        free(h->command_line);
        free(h);
        return NULL;
    }
    memcpy(h->part, path, n);
    memcpy(h->part + n, ".part", sizeof ".part");
    h->obs.ctx = h;
    h->obs.begin = h5_begin;
    h->obs.tick = h5_tick;
    h->obs.log = h5_log;
    h->obs.end = h5_end;
    return &h->obs;
}

int64_t dr_h5_observer_file(const dr_observer *obs)
{
    if (!obs || obs->begin != h5_begin) return -1;
    dr_h5_observer *h = obs->ctx;
    if (h->failed || h->file < 0) return -1;
    /* Whoever reads the file sees every row written so far. */
    dr_h5_quiet_begin(&h->quiet);
    int rc = flush_all(h);
    dr_h5_quiet_end(&h->quiet);
    if (rc < 0) {
        fail(h, "cannot write buffered rows of the time series");
        return -1;
    }
    return (int64_t)h->file;
}

void dr_h5_observer_destroy(dr_observer *obs)
{
    if (!obs) return;
    dr_h5_observer *h = obs->ctx;
    if (h->file >= 0) {
        /* A run that never reached end(): its output is incomplete. */
        dr_h5_quiet_begin(&h->quiet);
        discard(h);
        dr_h5_quiet_end(&h->quiet);
    }
    for (size_t i = 0; i < h->n_events; i++) free(h->events[i].note);
    free(h->events);
    for (int s = 0; s < DR_H5_SERIES_COUNT; s++) free(h->buf[s]);
    free(h->row);
    free(h->row8);
    free(h->row32);
    free(h->row64);
    free(h->crossing_of_route);
    free(h->path);
    free(h->part);
    free(h->command_line);
    free(h);
}
