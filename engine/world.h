/*
 * world.h — the mutable state of one run, and the tick loop.
 *
 * A world is created from a validated scenario (borrowed: it must outlive
 * the world), a seed and a replication index. The run is a pure function of
 * those three and nothing else: no global state, no shared generator.
 *
 * State is stored as flat arrays (structure of arrays). The output layer
 * reads the fields below directly and must treat them as read-only.
 */
#ifndef DR_WORLD_H
#define DR_WORLD_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "scenario.h"

struct dr_observer;

/* A clash channel: a pair of armed actors (i < j by actor index) that can
 * meet at one location (route == DR_NONE) or across one border route
 * (location == DR_NONE). Enumerated once at world creation. */
typedef struct dr_channel {
    size_t i, j;     /* actor indices */
    size_t dyad_ij;  /* dyad i->j or DR_NONE */
    size_t dyad_ji;  /* dyad j->i or DR_NONE */
    size_t location; /* same-location channel */
    size_t route;    /* cross-border channel (crossing or informal) */
} dr_channel;

/* What one channel produced on one day (phase 4 scratch). */
typedef struct dr_channel_day {
    int32_t n_ij, n_ji;    /* clashes initiated by i, by j */
    double lost_i, lost_j; /* personnel put out of action */
    size_t site_i, site_j; /* where i's and j's forces stand */
    double civilians_i;    /* collateral deaths on i's side (at site_i) */
    double civilians_j;    /* collateral deaths on j's side (at site_j) */
    size_t crossing;       /* the crossing a clash here may close */
    int close;             /* 1: a clash closes that crossing */
    int64_t close_days;    /* length of that closure */
} dr_channel_day;

/* What one militant group did at one location on one day (phase 5). */
typedef struct dr_attack_day {
    int32_t attacks;        /* attacks carried out */
    size_t site;            /* location attacked (host territory) */
    double security_deaths; /* host security forces killed */
    double civilian_deaths;
    double fighters_lost;  /* attackers killed */
    double project_damage; /* damage to projects at the site, 0..1 */
    int32_t project_attacks;
    double recruited; /* new fighters at this location (pool) */
    double mobilised; /* new fighters from mobilised civilians */
    double removed;   /* fighters removed by counter-insurgency */
} dr_attack_day;

/* Status of a civilian agent (MODEL.md §1). Written to files as
 * flag_values: never renumber; a new status appends. */
typedef enum dr_agent_status {
    DR_AGENT_RESIDENT = 0,   /* at home, never displaced */
    DR_AGENT_IDP = 1,        /* displaced inside the origin's country */
    DR_AGENT_REFUGEE = 2,    /* displaced outside the origin's country */
    DR_AGENT_RETURNEE = 3,   /* back at the origin after displacement */
    DR_AGENT_IN_TRANSIT = 4, /* deported, on the way to the origin */
    DR_AGENT_DEAD = 5,
    DR_AGENT_STATUS_COUNT
} dr_agent_status;

/* Lower-case names of dr_agent_status, indexed by value. */
extern const char *const dr_agent_status_names[DR_AGENT_STATUS_COUNT];

/* Bits of dr_agents.flags. */
#define DR_AGENT_ACTIVE 1u    /* mobilised (Epstein) at the end of the day */
#define DR_AGENT_RETURNING 2u /* heading for its origin (return, deportation) */
#define DR_AGENT_SETTLED                                                                 \
    4u /* displaced but settled where it is (created                                     \
          from `civilians` with initial_settled) */

/* No link, no plan: the value of dr_agents.link / .plan when unused. */
#define DR_AGENT_NONE UINT32_MAX

/*
 * Civilian agents, structure of arrays (MODEL.md §1). Agent i is element i
 * of every array; agents are never removed or reordered (the dead keep
 * their row), so an index is an identity for the whole run and keys the
 * agent's random streams. 33 bytes per agent.
 */
