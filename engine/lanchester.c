/*
 * lanchester.c — Lanchester attrition: closed forms of the square and linear
 * laws, and their exact stochastic counterpart (a continuous-time Markov
 * chain simulated with Gillespie's direct method).
 *
 * Notation throughout: A has effectiveness alpha, B has beta.
 *
 * Square law, dA/dt = -beta*B, dB/dt = -alpha*A. With gamma = sqrt(alpha*beta)
 * the solution is
 *   A(t) = A0 cosh(gamma t) - sqrt(beta/alpha)  B0 sinh(gamma t)
 *   B(t) = B0 cosh(gamma t) - sqrt(alpha/beta)  A0 sinh(gamma t).
 * Writing u = sqrt(alpha)*A0 and v = sqrt(beta)*B0, alpha*A^2 - beta*B^2 =
 * u^2 - v^2 is conserved: A wins when u > v, B reaches zero where
 * tanh(gamma t) = v/u, i.e. t* = ln((u + v)/(u - v)) / (2 gamma), and A's
 * survivors are sqrt((u^2 - v^2)/alpha). B wins symmetrically; u == v is a
 * draw in which both sides decay as exp(-gamma t) and never reach zero.
 * The code uses the exponential form of the hyperbolic solution, which is
 * the same function, and computes u^2 - v^2 as (u - v)(u + v) to keep the
 * relative accuracy of a near-draw.
 *
 * Linear law, dA/dt = -beta*A*B, dB/dt = -alpha*A*B. With c = alpha*A0 -
 * beta*B0 (conserved as alpha*A - beta*B), each equation is of Bernoulli
 * (logistic) type, and
 *   A(t) = c A0 / (c - beta*B0 * expm1(-c t))
 *   B(t) = c B0 / (c + alpha*A0 * expm1(c t)),
 * with the c == 0 limit A(t) = A0/(1 + alpha*A0 t), B(t) = B0/(1 + beta*B0 t).
 * Neither side of a linear-law fight reaches zero in finite time.
 */
#include "lanchester.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>

/* Time at which the losing side of a square-law fight reaches zero, for
 * alpha, beta >= 0, a0, b0 >= 0 and u = sqrt(alpha)*a0 > v = sqrt(beta)*b0
 * (A is the winner; call with the roles swapped for B). Finite. */
static double square_zero_time(double alpha, double beta, double a0, double b0,
                               double u, double v)
{
    assert(u > v);
    if (b0 == 0.0) return 0.0;
    /* u > v >= 0 forces alpha > 0 and a0 > 0; with beta == 0 B does no
     * damage and falls linearly at rate alpha*a0. */
    if (beta == 0.0) return b0 / (alpha * a0);
    double gamma = sqrt(alpha * beta);
    /* atanh(v/u) = ln((u + v)/(u - v))/2 = log1p(2v/(u - v))/2. */
    return log1p(2.0 * v / (u - v)) / (2.0 * gamma);
}

/* The winner's survivors when the loser reaches zero: sqrt((u^2 - v^2)/alpha)
 * for A winning, with u > v >= 0 and alpha > 0. */
static double square_survivors(double alpha, double u, double v)
{
    return sqrt((u - v) * (u + v) / alpha);
}

double dr_lanchester_square(double alpha, double beta, double a0, double b0,
                            int *winner, double *t_end)
{
    assert(alpha > 0.0 && beta > 0.0);
    assert(a0 >= 0.0 && b0 >= 0.0);
    assert(winner && t_end);
    double u = sqrt(alpha) * a0;
    double v = sqrt(beta) * b0;
    if (u > v) {
        *winner = 1;
        *t_end = square_zero_time(alpha, beta, a0, b0, u, v);
        return square_survivors(alpha, u, v);
    }
    if (v > u) {
        *winner = -1;
        *t_end = square_zero_time(beta, alpha, b0, a0, v, u);
        return square_survivors(beta, v, u);
    }
    /* A draw: both reach zero together, at once if both start there and
     * otherwise only in the limit t -> infinity. */
    *winner = 0;
    *t_end = (a0 == 0.0) ? 0.0 : INFINITY;
    return 0.0;
}

/* Square-law state at time t >= 0 for alpha, beta >= 0, a0, b0 >= 0, each
 * side floored at zero and the state frozen once a side reaches zero. */
