/*
 * interventions.h — what the phases read of the interventions (phase 2,
 * phase_interventions.c) and of the external powers (phase 9,
 * phase_powers.c). Internal to the engine.
 */
#ifndef DR_INTERVENTIONS_H
#define DR_INTERVENTIONS_H

#include "world.h"

/* Interdependence E_ab today: the dyad's own plus what economic
 * interventions add, clamped to [0,1]. */
double dr_interdependence(const dr_world *w, size_t d);
/* Public hostility of a toward b today, less the outreach cut. */
double dr_public_hostility(const dr_world *w, size_t d);
/* 1 while a ceasefire holds on dyad d. */
static inline int dr_ceasefire(const dr_world *w, size_t d)
{
    return d != DR_NONE && w->ceasefire_left[d] > 0;
}
/* Involvement of a mediator: a power's involvement, 1 for an
 * organization, 0 once withdrawn. */
double dr_mediator_involvement(const dr_world *w, size_t m);
/* Leverage of mediation v over parties a and b, 0..1. */
double dr_mediation_leverage(const dr_world *w, const dr_intervention *v, size_t a,
                             size_t b);

#endif /* DR_INTERVENTIONS_H */
