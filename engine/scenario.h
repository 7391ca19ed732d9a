/*
 * scenario.h — the validated, immutable description of a run.
 *
 * A dr_scenario is what the loader (scenario_load.c, the only file that knows
 * libconfig) makes of a scenario file plus command-line overrides. Every
 * field has been checked against scenarios/REFERENCE.md; every reference
 * between entries is resolved to an index. The engine only ever reads it.
 *
 * Units are given per field. Indices are size_t; a missing optional
 * reference is DR_NONE.
 */
#ifndef DR_SCENARIO_H
#define DR_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DR_NONE ((size_t)-1)
#define DR_ID_MAX 32 /* ids are 1..31 chars of [A-Za-z0-9_] */

/* Exit status for bad input, as the program reports it. */
#define DR_EXIT_INPUT 2

typedef enum dr_actor_kind {
    DR_ACTOR_STATE = 0,
    DR_ACTOR_MILITANT = 1,
    DR_ACTOR_POWER = 2,
    DR_ACTOR_ORGANIZATION = 3,
    DR_ACTOR_KIND_COUNT
} dr_actor_kind;

typedef enum dr_location_type {
    DR_LOC_CITY = 0,
    DR_LOC_TOWN = 1,
    DR_LOC_DISTRICT = 2,
    DR_LOC_CROSSING = 3,
    DR_LOC_CAMP = 4,
    DR_LOC_CONFLICT_ZONE = 5,
    DR_LOC_TYPE_COUNT
} dr_location_type;

typedef enum dr_route_kind {
    DR_ROUTE_ROAD = 0,
    DR_ROUTE_CROSSING = 1,
    DR_ROUTE_INFORMAL = 2,
    DR_ROUTE_KIND_COUNT
} dr_route_kind;

/* Values are written to files as flag_values: never renumber. */
typedef enum dr_crossing_status {
    DR_CROSSING_OPEN = 0,
    DR_CROSSING_RESTRICTED = 1,
    DR_CROSSING_CLOSED = 2,
    DR_CROSSING_STATUS_COUNT
} dr_crossing_status;

typedef enum dr_documentation {
    DR_DOC_CITIZEN = 0,
    DR_DOC_POR = 1,
    DR_DOC_ACC = 2,
    DR_DOC_UNDOCUMENTED = 3,
    DR_DOC_COUNT
} dr_documentation;

/* Event types. Values are written to files as flag_values: never renumber. */
typedef enum dr_event_type {
    DR_EVENT_BORDER_REGULATION = 0,
    DR_EVENT_DEPORTATION = 1,
    DR_EVENT_DEPLOYMENT = 2,
    DR_EVENT_SHOCK = 3,
    DR_EVENT_SUMMIT = 4,
    DR_EVENT_WITHDRAWAL = 5,
    DR_EVENT_SET = 6,
    DR_EVENT_TYPE_COUNT
} dr_event_type;

/* State postures toward another actor (MODEL.md §2 phase 3). Written as
 * flag_values: never renumber. */
typedef enum dr_posture {
    DR_POSTURE_COOPERATE = 0,
    DR_POSTURE_HOLD = 1,
    DR_POSTURE_PRESSURE = 2,
    DR_POSTURE_STRIKE = 3,
    DR_POSTURE_COUNT
} dr_posture;

/* Lanchester attrition laws for clashes. */
typedef enum dr_lanchester_law {
    DR_LANCHESTER_SQUARE = 0, /* aimed fire: dA/dt = -beta*B */
    DR_LANCHESTER_LINEAR = 1, /* area fire:  dA/dt = -beta*A*B */
    DR_LANCHESTER_LAW_COUNT
} dr_lanchester_law;

/* Lower-case names of the enums above, indexed by value. */
extern const char *const dr_actor_kind_names[DR_ACTOR_KIND_COUNT];
extern const char *const dr_location_type_names[DR_LOC_TYPE_COUNT];
extern const char *const dr_route_kind_names[DR_ROUTE_KIND_COUNT];
extern const char *const dr_crossing_status_names[DR_CROSSING_STATUS_COUNT];
extern const char *const dr_documentation_names[DR_DOC_COUNT];
extern const char *const dr_event_type_names[DR_EVENT_TYPE_COUNT];
extern const char *const dr_posture_names[DR_POSTURE_COUNT];
extern const char *const dr_lanchester_law_names[DR_LANCHESTER_LAW_COUNT];

