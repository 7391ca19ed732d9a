/*
 * h5_util.h — small HDF5 helpers shared by the writers of output/ (result
 * files, sweep files, comparison files, FLEE validation data,
 * checkpoints): string and numeric attributes, CF variables, error
 * reports, and the writer of a whole file that sweep and comparison files
 * share.
 */
#ifndef DR_H5_UTIL_H
#define DR_H5_UTIL_H

#include <hdf5.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Target uncompressed size of one chunk. Small enough that a partly
 * written chunk stays in HDF5's default 1 MiB chunk cache, so each tick's
 * row of a time series is compressed once, when its chunk is complete. */
#define DR_H5_CHUNK_BYTES ((size_t)128 * 1024)
/* Deflate level of chunked datasets (with the shuffle filter before it). */
#define DR_H5_DEFLATE 4
/* Most axes of a variable. */
#define DR_H5_MAX_RANK 3

/* A variable-length UTF-8 string type (caller closes), or -1. */
hid_t dr_h5_vlen_string_type(void);

/* Write a scalar variable-length UTF-8 string attribute `name` = value
 * (NULL writes "") on loc. h5py and h5netcdf read these as Python str,
 * ncdump as `string`; unlike fixed-length strings they have no length-1
 * or empty-string quirks and any length fits (the text lives in the
 * global heap). Returns 0 or -1. */
int dr_h5_attr_string(hid_t loc, const char *name, const char *value);

/* A malloc'd copy of s (NULL for NULL or when memory runs out); C11 has no
 * strdup. */
char *dr_h5_dup_string(const char *s);

/* Write a numeric attribute: scalar when n == 1, a 1-D array of n
 * otherwise. file_type is the stored type, mem_type describes `value`.
 * Returns 0 or -1. */
int dr_h5_attr_numeric(hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                       const void *value, size_t n);

/* Scalar numeric attributes, stored little-endian. Return 0 or -1. */
int dr_h5_attr_i64(hid_t loc, const char *name, int64_t v);
int dr_h5_attr_u64(hid_t loc, const char *name, uint64_t v);
int dr_h5_attr_i32(hid_t loc, const char *name, int32_t v);
int dr_h5_attr_f64(hid_t loc, const char *name, double v);

/* CF flag_values 0..n-1 (int8, the type of a categorical variable) and
 * flag_meanings, the names joined by spaces (a NULL name as "unknown").
 * Returns 0, or -1 (also for more than 64 names or 1 KiB of meanings). */
int dr_h5_attr_flags(hid_t loc, const char *const *names, size_t n);

/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" into buf[21] (the
 * history line, wall_time_start and wall_time_end). */
void dr_h5_iso_now(char buf[21]);

/*
 * The provenance attributes every durand file starts its root with, in
 * this order: Conventions = "CF-1.8", title, comment, source ("durand
 * VERSION (REVISION)"), history ("NOW COMMAND_LINE"), durand_file (when
 * not NULL: the kind of file), durand_version, git_revision, compiler,
 * gsl_version, hdf5_version, libconfig_version. `now` is the time of the
 * history line (dr_h5_iso_now). Returns 0 or -1.
 */
int dr_h5_attr_provenance(hid_t root, const char *title, const char *comment,
                          const char *now, const char *command_line,
                          const char *durand_file);

/* HDF5's automatic error printing, saved by dr_h5_quiet_begin. */
typedef struct dr_h5_quiet {
    H5E_auto2_t func;
    void *data;
} dr_h5_quiet;

/* Switch HDF5's automatic error printing off for the duration of one
 * public call (its errors are reported as one line instead);
 * dr_h5_quiet_end clears the error stack and puts back what was
 * installed before, so other HDF5 users in the process are not
 * affected. */
void dr_h5_quiet_begin(dr_h5_quiet *q);
void dr_h5_quiet_end(const dr_h5_quiet *q);

/* A new property list of class cls (H5P_FILE_CREATE or H5P_GROUP_CREATE)
 * with link and attribute creation order tracked and indexed (caller
 * closes), or -1. */
hid_t dr_h5_order_props(hid_t cls);

/* A variable to create with dr_h5_create_var; every pointer is
 * borrowed. */
typedef struct dr_h5_var_spec {
    const char *name;
    hid_t file_type;      /* stored type; 0: variable-length UTF-8 string */
    int rank;             /* 1 to DR_H5_MAX_RANK */
    const hsize_t *size;  /* [rank] length of each axis */
    const hsize_t *chunk; /* [rank] chunk shape (with shuffle + deflate, when
                             no axis is 0), or NULL: contiguous */
    const hid_t *scale;   /* [rank] dimension scale of each axis, -1: none */
    const char *units;
    const char *long_name;
} dr_h5_var_spec;

