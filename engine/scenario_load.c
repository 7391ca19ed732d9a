/*
 * scenario_load.c — the scenario loader: libconfig file + overrides ->
 * validated dr_scenario. This is the only file of the project that includes
 * <libconfig.h>.
 *
 * How it works:
 *  1. The file is read verbatim (it is embedded in every result) and parsed
 *     with libconfig.
 *  2. Every "-s PATH=VALUE" override is applied to the libconfig tree; the
 *     settings it creates carry a hook pointing at the override text, so that
 *     errors about them name the override instead of a file line.
 *  3. The tree is validated against tables of setting descriptors (one table
 *     per group kind, below). The same tables validate the file, the
 *     overrides (which are part of the tree by then) and the values of `set`
 *     events, so each setting's type, range, default and "settable" flag is
 *     written exactly once.
 *  4. Cross-entry rules (references, duplicates, route and dyad rules) are
 *     checked, dyads are mirrored and events are sorted.
 *
 * Every problem found is written to the error stream as one line,
 * "FILE:LINE: PATH = VALUE: expected WHAT" (or "-s PATH=VALUE: ..." for an
 * override), and loading goes on to find more, up to DR_MAX_ERRORS.
 */
#include "scenario.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Error lines reported before the loader stops listing them. */
#define DR_MAX_ERRORS 20
/* Longest path or message piece that is formatted. */
#define DR_PATH_MAX 256
#define DR_MSG_MAX 1024
/* Segments in a path such as "model.relations.restraint". */
#define DR_MAX_SEGS 16
/* Largest scenario file, bytes: far above any hand-written scenario (the
 * flagship is under 100 KiB), low enough that a wrong file (a data dump,
 * /dev/zero) is refused before it is parsed. */
#define DR_TEXT_MAX ((size_t)16 << 20)
/* Most elements of one list (top-level lists and lists of ids): the
 * cross-checks between elements are quadratic, and this bound keeps a
 * loaded scenario's validation within seconds. */
#define DR_LIST_MAX 20000

/* ------------------------------------------------------------------------ */
/* Setting descriptors                                                       */
/* ------------------------------------------------------------------------ */

typedef enum field_type {
    F_FLOAT,   /* double; also accepts integers */
    F_INT,     /* int64_t; rejects floats */
    F_BOOL,    /* int, 0 or 1 */
    F_STRING,  /* char *, owned; min/max are length limits in characters */
    F_ID,      /* char[], [A-Za-z0-9_]{1,31} */
    F_ENUM,    /* enum stored as int: base + position in names */
    F_DATE,    /* char[11], YYYY-MM-DD within 1900..2200 */
    F_REF,     /* size_t index of an actor, location or route */
    F_REFS,    /* size_t * + size_t count: list of ids */
    F_STRINGS, /* char ** + size_t count: list of strings */
    F_GROUP,   /* nested group, described by `sub` */
    F_ANY      /* any scalar, kept as a config_setting_t * during loading */
} field_type;

enum field_flags {
    FL_REQ = 1u, /* required: no default */
    FL_SET = 2u  /* settable by `set` events */
};

typedef enum ref_table { REF_ACTOR, REF_LOCATION, REF_ROUTE } ref_table;

typedef struct table table;

typedef struct field {
    const char *name;
    field_type type;
    unsigned flags;
    unsigned kinds;           /* bit per discriminator value; 0 = every kind */
    size_t off;               /* offset of the destination in the element struct */
    size_t count_off;         /* F_REFS, F_STRINGS: offset of the size_t count */
    double min, max;          /* numbers: range; strings: length; lists: count */
    double def;               /* default of numbers, bools and enum codes */
    const char *const *names; /* F_ENUM */
    int n_names;
    int base;           /* F_ENUM: code of names[0] */
    ref_table ref;      /* F_REF, F_REFS */
    unsigned ref_kinds; /* allowed actor or route kinds (bits); 0 = any */
    const table *sub;   /* F_GROUP */
} field;

struct table {
    const char *what; /* element noun for messages, e.g. "actor" */
    const field *fields;
    size_t n;
    int disc;               /* index of the discriminator field, or -1 */
    dr_target_table target; /* where `set` events on this table write */
};

#define BIT(k) (1u << (k))
#define DR_FMAX 1e300 /* "no upper limit" for counts */

#define FLOAT_(nm, st, m, lo, hi, d, fl, k)                                              \
    {                                                                                    \
        .name = nm, .type = F_FLOAT, .flags = fl, .kinds = k, .off = offsetof(st, m),    \
        .min = lo, .max = hi, .def = d                                                   \
    }
#define INT_(nm, st, m, lo, hi, d, fl, k)                                                \
    {                                                                                    \
        .name = nm, .type = F_INT, .flags = fl, .kinds = k, .off = offsetof(st, m),      \
        .min = lo, .max = hi, .def = d                                                   \
    }
#define BOOL_(nm, st, m, d, fl, k)                                                       \
    {                                                                                    \
        .name = nm, .type = F_BOOL, .flags = fl, .kinds = k, .off = offsetof(st, m),     \
        .def = d                                                                         \
    }
#define STR_(nm, st, m, lo, hi, fl, k)                                                   \
    {                                                                                    \
        .name = nm, .type = F_STRING, .flags = fl, .kinds = k, .off = offsetof(st, m),   \
        .min = lo, .max = hi                                                             \
    }
#define ID_(nm, st, m, fl)                                                               \
    {                                                                                    \
        .name = nm, .type = F_ID, .flags = fl, .off = offsetof(st, m)                    \
    }
#define DATE_(nm, st, m, fl, k)                                                          \
    {                                                                                    \
        .name = nm, .type = F_DATE, .flags = fl, .kinds = k, .off = offsetof(st, m)      \
    }
#define ENUM_(nm, st, m, nms, nn, b, d, fl, k)                                           \
    {                                                                                    \
        .name = nm, .type = F_ENUM, .flags = fl, .kinds = k, .off = offsetof(st, m),     \
        .names = nms, .n_names = nn, .base = b, .def = d                                 \
    }
#define REF_(nm, st, m, rt, rk, fl, k)                                                   \
    {                                                                                    \
        .name = nm, .type = F_REF, .flags = fl, .kinds = k, .off = offsetof(st, m),      \
        .ref = rt, .ref_kinds = rk                                                       \
    }
#define REFS_(nm, st, m, cnt, rt, rk, lo, fl, k)                                         \
    {                                                                                    \
        .name = nm, .type = F_REFS, .flags = fl, .kinds = k, .off = offsetof(st, m),     \
        .count_off = offsetof(st, cnt), .ref = rt, .ref_kinds = rk, .min = lo,           \
        .max = DR_FMAX                                                                   \
    }
#define STRS_(nm, st, m, cnt, k)                                                         \
    {                                                                                    \
        .name = nm, .type = F_STRINGS, .kinds = k, .off = offsetof(st, m),               \
        .count_off = offsetof(st, cnt), .min = 0, .max = DR_FMAX                         \
    }
#define GROUP_(nm, st, m, sb, k)                                                         \
    {                                                                                    \
        .name = nm, .type = F_GROUP, .kinds = k, .off = m, .sub = sb                     \
    }
#define ANY_(nm, st, m, fl, k)                                                           \
    {                                                                                    \
        .name = nm, .type = F_ANY, .flags = fl, .kinds = k, .off = offsetof(st, m)       \
    }
#define TABLE(w, arr, d, t)                                                              \
    {                                                                                    \
        w, arr, sizeof(arr) / sizeof(arr[0]), d, t                                       \
    }

/* Largest int64 setting value, as a double that compares correctly. */
#define DR_I64MAX 9223372036854775807.0
/* Largest integer count of persons. */
#define DR_PERSONS_MAX 2e9

/* `scenario` */
static const field meta_fields[] = {
    STR_("name", dr_meta, name, 1, 200, FL_REQ, 0),
    STR_("description", dr_meta, description, 0, 4000, 0, 0),
    DATE_("start_date", dr_meta, start_date, FL_REQ, 0),
    INT_("days", dr_meta, days, 1, 36500, 365, 0, 0),
    INT_("seed", dr_meta, seed, 0, DR_I64MAX, 1, 0, 0),
    INT_("agent_scale", dr_meta, agent_scale, 1, 1000000, 1, 0, 0),
};
static const table meta_table = TABLE("scenario", meta_fields, -1, DR_TARGET_PARAMS);

/* `model.intensity` */
static const field intensity_fields[] = {
    BOOL_("enabled", dr_intensity_params, enabled, 1, FL_SET, 0),
    FLOAT_("decay_days", dr_intensity_params, decay_days, 0.1, 36500, 30.0, FL_SET, 0),
    FLOAT_("reference_deaths", dr_intensity_params, reference_deaths, 0.001, 1e9, 10.0,
           FL_SET, 0),
};
static const table intensity_table =
    TABLE("model.intensity", intensity_fields, -1, DR_TARGET_PARAMS);

/* `model.relations` */
static const field relations_fields[] = {
    BOOL_("enabled", dr_relations_params, enabled, 1, FL_SET, 0),
    FLOAT_("reactivity", dr_relations_params, reactivity, 0, 1, 0.01, FL_SET, 0),
    FLOAT_("restraint", dr_relations_params, restraint, 0, 1, 0.02, FL_SET, 0),
    FLOAT_("volatility", dr_relations_params, volatility, 0, 1, 0.005, FL_SET, 0),
    FLOAT_("interdependence_restraint", dr_relations_params, interdependence_restraint, 0,
           100, 1.0, FL_SET, 0),
    FLOAT_("trust_relaxation", dr_relations_params, trust_relaxation, 0, 1, 0.01, FL_SET,
           0),
};
static const table relations_table =
    TABLE("model.relations", relations_fields, -1, DR_TARGET_PARAMS);

/* Upper limits of the violence settings: generous bounds that catch a
 * misplaced decimal point without constraining any plausible calibration. */
#define DR_RATE_MAX 100.0     /* events/day, tempo factors, excitations */
#define DR_WEIGHT_MAX 10.0    /* weights that are not shares */
#define DR_MEAN_MAX 10000.0   /* mean persons per attack or strike */
#define DR_DAYS_MAX 36500.0   /* durations and memories, days */
#define DR_THRESHOLD_MAX 10.0 /* |posture thresholds|, propensity units */

/* `model.postures`. The three thresholds must also be in order (hold <=
 * pressure <= strike); check_thresholds() checks that once the group is
 * read, and check_set_thresholds() after the `set` events of every day. */
static const field posture_fields[] = {
    BOOL_("enabled", dr_posture_params, enabled, 1, FL_SET, 0),
    FLOAT_("threshold_hold", dr_posture_params, threshold_hold, -DR_THRESHOLD_MAX,
           DR_THRESHOLD_MAX, 0.15, FL_SET, 0),
    FLOAT_("threshold_pressure", dr_posture_params, threshold_pressure, -DR_THRESHOLD_MAX,
           DR_THRESHOLD_MAX, 0.35, FL_SET, 0),
    FLOAT_("threshold_strike", dr_posture_params, threshold_strike, -DR_THRESHOLD_MAX,
           DR_THRESHOLD_MAX, 0.6, FL_SET, 0),
    FLOAT_("noise", dr_posture_params, noise, 0, DR_WEIGHT_MAX, 0.05, FL_SET, 0),
    FLOAT_("w_interdependence", dr_posture_params, w_interdependence, 0, 1, 0.5, FL_SET,
           0),
    FLOAT_("w_hostility", dr_posture_params, w_hostility, 0, DR_WEIGHT_MAX, 0.2, FL_SET,
           0),
    FLOAT_("w_attacks", dr_posture_params, w_attacks, 0, DR_WEIGHT_MAX, 0.02, FL_SET, 0),
    FLOAT_("attack_memory_days", dr_posture_params, attack_memory_days, 0.1, DR_DAYS_MAX,
           14.0, FL_SET, 0),
    FLOAT_("hold_factor", dr_posture_params, hold_factor, 0, DR_RATE_MAX, 0.25, FL_SET,
           0),
    FLOAT_("pressure_factor", dr_posture_params, pressure_factor, 0, DR_RATE_MAX, 1.0,
           FL_SET, 0),
    FLOAT_("strike_factor", dr_posture_params, strike_factor, 0, DR_RATE_MAX, 2.0, FL_SET,
           0),
};
static const table posture_table =
    TABLE("model.postures", posture_fields, -1, DR_TARGET_PARAMS);

/* `model.clashes` */
static const field clash_fields[] = {
    BOOL_("enabled", dr_clash_params, enabled, 1, FL_SET, 0),
    FLOAT_("base_rate", dr_clash_params, base_rate, 0, DR_RATE_MAX, 0.02, FL_SET, 0),
    FLOAT_("force_reference", dr_clash_params, force_reference, 0.001, 1e8, 100.0, FL_SET,
           0),
    FLOAT_("coordination_damping", dr_clash_params, coordination_damping, 0, 1, 0.8,
           FL_SET, 0),
    FLOAT_("self_excitation", dr_clash_params, self_excitation, 0, DR_RATE_MAX, 0.1,
           FL_SET, 0),
    FLOAT_("cross_excitation", dr_clash_params, cross_excitation, 0, DR_RATE_MAX, 0.2,
           FL_SET, 0),
    FLOAT_("excitation_decay", dr_clash_params, excitation_decay, 0.001, DR_RATE_MAX, 0.5,
           FL_SET, 0),
    ENUM_("law", dr_clash_params, law, dr_lanchester_law_names, DR_LANCHESTER_LAW_COUNT,
          0, DR_LANCHESTER_SQUARE, FL_SET, 0),
    FLOAT_("engagement", dr_clash_params, engagement, 0, 1, 0.05, FL_SET, 0),
    FLOAT_("max_engaged", dr_clash_params, max_engaged, 1, 1e7, 200.0, FL_SET, 0),
    FLOAT_("duration_days", dr_clash_params, duration_days, 0.001, 365, 0.1, FL_SET, 0),
    FLOAT_("collateral", dr_clash_params, collateral, 0, DR_RATE_MAX, 0.2, FL_SET, 0),
    FLOAT_("density_reference", dr_clash_params, density_reference, 0.001, 1e10, 100000.0,
           FL_SET, 0),
    FLOAT_("tension_per_death", dr_clash_params, tension_per_death, 0, 1, 0.002, FL_SET,
           0),
    FLOAT_("trust_per_clash", dr_clash_params, trust_per_clash, 0, 1, 0.01, FL_SET, 0),
    FLOAT_("closure_probability", dr_clash_params, closure_probability, 0, 1, 0.2, FL_SET,
           0),
    FLOAT_("closure_mean_days", dr_clash_params, closure_mean_days, 1, DR_DAYS_MAX, 7.0,
           FL_SET, 0),
};
static const table clash_table =
    TABLE("model.clashes", clash_fields, -1, DR_TARGET_PARAMS);

/* `model.militants` */
static const field militant_fields[] = {
    BOOL_("enabled", dr_militant_params, enabled, 1, FL_SET, 0),
    FLOAT_("base_rate", dr_militant_params, base_rate, 0, DR_RATE_MAX, 0.01, FL_SET, 0),
    FLOAT_("fighter_exponent", dr_militant_params, fighter_exponent, 0, 2, 0.5, FL_SET,
           0),
    FLOAT_("w_grievance", dr_militant_params, w_grievance, 0, DR_WEIGHT_MAX, 1.0, FL_SET,
           0),
    FLOAT_("w_security", dr_militant_params, w_security, 0, 1, 0.5, FL_SET, 0),
    FLOAT_("w_coordination", dr_militant_params, w_coordination, 0, 1, 0.7, FL_SET, 0),
    FLOAT_("deaths_security", dr_militant_params, deaths_security, 0, DR_MEAN_MAX, 2.0,
           FL_SET, 0),
    FLOAT_("deaths_civilians", dr_militant_params, deaths_civilians, 0, DR_MEAN_MAX, 3.0,
           FL_SET, 0),
    FLOAT_("deaths_projects", dr_militant_params, deaths_projects, 0, DR_MEAN_MAX, 0.5,
           FL_SET, 0),
    FLOAT_("fighter_losses", dr_militant_params, fighter_losses, 0, DR_MEAN_MAX, 0.8,
           FL_SET, 0),
    FLOAT_("project_damage", dr_militant_params, project_damage, 0, 1, 0.05, FL_SET, 0),
    FLOAT_("recruitment", dr_militant_params, recruitment, 0, 1, 0.0005, FL_SET, 0),
    FLOAT_("counterinsurgency", dr_militant_params, counterinsurgency, 0, DR_RATE_MAX,
           0.002, FL_SET, 0),
    FLOAT_("tension_per_attack", dr_militant_params, tension_per_attack, 0, 1, 0.003,
           FL_SET, 0),
};
static const table militant_table =
    TABLE("model.militants", militant_fields, -1, DR_TARGET_PARAMS);

/* `model.strikes` */
static const field strike_fields[] = {
    BOOL_("enabled", dr_strike_params, enabled, 1, FL_SET, 0),
    FLOAT_("rate", dr_strike_params, rate, 0, DR_RATE_MAX, 0.2, FL_SET, 0),
    FLOAT_("fighters_killed", dr_strike_params, fighters_killed, 0, DR_MEAN_MAX, 10.0,
           FL_SET, 0),
    FLOAT_("civilians_killed", dr_strike_params, civilians_killed, 0, DR_MEAN_MAX, 3.0,
           FL_SET, 0),
    FLOAT_("retaliation_probability", dr_strike_params, retaliation_probability, 0, 1,
           0.5, FL_SET, 0),
    FLOAT_("retaliation_mean_days", dr_strike_params, retaliation_mean_days, 1, 365, 2.0,
           FL_SET, 0),
    FLOAT_("tension_per_strike", dr_strike_params, tension_per_strike, 0, 1, 0.05, FL_SET,
           0),
};
static const table strike_table =
    TABLE("model.strikes", strike_fields, -1, DR_TARGET_PARAMS);

/* `model.civilians`. awareness_level is not settable: the candidate routes
 * are enumerated once, at world creation, to that depth. */
