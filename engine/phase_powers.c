/*
 * phase_powers.c — MODEL.md §2 phase 9: external powers recalibrate.
 *
 * Each power p (kind power, not withdrawn) weighs the threats to its
 * interests (actors.[p].interests) into
 *
 *   theta_p = (s_p*I + r_p*R + j_p*P_p + v_p*V_p) / (s_p + r_p + j_p + v_p)
 *
 *   I   = 1 - exp(-deaths / instability_reference), deaths the day's
 *         deaths at all locations, averaged with e-folding memory_days
 *         (instability in the region);
 *   R   = 1 - exp(-refugees / displaced_reference), refugees the persons
 *         with status refugee at the end of today's civilian phase;
 *   P_p = 1 - exp(-A_p / project_reference), A_p the militant attacks on
 *         economic projects (target "projects") at the locations of p's
 *         projects, decayed with memory_days;
 *   V_p = the largest involvement_q * (-alignment_pq) over powers q that p
 *         has a dyad with at negative alignment (rivals' involvement);
 *
 * with s, r, v the power's stability, refugees and rivalry weights and
 * j_p = model.powers.project_weight when it has projects (else 0); theta
 * is 0 when every weight is 0. Involvement moves toward the threat:
 *
 *   involvement_p += involvement_rate * (theta_p - involvement_p)
 *
 * Alignment of p toward each state x it has a dyad with moves toward the
 * party that reduces the threat: with B_x the violence attributed to x
 * (clashes x initiated and attacks by groups x shelters, decayed with
 * memory_days) and B = sum over states,
 *
 *   alignment_px += alignment_rate * involvement_p * ((1 - 2*B_x/B) - alignment_px)
 *
 * (no change while B = 0). A power marked adaptive_mediator opens its
 * mediation (interventions POWER_mediation, created by the loader) when its
 * involvement reaches model.powers.mediation_threshold: phase 2 reads the
 * involvement this phase leaves. Serial and deterministic; no random
 * draws.
 */
#include <math.h>

#include "phases.h"

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

int dr_phase_powers(dr_world *w)
{
    const dr_power_params *p = &w->params.powers;
    const size_t na = w->n_actors, nl = w->n_locations;
    if (!p->enabled) return 0;
    const double fade = exp(-1.0 / p->memory_days);

    /* Regional inputs of the day. */
    double deaths = 0.0;
    for (size_t l = 0; l < nl; l++) deaths += w->deaths_today[l];
    w->pw_instability = w->pw_instability * fade + (1.0 - fade) * deaths;
    const double I = 1.0 - exp(-w->pw_instability / p->instability_reference);
    double refugees = 0.0;
    for (size_t l = 0; l < nl; l++)
        refugees += (double)w->civ_count[l * DR_AGENT_STATUS_COUNT + DR_AGENT_REFUGEE];
    refugees *= (double)w->sc->meta.agent_scale;
    const double R = 1.0 - exp(-refugees / p->displaced_reference);

    /* Violence attributed to each state today. */
    for (size_t x = 0; x < na; x++) w->pw_blame[x] *= fade;
    for (size_t c = 0; w->params.clashes.enabled && c < w->n_channels; c++) {
        const dr_channel *ch = &w->channels[c];
        const dr_channel_day *cd = &w->channel_day[c];
        if (w->actors[ch->i].kind == DR_ACTOR_STATE) w->pw_blame[ch->i] += cd->n_ij;
        if (w->actors[ch->j].kind == DR_ACTOR_STATE) w->pw_blame[ch->j] += cd->n_ji;
    }
    for (size_t g = 0; g < na; g++) {
        const dr_actor *grp = &w->actors[g];
        if (grp->kind != DR_ACTOR_MILITANT || grp->sanctuary == DR_NONE ||
            !w->params.militants.enabled)
            continue;
        for (size_t l = 0; l < nl; l++)
            w->pw_blame[grp->sanctuary] += w->attack_day[g * nl + l].attacks;
    }
    double blame_total = 0.0;
    for (size_t x = 0; x < na; x++)
        if (w->actors[x].kind == DR_ACTOR_STATE) blame_total += w->pw_blame[x];

    /* Threat and involvement; rivals are read at the start of the phase. */
    for (size_t q = 0; q < na; q++) {
        dr_actor *pw = &w->actors[q];
        if (pw->kind != DR_ACTOR_POWER) continue;
        w->pw_projects[q] *= fade;
        for (size_t g = 0; w->params.militants.enabled && g < na; g++) {
            if (w->actors[g].kind != DR_ACTOR_MILITANT) continue;
            for (size_t l = 0; l < nl; l++) {
                const dr_attack_day *o = &w->attack_day[g * nl + l];
                if (o->project_attacks <= 0 || o->site == DR_NONE) continue;
                for (size_t k = 0; k < pw->n_project_locations; k++)
                    if (pw->project_locations[k] == o->site)
                        w->pw_projects[q] += o->project_attacks;
            }
        }
        const double P = 1.0 - exp(-w->pw_projects[q] / p->project_reference);
        double V = 0.0;
        for (size_t d = 0; d < w->n_dyads; d++) {
            const dr_dyad *y = &w->dyads[d];
            if (y->a != q || w->actors[y->b].kind != DR_ACTOR_POWER ||
                y->alignment >= 0.0)
                continue;
            double v =
                (w->withdrawn[y->b] ? 0.0 : w->actors[y->b].involvement) * -y->alignment;
            if (v > V) V = v;
        }
        const double j = pw->n_project_locations > 0 ? p->project_weight : 0.0;
        const double wsum =
            pw->interest_stability + pw->interest_refugees + j + pw->interest_rivalry;
        w->pw_threat[q] = wsum > 0.0
                              ? (pw->interest_stability * I + pw->interest_refugees * R +
                                 j * P + pw->interest_rivalry * V) /
                                    wsum
                              : 0.0;
    }
    for (size_t q = 0; q < na; q++) {
        dr_actor *pw = &w->actors[q];
        if (pw->kind != DR_ACTOR_POWER || w->withdrawn[q]) continue;
        pw->involvement = clamp(pw->involvement + p->involvement_rate *
                                                      (w->pw_threat[q] - pw->involvement),
                                0.0, 1.0);
    }

    /* Alignment toward the states. */
    if (blame_total > 0.0)
        for (size_t d = 0; d < w->n_dyads; d++) {
            dr_dyad *y = &w->dyads[d];
            const dr_actor *pw = &w->actors[y->a];
            if (pw->kind != DR_ACTOR_POWER || w->withdrawn[y->a] ||
                w->actors[y->b].kind != DR_ACTOR_STATE)
                continue;
            const double target = 1.0 - 2.0 * w->pw_blame[y->b] / blame_total;
            y->alignment = clamp(y->alignment + p->alignment_rate * pw->involvement *
                                                    (target - y->alignment),
                                 -1.0, 1.0);
        }
    return 0;
}
