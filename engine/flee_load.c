/*
 * flee_load.c — a FLEE case directory read unchanged into a dr_scenario and
 * a dr_flee_case (flee.h).
 *
 * What is read, and how FLEE's own reader treats it (FLEE's InputGeography,
 * DataTable and RefugeeTable, read_period):
 *
 *   input_csv/locations.csv   name, region, country, lat, lon, location_type,
 *                             conflict_date, population_or_capacity, extra
 *                             attribute columns (ignored). Rows whose first
 *                             field starts with '#' are headers.
 *   input_csv/routes.csv      name1, name2, distance_km[, forced_redirection]
 *   input_csv/conflicts.csv   header "#Day, loc, ...", row k = day k
 *   input_csv/closures.csv    type, name1, name2, start, end (optional here)
 *   input_csv/sim_period.csv  StartDate,YYYY-MM-DD and Length,N
 *   input_csv/registration_corrections.csv  camp, date: earlier data of the
 *                             camp scaled to the level registered that day
 *   input_csv/location_changes.csv  location, new type, day
 *   source_data/data_layout.csv  name,file[,file...]; the first row is the
 *                             total (refugees.csv), the others camps
 *   simsetting.yml            FLEE's settings (flee_settings.c)
 *
 * FLEE's unit-test layout (test_input_csv/: the CSV files in the directory
 * itself, data in refugee_data/) is read as well. Other files FLEE may find
 * in a case (demographics, agents, region attributes, major routes) only
 * matter to rules that are off by default; they are listed as notes.
 *
 * Mapping to the scenario (documented in README.md, "FLEE cases"):
 *   - every distinct country is a state actor, the first row's country
 *     first (FLEE's home country);
 *   - location ids are the names with characters outside [A-Za-z0-9_]
 *     replaced by '_' (cut to 31 characters, made unique); names are kept;
 *   - camp and idpcamp -> camp (capacity), conflict -> conflict_zone,
 *     forward and marker -> crossing (transit points), others -> town;
 *   - routes between two countries are crossings (open), others roads;
 *   - populations and capacities in persons, agent_scale = hasten.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "flee.h"
#include "flee_settings.h"
#include "flee_text.h"

const char *const dr_flee_kind_names[DR_FLEE_KIND_COUNT] = {
    "town", "conflict_zone", "camp", "idpcamp", "forwarding_hub", "marker"};
const char *const dr_flee_closure_type_names[DR_FLEE_CLOSURE_TYPE_COUNT] = {
    "country", "location", "link", "camp", "idpcamp", "remove_forced_redirection"};

/* Intensities at or below this are "no conflict", as in FLEE. */
#define DR_FLEE_CONFLICT_EPS 0.000001

/* Most persons a population, capacity or data value may count, and most
 * agents the camp data may sum to on one day: far above any real case,
 * low enough that sums and differences of whole agents stay exact in a
 * double and every count fits an int64_t. */
#define DR_FLEE_MAX_PERSONS 1000000000000000LL
#define DR_FLEE_MAX_PERSONS_TEXT "10^15"

/* Longest run, in days: the scenario loader's range of scenario.days. */
#define DR_FLEE_MAX_DAYS 36500
/* Most days x locations: the per-day, per-location tables (conflicts,
 * onsets, camp data) stay within a few hundred MiB. */
#define DR_FLEE_MAX_CELLS 20000000LL

/* A location as read. */
typedef struct raw_loc {
    char *name, *region, *country; /* borrowed from the csv */
    size_t country_index;
    double lat, lon;
    dr_flee_kind kind;
    int64_t conflict_date; /* -1 when empty */
    int64_t popcap;        /* persons */
    int line;
} raw_loc;

/* A data series (day offset, value in agents), sorted by day. */
typedef struct series {
    char *name; /* owned */
    int line;   /* in data_layout.csv */
    size_t n;
    double *day; /* owned */
    double *val; /* owned */
} series;

typedef struct loader {
    dr_flee_errs e;
    int64_t hasten; /* override of optimisations.hasten, 0: none */
    const char *dir;
    char in_dir[4096], data_dir[4096];
    dr_flee_case *fc;
    dr_scenario *sc;
    int64_t start_epoch;
    int length_line; /* line of Length in sim_period.csv */
    /* provenance text */
    char *text;
    size_t text_len, text_cap;
    /* locations.csv */
    dr_csv locs;
    raw_loc *L;
    size_t nl;
    char **countries; /* borrowed names */
    size_t nc;
    series *S;
    size_t ns;
} loader;

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static void oom(loader *ld)
{
    ld->e.n++;
    if (ld->e.err)
        fprintf(ld->e.err, "%s: out of memory reading the FLEE case\n", ld->dir);
}

static int add_note(loader *ld, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    dr_flee_case *fc = ld->fc;
    char **nn = realloc(fc->notes, (fc->n_notes + 1) * sizeof *nn);
    if (!nn) return -1;
    fc->notes = nn;
    if (!(nn[fc->n_notes] = dup_str(buf))) return -1;
    fc->n_notes++;
    return 0;
}

/* Append a file's text to the provenance text. */
static int add_text(loader *ld, const char *rel, const char *body)
{
    size_t need = strlen(rel) + strlen(body) + 32;
    if (ld->text_len + need + 1 > ld->text_cap) {
        size_t cap = ld->text_cap ? ld->text_cap : 4096;
        while (cap < ld->text_len + need + 1) cap *= 2;
        char *t = realloc(ld->text, cap);
        if (!t) return -1;
        ld->text = t;
        ld->text_cap = cap;
    }
    size_t bl = strlen(body);
    ld->text_len += (size_t)snprintf(ld->text + ld->text_len, ld->text_cap - ld->text_len,
                                     "==> %s <==\n%s%s", rel, body,
                                     bl && body[bl - 1] != '\n' ? "\n" : "");
    return 0;
}

/* Read csv `path` (relative name `rel` for the provenance text). */
static int read_csv(loader *ld, dr_csv *c, const char *path, const char *rel)
{
    if (dr_csv_read(c, path, &ld->e)) return -1;
    if (add_text(ld, rel, c->text)) {
        dr_csv_clear(c);
        oom(ld);
        return -1;
    }
    return 0;
}

static int starts_hash(const dr_csv_row *r)
{
    return r->n > 0 && r->f[0][0] == '#';
}

/* Day offset of YYYY-MM-DD from the start date, or -1 (with *ok = 0). */
static int date_offset(const loader *ld, const char *s, int64_t *off)
{
    int64_t d;
    if (strlen(s) != 10 || dr_date_parse(s, &d)) return -1;
    *off = d - ld->start_epoch;
    return 0;
}

static size_t find_loc(const loader *ld, const char *name)
{
    for (size_t i = 0; i < ld->nl; i++)
        if (!strcmp(ld->L[i].name, name)) return i;
    return DR_NONE;
}

static size_t find_country(const loader *ld, const char *name)
{
    for (size_t i = 0; i < ld->nc; i++)
        if (!strcmp(ld->countries[i], name)) return i;
    return DR_NONE;
}

static void path_join(char *out, size_t n, const char *a, const char *b)
{
    snprintf(out, n, "%s/%s", a, b);
}

/* The relative name used in messages' provenance headers. */
static const char *rel_of(const loader *ld, const char *path)
{
    size_t n = strlen(ld->dir);
    if (!strncmp(path, ld->dir, n) && path[n] == '/') return path + n + 1;
    return path;
}

/* ---- sim_period.csv ------------------------------------------------------ */