#define CIV_(nm, m, lo, hi, d) FLOAT_(nm, dr_civilian_params, m, lo, hi, d, FL_SET, 0)
static const field civ_model_fields[] = {
    BOOL_("enabled", dr_civilian_params, enabled, 1, FL_SET, 0),
    CIV_("move_chance_default", move_chance_default, 0, 1, 0.3),
    CIV_("move_chance_conflict", move_chance_conflict, 0, 1, 1.0),
    CIV_("move_chance_camp", move_chance_camp, 0, 1, 0.001),
    CIV_("move_chance_crossing", move_chance_crossing, 0, 1, 1.0),
    CIV_("danger_weight", danger_weight, 0, 1, 0.0),
    CIV_("settled_factor", settled_factor, 0, 1, 0.0),
    CIV_("settled_danger_weight", settled_danger_weight, 0, 1, 0.0005),
    BOOL_("initial_settled", dr_civilian_params, initial_settled, 1, 0, 0),
    INT_("awareness_level", dr_civilian_params, awareness_level, 1, DR_AWARENESS_MAX, 1,
         0, 0),
    CIV_("max_move_speed", max_move_speed, 0, 1e5, 360.0),
    CIV_("foreign_weight", foreign_weight, 0, 1e6, 1.0),
    CIV_("camp_weight", camp_weight, 0, 1e6, 1.0),
    CIV_("conflict_weight", conflict_weight, 0, 1e6, 0.31622776601683794),
    CIV_("weight_softening", weight_softening, 0, 1e6, 0.0),
    CIV_("distance_softening", distance_softening, 0, 1e6, 10.0),
    CIV_("distance_power", distance_power, 0, DR_WEIGHT_MAX, 1.0),
    CIV_("weight_power", weight_power, 0, DR_WEIGHT_MAX, 1.0),
    CIV_("capacity_buffer", capacity_buffer, 0, 1, 0.9),
    CIV_("informal_speed", informal_speed, 0.001, 1, 0.5),
    CIV_("informal_death_rate", informal_death_rate, 0, DR_RATE_MAX, 0.001),
    CIV_("death_rate", death_rate, 0, DR_RATE_MAX, 0.0),
    CIV_("return_danger", return_danger, 0, 1, 0.1),
    INT_("return_days", dr_civilian_params, return_days, 0, 36500, 30, FL_SET, 0),
    CIV_("return_rate", return_rate, 0, DR_RATE_MAX, 0.0),
    CIV_("fear_return", fear_return, 0, DR_RATE_MAX, 0.0),
    CIV_("hardship_alpha", hardship_alpha, 0.01, 100, 1.0),
    CIV_("hardship_beta", hardship_beta, 0.01, 100, 1.0),
    CIV_("risk_alpha", risk_alpha, 0.01, 100, 1.0),
    CIV_("risk_beta", risk_beta, 0.01, 100, 1.0),
    CIV_("displacement_hardship", displacement_hardship, 0, 1, 0.1),
    CIV_("exposure_hardship", exposure_hardship, 0, 1, 0.01),
    BOOL_("mobilisation", dr_civilian_params, mobilisation, 1, FL_SET, 0),
    CIV_("arrest_constant", arrest_constant, 0, DR_RATE_MAX, 2.3),
    CIV_("activation_threshold", activation_threshold, 0, 1, 0.1),
    CIV_("security_ratio", security_ratio, 0, 1e6, 0.04 / 0.7),
    CIV_("recruitment_weight", recruitment_weight, 0, 1e6, 0.0),
    INT_("reserve_agents", dr_civilian_params, reserve_agents, 0, 2e9, 0, 0, 0),
};
#undef CIV_
static const table civ_model_table =
    TABLE("model.civilians", civ_model_fields, -1, DR_TARGET_PARAMS);

/* `model.interventions` (MODEL.md §3) */
#define IVP_(nm, m, lo, hi, d) FLOAT_(nm, dr_intervention_params, m, lo, hi, d, FL_SET, 0)
static const field iv_model_fields[] = {
    BOOL_("enabled", dr_intervention_params, enabled, 1, FL_SET, 0),
    IVP_("ceasefire_escalation", ceasefire_escalation, 0, 1, 0.5),
    IVP_("ceasefire_restraint", ceasefire_restraint, 0, DR_WEIGHT_MAX, 1.0),
    IVP_("mediation_restraint", mediation_restraint, 0, DR_WEIGHT_MAX, 0.5),
    IVP_("stalemate_memory_days", stalemate_memory_days, 0.1, DR_DAYS_MAX, 30.0),
    IVP_("stalemate_reference", stalemate_reference, 0.001, 1e9, 5.0),
};
#undef IVP_
static const table iv_model_table =
    TABLE("model.interventions", iv_model_fields, -1, DR_TARGET_PARAMS);

/* `model.powers` (MODEL.md §2 phase 9). The adaptive-mediation settings
 * are read once, when the loader creates the adaptive mediations. */
#define PWP_(nm, m, lo, hi, d) FLOAT_(nm, dr_power_params, m, lo, hi, d, FL_SET, 0)
static const field power_model_fields[] = {
    BOOL_("enabled", dr_power_params, enabled, 1, FL_SET, 0),
    PWP_("involvement_rate", involvement_rate, 0, 1, 0.02),
    PWP_("alignment_rate", alignment_rate, 0, 1, 0.01),
    PWP_("memory_days", memory_days, 0.1, DR_DAYS_MAX, 30.0),
    PWP_("instability_reference", instability_reference, 0.001, 1e9, 10.0),
    PWP_("displaced_reference", displaced_reference, 1, 1e10, 1e6),
    PWP_("project_reference", project_reference, 0.001, 1e9, 3.0),
    PWP_("project_weight", project_weight, 0, DR_WEIGHT_MAX, 1.0),
    FLOAT_("mediation_threshold", dr_power_params, mediation_threshold, 0, 1, 0.7, 0, 0),
    FLOAT_("mediation_cost", dr_power_params, mediation_cost, 0, 1e12, 50000.0, 0, 0),
};
#undef PWP_
static const table power_model_table =
    TABLE("model.powers", power_model_fields, -1, DR_TARGET_PARAMS);

/* `model` */
static const field model_fields[] = {
    GROUP_("intensity", dr_params, offsetof(dr_params, intensity), &intensity_table, 0),
    GROUP_("relations", dr_params, offsetof(dr_params, relations), &relations_table, 0),
    GROUP_("postures", dr_params, offsetof(dr_params, postures), &posture_table, 0),
    GROUP_("clashes", dr_params, offsetof(dr_params, clashes), &clash_table, 0),
    GROUP_("militants", dr_params, offsetof(dr_params, militants), &militant_table, 0),
    GROUP_("strikes", dr_params, offsetof(dr_params, strikes), &strike_table, 0),
    GROUP_("civilians", dr_params, offsetof(dr_params, civilians), &civ_model_table, 0),
    GROUP_("interventions", dr_params, offsetof(dr_params, interventions),
           &iv_model_table, 0),
    GROUP_("powers", dr_params, offsetof(dr_params, powers), &power_model_table, 0),
};
static const table model_table = TABLE("model", model_fields, -1, DR_TARGET_PARAMS);

/* Actor kinds as discriminator bits. */
#define K_STATE BIT(DR_ACTOR_STATE)
#define K_MILITANT BIT(DR_ACTOR_MILITANT)
#define K_POWER BIT(DR_ACTOR_POWER)
#define K_ORG BIT(DR_ACTOR_ORGANIZATION)

/* `actors.[i].targets` (militants) */
static const field targets_fields[] = {
    FLOAT_("security", dr_actor, target_security, 0, 1, 1.0, 0, 0),
    FLOAT_("civilians", dr_actor, target_civilians, 0, 1, 0.0, 0, 0),
    FLOAT_("projects", dr_actor, target_projects, 0, 1, 0.0, 0, 0),
};
static const table targets_table = TABLE("targets", targets_fields, -1, DR_TARGET_ACTOR);

/* `actors.[i].interests` (powers) */
static const field interests_fields[] = {
    FLOAT_("stability", dr_actor, interest_stability, 0, 1, 0.5, 0, 0),
    FLOAT_("refugees", dr_actor, interest_refugees, 0, 1, 0.0, 0, 0),
    FLOAT_("rivalry", dr_actor, interest_rivalry, 0, 1, 0.0, 0, 0),
    REFS_("projects", dr_actor, project_locations, n_project_locations, REF_LOCATION, 0,
          0, 0, 0),
};
static const table interests_table =
    TABLE("interests", interests_fields, -1, DR_TARGET_ACTOR);

/* `actors.[i]`; field 2 (kind) is the discriminator. */
static const field actor_fields[] = {
    ID_("id", dr_actor, id, FL_REQ),
    STR_("name", dr_actor, name, 1, 200, 0, 0),
    ENUM_("kind", dr_actor, kind, dr_actor_kind_names, DR_ACTOR_KIND_COUNT, 0, 0, FL_REQ,
          0),
    FLOAT_("strength", dr_actor, strength, 0, 1e8, 0.0, FL_SET, K_STATE),
    FLOAT_("economy", dr_actor, economy, 0, 1, 0.5, FL_SET, K_STATE),
    FLOAT_("resolve", dr_actor, resolve, 0, 1, 0.5, FL_SET, K_STATE),
    FLOAT_("legitimacy", dr_actor, legitimacy, 0, 1, 0.5, FL_SET, K_STATE),
    REF_("host", dr_actor, host, REF_ACTOR, K_STATE, FL_REQ, K_MILITANT),
    REF_("sanctuary", dr_actor, sanctuary, REF_ACTOR, K_STATE, 0, K_MILITANT),
    FLOAT_("fighters", dr_actor, fighters, 0, 1e7, 0.0, FL_SET, K_MILITANT),
    FLOAT_("recruitment_pool", dr_actor, recruitment_pool, 0, 1e8, 0.0, FL_SET,
           K_MILITANT),
    GROUP_("targets", dr_actor, 0, &targets_table, K_MILITANT),
    FLOAT_("lethality", dr_actor, lethality, 0, 100, 0.5, FL_SET, K_STATE | K_MILITANT),
    FLOAT_("involvement", dr_actor, involvement, 0, 1, 0.1, FL_SET, K_POWER),
    FLOAT_("leverage", dr_actor, leverage, 0, 1, 0.5, FL_SET, K_POWER),
    BOOL_("adaptive_mediator", dr_actor, adaptive_mediator, 0, 0, K_POWER),
    GROUP_("interests", dr_actor, 0, &interests_table, K_POWER),
    REFS_("members", dr_actor, members, n_members, REF_ACTOR, 0, 0, 0, K_ORG),
    FLOAT_("leverage", dr_actor, leverage, 0, 1, 0.3, FL_SET, K_ORG),
};
static const table actor_table = TABLE("actor", actor_fields, 2, DR_TARGET_ACTOR);

/* `locations.[i]` */
static const field location_fields[] = {
    ID_("id", dr_location, id, FL_REQ),
    STR_("name", dr_location, name, 1, 200, 0, 0),
    REF_("country", dr_location, country, REF_ACTOR, K_STATE, FL_REQ, 0),
    ENUM_("type", dr_location, type, dr_location_type_names, DR_LOC_TYPE_COUNT, 0, 0,
          FL_REQ, 0),
    FLOAT_("lat", dr_location, lat, -90, 90, 0, FL_REQ, 0),
    FLOAT_("lon", dr_location, lon, -180, 180, 0, FL_REQ, 0),
    INT_("population", dr_location, population, 0, DR_PERSONS_MAX, 0, 0, 0),
    FLOAT_("ruggedness", dr_location, ruggedness, 0, 1, 0.3, FL_SET, 0),
    INT_("capacity", dr_location, capacity, 0, DR_PERSONS_MAX, 0, FL_SET, 0),
    FLOAT_("security", dr_location, security, 0, 1, 0.5, FL_SET, 0),
    FLOAT_("intensity", dr_location, intensity, 0, 1e9, 0.0, FL_SET, 0),
    FLOAT_("grievance", dr_location, grievance, 0, 1, 0.0, FL_SET, 0),
    STRS_("projects", dr_location, projects, n_projects, 0),
    STR_("region", dr_location, region, 0, 64, 0, 0),
};
static const table location_table =
    TABLE("location", location_fields, -1, DR_TARGET_LOCATION);

/* `routes.[i]`; field 4 (kind) is the discriminator. */
#define K_CROSSING BIT(DR_ROUTE_CROSSING)
static const field route_fields[] = {
    ID_("id", dr_route, id, 0),
    REF_("from", dr_route, from, REF_LOCATION, 0, FL_REQ, 0),
    REF_("to", dr_route, to, REF_LOCATION, 0, FL_REQ, 0),
    FLOAT_("distance_km", dr_route, distance_km, 0.01, 20000, 0, FL_REQ, 0),
    ENUM_("kind", dr_route, kind, dr_route_kind_names, DR_ROUTE_KIND_COUNT, 0,
          DR_ROUTE_ROAD, 0, 0),
    ENUM_("status", dr_route, status, dr_crossing_status_names, DR_CROSSING_STATUS_COUNT,
          0, DR_CROSSING_OPEN, FL_SET, K_CROSSING),
    FLOAT_("pass_fraction", dr_route, pass_fraction, 0, 1, 0.5, FL_SET, K_CROSSING),
};
static const table route_table = TABLE("route", route_fields, 4, DR_TARGET_ROUTE);

/* `forces.[i]` */
static const field force_fields[] = {
    REF_("actor", dr_force, actor, REF_ACTOR, K_STATE | K_MILITANT, FL_REQ, 0),
    REF_("location", dr_force, location, REF_LOCATION, 0, FL_REQ, 0),
    FLOAT_("personnel", dr_force, personnel, 0, 1e7, 0, FL_REQ, 0),
};
static const table force_table =
    TABLE("forces entry", force_fields, -1, DR_TARGET_PARAMS);

/* `civilians.[i]` */
static const field civilian_fields[] = {
    REF_("location", dr_civilians, location, REF_LOCATION, 0, FL_REQ, 0),
    REF_("origin", dr_civilians, origin, REF_LOCATION, 0, 0, 0),
    INT_("citizen", dr_civilians, count[DR_DOC_CITIZEN], 0, DR_PERSONS_MAX, 0, 0, 0),
    INT_("por", dr_civilians, count[DR_DOC_POR], 0, DR_PERSONS_MAX, 0, 0, 0),
    INT_("acc", dr_civilians, count[DR_DOC_ACC], 0, DR_PERSONS_MAX, 0, 0, 0),
    INT_("undocumented", dr_civilians, count[DR_DOC_UNDOCUMENTED], 0, DR_PERSONS_MAX, 0,
         0, 0),
};
static const table civilian_table =
    TABLE("civilians entry", civilian_fields, -1, DR_TARGET_PARAMS);

/* A dyad as listed in the file: the dyad plus the load-only `symmetric`
 * flag. The dyad comes first so that offsets into dyad_in are offsets into
 * dr_dyad, which `set` targets rely on. */
typedef struct dyad_in {
    dr_dyad d;
    int symmetric;
    uint64_t present; /* which fields of dyad_table the entry set */
    const config_setting_t *group;
    char path[32];
} dyad_in;
_Static_assert(offsetof(dyad_in, d) == 0, "dyad_in must start with dr_dyad");

static const field dyad_fields[] = {
    REF_("a", dyad_in, d.a, REF_ACTOR, 0, FL_REQ, 0),
    REF_("b", dyad_in, d.b, REF_ACTOR, 0, FL_REQ, 0),
    BOOL_("symmetric", dyad_in, symmetric, 1, 0, 0),
    FLOAT_("tension", dyad_in, d.tension, 0, 1, 0.0, FL_SET, 0),
    FLOAT_("trust", dyad_in, d.trust, 0, 1, 0.5, FL_SET, 0),
    FLOAT_("interdependence", dyad_in, d.interdependence, 0, 1, 0.0, FL_SET, 0),
    FLOAT_("public_hostility", dyad_in, d.public_hostility, 0, 1, 0.0, FL_SET, 0),
    FLOAT_("alignment", dyad_in, d.alignment, -1, 1, 0.0, FL_SET, 0),
    FLOAT_("baseline_tension", dyad_in, d.baseline_tension, -1, 1, 0.0, FL_SET, 0),
    FLOAT_("reactivity", dyad_in, d.reactivity, 0, 1, 0.0, FL_SET, 0),
    FLOAT_("restraint", dyad_in, d.restraint, 0, 1, 0.0, FL_SET, 0),
    FLOAT_("volatility", dyad_in, d.volatility, 0, 1, 0.0, FL_SET, 0),
};
static const table dyad_table = TABLE("dyad", dyad_fields, -1, DR_TARGET_DYAD);
/* Positions in dyad_fields of the settings whose defaults depend on others. */
enum {
    DY_TENSION = 3,
    DY_BASELINE = 8,
    DY_REACTIVITY = 9,
    DY_RESTRAINT = 10,
    DY_VOLATILITY = 11
};

/* An event as listed in the file: the event plus load-only settings. */
typedef struct event_in {
    dr_event e;
    char date[11];
    const config_setting_t *value; /* `set` events: the value setting */
    int set_ok;                    /* `set` events: target and value valid */
    size_t file_index;
} event_in;

#define E_BORDER BIT(DR_EVENT_BORDER_REGULATION)
#define E_DEPORT BIT(DR_EVENT_DEPORTATION)
#define E_DEPLOY BIT(DR_EVENT_DEPLOYMENT)
#define E_SHOCK BIT(DR_EVENT_SHOCK)
#define E_SUMMIT BIT(DR_EVENT_SUMMIT)
#define E_WITHDRAW BIT(DR_EVENT_WITHDRAWAL)
#define E_SET BIT(DR_EVENT_SET)

/* `events.[i]`; field 2 (type) is the discriminator. Settings that mean
 * different things for different types (location, actor) appear once per
 * meaning. */
static const field event_fields[] = {
    INT_("day", event_in, e.day, 0, 36500, 0, 0, 0),
    DATE_("date", event_in, date, 0, 0),
    ENUM_("type", event_in, e.type, dr_event_type_names, DR_EVENT_TYPE_COUNT, 0, 0,
          FL_REQ, 0),
    STR_("note", event_in, e.note, 0, 400, 0, 0),
    REF_("route", event_in, e.route, REF_ROUTE, K_CROSSING, FL_REQ, E_BORDER),
    ENUM_("status", event_in, e.status, dr_crossing_status_names,
          DR_CROSSING_STATUS_COUNT, 0, 0, FL_REQ, E_BORDER),
    FLOAT_("pass_fraction", event_in, e.pass_fraction, 0, 1, NAN, 0, E_BORDER),
    REF_("a", event_in, e.a, REF_ACTOR, 0, FL_REQ, E_SHOCK),
    REF_("b", event_in, e.b, REF_ACTOR, 0, FL_REQ, E_SHOCK),
    FLOAT_("tension", event_in, e.d_tension, -1, 1, 0.0, 0, E_SHOCK | E_SUMMIT),
    FLOAT_("trust", event_in, e.d_trust, -1, 1, 0.0, 0, E_SHOCK | E_SUMMIT),
    BOOL_("symmetric", event_in, e.symmetric, 1, 0, E_SHOCK),
    REF_("location", event_in, e.location, REF_LOCATION, 0, 0, E_SHOCK),
    FLOAT_("fatalities", event_in, e.fatalities, 0, 1e6, 0.0, 0, E_SHOCK),
    REFS_("parties", event_in, e.parties, e.n_parties, REF_ACTOR, 0, 2, FL_REQ, E_SUMMIT),
    REF_("host", event_in, e.host, REF_ACTOR, 0, 0, E_SUMMIT),
    REF_("actor", event_in, e.actor, REF_ACTOR, K_STATE | K_MILITANT, FL_REQ, E_DEPLOY),
    REF_("location", event_in, e.location, REF_LOCATION, 0, FL_REQ, E_DEPLOY),
    FLOAT_("delta", event_in, e.delta, -1e7, 1e7, 0, FL_REQ, E_DEPLOY),
    REF_("actor", event_in, e.actor, REF_ACTOR, 0, FL_REQ, E_WITHDRAW),
    REF_("country", event_in, e.country, REF_ACTOR, K_STATE, FL_REQ, E_DEPORT),
    ENUM_("documentation", event_in, e.documentation, dr_documentation_names + DR_DOC_POR,
          DR_DOC_COUNT - DR_DOC_POR, DR_DOC_POR, DR_DOC_POR, FL_REQ, E_DEPORT),
    FLOAT_("rate", event_in, e.rate, 0, 1, 0, FL_REQ, E_DEPORT),
    INT_("duration", event_in, e.duration, 1, 36500, 0, 0, E_DEPORT),
    STR_("path", event_in, e.path, 1, 400, FL_REQ, E_SET),
    ANY_("value", event_in, value, FL_REQ, E_SET),
};
static const table event_table = TABLE("event", event_fields, 2, DR_TARGET_PARAMS);
enum {
    EV_DAY = 0,
    EV_DATE = 1,
    EV_FATALITIES = 13,
    EV_LOCATION_SHOCK = 12,
    EV_PATH = 24,
    EV_VALUE = 25
};

