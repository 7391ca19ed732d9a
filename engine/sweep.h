/*
 * sweep.h — the experiment runner: many runs of a model (a scenario, or an
 * analytic function in tests) over the points of a design and a number of
 * replications, on OpenMP threads, MPI ranks (build option DR_MPI) or a
 * share of the runs (Slurm array shards), with a crash-safe journal that
 * lets a killed sweep resume.
 *
 * Runs are numbered run = point * n_replications + replication. A run's
 * result depends only on the model, its design point and its replication
 * (and, for scenarios, the seed): never on the thread, rank or shard that
 * computed it, nor on the order runs finish in. Results are stored by run
 * number, so the layout is the same however the work was spread.
 *
 * The journal (<output>.journal, written only by the master) is the crash
 * safety: a header identifying the sweep, then one fixed-size,
 * checksummed record per finished run, appended with write(2) as each run
 * completes (so it survives SIGKILL of the process; it is fdatasync'ed at
 * most every DR_SWEEP_SYNC_SECONDS against power loss). A torn last record
 * is detected by its checksum and cut off on resume. The HDF5 sweep file is
 * written only at the end, from memory, to "<output>.part" and renamed; the
 * journal is then removed. The journal is in the host's byte order: it is
 * a local working file, not an exchange format.
 *
 * MPI is used only in sweep.c (and started/stopped through the
 * dr_sweep_mpi_* functions); without DR_MPI those are no-ops that report a
 * single rank.
 */
#ifndef DR_SWEEP_H
#define DR_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "design.h"
#include "summary.h"

/* Seconds between fdatasync calls on the journal. */
#define DR_SWEEP_SYNC_SECONDS 5.0

/* Status of a run, as stored in the sweep file (flag_values: never
 * renumber). */
typedef enum dr_run_status {
    DR_RUN_MISSING = 0, /* not run (yet, or by another shard) */
    DR_RUN_DONE = 1,    /* completed; its indicators are valid */
    DR_RUN_FAILED = 2,  /* the model returned an error; indicators are NaN */
    DR_RUN_STATUS_COUNT
} dr_run_status;

extern const char *const dr_run_status_names[DR_RUN_STATUS_COUNT];

/* Return codes of dr_sweep_run. */
typedef enum dr_sweep_rc {
    DR_SWEEP_OK = 0,
    DR_SWEEP_INTERRUPTED = 1, /* progress() asked to stop; journal kept */
    DR_SWEEP_EINPUT = 2,      /* journal of another sweep, or exists without resume */
    DR_SWEEP_EIO = 3,         /* the journal could not be written or read */
    DR_SWEEP_ENOMEM = 4
} dr_sweep_rc;

/*
 * What the runner evaluates. `eval` must be callable from several threads
 * at once with the same ctx (treat ctx as read-only) and must be a pure
 * function of (x, replication). It fills indicators[n_indicators] and
 * returns 0, or non-zero when the run failed (the run is then recorded as
 * DR_RUN_FAILED, indicators NaN). `eval_series` (may be NULL when
 * series_width is 0) does the same and also fills series[series_width].
 */
typedef struct dr_sweep_model {
    void *ctx; /* borrowed */
    size_t n_indicators;
    int (*eval)(void *ctx, const double *x, uint32_t replication, double *indicators);
    size_t series_width; /* doubles of per-run series; 0 = none */
    int (*eval_series)(void *ctx, const double *x, uint32_t replication,
                       double *indicators, double *series);
} dr_sweep_model;

/* MPI state of the process (rank 0 of 1 without MPI). */
typedef struct dr_sweep_mpi {
    int active; /* 1 when MPI was initialised by dr_sweep_mpi_init */
    int rank;
    int size;
} dr_sweep_mpi;

/* What to run and how. */
typedef struct dr_sweep_plan {
    size_t n_points;
    size_t n_params;
    const double *x; /* borrowed, row-major [n_points][n_params] */
    uint32_t n_replications;
    uint32_t shard;      /* this process runs runs with run % n_shards == shard */
    uint32_t n_shards;   /* >= 1 */
    int series;          /* 1: call eval_series and keep the series */
    int threads;         /* OpenMP threads, one run each; <= 0: omp default */
    size_t batch;        /* runs per MPI hand-out; 0: automatic */
    uint64_t identity;   /* hash of everything that determines the results */
    const char *journal; /* path of the journal, or NULL for none */
    int resume;          /* 1: continue from an existing journal */
    dr_sweep_mpi mpi;
    /* Called on the master after each finished run (and once at the
     * start) with runs done of the runs this shard owns; a non-zero return
     * stops the sweep (DR_SWEEP_INTERRUPTED). May be NULL. */
    int (*progress)(size_t done, size_t total, void *arg);
    void *progress_arg;
    FILE *err; /* messages; may be NULL */
} dr_sweep_plan;