static int read_period(loader *ld, char start[11], int64_t *days)
{
    char path[4200];
    path_join(path, sizeof path, ld->in_dir, "sim_period.csv");
    dr_csv c;
    if (read_csv(ld, &c, path, rel_of(ld, path))) return -1;
    int have_start = 0, have_len = 0;
    for (size_t i = 0; i < c.n_rows; i++) {
        const dr_csv_row *r = &c.rows[i];
        if (starts_hash(r)) continue;
        char key[32];
        snprintf(key, sizeof key, "%s", r->f[0]);
        for (char *p = key; *p; p++) *p = (char)tolower((unsigned char)*p);
        const char *v = r->n > 1 ? r->f[1] : "";
        if (!strcmp(key, "startdate")) {
            int64_t d;
            if (strlen(v) != 10 || dr_date_parse(v, &d)) {
                dr_flee_error(&ld->e, path, r->line, "StartDate", v, "a date YYYY-MM-DD");
            } else {
                memcpy(start, v, 11);
                ld->start_epoch = d;
                have_start = 1;
            }
        } else if (!strcmp(key, "length")) {
            long long n;
            if (dr_flee_parse_int(v, &n) || n < 1 || n > DR_FLEE_MAX_DAYS) {
                dr_flee_error(&ld->e, path, r->line, "Length", v,
                              "a number of days in [1, %d]", DR_FLEE_MAX_DAYS);
            } else {
                *days = n;
                have_len = 1;
                ld->length_line = r->line;
            }
        } else {
            dr_flee_error(&ld->e, path, r->line, "row", r->f[0], "StartDate or Length");
        }
    }
    if (!have_start && !ld->e.n)
        dr_flee_error(&ld->e, path, 0, "StartDate", NULL, "a row StartDate,YYYY-MM-DD");
    if (!have_len && !ld->e.n)
        dr_flee_error(&ld->e, path, 0, "Length", NULL, "a row Length,N (days)");
    dr_csv_clear(&c);
    return ld->e.n ? -1 : 0;
}

/* ---- locations.csv ------------------------------------------------------- */

static int parse_kind(const char *type, dr_flee_kind *k)
{
    char low[128];
    snprintf(low, sizeof low, "%s", type);
    for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
    if (strstr(low, "camp")) {
        *k = strstr(low, "idp") ? DR_FLEE_IDPCAMP : DR_FLEE_CAMP;
    } else if (strstr(low, "conflict")) {
        *k = DR_FLEE_CONFLICT;
    } else if (strstr(low, "forward")) {
        *k = DR_FLEE_FORWARD;
    } else if (strstr(low, "marker")) {
        *k = DR_FLEE_MARKER;
    } else if (strstr(low, "default") || strstr(low, "town")) {
        *k = DR_FLEE_TOWN;
    } else {
        return -1;
    }
    return 0;
}

/* Report row r of `path` when it has fewer than `need` fields (`expected`
 * says which). Returns 1 when it did. */
static int short_row(loader *ld, const char *path, const dr_csv_row *r, size_t need,
                     const char *expected)
{
    if (r->n >= need) return 0;
    char n[32];
    snprintf(n, sizeof n, "%zu fields", r->n);
    dr_flee_error(&ld->e, path, r->line, "row", n, "%s", expected);
    return 1;
}

static int read_locations(loader *ld)
{
    char path[4200];
    path_join(path, sizeof path, ld->in_dir, "locations.csv");
    if (read_csv(ld, &ld->locs, path, rel_of(ld, path))) return -1;
    dr_csv *c = &ld->locs;
    ld->L = calloc(c->n_rows ? c->n_rows : 1, sizeof *ld->L);
    ld->countries = calloc(c->n_rows ? c->n_rows : 1, sizeof *ld->countries);
    if (!ld->L || !ld->countries) {
        oom(ld);
        return -1;
    }
    for (size_t i = 0; i < c->n_rows; i++) {
        const dr_csv_row *r = &c->rows[i];
        if (starts_hash(r)) continue;
        if (short_row(ld, path, r, 8,
                      "at least 8 fields: name, region, country, lat, lon, "
                      "location_type, conflict_date, population"))
            continue;
        raw_loc *l = &ld->L[ld->nl];
        l->line = r->line;
        l->name = r->f[0];
        l->region = r->f[1];
        l->country = r->f[2][0] ? r->f[2] : "unknown";
        if (!l->name[0]) {
            dr_flee_error(&ld->e, path, r->line, "name", "", "a location name");
            continue;
        }
        size_t dup = find_loc(ld, l->name);
        if (dup != DR_NONE) {
            char why[64];
            snprintf(why, sizeof why, "a name not used before (line %d)",
                     ld->L[dup].line);
            dr_flee_error(&ld->e, path, r->line, "name", l->name, "%s", why);
            continue;
        }
        l->lat = 0.0;
        l->lon = 0.0;
        if (r->f[3][0] && (dr_flee_parse_double(r->f[3], &l->lat) || fabs(l->lat) > 90))
            dr_flee_error(&ld->e, path, r->line, "lat", r->f[3],
                          "a latitude in [-90, 90] or empty");
        if (r->f[4][0] && (dr_flee_parse_double(r->f[4], &l->lon) || fabs(l->lon) > 180))
            dr_flee_error(&ld->e, path, r->line, "lon", r->f[4],
                          "a longitude in [-180, 180] or empty");
        if (parse_kind(r->f[5], &l->kind))
            dr_flee_error(&ld->e, path, r->line, "location_type", r->f[5],
                          "a type containing camp, idpcamp, conflict, forward, marker, "
                          "town or default");
        l->conflict_date = -1;
        if (r->f[6][0]) {
            long long d;
            if (dr_flee_parse_int(r->f[6], &d) || d < 0)
                dr_flee_error(&ld->e, path, r->line, "conflict_date", r->f[6],
                              "a day number >= 0 or empty");
            else
                l->conflict_date = d;
        } else if (l->kind == DR_FLEE_CONFLICT) {
            dr_flee_error(
                &ld->e, path, r->line, "conflict_date", "",
                "the day the conflict starts (FLEE requires it for conflict zones)");
        }
        l->popcap = 0;
        if (r->f[7][0]) {
            long long p;
            if (dr_flee_parse_int(r->f[7], &p) || p < 0 || p > DR_FLEE_MAX_PERSONS)
                dr_flee_error(&ld->e, path, r->line,
                              l->kind == DR_FLEE_CAMP || l->kind == DR_FLEE_IDPCAMP
                                  ? "capacity"
                                  : "population",
                              r->f[7],
                              "a whole number of persons in [0, " DR_FLEE_MAX_PERSONS_TEXT
                              "] or empty");
            else
                l->popcap = p;
        }
        size_t ci = find_country(ld, l->country);
        if (ci == DR_NONE) {
            ci = ld->nc;
            ld->countries[ld->nc++] = l->country;
        }
        l->country_index = ci;
        ld->nl++;
    }
    if (!ld->e.n && ld->nl == 0)
        dr_flee_error(&ld->e, path, 0, "locations", NULL, "at least one location row");
    return ld->e.n ? -1 : 0;
}

/* ---- scenario skeleton: actors, locations -------------------------------- */

/* Make an id from a name: [A-Za-z0-9_] kept, others '_', at most 31 chars,
 * unique among ids[0..n). */
