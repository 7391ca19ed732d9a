/*
 * phase_militants.c — MODEL.md §2 phase 5: militant operations, recruitment,
 * counter-insurgency, and the cross-border strikes of the escalation ladder.
 *
 * For militant group g with fighters F at location l, attacks are
 *
 *   A ~ Poisson( base_rate * F^kappa * (1 + w_g*grievance_s)
 *                * (1 - w_s*security_s) * (1 - w_x*C_host,sanctuary) )
 *
 * at the site s: l itself when l lies in the host state, otherwise a
 * host-state location joined to l by a crossing or informal route (fighters
 * in their sanctuary attack across the border); fighters with no such site
 * do not attack. Low border coordination between the host and sanctuary
 * states is what lets a group operate (the last factor). Targets follow the
 * group's preferences; attacks by a group with a sanctuary are attributed to
 * the sanctuary state and raise the host's tension toward it.
 *
 * Outreach (phase 2) cuts the local grievance by iv_grievance_l, in the
 * attack rate and as a factor (1 - iv_grievance_l) on pool recruitment.
 *
 * Fighters are recruited from the group's pool and from the civilians
 * mobilised at their location (phase 7, Epstein), killed in attacks, and
 * removed by the host state's counter-insurgency in host territory at a
 * hazard that grows with local security, the host's presence and its
 * posture toward the group.
 *
 * A state in `strike` posture toward a group that has fighters in its
 * sanctuary state strikes them across the border; the struck state may
 * retaliate on the striker's border posts days later (phase 4 carries that
 * out).
 *
 * Determinism as in phase 4: a parallel loop over (group, location) from
 * keyed streams into w->attack_day, then a serial reduction in fixed order;
 * strikes are serial with their own keyed streams.
 */
#include <gsl/gsl_randist.h>
#include <omp.h>

#include "observer.h"
#include "phases.h"
#include "rng.h"
#include "violence.h"

#define DR_MAX_ATTACKS_PER_DAY 10000u

/* Number of host-country locations joined to l by a border route; when
 * `pick` < count, the pick-th of them is written to *site. */
static size_t dr_cross_border_sites(const dr_world *w, size_t l, size_t host, size_t pick,
                                    size_t *site)
{
    size_t count = 0;
    for (size_t r = 0; r < w->n_routes; r++) {
        const dr_route *route = &w->routes[r];
        if (route->kind == DR_ROUTE_ROAD) continue;
        size_t other = route->from == l ? route->to
                       : route->to == l ? route->from
                                        : DR_NONE;
        if (other == DR_NONE || w->locations[other].country != host) continue;
        if (count == pick) *site = other;
        count++;
    }
    return count;
}

/* Coordination between host and sanctuary states (0 without sanctuary). */
static double dr_host_sanctuary_coordination(const dr_world *w, const dr_actor *g)
{
    if (g->sanctuary == DR_NONE) return 0.0;
    size_t d = dr_scenario_find_dyad(w->sc, g->host, g->sanctuary);
    return d == DR_NONE ? 0.0 : w->coordination[d];
}