typedef struct dr_agents {
    size_t n;               /* agents created so far: n_initial + n_spawned */
    size_t cap;             /* rows allocated */
    size_t n_initial;       /* created at world creation from `civilians` */
    size_t n_spawned;       /* added by dr_world_spawn */
    uint32_t *location;     /* location index; on a link: where it left */
    uint32_t *origin;       /* home location index */
    uint32_t *link;         /* route being travelled, or DR_AGENT_NONE */
    uint32_t *plan;         /* rest of the chosen route: adjacency slots,
                               one byte per hop, 0xff-padded */
    float *km_left;         /* km (effective) still to go on `link` */
    float *hardship;        /* H, 0..1 */
    float *risk_aversion;   /* R, 0..1 */
    uint16_t *since;        /* day the current status began (saturates) */
    uint8_t *status;        /* dr_agent_status */
    uint8_t *documentation; /* dr_documentation */
    uint8_t *flags;         /* DR_AGENT_* bits */
} dr_agents;

/* Bytes of agent state per agent (the arrays of dr_agents). */
#define DR_AGENT_BYTES (7 * sizeof(uint32_t) + sizeof(uint16_t) + 3 * sizeof(uint8_t))

struct dr_civ_work;

/* A retaliation the struck state will carry out on day `day`. */
typedef struct dr_retaliation {
    int64_t day;
    size_t by, against; /* actor indices: struck state, striking state */
} dr_retaliation;