typedef struct dr_meta {
    char *name;          /* owned */
    char *description;   /* owned, "" when absent */
    char start_date[11]; /* YYYY-MM-DD */
    int64_t days;        /* ticks, >= 1 */
    int64_t seed;        /* >= 0 */
    int64_t agent_scale; /* persons per agent, >= 1 */
} dr_meta;

/* model.intensity */
typedef struct dr_intensity_params {
    int enabled;
    double decay_days;       /* days, tau_I */
    double reference_deaths; /* deaths, I_ref */
} dr_intensity_params;

/* model.relations */
typedef struct dr_relations_params {
    int enabled;
    double reactivity;                /* 1/day, default k */
    double restraint;                 /* 1/day, default a */
    double volatility;                /* 1/sqrt(day), default sigma */
    double interdependence_restraint; /* w_E, dimensionless */
    double trust_relaxation;          /* 1/day */
} dr_relations_params;

/* model.postures (phase 3). Escalation propensity of state a toward b:
 *   e_ab = T_ab*resolve_a*(1 - w_interdependence*E_ab)
 *          + w_hostility*public_hostility_ab + w_attacks*M_ab
 * with M_ab the decayed count of attacks on a attributed to b. Posture from
 * y = e_ab + noise*Logistic(0,1) against the three increasing thresholds.
 * The tempo factors scale clash rates and counter-insurgency by posture
 * (cooperate: 0). */
typedef struct dr_posture_params {
    int enabled;               /* off: every state holds (DR_POSTURE_HOLD) */
    double threshold_hold;     /* y below: cooperate; default 0.15 */
    double threshold_pressure; /* y below: hold; default 0.35 */
    double threshold_strike;   /* y below: pressure, else strike; default 0.6 */
    double noise;              /* scale of the logistic noise; default 0.05 */
    double w_interdependence;  /* default 0.5 */
    double w_hostility;        /* default 0.2 */
    double w_attacks;          /* per remembered attack; default 0.02 */
    double attack_memory_days; /* e-folding of M_ab, days; default 14 */
    double hold_factor;        /* tempo under hold; default 0.25 */
    double pressure_factor;    /* tempo under pressure; default 1.0 */
    double strike_factor;      /* tempo under strike; default 2.0 */
} dr_posture_params;

/* model.clashes (phase 4): a bivariate Hawkes process per clash channel
 * (pair of armed actors at a location or across a border route):
 *   lambda_ij = base_rate*tempo_ij*presence*(1 - coordination_damping*C_ij)
 *               + X_ij
 *   X_ij <- X_ij*exp(-beta) + (1-exp(-beta))/beta*(alpha_s*N_ij + alpha_x*N_ji)
 * casualties per clash by stochastic Lanchester attrition. */
typedef struct dr_clash_params {
    int enabled;
    double base_rate;            /* clashes/day at tempo 1, presence 1; 0.02 */
    double force_reference;      /* persons; presence = 1-exp(-min/ref); 100 */
    double coordination_damping; /* w_C; 0.8 */
    double self_excitation;      /* alpha_s, 1/day; 0.1 */
    double cross_excitation;     /* alpha_x (retaliation), 1/day; 0.2 */
    double excitation_decay;     /* beta, 1/day; 0.5 */
    dr_lanchester_law law;       /* default square */
    double engagement;           /* share of present forces engaged; 0.05 */
    double max_engaged;          /* persons per side, cap; 200 */
    double duration_days;        /* fighting time per clash, days; 0.1 */
    double collateral;           /* civilian deaths per military death at
                                    density factor 1; 0.2 */
    double density_reference;    /* persons; factor = P/(P+ref); 100000 */
    double tension_per_death;    /* added to T_victim,attacker; 0.002 */
    double trust_per_clash;      /* trust lost both ways per clash; 0.01 */
    double closure_probability;  /* per clash touching a crossing; 0.2 */
    double closure_mean_days;    /* mean closure length, days; 7 */
} dr_clash_params;

/* model.militants (phase 5): attacks per group g and location l ~ Poisson
 *   base_rate*F^fighter_exponent*(1 + w_grievance*grievance_l)
 *   *(1 - w_security*security_l)*(1 - w_coordination*C_host,sanctuary) */
