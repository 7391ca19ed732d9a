/*
 * phase_interventions.c — MODEL.md §2 phase 2 and §3: the four intervention
 * families act. Everything here reads the state left by the previous day
 * and runs serially in a fixed order (interventions in scenario order,
 * party pairs in party order), with random draws from keyed streams, so
 * results do not depend on the number of threads.
 *
 * Activity. Intervention k is active on day t when model.interventions is
 * enabled, start_k <= t < end_k, and (for an adaptive one) its trigger has
 * held on trigger_days consecutive days up to t — then it stays active for
 * `duration` days (0: until end_k). A trigger is "max tension over the
 * parties' dyads > tension_above" or "the mediator's involvement >=
 * involvement_above". A mediation is also inactive while its mediator has
 * withdrawn. Cost accrues per active day (economic: plus investment /
 * build_days over the first build_days active days).
 *
 * Mediation (Beardsley 2008). Every `period` days from its first active
 * day, for each pair of parties joined by a dyad and not under ceasefire:
 *   L = leverage_m * involvement_m * (1 + (align_ma + align_mb)/2) / 2
 *   (organizations: involvement 1; missing alignment dyads count 0)
 *   S = 1 - exp(-stalemate_ab / stalemate_reference)    (hurting stalemate)
 *   p = logistic(b0 + bL*L + btau*tau_ab - bT*T_ab + bH*S)
 * (uniform draws from the mediator's keyed stream of the day)
 * with tau, T the means over the two directions. Success: a ceasefire of
 * ceasefire_days on both dyads, tension cut by tension_cut. Failure: trust
 * lost, trust_loss, both ways. Every day a ceasefire holds it breaks down
 * with hazard
 *   h = breakdown_rate * (1 + breakdown_spoiler * (M_ab + M_ba))
 *       * (breakdown_exit if the mediation that made it is no longer active)
 * (M: remembered attacks attributed across the dyad, phase 5), otherwise it
 * runs down and expires. While it holds: clash base rates on the dyad's
 * channels are scaled by 1 - ceasefire_damping (phase 4), escalation by
 * 1 - model.interventions.ceasefire_escalation (phase 3) and restraint
 * raised by ceasefire_restraint (phase 8); an active mediation raises the
 * restraint of its parties' dyads by mediation_restraint.
 *
 * Task force (Fortna 2003). Every `period` days: tau <- tau + phi*(1 - tau)
 * on the parties' dyads. While active: C = tau*(1 + coordination_weight)
 * (phase 8, clamped) and a share incident_resolution of each day's
 * grievance never reaches tension (phase 8).
 *
 * Economic (Hegre, Oneal & Russett 2010). Progress P starts at 0.01 and
 * grows logistically, P += r*P*(1 - P) with r = 2*ln(99)/build_days (0.01 to
 * 0.99 in build_days); each day's new damage to projects at corridor
 * locations (phase 5, model.militants.project_damage per attack on
 * projects, not capped) destroys a share sabotage_setback * damage of the
 * progress. While
 * active: the parties' interdependence rises by interdependence_gain * P *
 * open, with `open` the mean passability of the corridor's crossings (1
 * open, pass_fraction restricted, 0 closed; 1 without crossings), and
 * hardship at corridor locations falls by hardship_relief * P per day.
 *
 * Outreach (Pettigrew & Tropp 2006; Paluck et al. 2019). The reached share
 * O decays with e-folding decay_days and, while active, grows by
 * reach*(1 - O) per day. At the target locations hardship falls by
 * hardship_effect * O per day and local grievance (militant attacks and
 * recruitment, phase 5) by grievance_effect * O; the parties' public
 * hostility falls by hostility_effect * O (phase 3). The effect outlives
 * the programme and decays.
 */
#include <math.h>

#include <gsl/gsl_rng.h>

#include "interventions.h"
#include "observer.h"
#include "phases.h"
#include "rng.h"