typedef struct dr_world {
    const dr_scenario *sc; /* borrowed */
    uint64_t seed;
    uint32_t replication;
    int64_t day; /* the day being simulated; -1 before the first */

    /* Mutable copies of the scenario's tables; `set` events write here. */
    dr_params params;
    size_t n_actors, n_locations, n_routes, n_dyads;
    dr_actor *actors;       /* [n_actors] */
    dr_location *locations; /* [n_locations] */
    dr_route *routes;       /* [n_routes]; status is the crossing's state */
    dr_dyad *dyads;         /* [n_dyads]; tension/trust are the state */
    int *withdrawn;         /* [n_actors] 1 after a withdrawal event */

    /* Forces: personnel of actor i at location l is force[i*n_locations+l]. */
    double *force;

    /* Phase 6: conflict intensity I_l (deaths), perceived danger d_l,
     * deaths at the location today (reset at the start of each day). */
    double *intensity;    /* [n_locations] */
    double *danger;       /* [n_locations] */
    double *deaths_today; /* [n_locations] */

    /* Phase 8 state beyond the dyad table: coordination C_ab. */
    double *coordination; /* [n_dyads] */

    /* Phase 3: posture of a toward b (dr_posture), -1 where a is not a
     * state; attack memory M_ab (decayed attacks on a attributed to b). */
    int8_t *posture;       /* [n_dyads] */
    double *attack_memory; /* [n_dyads] */

    /* Phase 4: clash channels and their Hawkes excitation. */
    size_t n_channels;
    dr_channel *channels;        /* [n_channels] */
    double *excitation;          /* [2*n_channels]: X_ij at 2c, X_ji at 2c+1 */
    dr_channel_day *channel_day; /* [n_channels] scratch */
    /* Crossing closures after clashes: day the crossing reopens (-1: no
     * clash closure running) and the status it returns to. */
    int64_t *reopen_day;           /* [n_routes] */
    dr_crossing_status *reopen_to; /* [n_routes] */

    /* Phase 5 scratch: [n_actors * n_locations], group-major. */
    dr_attack_day *attack_day;
    /* Retaliations scheduled by strikes, in order of scheduling. */
    dr_retaliation *pending;
    size_t n_pending, cap_pending;

    /* Tallies of the day, reset at its start (written by phases 1, 4, 5). */
    double *fatalities;          /* [n_actors] personnel killed (security forces
                                    of states, fighters of militant groups) */
    double *fatalities_at;       /* [n_actors * n_locations] the same by the
                                    location where they died */
    double *civilian_deaths;     /* [n_locations] */
    int32_t *clashes_today;      /* [n_locations] clashes whose deaths fall here */
    int32_t *attacks_today;      /* [n_locations] militant attacks */
    int32_t *strikes_today;      /* [n_locations] cross-border strikes */
    double *grievance_today;     /* [n_dyads] g of phase 8 */
    int32_t *dyad_clashes_today; /* [n_dyads] clashes between a and b */
    /* Cumulative damage to economic projects per location, 0..1, and the
     * same without the cap (what economic interventions lose to sabotage). */
    double *project_damage;   /* [n_locations] */
    double *project_sabotage; /* [n_locations] */

    /* Crossings: indices of routes of kind crossing, in route order. */
    size_t n_crossings;
    size_t *crossing_routes; /* [n_crossings] */

    /* Work space, allocated once. */
    double *scratch_tension; /* [n_dyads] */
    double *scratch_trust;   /* [n_dyads] */
    int n_threads;           /* OpenMP threads the run uses */
    gsl_rng **rngs;          /* [n_threads] keyed Philox generators */

    /* Phase 7: civilian agents and what the output layer reads of them.
     * Counts are in agents (persons = agents * scenario.agent_scale). All
     * are rebuilt at the end of phase 7 by integer reduction (and at world
     * creation and after dr_world_spawn), so they describe the state after
     * the day's civilian phase. */
    dr_agents agents;
    int64_t *civ_count;    /* [n_locations * DR_AGENT_STATUS_COUNT] agents at
                              location l (not on a link) with status s at
                              l*DR_AGENT_STATUS_COUNT + s; DR_AGENT_DEAD:
                              everyone who has died at l so far */
    int64_t *civ_on_route; /* [n_routes] agents travelling on route r */
    int64_t *civ_active;   /* [n_locations] mobilised agents at l */
    int64_t civ_dead;      /* agents dead so far (all locations) */
    /* Flows of the day (zero before phase 7 runs, and when disabled). */
    int64_t *civ_flow;         /* [2 * n_routes] agents entering route r from its
                                  `from` end (2r) and from its `to` end (2r+1);
                                  on crossings these are the border crossings */
    int64_t *civ_returns;      /* [n_locations] arrivals home (became returnee)
                                  at l */
    int64_t *civ_deported;     /* [n_locations] deportations ordered at l */
    int64_t *civ_deaths;       /* [n_locations] agents who died at l (or on a
                                  route leaving l) */
    int64_t *civ_route_deaths; /* [n_routes] of those, deaths on route r */
    int64_t *calm_days;        /* [n_locations] consecutive days, up to today,
                                  with danger below model.civilians.return_danger */
    struct dr_civ_work *civ;   /* phase 7 work space (civilians.h), owned */

    /* Phase 2: interventions (MODEL.md §3), one entry per scenario
     * intervention. */
    size_t n_interventions;
    int8_t *iv_active;      /* [n_iv] 1 if active today */
    int64_t *iv_started;    /* [n_iv] day it became active, -1 never */
    int64_t *iv_held;       /* [n_iv] consecutive days its trigger held */
    int64_t *iv_rounds;     /* [n_iv] rounds (mediation) or meetings held */
    int64_t *iv_successes;  /* [n_iv] agreements reached (mediation) */
    double *iv_progress;    /* [n_iv] economic: progress 0..1; outreach:
                               reached share 0..1; else 0 */
    double *iv_cost;        /* [n_iv] cumulative cost, USD */
    double *iv_damage;      /* [n_iv] corridor project damage already counted */
    int8_t *iv_round_today; /* [n_iv] scratch: held a mediation round today */
    /* The ordered dyads between intervention k's parties (in party order)
     * are iv_dyads[iv_dyad_off[k] .. iv_dyad_off[k+1]); fixed at creation. */
    size_t *iv_dyad_off; /* [n_iv + 1] */
    size_t *iv_dyads;
    /* Per dyad: ceasefire days left (0: none), the mediation that made it
     * (-1: none) and its clash damping; decayed clash memory (hurting
     * stalemate); effects of today's interventions. */
    int64_t *ceasefire_left;  /* [n_dyads] */
    int32_t *ceasefire_by;    /* [n_dyads] */
    double *ceasefire_damp;   /* [n_dyads] epsilon */
    double *stalemate;        /* [n_dyads] decayed clashes between a and b */
    double *iv_interdep;      /* [n_dyads] interdependence added (economic) */
    double *iv_coordination;  /* [n_dyads] w_tf of active task forces */
    double *iv_resolution;    /* [n_dyads] grievance share resolved */
    double *iv_hostility;     /* [n_dyads] public hostility cut, 0..1 */
    int8_t *iv_mediated;      /* [n_dyads] under an active mediation */
    double *iv_relief;        /* [n_locations] hardship relief per day */
    double *iv_grievance;     /* [n_locations] local grievance cut, 0..1 */
    int any_relief;           /* some iv_relief[l] > 0 today */
    double recruited_today;   /* fighters recruited today (phase 5) */
    int64_t agreements_today; /* ceasefires agreed today */
    int64_t breakdowns_today; /* ceasefires broken down today */

    /* Phase 9: external powers. Involvement is actors[p].involvement and
     * alignment dyads[d].alignment; these are the decayed inputs. */
    double *pw_projects;   /* [n_actors] attacks on the power's project sites */
    double *pw_blame;      /* [n_actors] violence attributed to each state */
    double *pw_threat;     /* [n_actors] threat to each power today, 0..1 */
    double pw_instability; /* deaths per day, decayed */

    size_t next_event; /* first scenario event not yet applied */

    struct dr_observer *obs; /* borrowed, may be NULL */
    int obs_status;          /* first non-zero observer return */
    int n_deportation_events;
} dr_world;

