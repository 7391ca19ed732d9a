/*
 * test_output.c — the HDF5 observer and `durand inspect`.
 *
 * A small scenario and world are built by hand (both structs are public;
 * only the fields the observer reads are filled), the observer is driven
 * through begin / tick x days / log / end, and the file is read back with
 * the HDF5 API: values, units and long_name, dimension scales, the .part
 * discipline, and dr_h5_inspect's status codes.
 */
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dr_test.h"
#include "h5_observer.h"
#include "interventions.h"
#include "scenario.h"
#include "world.h"

#define N_ACTORS 3
#define N_LOCATIONS 3
#define N_ROUTES 2
#define N_DYADS 4
#define N_CROSSINGS 1
#define DAYS 40

/* A hand-made scenario and world, all storage inside the struct. */
typedef struct fixture {
    dr_scenario sc;
    dr_world w;
    dr_actor actors[N_ACTORS];
    dr_location locations[N_LOCATIONS];
    dr_route routes[N_ROUTES];
    dr_dyad dyads[N_DYADS];
    double force[N_ACTORS * N_LOCATIONS];
    double intensity[N_LOCATIONS], danger[N_LOCATIONS], deaths_today[N_LOCATIONS];
    double coordination[N_DYADS];
    int8_t posture[N_DYADS];
    double fatalities[N_ACTORS];
    double fatal_at[N_ACTORS * N_LOCATIONS]; /* fatalities by location */
    double civilian_deaths[N_LOCATIONS], project_damage[N_LOCATIONS];
    int32_t clashes[N_LOCATIONS], attacks[N_LOCATIONS], strikes[N_LOCATIONS];
    size_t crossing_routes[N_CROSSINGS];
    /* Civilian counts of the day, in agents (agent_scale = 100). */
    int64_t civ_count[N_LOCATIONS * DR_AGENT_STATUS_COUNT];
    int64_t civ_on_route[N_ROUTES], civ_flow[2 * N_ROUTES], civ_route_deaths[N_ROUTES];
    int64_t civ_active[N_LOCATIONS], civ_returns[N_LOCATIONS];
    int64_t civ_deported[N_LOCATIONS], civ_deaths[N_LOCATIONS];
    /* Interventions and powers: the fixture has neither interventions nor
     * powers, but the dyad and actor arrays the observer reads exist. */
    int64_t ceasefire_left[N_DYADS];
    double iv_interdep[N_DYADS], pw_threat[N_ACTORS];
    char *overrides[2];
    char *text; /* owned: a long scenario text */
} fixture;

static char path_part_buf[512];

/* "<path>.part" in a static buffer. */
static const char *part_of(const char *path)
{
    snprintf(path_part_buf, sizeof path_part_buf, "%s.part", path);
    return path_part_buf;
}

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}

/* Fill fx with three actors, three locations, a road and a crossing, a
 * mirrored pair of state dyads, a state-militant pair (TTP-PAK has no
 * posture: TTP is not a state), and a scenario text longer than HDF5's 64 KiB compact
 * attribute limit. n_threads goes to w.n_threads. */
static void fixture_init(fixture *fx, int n_threads)
{
    memset(fx, 0, sizeof *fx);
    static const char *const aid[N_ACTORS] = {"PAK", "AFG", "TTP"};
    static const char *const aname[N_ACTORS] = {"Pakistan", "Afghan Taliban",
                                                "Tehrik-i-Taliban Pakistan"};
    static const dr_actor_kind akind[N_ACTORS] = {DR_ACTOR_STATE, DR_ACTOR_STATE,
                                                  DR_ACTOR_MILITANT};
    for (size_t i = 0; i < N_ACTORS; i++) {
        snprintf(fx->actors[i].id, DR_ID_MAX, "%s", aid[i]);
        fx->actors[i].name = (char *)aname[i];
        fx->actors[i].kind = akind[i];
    }
    static const char *const lid[N_LOCATIONS] = {"peshawar", "torkham_pk", "torkham_af"};
    static const dr_location_type ltype[N_LOCATIONS] = {DR_LOC_CITY, DR_LOC_CROSSING,
                                                        DR_LOC_CROSSING};
    static const size_t lcountry[N_LOCATIONS] = {0, 0, 1};
    static const char *const lregion[N_LOCATIONS] = {"KP", "KP", "Nangarhar"};
    for (size_t i = 0; i < N_LOCATIONS; i++) {
        snprintf(fx->locations[i].id, DR_ID_MAX, "%s", lid[i]);
        fx->locations[i].name = (char *)lid[i];
        fx->locations[i].type = ltype[i];
        fx->locations[i].country = lcountry[i];
        fx->locations[i].region = (char *)lregion[i];
        fx->locations[i].lat = 34.0 + 0.1 * (double)i;
        fx->locations[i].lon = 71.5 - 0.2 * (double)i;
    }
    snprintf(fx->routes[0].id, sizeof fx->routes[0].id, "peshawar-torkham_pk");
    fx->routes[0].from = 0;
    fx->routes[0].to = 1;
    fx->routes[0].kind = DR_ROUTE_ROAD;
    snprintf(fx->routes[1].id, sizeof fx->routes[1].id, "torkham");
    fx->routes[1].from = 1;
    fx->routes[1].to = 2;
    fx->routes[1].kind = DR_ROUTE_CROSSING;
    fx->crossing_routes[0] = 1;
    snprintf(fx->dyads[0].id, sizeof fx->dyads[0].id, "PAK-AFG");
    fx->dyads[0].a = 0;
    fx->dyads[0].b = 1;
    fx->dyads[0].reverse = 1;
    snprintf(fx->dyads[1].id, sizeof fx->dyads[1].id, "AFG-PAK");
    fx->dyads[1].a = 1;
    fx->dyads[1].b = 0;
    fx->dyads[1].reverse = 0;
    snprintf(fx->dyads[2].id, sizeof fx->dyads[2].id, "PAK-TTP");
    fx->dyads[2].a = 0;
    fx->dyads[2].b = 2;
    fx->dyads[2].reverse = 3;
    snprintf(fx->dyads[3].id, sizeof fx->dyads[3].id, "TTP-PAK");
    fx->dyads[3].a = 2;
    fx->dyads[3].b = 0;
    fx->dyads[3].reverse = 2;

    size_t text_len = 100000;
    fx->text = malloc(text_len + 1);
    CU_ASSERT_FATAL(fx->text != NULL);
    for (size_t i = 0; i < text_len; i++)
        fx->text[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i % 26));
    fx->text[text_len] = '\0';
    fx->overrides[0] = (char *)"scenario.days=40";
    fx->overrides[1] = (char *)"actors.[TTP].fighters=8000";

    dr_scenario *sc = &fx->sc;
    sc->path = (char *)"scenarios/test/tiny.cfg";
    sc->text = fx->text;
    sc->overrides = fx->overrides;
    sc->n_overrides = 2;
    sc->meta.name = (char *)"Output test";
    sc->meta.description = (char *)"A hand-built world for test_output.";
    snprintf(sc->meta.start_date, sizeof sc->meta.start_date, "2023-01-01");
    sc->meta.days = DAYS;
    sc->meta.seed = 20230501;
    sc->meta.agent_scale = 100;
    sc->actors = fx->actors;
    sc->n_actors = N_ACTORS;
    sc->locations = fx->locations;
    sc->n_locations = N_LOCATIONS;
    sc->routes = fx->routes;
    sc->n_routes = N_ROUTES;
    sc->dyads = fx->dyads;
    sc->n_dyads = N_DYADS;

    dr_world *w = &fx->w;
    w->sc = sc;
    w->seed = 20230501;
    w->replication = 3;
    w->day = -1;
    w->n_actors = N_ACTORS;
    w->n_locations = N_LOCATIONS;
    w->n_routes = N_ROUTES;
    w->n_dyads = N_DYADS;
    w->actors = fx->actors;
    w->locations = fx->locations;
    w->routes = fx->routes;
    w->dyads = fx->dyads;
    w->force = fx->force;
    w->intensity = fx->intensity;
    w->danger = fx->danger;
    w->deaths_today = fx->deaths_today;
    w->coordination = fx->coordination;
    w->posture = fx->posture;
    w->fatalities = fx->fatalities;
    w->fatalities_at = fx->fatal_at;
    w->civilian_deaths = fx->civilian_deaths;
    w->clashes_today = fx->clashes;
    w->attacks_today = fx->attacks;
    w->strikes_today = fx->strikes;
    w->project_damage = fx->project_damage;
    w->n_crossings = N_CROSSINGS;
    w->crossing_routes = fx->crossing_routes;
    w->civ_count = fx->civ_count;
    w->civ_on_route = fx->civ_on_route;
    w->civ_active = fx->civ_active;
    w->civ_flow = fx->civ_flow;
    w->civ_returns = fx->civ_returns;
    w->civ_deported = fx->civ_deported;
    w->civ_deaths = fx->civ_deaths;
    w->civ_route_deaths = fx->civ_route_deaths;
    w->ceasefire_left = fx->ceasefire_left;
    w->iv_interdep = fx->iv_interdep;
    w->pw_threat = fx->pw_threat;
    w->n_threads = n_threads;
}

static void fixture_clear(fixture *fx)
{
    free(fx->text);
    fx->text = NULL;
}

/* The state of day t: a closed form the read-back checks against. */
static double tension_at(int64_t t, size_t d)
{
    return 0.3 + 0.01 * (double)t + 0.1 * (double)d;
}
static double trust_at(int64_t t, size_t d)
{
    return 0.5 - 0.005 * (double)t + 0.05 * (double)d;
}
static double deaths_at(int64_t t, size_t l)
{
    return (double)((t * 7 + (int64_t)l * 3) % 5);
}
static double force_at(int64_t t, size_t a, size_t l)
{
    return 1000.0 * (double)(a + 1) + 10.0 * (double)l + (double)t;
}
static int8_t status_at(int64_t t)
{
    return (int8_t)((t / 10) % 3);
}
/* Posture of dyad d: -1 where A is not a state (TTP-PAK), else cycling
 * through all four codes; PAK-TTP (d = 2) is the most hostile. */
static int8_t posture_at(int64_t t, size_t d)
{
    if (d == 3) return -1;
    if (d == 2) return (int8_t)(t < 10 ? DR_POSTURE_PRESSURE : DR_POSTURE_STRIKE);
    return (int8_t)((t / 7 + (int64_t)d) % DR_POSTURE_COUNT);
}
static double fatalities_at(int64_t t, size_t a)
{
    return (double)((t + (int64_t)a) % 4) * 0.5;
}
/* By location: fatalities_at(t, a) split over the locations with weights
 * 1, 2, 1 (quarters and halves: exact in binary). */
static double fatal_loc_at(int64_t t, size_t a, size_t l)
{
    return fatalities_at(t, a) * (l == 1 ? 0.5 : 0.25);
}
static double civilian_deaths_at(int64_t t, size_t l)
{
    return (double)((t * 3 + (int64_t)l) % 3);
}
static int32_t clashes_at(int64_t t, size_t l)
{
    return (int32_t)((t + (int64_t)l) % 2);
}
static int32_t attacks_at(int64_t t, size_t l)
{
    return (int32_t)((t * 5 + (int64_t)l) % 3);
}
static int32_t strikes_at(int64_t t, size_t l)
{
    return (int32_t)(l == 2 && t % 10 == 9);
}
static double project_damage_at(int64_t t, size_t l)
{
    return fmin(1.0, 0.01 * (double)t * (double)l);
}

/* Civilian counts in agents; the file holds them times agent_scale. */
static int64_t civ_count_at(int64_t t, size_t l, size_t s)
{
    if (s == DR_AGENT_DEAD) return t / 4 + (int64_t)l; /* cumulative */
    return (t + 3 * (int64_t)l + (int64_t)s) % 7 + 1000 * (int64_t)(s == 0);
}
static int64_t civ_on_route_at(int64_t t, size_t r)
{
    return (t + (int64_t)r) % 3;
}
/* Entering route r from its from end (k = 2r) or its to end (k = 2r + 1). */
static int64_t civ_flow_at(int64_t t, size_t k)
{
    return (t + 2 * (int64_t)k) % 5;
}
static int64_t civ_returns_at(int64_t t, size_t l)
{
    return (t + (int64_t)l) % 3;
}
static int64_t civ_deported_at(int64_t t, size_t l)
{
    return (2 * t + (int64_t)l) % 4;
}
static int64_t civ_deaths_at(int64_t t, size_t l)
{
    return (t + (int64_t)l) % 2;
}
static int64_t civ_active_at(int64_t t, size_t l)
{
    return (t * (int64_t)l) % 4;
}
static int64_t civ_route_deaths_at(int64_t t, size_t r)
{
    return (int64_t)(t % 5 == 0 && r == 1);
}

/* Powers and interventions: own interdependence 0.2 + 0.001 t plus what
 * economic interventions add (0.05 on the state pair), a ceasefire
 * between the states counting down from day 20, alignments, recruits. */
static double own_interdependence_at(int64_t t)
{
    return 0.2 + 0.001 * (double)t;
}
static double iv_interdep_at(size_t d)
{
    return d < 2 ? 0.05 : 0.0;
}
static int64_t ceasefire_at(int64_t t, size_t d)
{
    return d < 2 && t >= 20 ? 30 - (t - 20) : 0;
}
static double alignment_at(int64_t t, size_t d)
{
    return -0.5 + 0.25 * (double)d + 0.001 * (double)t;
}
static double recruited_at(int64_t t)
{
    return 0.5 * (double)(t % 6);
}

