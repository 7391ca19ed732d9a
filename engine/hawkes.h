/*
 * hawkes.h — the daily update of a self- and cross-exciting (Hawkes)
 * process, as used by clash channels (MODEL.md §2 phase 4).
 *
 * In continuous time an event at t_j adds alpha*exp(-beta*(t - t_j)) to the
 * intensity. With one-day ticks the kernel is integrated over each day, so
 * an event on day t adds (alpha/beta)*(1 - e^-beta)*e^(-beta*(k-1)) to the
 * intensity on day t+k (k >= 1). The discrete kernel's total mass is
 * alpha/beta, as in continuous time, so the stationary rate of a univariate
 * process is mu/(1 - alpha/beta) (requires alpha < beta), and of a
 * symmetric pair with self- and cross-excitation alpha_s, alpha_x it is
 * mu/(1 - (alpha_s + alpha_x)/beta).
 */
#ifndef DR_HAWKES_H
#define DR_HAWKES_H

#include <math.h>

/* Excitation carried to the next day from excitation x and n_self events
 * of the process and n_other events of its partner today. */
static inline double dr_hawkes_next(double x, double beta, double alpha_self,
                                    double alpha_cross, double n_self,
                                    double n_other)
{
    double keep = exp(-beta);
    return x * keep + (1.0 - keep) / beta * (alpha_self * n_self + alpha_cross * n_other);
}

#endif /* DR_HAWKES_H */