/*
 * Create a world at day "-1" (before the first tick) from a scenario.
 * replication must be <= DR_RNG_REPLICATION_MAX. Returns NULL if memory
 * runs out (nothing is leaked).
 */
dr_world *dr_world_create(const dr_scenario *sc, uint64_t seed, uint32_t replication);
/* Free a world; accepts NULL. */
void dr_world_destroy(dr_world *w);

/*
 * Add n civilian agents during a run (a driver's spawning, e.g. FLEE's
 * validation-driven spawning), at `location` with home `origin`, status
 * `status` (a dr_agent_status other than DR_AGENT_DEAD) and documentation
 * `doc` (a dr_documentation). Call it between days (never from a phase).
 * The new agents take the next indices, draw H and R from their keyed
 * streams and count in the location counts at once. Storage grows when the
 * reserve (model.civilians.reserve_agents) runs out; growth depends only on
 * the numbers of agents, so runs stay deterministic. Returns 0, -1 for a bad
 * argument (nothing added), or -2 when memory runs out (nothing added; the
 * world is unchanged).
 */
int dr_world_spawn(dr_world *w, size_t location, size_t origin, int status, int doc,
                   size_t n);

/* Attach an observer (borrowed) that the observe phase reports to. */
void dr_world_set_observer(dr_world *w, struct dr_observer *obs);

/* Advance one day: run every phase of the phase list in order.
 * Returns 0, or the first non-zero status an observer returned. */
int dr_world_step(dr_world *w);

/* Run all scenario days, calling `progress(days_done, days, arg)` after each
 * day when it is not NULL; a non-zero return from it stops the run with that
 * status (e.g. on SIGINT). Calls the observer's begin, and end with the
 * run's status. Returns 0 if the run completed and the observer kept its
 * output, otherwise the first non-zero status. */
int dr_world_run(dr_world *w, int (*progress)(int64_t, int64_t, void *), void *arg);

/* The phase list, for documentation and `durand check`. */
typedef struct dr_phase {
    const char *name;      /* e.g. "schedule" */
    const char *model_ref; /* e.g. "MODEL.md §2 phase 1" */
    int (*run)(dr_world *w);
} dr_phase;
extern const dr_phase dr_phases[];
extern const size_t dr_n_phases;

/*
 * Checkpoints (output/h5_checkpoint.c writes and reads them; the engine
 * never includes HDF5). The state a run carries from one day to the next is
 * described as a list of named blocks, each a flat array of one element
 * type, plus a few counts; random numbers come from keyed streams, so no
 * generator state exists. A world restored from the blocks of another
 * world at the end of its day t continues with day t + 1 exactly as the
 * other would (MODEL.md is unaffected; README.md "Checkpoint and restart").
 *
 * Left out, because every phase rewrites them before reading them: the
 * scratch arrays (channel_day, attack_day, scratch_tension, scratch_trust),
 * the generators of rngs (re-keyed before every use) and the phase-7 work
 * space, which is rebuilt (its next-hop cache is recomputed on the first
 * day after a restart; see dr_world_state_finish).
 */