static void set_day(fixture *fx, int64_t t)
{
    dr_world *w = &fx->w;
    w->day = t;
    for (size_t d = 0; d < N_DYADS; d++) {
        fx->dyads[d].tension = tension_at(t, d);
        fx->dyads[d].trust = trust_at(t, d);
        fx->dyads[d].interdependence = own_interdependence_at(t);
        fx->coordination[d] = 0.25 * (double)d + 0.002 * (double)t;
        fx->iv_interdep[d] = iv_interdep_at(d);
        fx->ceasefire_left[d] = ceasefire_at(t, d);
        fx->dyads[d].alignment = alignment_at(t, d);
    }
    for (size_t l = 0; l < N_LOCATIONS; l++) {
        fx->deaths_today[l] = deaths_at(t, l);
        fx->intensity[l] = 2.0 * deaths_at(t, l);
        fx->danger[l] = 1.0 - exp(-fx->intensity[l] / 10.0);
    }
    for (size_t a = 0; a < N_ACTORS; a++)
        for (size_t l = 0; l < N_LOCATIONS; l++)
            fx->force[a * N_LOCATIONS + l] = force_at(t, a, l);
    fx->routes[1].status = (dr_crossing_status)status_at(t);
    for (size_t d = 0; d < N_DYADS; d++) fx->posture[d] = posture_at(t, d);
    w->recruited_today = recruited_at(t);
    for (size_t a = 0; a < N_ACTORS; a++) {
        fx->actors[a].involvement = 0.5; /* not powers: not written */
        fx->pw_threat[a] = 0.25;
        fx->fatalities[a] = fatalities_at(t, a);
        for (size_t l = 0; l < N_LOCATIONS; l++)
            fx->fatal_at[a * N_LOCATIONS + l] = fatal_loc_at(t, a, l);
    }
    for (size_t l = 0; l < N_LOCATIONS; l++) {
        fx->civilian_deaths[l] = civilian_deaths_at(t, l);
        fx->clashes[l] = clashes_at(t, l);
        fx->attacks[l] = attacks_at(t, l);
        fx->strikes[l] = strikes_at(t, l);
        fx->project_damage[l] = project_damage_at(t, l);
    }
    for (size_t l = 0; l < N_LOCATIONS; l++) {
        for (size_t st = 0; st < DR_AGENT_STATUS_COUNT; st++)
            fx->civ_count[l * DR_AGENT_STATUS_COUNT + st] = civ_count_at(t, l, st);
        fx->civ_active[l] = civ_active_at(t, l);
        fx->civ_returns[l] = civ_returns_at(t, l);
        fx->civ_deported[l] = civ_deported_at(t, l);
        fx->civ_deaths[l] = civ_deaths_at(t, l);
    }
    for (size_t r = 0; r < N_ROUTES; r++) {
        fx->civ_on_route[r] = civ_on_route_at(t, r);
        fx->civ_route_deaths[r] = civ_route_deaths_at(t, r);
        fx->civ_flow[2 * r] = civ_flow_at(t, 2 * r);
        fx->civ_flow[2 * r + 1] = civ_flow_at(t, 2 * r + 1);
    }
}

/* Drive one full run into `path`; with_events adds three log rows.
 * Returns end()'s result; errors of the observer go to `err`. */
static int drive(fixture *fx, const char *path, int status, int with_events, FILE *err)
{
    dr_h5_run_info info = {"durand run tiny.cfg -o out.h5", 1};
    dr_observer *obs = dr_h5_observer_create(path, &info, err);
    CU_ASSERT_FATAL(obs != NULL);
    CU_ASSERT_EQUAL(obs->begin(obs->ctx, &fx->w), 0);
    CU_ASSERT_TRUE(file_exists(part_of(path)));
    for (int64_t t = 0; t < DAYS; t++) {
        set_day(fx, t);
        if (with_events && t == 5) {
            dr_log_entry e = {5, DR_LOG_SHOCK, 0, 1, 1, DR_NONE, 12.0, "border clash"};
            CU_ASSERT_EQUAL(obs->log(obs->ctx, &fx->w, &e), 0);
        }
        if (with_events && t == 10) {
            dr_log_entry e = {10,  DR_LOG_BORDER_REGULATION, DR_NONE, DR_NONE, DR_NONE, 1,
                              1.0, "Torkham restricted"};
            CU_ASSERT_EQUAL(obs->log(obs->ctx, &fx->w, &e), 0);
            dr_log_entry e2 = {10, DR_LOG_SET, DR_NONE, DR_NONE, DR_NONE, 0, 0.5, ""};
            CU_ASSERT_EQUAL(obs->log(obs->ctx, &fx->w, &e2), 0);
        }
        CU_ASSERT_EQUAL(obs->tick(obs->ctx, &fx->w, t), 0);
    }
    int rc = obs->end(obs->ctx, &fx->w, status);
    dr_h5_observer_destroy(obs);
    return rc;
}

/* What `durand inspect` prints about the file at path, into text[size]
 * (cut at size - 1 characters). */
static void inspect_text(const char *path, char *text, size_t size)
{
    FILE *out = tmpfile();
    CU_ASSERT_FATAL(out != NULL);
    CU_ASSERT_EQUAL(dr_h5_inspect(path, out, stderr), 0);
    rewind(out);
    size_t n = fread(text, 1, size - 1, out);
    text[n] = '\0';
    fclose(out);
}

/* A variable-length UTF-8 string type to read strings with (caller
 * closes): HDF5 converts no strings across character sets. */
static hid_t utf8_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* Read a root or dataset string attribute into buf (vlen strings). */
static int read_attr_string(hid_t loc, const char *name, char *buf, size_t n)
{
    buf[0] = '\0';
    if (H5Aexists(loc, name) <= 0) return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t t = utf8_type();
    char *v = NULL;
    int rc = H5Aread(a, t, &v) < 0 ? -1 : 0;
    if (rc == 0 && v) {
        snprintf(buf, n, "%s", v);
        H5free_memory(v);
    }
    H5Tclose(t);
    H5Aclose(a);
    return rc;
}

/* Read a whole numeric dataset as mem_type into buf. */
static int read_all(hid_t f, const char *name, hid_t mem_type, void *buf)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0) return -1;
    int rc = H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0 ? -1 : 0;
    H5Dclose(d);
    return rc;
}

/* Length of dimension k of dataset `name`, or -1. */
static long long dim_len(hid_t f, const char *name, int k)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0) return -1;
    hid_t s = H5Dget_space(d);
    hsize_t dims[4] = {0};
    int rank = H5Sget_simple_extent_dims(s, dims, NULL);
    H5Sclose(s);
    H5Dclose(d);
    return k < rank ? (long long)dims[k] : -1;
}

/* H5Literate callback: every dataset has units and long_name. */
static herr_t check_var_attrs(hid_t g, const char *name, const H5L_info_t *info,
                              void *data)
{
    (void)info;
    int *count = data;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    CU_ASSERT(d >= 0);
    if (d < 0) return 0;
    char buf[256];
    CU_ASSERT_EQUAL(read_attr_string(d, "units", buf, sizeof buf), 0);
    CU_ASSERT(buf[0] != '\0');
    CU_ASSERT_EQUAL(read_attr_string(d, "long_name", buf, sizeof buf), 0);
    CU_ASSERT(buf[0] != '\0');
    /* Attribute creation order is tracked on every dataset. */
    hid_t dcpl = H5Dget_create_plist(d);
    unsigned flags = 0;
    H5Pget_attr_creation_order(dcpl, &flags);
    CU_ASSERT(flags & H5P_CRT_ORDER_TRACKED);
    H5Pclose(dcpl);
    /* Every axis has a dimension scale: the variable's own, or attached. */
    hid_t s = H5Dget_space(d);
    int rank = H5Sget_simple_extent_ndims(s);
    H5Sclose(s);
    if (H5DSis_scale(d) > 0) {
        CU_ASSERT_EQUAL(rank, 1);
    } else {
        for (int k = 0; k < rank; k++)
            CU_ASSERT_EQUAL(H5DSget_num_scales(d, (unsigned)k), 1);
    }
    H5Dclose(d);
    (*count)++;
    return 0;
}

/* ---- tests ----------------------------------------------------------- */