static void make_id(const char *name, char out[DR_ID_MAX], char (*ids)[DR_ID_MAX],
                    size_t n, const char *fallback)
{
    char base[DR_ID_MAX];
    size_t k = 0;
    for (const char *p = name; *p && k < DR_ID_MAX - 1; p++) {
        unsigned char ch = (unsigned char)*p;
        base[k++] = (char)(isalnum(ch) && ch < 128 ? ch : '_');
    }
    base[k] = '\0';
    if (!k) snprintf(base, sizeof base, "%s", fallback);
    snprintf(out, DR_ID_MAX, "%s", base);
    for (int suffix = 2;; suffix++) {
        int clash = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(ids[i], out)) clash = 1;
        if (!clash) return;
        char sfx[16];
        int sl = snprintf(sfx, sizeof sfx, "_%d", suffix);
        size_t keep = strlen(base);
        if (keep + (size_t)sl > DR_ID_MAX - 1) keep = DR_ID_MAX - 1 - (size_t)sl;
        snprintf(out, DR_ID_MAX, "%.*s%s", (int)keep, base, sfx);
    }
}

static int build_places(loader *ld)
{
    dr_scenario *sc = ld->sc;
    sc->actors = calloc(ld->nc, sizeof *sc->actors);
    sc->locations = calloc(ld->nl, sizeof *sc->locations);
    char(*aid)[DR_ID_MAX] = calloc(ld->nc, DR_ID_MAX);
    char(*lid)[DR_ID_MAX] = calloc(ld->nl, DR_ID_MAX);
    if (!sc->actors || !sc->locations || !aid || !lid) {
        free(aid);
        free(lid);
        oom(ld);
        return -1;
    }
    for (size_t i = 0; i < ld->nc; i++) {
        dr_actor *a = &sc->actors[i];
        make_id(ld->countries[i], aid[i], aid, i, "country");
        memcpy(a->id, aid[i], DR_ID_MAX);
        a->kind = DR_ACTOR_STATE;
        a->host = DR_NONE;
        a->sanctuary = DR_NONE;
        a->economy = 0.5;
        a->resolve = 0.5;
        a->legitimacy = 0.5;
        sc->n_actors++;
        if (!(a->name = dup_str(ld->countries[i]))) goto fail;
    }
    for (size_t i = 0; i < ld->nl; i++) {
        const raw_loc *r = &ld->L[i];
        dr_location *l = &sc->locations[i];
        make_id(r->name, lid[i], lid, i, "location");
        memcpy(l->id, lid[i], DR_ID_MAX);
        sc->n_locations++;
        if (!(l->name = dup_str(r->name)) || !(l->region = dup_str(r->region))) goto fail;
        l->country = r->country_index;
        l->lat = r->lat;
        l->lon = r->lon;
        switch (r->kind) {
        case DR_FLEE_CAMP:
        case DR_FLEE_IDPCAMP:
            l->type = DR_LOC_CAMP;
            break;
        case DR_FLEE_CONFLICT:
            l->type = DR_LOC_CONFLICT_ZONE;
            break;
        case DR_FLEE_FORWARD:
        case DR_FLEE_MARKER:
            l->type = DR_LOC_CROSSING;
            break;
        default:
            l->type = DR_LOC_TOWN;
            break;
        }
        int camp = r->kind == DR_FLEE_CAMP || r->kind == DR_FLEE_IDPCAMP;
        l->population = camp ? 0 : r->popcap;
        l->capacity = 0; /* set once the day-0 populations are known */
    }
    free(aid);
    free(lid);
    return 0;
fail:
    free(aid);
    free(lid);
    oom(ld);
    return -1;
}

/* ---- routes.csv ---------------------------------------------------------- */

static int read_routes(loader *ld)
{
    char path[4200];
    path_join(path, sizeof path, ld->in_dir, "routes.csv");
    dr_csv c;
    if (read_csv(ld, &c, path, rel_of(ld, path))) return -1;
    dr_scenario *sc = ld->sc;
    sc->routes = calloc(c.n_rows ? c.n_rows : 1, sizeof *sc->routes);
    ld->fc->forced_redirection = calloc(c.n_rows ? c.n_rows : 1, sizeof(int));
    if (!sc->routes || !ld->fc->forced_redirection) {
        dr_csv_clear(&c);
        oom(ld);
        return -1;
    }
    for (size_t i = 0; i < c.n_rows; i++) {
        const dr_csv_row *r = &c.rows[i];
        if (starts_hash(r)) continue;
        if (short_row(ld, path, r, 3, "name1, name2, distance[, forced_redirection]"))
            continue;
        size_t a = find_loc(ld, r->f[0]), b = find_loc(ld, r->f[1]);
        if (a == DR_NONE)
            dr_flee_error(&ld->e, path, r->line, "name1", r->f[0],
                          "a location of locations.csv");
        if (b == DR_NONE)
            dr_flee_error(&ld->e, path, r->line, "name2", r->f[1],
                          "a location of locations.csv");
        double km;
        if (dr_flee_parse_double(r->f[2], &km) || km < 0)
            dr_flee_error(&ld->e, path, r->line, "distance", r->f[2],
                          "a distance in km >= 0");
        long long fr = 0;
        if (r->n > 3 && r->f[3][0] &&
            (dr_flee_parse_int(r->f[3], &fr) || fr < 0 || fr > 2))
            dr_flee_error(&ld->e, path, r->line, "forced_redirection", r->f[3],
                          "0, 1, 2 or empty");
        if (a == DR_NONE || b == DR_NONE) continue;
        if (a == b) {
            dr_flee_error(&ld->e, path, r->line, "name2", r->f[1],
                          "a location other than name1");
            continue;
        }
        dr_route *rt = &sc->routes[sc->n_routes];
        rt->from = a;
        rt->to = b;
        rt->distance_km = km;
        rt->kind = ld->L[a].country_index == ld->L[b].country_index ? DR_ROUTE_ROAD
                                                                    : DR_ROUTE_CROSSING;
        rt->status = DR_CROSSING_OPEN;
        rt->pass_fraction = 1.0;
        /* Ids FROM-TO, made unique when FLEE's file repeats a pair. */
        snprintf(rt->id, sizeof rt->id, "%s-%s", sc->locations[a].id,
                 sc->locations[b].id);
        for (int k = 2; dr_scenario_find_route(sc, rt->id) != DR_NONE; k++)
            snprintf(rt->id, sizeof rt->id, "%.26s-%.26s_%d", sc->locations[a].id,
                     sc->locations[b].id, k);
        ld->fc->forced_redirection[sc->n_routes] = (int)fr;
        sc->n_routes++;
    }
    dr_csv_clear(&c);
    return ld->e.n ? -1 : 0;
}

/* ---- conflicts.csv -------------------------------------------------------- */

