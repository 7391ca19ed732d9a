/*
 * flee_settings.c — simsetting.yml: FLEE's settings with FLEE's defaults.
 *
 * Every key FLEE's SimulationSettings.ReadFromYML reads is known here.
 * Keys that FLEE's default rules use are stored; keys that only tune
 * logging are accepted and ignored; keys that switch on rules durand does
 * not implement (flood and food rules, demographics-dependent rules, fixed
 * routes, ...) are accepted only with their default value and otherwise
 * rejected, so a case never silently runs on other rules than it asks for.
 * Unknown keys are errors (a typo must not fall back to a default).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flee.h"
#include "flee_settings.h"

void dr_flee_settings_default(dr_flee_settings *s)
{
    memset(s, 0, sizeof *s);
    s->take_from_population = 0;
    s->insert_day0 = 1;
    s->empty_camps_on_day0 = 0;
    s->sum_from_camps = 1;
    s->conflict_spawn_decay = NULL;
    s->n_conflict_spawn_decay = 0;
    s->conflict_spawn_decay_interval = 30;
    s->max_move_speed = 360.0;
    s->max_walk_speed = 35.0;
    s->max_crossing_speed = 20.0;
    s->foreign_weight = 1.0;
    s->camp_weight = 1.0;
    s->conflict_weight = 1.0 / 3.16227766017; /* FLEE's 1/sqrt(10) constant */
    s->conflict_movechance = 1.0;
    s->camp_movechance = 0.001;
    s->idpcamp_movechance = 0.1;
    s->default_movechance = 0.3;
    s->awareness_level = 1;
    s->capacity_buffer = 0.9;
    s->capacity_scaling = 1.0;
    s->softening = 10.0;
    s->weight_softening = 0.0;
    s->weight_power = 1.0;
    s->distance_power = 1.0;
    s->use_v1_rules = 0;
    s->hasten = 1;
}

double dr_flee_conflict_decay(const dr_flee_settings *s, int64_t days_since_onset)
{
    if (!s->conflict_spawn_decay || s->n_conflict_spawn_decay == 0) return 1.0;
    if (days_since_onset < 0) days_since_onset = 0;
    int64_t interval =
        s->conflict_spawn_decay_interval > 0 ? s->conflict_spawn_decay_interval : 1;
    int64_t i = days_since_onset / interval;
    if (i > (int64_t)s->n_conflict_spawn_decay - 1)
        i = (int64_t)s->n_conflict_spawn_decay - 1;
    return s->conflict_spawn_decay[i];
}

/* How a key is handled. */
typedef enum key_use {
    K_IGNORE = 0,     /* accepted, no effect on results (logging) */
    K_BOOL,           /* stored int */
    K_DOUBLE,         /* stored double */
    K_INT,            /* stored int64_t */
    K_DECAY,          /* conflict_spawn_decay list */
    K_DEFAULT_BOOL,   /* a rule durand does not implement: only `def` */
    K_DEFAULT_DOUBLE, /* likewise, a number */
    K_ABSENT,         /* a rule durand does not implement: must not appear */
    K_ANY_IGNORE      /* accepted with any value, no effect */
} key_use;

typedef struct key_spec {
    const char *name;
    key_use use;
    size_t off;      /* offset in dr_flee_settings for stored keys */
    double lo, hi;   /* allowed range of numbers */
    double def;      /* the only accepted value of K_DEFAULT_* */
    const char *why; /* what the unimplemented rule is */
} key_spec;

#define OFF(f) offsetof(dr_flee_settings, f)
#define BIG 1e300

