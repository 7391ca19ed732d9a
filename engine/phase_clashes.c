/*
 * phase_clashes.c — MODEL.md §2 phase 4: border clashes.
 *
 * Each clash channel (a pair of armed actors i < j at one location, or
 * across one border route) is a bivariate Hawkes process: i initiates
 * N_ij ~ Poisson(lambda_ij) clashes a day with
 *
 *   lambda_ij = base_rate * tempo_ij * presence * (1 - w_C * C_ij) + X_ij
 *   tempo_ij  = factor(posture_ij) * e_ij   (i a state)
 *             = T_ij                        (i a militant group)
 *   X_ij     <- X_ij e^-beta + (1 - e^-beta)/beta (alpha_s N_ij + alpha_x N_ji)
 *
 * and nothing when the two sides do not face each other (no forces). Every
 * clash is fought as stochastic Lanchester attrition between the engaged
 * forces; civilians die as collateral in proportion to military deaths and
 * local population. Deaths feed the victims' grievance (phase 8) and each
 * clash cuts trust both ways. A clash at a crossing (or at a location at
 * the end of one) may close it for a random number of days.
 *
 * Determinism: the parallel loop computes each channel's day from the
 * channel's own keyed stream and the state at the start of the phase into
 * w->channel_day; a serial loop in channel order then applies losses, logs
 * and closures. Retaliations scheduled by strikes are carried out first.
 */
#include <gsl/gsl_randist.h>
#include <omp.h>

#include "hawkes.h"
#include "interventions.h"
#include "lanchester.h"
#include "observer.h"
#include "phases.h"
#include "rng.h"
#include "violence.h"

/* Upper bound on clashes a channel side can start in one day: a guard
 * against explosive parameter choices (alpha_s + alpha_x >= beta), far
 * above anything forces could sustain. */
#define DR_MAX_CLASHES_PER_DAY 10000u

void dr_fight(const dr_world *w, gsl_rng *r, size_t i, size_t j, double f_i, double f_j,
              double *lost_i, double *lost_j)
{
    const dr_clash_params *p = &w->params.clashes;
    double ei = fmin(p->max_engaged, fmax(1.0, p->engagement * f_i));
    double ej = fmin(p->max_engaged, fmax(1.0, p->engagement * f_j));
    ei = fmin(ei, floor(f_i));
    ej = fmin(ej, floor(f_j));
    *lost_i = *lost_j = 0.0;
    if (ei < 1.0 || ej < 1.0) return;
    long a_lost = 0, b_lost = 0;
    double t = 0.0;
    dr_lanchester_ctmc(r, p->law, w->actors[i].lethality, w->actors[j].lethality,
                       (long)ei, (long)ej, p->duration_days, 0, 0, &a_lost, &b_lost, &t);
    *lost_i = (double)a_lost;
    *lost_j = (double)b_lost;
}

double dr_collateral(const dr_world *w, gsl_rng *r, size_t l, double military_deaths)
{
    const dr_clash_params *p = &w->params.clashes;
    double pop = (double)w->locations[l].population;
    double mean = p->collateral * military_deaths * pop / (pop + p->density_reference);
    return mean > 0.0 ? (double)gsl_ran_poisson(r, mean) : 0.0;
}

double dr_remove_force(dr_world *w, size_t a, size_t l, double persons)
{
    double *f = &w->force[a * w->n_locations + l];
    double removed = persons < *f ? persons : *f;
    if (removed < 0.0) removed = 0.0;
    *f -= removed;
    return removed;
}

/* Where i and j stand on channel c, and the personnel facing each other.
 * For a border route the orientation with more forces facing is used. */
static void dr_channel_sites(const dr_world *w, const dr_channel *c, size_t *site_i,
                             size_t *site_j, double *f_i, double *f_j)
{
    if (c->route == DR_NONE) {
        *site_i = *site_j = c->location;
    } else {
        const dr_route *r = &w->routes[c->route];
        double m1 = fmin(dr_force_at(w, c->i, r->from), dr_force_at(w, c->j, r->to));
        double m2 = fmin(dr_force_at(w, c->i, r->to), dr_force_at(w, c->j, r->from));
        *site_i = m1 >= m2 ? r->from : r->to;
        *site_j = m1 >= m2 ? r->to : r->from;
    }
    *f_i = dr_force_at(w, c->i, *site_i);
    *f_j = dr_force_at(w, c->j, *site_j);
}