static int read_conflicts(loader *ld)
{
    dr_flee_case *fc = ld->fc;
    const size_t nl = ld->nl;
    const int64_t days = fc->days;
    char path[4200];
    path_join(path, sizeof path, ld->in_dir, "conflicts.csv");
    fc->conflict = calloc((size_t)days * nl, sizeof *fc->conflict);
    fc->onset = malloc((size_t)days * nl * sizeof *fc->onset);
    size_t *col = NULL;
    int *has_col = calloc(nl, sizeof *has_col);
    if (!fc->conflict || !fc->onset || !has_col) {
        free(has_col);
        oom(ld);
        return -1;
    }
    if (is_file(path)) {
        dr_csv c;
        if (read_csv(ld, &c, path, rel_of(ld, path))) {
            free(has_col);
            return -1;
        }
        if (c.n_rows == 0) {
            dr_flee_error(&ld->e, path, 0, "header", NULL, "%s",
                          "a header row \"#Day, loc1, loc2, ...\"");
            dr_csv_clear(&c);
            free(has_col);
            return -1;
        }
        const dr_csv_row *h = &c.rows[0];
        col = calloc(h->n, sizeof *col);
        if (!col) {
            dr_csv_clear(&c);
            free(has_col);
            oom(ld);
            return -1;
        }
        for (size_t j = 1; j < h->n; j++) {
            col[j] = DR_NONE;
            if (!h->f[j][0]) continue;
            size_t l = find_loc(ld, h->f[j]);
            if (l == DR_NONE) {
                /* FLEE reads such a column and only complains when its
                 * conflict starts; it never acts on it. */
                if (add_note(ld,
                             "%s:%d: column \"%s\" is not a location of locations.csv: "
                             "ignored, as FLEE does",
                             rel_of(ld, path), h->line, h->f[j])) {
                    free(col);
                    dr_csv_clear(&c);
                    free(has_col);
                    oom(ld);
                    return -1;
                }
            } else if (has_col[l]) {
                dr_flee_error(&ld->e, path, h->line, "column", h->f[j],
                              "each location once");
            } else {
                col[j] = l;
                has_col[l] = 1;
            }
        }
        int64_t day = 0;
        for (size_t i = 1; i < c.n_rows && !ld->e.n; i++) {
            const dr_csv_row *r = &c.rows[i];
            long long dv;
            if (dr_flee_parse_int(r->f[0], &dv) || dv != day) {
                char want[48];
                snprintf(want, sizeof want, "%lld (row k is day k)", (long long)day);
                dr_flee_error(&ld->e, path, r->line, "day", r->f[0], "%s", want);
                break;
            }
            if (r->n > h->n) {
                char n[32];
                snprintf(n, sizeof n, "%zu fields", r->n);
                dr_flee_error(&ld->e, path, r->line, "row", n,
                              "at most %zu fields, like the header", h->n);
                break;
            }
            for (size_t j = 1; j < r->n; j++) {
                double v;
                if (col[j] == DR_NONE) {
                    if (r->f[j][0] && h->f[j][0] == '\0')
                        dr_flee_error(&ld->e, path, r->line, "value", r->f[j],
                                      "nothing under an empty header field");
                    continue;
                }
                if (dr_flee_parse_double(r->f[j], &v) || v < 0) {
                    char field[160];
                    snprintf(field, sizeof field, "%s", h->f[j]);
                    dr_flee_error(&ld->e, path, r->line, field, r->f[j],
                                  "an intensity >= 0");
                    continue;
                }
                if (day < days) fc->conflict[(size_t)day * nl + col[j]] = v;
            }
            if (r->n < h->n)
                for (size_t j = r->n; j < h->n; j++)
                    if (col[j] != DR_NONE) {
                        dr_flee_error(&ld->e, path, r->line, h->f[j], "",
                                      "a value in every column of the header");
                        break;
                    }
            day++;
        }
        if (!ld->e.n && day < days)
            dr_flee_error(
                &ld->e, path, c.rows[c.n_rows - 1].line, "rows", NULL,
                "one row per day for all %lld days of sim_period.csv (found %lld)",
                (long long)days, (long long)day);
        dr_csv_clear(&c);
        free(col);
    } else {
        if (add_note(ld,
                     "no input_csv/conflicts.csv: conflict zones start on their "
                     "conflict_date with intensity 1 (FLEE itself requires the file)")) {
            free(has_col);
            oom(ld);
            return -1;
        }
    }
    /* Locations without a column: conflict zones from their conflict_date
     * on, intensity 1 (FLEE never starts those with conflict_date > 0: a
     * listed defect that durand does not reproduce). */
    for (size_t l = 0; l < nl; l++) {
        if (has_col[l] || ld->L[l].kind != DR_FLEE_CONFLICT) continue;
        for (int64_t t = ld->L[l].conflict_date; t >= 0 && t < days; t++)
            fc->conflict[(size_t)t * nl + l] = 1.0;
    }
    free(has_col);
    /* Onsets: 0 -> >0 transitions. */
    for (size_t l = 0; l < nl; l++) {
        int64_t onset = -1;
        for (int64_t t = 0; t < days; t++) {
            double v = fc->conflict[(size_t)t * nl + l];
            double prev = t ? fc->conflict[(size_t)(t - 1) * nl + l] : 0.0;
            if (v <= DR_FLEE_CONFLICT_EPS) {
                fc->conflict[(size_t)t * nl + l] = 0.0;
                onset = -1;
            } else if (prev <= DR_FLEE_CONFLICT_EPS) {
                onset = t;
            }
            fc->onset[(size_t)t * nl + l] = onset;
        }
    }
    return ld->e.n ? -1 : 0;
}

/* ---- closures.csv and location_changes.csv ------------------------------- */

static int read_closures(loader *ld)
{
    char path[4200];
    path_join(path, sizeof path, ld->in_dir, "closures.csv");
    if (!is_file(path)) return 0;
    dr_csv c;
    if (read_csv(ld, &c, path, rel_of(ld, path))) return -1;
    dr_flee_case *fc = ld->fc;
    fc->closures = calloc(c.n_rows ? c.n_rows : 1, sizeof *fc->closures);
    if (!fc->closures) {
        dr_csv_clear(&c);
        oom(ld);
        return -1;
    }
    for (size_t i = 0; i < c.n_rows; i++) {
        const dr_csv_row *r = &c.rows[i];
        if (starts_hash(r)) continue;
        if (short_row(ld, path, r, 5, "type, name1, name2, closure_start, closure_end"))
            continue;
        dr_flee_closure *k = &fc->closures[fc->n_closures];
        k->line = r->line;
        k->a = k->b = DR_NONE;
        int t = -1;
        for (int j = 0; j < DR_FLEE_CLOSURE_TYPE_COUNT; j++)
            if (!strcmp(r->f[0], dr_flee_closure_type_names[j])) t = j;
        if (t < 0) {
            dr_flee_error(&ld->e, path, r->line, "type", r->f[0],
                          "one of country, location, link, camp, idpcamp, "
                          "remove_forced_redirection");
            continue;
        }
        k->type = (dr_flee_closure_type)t;
        long long s, en;
        if (dr_flee_parse_int(r->f[3], &s) || s < 0)
            dr_flee_error(&ld->e, path, r->line, "closure_start", r->f[3], "a day >= 0");
        if (dr_flee_parse_int(r->f[4], &en) || en < -1)
            dr_flee_error(&ld->e, path, r->line, "closure_end", r->f[4],
                          "a day, or -1 for never");
        if (ld->e.n) continue;
        k->start = s;
        k->end = en;
        if (k->type == DR_FLEE_CLOSE_COUNTRY) {
            k->a = find_country(ld, r->f[1]);
            k->b = find_country(ld, r->f[2]);
            if (k->a == DR_NONE)
                dr_flee_error(&ld->e, path, r->line, "name1", r->f[1],
                              "a country of locations.csv");
            if (k->b == DR_NONE)
                dr_flee_error(&ld->e, path, r->line, "name2", r->f[2],
                              "a country of locations.csv");
        } else {
            k->a = find_loc(ld, r->f[1]);
            if (k->a == DR_NONE)
                dr_flee_error(&ld->e, path, r->line, "name1", r->f[1],
                              "a location of locations.csv");
            if (k->type == DR_FLEE_CLOSE_LINK ||
                k->type == DR_FLEE_CLOSE_FORCED_REDIRECTION) {
                k->b = find_loc(ld, r->f[2]);
                if (k->b == DR_NONE)
                    dr_flee_error(&ld->e, path, r->line, "name2", r->f[2],
                                  "a location of locations.csv");
                else if (k->a != DR_NONE) {
                    int found = 0;
                    for (size_t q = 0; q < ld->sc->n_routes; q++) {
                        const dr_route *rt = &ld->sc->routes[q];
                        if ((rt->from == k->a && rt->to == k->b) ||
                            (rt->from == k->b && rt->to == k->a))
                            found = 1;
                    }
                    if (!found)
                        dr_flee_error(&ld->e, path, r->line, "name2", r->f[2],
                                      "a location with a route to %s in routes.csv",
                                      r->f[1]);
                }
            }
        }
        if (!ld->e.n) fc->n_closures++;
    }
    dr_csv_clear(&c);
    return ld->e.n ? -1 : 0;
}

