/*
 * phase_postures.c — MODEL.md §2 phase 3: each state chooses a posture
 * toward each other actor it has a dyad with.
 *
 *   e_ab = T_ab*resolve_a*(1 - w_E*E_ab) + w_p*public_hostility_ab
 *          + w_attacks*M_ab
 *   y    = e_ab + noise*L,  L ~ standard logistic (dyad's keyed stream)
 *   posture = cooperate | hold | pressure | strike by the thresholds on y
 *
 * M_ab is the attack memory: attacks on a attributed to b (b itself, or
 * groups b shelters against a), decayed with e-folding attack_memory_days.
 * It is updated in the militant phase of the previous day and is the rung
 * of the escalation ladder from an attack wave to a strike posture.
 * Interventions (phase 2) act here: E_ab includes economic
 * interdependence, public hostility is cut by outreach, and under a
 * ceasefire the first term is scaled by 1 - ceasefire_escalation
 * (MODEL.md §2 phase 3, "(1 - w_cf*ceasefire_ab)").
 */
#include <gsl/gsl_randist.h>
#include <omp.h>

#include "interventions.h"
#include "phases.h"
#include "rng.h"
#include "violence.h"

double dr_escalation(const dr_world *w, size_t d)
{
    const dr_posture_params *p = &w->params.postures;
    const dr_dyad *y = &w->dyads[d];
    const dr_actor *a = &w->actors[y->a];
    const double cf =
        dr_ceasefire(w, d) ? 1.0 - w->params.interventions.ceasefire_escalation : 1.0;
    return y->tension * a->resolve *
               (1.0 - p->w_interdependence * dr_interdependence(w, d)) * cf +
           p->w_hostility * dr_public_hostility(w, d) +
           p->w_attacks * w->attack_memory[d];
}

double dr_tempo(const dr_world *w, size_t d)
{
    if (d == DR_NONE) return 0.0;
    const dr_posture_params *p = &w->params.postures;
    switch (w->posture[d]) {
    case DR_POSTURE_COOPERATE:
        return 0.0;
    case DR_POSTURE_HOLD:
        return p->hold_factor;
    case DR_POSTURE_PRESSURE:
        return p->pressure_factor;
    case DR_POSTURE_STRIKE:
        return p->strike_factor;
    default:
        return 0.0; /* not a state's dyad */
    }
}

int dr_phase_postures(dr_world *w)
{
    const dr_posture_params *p = &w->params.postures;
    const long n = (long)w->n_dyads;
#pragma omp parallel
    {
        gsl_rng *r = w->rngs[omp_get_thread_num()];
#pragma omp for schedule(static)
        for (long d = 0; d < n; d++) {
            if (w->posture[d] < 0) continue; /* a is not a state */
            if (!p->enabled || w->withdrawn[w->dyads[d].a]) {
                w->posture[d] = DR_POSTURE_HOLD;
                continue;
            }
            double y = dr_escalation(w, (size_t)d);
            if (p->noise > 0.0) {
                dr_rng_stream(r, w->seed, w->replication, DR_RNG_POSTURE, (uint32_t)d,
                              (uint32_t)w->day);
                y += gsl_ran_logistic(r, p->noise);
            }
            dr_posture post = y < p->threshold_hold       ? DR_POSTURE_COOPERATE
                              : y < p->threshold_pressure ? DR_POSTURE_HOLD
                              : y < p->threshold_strike   ? DR_POSTURE_PRESSURE
                                                          : DR_POSTURE_STRIKE;
            w->posture[d] = (int8_t)post;
        }
    }
    return 0;
}