/* `sweep` and its `params` entries; the list is read by load_sweep. */
static const field sweep_fields[] = {
    ENUM_("design", dr_sweep_spec, design, dr_sweep_design_names, DR_SWEEP_DESIGN_COUNT,
          0, DR_SWEEP_DESIGN_FACTORIAL, 0, 0),
    INT_("points", dr_sweep_spec, points, 1, 100000000, 0, 0, 0),
    INT_("replications", dr_sweep_spec, replications, 1, 1048576, 1, 0, 0),
};
static const table sweep_table = TABLE("sweep", sweep_fields, -1, DR_TARGET_PARAMS);
static const field sweep_param_fields[] = {
    STR_("path", dr_sweep_param_spec, path, 1, 255, FL_REQ, 0),
    FLOAT_("lo", dr_sweep_param_spec, lo, -DR_FMAX, DR_FMAX, 0, FL_REQ, 0),
    FLOAT_("hi", dr_sweep_param_spec, hi, -DR_FMAX, DR_FMAX, 0, FL_REQ, 0),
    INT_("levels", dr_sweep_param_spec, levels, 2, 1000000, 0, 0, 0),
    BOOL_("integer", dr_sweep_param_spec, integer, 0, 0, 0),
};
static const table sweep_param_table =
    TABLE("sweep parameter", sweep_param_fields, -1, DR_TARGET_PARAMS);

/* `interventions.[i]` (MODEL.md §3); field 2 (type) is the discriminator.
 * Settings shared by two families appear once per family so that each has
 * its own default. */
#define V_MED BIT(DR_IV_MEDIATION)
#define V_TF BIT(DR_IV_TASK_FORCE)
#define V_ECO BIT(DR_IV_ECONOMIC)
#define V_OUT BIT(DR_IV_OUTREACH)
#define IV_(nm, m, lo, hi, d, k) FLOAT_(nm, dr_intervention, m, lo, hi, d, 0, k)
static const field trigger_fields[] = {
    FLOAT_("tension_above", dr_intervention, trigger_tension, 0, 1, NAN, 0, 0),
    FLOAT_("involvement_above", dr_intervention, trigger_involvement, 0, 1, NAN, 0, 0),
    INT_("days", dr_intervention, trigger_days, 1, 36500, 1, 0, 0),
    INT_("duration", dr_intervention, duration, 0, 36500, 0, 0, 0),
};
static const table trigger_table = TABLE("trigger", trigger_fields, -1, DR_TARGET_PARAMS);
static const field iv_fields[] = {
    ID_("id", dr_intervention, id, FL_REQ),
    STR_("name", dr_intervention, name, 1, 200, 0, 0),
    ENUM_("type", dr_intervention, type, dr_intervention_type_names, DR_IV_TYPE_COUNT, 0,
          0, FL_REQ, 0),
    REFS_("parties", dr_intervention, parties, n_parties, REF_ACTOR, K_STATE, 2, FL_REQ,
          0),
    INT_("start", dr_intervention, start, 0, 36500, 0, 0, 0),
    DATE_("start_date", dr_intervention, start_date, 0, 0),
    INT_("end", dr_intervention, end, 1, 36501, 36501, 0, 0),
    DATE_("end_date", dr_intervention, end_date, 0, 0),
    IV_("cost", cost, 0, 1e12, 0.0, 0),
    GROUP_("trigger", dr_intervention, 0, &trigger_table, 0),
    /* mediation */
    REF_("mediator", dr_intervention, mediator, REF_ACTOR, K_POWER | K_ORG, FL_REQ,
         V_MED),
    INT_("period", dr_intervention, period, 1, 36500, 30, 0, V_MED),
    IV_("b0", b0, -50, 50, -3.0, V_MED),
    IV_("b_leverage", b_leverage, 0, 50, 4.0, V_MED),
    IV_("b_trust", b_trust, 0, 50, 2.0, V_MED),
    IV_("b_tension", b_tension, 0, 50, 2.0, V_MED),
    IV_("b_stalemate", b_stalemate, 0, 50, 1.0, V_MED),
    INT_("ceasefire_days", dr_intervention, ceasefire_days, 1, 36500, 90, 0, V_MED),
    IV_("ceasefire_damping", ceasefire_damping, 0, 1, 0.8, V_MED),
    IV_("tension_cut", tension_cut, 0, 1, 0.3, V_MED),
    IV_("trust_loss", trust_loss, 0, 1, 0.005, V_MED),
    IV_("breakdown_rate", breakdown_rate, 0, DR_RATE_MAX, 0.005, V_MED),
    IV_("breakdown_spoiler", breakdown_spoiler, 0, DR_RATE_MAX, 0.5, V_MED),
    IV_("breakdown_exit", breakdown_exit, 1, DR_RATE_MAX, 3.0, V_MED),
    /* task_force */
    INT_("period", dr_intervention, period, 1, 36500, 14, 0, V_TF),
    IV_("trust_gain", trust_gain, 0, 1, 0.05, V_TF),
    IV_("coordination_weight", coordination_weight, 0, DR_WEIGHT_MAX, 0.5, V_TF),
    IV_("incident_resolution", incident_resolution, 0, 1, 0.3, V_TF),
    /* economic */
    IV_("investment", investment, 0, 1e13, 0.0, V_ECO),
    INT_("build_days", dr_intervention, build_days, 1, 36500, 365, 0, V_ECO),
    IV_("interdependence_gain", interdependence_gain, 0, 1, 0.3, V_ECO),
    IV_("hardship_relief", hardship_relief, 0, 1, 0.002, V_ECO),
    IV_("sabotage_setback", sabotage_setback, 0, DR_WEIGHT_MAX, 1.0, V_ECO),
    REFS_("locations", dr_intervention, locations, n_locations, REF_LOCATION, 0, 1,
          FL_REQ, V_ECO),
    REFS_("crossings", dr_intervention, crossings, n_crossings, REF_ROUTE, K_CROSSING, 0,
          0, V_ECO),
    /* outreach */
    REFS_("locations", dr_intervention, locations, n_locations, REF_LOCATION, 0, 1,
          FL_REQ, V_OUT),
    IV_("reach", reach, 0, 1, 0.01, V_OUT),
    IV_("hardship_effect", hardship_effect, 0, 1, 0.01, V_OUT),
    IV_("hostility_effect", hostility_effect, 0, 1, 0.3, V_OUT),
    IV_("grievance_effect", grievance_effect, 0, 1, 0.3, V_OUT),
    IV_("decay_days", decay_days, 0.1, DR_DAYS_MAX, 180.0, V_OUT),
};
#undef IV_
static const table iv_table = TABLE("intervention", iv_fields, 2, DR_TARGET_PARAMS);
enum {
    IVF_START = 4,
    IVF_START_DATE = 5,
    IVF_END = 6,
    IVF_END_DATE = 7,
    IVF_TRIGGER = 9
};

/* The top level. Lists are handled by dedicated functions; the table gives
 * the names (for unknown-setting messages) and the element tables (for
 * `set` paths). */
typedef struct top_entry {
    const char *name;
    int required;
    int is_list;
    const table *t; /* element table of a list, or the group's table */
} top_entry;
static const top_entry top_entries[] = {
    {"scenario", 1, 0, &meta_table},      {"model", 0, 0, &model_table},
    {"actors", 1, 1, &actor_table},       {"locations", 1, 1, &location_table},
    {"routes", 0, 1, &route_table},       {"forces", 0, 1, &force_table},
    {"civilians", 0, 1, &civilian_table}, {"dyads", 0, 1, &dyad_table},
    {"events", 0, 1, &event_table},       {"sweep", 0, 0, &sweep_table},
    {"interventions", 0, 1, &iv_table},
};
#define N_TOP (sizeof(top_entries) / sizeof(top_entries[0]))

/* ------------------------------------------------------------------------ */
/* Loader context and error reporting                                        */
/* ------------------------------------------------------------------------ */

typedef struct load_ctx {
    const char *file; /* path as given, for messages */
    FILE *err;
    int n_errors;
    int oom;
    config_t cfg;
    dr_scenario *sc;
    int *actor_kind;    /* [n_actors] kind from the first pass, -1 unknown */
    size_t *line_start; /* offsets of line starts in sc->text */
    size_t n_lines;
    int meta_ok;         /* scenario.start_date is valid */
    int64_t start_epoch; /* start_date in days since 1970-01-01 */
    /* A strategy's interventions (another file's setting), or NULL. */
    config_setting_t *extra_interventions;
    const char *extra_file; /* that file, for messages */
    const char *extra_name; /* its path there, e.g. strategies.[2].interventions */
} load_ctx;

/* Duplicate a string with malloc (strdup is not C11). */
static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

/* Location of a setting for messages: "-s OVERRIDE" if the setting or an
 * enclosing one came from an override, else "FILE:LINE" (line 1 for the
 * root, which has no line of its own). */
static void where(const load_ctx *c, const config_setting_t *s, char *buf, size_t n)
{
    for (const config_setting_t *p = s; p; p = config_setting_parent(p))
        if (config_setting_get_hook(p)) {
            snprintf(buf, n, "-s %s", (const char *)config_setting_get_hook(p));
            return;
        }
    unsigned line = s ? config_setting_source_line(s) : 0;
    snprintf(buf, n, "%s:%u", c->file, line ? line : 1u);
}

/* Length of the valid UTF-8 sequence of 2 to 4 bytes at s, or 0. */
static size_t utf8_sequence(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = u[0] >= 0xC2 && u[0] <= 0xDF   ? 2
                 : u[0] >= 0xE0 && u[0] <= 0xEF ? 3
                 : u[0] >= 0xF0 && u[0] <= 0xF4 ? 4
                                                : 0;
    for (size_t j = 1; j < len; j++)
        if ((u[j] & 0xC0) != 0x80) return 0;
    return len;
}

/* Append `s` to buf as a libconfig string literal, escaped so that the
 * message stays on one line, and cut after 60 characters. */
static void quote_into(char *buf, size_t n, const char *s)
{
    size_t k = strlen(buf);
    if (k + 1 >= n) return;
    buf[k++] = '"';
    for (size_t i = 0; s[i] && k + 8 < n; i++) {
        if (i >= 60) {
            memcpy(buf + k, "...", 3);
            k += 3;
            break;
        }
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            buf[k++] = '\\';
            buf[k++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f) {
            k += (size_t)snprintf(buf + k, n - k, "\\x%02x", ch);
        } else if (ch >= 0x80) {
            /* A valid UTF-8 sequence is kept whole; any other byte (binary
             * garbage) is escaped, so that messages stay valid text. */
            size_t len = utf8_sequence(s + i);
            if (len == 0 || k + len + 8 >= n) {
                k += (size_t)snprintf(buf + k, n - k, "\\x%02x", ch);
            } else {
                memcpy(buf + k, s + i, len);
                k += len;
                i += len - 1;
            }
        } else {
            buf[k++] = (char)ch;
        }
    }
    if (k + 1 < n) buf[k++] = '"';
    buf[k] = '\0';
}

/* The value of a setting as it would be written in a scenario file. */
static void format_value(const config_setting_t *s, char *buf, size_t n)
{
    buf[0] = '\0';
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        snprintf(buf, n, "%d", config_setting_get_int(s));
        break;
    case CONFIG_TYPE_INT64:
        snprintf(buf, n, "%lldL", config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        snprintf(buf, n, "%.15g", config_setting_get_float(s));
        if (!strpbrk(buf, ".eEni")) strncat(buf, ".0", n - strlen(buf) - 1);
        break;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, n, "%s", config_setting_get_bool(s) ? "true" : "false");
        break;
    case CONFIG_TYPE_STRING:
        quote_into(buf, n, config_setting_get_string(s));
        break;
    case CONFIG_TYPE_GROUP:
        snprintf(buf, n, "{ ... }");
        break;
    case CONFIG_TYPE_LIST:
        snprintf(buf, n, "( ... )");
        break;
    case CONFIG_TYPE_ARRAY:
        snprintf(buf, n, "[ ... ]");
        break;
    default:
        snprintf(buf, n, "?");
        break;
    }
}

/* Write one error line "LOC: PATH[ = VALUE]: MESSAGE". `at` locates it
 * (NULL: the file itself); `value` may be NULL. Lines beyond DR_MAX_ERRORS
 * are counted but not written. */
static void report(load_ctx *c, const config_setting_t *at, const char *path,
                   const char *value, const char *fmt, ...)
{
    char loc[DR_PATH_MAX + 64], msg[DR_MSG_MAX];
    va_list ap;
    c->n_errors++;
    if (c->n_errors > DR_MAX_ERRORS) return;
    where(c, at, loc, sizeof loc);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!c->err) return;
    if (value)
        fprintf(c->err, "%s: %s = %s: %s\n", loc, path, value, msg);
    else if (path && path[0])
        fprintf(c->err, "%s: %s: %s\n", loc, path, msg);
    else
        fprintf(c->err, "%s: %s\n", loc, msg);
}

/* report() with the value taken from setting `s`, which also locates it. */
#define REPORT_AT(c, s, path, ...)                                                       \
    do {                                                                                 \
        char vbuf_[128];                                                                 \
        format_value((s), vbuf_, sizeof vbuf_);                                          \
        report((c), (s), (path), vbuf_, __VA_ARGS__);                                    \
    } while (0)

/* Note an allocation failure (reported once). */
static void out_of_memory(load_ctx *c)
{
    if (!c->oom) report(c, NULL, "", NULL, "out of memory");
    c->oom = 1;
}

/* path + "." + name, or path + ".[i]", into out[DR_PATH_MAX]; overlong
 * paths are cut (the return value is checked so that cutting is explicit). */
static void join_name(char *out, const char *path, const char *name)
{
    int n = path && path[0] ? snprintf(out, DR_PATH_MAX, "%s.%s", path, name)
                            : snprintf(out, DR_PATH_MAX, "%s", name);
    if (n < 0 || n >= DR_PATH_MAX) out[DR_PATH_MAX - 1] = '\0';
}

/* path + ".[i]" into out[DR_PATH_MAX], cut like join_name. */
static void join_index(char *out, const char *path, size_t i)
{
    int n = snprintf(out, DR_PATH_MAX, "%s.[%zu]", path, i);
    if (n < 0 || n >= DR_PATH_MAX) out[DR_PATH_MAX - 1] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Scalar checks, shared by the file, the overrides and `set` events         */
/* ------------------------------------------------------------------------ */

/* Whether s is a valid id: 1..31 characters of [A-Za-z0-9_]. */
static int valid_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char ch = s[n];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '_'))
            return 0;
    }
    return n >= 1 && n < DR_ID_MAX;
}

/* Whether s is a valid route id: an id, or the implicit FROM-TO. */
static int valid_route_id(const char *s)
{
    char buf[2 * DR_ID_MAX + 2];
    const char *dash = strchr(s, '-');
    if (!dash) return valid_id(s);
    size_t n = (size_t)(dash - s);
    if (n >= DR_ID_MAX) return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return valid_id(buf) && valid_id(dash + 1);
}

/* Number formatted for a range: integers without exponent when short. */
static void format_num(double v, char *buf, size_t n)
{
    if (v >= DR_I64MAX)
        snprintf(buf, n, "2^63-1");
    else if (v == floor(v) && fabs(v) < 1e10)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%g", v);
}

/* Names of an enum field, "a, b, c". */
static void enum_list(const field *f, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < f->n_names; i++) {
        if (i) strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, f->names[i], n - strlen(buf) - 1);
    }
}

/* What a field expects, for "expected ..." messages. */
static void expect_text(const field *f, char *buf, size_t n)
{
    char lo[32], hi[32], names[256];
    format_num(f->min, lo, sizeof lo);
    format_num(f->max, hi, sizeof hi);
    switch (f->type) {
    case F_FLOAT:
        snprintf(buf, n, "a float in [%s, %s]", lo, hi);
        break;
    case F_INT:
        if (f->max >= DR_I64MAX)
            snprintf(buf, n, "an integer >= %s", lo);
        else
            snprintf(buf, n, "an integer in [%s, %s]", lo, hi);
        break;
    case F_BOOL:
        snprintf(buf, n, "true or false");
        break;
    case F_STRING:
        if (f->min > 0)
            snprintf(buf, n, "a string of %s to %s characters", lo, hi);
        else
            snprintf(buf, n, "a string of at most %s characters", hi);
        break;
    case F_ID:
        snprintf(buf, n, "an id of 1 to 31 letters, digits or _");
        break;
    case F_ENUM:
        enum_list(f, names, sizeof names);
        snprintf(buf, n, "one of %s", names);
        break;
    case F_DATE:
        snprintf(buf, n, "a date \"YYYY-MM-DD\" in the years 1900 to 2200");
        break;
    case F_REF:
        snprintf(buf, n, "%s id",
                 f->ref == REF_ACTOR      ? "an actor"
                 : f->ref == REF_LOCATION ? "a location"
                                          : "a route");
        break;
    case F_REFS:
        snprintf(buf, n, "a list of %s ids [\"...\", ...]",
                 f->ref == REF_ACTOR ? "actor" : "location");
        break;
    case F_STRINGS:
        snprintf(buf, n, "a list of strings [\"...\", ...]");
        break;
    case F_GROUP:
        snprintf(buf, n, "a group { ... }");
        break;
    case F_ANY:
        snprintf(buf, n, "a number, string or boolean");
        break;
    }
}

/* Number of characters (UTF-8 code points) in s. */
static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* The integer literal at r (before end) of integer setting s: its text
 * into tok and its value into *v. Returns 0 if there is no such literal or
 * it is what libconfig stored, 1 if libconfig stored another value, 2 if
 * the literal does not fit in 64 bits (*v is then the nearest int64). */