/* Initiation rate of the dyad d = i->j on a channel with presence `pres`. */
static double dr_base_rate(const dr_world *w, size_t d, double pres)
{
    if (d == DR_NONE || pres <= 0.0) return 0.0;
    const dr_clash_params *p = &w->params.clashes;
    const dr_dyad *y = &w->dyads[d];
    double tempo = w->actors[y->a].kind == DR_ACTOR_STATE
                       ? dr_tempo(w, d) * dr_escalation(w, d)
                       : y->tension;
    double damp = 1.0 - p->coordination_damping * w->coordination[d];
    /* A mediated ceasefire (phase 2) scales the base rate by 1 - epsilon. */
    double cf = dr_ceasefire(w, d) ? 1.0 - w->ceasefire_damp[d] : 1.0;
    return p->base_rate * tempo * pres * cf * (damp > 0.0 ? damp : 0.0);
}

/* The crossing a clash on channel c can close, or DR_NONE. */
static size_t dr_channel_crossing(const dr_world *w, const dr_channel *c)
{
    if (c->route != DR_NONE)
        return w->routes[c->route].kind == DR_ROUTE_CROSSING ? c->route : DR_NONE;
    for (size_t k = 0; k < w->n_crossings; k++) {
        const dr_route *r = &w->routes[w->crossing_routes[k]];
        if (r->from == c->location || r->to == c->location) return w->crossing_routes[k];
    }
    return DR_NONE;
}

/* One channel's day, from its keyed stream; writes only w->channel_day[c]. */
static void dr_channel_compute(dr_world *w, gsl_rng *r, size_t ci)
{
    const dr_clash_params *p = &w->params.clashes;
    const dr_channel *c = &w->channels[ci];
    dr_channel_day *out = &w->channel_day[ci];
    *out = (dr_channel_day){.site_i = DR_NONE, .site_j = DR_NONE, .crossing = DR_NONE};
    size_t site_i, site_j;
    double f_i, f_j;
    dr_channel_sites(w, c, &site_i, &site_j, &f_i, &f_j);
    double pres = dr_presence(w, fmin(f_i, f_j));
    if (pres <= 0.0) return; /* excitation decays, nothing happens */
    double lam_ij = dr_base_rate(w, c->dyad_ij, pres) + w->excitation[2 * ci];
    double lam_ji = dr_base_rate(w, c->dyad_ji, pres) + w->excitation[2 * ci + 1];
    if (lam_ij <= 0.0 && lam_ji <= 0.0) return;
    dr_rng_stream(r, w->seed, w->replication, DR_RNG_CLASH, (uint32_t)ci,
                  (uint32_t)w->day);
    unsigned n_ij = lam_ij > 0.0 ? gsl_ran_poisson(r, fmin(lam_ij, 1e6)) : 0;
    unsigned n_ji = lam_ji > 0.0 ? gsl_ran_poisson(r, fmin(lam_ji, 1e6)) : 0;
    if (n_ij > DR_MAX_CLASHES_PER_DAY) n_ij = DR_MAX_CLASHES_PER_DAY;
    if (n_ji > DR_MAX_CLASHES_PER_DAY) n_ji = DR_MAX_CLASHES_PER_DAY;
    out->n_ij = (int32_t)n_ij;
    out->n_ji = (int32_t)n_ji;
    out->site_i = site_i;
    out->site_j = site_j;
    size_t crossing = dr_channel_crossing(w, c);
    for (unsigned k = 0; k < n_ij + n_ji; k++) {
        double li, lj;
        dr_fight(w, r, c->i, c->j, f_i - out->lost_i, f_j - out->lost_j, &li, &lj);
        out->lost_i += li;
        out->lost_j += lj;
        /* Collateral falls on the defender's side: j's for the clashes i
         * starts (the first n_ij), i's for the others. */
        int j_defends = k < n_ij;
        double civ = dr_collateral(w, r, j_defends ? site_j : site_i, li + lj);
        if (j_defends)
            out->civilians_j += civ;
        else
            out->civilians_i += civ;
        if (crossing != DR_NONE && p->closure_probability > 0.0 &&
            gsl_rng_uniform(r) < p->closure_probability) {
            int64_t days = (int64_t)gsl_ran_geometric(r, 1.0 / p->closure_mean_days);
            out->close = 1;
            if (days > out->close_days) out->close_days = days;
        }
    }
    out->crossing = crossing;
}

