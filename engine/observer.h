/*
 * observer.h — how the engine hands its observations to an output layer.
 *
 * The engine never includes HDF5. It calls an observer at the start of a
 * run, once per tick in the observe phase, for every logged event, and once
 * at the end. output/ implements an HDF5 observer; tests implement small
 * in-memory ones. Each callback returns 0 on success; a non-zero return
 * stops the run, which then calls `end` with a non-zero status so that the
 * observer can discard its partial output.
 */
#ifndef DR_OBSERVER_H
#define DR_OBSERVER_H

#include <stdint.h>

#include "world.h"

/* One row of the event log. Indices are DR_NONE when not applicable. */
typedef struct dr_log_entry {
    int64_t day;
    int32_t kind;     /* dr_log_kind */
    size_t actor_a;   /* actor index */
    size_t actor_b;   /* actor index */
    size_t location;  /* location index */
    size_t route;     /* route index */
    double value;     /* kind-specific magnitude, see output/SCHEMA.md */
    const char *note; /* borrowed for the duration of the call; never NULL */
} dr_log_entry;

/* Kinds of log rows. Written as flag_values: never renumber; append. The
 * first seven mirror dr_event_type (scheduled events as applied). */
typedef enum dr_log_kind {
    DR_LOG_BORDER_REGULATION = 0, /* value: new status code */
    DR_LOG_DEPORTATION = 1,       /* value: daily rate */
    DR_LOG_DEPLOYMENT = 2,        /* value: personnel change applied */
    DR_LOG_SHOCK = 3,             /* value: fatalities */
    DR_LOG_SUMMIT = 4,            /* value: tension change */
    DR_LOG_WITHDRAWAL = 5,        /* value: personnel withdrawn */
    DR_LOG_SET = 6,               /* value: new value */
    DR_LOG_CLASH = 7,             /* a: initiator, b: other side; value: deaths */
    DR_LOG_ATTACK = 8,            /* a: group, b: host state; value: deaths */
    DR_LOG_STRIKE = 9,            /* a: striking state, b: struck state; value: deaths */
    DR_LOG_RETALIATION = 10,      /* a: retaliating state, b: striker; value: deaths */
    DR_LOG_CLOSURE = 11,          /* route closed after a clash; value: days */
    DR_LOG_REOPENING = 12,        /* route reopened; value: new status code */
    DR_LOG_AGREEMENT = 13,        /* mediated ceasefire; a, b: parties, value: days;
                                     note: the intervention id */
    DR_LOG_BREAKDOWN = 14,        /* ceasefire broke down; a, b: parties, value: 1 if
                                     the mediator was present, 0 after it left */
    DR_LOG_INTERVENTION_START = 15, /* note: intervention id; a: mediator or
                                       first party, value: intervention index */
    DR_LOG_INTERVENTION_END = 16,   /* as start; value: cumulative cost, USD */
    DR_LOG_KIND_COUNT
} dr_log_kind;

extern const char *const dr_log_kind_names[DR_LOG_KIND_COUNT];

typedef struct dr_observer {
    void *ctx; /* passed back to every callback */
    /* After the world is created, before day 0. */
    int (*begin)(void *ctx, const dr_world *w);
    /* At the end of each day's phases (phase "observe"). */
    int (*tick)(void *ctx, const dr_world *w, int64_t day);
    /* For each log row, in the order the engine produces them. */
    int (*log)(void *ctx, const dr_world *w, const dr_log_entry *e);
    /* Once, at the end. status 0: the run completed, make the output
     * permanent; otherwise discard it. Returns 0 if the output was kept. */
    int (*end)(void *ctx, const dr_world *w, int status);
} dr_observer;

#endif /* DR_OBSERVER_H */