typedef struct dr_militant_params {
    int enabled;
    double base_rate;          /* attacks/day per fighter^kappa; 0.01 */
    double fighter_exponent;   /* kappa; 0.5 */
    double w_grievance;        /* 1.0 */
    double w_security;         /* 0.5 */
    double w_coordination;     /* w_x; 0.7 */
    double deaths_security;    /* mean per attack on security forces; 2.0 */
    double deaths_civilians;   /* mean per attack on civilians; 3.0 */
    double deaths_projects;    /* mean per attack on projects; 0.5 */
    double fighter_losses;     /* mean attackers killed per attack; 0.8 */
    double project_damage;     /* damage per attack on projects, 0..1; 0.05 */
    double recruitment;        /* share of the pool recruited per day; 0.0005 */
    double counterinsurgency;  /* daily removal hazard per unit
                                  security*presence*tempo; 0.002 */
    double tension_per_attack; /* added to T_host,sanctuary; 0.003 */
} dr_militant_params;

/* model.strikes (phase 5, escalation ladder): a state in `strike` posture
 * toward a militant group strikes the group's fighters in its sanctuary
 * state; the struck state may retaliate on the striker's border posts. */
typedef struct dr_strike_params {
    int enabled;
    double rate;                    /* strikes/day; 0.2 */
    double fighters_killed;         /* mean per strike; 10 */
    double civilians_killed;        /* mean per strike; 3 */
    double retaliation_probability; /* per strike; 0.5 */
    double retaliation_mean_days;   /* mean delay, days (>= 1); 2 */
    double tension_per_strike;      /* added to T_struck,striker; 0.05 */
} dr_strike_params;

/* Deepest route awareness (hops) that model.civilians.awareness_level
 * accepts; a planned route is packed into 4 bytes of the agent. */
#define DR_AWARENESS_MAX 4

/* model.civilians (phase 7): civilian agents on FLEE's movement rules,
 * crossings, returns, deportations, deaths and Epstein mobilisation. The
 * equations are in scenarios/REFERENCE.md; defaults are FLEE 3's where FLEE
 * has the rule. "Settled" agents are residents, returnees, and displaced
 * agents created settled (initial_settled) that have not moved since; the
 * other living agents are displaced and in flight (FLEE's agents). */
typedef struct dr_civilian_params {
    int enabled;
    /* Move chance per day by location type (FLEE's movechance), raised by
     * danger: p = min(1, f*base_type + w*d_l). */
    double move_chance_default;   /* city, town, district; 0.3 */
    double move_chance_conflict;  /* conflict_zone; 1.0 */
    double move_chance_camp;      /* camp; 0.001 */
    double move_chance_crossing;  /* crossing (FLEE's forwarding hub); 1.0 */
    double danger_weight;         /* w for displaced agents; 0 (FLEE) */
    double settled_factor;        /* f for settled agents (1 for displaced); 0 */
    double settled_danger_weight; /* w for settled agents; 0.0005 */
    int initial_settled;          /* displaced agents of `civilians` start
                                     settled; true */
    /* Destination choice (FLEE's route weighting). */
    int64_t awareness_level;   /* hops of the candidate routes, 1..4; 1 */
    double max_move_speed;     /* km/day; 360 */
    double foreign_weight;     /* score factor outside the origin country; 1 */
    double camp_weight;        /* score factor of camps; 1 */
    double conflict_weight;    /* score base raised to the danger; 1/sqrt(10) */
    double weight_softening;   /* added to the score; 0 */
    double distance_softening; /* km added to the route length; 10 */
    double distance_power;     /* exponent of the softened length; 1 */
    double weight_power;       /* exponent of the whole weight; 1 */
    double capacity_buffer;    /* B of the capacity ramp, 0..1; 0.9 */
    /* Crossings and informal routes. */
    double informal_speed;      /* speed factor on informal routes, 0..1; 0.5 */
    double informal_death_rate; /* hazard per day on an informal route; 0.001 */
    /* Deaths besides the violence of the day. */
    double death_rate; /* background hazard per day; 0 */
    /* Returns. */
    double return_danger; /* origin danger below which it counts as calm; 0.1 */
    int64_t return_days;  /* calm days before displaced agents return; 30 */
    double return_rate;   /* hazard per day of starting home once calm; 0 */
    double fear_return;   /* voluntary returns per unit deportation rate; 0 */
    /* Initial hardship H ~ Beta(a, b), risk aversion R ~ Beta(a, b). */
    double hardship_alpha, hardship_beta; /* 1, 1: uniform on [0,1] */
    double risk_alpha, risk_beta;         /* 1, 1 */
    double displacement_hardship;         /* H += x*(1-H) on displacement; 0.1 */
    double exposure_hardship;             /* H += x*d_l*(1-H) per day; 0.01 */
    /* Mobilisation (Epstein 2002). */
    int mobilisation;            /* switch; true */
    double arrest_constant;      /* k; 2.3 */
    double activation_threshold; /* theta; 0.1 */
    double security_ratio;       /* security agents per agent at security 1;
                                    0.04/0.7 (Epstein's densities) */
    double recruitment_weight;   /* pool persons per active person; 0 */
    /* Agents reserved at creation for dr_world_spawn; 0. */
    int64_t reserve_agents;
} dr_civilian_params;