/* Carry out the retaliations due today (scheduled by strikes), serially
 * and in order of scheduling. */
static int dr_retaliate(dr_world *w, gsl_rng *r)
{
    const dr_clash_params *p = &w->params.clashes;
    const double keep = exp(-p->excitation_decay);
    const double mass = (1.0 - keep) / p->excitation_decay;
    size_t kept = 0;
    for (size_t k = 0; k < w->n_pending; k++) {
        dr_retaliation q = w->pending[k];
        if (q.day > w->day) {
            w->pending[kept++] = q;
            continue;
        }
        /* A channel between them where both stand, chosen by presence. */
        double total = 0.0;
        for (size_t ci = 0; ci < w->n_channels; ci++) {
            const dr_channel *c = &w->channels[ci];
            if (!((c->i == q.by && c->j == q.against) ||
                  (c->j == q.by && c->i == q.against)))
                continue;
            size_t si, sj;
            double fi, fj;
            dr_channel_sites(w, c, &si, &sj, &fi, &fj);
            total += dr_presence(w, fmin(fi, fj));
        }
        if (total <= 0.0) continue; /* nowhere to strike back */
        dr_rng_stream(
            r, w->seed, w->replication, DR_RNG_STRIKE,
            (uint32_t)(w->n_actors * w->n_actors + q.by * w->n_actors + q.against),
            (uint32_t)w->day);
        double u = gsl_rng_uniform(r) * total;
        for (size_t ci = 0; ci < w->n_channels; ci++) {
            const dr_channel *c = &w->channels[ci];
            if (!((c->i == q.by && c->j == q.against) ||
                  (c->j == q.by && c->i == q.against)))
                continue;
            size_t si, sj;
            double fi, fj;
            dr_channel_sites(w, c, &si, &sj, &fi, &fj);
            double pr = dr_presence(w, fmin(fi, fj));
            if (pr <= 0.0 || (u -= pr) > 0.0) continue;
            int by_is_i = c->i == q.by;
            size_t s_by = by_is_i ? si : sj, s_ag = by_is_i ? sj : si;
            double l_by, l_ag;
            dr_fight(w, r, q.by, q.against, dr_force_at(w, q.by, s_by),
                     dr_force_at(w, q.against, s_ag), &l_by, &l_ag);
            l_by = dr_remove_force(w, q.by, s_by, l_by);
            l_ag = dr_remove_force(w, q.against, s_ag, l_ag);
            double civ = dr_collateral(w, r, s_ag, l_by + l_ag);
            dr_book_personnel(w, q.by, s_by, l_by);
            dr_book_personnel(w, q.against, s_ag, l_ag);
            dr_book_civilians(w, s_ag, civ);
            w->clashes_today[s_ag] += 1;
            size_t d_by = dr_scenario_find_dyad(w->sc, q.by, q.against);
            size_t d_ag = dr_scenario_find_dyad(w->sc, q.against, q.by);
            if (d_by != DR_NONE) {
                w->grievance_today[d_by] += p->tension_per_death * l_by;
                w->dyad_clashes_today[d_by] += 1;
            }
            if (d_ag != DR_NONE) {
                w->grievance_today[d_ag] += p->tension_per_death * l_ag;
                w->dyad_clashes_today[d_ag] += 1;
            }
            /* The retaliation excites both directions of its channel. */
            w->excitation[2 * ci + (by_is_i ? 0 : 1)] += mass * p->self_excitation;
            w->excitation[2 * ci + (by_is_i ? 1 : 0)] += mass * p->cross_excitation;
            int rc = dr_world_log(w, DR_LOG_RETALIATION, q.by, q.against,
                                  c->route == DR_NONE ? s_ag : DR_NONE, c->route,
                                  l_by + l_ag + civ, "");
            if (rc) return rc;
            break;
        }
    }
    w->n_pending = kept;
    return 0;
}

