/*
 * flee.h — FLEE case directories read unchanged, FLEE's validation metric,
 * and the FLEE driver (spawning plan, conflicts, closures).
 *
 * FLEE (djgroen/flee; Suleimenova, Bell & Groen 2017) describes a case as a
 * directory of CSV files plus a YAML settings file (the format is summarised
 * in ../shared/data/flee/README.md and in README.md, "FLEE cases"). The
 * reader (flee_load.c) turns such a directory into two values:
 *
 *   - a dr_scenario the engine runs like any other (countries become state
 *     actors, locations and routes keep their names, populations are in
 *     persons and agent_scale is FLEE's `hasten`), and
 *   - a dr_flee_case with what only FLEE has: the settings of simsetting.yml,
 *     the conflict intensity of every location on every day, closures,
 *     location type changes, and the observed camp populations that drive
 *     spawning and score the run.
 *
 * Like the scenario loader, the reader validates everything once and
 * reports each problem as one line "FILE:LINE: field = value: expected ...";
 * the program then exits with DR_EXIT_INPUT. It includes neither libconfig
 * nor HDF5.
 *
 * Counts in the dr_flee_case (camp data, day-0 populations, spawn numbers,
 * capacities) are in *agents*, i.e. persons divided by `hasten`, as FLEE
 * counts them; the scenario's populations stay in persons.
 */
#ifndef DR_FLEE_H
#define DR_FLEE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

struct dr_world;

/* FLEE's location kinds, matched on the location_type text by substring in
 * FLEE's order: camp (idp camp when it also contains "idp"), conflict,
 * forward, marker, anything else town. */
typedef enum dr_flee_kind {
    DR_FLEE_TOWN = 0,
    DR_FLEE_CONFLICT = 1,
    DR_FLEE_CAMP = 2,
    DR_FLEE_IDPCAMP = 3,
    DR_FLEE_FORWARD = 4, /* forwarding hub: move chance 1 */
    DR_FLEE_MARKER = 5,  /* waypoint, transparent to route search */
    DR_FLEE_KIND_COUNT
} dr_flee_kind;

extern const char *const dr_flee_kind_names[DR_FLEE_KIND_COUNT];

/* Closure types of closures.csv. */
typedef enum dr_flee_closure_type {
    DR_FLEE_CLOSE_COUNTRY = 0,            /* every route between two countries */
    DR_FLEE_CLOSE_LOCATION = 1,           /* every route of one location */
    DR_FLEE_CLOSE_LINK = 2,               /* one route (FLEE ignores these; durand
                                             applies them) */
    DR_FLEE_CLOSE_CAMP = 3,               /* a camp is a town meanwhile */
    DR_FLEE_CLOSE_IDPCAMP = 4,            /* an IDP camp is a town meanwhile */
    DR_FLEE_CLOSE_FORCED_REDIRECTION = 5, /* remove_forced_redirection:
                                             no effect on routing */
    DR_FLEE_CLOSURE_TYPE_COUNT
} dr_flee_closure_type;

extern const char *const dr_flee_closure_type_names[DR_FLEE_CLOSURE_TYPE_COUNT];

typedef struct dr_flee_closure {
    dr_flee_closure_type type;
    size_t a, b;   /* country: actor indices; location/camp: location a
                      (b = DR_NONE); link, forced redirection: locations */
    int64_t start; /* day it takes effect */
    int64_t end;   /* day it is lifted; -1 or any day not in the run: never */
    int line;      /* line in closures.csv */
} dr_flee_closure;

/* A row of location_changes.csv: on `day`, location becomes `kind`. */
typedef struct dr_flee_change {
    size_t location;
    dr_flee_kind kind;
    int64_t day;
} dr_flee_change;

/* simsetting.yml, with FLEE's defaults for absent keys (FLEE's
 * SimulationSettings.ReadFromYML). Only settings that FLEE's default rules
 * use are kept; settings that switch on rules durand does not implement are
 * rejected by the reader unless they hold their default value. */
