/*
 * summary.c — the run summary indicators and their table (summary.h).
 *
 * To add an indicator: write its begin/tick/log/finish functions (any may
 * be NULL except finish) and append a row to dr_indicators. Rows are never
 * reordered: sweep files and analyses refer to indicators by name, but a
 * stable order keeps old files and new ones comparable column by column.
 */
#include "summary.h"

#include "interventions.h"
#include "violence.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* ---- per-day quantities -------------------------------------------------- */

static int is_state_dyad(const dr_world *w, size_t d)
{
    const dr_dyad *y = &w->dyads[d];
    return w->actors[y->a].kind == DR_ACTOR_STATE &&
           w->actors[y->b].kind == DR_ACTOR_STATE;
}

/* Compute today's quantities from the world, in a fixed order. */
static void compute_day(dr_summary *s, const dr_world *w, int64_t day)
{
    dr_summary_day *d = &s->today;
    d->day = day;
    d->deaths = 0.0;
    d->danger_max = 0.0;
    for (size_t l = 0; l < w->n_locations; l++) {
        d->deaths += w->deaths_today[l];
        if (w->danger[l] > d->danger_max) d->danger_max = w->danger[l];
    }
    d->crossings_closed = 0.0;
    for (size_t c = 0; c < w->n_crossings; c++)
        if (w->routes[w->crossing_routes[c]].status == DR_CROSSING_CLOSED)
            d->crossings_closed += 1.0;
    double t = 0.0, u = 0.0, e = 0.0, c = 0.0, esc = 0.0;
    size_t n = 0;
    d->ceasefire = 0.0;
    for (size_t k = 0; k < w->n_dyads; k++) {
        if (!is_state_dyad(w, k)) continue;
        t += w->dyads[k].tension;
        u += w->dyads[k].trust;
        e += dr_interdependence(w, k);
        c += w->coordination[k];
        if (dr_ceasefire(w, k)) d->ceasefire = 1.0;
        esc += dr_escalation(w, k);
        n++;
    }
    d->tension_mean = n ? t / (double)n : NAN;
    d->trust_mean = n ? u / (double)n : NAN;
    d->escalation_mean = n ? esc / (double)n : NAN;
    d->interdependence_mean = n ? e / (double)n : NAN;
    d->coordination_mean = n ? c / (double)n : NAN;
    d->cost = 0.0;
    for (size_t k = 0; k < w->n_interventions; k++) d->cost += w->iv_cost[k];
    d->agreements = (double)w->agreements_today;
    d->breakdowns = (double)w->breakdowns_today;
    d->recruited = w->recruited_today;
    const double scale = (double)w->sc->meta.agent_scale;
    int64_t disp = 0, refu = 0, ret = 0;
    for (size_t l = 0; l < w->n_locations; l++) {
        const int64_t *cc = &w->civ_count[l * DR_AGENT_STATUS_COUNT];
        disp += cc[DR_AGENT_IDP] + cc[DR_AGENT_REFUGEE] + cc[DR_AGENT_IN_TRANSIT];
        refu += cc[DR_AGENT_REFUGEE];
        ret += w->civ_returns[l];
    }
    for (size_t r = 0; r < w->n_routes; r++) disp += w->civ_on_route[r];
    d->displaced = (double)disp * scale;
    d->refugees = (double)refu * scale;
    d->returns = (double)ret * scale;
    d->security_deaths = d->militant_deaths = d->civilian_deaths = 0.0;
    for (size_t a = 0; a < w->n_actors; a++) {
        if (w->actors[a].kind == DR_ACTOR_STATE) d->security_deaths += w->fatalities[a];
        if (w->actors[a].kind == DR_ACTOR_MILITANT)
            d->militant_deaths += w->fatalities[a];
    }
    d->clashes = d->attacks = d->strikes = 0.0;
    for (size_t l = 0; l < w->n_locations; l++) {
        d->civilian_deaths += w->civilian_deaths[l];
        d->clashes += w->clashes_today[l];
        d->attacks += w->attacks_today[l];
        d->strikes += w->strikes_today[l];
    }
}