/* One (group, location) day from its keyed stream into *out. */
static void dr_group_day(dr_world *w, gsl_rng *r, size_t g, size_t l, double group_total,
                         dr_attack_day *out)
{
    const dr_militant_params *p = &w->params.militants;
    const dr_actor *grp = &w->actors[g];
    const double F = dr_force_at(w, g, l);
    *out = (dr_attack_day){.site = DR_NONE};
    if (F < 1.0 || w->withdrawn[g]) return;
    dr_rng_stream(r, w->seed, w->replication, DR_RNG_ATTACK,
                  (uint32_t)(g * w->n_locations + l), (uint32_t)w->day);

    /* Where this group's fighters at l strike. */
    size_t site = DR_NONE;
    if (w->locations[l].country == grp->host) {
        site = l;
    } else {
        size_t n = dr_cross_border_sites(w, l, grp->host, DR_NONE, &site);
        if (n > 0)
            dr_cross_border_sites(w, l, grp->host, (size_t)gsl_rng_uniform_int(r, n),
                                  &site);
    }
    if (site != DR_NONE) {
        const dr_location *s = &w->locations[site];
        double rate =
            p->base_rate * pow(F, p->fighter_exponent) *
            (1.0 + p->w_grievance * s->grievance * (1.0 - w->iv_grievance[site])) *
            fmax(0.0, 1.0 - p->w_security * s->security) *
            fmax(0.0, 1.0 - p->w_coordination * dr_host_sanctuary_coordination(w, grp));
        unsigned a = rate > 0.0 ? gsl_ran_poisson(r, fmin(rate, 1e6)) : 0;
        if (a > DR_MAX_ATTACKS_PER_DAY) a = DR_MAX_ATTACKS_PER_DAY;
        out->attacks = (int32_t)a;
        out->site = site;
        for (unsigned k = 0; k < a; k++) {
            double u = gsl_rng_uniform(r);
            if (u < grp->target_security) {
                if (p->deaths_security > 0.0)
                    out->security_deaths += gsl_ran_poisson(r, p->deaths_security);
            } else if (u < grp->target_security + grp->target_civilians) {
                if (p->deaths_civilians > 0.0)
                    out->civilian_deaths += gsl_ran_poisson(r, p->deaths_civilians);
            } else {
                if (p->deaths_projects > 0.0)
                    out->civilian_deaths += gsl_ran_poisson(r, p->deaths_projects);
                out->project_damage += p->project_damage;
                out->project_attacks++;
            }
            if (p->fighter_losses > 0.0)
                out->fighters_lost += gsl_ran_poisson(r, p->fighter_losses);
        }
        if (out->fighters_lost > F) out->fighters_lost = F;
    }

    /* Recruitment from the group's pool, in proportion to fighters here. */
    double pool_rate = p->recruitment * grp->recruitment_pool * F / group_total *
                       (1.0 - w->iv_grievance[l]);
    if (pool_rate > 0.0) out->recruited = gsl_ran_poisson(r, fmin(pool_rate, 1e7));

    /* Counter-insurgency by the host state in its own territory. */
    if (w->locations[l].country == grp->host && p->counterinsurgency > 0.0) {
        size_t d = dr_scenario_find_dyad(w->sc, grp->host, g);
        double hazard = p->counterinsurgency * w->locations[l].security *
                        dr_presence(w, dr_force_at(w, grp->host, l)) * dr_tempo(w, d);
        double remaining = floor(F - out->fighters_lost);
        if (hazard > 0.0 && remaining >= 1.0)
            out->removed = gsl_ran_binomial(r, 1.0 - exp(-hazard), (unsigned)remaining);
    }

    /* Recruitment of mobilised civilians (phase 7 of yesterday: the actives
     * at l), shared among the groups with fighters at l in proportion to
     * their fighters there. Drawn last, so that runs without actives draw
     * exactly what they drew before civilians existed. */
    const dr_civilian_params *cp = &w->params.civilians;
    if (cp->enabled && cp->mobilisation && w->civ_active[l] > 0 &&
        cp->recruitment_weight > 0.0) {
        double here = 0.0;
        for (size_t m = 0; m < w->n_actors; m++)
            if (w->actors[m].kind == DR_ACTOR_MILITANT && !w->withdrawn[m])
                here += dr_force_at(w, m, l);
        double persons = (double)w->civ_active[l] * (double)w->sc->meta.agent_scale;
        double rate = p->recruitment * cp->recruitment_weight * persons * F / here;
        if (rate > 0.0) out->mobilised = gsl_ran_poisson(r, fmin(rate, 1e7));
    }
}

/* Cross-border strikes by state a on group g's fighters in its sanctuary. */
static int dr_strikes(dr_world *w, gsl_rng *r, size_t a, size_t g)
{
    const dr_strike_params *p = &w->params.strikes;
    const dr_actor *grp = &w->actors[g];
    size_t s = grp->sanctuary;
    size_t d = dr_scenario_find_dyad(w->sc, a, g);
    if (d == DR_NONE || w->posture[d] != DR_POSTURE_STRIKE || s == DR_NONE || s == a)
        return 0;
    double exposed = 0.0;
    for (size_t l = 0; l < w->n_locations; l++)
        if (w->locations[l].country == s) exposed += floor(dr_force_at(w, g, l));
    if (exposed < 1.0 || p->rate <= 0.0) return 0;
    dr_rng_stream(r, w->seed, w->replication, DR_RNG_STRIKE,
                  (uint32_t)(a * w->n_actors + g), (uint32_t)w->day);
    unsigned n = gsl_ran_poisson(r, p->rate);
    size_t d_struck = dr_scenario_find_dyad(w->sc, s, a);
    for (unsigned k = 0; k < n && exposed >= 1.0; k++) {
        /* The target: a sanctuary location drawn by the fighters there. */
        double u = gsl_rng_uniform(r) * exposed;
        size_t target = DR_NONE;
        for (size_t l = 0; l < w->n_locations && target == DR_NONE; l++)
            if (w->locations[l].country == s && (u -= floor(dr_force_at(w, g, l))) < 0.0)
                target = l;
        if (target == DR_NONE) break;
        double killed =
            p->fighters_killed > 0.0 ? gsl_ran_poisson(r, p->fighters_killed) : 0.0;
        killed = dr_remove_force(w, g, target, killed);
        exposed -= killed;
        double civ =
            p->civilians_killed > 0.0 ? gsl_ran_poisson(r, p->civilians_killed) : 0.0;
        dr_book_personnel(w, g, target, killed);
        dr_book_civilians(w, target, civ);
        w->strikes_today[target] += 1;
        if (d_struck != DR_NONE) w->grievance_today[d_struck] += p->tension_per_strike;
        int rc = dr_world_log(w, DR_LOG_STRIKE, a, s, target, DR_NONE, killed + civ, "");
        if (rc) return rc;
        if (gsl_rng_uniform(r) < p->retaliation_probability &&
            w->n_pending < w->cap_pending) {
            int64_t delay = (int64_t)gsl_ran_geometric(r, 1.0 / p->retaliation_mean_days);
            w->pending[w->n_pending++] = (dr_retaliation){w->day + delay, s, a};
        }
    }
    return 0;
}