/* Reopen crossings whose clash closure ends today. */
static int dr_reopen(dr_world *w)
{
    for (size_t r = 0; r < w->n_routes; r++) {
        if (w->reopen_day[r] < 0 || w->reopen_day[r] > w->day) continue;
        w->routes[r].status = w->reopen_to[r];
        w->reopen_day[r] = -1;
        int rc = dr_world_log(w, DR_LOG_REOPENING, DR_NONE, DR_NONE, DR_NONE, r,
                              (double)w->routes[r].status, "");
        if (rc) return rc;
    }
    return 0;
}

int dr_phase_clashes(dr_world *w)
{
    const dr_clash_params *p = &w->params.clashes;
    int rc = dr_reopen(w);
    if (rc || !p->enabled) return rc;
    rc = dr_retaliate(w, w->rngs[0]);
    if (rc) return rc;

    const long n = (long)w->n_channels;
#pragma omp parallel
    {
        gsl_rng *r = w->rngs[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 16)
        for (long ci = 0; ci < n; ci++) dr_channel_compute(w, r, (size_t)ci);
    }

    const double beta = p->excitation_decay;
    for (long ci = 0; ci < n; ci++) {
        const dr_channel *c = &w->channels[ci];
        const dr_channel_day *o = &w->channel_day[ci];
        w->excitation[2 * ci] =
            dr_hawkes_next(w->excitation[2 * ci], beta, p->self_excitation,
                           p->cross_excitation, o->n_ij, o->n_ji);
        w->excitation[2 * ci + 1] =
            dr_hawkes_next(w->excitation[2 * ci + 1], beta, p->self_excitation,
                           p->cross_excitation, o->n_ji, o->n_ij);
        if (o->n_ij + o->n_ji == 0) continue;
        size_t site_i = o->site_i, site_j = o->site_j;
        double li = dr_remove_force(w, c->i, site_i, o->lost_i);
        double lj = dr_remove_force(w, c->j, site_j, o->lost_j);
        dr_book_personnel(w, c->i, site_i, li);
        dr_book_personnel(w, c->j, site_j, lj);
        dr_book_civilians(w, site_i, o->civilians_i);
        dr_book_civilians(w, site_j, o->civilians_j);
        w->clashes_today[site_j] += o->n_ij;
        w->clashes_today[site_i] += o->n_ji;
        int32_t both = o->n_ij + o->n_ji;
        if (c->dyad_ij != DR_NONE) {
            w->grievance_today[c->dyad_ij] += p->tension_per_death * li;
            w->dyad_clashes_today[c->dyad_ij] += both;
        }
        if (c->dyad_ji != DR_NONE) {
            w->grievance_today[c->dyad_ji] += p->tension_per_death * lj;
            w->dyad_clashes_today[c->dyad_ji] += both;
        }
        double deaths = li + lj + o->civilians_i + o->civilians_j;
        size_t a = o->n_ij >= o->n_ji ? c->i : c->j;
        size_t b = a == c->i ? c->j : c->i;
        rc = dr_world_log(w, DR_LOG_CLASH, a, b,
                          c->route == DR_NONE ? c->location : DR_NONE, c->route, deaths,
                          "");
        if (rc) return rc;
        if (o->close && o->crossing != DR_NONE) {
            dr_route *route = &w->routes[o->crossing];
            int64_t until = w->day + o->close_days;
            if (w->reopen_day[o->crossing] < 0) {
                if (route->status == DR_CROSSING_CLOSED) continue; /* closed by policy */
                w->reopen_to[o->crossing] = route->status;
                route->status = DR_CROSSING_CLOSED;
                w->reopen_day[o->crossing] = until;
                rc = dr_world_log(w, DR_LOG_CLOSURE, a, b, DR_NONE, o->crossing,
                                  (double)o->close_days, "");
                if (rc) return rc;
            } else if (until > w->reopen_day[o->crossing]) {
                w->reopen_day[o->crossing] = until;
            }
        }
    }
    return 0;
}