/* ---- the indicators ------------------------------------------------------ */

static void acc_zero(dr_indicator_acc *acc)
{
    acc->a = 0.0;
    acc->b = 0.0;
    acc->n = 0;
}

/* Sums and maxima of one field of the day (a = sum, or a = max). */
#define DR_SUM_TICK(name, field)                                                         \
    static void name(dr_indicator_acc *acc, const dr_summary *s,                         \
                     const dr_summary_day *d)                                            \
    {                                                                                    \
        (void)s;                                                                         \
        acc->a += d->field;                                                              \
    }
#define DR_MAX_TICK(name, field)                                                         \
    static void name(dr_indicator_acc *acc, const dr_summary *s,                         \
                     const dr_summary_day *d)                                            \
    {                                                                                    \
        (void)s;                                                                         \
        if (d->field > acc->a) acc->a = d->field;                                        \
    }

/* a = sum of deaths */
DR_SUM_TICK(deaths_tick, deaths)

static double finish_a(const dr_indicator_acc *acc, const dr_summary *s,
                       const dr_world *w)
{
    (void)s;
    (void)w;
    return acc->a;
}

/* a = largest daily deaths, b = its first day (-1 while no deaths) */
static void peak_begin(dr_indicator_acc *acc)
{
    acc->a = 0.0;
    acc->b = -1.0;
    acc->n = 0;
}

static void peak_tick(dr_indicator_acc *acc, const dr_summary *s, const dr_summary_day *d)
{
    (void)s;
    if (d->deaths > acc->a) {
        acc->a = d->deaths;
        acc->b = (double)d->day;
    }
}

static double finish_b(const dr_indicator_acc *acc, const dr_summary *s,
                       const dr_world *w)
{
    (void)s;
    (void)w;
    return acc->b;
}

/* a = largest danger */
static void danger_tick(dr_indicator_acc *acc, const dr_summary *s,
                        const dr_summary_day *d)
{
    (void)s;
    if (d->danger_max > acc->a) acc->a = d->danger_max;
}

/* a = crossing-days closed */
DR_SUM_TICK(closed_tick, crossings_closed)

/* Final means over state dyads, from the world's end state. */
static double finish_tension(const dr_indicator_acc *acc, const dr_summary *s,
                             const dr_world *w)
{
    (void)acc;
    (void)w;
    return s->today.tension_mean;
}

static double finish_trust(const dr_indicator_acc *acc, const dr_summary *s,
                           const dr_world *w)
{
    (void)acc;
    (void)w;
    return s->today.trust_mean;
}

/* a = largest daily mean tension, NaN until a day with state dyads */
static void nan_begin(dr_indicator_acc *acc)
{
    acc->a = NAN;
    acc->b = 0.0;
    acc->n = 0;
}

static void tension_max_tick(dr_indicator_acc *acc, const dr_summary *s,
                             const dr_summary_day *d)
{
    (void)s;
    if (isnan(d->tension_mean)) return;
    if (isnan(acc->a) || d->tension_mean > acc->a) acc->a = d->tension_mean;
}

/* b = first day the mean falls below the threshold, -1 if never */
static void below_tick(dr_indicator_acc *acc, const dr_summary *s,
                       const dr_summary_day *d)
{
    if (acc->b < 0.0 && !isnan(d->tension_mean) &&
        d->tension_mean < s->opt.tension_threshold)
        acc->b = (double)d->day;
}

/* a = running sums of the violence tallies (one function per field). */
DR_SUM_TICK(security_tick, security_deaths)

DR_SUM_TICK(militant_tick, militant_deaths)

DR_SUM_TICK(civilian_tick, civilian_deaths)

static void clashes_tick(dr_indicator_acc *acc, const dr_summary *s,
                         const dr_summary_day *d)
{
    (void)s;
    acc->a += d->clashes;
    acc->n += d->clashes > 0.0;
}

DR_SUM_TICK(attacks_tick, attacks)

DR_SUM_TICK(strikes_tick, strikes)