static int int_literal_check(const config_setting_t *s, const char *r, const char *end,
                             long long *v, char *tok, size_t ntok)
{
    while (r < end && (*r == ' ' || *r == '\t')) r++;
    const char *t = r;
    if (t < end && (*t == '-' || *t == '+')) t++;
    while (t < end && ((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f') ||
                       (*t >= 'A' && *t <= 'F') || *t == 'x' || *t == 'X'))
        t++;
    size_t len = (size_t)(t - r);
    if (len == 0 || len + 1 > ntok) return 0;
    memcpy(tok, r, len);
    tok[len] = '\0';
    char *stop;
    errno = 0;
    long long x = strtoll(tok, &stop, 0);
    if (*stop != '\0') return 0;
    *v = x;
    if (errno == ERANGE) return 2;
    return x != config_setting_get_int64(s);
}

/*
 * libconfig 1.5 silently wraps integers that do not fit in 32 bits (when
 * they lack the L suffix) and saturates those that do not fit in 64 bits.
 * For an int setting, find its literal (on its source line, "name =
 * literal", or after the '=' of the override that set it) and return the
 * literal's true value in *v and its text in tok; returns 1 if the literal
 * was found and differs from what libconfig stored, 2 if it does not fit
 * in 64 bits.
 */
static int int_literal_wrapped(const load_ctx *c, const config_setting_t *s, long long *v,
                               char *tok, size_t ntok)
{
    const char *name = config_setting_name(s);
    unsigned line = config_setting_source_line(s);
    const char *hook = config_setting_get_hook(s);
    if (hook) {
        const char *eq = strchr(hook, '=');
        return eq ? int_literal_check(s, eq + 1, eq + strlen(eq), v, tok, ntok) : 0;
    }
    if (!name || line == 0 || line > c->n_lines) return 0;
    const char *text = c->sc->text;
    const char *p = text + c->line_start[line - 1];
    const char *end = strchr(p, '\n');
    if (!end) end = p + strlen(p);
    size_t nl = strlen(name);
    int in_string = 0;
    for (const char *q = p; q + nl <= end; q++) {
        /* Skip string literals and stop at a comment. */
        if (*q == '"' && (q == p || q[-1] != '\\')) in_string = !in_string;
        if (in_string) continue;
        if (*q == '#' || (q[0] == '/' && q + 1 < end && (q[1] == '/' || q[1] == '*')))
            return 0;
        if (strncmp(q, name, nl) != 0) continue;
        if (q > p && (q[-1] == '_' || (q[-1] >= 'a' && q[-1] <= 'z'))) continue;
        const char *r = q + nl;
        while (r < end && (*r == ' ' || *r == '\t')) r++;
        if (r >= end || (*r != '=' && *r != ':')) continue;
        return int_literal_check(s, r + 1, end, v, tok, ntok);
    }
    return 0;
}

/* A checked scalar value. */
typedef struct scalar {
    double d;      /* F_FLOAT, and every number as a double */
    int64_t i;     /* F_INT, F_BOOL, F_ENUM code */
    const char *s; /* F_STRING, F_ID, F_DATE, F_REF (borrowed from the tree) */
} scalar;

/*
 * Check setting s against scalar field f (every type but F_REFS, F_STRINGS,
 * F_GROUP). On success fills *out and returns 0; otherwise reports one
 * error at s naming `path` and returns -1. `what_for`, when not NULL, is
 * appended to the expectation (used by `set` events to name the target).
 */
static int check_scalar(load_ctx *c, const field *f, const config_setting_t *s,
                        const char *path, const char *what_for, scalar *out)
{
    char exp[320], tok[64];
    int type = config_setting_type(s);
    int ok = 0, bad_id = 0, wrapped = 0, non_finite = 0;
    const char *vtext = NULL;
    memset(out, 0, sizeof *out);
    switch (f->type) {
    case F_FLOAT:
        if (type == CONFIG_TYPE_FLOAT || type == CONFIG_TYPE_INT ||
            type == CONFIG_TYPE_INT64) {
            out->d = type == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                               : (double)config_setting_get_int64(s);
            if (type != CONFIG_TYPE_FLOAT) {
                long long v;
                wrapped = int_literal_wrapped(c, s, &v, tok, sizeof tok);
                if (wrapped) {
                    out->d = (double)v;
                    vtext = tok;
                }
            }
            /* A literal such as 1e400 reads as infinity. */
            non_finite = !isfinite(out->d);
            ok = !non_finite && wrapped != 2 && out->d >= f->min && out->d <= f->max;
        }
        break;
    case F_INT:
        if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64) {
            long long v = type == CONFIG_TYPE_INT ? config_setting_get_int(s)
                                                  : config_setting_get_int64(s);
            wrapped = int_literal_wrapped(c, s, &v, tok, sizeof tok);
            if (wrapped) vtext = tok;
            out->i = (int64_t)v;
            out->d = (double)v;
            ok = wrapped != 2 && out->d >= f->min && out->d <= f->max;
        }
        break;
    case F_BOOL:
        if (type == CONFIG_TYPE_BOOL) {
            out->i = config_setting_get_bool(s) ? 1 : 0;
            out->d = (double)out->i;
            ok = 1;
        }
        break;
    case F_STRING:
        if (type == CONFIG_TYPE_STRING) {
            out->s = config_setting_get_string(s);
            size_t len = utf8_length(out->s);
            ok = (double)len >= f->min && (double)len <= f->max;
        }
        break;
    case F_ID:
    case F_REF:
        if (type == CONFIG_TYPE_STRING) {
            out->s = config_setting_get_string(s);
            ok = f->type == F_REF && f->ref == REF_ROUTE ? valid_route_id(out->s)
                                                         : valid_id(out->s);
            bad_id = !ok && f->type == F_REF;
        }
        break;
    case F_ENUM:
        if (type == CONFIG_TYPE_STRING) {
            out->s = config_setting_get_string(s);
            for (int k = 0; k < f->n_names; k++)
                if (strcmp(out->s, f->names[k]) == 0) {
                    out->i = f->base + k;
                    out->d = (double)out->i;
                    ok = 1;
                }
        }
        break;
    case F_DATE:
        if (type == CONFIG_TYPE_STRING) {
            int64_t days;
            out->s = config_setting_get_string(s);
            ok = dr_date_parse(out->s, &days) == 0 && out->s[0] != '0' &&
                 strncmp(out->s, "1900", 4) >= 0 && strncmp(out->s, "2200", 4) <= 0;
            out->i = days * ok;
            out->d = (double)out->i;
        }
        break;
    case F_ANY:
        ok = config_setting_is_scalar(s);
        break;
    default:
        ok = 0;
        break;
    }
    if (ok) return 0;
    /* The expectation is formatted only for a message: formatting it for
     * every valid setting was most of the loader's time. */
    expect_text(f, exp, sizeof exp);
    if (bad_id) {
        size_t k = strlen(exp);
        snprintf(exp + k, sizeof exp - k, " of 1 to 31 letters, digits or _");
    }
    if (non_finite || wrapped == 2) {
        size_t k = strlen(exp);
        snprintf(exp + k, sizeof exp - k, " (%s)",
                 non_finite ? "this number is beyond the range of a double"
                            : "this integer does not fit in 64 bits");
    }
    if (what_for) {
        size_t k = strlen(exp);
        snprintf(exp + k, sizeof exp - k, " %s", what_for);
    }
    if (vtext)
        report(c, s, path, vtext, "expected %s", exp);
    else
        REPORT_AT(c, s, path, "expected %s", exp);
    return -1;
}

/* Store a checked scalar into the element struct at base + f->off. Strings
 * are copied (F_STRING: owned pointer; F_ID, F_DATE: into char arrays). */
static void store_scalar(load_ctx *c, const field *f, const scalar *v, char *base)
{
    char *dst = base + f->off;
    switch (f->type) {
    case F_FLOAT:
        memcpy(dst, &v->d, sizeof(double));
        break;
    case F_INT:
        memcpy(dst, &v->i, sizeof(int64_t));
        break;
    case F_BOOL:
    case F_ENUM: {
        int x = (int)v->i;
        memcpy(dst, &x, sizeof(int));
        break;
    }
    case F_STRING: {
        char *p = dup_str(v->s ? v->s : "");
        char *old;
        if (!p) out_of_memory(c);
        memcpy(&old, dst, sizeof old);
        free(old);
        memcpy(dst, &p, sizeof p);
        break;
    }
    case F_ID:
        /* Ids are validated to fit in DR_ID_MAX bytes; route ids have more. */
        memcpy(dst, v->s, strlen(v->s) + 1);
        break;
    case F_DATE:
        memcpy(dst, v->s, 11);
        break;
    default:
        break;
    }
}

/* Store the default of field f at base + f->off. */
static void store_default(load_ctx *c, const field *f, char *base)
{
    scalar v = {f->def, 0, ""};
    size_t none = DR_NONE;
    /* Float defaults may be NAN ("unchanged"), which has no integer value. */
    if (f->type != F_FLOAT) v.i = (int64_t)f->def;
    switch (f->type) {
    case F_FLOAT:
    case F_INT:
    case F_BOOL:
    case F_ENUM:
    case F_STRING:
        store_scalar(c, f, &v, base);
        break;
    case F_REF:
        memcpy(base + f->off, &none, sizeof none);
        break;
    default:
        break;
    }
}

/* enum and bool fields are written through int. */
_Static_assert(sizeof(dr_actor_kind) == sizeof(int), "enums are int-sized");
_Static_assert(sizeof(dr_event_type) == sizeof(int), "enums are int-sized");
_Static_assert(sizeof(dr_lanchester_law) == sizeof(int), "enums are int-sized");
_Static_assert(sizeof(dr_sweep_design) == sizeof(int), "enums are int-sized");

/* ------------------------------------------------------------------------ */
/* References                                                                */
/* ------------------------------------------------------------------------ */

/* Kind names of a bit mask, "a state or militant". */
static void kinds_text(unsigned mask, const char *const *names, int n, char *buf,
                       size_t len)
{
    buf[0] = '\0';
    int count = 0;
    for (int k = 0; k < n; k++)
        if (mask & BIT(k)) count++;
    int seen = 0;
    for (int k = 0; k < n; k++) {
        if (!(mask & BIT(k))) continue;
        if (seen) strncat(buf, seen == count - 1 ? " or " : ", ", len - strlen(buf) - 1);
        strncat(buf, names[k], len - strlen(buf) - 1);
        seen++;
    }
}

/* Resolve id `id` of setting s in table f->ref, checking the referenced
 * entry's kind. Returns the index, or DR_NONE after reporting an error. */
static size_t resolve_ref(load_ctx *c, const field *f, const config_setting_t *s,
                          const char *path, const char *id)
{
    dr_scenario *sc = c->sc;
    char kinds[128];
    size_t idx;
    if (f->ref == REF_ACTOR) {
        idx = dr_scenario_find_actor(sc, id);
        if (f->ref_kinds)
            kinds_text(f->ref_kinds, dr_actor_kind_names, DR_ACTOR_KIND_COUNT, kinds,
                       sizeof kinds);
        if (idx == DR_NONE) {
            REPORT_AT(c, s, path,
                      "expected the id of %s%s actor (no actor has "
                      "id %s)",
                      f->ref_kinds ? "a " : "an", f->ref_kinds ? kinds : "", id);
            return DR_NONE;
        }
        int k = c->actor_kind ? c->actor_kind[idx] : (int)sc->actors[idx].kind;
        if (f->ref_kinds && k >= 0 && !(f->ref_kinds & BIT(k))) {
            REPORT_AT(c, s, path, "expected the id of a %s actor (%s is a %s)", kinds, id,
                      dr_actor_kind_names[k]);
            return DR_NONE;
        }
        return idx;
    }
    if (f->ref == REF_LOCATION) {
        idx = dr_scenario_find_location(sc, id);
        if (idx == DR_NONE)
            REPORT_AT(c, s, path, "expected the id of a location (no location has id %s)",
                      id);
        return idx;
    }
    idx = dr_scenario_find_route(sc, id);
    if (idx == DR_NONE) {
        REPORT_AT(c, s, path, "expected the id of a route (no route has id %s)", id);
        return DR_NONE;
    }
    if (f->ref_kinds && !(f->ref_kinds & BIT(sc->routes[idx].kind))) {
        kinds_text(f->ref_kinds, dr_route_kind_names, DR_ROUTE_KIND_COUNT, kinds,
                   sizeof kinds);
        REPORT_AT(c, s, path, "expected the id of a %s route (%s is a %s)", kinds, id,
                  dr_route_kind_names[sc->routes[idx].kind]);
        return DR_NONE;
    }
    return idx;
}

/* Read a list of ids (F_REFS) or strings (F_STRINGS) into owned arrays. */
static void read_list_field(load_ctx *c, const field *f, config_setting_t *s,
                            const char *path, char *base)
{
    char exp[160], ep[DR_PATH_MAX];
    int type = config_setting_type(s);
    expect_text(f, exp, sizeof exp);
    if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
        REPORT_AT(c, s, path, "expected %s", exp);
        return;
    }
    size_t n = (size_t)config_setting_length(s);
    if (n > DR_LIST_MAX) {
        REPORT_AT(c, s, path,
                  "expected a list of at most %d entries (it has "
                  "%zu)",
                  DR_LIST_MAX, n);
        return;
    }
    if ((double)n < f->min) {
        REPORT_AT(c, s, path, "expected at least %.0f ids", f->min);
        return;
    }
    void *arr = n ? calloc(n, f->type == F_REFS ? sizeof(size_t) : sizeof(char *)) : NULL;
    if (n && !arr) {
        out_of_memory(c);
        return;
    }
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        join_index(ep, path, i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            REPORT_AT(c, e, ep, "expected a string (%s)", exp);
            continue;
        }
        const char *str = config_setting_get_string(e);
        if (f->type == F_STRINGS) {
            char *p = dup_str(str);
            if (!p) out_of_memory(c);
            ((char **)arr)[count++] = p;
            continue;
        }
        field one = *f;
        one.type = F_REF;
        if (f->ref == REF_ROUTE ? !valid_route_id(str) : !valid_id(str)) {
            REPORT_AT(c, e, ep,
                      f->ref == REF_ROUTE ? "expected a route id (an id, or FROM-TO)"
                                          : "expected an id of 1 to 31 letters, digits "
                                            "or _");
            continue;
        }
        size_t idx = resolve_ref(c, &one, e, ep, str);
        if (idx == DR_NONE) continue;
        size_t *ids = arr;
        int dup = 0;
        for (size_t j = 0; j < count; j++) dup |= ids[j] == idx;
        if (dup) {
            REPORT_AT(c, e, ep, "expected each id once (%s is listed twice)", str);
            continue;
        }
        ids[count++] = idx;
    }
    memcpy(base + f->off, &arr, sizeof arr);
    memcpy(base + f->count_off, &count, sizeof count);
}

/* ------------------------------------------------------------------------ */
/* Generic group validation                                                  */
/* ------------------------------------------------------------------------ */

/* Whether field f applies to discriminator value kind (-1: unknown). */
static int applies(const field *f, int kind)
{
    return f->kinds == 0 || kind < 0 || (f->kinds & BIT(kind));
}

/* Comma-separated names of the fields of t that apply to kind. */
static void field_names(const table *t, int kind, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < t->n; i++) {
        if (!applies(&t->fields[i], kind)) continue;
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            dup |= applies(&t->fields[j], kind) &&
                   strcmp(t->fields[j].name, t->fields[i].name) == 0;
        if (dup) continue;
        if (buf[0]) strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, t->fields[i].name, n - strlen(buf) - 1);
    }
}

/* Name of the discriminator value `kind` of table t. */
static const char *kind_name(const table *t, int kind)
{
    const field *d = &t->fields[t->disc];
    return d->names[kind - d->base];
}

/* Find the field of t called name for discriminator kind: returns its
 * position, -1 if no field has that name, -2 if only other kinds have it. */
static int find_field(const table *t, const char *name, int kind)
{
    int other = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->fields[i].name, name) != 0) continue;
        if (applies(&t->fields[i], kind)) return (int)i;
        other = 1;
    }
    return other ? -2 : -1;
}

/* Kinds that have field `name`, as text. */
static void kinds_with_field(const table *t, const char *name, char *buf, size_t n)
{
    unsigned mask = 0;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->fields[i].name, name) == 0) mask |= t->fields[i].kinds;
    const field *d = &t->fields[t->disc];
    kinds_text(mask, d->names, d->n_names, buf, n);
}

/* Defined below; read_field and read_group recurse into each other. */
static uint64_t read_group(load_ctx *c, const table *t, config_setting_t *g,
                           const char *path, char *base, int *kind_io);

/* Validate one present setting s of field f and store it. */
static void read_field(load_ctx *c, const field *f, config_setting_t *s, const char *path,
                       char *base)
{
    scalar v;
    switch (f->type) {
    case F_REFS:
    case F_STRINGS:
        read_list_field(c, f, s, path, base);
        return;
    case F_GROUP:
        if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
            REPORT_AT(c, s, path, "expected a group { ... }");
            read_group(c, f->sub, NULL, path, base + f->off, NULL);
            return;
        }
        read_group(c, f->sub, s, path, base + f->off, NULL);
        return;
    case F_ANY:
        if (check_scalar(c, f, s, path, NULL, &v) == 0)
            memcpy(base + f->off, &s, sizeof s);
        return;
    case F_REF: {
        size_t none = DR_NONE;
        memcpy(base + f->off, &none, sizeof none);
        if (check_scalar(c, f, s, path, NULL, &v) != 0) return;
        size_t idx = resolve_ref(c, f, s, path, v.s);
        memcpy(base + f->off, &idx, sizeof idx);
        return;
    }
    default:
        if (check_scalar(c, f, s, path, NULL, &v) == 0)
            store_scalar(c, f, &v, base);
        else
            store_default(c, f, base);
        return;
    }
}

/*
 * Validate group g (NULL: absent, only defaults are stored) against table t
 * and store every setting into the struct at `base`. For tables with a
 * discriminator, *kind_io receives its value (-1 when missing or invalid);
 * settings of other kinds are errors, and kind-specific checks are skipped
 * when the kind is unknown. Returns a bit mask of the fields present.
 */
static uint64_t read_group(load_ctx *c, const table *t, config_setting_t *g,
                           const char *path, char *base, int *kind_io)
{
    char p[DR_PATH_MAX], names[512], kinds[128];
    uint64_t present = 0;
    int kind = -1;
    if (t->n > 64) return 0; /* the presence mask has 64 bits */

    /* Every reference starts out as "none". */
    for (size_t i = 0; i < t->n; i++)
        if (t->fields[i].type == F_REF) store_default(c, &t->fields[i], base);

    if (t->disc >= 0) {
        const field *d = &t->fields[t->disc];
        config_setting_t *s = g ? config_setting_get_member(g, d->name) : NULL;
        scalar v;
        if (s) {
            join_name(p, path, d->name);
            present |= (uint64_t)1 << t->disc;
            if (check_scalar(c, d, s, p, NULL, &v) == 0) {
                kind = (int)v.i;
                store_scalar(c, d, &v, base);
            }
        } else if (!(d->flags & FL_REQ)) {
            kind = (int)d->def;
            store_default(c, d, base);
        }
    }

    if (g) {
        int n = config_setting_length(g);
        for (int i = 0; i < n; i++) {
            config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
            const char *name = config_setting_name(s);
            join_name(p, path, name ? name : "?");
            int fi = name ? find_field(t, name, kind) : -1;
            if (fi == -1) {
                field_names(t, kind, names, sizeof names);
                report(c, s, p, NULL, "unknown setting (expected one of %s)", names);
                continue;
            }
            if (fi == -2) {
                kinds_with_field(t, name, kinds, sizeof kinds);
                field_names(t, kind, names, sizeof names);
                const char *kn = kind_name(t, kind);
                report(c, s, p, NULL,
                       "setting of a %s %s, not of %s %s (expected one of %s)", kinds,
                       t->what, strchr("aeiou", kn[0]) ? "an" : "a", kn, names);
                continue;
            }
            if (fi == t->disc) continue;
            present |= (uint64_t)1 << fi;
            read_field(c, &t->fields[fi], s, p, base);
        }
    }

    /* Defaults and missing required settings. */
    for (size_t i = 0; i < t->n; i++) {
        const field *f = &t->fields[i];
        if ((int)i == t->disc || (present & ((uint64_t)1 << i))) continue;
        if (f->kinds && kind < 0) continue;
        if (!applies(f, kind)) continue;
        /* A same-named field of this kind that was present counts. */
        int seen = 0;
        for (size_t j = 0; j < t->n; j++)
            seen |= j != i && (present & ((uint64_t)1 << j)) &&
                    strcmp(t->fields[j].name, f->name) == 0 &&
                    applies(&t->fields[j], kind);
        if (seen) continue;
        if (f->flags & FL_REQ) {
            char exp[320];
            join_name(p, path, f->name);
            expect_text(f, exp, sizeof exp);
            report(c, g, p, NULL, "missing required setting (expected %s)", exp);
            continue;
        }
        if (f->type == F_GROUP)
            read_group(c, f->sub, NULL, path, base + f->off, NULL);
        else
            store_default(c, f, base);
    }
    if (t->disc >= 0 && kind < 0 && !(present & ((uint64_t)1 << t->disc))) {
        const field *d = &t->fields[t->disc];
        char exp[320];
        join_name(p, path, d->name);
        expect_text(d, exp, sizeof exp);
        report(c, g, p, NULL, "missing required setting (expected %s)", exp);
    }
    if (kind_io) *kind_io = kind;
    return present;
}

/* ------------------------------------------------------------------------ */
/* Posture thresholds                                                        */
/* ------------------------------------------------------------------------ */