typedef struct dr_flee_settings {
    /* spawn_rules */
    int take_from_population;     /* spawned agents leave the population; 0 */
    int insert_day0;              /* day-0 camp data placed in camps; 1 */
    int empty_camps_on_day0;      /* no day-0 agents at all; 0 */
    int sum_from_camps;           /* spawn from camp data, not total; 1 */
    double *conflict_spawn_decay; /* owned, factor per interval; NULL: none */
    size_t n_conflict_spawn_decay;
    int64_t conflict_spawn_decay_interval; /* days; 30 */
    /* move_rules */
    double max_move_speed;      /* km/day; 360 */
    double max_walk_speed;      /* km/day; 35 */
    double max_crossing_speed;  /* km/day; 20 */
    double foreign_weight;      /* score factor; 1 */
    double camp_weight;         /* score factor; 1 */
    double conflict_weight;     /* score base; 1/sqrt(10) */
    double conflict_movechance; /* per day; 1 */
    double camp_movechance;     /* per day; 0.001 */
    double idpcamp_movechance;  /* per day; 0.1 */
    double default_movechance;  /* per day; 0.3 */
    int64_t awareness_level;    /* hops; 1 */
    double capacity_buffer;     /* share of capacity; 0.9 */
    double capacity_scaling;    /* capacity factor; 1 */
    double softening;           /* km added to route length; 10 */
    double weight_softening;    /* added to scores; 0 */
    double weight_power;        /* exponent on route weights; 1 */
    double distance_power;      /* exponent on route length; 1 */
    int use_v1_rules;           /* FLEE 1 overrides applied; 0 */
    /* optimisations */
    int64_t hasten; /* persons per agent; 1 */
} dr_flee_settings;

/* Set every setting to FLEE's default (no simsetting.yml). */
void dr_flee_settings_default(dr_flee_settings *s);

/* Decay factor of FLEE's conflict_spawn_decay for a conflict that began
 * `days_since_onset` days ago: entry min(floor(d / interval), n - 1), or 1
 * without a list. Used for spawn weights and location scores alike. */
double dr_flee_conflict_decay(const dr_flee_settings *s, int64_t days_since_onset);

typedef struct dr_flee_case {
    char *dir;             /* owned: the directory as given */
    dr_scenario *scenario; /* owned: what the engine runs */
    dr_flee_settings settings;

    size_t n_locations;      /* = scenario->n_locations, same order */
    dr_flee_kind *kind;      /* [n_locations] kind at day 0 */
    int *foreign;            /* [n_locations] 1 outside the home country */
    int64_t *pop;            /* [n_locations] population in agents
                                (persons // hasten), FLEE's spawn weight */
    int64_t *capacity;       /* [n_locations] camp capacity in agents after
                                FLEE's rules (// hasten, x capacity_scaling,
                                minus the day-0 population); <= 0 unlimited */
    int *forced_redirection; /* [n_routes] routes.csv's flag (0, 1, 2) */

    int64_t days; /* sim_period Length */

    /* Conflict intensity of location l on day t at [t * n_locations + l]
     * (0 = no conflict), and the day of the onset that the day's conflict
     * began with (-1 when none): what conflicts.csv says, or without that
     * file the conflict_date of conflict_zone locations with intensity 1. */
    double *conflict; /* [days * n_locations] */
    int64_t *onset;   /* [days * n_locations] */

    dr_flee_closure *closures;
    size_t n_closures;
    dr_flee_change *changes;
    size_t n_changes;

    /* Validation data. Camps are the locations of kind camp or idpcamp at
     * day 0, in locations.csv order (FLEE's get_camp_names). Observed
     * values are FLEE's: interpolated linearly between dates, constant
     * outside, divided by hasten, truncated to whole agents. */
    size_t n_camps;
    size_t *camp_location; /* [n_camps] location index */
    double *camp_data;     /* [days * n_camps] observed agents */
    double *total_data;    /* [days] data_layout's first entry ("total") */
    int64_t *day0;         /* [n_camps] agents placed in each camp on day 0 */
    /* Agents FLEE spawns at conflict zones on each day: the increase of the
     * summed data since the day before, with decreases carried as debt
     * (day 0: none when insert_day0). */
    int64_t *new_agents; /* [days] */

    char **notes; /* owned: one line per ignored optional input */
    size_t n_notes;
} dr_flee_case;