/* Results, by run number. Filled on the master (rank 0) only. */
typedef struct dr_sweep_results {
    size_t n_runs;
    size_t n_indicators;
    size_t series_width;
    int8_t *status;     /* [n_runs] dr_run_status */
    double *indicators; /* [n_runs][n_indicators], NaN unless done */
    double *series;     /* [n_runs][series_width] or NULL */
    size_t n_owned;     /* runs this shard owns */
    size_t n_resumed;   /* of those, read back from the journal */
    size_t n_ran;       /* run by this call */
    size_t n_failed;    /* owned runs with DR_RUN_FAILED */
    size_t batch;       /* MPI hand-out size used (0 without MPI) */
    int threads;        /* OpenMP threads used per rank */
} dr_sweep_results;

/* Allocate results for n_runs runs (all DR_RUN_MISSING, NaN). Returns
 * NULL if memory runs out. */
dr_sweep_results *dr_sweep_results_create(size_t n_runs, size_t n_indicators,
                                          size_t series_width);
/* Free results; accepts NULL. */
void dr_sweep_results_destroy(dr_sweep_results *r);

/* 1 if `run` belongs to shard `shard` of `n_shards` (round robin, so that
 * every shard gets a similar mix of design points). */
int dr_sweep_shard_owns(size_t run, uint32_t shard, uint32_t n_shards);

/*
 * Run every run this shard owns that `r` does not already hold: read the
 * journal when plan->resume (refusing one whose header does not match
 * this sweep), then evaluate the missing runs, appending each to the
 * journal. Under MPI, every rank calls this collectively: rank 0 hands out
 * batches and fills `r`; the others compute and return DR_SWEEP_OK with
 * `r` untouched. Returns a dr_sweep_rc; on DR_SWEEP_OK every owned run is
 * done or failed.
 */
int dr_sweep_run(const dr_sweep_plan *plan, const dr_sweep_model *model,
                 dr_sweep_results *r);

/* 64-bit FNV-1a: fold n bytes into h (start from DR_SWEEP_HASH_INIT). */
#define DR_SWEEP_HASH_INIT 0xcbf29ce484222325ULL
uint64_t dr_sweep_hash(uint64_t h, const void *data, size_t n);
/* Fold a string and its terminating NUL (NULL folds as ""). */
uint64_t dr_sweep_hash_str(uint64_t h, const char *s);

/*
 * Start MPI if this build has it and the process was launched by an MPI
 * launcher (mpiexec/hydra or srun --mpi=pmi2); otherwise report rank 0 of
 * 1. Returns 0, or DR_SWEEP_EINPUT with a message when the process is one
 * of several Slurm tasks without a PMI (srun without --mpi=pmi2), where
 * every task would run the whole sweep.
 */
int dr_sweep_mpi_init(int *argc, char ***argv, dr_sweep_mpi *mpi, FILE *err);
/* Finish MPI if dr_sweep_mpi_init started it. */
void dr_sweep_mpi_finalize(dr_sweep_mpi *mpi);
/* The largest of every rank's `status` (collective; identity without MPI). */
int dr_sweep_mpi_max(const dr_sweep_mpi *mpi, int status);
/* 1 if this build has MPI support. */
int dr_sweep_mpi_available(void);

/*
 * The scenario model: a run loads the scenario file with the base
 * overrides followed by one override per design parameter (formatted by
 * dr_design_override, which round-trips doubles exactly), runs it
 * single-threaded, and reduces it with dr_summary. The file is read again
 * per run and must still have the text given here (a changed file fails
 * the run rather than mixing two scenarios in one sweep).
 */
typedef struct dr_scenario_model {
    const char *path;             /* borrowed: the scenario file */
    const char *text;             /* borrowed: its text at the start */
    const char *const *overrides; /* borrowed: base overrides, in order */
    size_t n_overrides;
    const dr_design *design; /* borrowed: parameter paths */
    dr_summary_options summary;
    int64_t series_days; /* rows of the per-run series */
} dr_scenario_model;

/* dr_sweep_model.eval for a dr_scenario_model ctx. */
int dr_scenario_model_eval(void *ctx, const double *x, uint32_t replication,
                           double *indicators);
/* dr_sweep_model.eval_series for a dr_scenario_model ctx: series is
 * [series_days][dr_n_summary_series], NaN beyond the run's last day. */
int dr_scenario_model_eval_series(void *ctx, const double *x, uint32_t replication,
                                  double *indicators, double *series);

#endif /* DR_SWEEP_H */