/* The posture thresholds in the order their values must keep. */
static const struct threshold_field {
    const char *name;
    size_t off; /* in dr_posture_params */
} thresholds[3] = {
    {"threshold_hold", offsetof(dr_posture_params, threshold_hold)},
    {"threshold_pressure", offsetof(dr_posture_params, threshold_pressure)},
    {"threshold_strike", offsetof(dr_posture_params, threshold_strike)},
};

/* Value of threshold k of p. */
static double threshold_value(const dr_posture_params *p, int k)
{
    double v;
    memcpy(&v, (const char *)p + thresholds[k].off, sizeof v);
    return v;
}

/* The first adjacent pair of thresholds out of order in p: returns k such
 * that threshold k exceeds threshold k + 1, or -1 when hold <= pressure <=
 * strike. */
static int threshold_violation(const dr_posture_params *p)
{
    for (int k = 0; k + 1 < 3; k++)
        if (threshold_value(p, k) > threshold_value(p, k + 1)) return k;
    return -1;
}

/* "(here threshold_hold = 0.5 > threshold_pressure = 0.35)" for pair k. */
static void threshold_detail(const dr_posture_params *p, int k, char *buf, size_t n)
{
    snprintf(buf, n, "here %s = %g > %s = %g", thresholds[k].name, threshold_value(p, k),
             thresholds[k + 1].name, threshold_value(p, k + 1));
}

/*
 * The cross-field rule of model.postures, on the values read from the file
 * and overrides: hold <= pressure <= strike. The error is reported at the
 * upper setting of the first pair out of order if the file (or an override)
 * gives it, else at the lower one; `g` is the postures group or NULL.
 */
static void check_thresholds(load_ctx *c, const config_setting_t *g)
{
    const dr_posture_params *p = &c->sc->params.postures;
    char path[DR_PATH_MAX], detail[160];
    int k = threshold_violation(p);
    if (k < 0) return;
    const char *blame = thresholds[k + 1].name;
    config_setting_t *s = g ? config_setting_get_member(g, blame) : NULL;
    if (!s) {
        blame = thresholds[k].name;
        s = g ? config_setting_get_member(g, blame) : NULL;
    }
    join_name(path, "model.postures", blame);
    threshold_detail(p, k, detail, sizeof detail);
    if (s)
        REPORT_AT(c, s, path,
                  "expected threshold_hold <= threshold_pressure "
                  "<= threshold_strike (%s)",
                  detail);
    else
        report(c, g, path, NULL,
               "expected threshold_hold <= "
               "threshold_pressure <= threshold_strike (%s)",
               detail);
}

/* ------------------------------------------------------------------------ */
/* Lists                                                                     */
/* ------------------------------------------------------------------------ */

/* Set every reference field of t (and of its nested groups) to DR_NONE, so
 * that an element that could not be read holds no dangling index. */
static void init_refs(const table *t, char *base)
{
    size_t none = DR_NONE;
    for (size_t i = 0; i < t->n; i++) {
        if (t->fields[i].type == F_REF)
            memcpy(base + t->fields[i].off, &none, sizeof none);
        if (t->fields[i].type == F_GROUP)
            init_refs(t->fields[i].sub, base + t->fields[i].off);
    }
}

/*
 * The top-level list `name`: returns it and its length in *n, or NULL with
 * *n = 0 when it is absent or malformed (after reporting). An empty array
 * `[]` counts as an empty list. Required lists must have an element.
 */
static config_setting_t *get_list(load_ctx *c, const char *name, int required, size_t *n)
{
    config_setting_t *root = config_root_setting(&c->cfg);
    config_setting_t *l = config_setting_get_member(root, name);
    *n = 0;
    if (!l) {
        if (required)
            report(c, root, name, NULL,
                   "missing required setting (expected "
                   "a non-empty list of groups ( { ... }, ... ))");
        return NULL;
    }
    int type = config_setting_type(l);
    if (type == CONFIG_TYPE_ARRAY && config_setting_length(l) == 0) {
        if (required)
            REPORT_AT(c, l, name,
                      "expected a non-empty list of groups "
                      "( { ... }, ... )");
        return NULL;
    }
    if (type != CONFIG_TYPE_LIST) {
        REPORT_AT(c, l, name, "expected a list of groups ( { ... }, ... )");
        return NULL;
    }
    *n = (size_t)config_setting_length(l);
    if (*n > DR_LIST_MAX) {
        REPORT_AT(c, l, name,
                  "expected a list of at most %d groups (it has "
                  "%zu)",
                  DR_LIST_MAX, *n);
        *n = 0;
        return NULL;
    }
    if (required && *n == 0)
        REPORT_AT(c, l, name,
                  "expected a non-empty list of groups "
                  "( { ... }, ... )");
    return l;
}

/* Element i of list l if it is a group; otherwise reports and returns
 * NULL. */
static config_setting_t *list_group(load_ctx *c, config_setting_t *l, size_t i,
                                    const char *path)
{
    config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
    if (g && config_setting_type(g) == CONFIG_TYPE_GROUP) return g;
    if (g) REPORT_AT(c, g, path, "expected a group { ... }");
    return NULL;
}

/* Allocate n zeroed elements of size sz (at least one, so that a NULL
 * return always means out of memory). */
static void *alloc_array(load_ctx *c, size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p) out_of_memory(c);
    return p;
}

/* Report duplicate ids in an array of elements (stride bytes apart, id at
 * offset id_off) of list l, at the second occurrence. */
static void check_unique_ids(load_ctx *c, config_setting_t *l, const char *lname,
                             const char *ids, size_t n, size_t stride)
{
    char p[DR_PATH_MAX];
    for (size_t j = 1; j < n; j++) {
        const char *idj = ids + j * stride;
        if (!idj[0]) continue;
        for (size_t i = 0; i < j; i++) {
            if (strcmp(ids + i * stride, idj) != 0) continue;
            config_setting_t *g = config_setting_get_elem(l, (unsigned)j);
            config_setting_t *s = g ? config_setting_get_member(g, "id") : NULL;
            snprintf(p, sizeof p, "%s.[%zu].id", lname, j);
            if (s)
                REPORT_AT(c, s, p, "expected a unique id (%s.[%zu] has it too)", lname,
                          i);
            else
                report(c, g, p, NULL,
                       "expected a unique id (%s.[%zu] has the "
                       "implicit id %s too)",
                       lname, i, idj);
            break;
        }
    }
}

/* First pass over actors and locations: copy valid ids (and actor kinds) so
 * that references can be resolved whatever the order of the file. Errors
 * are left to the second pass. */
static void first_pass(load_ctx *c, config_setting_t *l, size_t n, int actors)
{
    for (size_t i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        if (!g || config_setting_type(g) != CONFIG_TYPE_GROUP) continue;
        const char *id = NULL, *kind = NULL;
        char *dst = actors ? c->sc->actors[i].id : c->sc->locations[i].id;
        if (config_setting_lookup_string(g, "id", &id) && valid_id(id))
            memcpy(dst, id, strlen(id) + 1);
        if (!actors) continue;
        c->actor_kind[i] = -1;
        if (config_setting_lookup_string(g, "kind", &kind))
            for (int k = 0; k < DR_ACTOR_KIND_COUNT; k++)
                if (strcmp(kind, dr_actor_kind_names[k]) == 0) c->actor_kind[i] = k;
    }
}

/* Give an element without a `name` its id as name. */
static void default_name(load_ctx *c, char **name, const char *id)
{
    free(*name);
    *name = dup_str(id);
    if (!*name) out_of_memory(c);
}

/* Second pass over actors: all settings, plus the militant rules. */
static void load_actors(load_ctx *c, config_setting_t *l)
{
    dr_scenario *sc = c->sc;
    char p[DR_PATH_MAX], q[DR_PATH_MAX];
    for (size_t i = 0; i < sc->n_actors; i++) {
        dr_actor *a = &sc->actors[i];
        int kind;
        join_index(p, "actors", i);
        init_refs(&actor_table, (char *)a);
        config_setting_t *g = list_group(c, l, i, p);
        if (!g) continue;
        uint64_t present = read_group(c, &actor_table, g, p, (char *)a, &kind);
        if (!(present & 2u)) default_name(c, &a->name, a->id);
        if (kind != DR_ACTOR_MILITANT) continue;
        double sum = a->target_security + a->target_civilians + a->target_projects;
        if (sum <= 0) {
            config_setting_t *t = config_setting_get_member(g, "targets");
            join_name(q, p, "targets");
            report(c, t ? t : g, q, t ? "{ ... }" : NULL,
                   "expected target "
                   "weights that are not all zero (security, civilians, "
                   "projects)");
        } else {
            a->target_security /= sum;
            a->target_civilians /= sum;
            a->target_projects /= sum;
        }
        if (a->sanctuary != DR_NONE && a->sanctuary == a->host) {
            config_setting_t *s = config_setting_get_member(g, "sanctuary");
            join_name(q, p, "sanctuary");
            REPORT_AT(c, s, q, "expected a state other than host");
        }
    }
    check_unique_ids(c, l, "actors", sc->actors[0].id, sc->n_actors, sizeof(dr_actor));
}

/* Second pass over locations. */
static void load_locations(load_ctx *c, config_setting_t *l)
{
    dr_scenario *sc = c->sc;
    char p[DR_PATH_MAX];
    for (size_t i = 0; i < sc->n_locations; i++) {
        dr_location *loc = &sc->locations[i];
        join_index(p, "locations", i);
        init_refs(&location_table, (char *)loc);
        config_setting_t *g = list_group(c, l, i, p);
        if (!g) continue;
        uint64_t present = read_group(c, &location_table, g, p, (char *)loc, NULL);
        if (!(present & 2u)) default_name(c, &loc->name, loc->id);
    }
    check_unique_ids(c, l, "locations", sc->locations[0].id, sc->n_locations,
                     sizeof(dr_location));
}

/* Country of location index li, or DR_NONE. */
static size_t country_of(const dr_scenario *sc, size_t li)
{
    return li < sc->n_locations ? sc->locations[li].country : DR_NONE;
}

/*
 * In a scenario with routes, every location must be an end of one: a
 * location no route reaches can never be entered or left by anyone, which
 * is a forgotten route, not a model. (Without any route, every location is
 * an island and movement is off, which is allowed.) Checked only when every
 * route's ends resolved, so that a misspelt id is reported once, at the
 * route.
 */
static void check_reached(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    char p[DR_PATH_MAX];
    if (sc->n_routes == 0) return;
    for (size_t r = 0; r < sc->n_routes; r++)
        if (sc->routes[r].from == DR_NONE || sc->routes[r].to == DR_NONE) return;
    config_setting_t *l =
        config_setting_get_member(config_root_setting(&c->cfg), "locations");
    for (size_t i = 0; i < sc->n_locations; i++) {
        int reached = 0;
        for (size_t r = 0; r < sc->n_routes && !reached; r++)
            reached = sc->routes[r].from == i || sc->routes[r].to == i;
        if (reached || !sc->locations[i].id[0]) continue;
        config_setting_t *g = l ? config_setting_get_elem(l, (unsigned)i) : NULL;
        config_setting_t *id = g ? config_setting_get_member(g, "id") : NULL;
        snprintf(p, sizeof p, "locations.[%zu].id", i);
        if (id)
            REPORT_AT(c, id, p,
                      "expected a location that a route starts or "
                      "ends at (the scenario has routes, and none reaches %s)",
                      sc->locations[i].id);
    }
}

/* Routes: settings, implicit ids, the country rules and one route per
 * pair of locations. */
static void load_routes(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    size_t n;
    char p[DR_PATH_MAX], q[DR_PATH_MAX];
    config_setting_t *l = get_list(c, "routes", 0, &n);
    sc->routes = alloc_array(c, n, sizeof(dr_route));
    if (!sc->routes) return;
    sc->n_routes = n;
    for (size_t i = 0; i < n; i++) {
        dr_route *r = &sc->routes[i];
        int kind;
        join_index(p, "routes", i);
        init_refs(&route_table, (char *)r);
        config_setting_t *g = list_group(c, l, i, p);
        if (!g) continue;
        uint64_t present = read_group(c, &route_table, g, p, (char *)r, &kind);
        if (!(present & 1u) && r->from != DR_NONE && r->to != DR_NONE)
            snprintf(r->id, sizeof r->id, "%s-%s", sc->locations[r->from].id,
                     sc->locations[r->to].id);
        if (r->from == DR_NONE || r->to == DR_NONE) continue;
        if (r->from == r->to) {
            join_name(q, p, "to");
            REPORT_AT(c, config_setting_get_member(g, "to"), q,
                      "expected a location other than from");
            continue;
        }
        size_t cf = country_of(sc, r->from), ct = country_of(sc, r->to);
        if (kind >= 0 && cf != DR_NONE && ct != DR_NONE) {
            config_setting_t *ks = config_setting_get_member(g, "kind");
            join_name(q, p, "kind");
            if (kind == DR_ROUTE_ROAD && cf != ct) {
                if (ks)
                    REPORT_AT(c, ks, q,
                              "expected crossing or informal for a "
                              "route between %s and %s (a road stays in one "
                              "country)",
                              sc->actors[cf].id, sc->actors[ct].id);
                else
                    report(c, g, q, NULL,
                           "expected kind = \"crossing\" or "
                           "\"informal\" for a route between %s and %s (the "
                           "default, road, stays in one country)",
                           sc->actors[cf].id, sc->actors[ct].id);
            } else if (kind != DR_ROUTE_ROAD && cf == ct) {
                REPORT_AT(c, ks, q,
                          "expected road: a %s must join two "
                          "countries, but both ends are in %s",
                          dr_route_kind_names[kind], sc->actors[cf].id);
            }
        }
        for (size_t j = 0; j < i; j++) {
            const dr_route *o = &sc->routes[j];
            if ((o->from == r->from && o->to == r->to) ||
                (o->from == r->to && o->to == r->from)) {
                report(c, g, p, NULL,
                       "expected one route per pair of "
                       "locations (routes.[%zu] also joins %s and %s)",
                       j, sc->locations[r->from].id, sc->locations[r->to].id);
                break;
            }
        }
    }
    check_unique_ids(c, l, "routes", sc->routes[0].id, n, sizeof(dr_route));
    check_reached(c);
}

/* Forces: settings and one entry per (actor, location). */
static void load_forces(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    size_t n;
    char p[DR_PATH_MAX];
    config_setting_t *l = get_list(c, "forces", 0, &n);
    sc->forces = alloc_array(c, n, sizeof(dr_force));
    if (!sc->forces) return;
    sc->n_forces = n;
    for (size_t i = 0; i < n; i++) {
        dr_force *f = &sc->forces[i];
        join_index(p, "forces", i);
        init_refs(&force_table, (char *)f);
        config_setting_t *g = list_group(c, l, i, p);
        if (!g) continue;
        read_group(c, &force_table, g, p, (char *)f, NULL);
        if (f->actor == DR_NONE || f->location == DR_NONE) continue;
        for (size_t j = 0; j < i; j++)
            if (sc->forces[j].actor == f->actor &&
                sc->forces[j].location == f->location) {
                report(c, g, p, NULL,
                       "expected one entry per (actor, "
                       "location) pair (forces.[%zu] also places %s at %s)",
                       j, sc->actors[f->actor].id, sc->locations[f->location].id);
                break;
            }
    }
}

/* Civilians: settings, origin defaulting to location, one entry per
 * (location, origin). */
static void load_civilians(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    size_t n;
    char p[DR_PATH_MAX];
    config_setting_t *l = get_list(c, "civilians", 0, &n);
    sc->civilians = alloc_array(c, n, sizeof(dr_civilians));
    if (!sc->civilians) return;
    sc->n_civilians = n;
    for (size_t i = 0; i < n; i++) {
        dr_civilians *cv = &sc->civilians[i];
        join_index(p, "civilians", i);
        init_refs(&civilian_table, (char *)cv);
        config_setting_t *g = list_group(c, l, i, p);
        if (!g) continue;
        uint64_t present = read_group(c, &civilian_table, g, p, (char *)cv, NULL);
        if (!(present & 2u)) cv->origin = cv->location;
        if (cv->location == DR_NONE || cv->origin == DR_NONE) continue;
        for (size_t j = 0; j < i; j++)
            if (sc->civilians[j].location == cv->location &&
                sc->civilians[j].origin == cv->origin) {
                report(c, g, p, NULL,
                       "expected one entry per (location, "
                       "origin) pair (civilians.[%zu] has %s from %s too)",
                       j, sc->locations[cv->location].id, sc->locations[cv->origin].id);
                break;
            }
    }
}

/* Fill the id "A-B" and nothing else of an expanded dyad. */
static void dyad_id(const dr_scenario *sc, dr_dyad *d)
{
    snprintf(d->id, sizeof d->id, "%s-%s", sc->actors[d->a].id, sc->actors[d->b].id);
}

/* Dyads: settings, defaults that depend on other settings, one entry per
 * ordered pair, mirroring, and the reverse index. */
static void load_dyads(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    size_t n;
    char p[DR_PATH_MAX], q[DR_PATH_MAX];
    config_setting_t *l = get_list(c, "dyads", 0, &n);
    dyad_in *in = alloc_array(c, n, sizeof(dyad_in));
    sc->dyads = alloc_array(c, 2 * n, sizeof(dr_dyad));
    int *derive_baseline = alloc_array(c, 2 * n, sizeof(int));
    if (!in || !sc->dyads || !derive_baseline) {
        free(in);
        free(derive_baseline);
        return;
    }
    const dr_relations_params *rel = &sc->params.relations;
    for (size_t i = 0; i < n; i++) {
        dyad_in *d = &in[i];
        join_index(p, "dyads", i);
        snprintf(d->path, sizeof d->path, "dyads.[%zu]", i);
        init_refs(&dyad_table, (char *)d);
        config_setting_t *g = list_group(c, l, i, p);
        d->group = g;
        if (!g) continue;
        d->present = read_group(c, &dyad_table, g, p, (char *)d, NULL);
        if (!(d->present & (1u << DY_REACTIVITY))) d->d.reactivity = rel->reactivity;
        if (!(d->present & (1u << DY_RESTRAINT))) d->d.restraint = rel->restraint;
        if (!(d->present & (1u << DY_VOLATILITY))) d->d.volatility = rel->volatility;
        if (d->d.a != DR_NONE && d->d.a == d->d.b) {
            join_name(q, p, "b");
            REPORT_AT(c, config_setting_get_member(g, "b"), q,
                      "expected an actor other than a");
            d->d.a = DR_NONE;
            continue;
        }
        if (d->d.a == DR_NONE || d->d.b == DR_NONE) continue;
        for (size_t j = 0; j < i; j++)
            if (in[j].d.a == d->d.a && in[j].d.b == d->d.b) {
                report(c, g, p, NULL,
                       "expected each ordered pair once "
                       "(dyads.[%zu] is also %s-%s)",
                       j, sc->actors[d->d.a].id, sc->actors[d->d.b].id);
                d->d.a = DR_NONE;
                break;
            }
    }
    /* Listed entries in file order, each followed by its mirror when the
     * reverse pair is not listed itself. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i].d.a == DR_NONE || in[i].d.b == DR_NONE) continue;
        int derive = !(in[i].present & (1u << DY_BASELINE));
        sc->dyads[m] = in[i].d;
        dyad_id(sc, &sc->dyads[m]);
        derive_baseline[m++] = derive;
        if (!in[i].symmetric) continue;
        int listed = 0;
        for (size_t j = 0; j < n; j++)
            listed |= in[j].d.a == in[i].d.b && in[j].d.b == in[i].d.a;
        if (listed) continue;
        dr_dyad mirror = in[i].d;
        mirror.a = in[i].d.b;
        mirror.b = in[i].d.a;
        dyad_id(sc, &mirror);
        derive_baseline[m] = derive;
        sc->dyads[m++] = mirror;
    }
    sc->n_dyads = m;
    for (size_t i = 0; i < m; i++)
        sc->dyads[i].reverse = dr_scenario_find_dyad(sc, sc->dyads[i].b, sc->dyads[i].a);
    /* Without an explicit baseline, T0 is chosen so that the day-0 tensions
     * are the Richardson fixed point: T_ab = T0_ab + k_ab*T_ba/a_eff_ab. A
     * quiet scenario then stays where it was calibrated, and only events
     * and mechanisms move it. */
    for (size_t i = 0; i < m; i++) {
        dr_dyad *y = &sc->dyads[i];
        if (!derive_baseline[i]) continue;
        double a_eff =
            y->restraint * (1.0 + rel->interdependence_restraint * y->interdependence);
        double t_ba = y->reverse != DR_NONE ? sc->dyads[y->reverse].tension : 0.0;
        y->baseline_tension =
            a_eff > 0.0 ? y->tension - y->reactivity * t_ba / a_eff : y->tension;
    }
    free(derive_baseline);
    free(in);
}

