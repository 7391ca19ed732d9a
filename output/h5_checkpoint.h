/*
 * h5_checkpoint.h — checkpoints of one run as HDF5 files, and restarts
 * from them (README.md "Checkpoint and restart"; the file layout is in
 * output/SCHEMA.md, "Checkpoint files").
 *
 * A checkpoint holds, after a completed day t: every block of world state
 * (dr_world_state_blocks), the time series of the result file written so
 * far (rows 0..t of every dataset whose first dimension is `time`, found by
 * walking the result file, so a new series needs no change here), the event
 * log so far, and the identity of the run (scenario text and its hash,
 * overrides, seed, replication, durand version and the state layout). It is
 * written to "<path>.part", flushed to disk and renamed over <path>, so
 * <path> is always the last complete checkpoint.
 *
 * Use: create a dr_h5_ckpt around the observer chain of a run and attach
 * dr_h5_ckpt_observer() to the world instead; call dr_h5_ckpt_write after
 * each day that should be checkpointed. To restart, read the identity with
 * dr_h5_ckpt_read_info, load the scenario, check it with dr_h5_ckpt_check,
 * create the world and call dr_h5_ckpt_restore before dr_world_run: the
 * result file's begin then gets the saved rows and the event log is
 * replayed to the observers, so the finished file equals an uninterrupted
 * run's dataset by dataset.
 */
#ifndef DR_H5_CHECKPOINT_H
#define DR_H5_CHECKPOINT_H

#include <stdint.h>
#include <stdio.h>

#include "observer.h"
#include "world.h"

/* Value of the root attribute `format` of a checkpoint file. */
#define DR_H5_CKPT_FORMAT "durand checkpoint"
/* Version of the checkpoint layout (root attribute `format_version`). */
#define DR_H5_CKPT_FORMAT_VERSION 1

/* What a checkpoint says about the run it belongs to (all strings owned;
 * free with dr_h5_ckpt_info_clear). */
typedef struct dr_h5_ckpt_info {
    char *durand_version;   /* DR_VERSION of the writer */
    char *git_revision;     /* DR_GIT_REVISION of the writer */
    uint64_t layout;        /* dr_world_state_layout() of the writer */
    char *scenario_path;    /* as the run was given it */
    char *scenario_text;    /* verbatim */
    uint64_t scenario_hash; /* dr_h5_ckpt_hash of scenario_text */
    char **overrides;       /* [n_overrides], in order */
    size_t n_overrides;
    uint64_t seed;
    uint32_t replication;
    int64_t days;             /* scenario days */
    int64_t day;              /* last day completed; the run goes on at day + 1 */
    int64_t checkpoint_every; /* the run's --checkpoint-every */
    char *output;             /* the run's result file */
} dr_h5_ckpt_info;

typedef struct dr_h5_ckpt dr_h5_ckpt;

/* 64-bit FNV-1a hash of n bytes (scenario text identity). */
uint64_t dr_h5_ckpt_hash(const void *data, size_t n);

/*
 * A checkpointer writing to `path` for a run whose observers are `inner`
 * (borrowed; what the world's observer would otherwise be) and whose
 * result file is written by `h5` (borrowed, a dr_h5_observer_create
 * observer inside the inner chain). `output` is the result path and
 * `every` the checkpoint interval, recorded in the checkpoint. Errors are
 * reported as one line on `err`. Returns NULL if memory runs out.
 */
dr_h5_ckpt *dr_h5_ckpt_create(const char *path, dr_observer *inner, dr_observer *h5,
                              const char *output, int64_t every, FILE *err);
/* Free; accepts NULL. Leaves the checkpoint file alone. */
void dr_h5_ckpt_destroy(dr_h5_ckpt *c);

/* The observer to attach to the world: forwards every call to `inner` and
 * records the event log (borrowed from c). */
dr_observer *dr_h5_ckpt_observer(dr_h5_ckpt *c);

/* Write a checkpoint of w after its day w->day (call between days, after
 * the observers' tick for that day). Returns 0, or 1 after reporting an
 * error (the previous checkpoint, if any, is untouched). */
int dr_h5_ckpt_write(dr_h5_ckpt *c, dr_world *w);

/* Read the identity of a checkpoint. Returns 0, or DR_EXIT_INPUT after one
 * line on err when the file is missing, not a durand checkpoint, truncated
 * or incomplete. */
int dr_h5_ckpt_read_info(const char *path, dr_h5_ckpt_info *info, FILE *err);
void dr_h5_ckpt_info_clear(dr_h5_ckpt_info *info);

/* Check that a checkpoint belongs to this program and to the loaded
 * scenario `sc`, run with `seed` and `replication`: same durand version and
 * git revision, same state layout, same scenario text, overrides, seed and
 * replication. Returns 0, or DR_EXIT_INPUT after one line on err naming
 * the file and the first mismatch. */
int dr_h5_ckpt_check(const char *path, const dr_h5_ckpt_info *info, const dr_scenario *sc,
                     uint64_t seed, uint32_t replication, FILE *err);

/*
 * Restore world w (just created from the checked scenario, seed and
 * replication, not yet run) from checkpoint `path`, verifying its checksum,
 * and keep the saved output and event log for the observer's begin.
 * Returns 0; DR_EXIT_INPUT after one line on err when the file is corrupt
 * or does not fit the world; 1 when memory runs out.
 */
int dr_h5_ckpt_restore(dr_h5_ckpt *c, const char *path, dr_world *w);

#endif /* DR_H5_CHECKPOINT_H */