static int read_changes(loader *ld)
{
    char path[4200];
    path_join(path, sizeof path, ld->in_dir, "location_changes.csv");
    if (!is_file(path)) return 0;
    dr_csv c;
    if (read_csv(ld, &c, path, rel_of(ld, path))) return -1;
    dr_flee_case *fc = ld->fc;
    fc->changes = calloc(c.n_rows ? c.n_rows : 1, sizeof *fc->changes);
    if (!fc->changes) {
        dr_csv_clear(&c);
        oom(ld);
        return -1;
    }
    for (size_t i = 0; i < c.n_rows; i++) {
        const dr_csv_row *r = &c.rows[i];
        if (starts_hash(r)) continue;
        if (short_row(ld, path, r, 3, "location name, new location type, day")) continue;
        dr_flee_change *ch = &fc->changes[fc->n_changes];
        ch->location = find_loc(ld, r->f[0]);
        long long d;
        if (ch->location == DR_NONE)
            dr_flee_error(&ld->e, path, r->line, "location", r->f[0],
                          "a location of locations.csv");
        if (parse_kind(r->f[1], &ch->kind))
            dr_flee_error(&ld->e, path, r->line, "type", r->f[1],
                          "a type containing camp, idpcamp, conflict, forward, marker, "
                          "town or default");
        if (dr_flee_parse_int(r->f[2], &d) || d < 0)
            dr_flee_error(&ld->e, path, r->line, "date", r->f[2], "a day >= 0");
        else
            ch->day = d;
        if (!ld->e.n) fc->n_changes++;
    }
    dr_csv_clear(&c);
    if (!ld->e.n && fc->n_changes &&
        add_note(ld, "location_changes.csv applied from the case directory (FLEE looks "
                     "for it in its working directory instead)")) {
        oom(ld);
        return -1;
    }
    return ld->e.n ? -1 : 0;
}

/* ---- validation data ------------------------------------------------------ */

/* Read one data file into (day, value / hasten) pairs, FLEE's way: the first
 * row is skipped when it looks like a header (empty first field, or
 * "DateTime"/"Date"), rows starting with '#', with fewer than two fields or
 * an empty count are skipped. */
static int read_series_file(loader *ld, const char *file, double **day, double **val,
                            size_t *n)
{
    char path[4200];
    path_join(path, sizeof path, ld->data_dir, file);
    /* Set before anything can fail: the caller frees them either way. */
    *day = NULL;
    *val = NULL;
    *n = 0;
    dr_csv c;
    if (read_csv(ld, &c, path, rel_of(ld, path))) return -1;
    *day = malloc((c.n_rows + 1) * sizeof **day);
    *val = malloc((c.n_rows + 1) * sizeof **val);
    if (!*day || !*val) {
        dr_csv_clear(&c);
        oom(ld);
        return -1;
    }
    const double hasten = (double)ld->fc->settings.hasten;
    for (size_t i = 0; i < c.n_rows; i++) {
        const dr_csv_row *r = &c.rows[i];
        if (r->n < 2 || starts_hash(r) || !r->f[1][0]) continue;
        if (i == 0 &&
            (!r->f[0][0] || !strcmp(r->f[0], "DateTime") || !strcmp(r->f[0], "Date")))
            continue;
        int64_t off;
        if (date_offset(ld, r->f[0], &off)) {
            dr_flee_error(&ld->e, path, r->line, "date", r->f[0], "a date YYYY-MM-DD");
            continue;
        }
        long long count;
        if (dr_flee_parse_int(r->f[1], &count) || count < 0 ||
            count > DR_FLEE_MAX_PERSONS) {
            dr_flee_error(&ld->e, path, r->line, "count", r->f[1],
                          "a whole number of persons in [0, " DR_FLEE_MAX_PERSONS_TEXT
                          "]");
            continue;
        }
        if (*n && (double)off < (*day)[*n - 1]) {
            dr_flee_error(
                &ld->e, path, r->line, "date", r->f[0],
                "dates in increasing order (FLEE interpolates between neighbours)");
            continue;
        }
        (*day)[*n] = (double)off;
        (*val)[*n] = (double)count / hasten;
        (*n)++;
    }
    if (!ld->e.n && *n == 0)
        dr_flee_error(&ld->e, path, 0, "data", NULL, "%s",
                      "at least one row YYYY-MM-DD,count");
    dr_csv_clear(&c);
    return ld->e.n ? -1 : 0;
}

/* Linear interpolation between dates, constant outside, not truncated.
 * k is the number of dates on or before t (day[k] is the first date after
 * t): callers walk forward in t and keep k up to date, so that a walk over
 * every day costs O(days + n), not O(days x n). */
static double series_value_at(const double *day, const double *val, size_t n, double t,
                              size_t k)
{
    if (t <= day[0]) return val[0];
    if (k < n) {
        double f = (t - day[k - 1]) / (day[k] - day[k - 1]);
        return val[k - 1] + f * (val[k] - val[k - 1]);
    }
    return val[n - 1];
}

/* FLEE's get_field of day t, the interpolated value truncated to whole
 * agents. *k is the series' cursor: 0 before the first call, and t must
 * not decrease from one call to the next. */
static double series_field_next(const series *s, int64_t t, size_t *k)
{
    double x = (double)t;
    while (*k < s->n && s->day[*k] <= x) (*k)++;
    return floor(series_value_at(s->day, s->val, s->n, x, *k));
}

static size_t find_series(const loader *ld, const char *name)
{
    for (size_t i = 0; i < ld->ns; i++)
        if (!strcmp(ld->S[i].name, name)) return i;
    return DR_NONE;
}