/* ------------------------------------------------------------------------ */
/* Paths: "model.relations.restraint", "actors.[TTP].fighters"               */
/* ------------------------------------------------------------------------ */

typedef struct seg {
    char text[2 * DR_ID_MAX + 2]; /* a name, or what is inside [...] */
    int bracket;                  /* 1 for [N] or [ID] */
} seg;

/* Whether ch may appear in a setting name or an id. */
static int is_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_';
}

/* Split a path into segments: names separated by '.', list elements as
 * [N] or [ID] (also [A-B]), written ".[X]" or directly after a name.
 * Returns 0, or -1 if the path is malformed. */
static int parse_path(const char *p, seg *segs, size_t *n)
{
    *n = 0;
    if (!p || !*p) return -1;
    for (;;) {
        if (*n == DR_MAX_SEGS) return -1;
        seg *s = &segs[(*n)++];
        size_t k = 0;
        s->bracket = *p == '[';
        if (s->bracket) p++;
        while (is_name_char(*p) || (s->bracket && *p == '-')) {
            if (k + 1 >= sizeof s->text) return -1;
            s->text[k++] = *p++;
        }
        s->text[k] = '\0';
        if (k == 0) return -1;
        if (s->bracket && *p++ != ']') return -1;
        if (*p == '\0') return 0;
        if (*p == '.')
            p++;
        else if (*p != '[')
            return -1;
    }
}

/* Whether s is all digits (then [s] is a position, not an id). */
static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Events                                                                    */
/* ------------------------------------------------------------------------ */

/* Comma-separated settable settings of table t for kind. */
static void settable_names(const table *t, int kind, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < t->n; i++) {
        if (!(t->fields[i].flags & FL_SET) || !applies(&t->fields[i], kind)) continue;
        if (buf[0]) strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, t->fields[i].name, n - strlen(buf) - 1);
    }
    if (!buf[0]) snprintf(buf, n, "none");
}

/*
 * Resolve the path of a `set` event to a dr_set_target and validate its
 * value exactly like the setting it names. `g` is the event's group and
 * `path` the event's path ("events.[i]").
 */
static void resolve_set(load_ctx *c, event_in *ev, config_setting_t *g, const char *path)
{
    dr_scenario *sc = c->sc;
    char pp[DR_PATH_MAX], vp[DR_PATH_MAX], names[512], why[640];
    seg segs[DR_MAX_SEGS];
    size_t n, k = 0;
    config_setting_t *ps = config_setting_get_member(g, "path");
    dr_set_target *tg = &ev->e.target;
    join_name(pp, path, "path");
    join_name(vp, path, "value");
    if (!ps || !ev->e.path) return;
    if (parse_path(ev->e.path, segs, &n) != 0 || segs[0].bracket) {
        REPORT_AT(c, ps, pp,
                  "expected a path such as "
                  "\"actors.[ID].setting\" or \"model.relations.restraint\"");
        return;
    }
    const top_entry *top = NULL;
    for (size_t i = 0; i < N_TOP; i++)
        if (strcmp(segs[0].text, top_entries[i].name) == 0) top = &top_entries[i];
    if (!top) {
        REPORT_AT(c, ps, pp,
                  "expected a path starting with model, actors, "
                  "locations, routes or dyads");
        return;
    }
    const table *t = top->t;
    int kind = -1;
    size_t index = 0, offset = 0;
    k = 1;
    if (top->is_list) {
        if (t->target == DR_TARGET_PARAMS) {
            REPORT_AT(c, ps, pp,
                      "expected the path of a settable setting "
                      "(nothing in %s is settable)",
                      top->name);
            return;
        }
        size_t count = t->target == DR_TARGET_ACTOR      ? sc->n_actors
                       : t->target == DR_TARGET_LOCATION ? sc->n_locations
                       : t->target == DR_TARGET_ROUTE    ? sc->n_routes
                                                         : sc->n_dyads;
        if (n < 2 || !segs[1].bracket) {
            REPORT_AT(c, ps, pp, "expected %s.[N] or %s.[ID] after %s", top->name,
                      top->name, top->name);
            return;
        }
        const char *key = segs[1].text;
        index = DR_NONE;
        if (all_digits(key)) {
            char *end;
            unsigned long long v = strtoull(key, &end, 10);
            if (v < count) index = (size_t)v;
        } else if (t->target == DR_TARGET_ACTOR) {
            index = dr_scenario_find_actor(sc, key);
        } else if (t->target == DR_TARGET_LOCATION) {
            index = dr_scenario_find_location(sc, key);
        } else if (t->target == DR_TARGET_ROUTE) {
            index = dr_scenario_find_route(sc, key);
        } else {
            for (size_t i = 0; i < sc->n_dyads && index == DR_NONE; i++)
                if (strcmp(sc->dyads[i].id, key) == 0) index = i;
        }
        if (index == DR_NONE) {
            REPORT_AT(c, ps, pp,
                      "expected an element of %s: a position "
                      "below %zu or an id (there is no [%s])",
                      top->name, count, key);
            return;
        }
        if (t->target == DR_TARGET_ACTOR)
            kind = (int)sc->actors[index].kind;
        else if (t->target == DR_TARGET_ROUTE)
            kind = (int)sc->routes[index].kind;
        k = 2;
    } else if (t != &model_table) {
        REPORT_AT(c, ps, pp,
                  "expected the path of a settable setting "
                  "(nothing in %s is settable)",
                  top->name);
        return;
    }
    const field *f = NULL;
    for (; k < n; k++) {
        int fi = segs[k].bracket ? -1 : find_field(t, segs[k].text, kind);
        if (fi == -2) {
            kinds_with_field(t, segs[k].text, names, sizeof names);
            REPORT_AT(c, ps, pp,
                      "expected the path of a settable setting "
                      "(%s is a setting of a %s %s, and [%s] is a %s)",
                      segs[k].text, names, t->what, segs[1].text, kind_name(t, kind));
            return;
        }
        if (fi < 0) {
            settable_names(t, kind, names, sizeof names);
            snprintf(why, sizeof why, "%s", names);
            REPORT_AT(c, ps, pp,
                      "expected the path of a settable setting "
                      "(there is no %s here; settable: %s)",
                      segs[k].text, why);
            return;
        }
        f = &t->fields[fi];
        offset += f->off;
        if (f->type == F_GROUP) {
            if (k + 1 == n) break;
            t = f->sub;
            kind = -1;
            f = NULL;
            continue;
        }
        if (k + 1 != n) f = NULL;
        break;
    }
    if (!f || !(f->flags & FL_SET)) {
        settable_names(t, kind, names, sizeof names);
        REPORT_AT(c, ps, pp,
                  "expected the path of a settable setting "
                  "(settable here: %s)",
                  names);
        return;
    }
    tg->table = top->t->target;
    tg->index = index;
    tg->offset = offset;
    tg->type = f->type == F_FLOAT  ? DR_VALUE_DOUBLE
               : f->type == F_INT  ? DR_VALUE_INT64
               : f->type == F_BOOL ? DR_VALUE_BOOL
                                   : DR_VALUE_ENUM;
    if (!ev->value) return;
    scalar v;
    snprintf(why, sizeof why, "(as %s)", ev->e.path);
    if (check_scalar(c, f, ev->value, vp, why, &v) == 0) {
        tg->value = v.d;
        ev->set_ok = 1;
    }
}

/*
 * The posture thresholds must stay in order while `set` events change them.
 * Events are sorted by day; the set events of one day are applied together
 * (so that a day may move all three thresholds past each other) and the
 * order is checked at the end of each such day. Reports once, at the last
 * threshold event of the first day that breaks the order, and nothing if
 * the initial values are already out of order (check_thresholds() has said
 * so).
 */
static void check_set_thresholds(load_ctx *c, const event_in *ev, size_t n)
{
    dr_posture_params p = c->sc->params.postures;
    const size_t lo = offsetof(dr_params, postures);
    char path[DR_PATH_MAX], detail[160];
    if (threshold_violation(&p) >= 0) return;
    for (size_t i = 0; i < n;) {
        int64_t day = ev[i].e.day;
        size_t last = DR_NONE;
        for (; i < n && ev[i].e.day == day; i++) {
            const dr_set_target *t = &ev[i].e.target;
            if (ev[i].e.type != DR_EVENT_SET || !ev[i].set_ok ||
                t->table != DR_TARGET_PARAMS || t->type != DR_VALUE_DOUBLE ||
                t->offset < lo)
                continue;
            for (int k = 0; k < 3; k++)
                if (t->offset - lo == thresholds[k].off) {
                    memcpy((char *)&p + thresholds[k].off, &t->value, sizeof t->value);
                    last = i;
                }
        }
        if (last == DR_NONE) continue;
        int k = threshold_violation(&p);
        if (k < 0) continue;
        snprintf(path, sizeof path, "events.[%zu].value", ev[last].file_index);
        threshold_detail(&p, k, detail, sizeof detail);
        REPORT_AT(c, ev[last].value, path,
                  "expected a value that keeps "
                  "threshold_hold <= threshold_pressure <= threshold_strike "
                  "after the set events of day %lld (as %s; %s)",
                  (long long)day, ev[last].e.path, detail);
        return;
    }
}

/* Order of events: by day, then by position in the file. */
static int event_order(const void *x, const void *y)
{
    const event_in *a = x, *b = y;
    if (a->e.day != b->e.day) return a->e.day < b->e.day ? -1 : 1;
    return a->file_index < b->file_index ? -1 : a->file_index > b->file_index;
}

/* Events: settings by type, day or date, type-specific rules, `set`
 * targets; stored sorted by day, stable within a day. */
static void load_events(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    size_t n;
    char p[DR_PATH_MAX], q[DR_PATH_MAX];
    config_setting_t *l = get_list(c, "events", 0, &n);
    event_in *ev = alloc_array(c, n, sizeof(event_in));
    sc->events = alloc_array(c, n, sizeof(dr_event));
    if (!ev || !sc->events) {
        free(ev);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        event_in *e = &ev[i];
        int type;
        e->file_index = i;
        join_index(p, "events", i);
        init_refs(&event_table, (char *)e);
        config_setting_t *g = list_group(c, l, i, p);
        if (!g) continue;
        e->e.line = (int)config_setting_source_line(g);
        uint64_t present = read_group(c, &event_table, g, p, (char *)e, &type);
        int has_day = (present >> EV_DAY) & 1, has_date = (present >> EV_DATE) & 1;
        config_setting_t *dts = config_setting_get_member(g, "date");
        if (has_day && has_date) {
            join_name(q, p, "date");
            REPORT_AT(c, dts, q, "expected exactly one of day and date");
        } else if (!has_day && !has_date) {
            join_name(q, p, "day");
            report(c, g, q, NULL,
                   "missing required setting (expected day, "
                   "an integer, or date, \"YYYY-MM-DD\")");
        } else if (c->meta_ok && has_date && e->date[0]) {
            /* Events at or after day `days` are kept but never reached, so
             * that -s scenario.days=N can shorten a scenario; an event
             * before day 0 is an error. */
            int64_t epoch;
            dr_date_parse(e->date, &epoch);
            e->e.day = epoch - c->start_epoch;
            if (e->e.day < 0 || e->e.day > 36500) {
                join_name(q, p, "date");
                REPORT_AT(c, dts, q,
                          "expected a date from the start date, "
                          "%s, to 36500 days later",
                          sc->meta.start_date);
            }
        }
        if (type == DR_EVENT_SHOCK && e->e.a != DR_NONE && e->e.b != DR_NONE) {
            join_name(q, p, "b");
            if (e->e.a == e->e.b)
                REPORT_AT(c, config_setting_get_member(g, "b"), q,
                          "expected an actor other than a");
            else if (dr_scenario_find_dyad(sc, e->e.a, e->e.b) == DR_NONE)
                REPORT_AT(c, config_setting_get_member(g, "b"), q,
                          "expected an actor that a has a dyad with (there is "
                          "no dyad %s-%s)",
                          sc->actors[e->e.a].id, sc->actors[e->e.b].id);
        }
        if (type == DR_EVENT_SHOCK && (present >> EV_FATALITIES & 1) &&
            !(present >> EV_LOCATION_SHOCK & 1) && e->e.fatalities > 0) {
            join_name(q, p, "fatalities");
            REPORT_AT(c, config_setting_get_member(g, "fatalities"), q,
                      "expected a location setting with fatalities (deaths "
                      "happen somewhere)");
        }
        if (type == DR_EVENT_SET) resolve_set(c, e, g, p);
    }
    qsort(ev, n, sizeof *ev, event_order);
    check_set_thresholds(c, ev, n);
    for (size_t i = 0; i < n; i++) sc->events[i] = ev[i].e;
    sc->n_events = n;
    free(ev);
}

/* ------------------------------------------------------------------------ */
/* Overrides                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * The first list or array of text[0..len) with more than DR_LIST_MAX
 * elements: returns the offset of its opening bracket, or len if there is
 * none. libconfig 1.5 grows a list by a fixed step, so parsing a list of a
 * million elements is quadratic (many minutes under a sanitizer); this
 * linear scan lets the loader refuse it before parsing. It follows
 * libconfig's lexical rules just far enough: strings with escapes, the
 * three kinds of comment, and brackets ("," also ends a setting inside a
 * group, so only ( and [ count). Syntax errors are left to libconfig.
 */
static size_t find_long_list(const char *t, size_t len)
{
    enum { DEPTH = 64 }; /* deeper lists are not counted (nor parsed) */
    size_t commas[DEPTH], open[DEPTH], depth = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = t[i];
        if (ch == '"') {
            for (i++; i < len && t[i] != '"'; i++)
                if (t[i] == '\\') i++;
        } else if (ch == '#' || (ch == '/' && i + 1 < len && t[i + 1] == '/')) {
            while (i + 1 < len && t[i + 1] != '\n') i++;
        } else if (ch == '/' && i + 1 < len && t[i + 1] == '*') {
            for (i += 2; i + 1 < len && !(t[i] == '*' && t[i + 1] == '/'); i++) {
            }
            i++;
        } else if (ch == '(' || ch == '[' || ch == '{') {
            if (depth < DEPTH) {
                commas[depth] = ch == '{' ? DR_NONE : 0;
                open[depth] = i;
            }
            depth++;
        } else if (ch == ')' || ch == ']' || ch == '}') {
            if (depth) depth--;
        } else if (ch == ',' && depth > 0 && depth <= DEPTH &&
                   commas[depth - 1] != DR_NONE && ++commas[depth - 1] >= DR_LIST_MAX) {
            return open[depth - 1];
        }
    }
    return len;
}

/* Report a problem with override `text` itself (not with its value). */
static void report_override(load_ctx *c, const char *text, const char *fmt, ...)
{
    char msg[DR_MSG_MAX];
    va_list ap;
    c->n_errors++;
    if (c->n_errors > DR_MAX_ERRORS || !c->err) return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(c->err, "-s %s: %s\n", text, msg);
}

/* Element of list l addressed by key: a position, the element whose id is
 * key, for dyads the entry a = A, b = B of "A-B", for routes without id
 * the entry from = FROM, to = TO of "FROM-TO". NULL if there is none. */
static config_setting_t *find_element(config_setting_t *l, const char *lname,
                                      const char *key)
{
    int n = config_setting_length(l);
    if (all_digits(key)) {
        char *end;
        unsigned long long v = strtoull(key, &end, 10);
        return v < (unsigned long long)n ? config_setting_get_elem(l, (unsigned)v) : NULL;
    }
    const char *dash = strchr(key, '-');
    for (int i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        const char *id = NULL, *a = NULL, *b = NULL;
        if (config_setting_type(g) != CONFIG_TYPE_GROUP) continue;
        if (config_setting_lookup_string(g, "id", &id) && strcmp(id, key) == 0) return g;
        if (!dash) continue;
        int is_dyads = strcmp(lname, "dyads") == 0;
        int is_routes = strcmp(lname, "routes") == 0 && !id;
        if (!is_dyads && !is_routes) continue;
        if (config_setting_lookup_string(g, is_dyads ? "a" : "from", &a) &&
            config_setting_lookup_string(g, is_dyads ? "b" : "to", &b) &&
            strlen(a) == (size_t)(dash - key) &&
            strncmp(a, key, (size_t)(dash - key)) == 0 && strcmp(b, dash + 1) == 0)
            return g;
    }
    return NULL;
}

/* Copy scalar src into the new setting dst of the same type. */
static void copy_scalar(config_setting_t *dst, const config_setting_t *src)
{
    switch (config_setting_type(src)) {
    case CONFIG_TYPE_INT:
        config_setting_set_int(dst, config_setting_get_int(src));
        break;
    case CONFIG_TYPE_INT64:
        config_setting_set_int64(dst, config_setting_get_int64(src));
        break;
    case CONFIG_TYPE_FLOAT:
        config_setting_set_float(dst, config_setting_get_float(src));
        break;
    case CONFIG_TYPE_BOOL:
        config_setting_set_bool(dst, config_setting_get_bool(src));
        break;
    case CONFIG_TYPE_STRING:
        config_setting_set_string(dst, config_setting_get_string(src));
        break;
    default:
        break;
    }
}

/*
 * Apply override `text` ("PATH=VALUE", stored in the scenario, which the
 * new setting's hook points at) to the tree: the group on the path must
 * exist; the setting is replaced (whatever its old type) or added. VALUE is
 * read as a libconfig scalar or array; anything else is a bare string.
 */