/*
 * Read the FLEE case in directory `dir`: dir/input_csv/ (or the CSV files in
 * dir itself, as in FLEE's test_input_csv), dir/source_data/ (or
 * dir/refugee_data/), and dir/simsetting.yml (FLEE's defaults when absent).
 * On success returns a new case; on failure returns NULL after writing one
 * line per problem to `err` (the caller exits with DR_EXIT_INPUT).
 */
dr_flee_case *dr_flee_load(const char *dir, FILE *err);

/* dr_flee_load with optimisations.hasten replaced by `hasten` when it is
 * >= 1 (0: the case's own value), as `durand flee --hasten N` does. */
dr_flee_case *dr_flee_load_hasten(const char *dir, int64_t hasten, FILE *err);

/* Free a case and its scenario; accepts NULL. */
void dr_flee_case_destroy(dr_flee_case *fc);

/*
 * FLEE's error of one day (extract-validation-results.py):
 *   E = sum_c |sim_c - data_c| / max(1, sum_c data_c);
 * rescaled: sim_c is first multiplied by sum data / sum sim (all of sim is
 * taken as 0 when sum sim is 0).
 */
double dr_flee_day_error(const double *sim, const double *data, size_t n_camps,
                         int rescaled);

/* The averaged relative difference: the mean of dr_flee_day_error over
 * `days` rows of [day * n_camps + camp] arrays; 0 when days is 0. */
double dr_flee_ard(const double *sim, const double *data, size_t days, size_t n_camps,
                   int rescaled);

/*
 * The FLEE driver: what happens to a world each day before its phases run,
 * in FLEE's order (conflicts, spawning, closures), and the record of camp
 * populations the run is scored with. Agents are added with
 * dr_world_spawn (world.h) and counted from the world's civ_count.
 */
typedef struct dr_flee_driver dr_flee_driver;

/* Create a driver for case `fc` (borrowed; the world must be created from
 * fc->scenario). Returns NULL when memory runs out. */
dr_flee_driver *dr_flee_driver_create(const dr_flee_case *fc);
/* Free a driver; accepts NULL. */
void dr_flee_driver_destroy(dr_flee_driver *d);

/*
 * Prepare world `w` for its coming day t = w->day + 1 (call right before
 * dr_world_step):
 *   1. location changes of day t;
 *   2. conflict state of day t: a location in conflict has type
 *      conflict_zone (unless it is a camp), intensity[l] = FLEE's intensity
 *      and danger[l] = min(1, intensity x decay(t - onset)); others get the
 *      type of their FLEE kind and danger 0;
 *   3. spawning: on day 0 each camp's day-0 population in the camp (origin:
 *      the home country's first location); then new_agents[t] plus any
 *      carried agents at conflict zones, drawn multinomially with weight
 *      pop x intensity x decay(t - onset) from the keyed stream
 *      (seed, replication, DR_RNG_FLEE_SPAWN, 0, t), each at its conflict
 *      zone as origin. With no conflict zone of positive weight the agents
 *      are carried to the next day;
 *   4. closures starting or ending on day t: routes closed (status closed)
 *      while at least one closure covers them; camps closed become towns.
 *      (They are applied first, before step 2 sets the types, which is
 *      equivalent: spawning does not depend on closures.)
 * Returns 0, or the non-zero status of dr_world_spawn (-2: out of memory).
 */
int dr_flee_driver_before_day(dr_flee_driver *d, struct dr_world *w);

/* Record the simulated camp populations (agents at the camp, not on a
 * route, alive) after the day's phases. */
void dr_flee_driver_after_day(dr_flee_driver *d, const struct dr_world *w);

/* Agents placed at each location by the last before_day call
 * ([n_locations]: day-0 camp agents and conflict-zone draws). */
const int64_t *dr_flee_driver_spawned(const dr_flee_driver *d);

/* Simulated camp populations recorded so far, [day * n_camps + camp]
 * (days not yet recorded are 0), and how many days are recorded. */
const double *dr_flee_driver_camp_sim(const dr_flee_driver *d);
int64_t dr_flee_driver_days_recorded(const dr_flee_driver *d);
/* Agents not yet spawned for lack of a conflict zone with weight. */
int64_t dr_flee_driver_unplaced(const dr_flee_driver *d);
/* Agents spawned so far (day-0 camp agents included). */
int64_t dr_flee_driver_total_spawned(const dr_flee_driver *d);

#endif /* DR_FLEE_H */