static int read_data(loader *ld)
{
    char path[4200];
    path_join(path, sizeof path, ld->data_dir, "data_layout.csv");
    dr_csv c;
    if (read_csv(ld, &c, path, rel_of(ld, path))) return -1;
    ld->S = calloc(c.n_rows ? c.n_rows : 1, sizeof *ld->S);
    if (!ld->S) {
        dr_csv_clear(&c);
        oom(ld);
        return -1;
    }
    for (size_t i = 0; i < c.n_rows && !ld->e.n; i++) {
        const dr_csv_row *r = &c.rows[i];
        if (r->n < 2 || starts_hash(r)) continue;
        if (!r->f[0][0] || !r->f[1][0]) {
            dr_flee_error(&ld->e, path, r->line, "row", r->f[0],
                          "name,file.csv[,file.csv...]");
            break;
        }
        if (find_series(ld, r->f[0]) != DR_NONE) {
            dr_flee_error(&ld->e, path, r->line, "name", r->f[0], "each name once");
            break;
        }
        series *s = &ld->S[ld->ns];
        s->line = r->line;
        if (!(s->name = dup_str(r->f[0]))) {
            oom(ld);
            break;
        }
        ld->ns++;
        if (read_series_file(ld, r->f[1], &s->day, &s->val, &s->n)) break;
        /* Further files are added: the sum of the interpolated series,
         * sampled at the union of their dates. */
        for (size_t k = 2; k < r->n && !ld->e.n; k++) {
            if (!r->f[k][0]) continue;
            double *d2, *v2;
            size_t n2;
            if (read_series_file(ld, r->f[k], &d2, &v2, &n2)) {
                free(d2);
                free(v2);
                break;
            }
            double *dd = malloc((s->n + n2) * sizeof *dd);
            double *vv = malloc((s->n + n2) * sizeof *vv);
            if (!dd || !vv) {
                free(dd);
                free(vv);
                free(d2);
                free(v2);
                oom(ld);
                break;
            }
            size_t a = 0, b = 0, m = 0;
            while (a < s->n || b < n2) {
                double t;
                if (b >= n2 || (a < s->n && s->day[a] <= d2[b]))
                    t = s->day[a];
                else
                    t = d2[b];
                while (a < s->n && s->day[a] == t) a++;
                while (b < n2 && d2[b] == t) b++;
                dd[m] = t;
                /* a and b now count the dates on or before t. */
                vv[m] = series_value_at(s->day, s->val, s->n, t, a) +
                        series_value_at(d2, v2, n2, t, b);
                m++;
            }
            free(s->day);
            free(s->val);
            free(d2);
            free(v2);
            s->day = dd;
            s->val = vv;
            s->n = m;
        }
    }
    if (!ld->e.n && ld->ns == 0)
        dr_flee_error(&ld->e, path, 0, "rows", NULL, "%s",
                      "a row total,refugees.csv and one row per camp");
    dr_csv_clear(&c);
    return ld->e.n ? -1 : 0;
}

/* registration_corrections.csv: for each (camp, date) whose date is a data
 * row of the camp, every earlier row is scaled by value(date)/value(row
 * before), as FLEE's correctLevel1Registrations does. */
static int read_corrections(loader *ld)
{
    char path[4200];
    path_join(path, sizeof path, ld->in_dir, "registration_corrections.csv");
    if (!is_file(path)) return 0;
    dr_csv c;
    if (read_csv(ld, &c, path, rel_of(ld, path))) return -1;
    for (size_t i = 0; i < c.n_rows; i++) {
        const dr_csv_row *r = &c.rows[i];
        if (r->n < 2 || starts_hash(r)) continue;
        size_t s = find_series(ld, r->f[0]);
        if (s == DR_NONE) {
            dr_flee_error(&ld->e, path, r->line, "name", r->f[0],
                          "a name of data_layout.csv");
            continue;
        }
        int64_t off;
        if (date_offset(ld, r->f[1], &off)) {
            dr_flee_error(&ld->e, path, r->line, "date", r->f[1], "a date YYYY-MM-DD");
            continue;
        }
        if (off < 0) continue; /* before the period: FLEE ignores it */
        series *S = &ld->S[s];
        size_t hit = DR_NONE;
        for (size_t k = 0; k < S->n; k++)
            if ((int64_t)S->day[k] == off) {
                hit = k;
                break;
            }
        if (hit == DR_NONE) {
            dr_flee_error(&ld->e, path, r->line, "date", r->f[1],
                          "a date that has a data row for %s", r->f[0]);
            continue;
        }
        if (hit == 0) continue;
        if (S->val[hit - 1] < 1.0 / (double)ld->fc->settings.hasten) {
            dr_flee_error(&ld->e, path, r->line, "date", r->f[1],
                          "a date whose preceding data row for %s is at least 1",
                          r->f[0]);
            continue;
        }
        double f = S->val[hit] / S->val[hit - 1];
        for (size_t k = 0; k < hit; k++) S->val[k] *= f;
    }
    dr_csv_clear(&c);
    return ld->e.n ? -1 : 0;
}

/* ---- the spawning plan and the validation arrays ------------------------- */

static int build_validation(loader *ld)
{
    dr_flee_case *fc = ld->fc;
    const dr_flee_settings *st = &fc->settings;
    const int64_t days = fc->days;
    char layout[4200];
    path_join(layout, sizeof layout, ld->data_dir, "data_layout.csv");
    for (size_t l = 0; l < ld->nl; l++)
        fc->n_camps += ld->L[l].kind == DR_FLEE_CAMP || ld->L[l].kind == DR_FLEE_IDPCAMP;
    size_t nc = fc->n_camps;
    fc->camp_location = calloc(nc ? nc : 1, sizeof *fc->camp_location);
    fc->camp_data = calloc((size_t)days * (nc ? nc : 1), sizeof *fc->camp_data);
    fc->total_data = calloc((size_t)days, sizeof *fc->total_data);
    fc->day0 = calloc(nc ? nc : 1, sizeof *fc->day0);
    fc->new_agents = calloc((size_t)days, sizeof *fc->new_agents);
    size_t *camp_series = calloc(nc ? nc : 1, sizeof *camp_series);
    size_t *cur = calloc(ld->ns, sizeof *cur); /* series cursors */
    if (!fc->camp_location || !fc->camp_data || !fc->total_data || !fc->day0 ||
        !fc->new_agents || !camp_series || !cur) {
        free(camp_series);
        free(cur);
        oom(ld);
        return -1;
    }
    size_t c = 0;
    for (size_t l = 0; l < ld->nl; l++) {
        if (ld->L[l].kind != DR_FLEE_CAMP && ld->L[l].kind != DR_FLEE_IDPCAMP) continue;
        fc->camp_location[c] = l;
        camp_series[c] = find_series(ld, ld->L[l].name);
        if (camp_series[c] == DR_NONE || camp_series[c] == 0) {
            char why[256];
            snprintf(why, sizeof why,
                     "a row \"%s,FILE.csv\" after the total row "
                     "(a camp in locations.csv line %d)",
                     ld->L[l].name, ld->L[l].line);
            dr_flee_error(&ld->e, layout, 0, "camp", ld->L[l].name, "%s", why);
        }
        c++;
    }
    /* Files added up in one data_layout.csv row and registration
     * corrections can raise a series above what each file may count. */
    for (size_t s = 0; s < ld->ns && !ld->e.n; s++) {
        const series *S = &ld->S[s];
        for (size_t k = 0; k < S->n; k++) {
            double persons = S->val[k] * (double)st->hasten;
            if (!(persons <= (double)DR_FLEE_MAX_PERSONS)) {
                char date[11], why[160];
                dr_date_format(ld->sc->meta.start_date, (int64_t)S->day[k], date);
                snprintf(why, sizeof why,
                         "data of at most " DR_FLEE_MAX_PERSONS_TEXT
                         " persons on every date (%.6g on %s, after adding its "
                         "files and registration corrections)",
                         persons, date);
                dr_flee_error(&ld->e, layout, S->line, "name", S->name, "%s", why);
                break;
            }
        }
    }
    if (ld->e.n) {
        free(camp_series);
        free(cur);
        return -1;
    }
    /* Camps have series of their own, after the total's (series 0). */
    for (int64_t t = 0; t < days; t++) {
        for (c = 0; c < nc; c++)
            fc->camp_data[(size_t)t * nc + c] =
                series_field_next(&ld->S[camp_series[c]], t, &cur[camp_series[c]]);
        fc->total_data[t] = series_field_next(&ld->S[0], t, &cur[0]);
    }
    /* Day 0: each camp's observed population placed in the camp. */
    int place_day0 = st->insert_day0 && !st->empty_camps_on_day0;
    for (c = 0; c < nc; c++) fc->day0[c] = place_day0 ? (int64_t)fc->camp_data[c] : 0;
    /* Spawning from the data: the increase of the summed entries after the
     * total (or of the total itself without sum_from_camps).
     * Every series value is a whole number of agents, and their sum is
     * checked to stay at most DR_FLEE_MAX_PERSONS: sums and differences are
     * exact, and the counts derived from them fit an int64_t. */
    int64_t debt = 0;
    double level_before = 0.0;
    memset(cur, 0, ld->ns * sizeof *cur);
    for (int64_t t = 0; t < days; t++) {
        double camps = 0.0;
        for (size_t s = 1; s < ld->ns; s++)
            camps += series_field_next(&ld->S[s], t, &cur[s]);
        if (!(camps <= (double)DR_FLEE_MAX_PERSONS)) {
            char date[11], why[160];
            dr_date_format(ld->sc->meta.start_date, t, date);
            snprintf(why, sizeof why,
                     "camp data summing to at most " DR_FLEE_MAX_PERSONS_TEXT
                     " agents on every day (%.6g on %s)",
                     camps, date);
            dr_flee_error(&ld->e, layout, 0, "camps", NULL, "%s", why);
            free(camp_series);
            free(cur);
            return -1;
        }
        double level =
            st->sum_from_camps ? camps : series_field_next(&ld->S[0], t, &cur[0]);
        double diff = level - level_before;
        level_before = level;
        if (t == 0 && st->insert_day0) {
            fc->new_agents[0] = 0;
            continue;
        }
        int64_t n = (int64_t)diff - debt;
        if (n < 0) {
            debt = -n;
            n = 0;
        } else {
            debt = 0;
        }
        fc->new_agents[t] = n;
    }
    free(cur);
    /* Capacities: persons // hasten, minus the day-0 population FLEE
     * already put there (insert_day0), times capacity_scaling. */
    fc->capacity = calloc(ld->nl, sizeof *fc->capacity);
    fc->pop = calloc(ld->nl, sizeof *fc->pop);
    if (!fc->capacity || !fc->pop) {
        free(camp_series);
        oom(ld);
        return -1;
    }
    for (size_t l = 0; l < ld->nl; l++) {
        int camp = ld->L[l].kind == DR_FLEE_CAMP || ld->L[l].kind == DR_FLEE_IDPCAMP;
        int64_t agents = ld->L[l].popcap / st->hasten;
        if (!camp) {
            fc->pop[l] = agents;
            continue;
        }
        int64_t cap = agents;
        if (cap > 0 && st->insert_day0)
            for (c = 0; c < nc; c++)
                if (fc->camp_location[c] == l) cap -= (int64_t)fc->camp_data[c];
        double scaled = (double)cap * st->capacity_scaling;
        if (!(scaled * (double)st->hasten <= (double)DR_FLEE_MAX_PERSONS)) {
            char value[32];
            snprintf(value, sizeof value, "%lld", (long long)ld->L[l].popcap);
            dr_flee_error(&ld->e, ld->locs.path, ld->L[l].line, "capacity", value,
                          "a capacity of at most " DR_FLEE_MAX_PERSONS_TEXT
                          " persons after move_rules.capacity_scaling (x %g)",
                          st->capacity_scaling);
            continue;
        }
        fc->capacity[l] = scaled < 1.0 ? 0 : (int64_t)floor(scaled);
        ld->sc->locations[l].capacity = fc->capacity[l] * st->hasten;
    }
    free(camp_series);
    return ld->e.n ? -1 : 0;
}

