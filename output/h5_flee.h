/*
 * h5_flee.h — the "validation" extension of a result file: what `durand
 * flee` adds to the one-run file that the HDF5 observer wrote (simulated
 * and observed camp populations per day, FLEE's error metric). The layout
 * is in output/SCHEMA.md, "Validation extension (durand flee)".
 */
#ifndef DR_H5_FLEE_H
#define DR_H5_FLEE_H

#include <stdint.h>
#include <stdio.h>

#include "flee.h"

/*
 * Add the validation variables to the finished result file `path` (it must
 * have the `time` and `location` dimensions of the case's scenario):
 * camp(camp), camp_location(camp), camp_simulated(time, camp),
 * camp_observed(time, camp), error_daily(time), error_daily_rescaled(time),
 * ard and ard_rescaled (scalars). `camp_sim` is [days * n_camps] agents.
 * Returns 0, or 1 after one line on `err` (the caller removes the file).
 */
int dr_h5_flee_append(const char *path, const dr_flee_case *fc, const double *camp_sim,
                      FILE *err);

#endif /* DR_H5_FLEE_H */
