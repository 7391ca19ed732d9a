/*
 * phase_schedule.c — MODEL.md §2 phase 1: apply today's scheduled events
 * (MODEL.md §4) in file order, and log each one.
 *
 * Events are sorted by day by the loader; w->next_event is the first one not
 * yet applied. Every effect is clamped to the range of the quantity it
 * changes (tension and trust to [0,1], personnel to >= 0).
 */
#include <math.h>
#include <stddef.h>

#include "observer.h"
#include "phases.h"

static double clamp01(double x)
{
    return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

/* Add tension/trust changes to the dyad a->b if the scenario has it. */
static void dr_nudge_dyad(dr_world *w, size_t a, size_t b, double d_tension,
                          double d_trust)
{
    size_t d = dr_scenario_find_dyad(w->sc, a, b);
    if (d == DR_NONE) return;
    w->dyads[d].tension = clamp01(w->dyads[d].tension + d_tension);
    w->dyads[d].trust = clamp01(w->dyads[d].trust + d_trust);
    w->coordination[d] = w->dyads[d].trust;
}

void dr_world_apply_set(dr_world *w, const dr_set_target *t)
{
    char *base = NULL;
    switch (t->table) {
    case DR_TARGET_PARAMS: base = (char *)&w->params; break;
    case DR_TARGET_ACTOR: base = (char *)&w->actors[t->index]; break;
    case DR_TARGET_LOCATION: base = (char *)&w->locations[t->index]; break;
    case DR_TARGET_ROUTE: base = (char *)&w->routes[t->index]; break;
    case DR_TARGET_DYAD: base = (char *)&w->dyads[t->index]; break;
    }
    if (!base) return;
    void *field = base + t->offset;
    switch (t->type) {
    case DR_VALUE_DOUBLE: *(double *)field = t->value; break;
    case DR_VALUE_INT64: *(int64_t *)field = (int64_t)t->value; break;
    case DR_VALUE_BOOL: *(int *)field = t->value != 0.0; break;
    case DR_VALUE_ENUM: *(int *)field = (int)t->value; break;
    }
    /* Quantities that also live in state arrays follow their setting. */
    if (t->table == DR_TARGET_LOCATION &&
        t->offset == offsetof(dr_location, intensity)) {
        w->intensity[t->index] = t->value;
        w->danger[t->index] =
            1.0 - exp(-t->value / w->params.intensity.reference_deaths);
    }
    if (t->table == DR_TARGET_DYAD && t->offset == offsetof(dr_dyad, trust))
        w->coordination[t->index] = clamp01(t->value);
}

/* Apply one event and log it. Returns the observer status. */
static int dr_apply_event(dr_world *w, const dr_event *e)
{
    const size_t nl = w->n_locations;
    switch (e->type) {
    case DR_EVENT_BORDER_REGULATION: {
        dr_route *r = &w->routes[e->route];
        r->status = e->status;
        if (!isnan(e->pass_fraction)) r->pass_fraction = e->pass_fraction;
        w->reopen_day[e->route] = -1; /* policy replaces a clash closure */
        return dr_world_log(w, DR_LOG_BORDER_REGULATION, DR_NONE, DR_NONE,
                            DR_NONE, e->route, (double)e->status, e->note);
    }
    case DR_EVENT_SHOCK:
        dr_nudge_dyad(w, e->a, e->b, e->d_tension, e->d_trust);
        if (e->symmetric) dr_nudge_dyad(w, e->b, e->a, e->d_tension, e->d_trust);
        if (e->location != DR_NONE) w->deaths_today[e->location] += e->fatalities;
        return dr_world_log(w, DR_LOG_SHOCK, e->a, e->b, e->location, DR_NONE,
                            e->fatalities, e->note);
    case DR_EVENT_SUMMIT:
        for (size_t i = 0; i < e->n_parties; i++)
            for (size_t j = 0; j < e->n_parties; j++)
                if (i != j)
                    dr_nudge_dyad(w, e->parties[i], e->parties[j], e->d_tension,
                                  e->d_trust);
        return dr_world_log(w, DR_LOG_SUMMIT, e->host, DR_NONE, DR_NONE, DR_NONE,
                            e->d_tension, e->note);
    case DR_EVENT_DEPLOYMENT: {
        double *f = &w->force[e->actor * nl + e->location];
        double before = *f;
        *f = before + e->delta < 0.0 ? 0.0 : before + e->delta;
        return dr_world_log(w, DR_LOG_DEPLOYMENT, e->actor, DR_NONE, e->location,
                            DR_NONE, *f - before, e->note);
    }
    case DR_EVENT_WITHDRAWAL: {
        double removed = 0.0;
        for (size_t l = 0; l < nl; l++) {
            removed += w->force[e->actor * nl + l];
            w->force[e->actor * nl + l] = 0.0;
        }
        w->withdrawn[e->actor] = 1;
        if (w->actors[e->actor].kind == DR_ACTOR_POWER)
            w->actors[e->actor].involvement = 0.0;
        return dr_world_log(w, DR_LOG_WITHDRAWAL, e->actor, DR_NONE, DR_NONE,
                            DR_NONE, removed, e->note);
    }
    case DR_EVENT_DEPORTATION:
        /* The policy acts on civilian agents (phase 7); here it is logged. */
        return dr_world_log(w, DR_LOG_DEPORTATION, e->country, DR_NONE, DR_NONE,
                            DR_NONE, e->rate, e->note);
    case DR_EVENT_SET:
        dr_world_apply_set(w, &e->target);
        return dr_world_log(w, DR_LOG_SET, DR_NONE, DR_NONE, DR_NONE, DR_NONE,
                            e->target.value, e->note[0] ? e->note : e->path);
    case DR_EVENT_TYPE_COUNT: break;
    }
    return 0;
}

int dr_phase_schedule(dr_world *w)
{
    const dr_scenario *sc = w->sc;
    while (w->next_event < sc->n_events && sc->events[w->next_event].day <= w->day) {
        const dr_event *e = &sc->events[w->next_event++];
        if (e->day < w->day) continue; /* only possible if days were skipped */
        int rc = dr_apply_event(w, e);
        if (rc) return rc;
    }
    return 0;
}