/* The civilian phase's settings that make it run FLEE's rules: move
 * chances, scores and speeds from simsetting.yml, and everything FLEE does
 * not have switched off (danger-raised move chances, returns, deaths,
 * hardship, mobilisation). Settled agents (an agent passing its origin
 * becomes a returnee) move like displaced ones, as all FLEE agents do. */
static void fill_civilian_params(loader *ld)
{
    const dr_flee_settings *s = &ld->fc->settings;
    dr_civilian_params *p = &ld->sc->params.civilians;
    memset(p, 0, sizeof *p);
    p->enabled = 1;
    p->move_chance_default = s->default_movechance;
    p->move_chance_conflict = s->conflict_movechance;
    p->move_chance_camp = s->camp_movechance;
    p->move_chance_crossing = 1.0; /* FLEE's forwarding hubs and markers */
    p->danger_weight = 0.0;
    p->settled_factor = 1.0;
    p->settled_danger_weight = 0.0;
    p->awareness_level = s->awareness_level;
    p->max_move_speed = s->max_move_speed;
    p->foreign_weight = s->foreign_weight;
    p->camp_weight = s->camp_weight;
    p->conflict_weight = s->conflict_weight;
    p->weight_softening = s->weight_softening;
    p->distance_softening = s->softening;
    p->distance_power = s->distance_power;
    p->weight_power = s->weight_power;
    p->capacity_buffer = s->capacity_buffer;
    p->informal_speed = 1.0;
    p->informal_death_rate = 0.0;
    p->death_rate = 0.0;
    p->return_danger = 0.0;
    p->return_days = 1;
    p->return_rate = 0.0;
    p->fear_return = 0.0;
    p->hardship_alpha = p->hardship_beta = 1.0;
    p->risk_alpha = p->risk_beta = 1.0;
    p->displacement_hardship = 0.0;
    p->exposure_hardship = 0.0;
    p->mobilisation = 0;
    p->arrest_constant = 2.3;
    p->activation_threshold = 0.1;
    p->security_ratio = 0.0;
    p->recruitment_weight = 0.0;
    /* Every agent the case will spawn is known in advance. */
    int64_t total = 0;
    for (size_t c = 0; c < ld->fc->n_camps; c++) total += ld->fc->day0[c];
    for (int64_t t = 0; t < ld->fc->days; t++) total += ld->fc->new_agents[t];
    p->reserve_agents = total;
}

/* ---- files the reader does not use --------------------------------------- */

static int note_other_files(loader *ld)
{
    static const struct {
        const char *prefix;
        const char *why;
    } known[] = {
        {"locations.csv", NULL},
        {"routes.csv", NULL},
        {"closures.csv", NULL},
        {"conflicts.csv", NULL},
        {"sim_period.csv", NULL},
        {"registration_corrections.csv", NULL},
        {"location_changes.csv", NULL},
        {"demographics_", "demographic attributes matter only to FLEE's demographic "
                          "rules, off by default"},
        {"agents.csv",
         "read only with spawn_rules.read_from_agents_csv_file, off by default"},
        {"region_attributes_", "food-security (IPC) attributes matter only to FLEE's "
                               "food rules, off by default"},
        {"major_routes.csv", "used only with move_rules.fixed_routes, off by default"},
        {"flare-out.csv", "a Flare conflict-generator output FLEE's run does not read"},
        {"example_flare_output.csv",
         "a Flare conflict-generator output FLEE's run does not read"},
    };
    DIR *d = opendir(ld->in_dir);
    if (!d) return 0;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0;
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        size_t len = strlen(nm);
        if (len < 4 || strcmp(nm + len - 4, ".csv")) continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn || !(nn[n] = dup_str(nm))) {
            free(nn ? nn : names);
            closedir(d);
            oom(ld);
            return -1;
        }
        names = nn;
        n++;
    }
    closedir(d);
    /* Sorted, so that notes do not depend on directory order. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const char *why = "not a file FLEE's default run reads";
        int handled = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (!strncmp(names[i], known[k].prefix, strlen(known[k].prefix))) {
                if (!known[k].why)
                    handled = 1;
                else
                    why = known[k].why;
                break;
            }
        const char *where = strcmp(ld->in_dir, ld->dir) ? "input_csv/" : "";
        if (!handled && !rc && add_note(ld, "ignored %s%s: %s", where, names[i], why))
            rc = -1;
        free(names[i]);
    }
    free(names);
    if (rc) oom(ld);
    return rc;
}

/* ---- the whole case ------------------------------------------------------ */