static const key_spec log_keys[] = {
    {"agent", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"link", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"camp", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"init", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"conflict", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"idp_totals", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"granularity", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {NULL, K_IGNORE, 0, 0, 0, 0, NULL},
};

static const key_spec spawn_keys[] = {
    {"take_from_population", K_BOOL, OFF(take_from_population), 0, 1, 0, NULL},
    {"insert_day0", K_BOOL, OFF(insert_day0), 0, 1, 0, NULL},
    {"empty_camps_on_day0", K_BOOL, OFF(empty_camps_on_day0), 0, 1, 0, NULL},
    {"sum_from_camps", K_BOOL, OFF(sum_from_camps), 0, 1, 0, NULL},
    {"conflict_spawn_decay", K_DECAY, 0, 0, BIG, 0, NULL},
    {"conflict_spawn_decay_interval", K_INT, OFF(conflict_spawn_decay_interval), 1, 1e9,
     0, NULL},
    /* FLEE reads these, but they change nothing under the default rules. */
    {"conflict_zone_spawning_only", K_DEFAULT_BOOL, 0, 0, 0, 1,
     "spawning outside conflict zones (only with food-security rules)"},
    {"average_social_connectivity", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    /* Rules durand does not implement. */
    {"flood_zone_spawning_only", K_DEFAULT_BOOL, 0, 0, 0, 0, "DFlee's flood rules"},
    {"camps_are_sicks", K_DEFAULT_BOOL, 0, 0, 0, 0, "camps deactivating agents"},
    {"read_from_agents_csv_file", K_DEFAULT_BOOL, 0, 0, 0, 0,
     "agents read from agents.csv"},
    {"starvation_driven_spawning", K_DEFAULT_BOOL, 0, 0, 0, 0,
     "food-security (IPC) spawning"},
    {"conflict_driven_spawning", K_ABSENT, 0, 0, 0, 0,
     "conflict-driven spawning (durand spawns from the validation data, FLEE's default)"},
    {"flood_driven_spawn_mode", K_ABSENT, 0, 0, 0, 0, "DFlee's flood spawning"},
    {NULL, K_IGNORE, 0, 0, 0, 0, NULL},
};

static const key_spec move_keys[] = {
    {"max_move_speed", K_DOUBLE, OFF(max_move_speed), 0, BIG, 0, NULL},
    {"max_walk_speed", K_DOUBLE, OFF(max_walk_speed), 0, BIG, 0, NULL},
    {"max_crossing_speed", K_DOUBLE, OFF(max_crossing_speed), 0, BIG, 0, NULL},
    {"foreign_weight", K_DOUBLE, OFF(foreign_weight), 0, BIG, 0, NULL},
    {"camp_weight", K_DOUBLE, OFF(camp_weight), 0, BIG, 0, NULL},
    {"conflict_weight", K_DOUBLE, OFF(conflict_weight), 0, BIG, 0, NULL},
    {"conflict_movechance", K_DOUBLE, OFF(conflict_movechance), 0, 1, 0, NULL},
    {"camp_movechance", K_DOUBLE, OFF(camp_movechance), 0, 1, 0, NULL},
    {"idpcamp_movechance", K_DOUBLE, OFF(idpcamp_movechance), 0, 1, 0, NULL},
    {"default_movechance", K_DOUBLE, OFF(default_movechance), 0, 1, 0, NULL},
    {"awareness_level", K_INT, OFF(awareness_level), 1, DR_AWARENESS_MAX, 0, NULL},
    {"capacity_buffer", K_DOUBLE, OFF(capacity_buffer), 0, 1, 0, NULL},
    {"capacity_scaling", K_DOUBLE, OFF(capacity_scaling), 0, BIG, 0, NULL},
    {"softening", K_DOUBLE, OFF(softening), 0, BIG, 0, NULL},
    {"weight_softening", K_DOUBLE, OFF(weight_softening), 0, BIG, 0, NULL},
    {"weight_power", K_DOUBLE, OFF(weight_power), 0, BIG, 0, NULL},
    {"distance_power", K_DOUBLE, OFF(distance_power), 0, BIG, 0, NULL},
    {"use_v1_rules", K_BOOL, OFF(use_v1_rules), 0, 1, 0, NULL},
    /* Rules durand does not implement: accepted at their defaults. */
    {"avoid_short_stints", K_DEFAULT_BOOL, 0, 0, 0, 0, "FLEE's short-stint rule"},
    {"start_on_foot", K_DEFAULT_BOOL, 0, 0, 0, 0, "walking speed on the first link"},
    {"stay_close_to_home", K_DEFAULT_BOOL, 0, 0, 0, 0, "distance-to-home weighting"},
    {"home_distance_power", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"use_pop_for_loc_weight", K_DEFAULT_BOOL, 0, 0, 0, 0, "population-weighted scores"},
    {"pop_power_for_loc_weight", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"movechance_pop_base", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"movechance_pop_scale_factor", K_DEFAULT_DOUBLE, 0, 0, 0, 0.0,
     "population-scaled move chances"},
    {"pruning_threshold", K_DEFAULT_DOUBLE, 0, 0, 0, 1.0, "route pruning"},
    {"WomenAvoidHazards", K_DEFAULT_BOOL, 0, 0, 0, 0, "demographic rules"},
    {"ChildrenAvoidHazards", K_DEFAULT_BOOL, 0, 0, 0, 0, "demographic rules"},
    {"ElderlyAvoidHazards", K_DEFAULT_BOOL, 0, 0, 0, 0, "demographic rules"},
    {"BoysTakeRisk", K_DEFAULT_BOOL, 0, 0, 0, 0, "demographic rules"},
    {"MatchCampReligion", K_DEFAULT_BOOL, 0, 0, 0, 0, "demographic rules"},
    {"MatchCampEthnicity", K_DEFAULT_BOOL, 0, 0, 0, 0, "demographic rules"},
    {"MatchTownEthnicity", K_DEFAULT_BOOL, 0, 0, 0, 0, "demographic rules"},
    {"MatchConflictEthnicity", K_DEFAULT_BOOL, 0, 0, 0, 0, "demographic rules"},
    {"avg_religion_fraction", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"fixed_routes", K_DEFAULT_BOOL, 0, 0, 0, 0, "fixed location routes"},
    {"two_system_decision_making", K_DEFAULT_BOOL, 0, 0, 0, 0, "two-system decisions"},
    {"use_economic_pull", K_DEFAULT_BOOL, 0, 0, 0, 0, "economic pull factors"},
    {"harvest_months", K_ABSENT, 0, 0, 0, 0, "farming rules"},
    {"flee_when_starving", K_DEFAULT_BOOL, 0, 0, 0, 0, "food-security rules"},
    {"avoid_food_deprived_locations", K_DEFAULT_BOOL, 0, 0, 0, 0, "food-security rules"},
    {"flood_rules", K_ABSENT, 0, 0, 0, 0, "DFlee's flood rules"},
    {NULL, K_IGNORE, 0, 0, 0, 0, NULL},
};

static const key_spec opt_keys[] = {
    {"hasten", K_INT, OFF(hasten), 1, 1e9, 0, NULL},
    {NULL, K_IGNORE, 0, 0, 0, 0, NULL},
};

/* Top-level scalars FLEE reads. */
static const key_spec top_keys[] = {
    {"number_of_steps", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"conflict_input_file", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"flood_level_input_file", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {"default_conflict_intensity", K_ANY_IGNORE, 0, 0, 0, 0, NULL},
    {NULL, K_IGNORE, 0, 0, 0, 0, NULL},
};

static void key_list(const key_spec *t, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; t[i].name; i++) {
        size_t m = strlen(buf);
        snprintf(buf + m, n - m, "%s%s", i ? ", " : "", t[i].name);
    }
}

/* Apply one key of a section. */
static void apply_key(const dr_yaml *y, const key_spec *k, const char *section,
                      dr_flee_settings *s, const char *path, dr_flee_errs *e)
{
    char full[160];
    snprintf(full, sizeof full, "%s.%s", section, y->key);
    const char *v = y->kind == DR_YAML_SCALAR
                        ? y->value
                        : (y->kind == DR_YAML_LIST ? "[...]" : "{...}");
    char *base = (char *)s;
    switch (k->use) {
    case K_IGNORE:
    case K_ANY_IGNORE:
        return;
    case K_BOOL: {
        int b;
        if (dr_yaml_bool(y, &b)) {
            dr_flee_error(e, path, y->line, full, v, "True or False");
            return;
        }
        *(int *)(base + k->off) = b;
        return;
    }
    case K_DOUBLE: {
        double d;
        if (dr_yaml_double(y, &d) || d < k->lo || d > k->hi) {
            if (k->hi >= BIG)
                dr_flee_error(e, path, y->line, full, v, "a number >= %g", k->lo);
            else
                dr_flee_error(e, path, y->line, full, v, "a number in [%g, %g]", k->lo,
                              k->hi);
            return;
        }
        *(double *)(base + k->off) = d;
        return;
    }
    case K_INT: {
        long long i;
        if (dr_yaml_int(y, &i) || (double)i < k->lo || (double)i > k->hi) {
            dr_flee_error(e, path, y->line, full, v, "an integer in [%.0f, %.0f]", k->lo,
                          k->hi);
            return;
        }
        *(int64_t *)(base + k->off) = (int64_t)i;
        return;
    }
    case K_DECAY: {
        if (y->kind == DR_YAML_SCALAR && !strcmp(y->value, "") && !y->quoted) return;
        if (y->kind == DR_YAML_SCALAR &&
            (!strcmp(y->value, "null") || !strcmp(y->value, "~")))
            return;
        if (y->kind != DR_YAML_LIST || y->n == 0) {
            dr_flee_error(e, path, y->line, full, v,
                          "a non-empty list of factors such as [1.0, 1.0, 0.5]");
            return;
        }
        double *d = malloc(y->n * sizeof *d);
        if (!d) {
            dr_flee_error(e, path, y->line, full, NULL, "%s", "memory");
            return;
        }
        for (size_t i = 0; i < y->n; i++)
            if (dr_yaml_double(&y->items[i], &d[i]) || d[i] < 0) {
                char item[200];
                snprintf(item, sizeof item, "%s[%zu]", full, i);
                dr_flee_error(e, path, y->items[i].line, item,
                              y->items[i].kind == DR_YAML_SCALAR ? y->items[i].value
                                                                 : "[...]",
                              "a number >= 0");
                free(d);
                return;
            }
        free(s->conflict_spawn_decay);
        s->conflict_spawn_decay = d;
        s->n_conflict_spawn_decay = y->n;
        return;
    }
    case K_DEFAULT_BOOL: {
        int b;
        if (dr_yaml_bool(y, &b)) {
            dr_flee_error(e, path, y->line, full, v, "True or False");
            return;
        }
        if (b != (int)k->def)
            dr_flee_error(e, path, y->line, full, v, "%s (durand does not implement %s)",
                          k->def ? "True" : "False", k->why);
        return;
    }
    case K_DEFAULT_DOUBLE: {
        double d;
        if (dr_yaml_double(y, &d)) {
            dr_flee_error(e, path, y->line, full, v, "a number");
            return;
        }
        if (d != k->def)
            dr_flee_error(e, path, y->line, full, v, "%g (durand does not implement %s)",
                          k->def, k->why);
        return;
    }
    case K_ABSENT:
        dr_flee_error(e, path, y->line, full, v,
                      "no such setting (durand does not implement %s)", k->why);
        return;
    }
}

static void apply_section(const dr_yaml *sec, const key_spec *table, dr_flee_settings *s,
                          const char *path, dr_flee_errs *e)
{
    if (sec->kind == DR_YAML_SCALAR && !sec->quoted &&
        (!strcmp(sec->value, "") || !strcmp(sec->value, "null") ||
         !strcmp(sec->value, "~")))
        return; /* "section:" with nothing under it: all defaults */
    if (sec->kind != DR_YAML_MAP) {
        dr_flee_error(e, path, sec->line, sec->key, NULL, "%s",
                      "a map of settings below it");
        return;
    }
    for (size_t i = 0; i < sec->n; i++) {
        const dr_yaml *y = &sec->items[i];
        const key_spec *k = NULL;
        for (size_t j = 0; table[j].name; j++)
            if (!strcmp(table[j].name, y->key)) k = &table[j];
        if (!k) {
            char list[2048], full[160];
            key_list(table, list, sizeof list);
            snprintf(full, sizeof full, "%s.%s", sec->key, y->key);
            dr_flee_error(e, path, y->line, full, NULL,
                          "one of the settings FLEE reads in %s: %s", sec->key, list);
            continue;
        }
        apply_key(y, k, sec->key, s, path, e);
    }
}

int dr_flee_settings_read(dr_flee_settings *s, const char *text, const char *path,
                          dr_flee_errs *e)
{
    int before = e->n;
    dr_yaml root;
    if (dr_yaml_parse(text, path, &root, e)) return -1;
    for (size_t i = 0; i < root.n; i++) {
        const dr_yaml *y = &root.items[i];
        if (!strcmp(y->key, "log_levels"))
            apply_section(y, log_keys, s, path, e);
        else if (!strcmp(y->key, "spawn_rules"))
            apply_section(y, spawn_keys, s, path, e);
        else if (!strcmp(y->key, "move_rules"))
            apply_section(y, move_keys, s, path, e);
        else if (!strcmp(y->key, "optimisations"))
            apply_section(y, opt_keys, s, path, e);
        else {
            const key_spec *k = NULL;
            for (size_t j = 0; top_keys[j].name; j++)
                if (!strcmp(top_keys[j].name, y->key)) k = &top_keys[j];
            if (!k)
                dr_flee_error(
                    e, path, y->line, y->key, NULL,
                    "one of log_levels, spawn_rules, move_rules, optimisations, "
                    "number_of_steps, conflict_input_file, flood_level_input_file, "
                    "default_conflict_intensity");
        }
    }
    dr_yaml_clear(&root);
    if (s->use_v1_rules) {
        /* FLEE 1's rules, as ReadFromYML overrides them. */
        s->max_move_speed = 200.0;
        s->camp_weight = 2.0;
        s->conflict_weight = 0.25;
    }
    return e->n > before ? -1 : 0;
}