DR_SUM_TICK(ceasefire_tick, ceasefire)
DR_SUM_TICK(agreements_tick, agreements)
DR_SUM_TICK(breakdowns_tick, breakdowns)
DR_SUM_TICK(recruited_tick, recruited)
DR_SUM_TICK(returns_tick, returns)
DR_MAX_TICK(displaced_peak_tick, displaced)

/* a = sum of escalation means, n = days with state dyads */
static void escalation_tick(dr_indicator_acc *acc, const dr_summary *s,
                            const dr_summary_day *d)
{
    (void)s;
    if (isnan(d->escalation_mean)) return;
    acc->a += d->escalation_mean;
    acc->n++;
}

static double finish_mean(const dr_indicator_acc *acc, const dr_summary *s,
                          const dr_world *w)
{
    (void)s;
    (void)w;
    return acc->n ? acc->a / (double)acc->n : NAN;
}

/* a = deaths in clashes and retaliations (log values) */
static void clash_deaths_log(dr_indicator_acc *acc, const dr_log_entry *e)
{
    if (e->kind == DR_LOG_CLASH || e->kind == DR_LOG_RETALIATION) acc->a += e->value;
}

/* Finals read from the last day ticked. */
#define DR_FINAL(name, field)                                                            \
    static double name(const dr_indicator_acc *acc, const dr_summary *s,                 \
                       const dr_world *w)                                                \
    {                                                                                    \
        (void)acc;                                                                       \
        (void)w;                                                                         \
        return s->today.field;                                                           \
    }
DR_FINAL(finish_cost, cost)
DR_FINAL(finish_interdependence, interdependence_mean)
DR_FINAL(finish_coordination, coordination_mean)
DR_FINAL(finish_displaced, displaced)
DR_FINAL(finish_refugees, refugees)

/* n = scheduled events applied (log kinds that mirror dr_event_type) */
static void events_log(dr_indicator_acc *acc, const dr_log_entry *e)
{
    if (e->kind >= 0 && e->kind <= DR_LOG_SET) acc->n++;
}

static double finish_n(const dr_indicator_acc *acc, const dr_summary *s,
                       const dr_world *w)
{
    (void)s;
    (void)w;
    return (double)acc->n;
}