static void loader_clear(loader *ld)
{
    dr_csv_clear(&ld->locs);
    free(ld->L);
    free(ld->countries);
    for (size_t i = 0; i < ld->ns; i++) {
        free(ld->S[i].name);
        free(ld->S[i].day);
        free(ld->S[i].val);
    }
    free(ld->S);
    free(ld->text);
}

static int load_all(loader *ld)
{
    dr_flee_case *fc = ld->fc;
    char p[4200];
    if (!is_dir(ld->dir)) {
        ld->e.n++;
        if (ld->e.err)
            fprintf(ld->e.err,
                    "%s: not a directory: expected a FLEE case directory "
                    "(input_csv/, source_data/, simsetting.yml)\n",
                    ld->dir);
        return -1;
    }
    path_join(ld->in_dir, sizeof ld->in_dir, ld->dir, "input_csv");
    if (!is_dir(ld->in_dir)) snprintf(ld->in_dir, sizeof ld->in_dir, "%s", ld->dir);
    path_join(p, sizeof p, ld->in_dir, "locations.csv");
    if (!is_file(p)) {
        ld->e.n++;
        if (ld->e.err)
            fprintf(ld->e.err,
                    "%s: no input_csv/locations.csv: expected a FLEE case directory "
                    "(input_csv/, source_data/, simsetting.yml)\n",
                    ld->dir);
        return -1;
    }
    path_join(ld->data_dir, sizeof ld->data_dir, ld->dir, "source_data");
    if (!is_dir(ld->data_dir))
        path_join(ld->data_dir, sizeof ld->data_dir, ld->dir, "refugee_data");
    if (!is_dir(ld->data_dir)) {
        ld->e.n++;
        if (ld->e.err)
            fprintf(ld->e.err,
                    "%s: no source_data/ (or refugee_data/) directory: expected "
                    "the validation data with data_layout.csv\n",
                    ld->dir);
        return -1;
    }

    /* Settings first: hasten scales everything else. */
    dr_flee_settings_default(&fc->settings);
    path_join(p, sizeof p, ld->dir, "simsetting.yml");
    if (is_file(p)) {
        size_t len;
        char *yml = dr_flee_read_file(p, &len, &ld->e);
        if (!yml) return -1;
        int rc = add_text(ld, "simsetting.yml", yml);
        if (rc)
            oom(ld);
        else
            rc = dr_flee_settings_read(&fc->settings, yml, p, &ld->e);
        free(yml);
        if (rc) return -1;
    } else if (add_note(ld, "no simsetting.yml: FLEE's default settings")) {
        oom(ld);
        return -1;
    }

    if (ld->hasten >= 1) fc->settings.hasten = ld->hasten;

    char start[11] = "";
    if (read_period(ld, start, &fc->days)) return -1;
    if (read_locations(ld)) return -1;
    if (fc->days > DR_FLEE_MAX_CELLS / (int64_t)ld->nl) {
        char value[32];
        snprintf(value, sizeof value, "%lld", (long long)fc->days);
        path_join(p, sizeof p, ld->in_dir, "sim_period.csv");
        dr_flee_error(&ld->e, p, ld->length_line, "Length", value,
                      "at most %lld days x locations in all (%zu locations in "
                      "locations.csv: at most %lld days)",
                      DR_FLEE_MAX_CELLS, ld->nl, DR_FLEE_MAX_CELLS / (long long)ld->nl);
        return -1;
    }

    dr_scenario *sc = ld->sc;
    const char *base = strrchr(ld->dir, '/');
    base = base && base[1] ? base + 1 : ld->dir;
    char name[300];
    snprintf(name, sizeof name, "FLEE case %s", base);
    sc->path = dup_str(ld->dir);
    sc->meta.name = dup_str(name);
    sc->meta.description =
        dup_str("read unchanged from a FLEE case directory (durand flee)");
    if (!sc->path || !sc->meta.name || !sc->meta.description) {
        oom(ld);
        return -1;
    }
    memcpy(sc->meta.start_date, start, 11);
    sc->meta.days = fc->days;
    sc->meta.seed = 0;
    sc->meta.agent_scale = fc->settings.hasten;
    /* No violence mechanism runs on a FLEE case: the case has no forces,
     * dyads or militant groups, and every mechanism is switched off. */
    memset(&sc->params, 0, sizeof sc->params);
    sc->params.intensity.decay_days = 1.0;
    sc->params.intensity.reference_deaths = 1.0;

    if (build_places(ld) || read_routes(ld) || read_conflicts(ld) || read_closures(ld) ||
        read_changes(ld) || read_data(ld) || read_corrections(ld) ||
        build_validation(ld) || note_other_files(ld))
        return -1;

    fill_civilian_params(ld);
    fc->n_locations = ld->nl;
    fc->kind = calloc(ld->nl, sizeof *fc->kind);
    fc->foreign = calloc(ld->nl, sizeof *fc->foreign);
    if (!fc->kind || !fc->foreign) {
        oom(ld);
        return -1;
    }
    for (size_t l = 0; l < ld->nl; l++) {
        fc->kind[l] = ld->L[l].kind;
        fc->foreign[l] = ld->L[l].country_index != 0;
    }
    for (size_t k = 0; k < fc->n_closures; k++)
        if (fc->closures[k].type == DR_FLEE_CLOSE_LINK) {
            if (add_note(ld,
                         "closures.csv:%d: link closure applied (FLEE's own link "
                         "closures take no effect, a listed defect)",
                         fc->closures[k].line)) {
                oom(ld);
                return -1;
            }
        }
    return 0;
}

dr_flee_case *dr_flee_load(const char *dir, FILE *err)
{
    return dr_flee_load_hasten(dir, 0, err);
}

dr_flee_case *dr_flee_load_hasten(const char *dir, int64_t hasten, FILE *err)
{
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.e.err = err;
    ld.hasten = hasten;
    ld.dir = dir;
    ld.fc = calloc(1, sizeof *ld.fc);
    ld.sc = calloc(1, sizeof *ld.sc);
    if (!ld.fc || !ld.sc) {
        free(ld.fc);
        free(ld.sc);
        if (err) fprintf(err, "%s: out of memory reading the FLEE case\n", dir);
        return NULL;
    }
    ld.fc->scenario = ld.sc;
    ld.fc->dir = dup_str(dir);
    int rc = ld.fc->dir ? load_all(&ld) : -1;
    if (!rc) {
        ld.sc->text = ld.text ? ld.text : dup_str("");
        ld.text = NULL;
        if (!ld.sc->text) rc = -1;
    }
    loader_clear(&ld);
    if (rc || ld.e.n) {
        dr_flee_case_destroy(ld.fc);
        return NULL;
    }
    return ld.fc;
}

void dr_flee_case_destroy(dr_flee_case *fc)
{
    if (!fc) return;
    dr_scenario_destroy(fc->scenario);
    free(fc->dir);
    free(fc->settings.conflict_spawn_decay);
    free(fc->kind);
    free(fc->foreign);
    free(fc->pop);
    free(fc->capacity);
    free(fc->forced_redirection);
    free(fc->conflict);
    free(fc->onset);
    free(fc->closures);
    free(fc->changes);
    free(fc->camp_location);
    free(fc->camp_data);
    free(fc->total_data);
    free(fc->day0);
    free(fc->new_agents);
    for (size_t i = 0; i < fc->n_notes; i++) free(fc->notes[i]);
    free(fc->notes);
    free(fc);
}