static void test_round_trip(void)
{
    fixture fx;
    fixture_init(&fx, 4);
    const char *path = DR_BINARY_DIR "/test_output_run.h5";
    remove(path);
    CU_ASSERT_EQUAL(drive(&fx, path, 0, 1, stderr), 0);
    CU_ASSERT_TRUE(file_exists(path));
    CU_ASSERT_FALSE(file_exists(part_of(path)));

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);

    /* Time series values. */
    double tension[DAYS][N_DYADS], trust[DAYS][N_DYADS];
    double deaths[DAYS][N_LOCATIONS], personnel[DAYS][N_ACTORS];
    int8_t status[DAYS][N_CROSSINGS];
    int32_t time[DAYS];
    CU_ASSERT_EQUAL(read_all(f, "tension", H5T_NATIVE_DOUBLE, tension), 0);
    CU_ASSERT_EQUAL(read_all(f, "trust", H5T_NATIVE_DOUBLE, trust), 0);
    CU_ASSERT_EQUAL(read_all(f, "deaths", H5T_NATIVE_DOUBLE, deaths), 0);
    CU_ASSERT_EQUAL(read_all(f, "personnel", H5T_NATIVE_DOUBLE, personnel), 0);
    CU_ASSERT_EQUAL(read_all(f, "crossing_status", H5T_NATIVE_INT8, status), 0);
    CU_ASSERT_EQUAL(read_all(f, "time", H5T_NATIVE_INT32, time), 0);
    for (int64_t t = 0; t < DAYS; t++) {
        CU_ASSERT_EQUAL(time[t], t);
        for (size_t d = 0; d < N_DYADS; d++) {
            CU_ASSERT_DOUBLE_EQUAL(tension[t][d], tension_at(t, d), 0.0);
            CU_ASSERT_DOUBLE_EQUAL(trust[t][d], trust_at(t, d), 0.0);
        }
        for (size_t l = 0; l < N_LOCATIONS; l++)
            CU_ASSERT_DOUBLE_EQUAL(deaths[t][l], deaths_at(t, l), 0.0);
        for (size_t a = 0; a < N_ACTORS; a++) {
            double sum = 0.0;
            for (size_t l = 0; l < N_LOCATIONS; l++) sum += force_at(t, a, l);
            CU_ASSERT_DOUBLE_EQUAL(personnel[t][a], sum, 0.0);
        }
        CU_ASSERT_EQUAL(status[t][0], status_at(t));
    }

    /* The violence outputs: tallies of the day, posture, forces, damage. */
    static double fatal[DAYS][N_ACTORS], civ[DAYS][N_LOCATIONS], dmg[DAYS][N_LOCATIONS];
    static double forces[DAYS][N_ACTORS][N_LOCATIONS];
    static double fatal_loc[DAYS][N_ACTORS][N_LOCATIONS];
    static int32_t clashes[DAYS][N_LOCATIONS], attacks[DAYS][N_LOCATIONS],
        strikes[DAYS][N_LOCATIONS];
    static int8_t posture[DAYS][N_DYADS];
    CU_ASSERT_EQUAL(read_all(f, "fatalities", H5T_NATIVE_DOUBLE, fatal), 0);
    CU_ASSERT_EQUAL(read_all(f, "civilian_deaths", H5T_NATIVE_DOUBLE, civ), 0);
    CU_ASSERT_EQUAL(read_all(f, "project_damage", H5T_NATIVE_DOUBLE, dmg), 0);
    CU_ASSERT_EQUAL(read_all(f, "forces", H5T_NATIVE_DOUBLE, forces), 0);
    CU_ASSERT_EQUAL(read_all(f, "fatalities_by_location", H5T_NATIVE_DOUBLE, fatal_loc),
                    0);
    CU_ASSERT_EQUAL(read_all(f, "clashes", H5T_NATIVE_INT32, clashes), 0);
    CU_ASSERT_EQUAL(read_all(f, "attacks", H5T_NATIVE_INT32, attacks), 0);
    CU_ASSERT_EQUAL(read_all(f, "strikes", H5T_NATIVE_INT32, strikes), 0);
    CU_ASSERT_EQUAL(read_all(f, "posture", H5T_NATIVE_INT8, posture), 0);
    for (int64_t t = 0; t < DAYS; t++) {
        for (size_t a = 0; a < N_ACTORS; a++) {
            CU_ASSERT_DOUBLE_EQUAL(fatal[t][a], fatalities_at(t, a), 0.0);
            double sum = 0.0;
            for (size_t l = 0; l < N_LOCATIONS; l++) {
                CU_ASSERT_DOUBLE_EQUAL(forces[t][a][l], force_at(t, a, l), 0.0);
                CU_ASSERT_DOUBLE_EQUAL(fatal_loc[t][a][l], fatal_loc_at(t, a, l), 0.0);
                sum += fatal_loc[t][a][l];
            }
            /* fatalities is the sum over locations of fatalities_by_location */
            CU_ASSERT_DOUBLE_EQUAL(sum, fatal[t][a], 0.0);
        }
        for (size_t l = 0; l < N_LOCATIONS; l++) {
            CU_ASSERT_DOUBLE_EQUAL(civ[t][l], civilian_deaths_at(t, l), 0.0);
            CU_ASSERT_DOUBLE_EQUAL(dmg[t][l], project_damage_at(t, l), 0.0);
            CU_ASSERT_EQUAL(clashes[t][l], clashes_at(t, l));
            CU_ASSERT_EQUAL(attacks[t][l], attacks_at(t, l));
            CU_ASSERT_EQUAL(strikes[t][l], strikes_at(t, l));
        }
        for (size_t d = 0; d < N_DYADS; d++)
            CU_ASSERT_EQUAL(posture[t][d], posture_at(t, d));
    }
    CU_ASSERT_EQUAL(posture[0][3], -1);
    CU_ASSERT_EQUAL(dim_len(f, "forces", 0), DAYS);
    CU_ASSERT_EQUAL(dim_len(f, "forces", 1), N_ACTORS);
    CU_ASSERT_EQUAL(dim_len(f, "forces", 2), N_LOCATIONS);
    CU_ASSERT_EQUAL(dim_len(f, "fatalities_by_location", 0), DAYS);
    CU_ASSERT_EQUAL(dim_len(f, "fatalities_by_location", 1), N_ACTORS);
    CU_ASSERT_EQUAL(dim_len(f, "fatalities_by_location", 2), N_LOCATIONS);

    /* Civilian series: the world's agent counts times agent_scale (100). */
    {
        const int64_t k = 100;
        static int64_t people[DAYS][N_LOCATIONS][DR_AGENT_STATUS_COUNT];
        static int64_t on_route[DAYS][N_ROUTES], rflow[DAYS][N_ROUTES][2];
        static int64_t cflow[DAYS][N_CROSSINGS][2], rdeaths[DAYS][N_ROUTES];
        static int64_t ret[DAYS][N_LOCATIONS], dep[DAYS][N_LOCATIONS];
        static int64_t adeaths[DAYS][N_LOCATIONS], mob[DAYS][N_LOCATIONS];
        static int64_t displaced[DAYS], ret_cum[DAYS], dep_cum[DAYS];
        CU_ASSERT_EQUAL(read_all(f, "civilians", H5T_NATIVE_INT64, people), 0);
        CU_ASSERT_EQUAL(read_all(f, "civilians_on_route", H5T_NATIVE_INT64, on_route), 0);
        CU_ASSERT_EQUAL(read_all(f, "route_flow", H5T_NATIVE_INT64, rflow), 0);
        CU_ASSERT_EQUAL(read_all(f, "crossing_flow", H5T_NATIVE_INT64, cflow), 0);
        CU_ASSERT_EQUAL(read_all(f, "returns", H5T_NATIVE_INT64, ret), 0);
        CU_ASSERT_EQUAL(read_all(f, "deportations", H5T_NATIVE_INT64, dep), 0);
        CU_ASSERT_EQUAL(read_all(f, "civilian_agent_deaths", H5T_NATIVE_INT64, adeaths),
                        0);
        CU_ASSERT_EQUAL(
            read_all(f, "civilian_agent_deaths_on_route", H5T_NATIVE_INT64, rdeaths), 0);
        CU_ASSERT_EQUAL(read_all(f, "mobilised", H5T_NATIVE_INT64, mob), 0);
        CU_ASSERT_EQUAL(read_all(f, "displaced", H5T_NATIVE_INT64, displaced), 0);
        CU_ASSERT_EQUAL(read_all(f, "returns_cumulative", H5T_NATIVE_INT64, ret_cum), 0);
        CU_ASSERT_EQUAL(read_all(f, "deportations_cumulative", H5T_NATIVE_INT64, dep_cum),
                        0);
        int64_t sum_ret = 0, sum_dep = 0;
        for (int64_t t = 0; t < DAYS; t++) {
            int64_t disp = 0;
            for (size_t l = 0; l < N_LOCATIONS; l++) {
                for (size_t st = 0; st < DR_AGENT_STATUS_COUNT; st++)
                    CU_ASSERT_EQUAL(people[t][l][st], k * civ_count_at(t, l, st));
                disp += k * (civ_count_at(t, l, DR_AGENT_IDP) +
                             civ_count_at(t, l, DR_AGENT_REFUGEE) +
                             civ_count_at(t, l, DR_AGENT_IN_TRANSIT));
                CU_ASSERT_EQUAL(ret[t][l], k * civ_returns_at(t, l));
                CU_ASSERT_EQUAL(dep[t][l], k * civ_deported_at(t, l));
                CU_ASSERT_EQUAL(adeaths[t][l], k * civ_deaths_at(t, l));
                CU_ASSERT_EQUAL(mob[t][l], k * civ_active_at(t, l));
                sum_ret += k * civ_returns_at(t, l);
                sum_dep += k * civ_deported_at(t, l);
            }
            for (size_t r = 0; r < N_ROUTES; r++) {
                CU_ASSERT_EQUAL(on_route[t][r], k * civ_on_route_at(t, r));
                CU_ASSERT_EQUAL(rdeaths[t][r], k * civ_route_deaths_at(t, r));
                CU_ASSERT_EQUAL(rflow[t][r][0], k * civ_flow_at(t, 2 * r));
                CU_ASSERT_EQUAL(rflow[t][r][1], k * civ_flow_at(t, 2 * r + 1));
                disp += k * civ_on_route_at(t, r);
            }
            /* Crossing 0 is route 1. */
            CU_ASSERT_EQUAL(cflow[t][0][0], k * civ_flow_at(t, 2));
            CU_ASSERT_EQUAL(cflow[t][0][1], k * civ_flow_at(t, 3));
            CU_ASSERT_EQUAL(displaced[t], disp);
            CU_ASSERT_EQUAL(ret_cum[t], sum_ret);
            CU_ASSERT_EQUAL(dep_cum[t], sum_dep);
        }
        CU_ASSERT_EQUAL(dim_len(f, "civilians", 2), DR_AGENT_STATUS_COUNT);
        CU_ASSERT_EQUAL(dim_len(f, "route_flow", 2), 2);
        CU_ASSERT_EQUAL(dim_len(f, "displaced", 0), DAYS);
        CU_ASSERT_EQUAL(dim_len(f, "displaced", 1), -1); /* rank 1 */
    }

    /* Powers and interventions: the effective interdependence, alignment,
     * ceasefire and recruits as the world held them; involvement and
     * threat missing (NaN) for actors that are not powers; an empty
     * intervention axis. */
    {
        static double inter[DAYS][N_DYADS], align[DAYS][N_DYADS];
        static double involvement[DAYS][N_ACTORS], threat[DAYS][N_ACTORS];
        static double recruited[DAYS];
        static int32_t cease[DAYS][N_DYADS];
        CU_ASSERT_EQUAL(read_all(f, "interdependence", H5T_NATIVE_DOUBLE, inter), 0);
        CU_ASSERT_EQUAL(read_all(f, "alignment", H5T_NATIVE_DOUBLE, align), 0);
        CU_ASSERT_EQUAL(read_all(f, "involvement", H5T_NATIVE_DOUBLE, involvement), 0);
        CU_ASSERT_EQUAL(read_all(f, "threat", H5T_NATIVE_DOUBLE, threat), 0);
        CU_ASSERT_EQUAL(read_all(f, "recruited", H5T_NATIVE_DOUBLE, recruited), 0);
        CU_ASSERT_EQUAL(read_all(f, "ceasefire", H5T_NATIVE_INT32, cease), 0);
        for (int64_t t = 0; t < DAYS; t++) {
            for (size_t d = 0; d < N_DYADS; d++) {
                CU_ASSERT_DOUBLE_EQUAL(
                    inter[t][d], own_interdependence_at(t) + iv_interdep_at(d), 1e-15);
                CU_ASSERT_DOUBLE_EQUAL(align[t][d], alignment_at(t, d), 0.0);
                CU_ASSERT_EQUAL(cease[t][d], ceasefire_at(t, d));
            }
            for (size_t a = 0; a < N_ACTORS; a++) {
                CU_ASSERT_TRUE(isnan(involvement[t][a]));
                CU_ASSERT_TRUE(isnan(threat[t][a]));
            }
            CU_ASSERT_DOUBLE_EQUAL(recruited[t], recruited_at(t), 0.0);
        }
        static const char *const along_iv[] = {
            "intervention_active", "intervention_progress", "intervention_cost",
            "intervention_rounds", "intervention_agreements"};
        CU_ASSERT_EQUAL(dim_len(f, "intervention", 0), 0);
        CU_ASSERT_EQUAL(dim_len(f, "intervention_type", 0), 0);
        CU_ASSERT_EQUAL(dim_len(f, "intervention_mediator", 0), 0);
        for (size_t k = 0; k < sizeof along_iv / sizeof *along_iv; k++) {
            CU_ASSERT_EQUAL(dim_len(f, along_iv[k], 0), DAYS);
            CU_ASSERT_EQUAL(dim_len(f, along_iv[k], 1), 0);
        }
        hid_t iv = H5Dopen2(f, "intervention", H5P_DEFAULT);
        hid_t ia = H5Dopen2(f, "intervention_active", H5P_DEFAULT);
        CU_ASSERT(H5DSis_scale(iv) > 0);
        CU_ASSERT(H5DSis_attached(ia, iv, 1) > 0);
        H5Dclose(ia);
        H5Dclose(iv);
    }

    /* Static variables. */
    int32_t da[N_DYADS], db[N_DYADS], cfrom[N_CROSSINGS], cto[N_CROSSINGS];
    int8_t kind[N_ACTORS];
    double lat[N_LOCATIONS];
    CU_ASSERT_EQUAL(read_all(f, "dyad_a", H5T_NATIVE_INT32, da), 0);
    CU_ASSERT_EQUAL(read_all(f, "dyad_b", H5T_NATIVE_INT32, db), 0);
    CU_ASSERT_EQUAL(read_all(f, "crossing_from", H5T_NATIVE_INT32, cfrom), 0);
    CU_ASSERT_EQUAL(read_all(f, "crossing_to", H5T_NATIVE_INT32, cto), 0);
    CU_ASSERT_EQUAL(read_all(f, "actor_kind", H5T_NATIVE_INT8, kind), 0);
    CU_ASSERT_EQUAL(read_all(f, "lat", H5T_NATIVE_DOUBLE, lat), 0);
    CU_ASSERT_EQUAL(da[0], 0);
    CU_ASSERT_EQUAL(db[0], 1);
    CU_ASSERT_EQUAL(da[1], 1);
    CU_ASSERT_EQUAL(cfrom[0], 1);
    CU_ASSERT_EQUAL(cto[0], 2);
    CU_ASSERT_EQUAL(kind[2], DR_ACTOR_MILITANT);
    CU_ASSERT_DOUBLE_EQUAL(lat[2], 34.2, 1e-12);

    /* String coordinates. */
    hid_t dd = H5Dopen2(f, "dyad", H5P_DEFAULT);
    hid_t st = utf8_type();
    char *ids[N_DYADS] = {NULL, NULL, NULL, NULL};
    CU_ASSERT_FATAL(H5Dread(dd, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, ids) >= 0);
    CU_ASSERT_STRING_EQUAL(ids[0], "PAK-AFG");
    CU_ASSERT_STRING_EQUAL(ids[1], "AFG-PAK");
    CU_ASSERT_STRING_EQUAL(ids[3], "TTP-PAK");
    for (int i = 0; i < N_DYADS; i++) H5free_memory(ids[i]);
    H5Dclose(dd);

    /* Regions of the locations, as given in the scenario. */
    hid_t rd = H5Dopen2(f, "location_region", H5P_DEFAULT);
    CU_ASSERT_FATAL(rd >= 0);
    char *regions[N_LOCATIONS] = {NULL, NULL, NULL};
    CU_ASSERT_FATAL(H5Dread(rd, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, regions) >= 0);
    CU_ASSERT_STRING_EQUAL(regions[0], "KP");
    CU_ASSERT_STRING_EQUAL(regions[1], "KP");
    CU_ASSERT_STRING_EQUAL(regions[2], "Nangarhar");
    for (int i = 0; i < N_LOCATIONS; i++) H5free_memory(regions[i]);
    H5Dclose(rd);

    /* The civilian coordinates: status names from the engine's table,
     * the two directions, route ids; and the static route variables. */
    char *names[DR_AGENT_STATUS_COUNT] = {NULL};
    hid_t sd = H5Dopen2(f, "status", H5P_DEFAULT);
    CU_ASSERT_FATAL(sd >= 0);
    CU_ASSERT(H5DSis_scale(sd) > 0);
    CU_ASSERT_FATAL(H5Dread(sd, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
    for (int i = 0; i < DR_AGENT_STATUS_COUNT; i++) {
        CU_ASSERT_STRING_EQUAL(names[i], dr_agent_status_names[i]);
        H5free_memory(names[i]);
    }
    hid_t cv = H5Dopen2(f, "civilians", H5P_DEFAULT);
    CU_ASSERT(H5DSis_attached(cv, sd, 2) > 0);
    H5Dclose(cv);
    H5Dclose(sd);
    hid_t dir = H5Dopen2(f, "direction", H5P_DEFAULT);
    CU_ASSERT_FATAL(H5Dread(dir, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
    CU_ASSERT_STRING_EQUAL(names[0], "from_to");
    CU_ASSERT_STRING_EQUAL(names[1], "to_from");
    H5free_memory(names[0]);
    H5free_memory(names[1]);
    H5Dclose(dir);
    hid_t rids = H5Dopen2(f, "route", H5P_DEFAULT);
    CU_ASSERT_FATAL(H5Dread(rids, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
    CU_ASSERT_STRING_EQUAL(names[0], "peshawar-torkham_pk");
    CU_ASSERT_STRING_EQUAL(names[1], "torkham");
    H5free_memory(names[0]);
    H5free_memory(names[1]);
    H5Dclose(rids);
    int32_t rfrom[N_ROUTES], rto[N_ROUTES];
    int8_t rkind[N_ROUTES];
    CU_ASSERT_EQUAL(read_all(f, "route_from", H5T_NATIVE_INT32, rfrom), 0);
    CU_ASSERT_EQUAL(read_all(f, "route_to", H5T_NATIVE_INT32, rto), 0);
    CU_ASSERT_EQUAL(read_all(f, "route_kind", H5T_NATIVE_INT8, rkind), 0);
    CU_ASSERT_EQUAL(rfrom[1], 1);
    CU_ASSERT_EQUAL(rto[1], 2);
    CU_ASSERT_EQUAL(rkind[0], DR_ROUTE_ROAD);
    CU_ASSERT_EQUAL(rkind[1], DR_ROUTE_CROSSING);

    /* Event log: three rows; the route maps to crossing index 0. */
    CU_ASSERT_EQUAL(dim_len(f, "event", 0), 3);
    int32_t eday[3], eroute[3], ea[3], eloc[3];
    int8_t ekind[3];
    double evalue[3];
    CU_ASSERT_EQUAL(read_all(f, "event_day", H5T_NATIVE_INT32, eday), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_kind", H5T_NATIVE_INT8, ekind), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_route", H5T_NATIVE_INT32, eroute), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_actor_a", H5T_NATIVE_INT32, ea), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_location", H5T_NATIVE_INT32, eloc), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_value", H5T_NATIVE_DOUBLE, evalue), 0);
    CU_ASSERT_EQUAL(eday[0], 5);
    CU_ASSERT_EQUAL(eday[1], 10);
    CU_ASSERT_EQUAL(ekind[0], DR_LOG_SHOCK);
    CU_ASSERT_EQUAL(ekind[1], DR_LOG_BORDER_REGULATION);
    CU_ASSERT_EQUAL(ea[0], 0);
    CU_ASSERT_EQUAL(ea[1], -1);
    CU_ASSERT_EQUAL(eloc[0], 1);
    CU_ASSERT_EQUAL(eroute[0], -1);
    CU_ASSERT_EQUAL(eroute[1], 0);  /* route 1 is crossing 0 */
    CU_ASSERT_EQUAL(eroute[2], -1); /* route 0 is a road, not a crossing */
    CU_ASSERT_DOUBLE_EQUAL(evalue[0], 12.0, 0.0);
    hid_t nd = H5Dopen2(f, "event_note", H5P_DEFAULT);
    char *notes[3] = {NULL, NULL, NULL};
    CU_ASSERT_FATAL(H5Dread(nd, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, notes) >= 0);
    CU_ASSERT_STRING_EQUAL(notes[0], "border clash");
    CU_ASSERT_STRING_EQUAL(notes[1], "Torkham restricted");
    CU_ASSERT_STRING_EQUAL(notes[2], "");
    for (int i = 0; i < 3; i++) H5free_memory(notes[i]);
    H5Dclose(nd);
    H5Tclose(st);

    /* Units, long_name, creation order and scales on every dataset. */
    int count = 0;
    hsize_t idx = 0;
    CU_ASSERT(H5Literate(f, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, check_var_attrs,
                         &count) >= 0);
    CU_ASSERT(count >= 30);

    /* Specific scale attachments. */
    hid_t tv = H5Dopen2(f, "tension", H5P_DEFAULT);
    hid_t ts = H5Dopen2(f, "time", H5P_DEFAULT);
    hid_t ds = H5Dopen2(f, "dyad", H5P_DEFAULT);
    CU_ASSERT(H5DSis_scale(ts) > 0);
    CU_ASSERT(H5DSis_scale(ds) > 0);
    CU_ASSERT(H5DSis_attached(tv, ts, 0) > 0);
    CU_ASSERT(H5DSis_attached(tv, ds, 1) > 0);
    char buf[256];
    CU_ASSERT_EQUAL(read_attr_string(ts, "units", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "days since 2023-01-01");
    CU_ASSERT_EQUAL(read_attr_string(ts, "calendar", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "proleptic_gregorian");
    H5Dclose(tv);
    H5Dclose(ts);
    H5Dclose(ds);
    hid_t cs = H5Dopen2(f, "crossing_status", H5P_DEFAULT);
    CU_ASSERT_EQUAL(read_attr_string(cs, "flag_meanings", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "open restricted closed");
    H5Dclose(cs);

    /* posture: int8 flags 0..3, -1 documented, and no _FillValue (xarray
     * would decode the variable to float). */
    hid_t pv = H5Dopen2(f, "posture", H5P_DEFAULT);
    CU_ASSERT_FATAL(pv >= 0);
    CU_ASSERT_EQUAL(read_attr_string(pv, "flag_meanings", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "cooperate hold pressure strike");
    int8_t flags[DR_POSTURE_COUNT] = {-9, -9, -9, -9};
    hid_t fa = H5Aopen(pv, "flag_values", H5P_DEFAULT);
    CU_ASSERT(H5Aread(fa, H5T_NATIVE_INT8, flags) >= 0);
    H5Aclose(fa);
    for (int k = 0; k < DR_POSTURE_COUNT; k++) CU_ASSERT_EQUAL(flags[k], k);
    CU_ASSERT_EQUAL(read_attr_string(pv, "comment", buf, sizeof buf), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "-1"));
    CU_ASSERT_EQUAL(H5Aexists(pv, "_FillValue"), 0);
    hid_t pt = H5Dget_type(pv);
    CU_ASSERT(H5Tequal(pt, H5T_STD_I8LE) > 0);
    H5Tclose(pt);
    H5Dclose(pv);

    /* event_kind's meanings are the engine's table, violence kinds too. */
    hid_t ek = H5Dopen2(f, "event_kind", H5P_DEFAULT);
    CU_ASSERT_EQUAL(read_attr_string(ek, "flag_meanings", buf, sizeof buf), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "set clash attack strike retaliation closure "
                                       "reopening"));
    hsize_t nflags = 0;
    fa = H5Aopen(ek, "flag_values", H5P_DEFAULT);
    hid_t fs = H5Aget_space(fa);
    H5Sget_simple_extent_dims(fs, &nflags, NULL);
    CU_ASSERT_EQUAL(nflags, DR_LOG_KIND_COUNT);
    H5Sclose(fs);
    H5Aclose(fa);
    H5Dclose(ek);

    /* Units, long_name and types of the violence outputs; forces is
     * attached to time, actor and location; the counts are int32 without
     * _FillValue, the floats carry NaN. */
    static const struct {
        const char *name;
        H5T_class_t cls;
        size_t size; /* bytes */
        const char *in_long_name;
    } vio[] = {
        {"fatalities", H5T_FLOAT, 8, "persons"},
        {"civilian_deaths", H5T_FLOAT, 8, "persons"},
        {"clashes", H5T_INTEGER, 4, "clashes"},
        {"attacks", H5T_INTEGER, 4, "attacks"},
        {"strikes", H5T_INTEGER, 4, "strikes"},
        {"forces", H5T_FLOAT, 8, "persons"},
        {"fatalities_by_location", H5T_FLOAT, 8, "killed at the location"},
        {"project_damage", H5T_FLOAT, 8, "0..1"},
        {"deaths", H5T_FLOAT, 8, "civilians"},
        {"civilians", H5T_INTEGER, 8, "persons"},
        {"civilians_on_route", H5T_INTEGER, 8, "persons"},
        {"route_flow", H5T_INTEGER, 8, "persons"},
        {"crossing_flow", H5T_INTEGER, 8, "persons"},
        {"returns", H5T_INTEGER, 8, "arrived home"},
        {"deportations", H5T_INTEGER, 8, "deported"},
        {"civilian_agent_deaths", H5T_INTEGER, 8, "civilian agents"},
        {"civilian_agent_deaths_on_route", H5T_INTEGER, 8, "civilian agents"},
        {"mobilised", H5T_INTEGER, 8, "mobilised"},
        {"displaced", H5T_INTEGER, 8, "persons"},
        {"returns_cumulative", H5T_INTEGER, 8, "persons"},
        {"deportations_cumulative", H5T_INTEGER, 8, "persons"},
    };
    for (size_t i = 0; i < sizeof vio / sizeof *vio; i++) {
        hid_t v = H5Dopen2(f, vio[i].name, H5P_DEFAULT);
        CU_ASSERT_FATAL(v >= 0);
        CU_ASSERT_EQUAL(read_attr_string(v, "units", buf, sizeof buf), 0);
        CU_ASSERT_STRING_EQUAL(buf, "1");
        CU_ASSERT_EQUAL(read_attr_string(v, "long_name", buf, sizeof buf), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(buf, vio[i].in_long_name));
        hid_t vt2 = H5Dget_type(v);
        CU_ASSERT_EQUAL(H5Tget_class(vt2), vio[i].cls);
        CU_ASSERT_EQUAL(H5Tget_size(vt2), vio[i].size);
        int is_float = vio[i].cls == H5T_FLOAT;
        CU_ASSERT_EQUAL(H5Aexists(v, "_FillValue") > 0, is_float);
        H5Tclose(vt2);
        H5Dclose(v);
    }
    hid_t fv = H5Dopen2(f, "forces", H5P_DEFAULT);
    hid_t sc_time = H5Dopen2(f, "time", H5P_DEFAULT);
    hid_t sc_actor = H5Dopen2(f, "actor", H5P_DEFAULT);
    hid_t sc_loc = H5Dopen2(f, "location", H5P_DEFAULT);
    CU_ASSERT(H5DSis_attached(fv, sc_time, 0) > 0);
    CU_ASSERT(H5DSis_attached(fv, sc_actor, 1) > 0);
    CU_ASSERT(H5DSis_attached(fv, sc_loc, 2) > 0);
    hid_t flv = H5Dopen2(f, "fatalities_by_location", H5P_DEFAULT);
    CU_ASSERT(H5DSis_attached(flv, sc_time, 0) > 0);
    CU_ASSERT(H5DSis_attached(flv, sc_actor, 1) > 0);
    CU_ASSERT(H5DSis_attached(flv, sc_loc, 2) > 0);
    H5Dclose(flv);
    hid_t fcp = H5Dget_create_plist(fv);
    hsize_t fchunk[3] = {0, 0, 0};
    CU_ASSERT_EQUAL(H5Pget_chunk(fcp, 3, fchunk), 3);
    CU_ASSERT_EQUAL(fchunk[0], DAYS); /* a tiny row: every day in one chunk */
    CU_ASSERT_EQUAL(fchunk[1], N_ACTORS);
    CU_ASSERT_EQUAL(fchunk[2], N_LOCATIONS);
    H5Pclose(fcp);
    H5Dclose(sc_loc);
    H5Dclose(sc_actor);
    H5Dclose(sc_time);
    H5Dclose(fv);

    /* Root attributes: provenance. */
    CU_ASSERT_EQUAL(read_attr_string(f, "Conventions", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "CF-1.8");
    CU_ASSERT_EQUAL(read_attr_string(f, "title", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "Output test");
    CU_ASSERT_EQUAL(read_attr_string(f, "overrides", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "scenario.days=40\nactors.[TTP].fighters=8000");
    CU_ASSERT_EQUAL(read_attr_string(f, "history", buf, sizeof buf), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "durand run tiny.cfg -o out.h5"));
    CU_ASSERT_EQUAL(read_attr_string(f, "wall_time_end", buf, sizeof buf), 0);
    CU_ASSERT_EQUAL(strlen(buf), 20);
    CU_ASSERT_EQUAL(read_attr_string(f, "libconfig_version", buf, sizeof buf), 0);
    CU_ASSERT(buf[0] != '\0');
    static const char *const required[] = {
        "source",       "durand_version", "git_revision",  "compiler", "gsl_version",
        "hdf5_version", "start_date",     "scenario_path", "comment",  "wall_time_start"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        CU_ASSERT_EQUAL(read_attr_string(f, required[i], buf, sizeof buf), 0);
        CU_ASSERT(buf[0] != '\0');
    }
    uint64_t seed = 0;
    int64_t replication = 0, days = 0;
    int32_t threads = 0;
    hid_t a = H5Aopen(f, "seed", H5P_DEFAULT);
    CU_ASSERT(H5Aread(a, H5T_NATIVE_UINT64, &seed) >= 0);
    H5Aclose(a);
    a = H5Aopen(f, "replication", H5P_DEFAULT);
    CU_ASSERT(H5Aread(a, H5T_NATIVE_INT64, &replication) >= 0);
    H5Aclose(a);
    a = H5Aopen(f, "days", H5P_DEFAULT);
    CU_ASSERT(H5Aread(a, H5T_NATIVE_INT64, &days) >= 0);
    H5Aclose(a);
    a = H5Aopen(f, "omp_threads", H5P_DEFAULT);
    CU_ASSERT(H5Aread(a, H5T_NATIVE_INT32, &threads) >= 0);
    H5Aclose(a);
    CU_ASSERT_EQUAL(seed, 20230501u);
    CU_ASSERT_EQUAL(replication, 3);
    CU_ASSERT_EQUAL(days, DAYS);
    CU_ASSERT_EQUAL(threads, 4);

    /* The full scenario text survives, past the 64 KiB attribute limit. */
    a = H5Aopen(f, "scenario_text", H5P_DEFAULT);
    hid_t vt = utf8_type();
    char *text = NULL;
    CU_ASSERT(H5Aread(a, vt, &text) >= 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(text, fx.text);
    H5free_memory(text);
    H5Tclose(vt);
    H5Aclose(a);

    /* Link and attribute creation order tracked on the root group. */
    hid_t root = H5Gopen2(f, "/", H5P_DEFAULT);
    hid_t fcpl = H5Gget_create_plist(root);
    unsigned lflags = 0, aflags = 0;
    H5Pget_link_creation_order(fcpl, &lflags);
    H5Pget_attr_creation_order(fcpl, &aflags);
    CU_ASSERT(lflags & H5P_CRT_ORDER_TRACKED);
    CU_ASSERT(aflags & H5P_CRT_ORDER_TRACKED);
    H5Pclose(fcpl);
    H5Gclose(root);
    H5Fclose(f);
    fixture_clear(&fx);
}

static void test_failed_run_leaves_nothing(void)
{
    fixture fx;
    fixture_init(&fx, 1);
    const char *path = DR_BINARY_DIR "/test_output_failed.h5";
    remove(path);
    CU_ASSERT_NOT_EQUAL(drive(&fx, path, 1, 1, stderr), 0);
    CU_ASSERT_FALSE(file_exists(path));
    CU_ASSERT_FALSE(file_exists(part_of(path)));
    fixture_clear(&fx);
}

static void test_destroy_without_end_removes_part(void)
{
    fixture fx;
    fixture_init(&fx, 1);
    const char *path = DR_BINARY_DIR "/test_output_abandoned.h5";
    remove(path);
    dr_observer *obs = dr_h5_observer_create(path, NULL, stderr);
    CU_ASSERT_FATAL(obs != NULL);
    CU_ASSERT_FALSE(file_exists(part_of(path))); /* nothing before begin */
    CU_ASSERT_EQUAL(obs->begin(obs->ctx, &fx.w), 0);
    set_day(&fx, 0);
    CU_ASSERT_EQUAL(obs->tick(obs->ctx, &fx.w, 0), 0);
    CU_ASSERT_TRUE(file_exists(part_of(path)));
    dr_h5_observer_destroy(obs);
    CU_ASSERT_FALSE(file_exists(part_of(path)));
    CU_ASSERT_FALSE(file_exists(path));
    fixture_clear(&fx);
}

static void test_empty_event_log(void)
{
    fixture fx;
    fixture_init(&fx, 1);
    const char *path = DR_BINARY_DIR "/test_output_noevents.h5";
    remove(path);
    CU_ASSERT_EQUAL(drive(&fx, path, 0, 0, stderr), 0);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);
    CU_ASSERT_EQUAL(dim_len(f, "event", 0), 0);
    CU_ASSERT_EQUAL(dim_len(f, "event_note", 0), 0);
    hid_t ev = H5Dopen2(f, "event", H5P_DEFAULT);
    hid_t kd = H5Dopen2(f, "event_kind", H5P_DEFAULT);
    CU_ASSERT(H5DSis_scale(ev) > 0);
    CU_ASSERT(H5DSis_attached(kd, ev, 0) > 0);
    H5Dclose(kd);
    H5Dclose(ev);
    H5Fclose(f);
    FILE *sink = tmpfile();
    CU_ASSERT_FATAL(sink != NULL);
    CU_ASSERT_EQUAL(dr_h5_inspect(path, sink, stderr), 0);
    fclose(sink);
    remove(path);
    fixture_clear(&fx);
}

static void test_unwritable_path_reports_one_line(void)
{
    fixture fx;
    fixture_init(&fx, 1);
    const char *path = DR_BINARY_DIR "/no_such_directory_here/x.h5";
    FILE *err = tmpfile();
    CU_ASSERT_FATAL(err != NULL);
    dr_observer *obs = dr_h5_observer_create(path, NULL, err);
    CU_ASSERT_FATAL(obs != NULL);
    CU_ASSERT_NOT_EQUAL(obs->begin(obs->ctx, &fx.w), 0);
    CU_ASSERT_NOT_EQUAL(obs->tick(obs->ctx, &fx.w, 0), 0);
    CU_ASSERT_NOT_EQUAL(obs->end(obs->ctx, &fx.w, 1), 0);
    dr_h5_observer_destroy(obs);
    CU_ASSERT_FALSE(file_exists(path));
    /* One line naming the file, and nothing from HDF5's own printer. */
    rewind(err);
    char line[1024];
    int lines = 0;
    while (fgets(line, sizeof line, err)) {
        if (lines == 0) CU_ASSERT_PTR_NOT_NULL(strstr(line, "x.h5.part"));
        lines++;
    }
    CU_ASSERT_EQUAL(lines, 1);
    fclose(err);
    fixture_clear(&fx);
}

static void test_tick_out_of_range_fails(void)
{
    fixture fx;
    fixture_init(&fx, 1);
    const char *path = DR_BINARY_DIR "/test_output_range.h5";
    remove(path);
    FILE *err = tmpfile();
    CU_ASSERT_FATAL(err != NULL);
    dr_observer *obs = dr_h5_observer_create(path, NULL, err);
    CU_ASSERT_EQUAL(obs->begin(obs->ctx, &fx.w), 0);
    CU_ASSERT_NOT_EQUAL(obs->tick(obs->ctx, &fx.w, DAYS), 0);
    /* After an error the output is discarded even if end() says 0. */
    CU_ASSERT_NOT_EQUAL(obs->end(obs->ctx, &fx.w, 0), 0);
    dr_h5_observer_destroy(obs);
    CU_ASSERT_FALSE(file_exists(path));
    CU_ASSERT_FALSE(file_exists(part_of(path)));
    fclose(err);
    fixture_clear(&fx);
}

/* Compare every dataset of two files value by value (numeric datasets
 * by their bytes, strings by text): the datasets must not depend on the
 * thread count or the wall time. */
static herr_t compare_dataset(hid_t g, const char *name, const H5L_info_t *info,
                              void *data)
{
    (void)info;
    hid_t other = *(hid_t *)data;
    hid_t d1 = H5Dopen2(g, name, H5P_DEFAULT);
    hid_t d2 = H5Dopen2(other, name, H5P_DEFAULT);
    CU_ASSERT_FATAL(d1 >= 0 && d2 >= 0);
    hid_t t = H5Dget_type(d1), s = H5Dget_space(d1);
    hssize_t n = H5Sget_simple_extent_npoints(s);
    if (H5Tget_class(t) == H5T_STRING) {
        hid_t mt = utf8_type();
        char **v1 = calloc((size_t)n + 1, sizeof *v1);
        char **v2 = calloc((size_t)n + 1, sizeof *v2);
        if (n > 0) {
            CU_ASSERT(H5Dread(d1, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v1) >= 0);
            CU_ASSERT(H5Dread(d2, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v2) >= 0);
            for (hssize_t i = 0; i < n; i++) CU_ASSERT_STRING_EQUAL(v1[i], v2[i]);
            H5Dvlen_reclaim(mt, s, H5P_DEFAULT, v1);
            H5Dvlen_reclaim(mt, s, H5P_DEFAULT, v2);
        }
        free(v1);
        free(v2);
        H5Tclose(mt);
    } else {
        hid_t mt = H5Tget_native_type(t, H5T_DIR_ASCEND);
        size_t bytes = (size_t)n * H5Tget_size(mt);
        unsigned char *b1 = calloc(bytes + 1, 1), *b2 = calloc(bytes + 1, 1);
        if (n > 0) {
            CU_ASSERT(H5Dread(d1, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, b1) >= 0);
            CU_ASSERT(H5Dread(d2, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, b2) >= 0);
        }
        CU_ASSERT_EQUAL(memcmp(b1, b2, bytes), 0);
        free(b1);
        free(b2);
        H5Tclose(mt);
    }
    H5Sclose(s);
    H5Tclose(t);
    H5Dclose(d1);
    H5Dclose(d2);
    return 0;
}

static void test_datasets_independent_of_threads(void)
{
    fixture fx1, fx8;
    fixture_init(&fx1, 1);
    fixture_init(&fx8, 8);
    const char *p1 = DR_BINARY_DIR "/test_output_t1.h5";
    const char *p8 = DR_BINARY_DIR "/test_output_t8.h5";
    CU_ASSERT_EQUAL(drive(&fx1, p1, 0, 1, stderr), 0);
    CU_ASSERT_EQUAL(drive(&fx8, p8, 0, 1, stderr), 0);
    hid_t f1 = H5Fopen(p1, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t f8 = H5Fopen(p8, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT_FATAL(f1 >= 0 && f8 >= 0);
    hsize_t idx = 0;
    CU_ASSERT(
        H5Literate(f1, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, compare_dataset, &f8) >= 0);
    H5Fclose(f1);
    H5Fclose(f8);
    remove(p1);
    remove(p8);
    fixture_clear(&fx1);
    fixture_clear(&fx8);
}

/* Chunk shape of dataset `name` into chunk[rank]; returns the rank. */
static int chunk_of(hid_t f, const char *name, hsize_t chunk[3])
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0) return -1;
    hid_t p = H5Dget_create_plist(d);
    int rank = H5Pget_chunk(p, 3, chunk);
    H5Pclose(p);
    H5Dclose(d);
    return rank;
}

/*
 * A world of na actors and nl locations (no dyads, routes or crossings)
 * run for 3 days: forces must round-trip, and when one day's row of a
 * series exceeds the 128 KiB chunk target its chunks hold one day and
 * split the entity axes: want_forces and want_loc are the expected chunk
 * shapes of forces and of a (time, location) float64 series.
 */
static void check_large_world(size_t na, size_t nl, const hsize_t want_forces[3],
                              const hsize_t want_loc[2])
{
    enum { LDAYS = 3 };
    dr_scenario sc;
    dr_world w;
    memset(&sc, 0, sizeof sc);
    memset(&w, 0, sizeof w);
    dr_actor *actors = calloc(na, sizeof *actors);
    dr_location *locs = calloc(nl, sizeof *locs);
    double *force = calloc(na * nl, sizeof *force);
    double *fat_at = calloc(na * nl, sizeof *fat_at);
    double *dl[5], *da = calloc(na, sizeof *da);
    int32_t *il[3];
    /* Civilian counts: all zero (no routes, so one element each). */
    int64_t *civ_count = calloc(nl * DR_AGENT_STATUS_COUNT, sizeof *civ_count);
    int64_t *civ_l = calloc(4 * nl, sizeof *civ_l);
    int64_t civ_r[3] = {0, 0, 0};
    CU_ASSERT_FATAL(civ_count && civ_l);
    for (int k = 0; k < 5; k++) dl[k] = calloc(nl, sizeof *dl[k]);
    for (int k = 0; k < 3; k++) il[k] = calloc(nl, sizeof *il[k]);
    int8_t posture[1] = {-1};
    double coordination[1] = {0.0}, iv_interdep[1] = {0.0};
    int64_t ceasefire_left[1] = {0};
    double *threat = calloc(na, sizeof *threat);
    CU_ASSERT_FATAL(actors && locs && force && fat_at && da && threat);
    for (int k = 0; k < 5; k++) CU_ASSERT_FATAL(dl[k] != NULL);
    for (int k = 0; k < 3; k++) CU_ASSERT_FATAL(il[k] != NULL);
    for (size_t a = 0; a < na; a++) {
        snprintf(actors[a].id, DR_ID_MAX, "A%zu", a);
        actors[a].kind = a == 0 ? DR_ACTOR_STATE : DR_ACTOR_MILITANT;
    }
    for (size_t l = 0; l < nl; l++) {
        snprintf(locs[l].id, DR_ID_MAX, "L%zu", l);
        locs[l].country = DR_NONE;
    }
    sc.path = (char *)"large.cfg";
    sc.text = (char *)"";
    sc.meta.name = (char *)"Large";
    sc.meta.description = (char *)"";
    snprintf(sc.meta.start_date, sizeof sc.meta.start_date, "2023-01-01");
    sc.meta.days = LDAYS;
    sc.meta.agent_scale = 1;
    w.sc = &sc;
    w.day = -1;
    w.n_actors = na;
    w.n_locations = nl;
    w.actors = actors;
    w.locations = locs;
    w.force = force;
    w.intensity = dl[0];
    w.danger = dl[1];
    w.deaths_today = dl[2];
    w.civilian_deaths = dl[3];
    w.project_damage = dl[4];
    w.fatalities = da;
    w.fatalities_at = fat_at;
    w.clashes_today = il[0];
    w.attacks_today = il[1];
    w.strikes_today = il[2];
    w.posture = posture;
    w.coordination = coordination;
    w.civ_count = civ_count;
    w.civ_active = civ_l;
    w.civ_returns = civ_l + nl;
    w.civ_deported = civ_l + 2 * nl;
    w.civ_deaths = civ_l + 3 * nl;
    w.civ_on_route = civ_r;
    w.civ_flow = civ_r + 1;
    w.civ_route_deaths = civ_r + 2;
    w.ceasefire_left = ceasefire_left;
    w.iv_interdep = iv_interdep;
    w.pw_threat = threat;
    w.n_threads = 1;

    const char *path = DR_BINARY_DIR "/test_output_large.h5";
    remove(path);
    dr_observer *obs = dr_h5_observer_create(path, NULL, stderr);
    CU_ASSERT_FATAL(obs != NULL);
    CU_ASSERT_EQUAL_FATAL(obs->begin(obs->ctx, &w), 0);
    for (int64_t t = 0; t < LDAYS; t++) {
        for (size_t i = 0; i < na * nl; i++) {
            force[i] = (double)i + 0.25 * (double)t;
            fat_at[i] = (double)((i + (size_t)t) % 3);
        }
        CU_ASSERT_EQUAL(obs->tick(obs->ctx, &w, t), 0);
    }
    CU_ASSERT_EQUAL(obs->end(obs->ctx, &w, 0), 0);
    dr_h5_observer_destroy(obs);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);
    hsize_t c[3] = {0, 0, 0};
    CU_ASSERT_EQUAL(chunk_of(f, "forces", c), 3);
    for (int k = 0; k < 3; k++) CU_ASSERT_EQUAL(c[k], want_forces[k]);
    CU_ASSERT_EQUAL(chunk_of(f, "fatalities_by_location", c), 3);
    for (int k = 0; k < 3; k++) CU_ASSERT_EQUAL(c[k], want_forces[k]);
    CU_ASSERT(c[0] * c[1] * c[2] * sizeof(double) <= 128 * 1024);
    CU_ASSERT_EQUAL(chunk_of(f, "civilian_deaths", c), 2);
    CU_ASSERT_EQUAL(c[0], want_loc[0]);
    CU_ASSERT_EQUAL(c[1], want_loc[1]);
    double *back = malloc(LDAYS * na * nl * sizeof *back);
    CU_ASSERT_FATAL(back != NULL);
    CU_ASSERT_EQUAL(read_all(f, "forces", H5T_NATIVE_DOUBLE, back), 0);
    size_t bad = 0;
    for (size_t t = 0; t < LDAYS; t++)
        for (size_t i = 0; i < na * nl; i++)
            if (back[t * na * nl + i] != (double)i + 0.25 * (double)t) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    /* Regions not given (NULL in a hand-built world) are written as "". */
    hid_t rd = H5Dopen2(f, "location_region", H5P_DEFAULT);
    CU_ASSERT_FATAL(rd >= 0);
    hid_t rt = utf8_type();
    char **regions = calloc(nl, sizeof *regions);
    CU_ASSERT_FATAL(regions != NULL);
    CU_ASSERT(H5Dread(rd, rt, H5S_ALL, H5S_ALL, H5P_DEFAULT, regions) >= 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(regions[nl - 1]);
    CU_ASSERT_STRING_EQUAL(regions[nl - 1], "");
    for (size_t l = 0; l < nl; l++) H5free_memory(regions[l]);
    free(regions);
    H5Tclose(rt);
    H5Dclose(rd);
    CU_ASSERT_EQUAL(read_all(f, "fatalities_by_location", H5T_NATIVE_DOUBLE, back), 0);
    bad = 0;
    for (size_t t = 0; t < LDAYS; t++)
        for (size_t i = 0; i < na * nl; i++)
            if (back[t * na * nl + i] != (double)((i + t) % 3)) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    free(back);
    H5Fclose(f);
    remove(path);
    for (int k = 0; k < 5; k++) free(dl[k]);
    for (int k = 0; k < 3; k++) free(il[k]);
    free(civ_count);
    free(civ_l);
    free(da);
    free(threat);
    free(fat_at);
    free(force);
    free(locs);
    free(actors);
}

static void test_large_world_chunks(void)
{
    /* 40 x 1000 doubles a day (312.5 KiB): one day, 16 actors a chunk;
     * a location row (7.8 KiB) keeps every day in one chunk. */
    const hsize_t f1[3] = {1, 16, 1000}, l1[2] = {3, 1000};
    check_large_world(40, 1000, f1, l1);
    /* 20000 locations (156 KiB a row): one actor a chunk, and the
     * location axis itself split into 16384-element pieces. */
    const hsize_t f2[3] = {1, 1, 16384}, l2[2] = {1, 16384};
    check_large_world(2, 20000, f2, l2);
}

static void test_inspect(void)
{
    fixture fx;
    fixture_init(&fx, 2);
    const char *path = DR_BINARY_DIR "/test_output_inspect.h5";
    CU_ASSERT_EQUAL(drive(&fx, path, 0, 1, stderr), 0);
    static char text[1 << 16];
    inspect_text(path, text, sizeof text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Output test"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "PAK-AFG"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "total deaths"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "border clash"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "2023-01-06")); /* day 5 */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "tension(time, dyad)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "-s actors.[TTP].fighters=8000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "forces(time, actor, location)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "fatalities_by_location(time, actor, location)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "location_region(location)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "posture(time, dyad)"));

    /* Headline totals against the closed forms. */
    double fat[N_ACTORS] = {0}, civ = 0.0;
    long long clashes = 0, attacks = 0, strikes = 0;
    for (int64_t t = 0; t < DAYS; t++) {
        for (size_t a = 0; a < N_ACTORS; a++) fat[a] += fatalities_at(t, a);
        for (size_t l = 0; l < N_LOCATIONS; l++) {
            civ += civilian_deaths_at(t, l);
            clashes += clashes_at(t, l);
            attacks += attacks_at(t, l);
            strikes += strikes_at(t, l);
        }
    }
    char want[256];
    static const char *const label[N_ACTORS] = {"PAK security forces",
                                                "AFG security forces", "TTP fighters"};
    for (size_t a = 0; a < N_ACTORS; a++) {
        snprintf(want, sizeof want, "%-28s %12.1f", label[a], fat[a]);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
    }
    snprintf(want, sizeof want, "%-28s %12.1f", "civilians", civ);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
    snprintf(want, sizeof want, "total clashes %lld, attacks %lld, strikes %lld", clashes,
             attacks, strikes);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
    /* Three state dyads (TTP-PAK has no posture); PAK-TTP, the most
     * hostile, first: 10 days of pressure, 30 of strike. */
    const char *ps = strstr(text, "top 3 of 3 state dyads");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    ps = strchr(ps, '\n');
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    CU_ASSERT_EQUAL(strncmp(ps + 1, "    PAK-TTP ", 12), 0);
    const char *eol = strchr(ps + 1, '\n');
    const char *pk = strstr(ps + 1, "cooperate 0 hold 0 pressure 10 strike 30");
    CU_ASSERT(pk != NULL && eol != NULL && pk < eol);
    /* The posture block (up to the crossings) does not list TTP-PAK. */
    const char *pe = strstr(ps, "crossings (");
    const char *ttp = strstr(ps, "TTP-PAK");
    CU_ASSERT(pe != NULL && (ttp == NULL || ttp > pe));
    remove(path);
    fixture_clear(&fx);
}

static void test_inspect_rejects_non_results(void)
{
    FILE *err = tmpfile();
    CU_ASSERT_FATAL(err != NULL);
    FILE *out = tmpfile();
    CU_ASSERT_FATAL(out != NULL);
    CU_ASSERT_EQUAL(dr_h5_inspect(DR_BINARY_DIR "/no_such_file.h5", out, err), 2);

    const char *text_path = DR_BINARY_DIR "/test_output_not_hdf5.h5";
    FILE *t = fopen(text_path, "w");
    CU_ASSERT_FATAL(t != NULL);
    fputs("this is not an HDF5 file\n", t);
    fclose(t);
    CU_ASSERT_EQUAL(dr_h5_inspect(text_path, out, err), 2);
    remove(text_path);

    /* HDF5, but not written by durand. */
    const char *plain = DR_BINARY_DIR "/test_output_plain.h5";
    hid_t f = H5Fcreate(plain, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);
    H5Fclose(f);
    CU_ASSERT_EQUAL(dr_h5_inspect(plain, out, err), 2);
    remove(plain);

    /* Every refusal said why, one line each. */
    rewind(err);
    char line[1024];
    int lines = 0;
    while (fgets(line, sizeof line, err)) lines++;
    CU_ASSERT_EQUAL(lines, 3);
    fclose(err);
    fclose(out);
}

/* ---- civilians of a real run ---------------------------------------- */

/* The head of a recording observer: the observer it is (obs.ctx = the
 * recorder) and the HDF5 observer it forwards every callback to. Every
 * recorder starts with its head, so fwd_begin, fwd_log and fwd_end take
 * any recorder as ctx. */
typedef struct fwd_head {
    dr_observer obs;
    dr_observer *inner; /* borrowed */
} fwd_head;

static int fwd_begin(void *ctx, const dr_world *w)
{
    fwd_head *c = ctx;
    return c->inner->begin(c->inner->ctx, w);
}

static int fwd_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    fwd_head *c = ctx;
    return c->inner->log(c->inner->ctx, w, e);
}

static int fwd_end(void *ctx, const dr_world *w, int status)
{
    fwd_head *c = ctx;
    return c->inner->end(c->inner->ctx, w, status);
}

/* Load `scenario` with overrides ov[n], create its world (the scenario's
 * seed, replication 0) and an HDF5 observer writing `path` (an old file
 * there removed first). */
static void open_run(const char *scenario, const char *const *ov, size_t n,
                     const char *path, dr_scenario **sc, dr_world **w, dr_observer **h5)
{
    *sc = dr_scenario_load(scenario, ov, n, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(*sc);
    *w = dr_world_create(*sc, (uint64_t)(*sc)->meta.seed, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(*w);
    remove(path);
    *h5 = dr_h5_observer_create(path, NULL, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(*h5);
}

/* Read a whole dataset of n values of elem bytes (mem_type) into a new
 * array (caller frees). */
static void *read_new(hid_t f, const char *name, hid_t mem_type, size_t elem, size_t n)
{
    void *v = malloc((n ? n : 1) * elem);
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT_EQUAL(read_all(f, name, mem_type, v), 0);
    return v;
}

static int64_t *read_i64(hid_t f, const char *name, size_t n)
{
    return read_new(f, name, H5T_NATIVE_INT64, sizeof(int64_t), n);
}

static double *read_f64(hid_t f, const char *name, size_t n)
{
    return read_new(f, name, H5T_NATIVE_DOUBLE, sizeof(double), n);
}

/* An observer around the HDF5 one that forwards every callback and keeps,
 * for each day, the world's civilian counts (in agents) that the file must
 * hold: per day a row of `stride` int64 laid out as below. */
typedef struct civ_record {
    fwd_head head;
    size_t nl, nr, stride;
    int64_t *rows; /* [days * stride] */
} civ_record;

/* Offsets within a day's row. */
#define REC_COUNT(c) 0
#define REC_ON_ROUTE(c) ((c)->nl * DR_AGENT_STATUS_COUNT)
#define REC_FLOW(c) (REC_ON_ROUTE(c) + (c)->nr)
#define REC_ROUTE_DEATHS(c) (REC_FLOW(c) + 2 * (c)->nr)
#define REC_RETURNS(c) (REC_ROUTE_DEATHS(c) + (c)->nr)
#define REC_DEPORTED(c) (REC_RETURNS(c) + (c)->nl)
#define REC_DEATHS(c) (REC_DEPORTED(c) + (c)->nl)
#define REC_ACTIVE(c) (REC_DEATHS(c) + (c)->nl)
#define REC_AGENTS(c) (REC_ACTIVE(c) + (c)->nl) /* agents.n, then civ_dead */

static int rec_tick(void *ctx, const dr_world *w, int64_t day)
{
    civ_record *c = ctx;
    int64_t *row = c->rows + (size_t)day * c->stride;
    const size_t nl = c->nl, nr = c->nr;
    memcpy(row + REC_COUNT(c), w->civ_count, nl * DR_AGENT_STATUS_COUNT * sizeof *row);
    memcpy(row + REC_ON_ROUTE(c), w->civ_on_route, nr * sizeof *row);
    memcpy(row + REC_FLOW(c), w->civ_flow, 2 * nr * sizeof *row);
    memcpy(row + REC_ROUTE_DEATHS(c), w->civ_route_deaths, nr * sizeof *row);
    memcpy(row + REC_RETURNS(c), w->civ_returns, nl * sizeof *row);
    memcpy(row + REC_DEPORTED(c), w->civ_deported, nl * sizeof *row);
    memcpy(row + REC_DEATHS(c), w->civ_deaths, nl * sizeof *row);
    memcpy(row + REC_ACTIVE(c), w->civ_active, nl * sizeof *row);
    row[REC_AGENTS(c)] = (int64_t)w->agents.n;
    row[REC_AGENTS(c) + 1] = w->civ_dead;
    return c->head.inner->tick(c->head.inner->ctx, w, day);
}

/*
 * scenarios/test/civilians.cfg at agent_scale 10 (so that persons and
 * agents differ), run through the engine with the HDF5 observer: every
 * civilian dataset equals the world's counts of that day times
 * agent_scale; everyone is somewhere (at a location, dead or alive, or on
 * a route) every day; the cumulative series are the running sums; a
 * closed crossing carries nobody; and the test network's rules show up:
 * deportations from `host`, returns to `origin_r`, flow across the
 * restricted crossing `xr`.
 */
static void test_civilians_scenario(void)
{
    const char *ov[] = {"scenario.agent_scale=10", "scenario.days=30"};
    const char *path = DR_BINARY_DIR "/test_output_civilians.h5";
    dr_scenario *sc;
    dr_world *w;
    dr_observer *h5;
    open_run(DR_SRC("scenarios/test/civilians.cfg"), ov, 2, path, &sc, &w, &h5);
    const size_t nl = w->n_locations, nr = w->n_routes, nc = w->n_crossings;
    const size_t ns = DR_AGENT_STATUS_COUNT, days = (size_t)sc->meta.days;
    const int64_t k = 10;
    civ_record rec = {{{0}, h5}, nl, nr, 0, NULL};
    rec.stride = nl * ns + 4 * nr + 4 * nl + 2;
    rec.rows = calloc(days * rec.stride, sizeof *rec.rows);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec.rows);
    rec.head.obs = (dr_observer){&rec, fwd_begin, rec_tick, fwd_log, fwd_end};
    dr_world_set_observer(w, &rec.head.obs);
    CU_ASSERT_EQUAL_FATAL(dr_world_run(w, NULL, NULL), 0);
    dr_h5_observer_destroy(h5);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);
    int64_t *civ = read_i64(f, "civilians", days * nl * ns);
    int64_t *on_route = read_i64(f, "civilians_on_route", days * nr);
    int64_t *rflow = read_i64(f, "route_flow", days * 2 * nr);
    int64_t *cflow = read_i64(f, "crossing_flow", days * 2 * nc);
    int64_t *ret = read_i64(f, "returns", days * nl);
    int64_t *dep = read_i64(f, "deportations", days * nl);
    int64_t *adeaths = read_i64(f, "civilian_agent_deaths", days * nl);
    int64_t *rdeaths = read_i64(f, "civilian_agent_deaths_on_route", days * nr);
    int64_t *mob = read_i64(f, "mobilised", days * nl);
    int64_t *displaced = read_i64(f, "displaced", days);
    int64_t *ret_cum = read_i64(f, "returns_cumulative", days);
    int64_t *dep_cum = read_i64(f, "deportations_cumulative", days);
    int8_t *status = malloc(days * (nc ? nc : 1));
    CU_ASSERT_FATAL(status != NULL);
    CU_ASSERT_EQUAL(read_all(f, "crossing_status", H5T_NATIVE_INT8, status), 0);
    H5Fclose(f);

    size_t host = dr_scenario_find_location(sc, "host");
    size_t origin_r = dr_scenario_find_location(sc, "origin_r");
    size_t xr = DR_NONE, xc = DR_NONE;
    for (size_t c = 0; c < nc; c++) {
        if (strcmp(w->routes[w->crossing_routes[c]].id, "xr") == 0) xr = c;
        if (strcmp(w->routes[w->crossing_routes[c]].id, "xc") == 0) xc = c;
    }
    CU_ASSERT_FATAL(host != DR_NONE && origin_r != DR_NONE && xr != DR_NONE &&
                    xc != DR_NONE);

    size_t mismatches = 0, closed_days = 0;
    int64_t sum_ret = 0, sum_dep = 0, xr_flow = 0, host_dep = 0, origin_ret = 0;
    for (size_t t = 0; t < days; t++) {
        const int64_t *row = rec.rows + t * rec.stride;
        int64_t everyone = 0, alive = 0, disp = 0;
        for (size_t i = 0; i < nl * ns; i++) {
            mismatches += civ[t * nl * ns + i] != k * row[REC_COUNT(&rec) + i];
            everyone += civ[t * nl * ns + i];
            if (i % ns != DR_AGENT_DEAD) alive += civ[t * nl * ns + i];
            if (i % ns == DR_AGENT_IDP || i % ns == DR_AGENT_REFUGEE ||
                i % ns == DR_AGENT_IN_TRANSIT)
                disp += civ[t * nl * ns + i];
        }
        for (size_t r = 0; r < nr; r++) {
            mismatches += on_route[t * nr + r] != k * row[REC_ON_ROUTE(&rec) + r];
            mismatches += rdeaths[t * nr + r] != k * row[REC_ROUTE_DEATHS(&rec) + r];
            for (size_t d = 0; d < 2; d++)
                mismatches +=
                    rflow[(t * nr + r) * 2 + d] != k * row[REC_FLOW(&rec) + 2 * r + d];
            everyone += on_route[t * nr + r];
            alive += on_route[t * nr + r];
            disp += on_route[t * nr + r];
        }
        for (size_t l = 0; l < nl; l++) {
            mismatches += ret[t * nl + l] != k * row[REC_RETURNS(&rec) + l];
            mismatches += dep[t * nl + l] != k * row[REC_DEPORTED(&rec) + l];
            mismatches += adeaths[t * nl + l] != k * row[REC_DEATHS(&rec) + l];
            mismatches += mob[t * nl + l] != k * row[REC_ACTIVE(&rec) + l];
            sum_ret += ret[t * nl + l];
            sum_dep += dep[t * nl + l];
        }
        /* Everyone, dead or alive, is counted once; the living are the
         * agents less the dead. */
        CU_ASSERT_EQUAL(everyone, k * row[REC_AGENTS(&rec)]);
        CU_ASSERT_EQUAL(alive, k * (row[REC_AGENTS(&rec)] - row[REC_AGENTS(&rec) + 1]));
        CU_ASSERT_EQUAL(displaced[t], disp);
        CU_ASSERT_EQUAL(ret_cum[t], sum_ret);
        CU_ASSERT_EQUAL(dep_cum[t], sum_dep);
        for (size_t c = 0; c < nc; c++) {
            const size_t r = w->crossing_routes[c];
            for (size_t d = 0; d < 2; d++)
                mismatches += cflow[(t * nc + c) * 2 + d] != rflow[(t * nr + r) * 2 + d];
            if (status[t * nc + c] == DR_CROSSING_CLOSED) {
                closed_days++;
                CU_ASSERT_EQUAL(cflow[(t * nc + c) * 2], 0);
                CU_ASSERT_EQUAL(cflow[(t * nc + c) * 2 + 1], 0);
            }
        }
        xr_flow += cflow[(t * nc + xr) * 2] + cflow[(t * nc + xr) * 2 + 1];
        host_dep += dep[t * nl + host];
        origin_ret += ret[t * nl + origin_r];
    }
    CU_ASSERT_EQUAL(mismatches, 0);
    CU_ASSERT(closed_days >= days); /* xc is closed throughout */
    CU_ASSERT(xr_flow > 0);
    CU_ASSERT(host_dep > 0 && host_dep % k == 0);
    CU_ASSERT(origin_ret > 0);
    CU_ASSERT(sum_dep == host_dep); /* only `host` deports */

    free(civ);
    free(on_route);
    free(rflow);
    free(cflow);
    free(ret);
    free(dep);
    free(adeaths);
    free(rdeaths);
    free(mob);
    free(displaced);
    free(ret_cum);
    free(dep_cum);
    free(status);
    free(rec.rows);
    remove(path);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

/* ---- interventions and external powers, through the engine ---------- */

/* Per day, what the world held at the observe phase, as doubles (every
 * integer involved is exact in a double): laid out as below. */
typedef struct iv_record {
    fwd_head head; /* forwards to the HDF5 observer */
    size_t na, nd, ni, stride;
    double *rows; /* [days * stride] */
    /* Log rows of the intervention kinds, in order. */
    dr_log_entry log[64];
    char notes[64][DR_ID_MAX];
    size_t n_log;
} iv_record;

#define IV_ACTIVE(c) 0
#define IV_COST(c) ((c)->ni)
#define IV_PROGRESS(c) (2 * (c)->ni)
#define IV_ROUNDS(c) (3 * (c)->ni)
#define IV_AGREEMENTS(c) (4 * (c)->ni)
#define IV_CEASEFIRE(c) (5 * (c)->ni)
#define IV_ALIGNMENT(c) (IV_CEASEFIRE(c) + (c)->nd)
#define IV_INTERDEP(c) (IV_ALIGNMENT(c) + (c)->nd)
#define IV_INVOLVEMENT(c) (IV_INTERDEP(c) + (c)->nd)
#define IV_THREAT(c) (IV_INVOLVEMENT(c) + (c)->na)
#define IV_RECRUITED(c) (IV_THREAT(c) + (c)->na)
#define IV_STRIDE(c) (IV_RECRUITED(c) + 1)

static int iv_tick(void *ctx, const dr_world *w, int64_t day)
{
    iv_record *c = ctx;
    double *row = c->rows + (size_t)day * c->stride;
    for (size_t k = 0; k < c->ni; k++) {
        row[IV_ACTIVE(c) + k] = w->iv_active[k];
        row[IV_COST(c) + k] = w->iv_cost[k];
        row[IV_PROGRESS(c) + k] = w->iv_progress[k];
        row[IV_ROUNDS(c) + k] = (double)w->iv_rounds[k];
        row[IV_AGREEMENTS(c) + k] = (double)w->iv_successes[k];
    }
    for (size_t d = 0; d < c->nd; d++) {
        row[IV_CEASEFIRE(c) + d] = (double)w->ceasefire_left[d];
        row[IV_ALIGNMENT(c) + d] = w->dyads[d].alignment;
        row[IV_INTERDEP(c) + d] = dr_interdependence(w, d);
    }
    for (size_t a = 0; a < c->na; a++) {
        int power = w->actors[a].kind == DR_ACTOR_POWER;
        row[IV_INVOLVEMENT(c) + a] = power ? w->actors[a].involvement : NAN;
        row[IV_THREAT(c) + a] = power ? w->pw_threat[a] : NAN;
    }
    row[IV_RECRUITED(c)] = w->recruited_today;
    return c->head.inner->tick(c->head.inner->ctx, w, day);
}

static int iv_log(void *ctx, const dr_world *w, const dr_log_entry *e)
{
    iv_record *c = ctx;
    if (e->kind >= DR_LOG_AGREEMENT && c->n_log < 64) {
        c->log[c->n_log] = *e;
        snprintf(c->notes[c->n_log], DR_ID_MAX, "%s", e->note);
        c->log[c->n_log].note = c->notes[c->n_log];
        c->n_log++;
    }
    return c->head.inner->log(c->head.inner->ctx, w, e);
}

/* A and B equal, or both NaN. */
static int same_or_nan(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Read the 1-D string variable `name` of n entries and compare it with
 * want[n]. */
static void check_strings(hid_t f, const char *name, const char *const *want, size_t n)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    CU_ASSERT_FATAL(d >= 0);
    hid_t st = utf8_type();
    char *got[8] = {NULL};
    CU_ASSERT_FATAL(n <= 8);
    CU_ASSERT_FATAL(H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    for (size_t k = 0; k < n; k++) {
        CU_ASSERT_STRING_EQUAL(got[k], want[k]);
        H5free_memory(got[k]);
    }
    H5Tclose(st);
    H5Dclose(d);
}

/*
 * scenarios/test/interventions.cfg (one intervention of each family and an
 * external power P mediating between A and B with b0 = 5) through the
 * engine with the HDF5 observer: every new series equals what the world
 * held that day; the static variables describe the scenario's
 * interventions; a fixed window is active exactly on start <= day < end;
 * the cost grows by the cost per active day; the generous mediation agrees
 * a ceasefire that shows in `ceasefire`, `intervention_agreements` and
 * the event log; involvement and threat are NaN except for the power.
 */
static void test_interventions_scenario(void)
{
    const char *path = DR_BINARY_DIR "/test_output_interventions.h5";
    dr_scenario *sc;
    dr_world *w;
    dr_observer *h5;
    open_run(DR_SRC("scenarios/test/interventions.cfg"), NULL, 0, path, &sc, &w, &h5);
    const size_t na = w->n_actors, nd = w->n_dyads, ni = w->n_interventions;
    const size_t days = (size_t)sc->meta.days;
    CU_ASSERT_EQUAL_FATAL(ni, 4);
    iv_record rec;
    memset(&rec, 0, sizeof rec);
    rec.head.inner = h5;
    rec.na = na;
    rec.nd = nd;
    rec.ni = ni;
    rec.stride = IV_STRIDE(&rec);
    rec.rows = calloc(days * rec.stride, sizeof *rec.rows);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec.rows);
    rec.head.obs = (dr_observer){&rec, fwd_begin, iv_tick, iv_log, fwd_end};
    dr_world_set_observer(w, &rec.head.obs);
    CU_ASSERT_EQUAL_FATAL(dr_world_run(w, NULL, NULL), 0);
    dr_h5_observer_destroy(h5);

    const size_t med = dr_scenario_find_intervention(sc, "med");
    const size_t tf = dr_scenario_find_intervention(sc, "tf");
    const size_t eco = dr_scenario_find_intervention(sc, "eco");
    const size_t P = dr_scenario_find_actor(sc, "P");
    const size_t A = dr_scenario_find_actor(sc, "A");
    const size_t B = dr_scenario_find_actor(sc, "B");
    const size_t ab = dr_scenario_find_dyad(sc, A, B);
    const size_t ba = dr_scenario_find_dyad(sc, B, A);
    CU_ASSERT_FATAL(med == 0 && tf == 1 && eco == 2 && P != DR_NONE && ab != DR_NONE &&
                    ba != DR_NONE);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);

    /* Static variables. */
    CU_ASSERT_EQUAL(dim_len(f, "intervention", 0), (long long)ni);
    static const char *const ids[4] = {"med", "tf", "eco", "out"};
    check_strings(f, "intervention", ids, ni);
    int8_t type[4], adaptive[4];
    int32_t start[4], end[4], mediator[4];
    double cost_per_day[4];
    CU_ASSERT_EQUAL(read_all(f, "intervention_type", H5T_NATIVE_INT8, type), 0);
    CU_ASSERT_EQUAL(read_all(f, "intervention_adaptive", H5T_NATIVE_INT8, adaptive), 0);
    CU_ASSERT_EQUAL(read_all(f, "intervention_start", H5T_NATIVE_INT32, start), 0);
    CU_ASSERT_EQUAL(read_all(f, "intervention_end", H5T_NATIVE_INT32, end), 0);
    CU_ASSERT_EQUAL(read_all(f, "intervention_mediator", H5T_NATIVE_INT32, mediator), 0);
    CU_ASSERT_EQUAL(
        read_all(f, "intervention_cost_per_day", H5T_NATIVE_DOUBLE, cost_per_day), 0);
    for (size_t k = 0; k < ni; k++) {
        CU_ASSERT_EQUAL(type[k], (int8_t)k); /* one of each family, in order */
        CU_ASSERT_EQUAL(adaptive[k], 0);
        CU_ASSERT_EQUAL(mediator[k], k == med ? (int32_t)P : -1);
        CU_ASSERT_DOUBLE_EQUAL(cost_per_day[k], sc->interventions[k].cost, 0.0);
    }
    CU_ASSERT_EQUAL(start[med], 10);
    CU_ASSERT_EQUAL(end[med], 150);
    CU_ASSERT_EQUAL(start[tf], 0);
    CU_ASSERT_EQUAL(end[tf], (int32_t)days); /* 36501 in the scenario */
    char buf[256];
    hid_t tv = H5Dopen2(f, "intervention_type", H5P_DEFAULT);
    CU_ASSERT_EQUAL(read_attr_string(tv, "flag_meanings", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "mediation task_force economic outreach");
    H5Dclose(tv);
    hid_t sv = H5Dopen2(f, "intervention_start", H5P_DEFAULT);
    CU_ASSERT_EQUAL(read_attr_string(sv, "units", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "days since 2024-01-01");
    H5Dclose(sv);
    hid_t cv = H5Dopen2(f, "intervention_cost", H5P_DEFAULT);
    CU_ASSERT_EQUAL(read_attr_string(cv, "units", buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "USD");
    H5Dclose(cv);

    /* The series equal the world's state of each day. */
    double *active = read_f64(f, "intervention_active", days * ni);
    double *cost = read_f64(f, "intervention_cost", days * ni);
    double *progress = read_f64(f, "intervention_progress", days * ni);
    double *rounds = read_f64(f, "intervention_rounds", days * ni);
    double *agreements = read_f64(f, "intervention_agreements", days * ni);
    double *cease = read_f64(f, "ceasefire", days * nd);
    double *align = read_f64(f, "alignment", days * nd);
    double *inter = read_f64(f, "interdependence", days * nd);
    double *involvement = read_f64(f, "involvement", days * na);
    double *threat = read_f64(f, "threat", days * na);
    double *recruited = read_f64(f, "recruited", days);
    struct {
        const double *file;
        size_t off, n;
    } cmp[] = {
        {active, IV_ACTIVE(&rec), ni},           {cost, IV_COST(&rec), ni},
        {progress, IV_PROGRESS(&rec), ni},       {rounds, IV_ROUNDS(&rec), ni},
        {agreements, IV_AGREEMENTS(&rec), ni},   {cease, IV_CEASEFIRE(&rec), nd},
        {align, IV_ALIGNMENT(&rec), nd},         {inter, IV_INTERDEP(&rec), nd},
        {involvement, IV_INVOLVEMENT(&rec), na}, {threat, IV_THREAT(&rec), na},
        {recruited, IV_RECRUITED(&rec), 1},
    };
    size_t mismatches = 0;
    for (size_t t = 0; t < days; t++) {
        const double *row = rec.rows + t * rec.stride;
        for (size_t q = 0; q < sizeof cmp / sizeof *cmp; q++)
            for (size_t i = 0; i < cmp[q].n; i++)
                mismatches +=
                    !same_or_nan(cmp[q].file[t * cmp[q].n + i], row[cmp[q].off + i]);
    }
    CU_ASSERT_EQUAL(mismatches, 0);

    /* Properties. */
    size_t window_errors = 0, cost_errors = 0, cease_days = 0, nan_errors = 0;
    double recruited_total = 0.0;
    for (size_t t = 0; t < days; t++) {
        for (size_t k = 0; k < ni; k++) {
            const int in = (int32_t)t >= start[k] && (int32_t)t < end[k];
            window_errors += active[t * ni + k] != (double)in;
            /* Running cost (the economic investment comes on top). */
            if (k != eco) {
                double before = t ? cost[(t - 1) * ni + k] : 0.0;
                cost_errors += fabs(cost[t * ni + k] - before -
                                    cost_per_day[k] * active[t * ni + k]) > 1e-9;
            }
            if (t) {
                CU_ASSERT(rounds[t * ni + k] >= rounds[(t - 1) * ni + k]);
                CU_ASSERT(agreements[t * ni + k] >= agreements[(t - 1) * ni + k]);
            }
            CU_ASSERT(progress[t * ni + k] >= 0.0 && progress[t * ni + k] <= 1.0);
        }
        cease_days += cease[t * nd + ab] > 0;
        CU_ASSERT_EQUAL(cease[t * nd + ab], cease[t * nd + ba]);
        for (size_t a = 0; a < na; a++) {
            int power = a == P;
            double v = involvement[t * na + a], x = threat[t * na + a];
            nan_errors += power ? !(v >= 0.0 && v <= 1.0 && x >= 0.0 && x <= 1.0)
                                : !(isnan(v) && isnan(x));
        }
        CU_ASSERT(inter[t * nd + ab] >= sc->dyads[ab].interdependence - 1e-12);
        CU_ASSERT(recruited[t] >= 0.0);
        recruited_total += recruited[t];
    }
    const size_t last = (days - 1) * ni;
    CU_ASSERT_EQUAL(window_errors, 0);
    CU_ASSERT_EQUAL(cost_errors, 0);
    CU_ASSERT_EQUAL(nan_errors, 0);
    CU_ASSERT_DOUBLE_EQUAL(cost[last + med], 140 * 1000.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cost[last + tf], (double)days * 500.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cost[last + eco], 1e6, 1e-3); /* investment, all spent */
    CU_ASSERT(progress[last + eco] > 0.9);
    CU_ASSERT(progress[last + 3] > 0.0); /* outreach reached some */
    CU_ASSERT(rounds[last + med] >= 1 && rounds[last + tf] >= 1);
    CU_ASSERT_EQUAL(rounds[last + eco], 0);
    CU_ASSERT(agreements[last + med] >= 1);
    CU_ASSERT_EQUAL(agreements[last + tf], 0);
    CU_ASSERT(cease_days > 0);
    CU_ASSERT(inter[(days - 1) * nd + ab] > sc->dyads[ab].interdependence);
    CU_ASSERT(recruited_total > 0.0);

    /* The event log: the new kinds as the engine logged them. */
    size_t ne = (size_t)dim_len(f, "event", 0);
    int32_t *eday = malloc(ne * sizeof *eday), *ea = malloc(ne * sizeof *ea);
    int32_t *eb = malloc(ne * sizeof *eb);
    int8_t *ekind = malloc(ne);
    double *evalue = malloc(ne * sizeof *evalue);
    char **enote = calloc(ne, sizeof *enote);
    CU_ASSERT_FATAL(eday && ea && eb && ekind && evalue && enote);
    CU_ASSERT_EQUAL(read_all(f, "event_day", H5T_NATIVE_INT32, eday), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_kind", H5T_NATIVE_INT8, ekind), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_actor_a", H5T_NATIVE_INT32, ea), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_actor_b", H5T_NATIVE_INT32, eb), 0);
    CU_ASSERT_EQUAL(read_all(f, "event_value", H5T_NATIVE_DOUBLE, evalue), 0);
    hid_t nv = H5Dopen2(f, "event_note", H5P_DEFAULT);
    hid_t st = utf8_type();
    CU_ASSERT_FATAL(H5Dread(nv, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, enote) >= 0);
    size_t q = 0, n_agree = 0, n_start = 0, n_end = 0;
    for (size_t i = 0; i < ne; i++) {
        if (ekind[i] < DR_LOG_AGREEMENT) continue;
        CU_ASSERT_FATAL(q < rec.n_log);
        const dr_log_entry *e = &rec.log[q++];
        CU_ASSERT_EQUAL(eday[i], e->day);
        CU_ASSERT_EQUAL(ekind[i], e->kind);
        CU_ASSERT_EQUAL(ea[i], e->actor_a == DR_NONE ? -1 : (int32_t)e->actor_a);
        CU_ASSERT_EQUAL(eb[i], e->actor_b == DR_NONE ? -1 : (int32_t)e->actor_b);
        CU_ASSERT_DOUBLE_EQUAL(evalue[i], e->value, 0.0);
        CU_ASSERT_STRING_EQUAL(enote[i], e->note);
        if (ekind[i] == DR_LOG_AGREEMENT) {
            n_agree++;
            CU_ASSERT_STRING_EQUAL(enote[i], "med");
            CU_ASSERT((ea[i] == (int32_t)A && eb[i] == (int32_t)B) ||
                      (ea[i] == (int32_t)B && eb[i] == (int32_t)A));
            CU_ASSERT_DOUBLE_EQUAL(evalue[i],
                                   (double)sc->interventions[med].ceasefire_days, 0.0);
            /* The ceasefire holds at the end of the day it was agreed. */
            CU_ASSERT_EQUAL(cease[(size_t)eday[i] * nd + ab],
                            (double)sc->interventions[med].ceasefire_days);
        } else if (ekind[i] == DR_LOG_INTERVENTION_START) {
            size_t k = (size_t)evalue[i];
            n_start++;
            CU_ASSERT_FATAL(k < ni);
            CU_ASSERT_STRING_EQUAL(enote[i], ids[k]);
            CU_ASSERT_EQUAL(eday[i], start[k]);
            CU_ASSERT_EQUAL(ea[i], k == med ? (int32_t)P : (int32_t)A);
        } else if (ekind[i] == DR_LOG_INTERVENTION_END) {
            n_end++;
            CU_ASSERT_STRING_EQUAL(enote[i], "med");
            CU_ASSERT_EQUAL(eday[i], end[med]);
            CU_ASSERT_DOUBLE_EQUAL(evalue[i], cost[(size_t)(end[med] - 1) * ni + med],
                                   0.0);
        }
    }
    CU_ASSERT_EQUAL(q, rec.n_log);
    CU_ASSERT_EQUAL(n_agree, (size_t)agreements[last + med]);
    CU_ASSERT_EQUAL(n_start, ni);
    CU_ASSERT_EQUAL(n_end, 1); /* only the mediation ends before the last day */
    for (size_t i = 0; i < ne; i++) H5free_memory(enote[i]);
    H5Tclose(st);
    H5Dclose(nv);
    H5Fclose(f);

    /* inspect prints a line per intervention. */
    static char text[1 << 16];
    inspect_text(path, text, sizeof text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "interventions (4)"));
    snprintf(buf, sizeof buf,
             "med              mediation   active 140 days, cost 140000 USD, "
             "%.0f ceasefires agreed",
             agreements[last + med]);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, buf));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "tf               task_force  active 180 days, "
                                        "cost 90000 USD"));

    free(eday);
    free(ea);
    free(eb);
    free(ekind);
    free(evalue);
    free(enote);
    free(active);
    free(cost);
    free(progress);
    free(rounds);
    free(agreements);
    free(cease);
    free(align);
    free(inter);
    free(involvement);
    free(threat);
    free(recruited);
    free(rec.rows);
    remove(path);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static const dr_test_case dr_tests[] = {
    {"values, units, scales and provenance round-trip", test_round_trip},
    {"a failed run leaves neither file nor .part", test_failed_run_leaves_nothing},
    {"destroy before end removes the .part file", test_destroy_without_end_removes_part},
    {"an empty event log is a valid zero-length dimension", test_empty_event_log},
    {"an unwritable path gives one error line", test_unwritable_path_reports_one_line},
    {"a tick outside the days fails and discards", test_tick_out_of_range_fails},
    {"datasets do not depend on the thread count", test_datasets_independent_of_threads},
    {"large worlds chunk one day, split along the entities", test_large_world_chunks},
    {"inspect summarises a result", test_inspect},
    {"civilian series equal the world's counts times agent_scale",
     test_civilians_scenario},
    {"interventions and powers: series, statics and log rows of a run",
     test_interventions_scenario},
    {"inspect returns 2 for missing and foreign files", test_inspect_rejects_non_results},
    {NULL, NULL},
};

DR_TEST_MAIN("output")