/* model.interventions: coefficients shared by every intervention
 * (MODEL.md §3). The per-intervention settings are in dr_intervention. */
typedef struct dr_intervention_params {
    int enabled;                  /* off: interventions do nothing; true */
    double ceasefire_escalation;  /* w_cf: e_ab *= 1 - w_cf under ceasefire; 0.5 */
    double ceasefire_restraint;   /* restraint a *= 1 + x under ceasefire; 1.0 */
    double mediation_restraint;   /* restraint a *= 1 + x while mediated; 0.5 */
    double stalemate_memory_days; /* e-folding of the clash memory, days; 30 */
    double stalemate_reference;   /* clashes; S = 1 - exp(-memory/ref); 5 */
} dr_intervention_params;

/* model.powers (phase 9): external powers recalibrate. Threat to power p
 *   theta_p = (s_p*instability + r_p*displacement + j*projects_p
 *              + v_p*rivals_p) / (s_p + r_p + j + v_p)
 * with s, r, v the power's interests and j = project_weight when the power
 * has projects (else 0); involvement moves toward theta at
 * involvement_rate, alignment toward each state toward 1 - 2*blame share
 * at alignment_rate*involvement. */
typedef struct dr_power_params {
    int enabled;                  /* off: involvement and alignment fixed; true */
    double involvement_rate;      /* 1/day; 0.02 */
    double alignment_rate;        /* 1/day at involvement 1; 0.01 */
    double memory_days;           /* e-folding of attacks, blame, flows; 30 */
    double instability_reference; /* deaths/day (decayed); 10 */
    double displaced_reference;   /* displaced persons; 1e6 */
    double project_reference;     /* attacks on projects (decayed); 3 */
    double project_weight;        /* j; 1 */
    double mediation_threshold;   /* involvement at which an adaptive mediator
                                     opens mediation; 0.7 */
    double mediation_cost;        /* USD/day of that mediation; 50000 */
} dr_power_params;

/* The `model` group: all mechanism coefficients. Mutable copies live in the
 * world so that `set` events can change them mid-run. */
typedef struct dr_params {
    dr_intensity_params intensity;
    dr_relations_params relations;
    dr_posture_params postures;
    dr_clash_params clashes;
    dr_militant_params militants;
    dr_strike_params strikes;
    dr_civilian_params civilians;
    dr_intervention_params interventions;
    dr_power_params powers;
} dr_params;

typedef struct dr_actor {
    char id[DR_ID_MAX];
    char *name; /* owned by the scenario */
    dr_actor_kind kind;
    /* state */
    double strength;   /* personnel */
    double economy;    /* index 0..1 */
    double resolve;    /* 0..1 */
    double legitimacy; /* 0..1 */
    /* state and militant: Lanchester effectiveness, enemy persons put out
     * of action per engaged person per day of fighting */
    double lethality;
    /* militant */
    size_t host;             /* actor index (state) */
    size_t sanctuary;        /* actor index (state) or DR_NONE */
    double fighters;         /* persons */
    double recruitment_pool; /* persons */
    double target_security;  /* normalised weights, sum 1 */
    double target_civilians;
    double target_projects;
    /* power */
    double involvement; /* 0..1 */
    double leverage;    /* 0..1 (power and organization) */
    int adaptive_mediator;
    double interest_stability; /* weights 0..1 */
    double interest_refugees;
    double interest_rivalry;
    size_t *project_locations; /* owned, location indices */
    size_t n_project_locations;
    /* organization */
    size_t *members; /* owned, actor indices */
    size_t n_members;
} dr_actor;

