/*
 * lanchester.h — Lanchester attrition (Lanchester 1916), deterministic and
 * stochastic, for clashes (MODEL.md §2 phase 4).
 *
 * Side A has effectiveness alpha (B's losses per A per day, square law),
 * side B has beta. Square law (aimed fire): dA/dt = -beta*B, dB/dt =
 * -alpha*A, invariant alpha*A^2 - beta*B^2. Linear law (area fire): dA/dt =
 * -beta*A*B, dB/dt = -alpha*A*B, invariant alpha*A - beta*B.
 */
#ifndef DR_LANCHESTER_H
#define DR_LANCHESTER_H

#include <gsl/gsl_rng.h>

#include "scenario.h"

/*
 * Deterministic square law fought to annihilation of one side. Returns the
 * winner's survivors, sqrt((alpha*a0^2 - beta*b0^2)/alpha) when A wins;
 * *winner is +1 for A, -1 for B, 0 for a draw (alpha*a0^2 == beta*b0^2);
 * *t_end is the time at which the loser reaches zero, atanh(ratio)/gamma with
 * gamma = sqrt(alpha*beta) and ratio = sqrt(beta)*b0/(sqrt(alpha)*a0) when A
 * wins (0 if the loser starts at zero). In a draw between positive forces
 * both decay as exp(-gamma*t) and never reach zero: the return value is 0 and
 * *t_end is INFINITY (0 if both start at zero). Requires alpha, beta > 0,
 * a0, b0 >= 0.
 */
double dr_lanchester_square(double alpha, double beta, double a0, double b0,
                            int *winner, double *t_end);

/*
 * Deterministic state (*a, *b) after time t under either law (closed forms:
 * hyperbolic functions for the square law, the logistic-type solution for
 * the linear law), each side floored at zero. Once a side reaches zero the
 * state no longer changes (only the square law reaches zero in finite time;
 * under the linear law the weaker side decays towards zero and the stronger
 * towards (alpha*a0 - beta*b0)/alpha or its mirror). A zero alpha or beta is
 * allowed: the side that is fired upon then falls linearly (square law) or
 * not at all (both zero). Requires alpha, beta >= 0, a0, b0 >= 0, t >= 0.
 */
void dr_lanchester_at(dr_lanchester_law law, double alpha, double beta, double a0,
                      double b0, double t, double *a, double *b);

/* The conserved quantity of a law at (a, b): alpha*a^2 - beta*b^2 for the
 * square law, alpha*a - beta*b for the linear law. Positive when A wins. */
double dr_lanchester_invariant(dr_lanchester_law law, double alpha, double beta,
                               double a, double b);

/*
 * Stochastic Lanchester attrition as a continuous-time Markov chain (exact
 * Gillespie simulation): A loses one person at rate beta*B (square) or
 * beta*A*B (linear), B at rate alpha*A or alpha*A*B. Runs until time t_max
 * (INFINITY: to the end), or a side falls to its break level (a_break,
 * b_break persons; 0 or less = annihilation). A side that starts at or
 * below its break level stops the fight before any event. Writes the losses
 * of each side (a0 - final A, b0 - final B) and the time elapsed: the time
 * of the last event when a side broke, t_max otherwise (also when no event
 * can happen because the rates are zero: INFINITY if t_max is).
 *
 * Draws only from r: per event one gsl_ran_exponential (waiting time) then
 * one gsl_rng_uniform (which side loses); the waiting time that overshoots
 * t_max is drawn and discarded. Cost is O(losses), at most
 * (a0 - a_break) + (b0 - b_break) events, so the call always terminates, but
 * a fight to annihilation between forces of 10^8 costs 10^8 events: callers
 * bound it with t_max, break levels or capped engaged forces. Requires
 * alpha, beta >= 0, t_max >= 0.
 */
void dr_lanchester_ctmc(gsl_rng *r, dr_lanchester_law law, double alpha,
                        double beta, long a0, long b0, double t_max, long a_break,
                        long b_break, long *a_lost, long *b_lost, double *t);

#endif /* DR_LANCHESTER_H */