const dr_indicator dr_indicators[] = {
    {"deaths_total", "1", "deaths over the run at all locations (persons)", acc_zero,
     deaths_tick, NULL, finish_a},
    {"deaths_peak", "1", "largest daily death toll over all locations (persons)",
     peak_begin, peak_tick, NULL, finish_a},
    {"deaths_peak_day", "day",
     "first day (0-based, since start_date) with the largest daily death toll; "
     "-1 if no deaths",
     peak_begin, peak_tick, NULL, finish_b},
    {"max_danger", "1", "largest perceived danger at any location on any day (0..1)",
     acc_zero, danger_tick, NULL, finish_a},
    {"crossing_closed_days", "day",
     "days a border crossing was closed at the end of the day, summed over crossings",
     acc_zero, closed_tick, NULL, finish_a},
    {"tension_final", "1", "mean tension over state-state dyads at the end of the run",
     acc_zero, NULL, NULL, finish_tension},
    {"tension_max", "1", "largest daily mean tension over state-state dyads", nan_begin,
     tension_max_tick, NULL, finish_a},
    {"trust_final", "1", "mean trust over state-state dyads at the end of the run",
     acc_zero, NULL, NULL, finish_trust},
    {"first_day_tension_below", "day",
     "first day (0-based) the mean state-state tension is below the threshold "
     "(attribute tension_threshold); -1 if never",
     peak_begin, below_tick, NULL, finish_b},
    {"events_applied", "1",
     "scheduled events applied (rows of the event log of "
     "the scheduled kinds)",
     acc_zero, NULL, events_log, finish_n},
    {"security_deaths_total", "1", "personnel of states killed over the run (persons)",
     acc_zero, security_tick, NULL, finish_a},
    {"militant_deaths_total", "1",
     "fighters of militant groups killed over the run (persons)", acc_zero, militant_tick,
     NULL, finish_a},
    {"civilian_deaths_total", "1", "civilians killed in violence over the run (persons)",
     acc_zero, civilian_tick, NULL, finish_a},
    {"clashes_total", "1", "clashes over the run, retaliations included", acc_zero,
     clashes_tick, NULL, finish_a},
    {"clash_days", "day", "days with at least one clash", acc_zero, clashes_tick, NULL,
     finish_n},
    {"attacks_total", "1", "militant attacks over the run", acc_zero, attacks_tick, NULL,
     finish_a},
    {"strikes_total", "1", "cross-border strikes over the run", acc_zero, strikes_tick,
     NULL, finish_a},
    {"cost_total", "USD", "cumulative cost of all interventions at the end of the run",
     acc_zero, NULL, NULL, finish_cost},
    {"ceasefire_days", "day", "days on which a state-state dyad was under ceasefire",
     acc_zero, ceasefire_tick, NULL, finish_a},
    {"agreements_total", "1", "mediated ceasefires agreed over the run", acc_zero,
     agreements_tick, NULL, finish_a},
    {"breakdowns_total", "1", "ceasefires that broke down over the run", acc_zero,
     breakdowns_tick, NULL, finish_a},
    {"recruited_total", "1",
     "fighters recruited by militant groups over the run (persons; pool and "
     "mobilised civilians)",
     acc_zero, recruited_tick, NULL, finish_a},
    {"interdependence_final", "1",
     "mean effective interdependence over state-state dyads at the end of the run",
     acc_zero, NULL, NULL, finish_interdependence},
    {"coordination_final", "1",
     "mean border coordination over state-state dyads at the end of the run", acc_zero,
     NULL, NULL, finish_coordination},
    {"displaced_peak", "1",
     "largest number of displaced persons (idp, refugee, in transit) at a day's end",
     acc_zero, displaced_peak_tick, NULL, finish_a},
    {"displaced_final", "1", "displaced persons at the end of the run", acc_zero, NULL,
     NULL, finish_displaced},
    {"refugees_final", "1", "persons with status refugee at the end of the run", acc_zero,
     NULL, NULL, finish_refugees},
    {"returns_total", "1", "persons who returned home over the run", acc_zero,
     returns_tick, NULL, finish_a},
    {"clash_deaths_total", "1",
     "deaths in clashes and retaliations over the run (persons, collateral included)",
     acc_zero, NULL, clash_deaths_log, finish_a},
    {"escalation_mean", "1",
     "mean over days and state-state dyads of the escalation propensity e_ab "
     "(MODEL.md phase 3)",
     acc_zero, escalation_tick, NULL, finish_mean},
};
const size_t dr_n_indicators = sizeof dr_indicators / sizeof dr_indicators[0];
_Static_assert(sizeof dr_indicators / sizeof dr_indicators[0] <=
                   DR_SUMMARY_MAX_INDICATORS,
               "raise DR_SUMMARY_MAX_INDICATORS");

/* ---- the daily series ---------------------------------------------------- */

/* One field of the day, as a series value. */
#define DR_DAY_VALUE(name, field)                                                        \
    static double name(const dr_summary_day *d)                                          \
    {                                                                                    \
        return d->field;                                                                 \
    }

DR_DAY_VALUE(day_deaths, deaths)
DR_DAY_VALUE(day_danger, danger_max)
DR_DAY_VALUE(day_closed, crossings_closed)
DR_DAY_VALUE(day_tension, tension_mean)
DR_DAY_VALUE(day_trust, trust_mean)
DR_DAY_VALUE(day_cost, cost)
DR_DAY_VALUE(day_displaced, displaced)
DR_DAY_VALUE(day_interdependence, interdependence_mean)
DR_DAY_VALUE(day_coordination, coordination_mean)
DR_DAY_VALUE(day_ceasefire, ceasefire)
DR_DAY_VALUE(day_recruited, recruited)