static void square_at(double alpha, double beta, double a0, double b0, double t,
                      double *a, double *b)
{
    /* One side does no damage: the other falls linearly (or not at all). */
    if (alpha == 0.0 || beta == 0.0) {
        *a = fmax(0.0, a0 - beta * b0 * t);
        *b = fmax(0.0, b0 - alpha * a0 * t);
        /* Whoever is hit is the only one who can fall; the state freezes at
         * zero by the floor, and the other side does not move. */
        return;
    }
    double u = sqrt(alpha) * a0;
    double v = sqrt(beta) * b0;
    double gamma = sqrt(alpha * beta);
    if (u > v && t >= square_zero_time(alpha, beta, a0, b0, u, v)) {
        *a = square_survivors(alpha, u, v);
        *b = 0.0;
        return;
    }
    if (v > u && t >= square_zero_time(beta, alpha, b0, a0, v, u)) {
        *a = 0.0;
        *b = square_survivors(beta, v, u);
        return;
    }
    if (u == v) {
        /* Draw: the growing mode has zero amplitude; writing the decay
         * directly avoids cosh - sinh cancellation at large t. */
        double d = exp(-gamma * t);
        *a = a0 * d;
        *b = b0 * d;
        return;
    }
    /* Before the loser reaches zero, gamma*t < atanh(min(u,v)/max(u,v)),
     * so exp(gamma*t) is finite. cosh = (e+ + e-)/2, sinh = (e+ - e-)/2. */
    double ep = exp(gamma * t);
    double em = 1.0 / ep;
    double kb = sqrt(beta / alpha) * b0; /* B0 in units of A's strength */
    double ka = sqrt(alpha / beta) * a0; /* A0 in units of B's strength */
    *a = fmax(0.0, 0.5 * ((a0 - kb) * ep + (a0 + kb) * em));
    *b = fmax(0.0, 0.5 * ((b0 - ka) * ep + (b0 + ka) * em));
}

/* Linear-law state at time t >= 0 for alpha, beta >= 0, a0, b0 >= 0. */
static void linear_at(double alpha, double beta, double a0, double b0, double t,
                      double *a, double *b)
{
    double c = alpha * a0 - beta * b0;
    if (c == 0.0) {
        *a = a0 / (1.0 + alpha * a0 * t);
        *b = b0 / (1.0 + beta * b0 * t);
    } else {
        /* Both denominators have the sign of c and magnitude >= |c|; an
         * overflowing expm1 sends the decaying side to zero, not to NaN,
         * because its coefficient is then positive (see the comment at the
         * top of the file). */
        *a = c * a0 / (c - beta * b0 * expm1(-c * t));
        *b = c * b0 / (c + alpha * a0 * expm1(c * t));
    }
    *a = fmax(0.0, *a);
    *b = fmax(0.0, *b);
}

void dr_lanchester_at(dr_lanchester_law law, double alpha, double beta, double a0,
                      double b0, double t, double *a, double *b)
{
    assert(alpha >= 0.0 && beta >= 0.0);
    assert(a0 >= 0.0 && b0 >= 0.0);
    assert(t >= 0.0);
    assert(a && b);
    if (law == DR_LANCHESTER_LINEAR)
        linear_at(alpha, beta, a0, b0, t, a, b);
    else
        square_at(alpha, beta, a0, b0, t, a, b);
}

double dr_lanchester_invariant(dr_lanchester_law law, double alpha, double beta,
                               double a, double b)
{
    if (law == DR_LANCHESTER_LINEAR) return alpha * a - beta * b;
    return alpha * a * a - beta * b * b;
}

void dr_lanchester_ctmc(gsl_rng *r, dr_lanchester_law law, double alpha,
                        double beta, long a0, long b0, double t_max, long a_break,
                        long b_break, long *a_lost, long *b_lost, double *t)
{
    assert(r);
    assert(alpha >= 0.0 && beta >= 0.0);
    assert(t_max >= 0.0);
    assert(a_lost && b_lost && t);
    /* A side at or below its break level, or at zero, stops the fight. A
     * negative break level means annihilation. */
    long a_stop = a_break > 0 ? a_break : 0;
    long b_stop = b_break > 0 ? b_break : 0;
    long a = a0;
    long b = b0;
    double now = 0.0;
    /* Every pass of the loop either returns or removes one person from a
     * side that has more than its stop level (> 0), so the loop ends after
     * at most (a0 - a_stop) + (b0 - b_stop) events whatever the rates are,
     * even NaN. */
    while (a > a_stop && b > b_stop) {
        double rate_a; /* rate at which A loses one person, 1/day */
        double rate_b; /* rate at which B loses one person, 1/day */
        if (law == DR_LANCHESTER_LINEAR) {
            double ab = (double)a * (double)b;
            rate_a = beta * ab;
            rate_b = alpha * ab;
        } else {
            rate_a = beta * (double)b;
            rate_b = alpha * (double)a;
        }
        double total = rate_a + rate_b;
        if (!(total > 0.0)) {
            /* No events can happen: the fight lasts until t_max. */
            now = t_max;
            break;
        }
        double dt = gsl_ran_exponential(r, 1.0 / total);
        if (now + dt > t_max) {
            now = t_max;
            break;
        }
        now += dt;
        if (gsl_rng_uniform(r) * total < rate_a)
            a--;
        else
            b--;
    }
    *a_lost = a0 - a;
    *b_lost = b0 - b;
    *t = now;
}
