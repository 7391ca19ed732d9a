/*
 * h5_observer.h — the HDF5 (netCDF-4/CF) result file of one run.
 *
 * The observer writes to "<path>.part" and renames it to <path> only when
 * the run ends with status 0, so a failed or interrupted run leaves nothing
 * at the target path. The layout is documented in output/SCHEMA.md.
 */
#ifndef DR_H5_OBSERVER_H
#define DR_H5_OBSERVER_H

#include <stdint.h>
#include <stdio.h>

#include "observer.h"

typedef struct dr_h5_run_info {
    const char *command_line; /* for the CF `history` attribute; borrowed */
    int mpi_ranks;            /* 1 for a plain run */
} dr_h5_run_info;

/*
 * Prepare the HDF5 library for a program that writes results; call once
 * at start, before any other HDF5 use. It keeps HDF5 from installing its
 * atexit clean-up, which in HDF5 1.10 crashes on a file whose writes had
 * failed (disk full, a file-size limit); every file is closed explicitly.
 */
void dr_h5_prepare(void);

/*
 * Create an observer that writes the run to `path`. Nothing is created on
 * disk until `begin`. Errors are reported as one line on `err`. Returns NULL
 * if memory runs out. Free with dr_h5_observer_destroy after the run (this
 * removes any ".part" file a failed run left).
 */
dr_observer *dr_h5_observer_create(const char *path, const dr_h5_run_info *info,
                                   FILE *err);
void dr_h5_observer_destroy(dr_observer *obs);

/* The HDF5 file (an hid_t) the observer has open between begin and end,
 * or -1: output/h5_checkpoint.c copies the time series written so far from
 * it and back into it on restart. Rows the observer still buffers are
 * written to the file first. */
int64_t dr_h5_observer_file(const dr_observer *obs);

/*
 * Print a human summary of a result file to `out` (what `durand inspect`
 * shows): scenario, provenance, dimensions, each variable with its units,
 * and headline figures. Returns 0, or 2 with a message on `err` if the file
 * cannot be read as a durand result.
 */
int dr_h5_inspect(const char *path, FILE *out, FILE *err);

#endif /* DR_H5_OBSERVER_H */
