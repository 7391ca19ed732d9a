/*
 * h5_compare.h — the HDF5 (netCDF-4/CF) comparison file of `durand
 * compare`: per-run indicators of every strategy and replication, the
 * effects table (paired differences from the baseline with 95% intervals,
 * independent-seed half-widths, cost-effectiveness, rank), the mean and
 * quantiles of the daily series per strategy, and provenance. The layout
 * is documented in output/SCHEMA.md ("Comparison files"); keep the two in
 * step.
 *
 * Datasets depend only on the comparison (scenario, overrides, strategies,
 * replications, seed, options), never on threads or the wall clock: those
 * are root attributes, so h5diff of datasets compares comparisons made
 * with different thread counts.
 */
#ifndef DR_H5_COMPARE_H
#define DR_H5_COMPARE_H

#include <stdio.h>

#include "compare.h"
#include "scenario.h"

/* Provenance that is not part of the results. */
typedef struct dr_h5_compare_info {
    const char *command_line;    /* CF history; borrowed */
    const char *wall_time_start; /* ISO 8601 UTC; NULL: now */
    const char *overrides;       /* base -s overrides, newline-joined */
    int omp_threads;
} dr_h5_compare_info;

/*
 * Write the analysed comparison c of the strategies `set` (both borrowed)
 * to `path`, via "<path>.part" and a rename. Returns 0, or -1 after one
 * line on `err`; nothing is left at <path>.part on failure, and a file
 * already at <path> is untouched.
 */
int dr_h5_compare_write(const char *path, const dr_compare *c, const dr_strategy_set *set,
                        const dr_h5_compare_info *info, FILE *err);

#endif /* DR_H5_COMPARE_H */
