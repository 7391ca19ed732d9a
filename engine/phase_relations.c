/*
 * phase_relations.c — MODEL.md §2 phase 8: Richardson-style tension, trust
 * and border coordination per ordered dyad (Richardson 1960, discrete form).
 *
 * For dyad a->b with reverse b->a, every right-hand side read at the start
 * of the phase (a synchronous update: the order in which dyads are visited
 * cannot matter):
 *
 *   a_eff = restraint_ab * (1 + w_E * E_ab)
 *   T_ab <- clamp01(T_ab + k_ab * T_ba - a_eff * (T_ab - T0_ab) + g_ab
 *                   + sigma_ab * eps)
 *   tau_ab <- clamp01(tau_ab + r * (tau0_ab - tau_ab) - c * clashes_ab)
 *   C_ab <- clamp01(tau_ab)
 *
 * eps ~ N(0,1) comes from the dyad's own keyed stream (purpose RELATIONS,
 * entity = dyad index, tick = day), so results are identical for any
 * number of threads. A dyad without a reverse entry reacts to nothing
 * (T_ba = 0). tau0 is the scenario's initial trust; T0 the baseline tension.
 * The grievance g_ab gathers what phases 4 and 5 recorded today:
 * tension_per_death for each of a's personnel killed by b in clashes,
 * tension_per_attack for each attack on a attributed to b's sanctuary,
 * tension_per_strike for each strike b carried out on a's territory.
 * Each clash between a and b today cuts trust by c = trust_per_clash.
 * Scheduled shocks and summits act on T and tau in the schedule phase.
 * Otherwise trust relaxes to its calibrated level, so a quiet dyad does
 * not drift.
 *
 * Interventions (phase 2, MODEL.md §3) act here: E_ab includes economic
 * interdependence; the restraint is raised by (1 + ceasefire_restraint)
 * under a ceasefire and by (1 + mediation_restraint) under an active
 * mediation; task forces resolve a share of g_ab and raise coordination,
 * C_ab = clamp01(tau_ab*(1 + w_tf)). The day's clashes between a and b are
 * remembered (e-folding stalemate_memory_days) as the hurting stalemate
 * that mediation rounds read.
 */
#include <gsl/gsl_randist.h>
#include <omp.h>

#include <math.h>

#include "interventions.h"
#include "phases.h"
#include "rng.h"

static double clamp01(double x)
{
    return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

int dr_phase_relations(dr_world *w)
{
    const dr_relations_params *p = &w->params.relations;
    if (!p->enabled) return 0;
    const long n = (long)w->n_dyads;
    double *next_t = w->scratch_tension;
    double *next_tau = w->scratch_trust;
    const dr_dyad *base = w->sc->dyads; /* tau0: the initial trust */
    const double trust_cut = w->params.clashes.trust_per_clash;
    const dr_intervention_params *ip = &w->params.interventions;

#pragma omp parallel
    {
        gsl_rng *r = w->rngs[omp_get_thread_num()];
#pragma omp for schedule(static)
        for (long d = 0; d < n; d++) {
            const dr_dyad *y = &w->dyads[d];
            double t_ba = y->reverse != DR_NONE ? w->dyads[y->reverse].tension : 0.0;
            double a_eff =
                y->restraint *
                (1.0 + p->interdependence_restraint * dr_interdependence(w, d)) *
                (1.0 + (dr_ceasefire(w, d) ? ip->ceasefire_restraint : 0.0)) *
                (1.0 + (w->iv_mediated[d] ? ip->mediation_restraint : 0.0));
            double eps = 0.0;
            if (y->volatility > 0.0) {
                dr_rng_stream(r, w->seed, w->replication, DR_RNG_RELATIONS, (uint32_t)d,
                              (uint32_t)w->day);
                eps = gsl_ran_gaussian_ziggurat(r, 1.0);
            }
            double t = clamp01(y->tension + y->reactivity * t_ba -
                               a_eff * (y->tension - y->baseline_tension) +
                               w->grievance_today[d] * (1.0 - w->iv_resolution[d]) +
                               y->volatility * eps);
            double tau =
                clamp01(y->trust + p->trust_relaxation * (base[d].trust - y->trust) -
                        trust_cut * w->dyad_clashes_today[d]);
            next_t[d] = t;
            next_tau[d] = tau;
        }
    }
    const double fade = exp(-1.0 / ip->stalemate_memory_days);
    for (long d = 0; d < n; d++) {
        w->dyads[d].tension = next_t[d];
        w->dyads[d].trust = next_tau[d];
        w->coordination[d] = clamp01(next_tau[d] * (1.0 + w->iv_coordination[d]));
        w->stalemate[d] = w->stalemate[d] * fade + w->dyad_clashes_today[d];
    }
    return 0;
}