typedef struct dr_location {
    char id[DR_ID_MAX];
    char *name;     /* owned */
    char *region;   /* owned, "" when not given: province/region label */
    size_t country; /* actor index (state) */
    dr_location_type type;
    double lat, lon;    /* degrees */
    int64_t population; /* persons */
    double ruggedness;  /* 0..1 */
    int64_t capacity;   /* persons, 0 = unlimited */
    double security;    /* 0..1 */
    double intensity;   /* deaths, I_l at day 0 */
    double grievance;   /* 0..1, local grievance feeding militant attacks */
    char **projects;    /* owned names */
    size_t n_projects;
} dr_location;

typedef struct dr_route {
    char id[2 * DR_ID_MAX + 1]; /* explicit id, or FROM-TO */
    size_t from, to;            /* location indices */
    double distance_km;
    dr_route_kind kind;
    dr_crossing_status status; /* crossings only; DR_CROSSING_OPEN otherwise */
    double pass_fraction;      /* 0..1 */
} dr_route;

typedef struct dr_force {
    size_t actor, location;
    double personnel; /* persons at day 0 */
} dr_force;

typedef struct dr_civilians {
    size_t location, origin;
    int64_t count[DR_DOC_COUNT]; /* persons by documentation */
} dr_civilians;

/* An ordered pair a->b. The scenario's dyad list is already expanded:
 * mirrored entries exist, each ordered pair appears at most once. */
typedef struct dr_dyad {
    char id[2 * DR_ID_MAX + 1]; /* "A-B" */
    size_t a, b;                /* actor indices */
    size_t reverse;             /* index of b->a, or DR_NONE */
    double tension;             /* T at day 0, 0..1 */
    double trust;               /* tau at day 0, 0..1 */
    double interdependence;     /* E, 0..1 */
    double public_hostility;    /* 0..1 */
    double alignment;           /* -1..1 */
    double baseline_tension;    /* T0 */
    double reactivity;          /* k, 1/day */
    double restraint;           /* a, 1/day */
    double volatility;          /* sigma */
} dr_dyad;

/* Where a `set` event (or an override) writes: which table, which element,
 * which field. Resolved and validated by the loader. */
typedef enum dr_target_table {
    DR_TARGET_PARAMS = 0,
    DR_TARGET_ACTOR = 1,
    DR_TARGET_LOCATION = 2,
    DR_TARGET_ROUTE = 3,
    DR_TARGET_DYAD = 4
} dr_target_table;

typedef enum dr_value_type {
    DR_VALUE_DOUBLE = 0,
    DR_VALUE_INT64 = 1,
    DR_VALUE_BOOL = 2, /* stored in an int */
    DR_VALUE_ENUM = 3  /* stored in an enum (int-sized) */
} dr_value_type;

typedef struct dr_set_target {
    dr_target_table table;
    size_t index;  /* element index; 0 for DR_TARGET_PARAMS */
    size_t offset; /* byte offset of the field in its struct */
    dr_value_type type;
    double value; /* the new value (bools and enums as 0,1,...) */
} dr_set_target;

typedef struct dr_event {
    int64_t day;
    dr_event_type type;
    char *note; /* owned, "" when absent */
    int line;   /* source line in the scenario file, 0 for overrides */
    /* border_regulation */
    size_t route;
    dr_crossing_status status;
    double pass_fraction; /* NAN = unchanged */
    /* shock, summit: tension/trust deltas */
    size_t a, b;
    double d_tension, d_trust;
    int symmetric;
    size_t location;   /* shock, deployment; DR_NONE when absent */
    double fatalities; /* shock */
    size_t *parties;   /* summit, owned */
    size_t n_parties;
    size_t host; /* summit, DR_NONE when absent */
    /* deployment, withdrawal */
    size_t actor;
    double delta;
    /* deportation */
    size_t country;
    dr_documentation documentation;
    double rate;
    int64_t duration; /* days; 0 = until the end */
    /* set */
    char *path; /* owned */
    dr_set_target target;
} dr_event;

/* Intervention families (MODEL.md §3). Written to files as flag_values:
 * never renumber. */
typedef enum dr_intervention_type {
    DR_IV_MEDIATION = 0,
    DR_IV_TASK_FORCE = 1,
    DR_IV_ECONOMIC = 2,
    DR_IV_OUTREACH = 3,
    DR_IV_TYPE_COUNT
} dr_intervention_type;

extern const char *const dr_intervention_type_names[DR_IV_TYPE_COUNT];