/*
 * Create a dataset as described in loc, with attribute creation order
 * tracked, object times off (so two runs give the same object headers), a
 * NaN fill value and `_FillValue` for H5T_IEEE_F64LE (integers get none),
 * the `units` and `long_name` attributes, and the scale of every axis that
 * has one attached. Returns the open dataset, or -1 with HDF5's error
 * stack left for the caller's report.
 */
hid_t dr_h5_create_var(hid_t loc, const dr_h5_var_spec *v);

/* Write all of dataset d from data (mem_type describes it; 0: variable-
 * length strings). Returns 0 or -1. */
int dr_h5_write_all(hid_t d, hid_t mem_type, const void *data);

/* Chunk shape of a variable of `rank` axes of size[] and elem-byte values:
 * the whole inner axes, and along the first as many rows as fit in
 * DR_H5_CHUNK_BYTES (at least one, at most size[0]). */
void dr_h5_chunk_shape(int rank, const hsize_t *size, size_t elem, hsize_t *chunk);

/*
 * Report a failed step as one line on err: "durand: PATH: WHAT (HDF5
 * DETAIL)", WHAT formatted from fmt and ap, DETAIL what `detail` (an
 * H5Ewalk2 callback writing at most 256 bytes into its data, called for
 * the innermost error first; NULL: "FUNC: DESC") makes of HDF5's current
 * error stack, and "durand: PATH: WHAT" when the stack is empty. Clears
 * the stack; prints nothing when err is NULL.
 */
void dr_h5_vreport(FILE *err, const char *path, H5E_walk2_t detail, const char *fmt,
                   va_list ap);

/* ---- the writer of sweep and comparison files ----------------------------- */

/* Most dimensions of a file written with a dr_h5_writer. */
#define DR_H5_WRITER_DIMS 8

/* A file being written: its dimension scales, by the caller's own enum of
 * dimensions, and where errors go. */
typedef struct dr_h5_writer {
    hid_t file;
    hid_t scale[DR_H5_WRITER_DIMS]; /* open coordinate variables, -1: none */
    const char *path;               /* the file being written, for messages */
    FILE *err;                      /* borrowed; NULL: silent */
    int failed;                     /* an error was reported (later ones are not) */
} dr_h5_writer;

/* A variable to create with a dr_h5_writer. */
typedef struct dr_h5_wvar {
    const char *name;
    hid_t file_type; /* H5T_IEEE_F64LE, H5T_STD_I32LE, H5T_STD_I8LE; 0 = string */
    int rank;
    int dims[DR_H5_MAX_RANK];     /* the writer's dimension of each axis */
    hsize_t size[DR_H5_MAX_RANK]; /* length of each axis */
    int chunked;                  /* chunked (dr_h5_chunk_shape), shuffle + deflate */
    const char *units;
    const char *long_name;
} dr_h5_wvar;

/* Report as dr_h5_vreport (HDF5's detail as "FUNC: DESC"), the first
 * error of the writer only, and mark it failed. Returns -1. */
int dr_h5_writer_fail(dr_h5_writer *w, const char *fmt, ...);

/* Create variable v in loc (dr_h5_create_var; the writer's scales
 * attached). Returns the open dataset, or -1 (reported). */
hid_t dr_h5_writer_create_var(dr_h5_writer *w, hid_t loc, const dr_h5_wvar *v);

/* Create v in loc and write it whole from data (mem_type as in
 * dr_h5_write_all; data NULL: left at the fill value). The dataset is
 * left open in *keep when keep is not NULL, else closed. Returns 0 or -1
 * (reported). */
int dr_h5_writer_write_var(dr_h5_writer *w, hid_t loc, const dr_h5_wvar *v,
                           hid_t mem_type, const void *data, hid_t *keep);

/* Write v at the root as the coordinate variable of dimension `dim`: a
 * dimension scale named after itself, left open in w->scale[dim]. Returns
 * 0 or -1 (reported). */
int dr_h5_writer_coordinate(dr_h5_writer *w, int dim, const dr_h5_wvar *v, hid_t mem_type,
                            const void *data);

/*
 * Write a new file at `path`: create PATH.part (link and attribute
 * creation order tracked and indexed), let contents(w, arg) fill it, close
 * every scale and the file, and rename it to `path` — or remove it when
 * anything failed, so that a failed write leaves nothing at `path`.
 * HDF5's automatic error printing is off meanwhile. Returns 0, or -1
 * after one line on err.
 */
int dr_h5_writer_write_file(const char *path, FILE *err,
                            int (*contents)(dr_h5_writer *w, const void *arg),
                            const void *arg);

#endif /* DR_H5_UTIL_H */
