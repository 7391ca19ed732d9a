/*
 * flee_metric.c — FLEE's validation error: the averaged relative
 * difference (ARD) of simulated and observed camp populations, normal and
 * rescaled, as FLEE's extract-validation-results.py computes it (without
 * its rounding of each camp's difference to four decimals).
 */
#include <math.h>

#include "flee.h"

double dr_flee_day_error(const double *sim, const double *data, size_t n_camps,
                         int rescaled)
{
    double sum_sim = 0.0, sum_data = 0.0;
    for (size_t c = 0; c < n_camps; c++) {
        sum_sim += sim[c];
        sum_data += data[c];
    }
    /* FLEE rescales only when the simulation has someone in camps; else
     * the rescaled simulation is all zero. */
    double f = 1.0;
    if (rescaled) f = sum_sim > 0.0 ? sum_data / sum_sim : 0.0;
    double diff = 0.0;
    for (size_t c = 0; c < n_camps; c++) diff += fabs(sim[c] * f - data[c]);
    return diff / (sum_data > 1.0 ? sum_data : 1.0);
}

double dr_flee_ard(const double *sim, const double *data, size_t days, size_t n_camps,
                   int rescaled)
{
    if (days == 0) return 0.0;
    double sum = 0.0;
    for (size_t t = 0; t < days; t++)
        sum +=
            dr_flee_day_error(sim + t * n_camps, data + t * n_camps, n_camps, rescaled);
    return sum / (double)days;
}