static void apply_override(load_ctx *c, char *text)
{
    seg segs[DR_MAX_SEGS];
    size_t n;
    char pathbuf[DR_PATH_MAX], sofar[DR_PATH_MAX];
    const char *eq = strchr(text, '=');
    if (!eq) {
        report_override(c, text, "expected PATH=VALUE");
        return;
    }
    size_t plen = (size_t)(eq - text);
    if (plen >= sizeof pathbuf) plen = sizeof pathbuf - 1;
    memcpy(pathbuf, text, plen);
    pathbuf[plen] = '\0';
    if (parse_path(pathbuf, segs, &n) != 0 || segs[n - 1].bracket || segs[0].bracket) {
        report_override(c, text,
                        "%s: expected a path such as scenario.days "
                        "or actors.[ID].setting",
                        pathbuf);
        return;
    }
    config_setting_t *cur = config_root_setting(&c->cfg);
    sofar[0] = '\0';
    for (size_t i = 0; i + 1 < n; i++) {
        char next[DR_PATH_MAX];
        if (segs[i].bracket) {
            if (snprintf(next, sizeof next, "%s.[%s]", sofar, segs[i].text) >=
                (int)sizeof next)
                next[sizeof next - 1] = '\0';
            if (config_setting_type(cur) != CONFIG_TYPE_LIST) {
                report_override(c, text,
                                "%s: expected a list before [%s], "
                                "but %s is not one",
                                next, segs[i].text, sofar);
                return;
            }
            config_setting_t *e = find_element(cur, sofar, segs[i].text);
            if (!e) {
                report_override(c, text,
                                "%s: no such element (expected a "
                                "position below %d or the id of an element "
                                "of %s%s)",
                                next, config_setting_length(cur), sofar,
                                strcmp(sofar, "dyads") == 0
                                    ? "; overrides address dyads as "
                                      "the file lists them, not their "
                                      "mirrors"
                                    : "");
                return;
            }
            cur = e;
        } else {
            join_name(next, sofar, segs[i].text);
            config_setting_t *m = config_setting_type(cur) == CONFIG_TYPE_GROUP
                                      ? config_setting_get_member(cur, segs[i].text)
                                      : NULL;
            if (!m && config_setting_type(cur) == CONFIG_TYPE_GROUP) {
                /* A missing group is created (and marked as coming from this
                 * override), so that -s model.relations.restraint=0.05 works
                 * on a file without a model group; a misspelt group name is
                 * then reported by validation as an unknown setting. */
                m = config_setting_add(cur, segs[i].text, CONFIG_TYPE_GROUP);
                if (m) config_setting_set_hook(m, text);
            }
            if (!m || (config_setting_type(m) != CONFIG_TYPE_GROUP &&
                       config_setting_type(m) != CONFIG_TYPE_LIST)) {
                report_override(c, text,
                                "%s: expected a group or list, "
                                "found %s",
                                next, m ? "a value" : "a list");
                return;
            }
            cur = m;
        }
        memcpy(sofar, next, sizeof sofar);
    }
    const char *name = segs[n - 1].text;
    if (config_setting_type(cur) != CONFIG_TYPE_GROUP) {
        report_override(c, text,
                        "%s: expected a setting of a group, %s is "
                        "a list",
                        pathbuf, sofar);
        return;
    }
    config_setting_t *old = config_setting_get_member(cur, name);
    if (old && (config_setting_type(old) == CONFIG_TYPE_GROUP ||
                config_setting_type(old) == CONFIG_TYPE_LIST)) {
        report_override(c, text,
                        "%s: expected the path of a value, not of a "
                        "%s",
                        pathbuf,
                        config_setting_type(old) == CONFIG_TYPE_GROUP ? "group" : "list");
        return;
    }

    /* Read the value as the right-hand side of a setting. */
    config_t tmp;
    const char *value = eq + 1;
    size_t vlen = strlen(value);
    char *src = malloc(vlen + 16);
    if (!src) {
        out_of_memory(c);
        return;
    }
    snprintf(src, vlen + 16, "v = %s;", value);
    if (find_long_list(src, strlen(src)) < strlen(src)) {
        report_override(c, text, "%s: expected a list of at most %d elements", pathbuf,
                        DR_LIST_MAX);
        free(src);
        return;
    }
    config_init(&tmp);
    config_setting_t *parsed = NULL;
    if (config_read_string(&tmp, src) == CONFIG_TRUE &&
        config_setting_length(config_root_setting(&tmp)) == 1)
        parsed = config_setting_get_member(config_root_setting(&tmp), "v");
    free(src);
    int type = parsed ? config_setting_type(parsed) : CONFIG_TYPE_STRING;
    if (type == CONFIG_TYPE_GROUP || type == CONFIG_TYPE_LIST) {
        report_override(c, text,
                        "%s: expected a number, string, boolean or "
                        "array value",
                        pathbuf);
        config_destroy(&tmp);
        return;
    }
    if (old) config_setting_remove(cur, name);
    config_setting_t *s = config_setting_add(cur, name, type);
    if (!s) {
        report_override(c, text,
                        "%s: expected a setting name of letters, "
                        "digits and _",
                        pathbuf);
        config_destroy(&tmp);
        return;
    }
    if (!parsed) {
        config_setting_set_string(s, value);
    } else if (type == CONFIG_TYPE_ARRAY) {
        for (int i = 0; i < config_setting_length(parsed); i++) {
            config_setting_t *e = config_setting_get_elem(parsed, (unsigned)i);
            config_setting_t *d = config_setting_add(s, NULL, config_setting_type(e));
            if (d) copy_scalar(d, e);
        }
    } else {
        copy_scalar(s, parsed);
    }
    config_setting_set_hook(s, text);
    config_destroy(&tmp);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */
/* ------------------------------------------------------------------------ */

/* Read a whole file into a NUL-terminated buffer; *len gets its size.
 * Returns NULL with *why set to the errno of the call that failed, or to
 * EFBIG when the file holds more than DR_TEXT_MAX bytes (reading stops
 * there, so an endless pipe or device cannot exhaust memory). */
static char *read_file(const char *path, size_t *len, int *why)
{
    errno = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = errno;
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    *why = buf ? 0 : ENOMEM;
    while (buf) {
        if (n > DR_TEXT_MAX) {
            free(buf);
            buf = NULL;
            *why = EFBIG;
            break;
        }
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                *why = ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    if (bad) *why = errno ? errno : EIO;
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Offsets of the starts of lines in the text, for line-level checks. */
static int index_lines(load_ctx *c, size_t len)
{
    const char *t = c->sc->text;
    size_t n = 1;
    for (size_t i = 0; i < len; i++) n += t[i] == '\n';
    c->line_start = malloc(n * sizeof(size_t));
    if (!c->line_start) return -1;
    c->n_lines = 0;
    c->line_start[c->n_lines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n') c->line_start[c->n_lines++] = i + 1;
    return 0;
}

/* Report a list that find_long_list found at offset `at` of the file. */
static void report_long_list(load_ctx *c, size_t at)
{
    const char *t = c->sc->text;
    size_t line = 1, k = at, n = 0;
    char name[DR_PATH_MAX] = "";
    for (size_t i = 0; i < at; i++) line += t[i] == '\n';
    /* The setting's name: "name = [" or "name : (". */
    while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t')) k--;
    if (k > 0 && (t[k - 1] == '=' || t[k - 1] == ':')) k--;
    while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t')) k--;
    while (k > n && is_name_char(t[k - 1 - n]) && n + 1 < sizeof name) n++;
    memcpy(name, t + k - n, n);
    name[n] = '\0';
    c->n_errors++;
    if (c->err)
        fprintf(c->err,
                "%s:%zu: %s%s%c ... %c: expected a list of at most %d "
                "elements (this one has more)\n",
                c->file, line, name, n ? " = " : "", t[at], t[at] == '(' ? ')' : ']',
                DR_LIST_MAX);
}

/* Checks on the raw text that libconfig would not make: no NUL bytes (the
 * text is embedded in results as a string) and no @include (a scenario is
 * one self-contained file, so its text alone reproduces the run). */
static void check_text(load_ctx *c, size_t len)
{
    const char *t = c->sc->text;
    if (strlen(t) != len) {
        size_t line = 1;
        for (size_t i = 0; i < strlen(t); i++) line += t[i] == '\n';
        c->n_errors++;
        if (c->err)
            fprintf(c->err, "%s:%zu: expected a text file (found a NUL byte)\n", c->file,
                    line);
        return;
    }
    for (size_t i = 0; i < c->n_lines; i++) {
        const char *p = t + c->line_start[i];
        while (*p == ' ' || *p == '\t') p++;
        if (strncmp(p, "@include", 8) == 0) {
            c->n_errors++;
            if (c->err)
                fprintf(c->err,
                        "%s:%zu: @include: expected a self-contained "
                        "scenario file (@include is not supported)\n",
                        c->file, i + 1);
        }
    }
}

/* Report a libconfig parse error with the offending line's text. */
static void report_syntax(load_ctx *c)
{
    int line = c->cfg.error_line;
    char src[128] = "";
    if (line >= 1 && (size_t)line <= c->n_lines) {
        const char *p = c->sc->text + c->line_start[line - 1];
        while (*p == ' ' || *p == '\t') p++;
        size_t k = 0;
        while (p[k] && p[k] != '\n' && p[k] != '\r' && k < 60) k++;
        char piece[64];
        memcpy(piece, p, k);
        piece[k] = '\0';
        quote_into(src, sizeof src, piece);
    }
    c->n_errors++;
    if (!c->err) return;
    fprintf(c->err, "%s:%d: syntax error: %s%s%s\n", c->file, line > 0 ? line : 1,
            c->cfg.error_text ? c->cfg.error_text : "unreadable", src[0] ? " at " : "",
            src);
}

/* Top level: unknown settings and the type of the scenario/model groups. */
static void check_top(load_ctx *c)
{
    config_setting_t *root = config_root_setting(&c->cfg);
    char names[256] = "";
    for (size_t i = 0; i < N_TOP; i++) {
        if (i) strcat(names, ", ");
        strcat(names, top_entries[i].name);
    }
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *name = config_setting_name(s);
        int known = 0;
        for (size_t k = 0; k < N_TOP; k++)
            known |= name && strcmp(name, top_entries[k].name) == 0;
        if (!known)
            report(c, s, name ? name : "?", NULL, "unknown setting (expected one of %s)",
                   names);
    }
}

/* The `scenario` and `model` groups. */
static void load_meta_and_model(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    config_setting_t *root = config_root_setting(&c->cfg);
    config_setting_t *g = config_setting_get_member(root, "scenario");
    if (!g) {
        report(c, root, "scenario", NULL,
               "missing required setting (expected "
               "a group { name = \"...\"; start_date = \"YYYY-MM-DD\"; })");
    } else if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        REPORT_AT(c, g, "scenario", "expected a group { ... }");
    } else {
        read_group(c, &meta_table, g, "scenario", (char *)&sc->meta, NULL);
    }
    c->meta_ok = dr_date_parse(sc->meta.start_date, &c->start_epoch) == 0;

    g = config_setting_get_member(root, "model");
    if (g && config_setting_type(g) != CONFIG_TYPE_GROUP) {
        REPORT_AT(c, g, "model", "expected a group { ... }");
        g = NULL;
    }
    int before = c->n_errors;
    read_group(c, &model_table, g, "model", (char *)&sc->params, NULL);
    /* A setting that failed its own check holds its default, which says
     * nothing about the order the file meant: check only a clean group. */
    if (c->n_errors == before) {
        config_setting_t *pg = g ? config_setting_get_member(g, "postures") : NULL;
        check_thresholds(c,
                         pg && config_setting_type(pg) == CONFIG_TYPE_GROUP ? pg : NULL);
    }
}

/*
 * The `sweep` group: design, points, replications and the `params` list
 * (each { path; lo; hi; levels; integer; }). The parameter paths are
 * checked by `durand sweep`, which loads the scenario at both ends of each
 * range; here the entries are checked one by one and against each other.
 */
static void load_sweep(load_ctx *c)
{
    dr_sweep_spec *sw = &c->sc->sweep;
    config_setting_t *root = config_root_setting(&c->cfg);
    config_setting_t *g = config_setting_get_member(root, "sweep");
    sw->design = DR_SWEEP_DESIGN_FACTORIAL;
    sw->replications = 1;
    if (!g) return;
    sw->present = 1;
    sw->line = config_setting_source_line(g);
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        REPORT_AT(c, g, "sweep",
                  "expected a group { design = \"...\"; params = "
                  "( { path = \"...\"; lo = ...; hi = ...; }, ... ); }");
        return;
    }
    /* The scalar settings through the table; `params` is taken out of the
     * member loop by checking it here first. */
    config_setting_t *pl = config_setting_get_member(g, "params");
    int n_members = config_setting_length(g);
    int given_points = 0, given_design = 0;
    char p[DR_PATH_MAX];
    for (int i = 0; i < n_members; i++) {
        config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(s);
        if (s == pl) continue;
        int fi = name ? find_field(&sweep_table, name, -1) : -1;
        join_name(p, "sweep", name ? name : "?");
        if (fi < 0) {
            char names[256];
            field_names(&sweep_table, -1, names, sizeof names);
            report(c, s, p, NULL, "unknown setting (expected one of %s, params)", names);
            continue;
        }
        given_points |= !strcmp(name, "points");
        given_design |= !strcmp(name, "design");
        read_field(c, &sweep_table.fields[fi], s, p, (char *)sw);
    }
    (void)given_design;
    size_t n = 0;
    if (pl) {
        int type = config_setting_type(pl);
        if (type == CONFIG_TYPE_ARRAY && config_setting_length(pl) == 0) {
            n = 0;
        } else if (type != CONFIG_TYPE_LIST) {
            REPORT_AT(c, pl, "sweep.params",
                      "expected a list of groups "
                      "( { path = \"...\"; lo = ...; hi = ...; }, ... )");
            return;
        } else {
            n = (size_t)config_setting_length(pl);
        }
        if (n > DR_SWEEP_PARAMS_MAX) {
            REPORT_AT(c, pl, "sweep.params",
                      "expected at most %d parameters (it "
                      "has %zu)",
                      DR_SWEEP_PARAMS_MAX, n);
            return;
        }
    }
    if (n) {
        sw->params = alloc_array(c, n, sizeof *sw->params);
        if (!sw->params) return;
        sw->n_params = n;
    }
    for (size_t i = 0; i < n; i++) {
        char ep[DR_PATH_MAX];
        join_index(ep, "sweep.params", i);
        config_setting_t *e = list_group(c, pl, i, ep);
        dr_sweep_param_spec *q = &sw->params[i];
        if (!e) continue;
        q->line = config_setting_source_line(e);
        int before = c->n_errors;
        read_group(c, &sweep_param_table, e, ep, (char *)q, NULL);
        if (c->n_errors != before || !q->path) continue;
        if (!(q->lo <= q->hi)) {
            config_setting_t *hs = config_setting_get_member(e, "hi");
            join_name(p, ep, "hi");
            REPORT_AT(c, hs ? hs : e, p, "expected hi >= lo = %.17g", q->lo);
        }
        for (size_t k = 0; k < i; k++)
            if (sw->params[k].path && !strcmp(sw->params[k].path, q->path)) {
                config_setting_t *ps = config_setting_get_member(e, "path");
                join_name(p, ep, "path");
                REPORT_AT(c, ps ? ps : e, p,
                          "expected each path once (also "
                          "sweep.params.[%zu], line %d)",
                          k, sw->params[k].line);
            }
    }
    if (sw->design != DR_SWEEP_DESIGN_FACTORIAL && n == 0)
        report(c, g, "sweep.params", NULL,
               "missing (design \"%s\" expected "
               "at least one parameter)",
               dr_sweep_design_names[sw->design]);
    if (sw->design != DR_SWEEP_DESIGN_FACTORIAL && !given_points)
        report(c, g, "sweep.points", NULL,
               "missing required setting (design "
               "\"%s\" expected %s)",
               dr_sweep_design_names[sw->design],
               sw->design == DR_SWEEP_DESIGN_LHS ? "the number of points"
               : sw->design == DR_SWEEP_DESIGN_SOBOL
                   ? "the base sample size N; N*(k+2) points"
                   : "the number of trajectories r; r*(k+1) points");
    if (sw->design == DR_SWEEP_DESIGN_FACTORIAL && given_points) {
        config_setting_t *ps = config_setting_get_member(g, "points");
        REPORT_AT(c, ps, "sweep.points",
                  "expected no points with design = "
                  "\"factorial\" (its size comes from the levels of each "
                  "parameter; choose design = \"lhs\" for a set number)");
    }
}

/* Day index of a date setting, or -1 after reporting one outside
 * 0..36500 days from the start date. */
static int64_t day_of_date(load_ctx *c, config_setting_t *s, const char *path,
                           const char *date)
{
    int64_t epoch;
    if (!c->meta_ok || dr_date_parse(date, &epoch) != 0) return -1;
    int64_t day = epoch - c->start_epoch;
    if (day < 0 || day > 36500) {
        REPORT_AT(c, s, path,
                  "expected a date from the start date, %s, to 36500 days later",
                  c->sc->meta.start_date);
        return -1;
    }
    return day;
}

/* One of `name` (a day) and `name_date` (a date), or neither; *day gets
 * the day (unchanged when neither was given). */
static void day_or_date(load_ctx *c, config_setting_t *g, const char *p, uint64_t present,
                        int f_day, int f_date, int64_t *day, const char *date)
{
    char q[DR_PATH_MAX];
    const char *dname = iv_fields[f_date].name;
    int has_day = (present >> f_day) & 1, has_date = (present >> f_date) & 1;
    if (has_day && has_date) {
        join_name(q, p, dname);
        REPORT_AT(c, config_setting_get_member(g, dname), q, "expected one of %s and %s",
                  iv_fields[f_day].name, dname);
    } else if (has_date && date[0]) {
        join_name(q, p, dname);
        int64_t d = day_of_date(c, config_setting_get_member(g, dname), q, date);
        if (d >= 0) *day = d;
    }
}

/* A dyad joins two of the parties: the parties must have one. */
static int parties_have_dyad(const dr_scenario *sc, const dr_intervention *v)
{
    for (size_t i = 0; i < v->n_parties; i++)
        for (size_t j = 0; j < v->n_parties; j++)
            if (i != j &&
                dr_scenario_find_dyad(sc, v->parties[i], v->parties[j]) != DR_NONE)
                return 1;
    return 0;
}

/* Append the entries of list l (of file `file`, listed as `lname`) to
 * sc->interventions. */
static void load_interventions(load_ctx *c, config_setting_t *l, const char *lname,
                               const char *file)
{
    dr_scenario *sc = c->sc;
    char p[DR_PATH_MAX], q[DR_PATH_MAX];
    size_t n = l ? (size_t)config_setting_length(l) : 0;
    if (!n) return;
    if (n > DR_LIST_MAX - sc->n_interventions) {
        REPORT_AT(c, l, lname, "expected at most %d interventions", DR_LIST_MAX);
        return;
    }
    dr_intervention *grown =
        realloc(sc->interventions, (sc->n_interventions + n) * sizeof *grown);
    if (!grown) {
        out_of_memory(c);
        return;
    }
    sc->interventions = grown;
    const char *saved_file = c->file;
    c->file = file;
    for (size_t i = 0; i < n; i++) {
        dr_intervention *v = &sc->interventions[sc->n_interventions];
        memset(v, 0, sizeof *v);
        sc->n_interventions++;
        v->file = dup_str(file);
        if (!v->file) out_of_memory(c);
        int type;
        join_index(p, lname, i);
        init_refs(&iv_table, (char *)v);
        config_setting_t *g = list_group(c, l, i, p);
        if (!g) continue;
        v->line = (int)config_setting_source_line(g);
        uint64_t present = read_group(c, &iv_table, g, p, (char *)v, &type);
        if (!(present & 2u)) default_name(c, &v->name, v->id);
        day_or_date(c, g, p, present, IVF_START, IVF_START_DATE, &v->start,
                    v->start_date);
        day_or_date(c, g, p, present, IVF_END, IVF_END_DATE, &v->end, v->end_date);
        if (v->end <= v->start) {
            int has_date = (present >> IVF_END_DATE) & 1;
            const char *nm = has_date ? "end_date" : "end";
            join_name(q, p, nm);
            config_setting_t *es = config_setting_get_member(g, nm);
            REPORT_AT(c, es ? es : g, q, "expected an end after the start (day %lld)",
                      (long long)v->start);
        }
        v->adaptive = (present >> IVF_TRIGGER) & 1;
        if (v->adaptive) {
            config_setting_t *ts = config_setting_get_member(g, "trigger");
            join_name(q, p, "trigger");
            /* Absent, not merely invalid (that was reported already). */
            if (ts && config_setting_type(ts) == CONFIG_TYPE_GROUP &&
                !config_setting_get_member(ts, "tension_above") &&
                !config_setting_get_member(ts, "involvement_above"))
                REPORT_AT(c, ts, q,
                          "expected a condition: tension_above (0..1) or, for a "
                          "mediation, involvement_above (0..1)");
            if (!isnan(v->trigger_involvement) && type != DR_IV_MEDIATION)
                REPORT_AT(c, ts, q,
                          "expected tension_above (involvement_above is the "
                          "mediator's and needs type = \"mediation\")");
        }
        if (v->n_parties >= 2 && !parties_have_dyad(sc, v)) {
            join_name(q, p, "parties");
            REPORT_AT(c, config_setting_get_member(g, "parties"), q,
                      "expected parties joined by at least one dyad (see `dyads`)");
        }
        for (size_t k = 0; k + 1 < sc->n_interventions; k++)
            if (v->id[0] && !strcmp(sc->interventions[k].id, v->id)) {
                join_name(q, p, "id");
                REPORT_AT(c, config_setting_get_member(g, "id"), q,
                          "expected a unique id (also at %s:%d)",
                          sc->interventions[k].file, sc->interventions[k].line);
                break;
            }
    }
    c->file = saved_file;
}

/* Every power with adaptive_mediator = true gets a mediation between all
 * states that opens when its involvement reaches
 * model.powers.mediation_threshold (MODEL.md §2 phase 9). Created after
 * the file's and the strategy's entries, with id POWER_mediation, unless
 * an entry already has that id or the power already mediates in an entry
 * of the file or strategy. */
static void add_adaptive_mediations(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    size_t n_states = 0;
    for (size_t i = 0; i < sc->n_actors; i++)
        n_states += sc->actors[i].kind == DR_ACTOR_STATE;
    if (n_states < 2) return;
    for (size_t i = 0; i < sc->n_actors; i++) {
        const dr_actor *a = &sc->actors[i];
        if (a->kind != DR_ACTOR_POWER || !a->adaptive_mediator) continue;
        char id[DR_ID_MAX + 16];
        snprintf(id, sizeof id, "%s_mediation", a->id);
        if (strlen(id) >= DR_ID_MAX) id[DR_ID_MAX - 1] = '\0';
        if (dr_scenario_find_intervention(sc, id) != DR_NONE) continue;
        int joined = 0; /* some pair of states has a dyad */
        for (size_t x = 0; x < sc->n_dyads; x++)
            joined |= sc->actors[sc->dyads[x].a].kind == DR_ACTOR_STATE &&
                      sc->actors[sc->dyads[x].b].kind == DR_ACTOR_STATE;
        if (!joined) return;
        int mediating = 0; /* it already mediates by design */
        for (size_t k = 0; k < sc->n_interventions; k++)
            mediating |= sc->interventions[k].type == DR_IV_MEDIATION &&
                         sc->interventions[k].mediator == i;
        if (mediating) continue;
        dr_intervention *grown =
            realloc(sc->interventions, (sc->n_interventions + 1) * sizeof *grown);
        if (!grown) {
            out_of_memory(c);
            return;
        }
        sc->interventions = grown;
        dr_intervention *v = &sc->interventions[sc->n_interventions++];
        memset(v, 0, sizeof *v);
        init_refs(&iv_table, (char *)v);
        v->type = DR_IV_MEDIATION;
        for (size_t k = 0; k < sizeof iv_fields / sizeof iv_fields[0]; k++) {
            const field *f = &iv_fields[k];
            if (f->type == F_REFS || f->type == F_STRING || f->type == F_ID ||
                f->type == F_DATE || f->type == F_GROUP || (f->flags & FL_REQ))
                continue;
            if (!applies(f, DR_IV_MEDIATION)) continue;
            store_default(c, f, (char *)v);
        }
        for (size_t k = 0; k < sizeof trigger_fields / sizeof trigger_fields[0]; k++)
            store_default(c, &trigger_fields[k], (char *)v);
        memcpy(v->id, id, strlen(id) + 1);
        char name[256];
        snprintf(name, sizeof name, "adaptive mediation by %s", a->name);
        v->name = dup_str(name);
        v->file = dup_str(c->file);
        v->parties = calloc(n_states, sizeof *v->parties);
        if (!v->name || !v->file || !v->parties) {
            out_of_memory(c);
            return;
        }
        for (size_t k = 0; k < sc->n_actors; k++)
            if (sc->actors[k].kind == DR_ACTOR_STATE) v->parties[v->n_parties++] = k;
        v->mediator = i;
        v->cost = sc->params.powers.mediation_cost;
        v->adaptive = 1;
        v->trigger_involvement = sc->params.powers.mediation_threshold;
        v->line = 0;
    }
}

/* Validate the whole tree into c->sc. */
static void validate(load_ctx *c)
{
    dr_scenario *sc = c->sc;
    size_t na, nl;
    check_top(c);
    load_meta_and_model(c);
    config_setting_t *al = get_list(c, "actors", 1, &na);
    config_setting_t *ll = get_list(c, "locations", 1, &nl);
    sc->actors = alloc_array(c, na, sizeof(dr_actor));
    sc->locations = alloc_array(c, nl, sizeof(dr_location));
    c->actor_kind = alloc_array(c, na, sizeof(int));
    if (!sc->actors || !sc->locations || !c->actor_kind) return;
    sc->n_actors = na;
    sc->n_locations = nl;
    first_pass(c, al, na, 1);
    first_pass(c, ll, nl, 0);
    load_actors(c, al);
    load_locations(c, ll);
    if (c->oom) return;
    load_routes(c);
    load_forces(c);
    load_civilians(c);
    load_dyads(c);
    if (c->oom) return;
    load_events(c);
    load_sweep(c);
    if (c->oom) return;
    size_t n_iv;
    config_setting_t *il = get_list(c, "interventions", 0, &n_iv);
    load_interventions(c, il, "interventions", c->file);
    if (c->extra_interventions) {
        int type = config_setting_type(c->extra_interventions);
        if (type == CONFIG_TYPE_LIST)
            load_interventions(c, c->extra_interventions, c->extra_name, c->extra_file);
        else if (!(type == CONFIG_TYPE_ARRAY &&
                   config_setting_length(c->extra_interventions) == 0)) {
            const char *saved = c->file;
            c->file = c->extra_file;
            REPORT_AT(
                c, c->extra_interventions, c->extra_name,
                "expected a list of groups ( { id = \"...\"; type = \"...\"; ... }, "
                "... )");
            c->file = saved;
        }
    }
    if (c->oom) return;
    add_adaptive_mediations(c);
}

/* Load and validate a scenario with, optionally, another file's list of
 * interventions appended (a strategy's). */
static dr_scenario *load_scenario(const char *path, const char *const *overrides,
                                  size_t n_overrides, config_setting_t *extra,
                                  const char *extra_file, const char *extra_name,
                                  FILE *err)
{
    load_ctx c;
    size_t len = 0;
    memset(&c, 0, sizeof c);
    c.file = path ? path : "(no file)";
    c.err = err;
    c.extra_interventions = extra;
    c.extra_file = extra_file;
    c.extra_name = extra_name;
    c.sc = calloc(1, sizeof(dr_scenario));
    if (!c.sc) {
        if (err) fprintf(err, "%s: out of memory\n", c.file);
        return NULL;
    }
    dr_scenario *sc = c.sc;
    sc->path = dup_str(c.file);
    sc->overrides = calloc(n_overrides ? n_overrides : 1, sizeof(char *));
    if (!sc->path || !sc->overrides) {
        if (err) fprintf(err, "%s: out of memory\n", c.file);
        dr_scenario_destroy(sc);
        return NULL;
    }
    for (size_t i = 0; i < n_overrides; i++) {
        sc->overrides[i] = dup_str(overrides[i] ? overrides[i] : "");
        if (!sc->overrides[i]) {
            if (err) fprintf(err, "%s: out of memory\n", c.file);
            dr_scenario_destroy(sc);
            return NULL;
        }
        sc->n_overrides = i + 1;
    }
    int why = ENOENT;
    sc->text = path ? read_file(path, &len, &why) : NULL;
    if (!sc->text) {
        if (err && why == EFBIG)
            fprintf(err,
                    "%s: cannot read the scenario file: it is larger "
                    "than %zu MiB (expected a scenario text)\n",
                    c.file, DR_TEXT_MAX >> 20);
        else if (err)
            fprintf(err, "%s: cannot read the scenario file: %s\n", c.file,
                    strerror(why));
        dr_scenario_destroy(sc);
        return NULL;
    }
    if (index_lines(&c, len) != 0) {
        if (err) fprintf(err, "%s: out of memory\n", c.file);
        dr_scenario_destroy(sc);
        return NULL;
    }
    check_text(&c, len);
    if (c.n_errors == 0 && find_long_list(sc->text, len) < len)
        report_long_list(&c, find_long_list(sc->text, len));
    config_init(&c.cfg);
    if (c.n_errors == 0) {
        if (config_read_string(&c.cfg, sc->text) != CONFIG_TRUE) {
            report_syntax(&c);
        } else {
            for (size_t i = 0; i < n_overrides; i++) apply_override(&c, sc->overrides[i]);
            validate(&c);
        }
    }
    config_destroy(&c.cfg);
    free(c.actor_kind);
    free(c.line_start);
    if (c.n_errors > 0 || c.oom) {
        if (c.n_errors > DR_MAX_ERRORS && err)
            fprintf(err, "%s: %d more errors not shown\n", c.file,
                    c.n_errors - DR_MAX_ERRORS);
        dr_scenario_destroy(sc);
        return NULL;
    }
    return sc;
}

/* Load and validate a scenario; see scenario.h for the contract. */
dr_scenario *dr_scenario_load(const char *path, const char *const *overrides,
                              size_t n_overrides, FILE *err)
{
    return load_scenario(path, overrides, n_overrides, NULL, NULL, NULL, err);
}

/* ------------------------------------------------------------------------ */
/* Strategies files                                                          */
/* ------------------------------------------------------------------------ */

/* A strategy name: 1..63 of [A-Za-z0-9_-]. */
static int valid_strategy_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 63) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(is_name_char(s[i]) || s[i] == '-')) return 0;
    return 1;
}