/* Element types of a state block. */
typedef enum dr_state_type {
    DR_STATE_F64 = 0,
    DR_STATE_F32,
    DR_STATE_I64,
    DR_STATE_I32,
    DR_STATE_I8,
    DR_STATE_U32,
    DR_STATE_U16,
    DR_STATE_U8,
    DR_STATE_BYTES, /* structs (elem_size bytes each), stored as opaque bytes */
    DR_STATE_TYPE_COUNT
} dr_state_type;

/* One block of world state: `count` elements of `elem_size` bytes at
 * `data` (borrowed: the world's own array). A block with a non-NULL `base`
 * is a table the world copied from the scenario (actors, locations, ...);
 * base is the scenario's table (borrowed, same size). Writers store both;
 * on restore dr_world_state_merge combines them, so that fields the run
 * never changes (among them the pointers into the scenario) come from the
 * scenario loaded now, and every field the run changed from the saved
 * world. */
typedef struct dr_state_block {
    const char *name; /* [a-z0-9_], unique */
    dr_state_type type;
    size_t elem_size; /* bytes per element */
    size_t count;     /* elements */
    void *data;
    const void *base; /* NULL, or the scenario's copy of the table */
} dr_state_block;

/* Most blocks dr_world_state_blocks lists. */
#define DR_STATE_MAX_BLOCKS 96

/* The counts that size the blocks, and the other scalar state. */
typedef struct dr_state_counts {
    int64_t day;        /* the last day completed (w->day) */
    int64_t next_event; /* w->next_event */
    int64_t n_pending;  /* retaliations scheduled */
    int64_t n_agents;   /* w->agents.n */
    int64_t n_initial;  /* w->agents.n_initial */
    int64_t n_spawned;  /* w->agents.n_spawned */
    int64_t civ_dead;   /* w->civ_dead */
} dr_state_counts;

/* The scalar state of w into *c. */
void dr_world_state_counts(const dr_world *w, dr_state_counts *c);

/*
 * First step of a restore into a world just created from the same scenario,
 * seed and replication (day -1, no observer calls yet): check the counts
 * against this world (-1 when they cannot belong to it: day outside
 * -1..days-1, next_event past the events, pending over capacity, agent
 * counts inconsistent), make room for the agents (-2 when memory runs out),
 * and set the counts, so that dr_world_state_blocks then lists blocks of
 * the saved sizes. Returns 0, -1 or -2.
 */
int dr_world_state_prepare(dr_world *w, const dr_state_counts *c);

/* List w's state blocks into out[DR_STATE_MAX_BLOCKS], in a fixed order,
 * sized by w's current counts. Returns the number of blocks. */
size_t dr_world_state_blocks(dr_world *w, dr_state_block *out);

/* Combine a saved block with a base (see dr_state_block): byte k of dst is
 * cur_base[k] where saved[k] == saved_base[k] (the run left it as the
 * scenario had it), saved[k] otherwise. */
void dr_world_state_merge(void *dst, const void *saved, const void *saved_base,
                          const void *cur_base, size_t bytes);

/*
 * Last step of a restore, after every block was read: check that indices
 * and codes are in range (agents' locations, links, statuses; pending
 * retaliations' actors; route statuses) and rebuild the phase-7 work space
 * for the restored agents (origins marked in agent order, as the run marked
 * them). Returns 0, -1 if the state is not valid for this world, -2 when
 * memory runs out.
 */
int dr_world_state_finish(dr_world *w);

/* A fingerprint of the layout of the structs stored as bytes (their sizes
 * and the field layout of the state); a checkpoint is only read by a
 * program with the same fingerprint. */
uint64_t dr_world_state_layout(void);

/* Write the log entry to the observer (used by phases). */
int dr_world_log(dr_world *w, int kind, size_t actor_a, size_t actor_b, size_t location,
                 size_t route, double value, const char *note);

#endif /* DR_WORLD_H */