/*
 * One entry of `interventions` (scenarios/REFERENCE.md § interventions).
 * Acts on the dyads between its parties (every ordered pair of parties
 * that has a dyad). Active on days start <= day < end; an adaptive one
 * (trigger given) starts on the first day in that window on which its
 * condition has held for trigger_days consecutive days, and then runs for
 * `duration` days (0: to `end`). Cost accrues per active day.
 */
typedef struct dr_intervention {
    char id[DR_ID_MAX];
    char *name; /* owned */
    int line;   /* source line (0: created by the loader) */
    char *file; /* owned: the file that defined it (scenario or strategies) */
    dr_intervention_type type;
    size_t *parties; /* owned, actor indices (states), >= 2 */
    size_t n_parties;
    int64_t start, end; /* day indices; end exclusive (36501: to the end) */
    char start_date[11], end_date[11]; /* as given in the file, or "" */
    double cost;                       /* USD per active day */
    /* adaptive trigger */
    int adaptive;
    double trigger_tension;     /* max tension among the parties' dyads >; NAN */
    double trigger_involvement; /* mediator's involvement >=; NAN */
    int64_t trigger_days;       /* consecutive days the condition holds; 1 */
    int64_t duration;           /* days after triggering, 0 = to end */
    /* mediation, task_force */
    int64_t period; /* days between rounds / meetings */
    /* mediation */
    size_t mediator; /* actor index (power or organization) */
    double b0, b_leverage, b_trust, b_tension, b_stalemate;
    int64_t ceasefire_days;   /* length of an agreed ceasefire */
    double ceasefire_damping; /* epsilon: clash base rate *= 1 - epsilon */
    double tension_cut;       /* T *= 1 - x on agreement */
    double trust_loss;        /* tau -= x on a failed round */
    double breakdown_rate;    /* hazard/day of a ceasefire breaking down */
    double breakdown_spoiler; /* hazard *= 1 + x*M (remembered attacks) */
    double breakdown_exit;    /* hazard *= x once the mediator has left */
    /* task_force */
    double trust_gain;          /* phi per meeting */
    double coordination_weight; /* w_tf: C = tau*(1 + w_tf) */
    double incident_resolution; /* share of grievance resolved, 0..1 */
    /* economic */
    double investment;           /* USD, spread over build_days */
    int64_t build_days;          /* logistic progress 0.01 -> 0.99 */
    double interdependence_gain; /* E += gain*progress*open share */
    double hardship_relief;      /* per day at corridor locations */
    double sabotage_setback;     /* share of progress lost per unit of new
                                    project damage */
    size_t *locations;           /* owned: corridor (economic) or targets
                                    (outreach) */
    size_t n_locations;
    size_t *crossings; /* owned: route indices the corridor's trade
                          passes (economic) */
    size_t n_crossings;
    /* outreach */
    double reach;            /* share of the target population per day */
    double hardship_effect;  /* H relief per day at full reach */
    double hostility_effect; /* public hostility cut at full reach */
    double grievance_effect; /* local grievance cut at full reach */
    double decay_days;       /* e-folding of the reached share */
} dr_intervention;

/* `sweep`: a design of experiments stored with the scenario, used by
 * `durand sweep` when its command line gives no --param (scenarios/
 * REFERENCE.md § sweep). `durand run` validates it and ignores it. */
typedef enum dr_sweep_design {
    DR_SWEEP_DESIGN_FACTORIAL = 0, /* same order as dr_design_kind */
    DR_SWEEP_DESIGN_LHS = 1,
    DR_SWEEP_DESIGN_SOBOL = 2,
    DR_SWEEP_DESIGN_MORRIS = 3,
    DR_SWEEP_DESIGN_COUNT
} dr_sweep_design;

extern const char *const dr_sweep_design_names[DR_SWEEP_DESIGN_COUNT];

/* Most entries of sweep.params (and --param options of durand sweep). */
#define DR_SWEEP_PARAMS_MAX 64

/* One entry of sweep.params. */
typedef struct dr_sweep_param_spec {
    int line;       /* source line of the entry (0 for an override) */
    char *path;     /* owned: the setting path, as for -s PATH=VALUE */
    double lo, hi;  /* range, lo <= hi */
    int64_t levels; /* factorial / Morris levels; 0 = the design's default */
    int integer;    /* values rounded to integers */
} dr_sweep_param_spec;

