/*
 * phase_intensity.c — MODEL.md §2 phase 6: conflict intensity per location.
 *
 *   I_l(t) = I_l(t-1) * exp(-1/tau_I) + deaths_l(t)
 *   d_l    = 1 - exp(-I_l / I_ref)
 *
 * deaths_l(t) is everything the earlier phases of the day recorded in
 * w->deaths_today (scheduled shocks now; clashes and attacks as they land).
 * Each location is independent, so the loop is parallel without affecting
 * results.
 */
#include <math.h>

#include "phases.h"

int dr_phase_intensity(dr_world *w)
{
    const dr_intensity_params *p = &w->params.intensity;
    if (!p->enabled) return 0;
    const double keep = exp(-1.0 / p->decay_days);
    const double iref = p->reference_deaths;
    const long n = (long)w->n_locations;
#pragma omp parallel for schedule(static)
    for (long l = 0; l < n; l++) {
        double i = w->intensity[l] * keep + w->deaths_today[l];
        w->intensity[l] = i;
        w->danger[l] = 1.0 - exp(-i / iref);
    }
    return 0;
}
