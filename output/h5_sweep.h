/*
 * h5_sweep.h — the HDF5 (netCDF-4/CF) sweep file: a design matrix, per-run
 * indicators and status, optional per-run series, provenance, and the
 * `sensitivity` group `durand sensitivity` adds. The layout is documented
 * in output/SCHEMA.md ("Sweep files"); keep the two in step.
 *
 * The whole file is written at once from memory (to "<path>.part", renamed
 * on success), so a file at <path> is always complete; crash safety during
 * a sweep is the runner's journal (engine/sweep.h). Datasets depend only on
 * the sweep (scenario, overrides, design, replications, seed, options),
 * never on threads, ranks, shards or the wall clock: those are root
 * attributes, so h5diff of datasets compares runs made different ways.
 */
#ifndef DR_H5_SWEEP_H
#define DR_H5_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The content of a sweep file. Built by the caller with borrowed pointers
 * for dr_h5_sweep_write, or returned by dr_h5_sweep_read with everything
 * owned (free it with dr_h5_sweep_file_destroy, never field by field).
 * Arrays are row-major.
 */
typedef struct dr_sweep_file {
    /* The scenario. */
    const char *scenario_path;
    const char *scenario_text;
    const char *title;      /* scenario name */
    const char *comment;    /* scenario description */
    const char *overrides;  /* base -s overrides, newline-joined */
    const char *start_date; /* YYYY-MM-DD */
    int64_t days;           /* scenario days (rows of the series) */
    uint64_t seed;
    uint64_t identity;        /* dr_sweep_hash of everything that fixes results */
    double tension_threshold; /* summary option */
    /* The design. */
    const char *design;     /* dr_design_kind_names[kind] */
    uint64_t design_base_n; /* sobol N, morris r, else 0 */
    size_t n_points;
    size_t n_params;
    const char *const *param_names; /* [n_params] setting paths */
    const double *param_lo;         /* [n_params] */
    const double *param_hi;         /* [n_params] */
    const int32_t *param_levels;    /* [n_params] */
    const int8_t *param_integer;    /* [n_params] 0/1 */
    const double *x;                /* [n_points][n_params] */
    uint32_t n_replications;
    /* Indicators and series. */
    size_t n_indicators;
    const char *const *indicator_names;      /* [n_indicators] */
    const char *const *indicator_units;      /* [n_indicators] */
    const char *const *indicator_long_names; /* [n_indicators] */
    size_t n_series;                         /* 0: no series */
    const char *const *series_names;         /* [n_series] */
    const char *const *series_units;
    const char *const *series_long_names;
    /* Results, by run = point * n_replications + replication. */
    size_t n_runs;
    const int8_t *status;     /* [n_runs] dr_run_status */
    const double *indicators; /* [n_runs][n_indicators] */
    const double *series;     /* [n_runs][days][n_series] or NULL */
    /* Which runs this file was meant to hold. */
    uint32_t shard, n_shards; /* 0/1 for a whole sweep */

    void **owned; /* reader's allocations; NULL when caller-built */
    size_t n_owned;
} dr_sweep_file;

/* Provenance that is not part of the results. */
typedef struct dr_h5_sweep_info {
    const char *command_line;    /* CF history; borrowed */
    const char *wall_time_start; /* ISO 8601 UTC; NULL: now */
    int mpi_ranks;
    int omp_threads;
    int merged_from; /* shard files merged; 0 when not a merge */
} dr_h5_sweep_info;

/*
 * Write f to `path` (via "<path>.part" and a rename). Returns 0, or -1
 * after one line on `err`; nothing is left at <path>.part on failure.
 */
int dr_h5_sweep_write(const char *path, const dr_sweep_file *f,
                      const dr_h5_sweep_info *info, FILE *err);

/*
 * Read a sweep file written by dr_h5_sweep_write (any shard). Returns the
 * content, or NULL after one line on `err` naming the file and what is
 * missing or wrong.
 */
dr_sweep_file *dr_h5_sweep_read(const char *path, FILE *err);

/* Free what dr_h5_sweep_read returned; accepts NULL. */
void dr_h5_sweep_file_destroy(dr_sweep_file *f);

/* Sensitivity results for the `sensitivity` group. Arrays are
 * [n_indicators][n_params] in the file's indicator and parameter order;
 * those of the other method are NULL. */
typedef struct dr_sweep_sensitivity {
    const char *method; /* "sobol" or "morris" */
    size_t n_indicators, n_params;
    size_t bootstrap; /* sobol: bootstrap resamples */
    uint64_t seed;    /* sobol: bootstrap seed */
    const double *s1, *s1_lo, *s1_hi, *st, *st_lo, *st_hi; /* sobol */
    const double *mu_star, *sigma;                         /* morris */
} dr_sweep_sensitivity;

/*
 * Write (or replace) the `sensitivity` group of an existing sweep file, in
 * place. Returns 0, or -1 after one line on `err`.
 */
int dr_h5_sweep_write_sensitivity(const char *path, const dr_sweep_sensitivity *s,
                                  const char *command_line, FILE *err);

#endif /* DR_H5_SWEEP_H */
