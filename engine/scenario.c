/*
 * scenario.c — the parts of the scenario module that do not need libconfig:
 * enum names, destruction, look-ups by id and calendar arithmetic.
 *
 * The loader that builds a dr_scenario lives in scenario_load.c; everything
 * here works on an already validated (or partially built, for destroy)
 * scenario and never reads a file.
 */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

const char *const dr_actor_kind_names[DR_ACTOR_KIND_COUNT] = {"state", "militant",
                                                              "power", "organization"};
const char *const dr_location_type_names[DR_LOC_TYPE_COUNT] = {
    "city", "town", "district", "crossing", "camp", "conflict_zone"};
const char *const dr_route_kind_names[DR_ROUTE_KIND_COUNT] = {"road", "crossing",
                                                              "informal"};
const char *const dr_crossing_status_names[DR_CROSSING_STATUS_COUNT] = {
    "open", "restricted", "closed"};
const char *const dr_documentation_names[DR_DOC_COUNT] = {"citizen", "por", "acc",
                                                          "undocumented"};
const char *const dr_event_type_names[DR_EVENT_TYPE_COUNT] = {
    "border_regulation", "deportation", "deployment", "shock", "summit",
    "withdrawal",        "set"};
const char *const dr_intervention_type_names[DR_IV_TYPE_COUNT] = {
    "mediation", "task_force", "economic", "outreach"};
const char *const dr_posture_names[DR_POSTURE_COUNT] = {"cooperate", "hold", "pressure",
                                                        "strike"};
const char *const dr_lanchester_law_names[DR_LANCHESTER_LAW_COUNT] = {"square", "linear"};
const char *const dr_sweep_design_names[DR_SWEEP_DESIGN_COUNT] = {"factorial", "lhs",
                                                                  "sobol", "morris"};

/*
 * Free a scenario and everything it owns. Accepts NULL and partially built
 * scenarios (the loader calls it on failure): every owned pointer is either
 * NULL or a live allocation, and counts never exceed the allocated lengths.
 */
void dr_scenario_destroy(dr_scenario *sc)
{
    if (!sc) return;
    free(sc->path);
    free(sc->text);
    if (sc->overrides)
        for (size_t i = 0; i < sc->n_overrides; i++) free(sc->overrides[i]);
    free(sc->overrides);
    free(sc->meta.name);
    free(sc->meta.description);
    if (sc->actors)
        for (size_t i = 0; i < sc->n_actors; i++) {
            free(sc->actors[i].name);
            free(sc->actors[i].project_locations);
            free(sc->actors[i].members);
        }
    free(sc->actors);
    if (sc->locations)
        for (size_t i = 0; i < sc->n_locations; i++) {
            dr_location *l = &sc->locations[i];
            free(l->name);
            free(l->region);
            if (l->projects)
                for (size_t j = 0; j < l->n_projects; j++) free(l->projects[j]);
            free(l->projects);
        }
    free(sc->locations);
    free(sc->routes);
    free(sc->forces);
    free(sc->civilians);
    free(sc->dyads);
    if (sc->events)
        for (size_t i = 0; i < sc->n_events; i++) {
            free(sc->events[i].note);
            free(sc->events[i].parties);
            free(sc->events[i].path);
        }
    free(sc->events);
    if (sc->sweep.params)
        for (size_t i = 0; i < sc->sweep.n_params; i++) free(sc->sweep.params[i].path);
    free(sc->sweep.params);
    if (sc->interventions)
        for (size_t i = 0; i < sc->n_interventions; i++) {
            dr_intervention *v = &sc->interventions[i];
            free(v->name);
            free(v->file);
            free(v->parties);
            free(v->locations);
            free(v->crossings);
        }
    free(sc->interventions);
    free(sc);
}

/* Index of the actor whose id is `id`, or DR_NONE (also for a NULL id). */
size_t dr_scenario_find_actor(const dr_scenario *sc, const char *id)
{
    if (!sc || !id) return DR_NONE;
    for (size_t i = 0; i < sc->n_actors; i++)
        if (strcmp(sc->actors[i].id, id) == 0) return i;
    return DR_NONE;
}

/* Index of the location whose id is `id`, or DR_NONE. */
size_t dr_scenario_find_location(const dr_scenario *sc, const char *id)
{
    if (!sc || !id) return DR_NONE;
    for (size_t i = 0; i < sc->n_locations; i++)
        if (strcmp(sc->locations[i].id, id) == 0) return i;
    return DR_NONE;
}

/* Index of the route whose id (explicit, or FROM-TO) is `id`, or DR_NONE. */
size_t dr_scenario_find_route(const dr_scenario *sc, const char *id)
{
    if (!sc || !id) return DR_NONE;
    for (size_t i = 0; i < sc->n_routes; i++)
        if (strcmp(sc->routes[i].id, id) == 0) return i;
    return DR_NONE;
}

/* Index of the ordered dyad a->b, or DR_NONE. */
size_t dr_scenario_find_dyad(const dr_scenario *sc, size_t a, size_t b)
{
    if (!sc) return DR_NONE;
    for (size_t i = 0; i < sc->n_dyads; i++)
        if (sc->dyads[i].a == a && sc->dyads[i].b == b) return i;
    return DR_NONE;
}

size_t dr_scenario_find_intervention(const dr_scenario *sc, const char *id)
{
    if (!sc || !id) return DR_NONE;
    for (size_t i = 0; i < sc->n_interventions; i++)
        if (strcmp(sc->interventions[i].id, id) == 0) return i;
    return DR_NONE;
}

/*
 * Civilian agents implied by the civilians table: every (entry, status)
 * count is divided by agent_scale and rounded half up, i.e.
 * (n + scale / 2) / scale in integer arithmetic, so the result does not
 * depend on floating-point rounding.
 */
int64_t dr_scenario_agent_count(const dr_scenario *sc)
{
    if (!sc) return 0;
    int64_t scale = sc->meta.agent_scale >= 1 ? sc->meta.agent_scale : 1;
    int64_t total = 0;
    for (size_t i = 0; i < sc->n_civilians; i++)
        for (int d = 0; d < DR_DOC_COUNT; d++)
            total += (sc->civilians[i].count[d] + scale / 2) / scale;
    return total;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). Valid for any year representable in int64_t / 400. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Whether year y is a Gregorian leap year. */
static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Parse exactly "YYYY-MM-DD" (ten characters, digits where digits belong)
 * into days since 1970-01-01. The month must be 1..12 and the day must
 * exist in that month. Returns 0 on success, -1 otherwise (then
 * *days_since_epoch is untouched).
 */
int dr_date_parse(const char *s, int64_t *days_since_epoch)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) continue;
        if (s[i] < '0' || s[i] > '9') return -1;
    }
    int64_t y =
        (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int64_t m = (s[5] - '0') * 10 + (s[6] - '0');
    int64_t d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1) return -1;
    int64_t dim = mdays[m - 1] + (m == 2 && is_leap(y));
    if (d > dim) return -1;
    if (days_since_epoch) *days_since_epoch = days_from_civil(y, m, d);
    return 0;
}

/*
 * Write the date `days` after `start_date` as YYYY-MM-DD into buf (11
 * bytes). If start_date is not a valid date or the result falls outside
 * the years 0000..9999, buf becomes the empty string.
 */
void dr_date_format(const char *start_date, int64_t days, char buf[11])
{
    int64_t z, y, m, d;
    buf[0] = '\0';
    if (dr_date_parse(start_date, &z) != 0) return;
    if (days > 4000000 || days < -4000000) return;
    civil_from_days(z + days, &y, &m, &d);
    if (y < 0 || y > 9999) return;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}
