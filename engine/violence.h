/*
 * violence.h — helpers shared by the violence phases (internal to the
 * engine): escalation propensity, operational tempo, presence of forces.
 */
#ifndef DR_VIOLENCE_H
#define DR_VIOLENCE_H

#include <math.h>

#include "world.h"

/* Escalation propensity e_ab of dyad d (phase 3's formula). */
double dr_escalation(const dr_world *w, size_t d);

/* Operational tempo of dyad d's posture: 0 for cooperate, the posture
 * factor otherwise; 0 for DR_NONE or a dyad whose a is not a state. */
double dr_tempo(const dr_world *w, size_t d);

/* Presence factor 1 - exp(-persons/force_reference). */
static inline double dr_presence(const dr_world *w, double persons)
{
    return persons > 0.0 ? 1.0 - exp(-persons / w->params.clashes.force_reference)
                         : 0.0;
}

/* Book n of actor a's personnel killed at location l: the actor's
 * fatalities, by location, and the location's deaths of the day. */
static inline void dr_book_personnel(dr_world *w, size_t a, size_t l, double n)
{
    w->fatalities[a] += n;
    w->fatalities_at[a * w->n_locations + l] += n;
    w->deaths_today[l] += n;
}

/* Book n civilian deaths at location l. */
static inline void dr_book_civilians(dr_world *w, size_t l, double n)
{
    w->civilian_deaths[l] += n;
    w->deaths_today[l] += n;
}

/* Personnel of actor a at location l. */
static inline double dr_force_at(const dr_world *w, size_t a, size_t l)
{
    return w->force[a * w->n_locations + l];
}

/*
 * Fight one clash between i and j with the forces given, drawing from r:
 * engaged persons per side from model.clashes, stochastic Lanchester
 * attrition for duration_days with the actors' lethality. Writes losses.
 */
void dr_fight(const dr_world *w, gsl_rng *r, size_t i, size_t j, double f_i,
              double f_j, double *lost_i, double *lost_j);

/* Civilian collateral of `military_deaths` at location l, drawn from r. */
double dr_collateral(const dr_world *w, gsl_rng *r, size_t l, double military_deaths);

/* Remove up to `persons` of actor a's personnel at l; returns how many were
 * there to remove (what counts as killed). */
double dr_remove_force(dr_world *w, size_t a, size_t l, double persons);

#endif /* DR_VIOLENCE_H */