static double clamp01(double x)
{
    return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

/* Largest tension over the ordered dyads between the parties of k. */
static double parties_tension(const dr_world *w, size_t k)
{
    double t = 0.0;
    for (size_t q = w->iv_dyad_off[k]; q < w->iv_dyad_off[k + 1]; q++)
        if (w->dyads[w->iv_dyads[q]].tension > t) t = w->dyads[w->iv_dyads[q]].tension;
    return t;
}

double dr_mediator_involvement(const dr_world *w, size_t m)
{
    const dr_actor *a = &w->actors[m];
    if (w->withdrawn[m]) return 0.0;
    return a->kind == DR_ACTOR_POWER ? a->involvement : 1.0;
}

double dr_mediation_leverage(const dr_world *w, const dr_intervention *v, size_t a,
                             size_t b)
{
    size_t m = v->mediator;
    size_t da = dr_scenario_find_dyad(w->sc, m, a),
           db = dr_scenario_find_dyad(w->sc, m, b);
    double al = (da != DR_NONE ? w->dyads[da].alignment : 0.0) +
                (db != DR_NONE ? w->dyads[db].alignment : 0.0);
    return clamp01(w->actors[m].leverage * dr_mediator_involvement(w, m) *
                   (1.0 + 0.5 * al) * 0.5);
}

/* Is intervention k active today? Updates its trigger count. */
static int dr_iv_active_today(dr_world *w, size_t k)
{
    const dr_intervention *v = &w->sc->interventions[k];
    const int64_t t = w->day;
    if (!w->params.interventions.enabled || t < v->start || t >= v->end) {
        w->iv_held[k] = 0;
        return 0;
    }
    if (v->type == DR_IV_MEDIATION && w->withdrawn[v->mediator]) return 0;
    if (!v->adaptive) return 1;
    if (w->iv_started[k] >= 0)
        return v->duration == 0 || t < w->iv_started[k] + v->duration;
    int holds = 1;
    if (!isnan(v->trigger_tension)) holds &= parties_tension(w, k) > v->trigger_tension;
    if (!isnan(v->trigger_involvement))
        holds &= dr_mediator_involvement(w, v->mediator) >= v->trigger_involvement;
    w->iv_held[k] = holds ? w->iv_held[k] + 1 : 0;
    return w->iv_held[k] >= v->trigger_days;
}

/* Visit each ordered dyad between two parties of intervention k (listed
 * once, at world creation, in w->iv_dyads). */
#define FOR_PARTY_DYADS(w, k, d)                                                         \
    for (size_t q_ = (w)->iv_dyad_off[k], d;                                             \
         q_ < (w)->iv_dyad_off[(k) + 1] && ((d = (w)->iv_dyads[q_]), 1); q_++)

/* One mediation round of intervention k. */
static int dr_mediation_round(dr_world *w, size_t k, gsl_rng *r)
{
    const dr_intervention *v = &w->sc->interventions[k];
    const dr_intervention_params *p = &w->params.interventions;
    /* The stream belongs to the mediator and the day (the j-th round of
     * the same mediator on one day takes the j-th stream), not to the
     * intervention's position: strategies that list different
     * interventions still share their draws (common random numbers). */
    uint32_t nth = 0;
    for (size_t q = 0; q < k; q++)
        nth += w->iv_round_today[q] && w->sc->interventions[q].mediator == v->mediator;
    w->iv_round_today[k] = 1;
    dr_rng_stream(r, w->seed, w->replication, DR_RNG_MEDIATION,
                  (uint32_t)(v->mediator + nth * w->n_actors), (uint32_t)w->day);
    w->iv_rounds[k]++;
    for (size_t i = 0; i < v->n_parties; i++)
        for (size_t j = i + 1; j < v->n_parties; j++) {
            size_t a = v->parties[i], b = v->parties[j];
            size_t ab = dr_scenario_find_dyad(w->sc, a, b);
            size_t ba = dr_scenario_find_dyad(w->sc, b, a);
            if (ab == DR_NONE && ba == DR_NONE) continue;
            size_t d0 = ab != DR_NONE ? ab : ba;
            if (w->ceasefire_left[d0] > 0) continue;
            int n = 0;
            double tau = 0.0, ten = 0.0, stal = 0.0;
            size_t ds[2] = {ab, ba};
            for (int q = 0; q < 2; q++)
                if (ds[q] != DR_NONE) {
                    tau += w->dyads[ds[q]].trust;
                    ten += w->dyads[ds[q]].tension;
                    stal += w->stalemate[ds[q]];
                    n++;
                }
            tau /= n;
            ten /= n;
            stal /= n;
            double S = 1.0 - exp(-stal / p->stalemate_reference);
            double L = dr_mediation_leverage(w, v, a, b);
            double y = v->b0 + v->b_leverage * L + v->b_trust * tau - v->b_tension * ten +
                       v->b_stalemate * S;
            double prob = 1.0 / (1.0 + exp(-y));
            double u = gsl_rng_uniform(r);
            if (u < prob) {
                w->iv_successes[k]++;
                w->agreements_today++;
                for (int q = 0; q < 2; q++) {
                    size_t d = ds[q];
                    if (d == DR_NONE) continue;
                    w->ceasefire_left[d] = v->ceasefire_days;
                    w->ceasefire_by[d] = (int32_t)k;
                    w->ceasefire_damp[d] = v->ceasefire_damping;
                    w->dyads[d].tension *= 1.0 - v->tension_cut;
                }
                int rc = dr_world_log(w, DR_LOG_AGREEMENT, a, b, DR_NONE, DR_NONE,
                                      (double)v->ceasefire_days, v->id);
                if (rc) return rc;
            } else {
                for (int q = 0; q < 2; q++)
                    if (ds[q] != DR_NONE)
                        w->dyads[ds[q]].trust =
                            clamp01(w->dyads[ds[q]].trust - v->trust_loss);
            }
        }
    return 0;
}

/* Ceasefires: break down or run down (before today's rounds). */
static int dr_ceasefires(dr_world *w, gsl_rng *r)
{
    for (size_t d = 0; d < w->n_dyads; d++) {
        if (w->ceasefire_left[d] <= 0) continue;
        size_t rev = w->dyads[d].reverse;
        if (rev != DR_NONE && rev < d) continue; /* the pair's first dyad decides */
        const int32_t k = w->ceasefire_by[d];
        const dr_intervention *v = &w->sc->interventions[k];
        double m = w->attack_memory[d] + (rev != DR_NONE ? w->attack_memory[rev] : 0.0);
        double h = v->breakdown_rate * (1.0 + v->breakdown_spoiler * m);
        const int present = w->iv_active[k];
        if (!present) h *= v->breakdown_exit;
        dr_rng_stream(r, w->seed, w->replication, DR_RNG_CEASEFIRE, (uint32_t)d,
                      (uint32_t)w->day);
        int broke = h > 0.0 && gsl_rng_uniform(r) < 1.0 - exp(-h);
        if (broke) {
            w->breakdowns_today++;
            w->ceasefire_left[d] = 0;
            if (rev != DR_NONE) w->ceasefire_left[rev] = 0;
            int rc = dr_world_log(w, DR_LOG_BREAKDOWN, w->dyads[d].a, w->dyads[d].b,
                                  DR_NONE, DR_NONE, present ? 1.0 : 0.0, v->id);
            if (rc) return rc;
        } else {
            w->ceasefire_left[d]--;
            if (rev != DR_NONE) w->ceasefire_left[rev] = w->ceasefire_left[d];
        }
    }
    return 0;
}

/* Mean passability of an economic corridor's crossings. */
static double dr_corridor_open(const dr_world *w, const dr_intervention *v)
{
    if (v->n_crossings == 0) return 1.0;
    double s = 0.0;
    for (size_t q = 0; q < v->n_crossings; q++) {
        const dr_route *rt = &w->routes[v->crossings[q]];
        s += rt->status == DR_CROSSING_OPEN         ? 1.0
             : rt->status == DR_CROSSING_RESTRICTED ? rt->pass_fraction
                                                    : 0.0;
    }
    return s / (double)v->n_crossings;
}

int dr_phase_interventions(dr_world *w)
{
    const dr_scenario *sc = w->sc;
    const size_t ni = w->n_interventions, nd = w->n_dyads, nl = w->n_locations;
    gsl_rng *r = w->rngs[0];
    int rc;

    for (size_t k = 0; k < ni; k++) {
        w->iv_round_today[k] = 0;
        const int was = w->iv_active[k];
        const int now = dr_iv_active_today(w, k);
        const dr_intervention *v = &sc->interventions[k];
        w->iv_active[k] = (int8_t)now;
        if (now && w->iv_started[k] < 0) w->iv_started[k] = w->day;
        if (now != was) {
            size_t who = v->type == DR_IV_MEDIATION ? v->mediator : v->parties[0];
            rc = dr_world_log(
                w, now ? DR_LOG_INTERVENTION_START : DR_LOG_INTERVENTION_END, who,
                DR_NONE, DR_NONE, DR_NONE, now ? (double)k : w->iv_cost[k], v->id);
            if (rc) return rc;
        }
    }
    if ((rc = dr_ceasefires(w, r))) return rc;

    for (size_t d = 0; d < nd; d++) {
        w->iv_interdep[d] = 0.0;
        w->iv_coordination[d] = 0.0;
        w->iv_resolution[d] = 0.0;
        w->iv_hostility[d] = 0.0;
        w->iv_mediated[d] = 0;
    }
    for (size_t l = 0; l < nl; l++) {
        w->iv_relief[l] = 0.0;
        w->iv_grievance[l] = 0.0;
    }
    w->any_relief = 0;

    for (size_t k = 0; k < ni; k++) {
        const dr_intervention *v = &sc->interventions[k];
        const int on = w->iv_active[k];
        const int64_t since = on ? w->day - w->iv_started[k] : -1;
        if (on) w->iv_cost[k] += v->cost;
        switch (v->type) {
        case DR_IV_MEDIATION:
            if (!on) break;
            FOR_PARTY_DYADS(w, k, d) w->iv_mediated[d] = 1;
            if (since % v->period == 0 && (rc = dr_mediation_round(w, k, r))) return rc;
            break;
        case DR_IV_TASK_FORCE:
            if (!on) break;
            if (since % v->period == 0) {
                w->iv_rounds[k]++;
                FOR_PARTY_DYADS(w, k, d)
                {
                    double *tau = &w->dyads[d].trust;
                    *tau = clamp01(*tau + v->trust_gain * (1.0 - *tau));
                }
            }
            FOR_PARTY_DYADS(w, k, d)
            {
                w->iv_coordination[d] =
                    fmax(w->iv_coordination[d], v->coordination_weight);
                w->iv_resolution[d] = fmax(w->iv_resolution[d], v->incident_resolution);
            }
            break;
        case DR_IV_ECONOMIC: {
            if (!on) break;
            if (since < v->build_days)
                w->iv_cost[k] += v->investment / (double)v->build_days;
            double *P = &w->iv_progress[k];
            double damage = 0.0;
            for (size_t q = 0; q < v->n_locations; q++)
                damage += w->project_sabotage[v->locations[q]];
            if (since == 0) {
                *P = 0.01;
                w->iv_damage[k] = damage;
            }
            const double rate = 2.0 * log(99.0) / (double)v->build_days;
            *P = clamp01(*P + rate * *P * (1.0 - *P));
            /* Sabotage destroys a share of what is built. */
            *P *= fmax(0.0, 1.0 - v->sabotage_setback * (damage - w->iv_damage[k]));
            if (*P < 0.01) *P = 0.01; /* the project goes on from its footing */
            w->iv_damage[k] = damage;
            const double e = v->interdependence_gain * *P * dr_corridor_open(w, v);
            FOR_PARTY_DYADS(w, k, d) w->iv_interdep[d] += e;
            for (size_t q = 0; q < v->n_locations; q++)
                w->iv_relief[v->locations[q]] += v->hardship_relief * *P;
            break;
        }
        case DR_IV_OUTREACH: {
            double *O = &w->iv_progress[k];
            *O *= exp(-1.0 / v->decay_days);
            if (on) *O += v->reach * (1.0 - *O);
            if (!(*O > 0.0)) break;
            for (size_t q = 0; q < v->n_locations; q++) {
                size_t l = v->locations[q];
                w->iv_relief[l] += v->hardship_effect * *O;
                w->iv_grievance[l] = fmax(w->iv_grievance[l], v->grievance_effect * *O);
            }
            FOR_PARTY_DYADS(w, k, d)
            w->iv_hostility[d] = fmax(w->iv_hostility[d], v->hostility_effect * *O);
            break;
        }
        case DR_IV_TYPE_COUNT:
            break;
        }
    }
    for (size_t l = 0; l < nl; l++) {
        w->iv_relief[l] = clamp01(w->iv_relief[l]);
        w->any_relief |= w->iv_relief[l] > 0.0;
    }
    return 0;
}

double dr_interdependence(const dr_world *w, size_t d)
{
    return clamp01(w->dyads[d].interdependence + w->iv_interdep[d]);
}

double dr_public_hostility(const dr_world *w, size_t d)
{
    return w->dyads[d].public_hostility * (1.0 - w->iv_hostility[d]);
}