int dr_phase_militants(dr_world *w)
{
    const dr_militant_params *p = &w->params.militants;
    const size_t na = w->n_actors, nl = w->n_locations;

    /* Attack memory fades before today's attacks are added. */
    const double fade = exp(-1.0 / w->params.postures.attack_memory_days);
    for (size_t d = 0; d < w->n_dyads; d++) w->attack_memory[d] *= fade;

    if (p->enabled) {
        const long n = (long)(na * nl);
#pragma omp parallel
        {
            gsl_rng *r = w->rngs[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 16)
            for (long k = 0; k < n; k++) {
                size_t g = (size_t)k / nl, l = (size_t)k % nl;
                dr_attack_day *out = &w->attack_day[k];
                *out = (dr_attack_day){.site = DR_NONE};
                if (w->actors[g].kind != DR_ACTOR_MILITANT) continue;
                double total = 0.0;
                for (size_t m = 0; m < nl; m++) total += dr_force_at(w, g, m);
                if (total > 0.0) dr_group_day(w, r, g, l, total, out);
            }
        }
        for (size_t g = 0; g < na; g++) {
            dr_actor *grp = &w->actors[g];
            if (grp->kind != DR_ACTOR_MILITANT) continue;
            size_t d_host = dr_scenario_find_dyad(w->sc, grp->host, g);
            size_t d_sanct =
                grp->sanctuary == DR_NONE
                    ? DR_NONE
                    : dr_scenario_find_dyad(w->sc, grp->host, grp->sanctuary);
            for (size_t l = 0; l < nl; l++) {
                const dr_attack_day *o = &w->attack_day[g * nl + l];
                double *f = &w->force[g * nl + l];
                double recruited = fmin(o->recruited, grp->recruitment_pool);
                grp->recruitment_pool -= recruited;
                double lost = dr_remove_force(w, g, l, o->fighters_lost + o->removed);
                *f += recruited + o->mobilised;
                w->recruited_today += recruited + o->mobilised;
                /* Attackers die where they attack; those removed by
                 * counter-insurgency where they were. */
                double in_attacks = fmin(o->fighters_lost, lost);
                dr_book_personnel(w, g, l, lost - in_attacks);
                if (o->attacks == 0) continue;
                size_t s = o->site;
                dr_book_personnel(w, g, s, in_attacks);
                /* Security forces killed count in full: attacks also hit
                 * police and paramilitary posts that `forces` does not
                 * list; deployed personnel shrink by what is there. */
                double sec = o->security_deaths;
                dr_remove_force(w, grp->host, s, sec);
                dr_book_personnel(w, grp->host, s, sec);
                dr_book_civilians(w, s, o->civilian_deaths);
                w->attacks_today[s] += o->attacks;
                w->project_damage[s] =
                    fmin(1.0, w->project_damage[s] + o->project_damage);
                w->project_sabotage[s] += o->project_damage;
                if (d_host != DR_NONE) w->attack_memory[d_host] += o->attacks;
                if (d_sanct != DR_NONE) {
                    w->attack_memory[d_sanct] += o->attacks;
                    w->grievance_today[d_sanct] += p->tension_per_attack * o->attacks;
                }
                int rc = dr_world_log(w, DR_LOG_ATTACK, g, grp->host, s, DR_NONE,
                                      sec + o->civilian_deaths + in_attacks, "");
                if (rc) return rc;
            }
        }
    }

    if (w->params.strikes.enabled)
        for (size_t a = 0; a < na; a++) {
            if (w->actors[a].kind != DR_ACTOR_STATE || w->withdrawn[a]) continue;
            for (size_t g = 0; g < na; g++) {
                if (w->actors[g].kind != DR_ACTOR_MILITANT) continue;
                int rc = dr_strikes(w, w->rngs[0], a, g);
                if (rc) return rc;
            }
        }
    return 0;
}