typedef struct dr_sweep_spec {
    int present;                 /* the file has a `sweep` group */
    int line;                    /* its source line */
    dr_sweep_design design;      /* default factorial */
    int64_t points;              /* 0 = not given */
    int64_t replications;        /* default 1 */
    dr_sweep_param_spec *params; /* owned */
    size_t n_params;
} dr_sweep_spec;

typedef struct dr_scenario {
    char *path;       /* owned: the file as given */
    char *text;       /* owned: verbatim file contents */
    char **overrides; /* owned: "-s" strings as given, in order */
    size_t n_overrides;

    dr_meta meta;
    dr_params params;
    dr_actor *actors;
    size_t n_actors;
    dr_location *locations;
    size_t n_locations;
    dr_route *routes;
    size_t n_routes;
    dr_force *forces;
    size_t n_forces;
    dr_civilians *civilians;
    size_t n_civilians;
    dr_dyad *dyads;
    size_t n_dyads;
    dr_event *events; /* sorted by day, file order within a day */
    size_t n_events;
    dr_intervention *interventions; /* file order; strategies' appended;
                                       adaptive mediators' last */
    size_t n_interventions;
    dr_sweep_spec sweep;
} dr_scenario;

/*
 * Load and validate a scenario file, applying overrides ("PATH=VALUE"
 * strings, in order) before validation. On success returns a new scenario
 * and *err is untouched. On failure returns NULL and writes one or more
 * error lines to `err` (each "file:line: path = value: expected ..."), and
 * nothing else happens: the caller exits with DR_EXIT_INPUT.
 */
dr_scenario *dr_scenario_load(const char *path, const char *const *overrides,
                              size_t n_overrides, FILE *err);

/*
 * A strategies file (`durand compare`): named strategies, each a list of
 * interventions and `set` overrides applied on top of one base scenario
 * (scenarios/REFERENCE.md § Strategies files).
 */
typedef struct dr_strategy {
    char *name;        /* owned: [A-Za-z0-9_-], 1..63 chars, unique */
    char *description; /* owned, "" when absent */
    int line;          /* line in the strategies file */
    dr_scenario *sc;   /* owned: the base scenario with the strategy applied */
} dr_strategy;

typedef struct dr_strategy_set {
    char *path; /* owned: the strategies file as given */
    char *text; /* owned: its text */
    dr_strategy *strategies;
    size_t n;
    size_t baseline; /* index of the reference strategy (`baseline`, or 0) */
} dr_strategy_set;

/*
 * Load the base scenario once per strategy: its own overrides (the base
 * `overrides`, then the strategy's `set` list), then the strategy's
 * interventions appended to the scenario's. Errors as dr_scenario_load,
 * naming the strategies file and line where the strategy is at fault.
 * Returns NULL on any error (nothing is kept).
 */
dr_strategy_set *dr_strategies_load(const char *scenario_path,
                                    const char *const *overrides, size_t n_overrides,
                                    const char *strategies_path, FILE *err);
void dr_strategies_destroy(dr_strategy_set *s);

/* Version of the libconfig library the loader was built with, "1.5". */
const char *dr_scenario_libconfig_version(void);

/* Free a scenario; accepts NULL. */
void dr_scenario_destroy(dr_scenario *sc);

/* Index of an actor/location/route/dyad by id, or DR_NONE. */
size_t dr_scenario_find_actor(const dr_scenario *sc, const char *id);
size_t dr_scenario_find_location(const dr_scenario *sc, const char *id);
size_t dr_scenario_find_route(const dr_scenario *sc, const char *id);
size_t dr_scenario_find_dyad(const dr_scenario *sc, size_t a, size_t b);
size_t dr_scenario_find_intervention(const dr_scenario *sc, const char *id);

/* Number of civilian agents the scenario implies at its agent_scale
 * (each civilians entry and status rounded to the nearest agent). */
int64_t dr_scenario_agent_count(const dr_scenario *sc);

/* Convert "YYYY-MM-DD" to days since 1970-01-01 (proleptic Gregorian);
 * returns 0 on success, -1 if the string is not a valid date. */
int dr_date_parse(const char *s, int64_t *days_since_epoch);
/* Write the date `days` after `start_date` as YYYY-MM-DD into buf[11]. */
void dr_date_format(const char *start_date, int64_t days, char buf[11]);

#endif /* DR_SCENARIO_H */