const dr_summary_series dr_summary_series_table[] = {
    {"deaths", "1", "deaths on the day at all locations (persons)", day_deaths},
    {"danger_max", "1", "largest perceived danger over locations (0..1)", day_danger},
    {"crossings_closed", "1", "border crossings closed at the end of the day",
     day_closed},
    {"tension_mean", "1", "mean tension over state-state dyads (0..1)", day_tension},
    {"trust_mean", "1", "mean trust over state-state dyads (0..1)", day_trust},
    {"cost", "USD", "cumulative cost of all interventions", day_cost},
    {"displaced", "1", "displaced persons (idp, refugee, in transit)", day_displaced},
    {"interdependence_mean", "1", "mean effective interdependence over state-state dyads",
     day_interdependence},
    {"coordination_mean", "1", "mean border coordination over state-state dyads",
     day_coordination},
    {"ceasefire", "1", "1 if a state-state dyad is under ceasefire, else 0",
     day_ceasefire},
    {"recruited", "1", "fighters recruited on the day (persons)", day_recruited},
};
const size_t dr_n_summary_series =
    sizeof dr_summary_series_table / sizeof dr_summary_series_table[0];

/* ---- the observer -------------------------------------------------------- */

static int summary_begin(void *ctx, const dr_world *w)
{
    dr_summary *s = ctx;
    s->n_state_dyads = 0;
    for (size_t k = 0; k < w->n_dyads; k++) s->n_state_dyads += is_state_dyad(w, k);
    /* Day "-1": the initial state, so finals of a zero-tick world exist. */
    compute_day(s, w, -1);
    for (size_t i = 0; i < dr_n_indicators; i++) {
        if (dr_indicators[i].begin)
            dr_indicators[i].begin(&s->acc[i]);
        else
            acc_zero(&s->acc[i]);
    }
    s->finished = 0;
    return s->inner && s->inner->begin ? s->inner->begin(s->inner->ctx, w) : 0;
}

static int summary_tick(void *ctx, const dr_world *w, int64_t day)
{
    dr_summary *s = ctx;
    compute_day(s, w, day);
    for (size_t i = 0; i < dr_n_indicators; i++)
        if (dr_indicators[i].tick) dr_indicators[i].tick(&s->acc[i], s, &s->today);
    if (s->series && day >= 0 && day < s->series_days) {
        double *row = s->series + (size_t)day * dr_n_summary_series;
        for (size_t k = 0; k < dr_n_summary_series; k++)
            row[k] = dr_summary_series_table[k].value(&s->today);
    }
    return s->inner && s->inner->tick ? s->inner->tick(s->inner->ctx, w, day) : 0;
}

static int summary_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    dr_summary *s = ctx;
    for (size_t i = 0; i < dr_n_indicators; i++)
        if (dr_indicators[i].log) dr_indicators[i].log(&s->acc[i], e);
    return s->inner && s->inner->log ? s->inner->log(s->inner->ctx, w, e) : 0;
}

static int summary_end(void *ctx, const dr_world *w, int status)
{
    dr_summary *s = ctx;
    if (status == 0) {
        for (size_t i = 0; i < dr_n_indicators; i++)
            s->values[i] = dr_indicators[i].finish(&s->acc[i], s, w);
        s->finished = 1;
    }
    if (s->inner && s->inner->end) return s->inner->end(s->inner->ctx, w, status);
    return status;
}

void dr_summary_options_default(dr_summary_options *o)
{
    assert(o);
    o->tension_threshold = DR_SUMMARY_TENSION_THRESHOLD;
}

void dr_summary_init(dr_summary *s, const dr_summary_options *opt, dr_observer *inner,
                     double *series, int64_t series_days)
{
    assert(s);
    memset(s, 0, sizeof *s);
    if (opt)
        s->opt = *opt;
    else
        dr_summary_options_default(&s->opt);
    s->inner = inner;
    s->series = series;
    s->series_days = series ? series_days : 0;
    s->obs.ctx = s;
    s->obs.begin = summary_begin;
    s->obs.tick = summary_tick;
    s->obs.log = summary_log;
    s->obs.end = summary_end;
}

int dr_summary_values(const dr_summary *s, double *out)
{
    assert(s && out);
    for (size_t i = 0; i < dr_n_indicators; i++)
        out[i] = s->finished ? s->values[i] : NAN;
    return s->finished ? 0 : -1;
}