void dr_strategies_destroy(dr_strategy_set *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->n; i++) {
        free(set->strategies[i].name);
        free(set->strategies[i].description);
        dr_scenario_destroy(set->strategies[i].sc);
    }
    free(set->strategies);
    free(set->path);
    free(set->text);
    free(set);
}

/* Messages about the strategies file itself: "FILE:LINE: PATH = VALUE:
 * MESSAGE" through the loader's reporter, with c->file the strategies
 * file. */
dr_strategy_set *dr_strategies_load(const char *scenario_path,
                                    const char *const *overrides, size_t n_overrides,
                                    const char *strategies_path, FILE *err)
{
    load_ctx c;
    size_t len = 0;
    int why = ENOENT;
    memset(&c, 0, sizeof c);
    c.file = strategies_path ? strategies_path : "(no file)";
    c.err = err;
    dr_strategy_set *set = calloc(1, sizeof *set);
    if (!set) {
        if (err) fprintf(err, "%s: out of memory\n", c.file);
        return NULL;
    }
    set->path = dup_str(c.file);
    set->text = strategies_path ? read_file(strategies_path, &len, &why) : NULL;
    if (!set->path || !set->text) {
        if (err && why == EFBIG)
            fprintf(err,
                    "%s: cannot read the strategies file: it is larger than %zu MiB\n",
                    c.file, DR_TEXT_MAX >> 20);
        else if (err)
            fprintf(err, "%s: cannot read the strategies file: %s\n", c.file,
                    set->path ? strerror(why) : "out of memory");
        dr_strategies_destroy(set);
        return NULL;
    }
    /* The text checks and syntax report work on a scenario's text. */
    dr_scenario tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.text = set->text;
    c.sc = &tmp;
    if (index_lines(&c, len) != 0) {
        if (err) fprintf(err, "%s: out of memory\n", c.file);
        dr_strategies_destroy(set);
        return NULL;
    }
    check_text(&c, len);
    if (c.n_errors == 0 && find_long_list(set->text, len) < len)
        report_long_list(&c, find_long_list(set->text, len));
    config_init(&c.cfg);
    config_setting_t *list = NULL;
    size_t n = 0;
    if (c.n_errors == 0 && config_read_string(&c.cfg, set->text) != CONFIG_TRUE)
        report_syntax(&c);
    if (c.n_errors == 0) {
        config_setting_t *root = config_root_setting(&c.cfg);
        for (int i = 0; i < config_setting_length(root); i++) {
            config_setting_t *e = config_setting_get_elem(root, (unsigned)i);
            const char *name = config_setting_name(e);
            if (!name || (strcmp(name, "strategies") && strcmp(name, "baseline")))
                report(&c, e, name ? name : "?", NULL,
                       "unknown setting (expected strategies, baseline)");
        }
        list = config_setting_get_member(root, "strategies");
        if (!list) {
            report(&c, root, "strategies", NULL,
                   "missing required setting (expected a list of groups ( { name = "
                   "\"...\"; interventions = ( ... ); set = [ ... ]; }, ... ))");
        } else if (config_setting_type(list) != CONFIG_TYPE_LIST ||
                   config_setting_length(list) == 0) {
            REPORT_AT(
                &c, list, "strategies",
                "expected a non-empty list of groups ( { name = \"...\"; ... }, ... )");
            list = NULL;
        } else {
            n = (size_t)config_setting_length(list);
            if (n > 1000) {
                REPORT_AT(&c, list, "strategies", "expected at most 1000 strategies");
                n = 0;
                list = NULL;
            }
        }
    }
    set->strategies = n ? calloc(n, sizeof *set->strategies) : NULL;
    if (n && !set->strategies) out_of_memory(&c);
    char p[DR_PATH_MAX], q[DR_PATH_MAX];
    /* First the names, so that `baseline` can be checked. */
    for (size_t i = 0; set->strategies && i < n; i++) {
        dr_strategy *st = &set->strategies[i];
        join_index(p, "strategies", i);
        config_setting_t *g = list_group(&c, list, i, p);
        set->n = i + 1;
        if (!g) continue;
        st->line = (int)config_setting_source_line(g);
        for (int k = 0; k < config_setting_length(g); k++) {
            config_setting_t *e = config_setting_get_elem(g, (unsigned)k);
            const char *name = config_setting_name(e);
            if (!name || (strcmp(name, "name") && strcmp(name, "description") &&
                          strcmp(name, "interventions") && strcmp(name, "set"))) {
                join_name(q, p, name ? name : "?");
                report(
                    &c, e, q, NULL,
                    "unknown setting (expected name, description, interventions, set)");
            }
        }
        const char *name = NULL, *desc = "";
        config_setting_t *ns = config_setting_get_member(g, "name");
        join_name(q, p, "name");
        if (!ns) {
            report(&c, g, q, NULL,
                   "missing required setting (expected a name of 1 to 63 letters, "
                   "digits, _ or -)");
        } else if (config_setting_type(ns) != CONFIG_TYPE_STRING ||
                   !valid_strategy_name(name = config_setting_get_string(ns))) {
            REPORT_AT(&c, ns, q, "expected a name of 1 to 63 letters, digits, _ or -");
            name = NULL;
        } else {
            for (size_t k = 0; k < i; k++)
                if (set->strategies[k].name && !strcmp(set->strategies[k].name, name))
                    REPORT_AT(&c, ns, q,
                              "expected a unique name (strategies.[%zu] has it)", k);
        }
        config_setting_t *ds = config_setting_get_member(g, "description");
        if (ds) {
            join_name(q, p, "description");
            if (config_setting_type(ds) != CONFIG_TYPE_STRING)
                REPORT_AT(&c, ds, q, "expected a string");
            else
                desc = config_setting_get_string(ds);
        }
        st->name = dup_str(name ? name : "");
        st->description = dup_str(desc);
        if (!st->name || !st->description) out_of_memory(&c);
        config_setting_t *ss = config_setting_get_member(g, "set");
        if (ss) {
            join_name(q, p, "set");
            int t = config_setting_type(ss);
            if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
                REPORT_AT(&c, ss, q, "expected a list of \"PATH=VALUE\" strings");
            else
                for (int k = 0; k < config_setting_length(ss); k++) {
                    config_setting_t *e = config_setting_get_elem(ss, (unsigned)k);
                    const char *txt = config_setting_get_string(e);
                    if (!txt || !strchr(txt, '=')) {
                        char sp[DR_PATH_MAX];
                        join_name(sp, p, "set");
                        join_index(q, sp, (size_t)k);
                        REPORT_AT(&c, e, q,
                                  "expected a string \"PATH=VALUE\" (as for -s)");
                    }
                }
        }
    }
    config_setting_t *bs =
        config_setting_get_member(config_root_setting(&c.cfg), "baseline");
    if (c.n_errors == 0 && bs) {
        const char *b = config_setting_get_string(bs);
        size_t k = n;
        for (size_t i = 0; b && i < n; i++)
            if (!strcmp(set->strategies[i].name, b)) k = i;
        if (k == n)
            REPORT_AT(&c, bs, "baseline", "expected the name of one of the strategies");
        else
            set->baseline = k;
    }
    /* Then one scenario per strategy. */
    const int names_ok = c.n_errors == 0;
    for (size_t i = 0; names_ok && i < n; i++) {
        dr_strategy *st = &set->strategies[i];
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        config_setting_t *ss = config_setting_get_member(g, "set");
        size_t n_set = ss ? (size_t)config_setting_length(ss) : 0;
        const char **ov = calloc(n_overrides + n_set + 1, sizeof *ov);
        if (!ov) {
            out_of_memory(&c);
            break;
        }
        for (size_t k = 0; k < n_overrides; k++) ov[k] = overrides[k];
        for (size_t k = 0; k < n_set; k++)
            ov[n_overrides + k] = config_setting_get_string_elem(ss, (int)k);
        join_index(p, "strategies", i);
        join_name(q, p, "interventions");
        /* Errors of the scenario go to a buffer, so that a line naming the
         * strategy can come first. */
        FILE *buf = err ? tmpfile() : NULL;
        st->sc = load_scenario(scenario_path, ov, n_overrides + n_set,
                               config_setting_get_member(g, "interventions"), c.file, q,
                               buf ? buf : err);
        free(ov);
        if (!st->sc) {
            c.n_errors++;
            if (err)
                fprintf(err,
                        "%s:%d: strategies.[%zu] (\"%s\"): the scenario %s with this "
                        "strategy is not valid:\n",
                        c.file, st->line, i, st->name,
                        scenario_path ? scenario_path : "");
            if (buf) {
                rewind(buf);
                char line[2048];
                while (fgets(line, sizeof line, buf)) fprintf(err, "  %s", line);
            }
        }
        if (buf) fclose(buf);
    }
    config_destroy(&c.cfg);
    free(c.line_start);
    if (c.n_errors > 0 || c.oom) {
        dr_strategies_destroy(set);
        return NULL;
    }
    return set;
}

#define DR_STRINGIFY2(x) #x
#define DR_STRINGIFY(x) DR_STRINGIFY2(x)

/* Version of libconfig the loader was compiled against, e.g. "1.5". */
const char *dr_scenario_libconfig_version(void)
{
#if defined(LIBCONFIG_VER_MAJOR) && defined(LIBCONFIG_VER_MINOR)
    return DR_STRINGIFY(LIBCONFIG_VER_MAJOR) "." DR_STRINGIFY(LIBCONFIG_VER_MINOR);
#else
    return "older than 1.4";
#endif
}
