/*
 * summary.h — run summary indicators (MODEL.md §5, "Run summaries").
 *
 * A dr_summary is an accumulator fed like an observer (begin, tick, log,
 * end) that reduces one run to a fixed vector of named indicators with
 * units, and optionally records a few daily series. Sweeps store these
 * vectors per run; `durand sensitivity` analyses them.
 *
 * The indicators are one table (dr_indicators, in summary.c): each row has
 * a name, units, a long name and the functions that accumulate and finish
 * it. A new mechanism adds an indicator by adding a row there, after the
 * existing ones (sweep files list indicators by name, so appending keeps
 * old analyses valid). Every reduction runs in a fixed order on one
 * thread, so an indicator is a pure function of the run.
 *
 * "State dyads" are the ordered dyads whose two actors are both of kind
 * state; tension and trust indicators average over them (NaN if there are
 * none).
 */
#ifndef DR_SUMMARY_H
#define DR_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "observer.h"
#include "world.h"

/* Default threshold of first_day_tension_below: the mean state-dyad
 * tension (0..1) under which relations count as de-escalated. */
#define DR_SUMMARY_TENSION_THRESHOLD 0.3
/* Capacity of the indicator table (checked at compile time). */
#define DR_SUMMARY_MAX_INDICATORS 64

typedef struct dr_summary_options {
    double tension_threshold; /* 0..1; DR_SUMMARY_TENSION_THRESHOLD */
} dr_summary_options;

/* Quantities of one day, computed once per tick and read by every row. */
typedef struct dr_summary_day {
    int64_t day;                 /* day index since start_date */
    double deaths;               /* persons, summed over locations in order */
    double danger_max;           /* 0..1, largest over locations */
    double crossings_closed;     /* number of crossings closed at day's end */
    double tension_mean;         /* 0..1, mean over state dyads; NaN if none */
    double trust_mean;           /* 0..1, mean over state dyads; NaN if none */
    double security_deaths;      /* persons: personnel of states killed */
    double militant_deaths;      /* persons: fighters of militant groups killed */
    double civilian_deaths;      /* persons */
    double clashes;              /* clashes (incl. retaliations), all locations */
    double attacks;              /* militant attacks */
    double strikes;              /* cross-border strikes */
    double cost;                 /* USD: cumulative cost of all interventions */
    double ceasefire;            /* 1 if a state dyad is under ceasefire, else 0 */
    double agreements;           /* ceasefires agreed today */
    double breakdowns;           /* ceasefires broken down today */
    double recruited;            /* fighters recruited today (persons) */
    double interdependence_mean; /* 0..1, mean effective E over state dyads */
    double coordination_mean;    /* 0..1, mean C over state dyads */
    double displaced;            /* persons: idp + refugee + in_transit */
    double refugees;             /* persons with status refugee */
    double returns;              /* persons who arrived home today */
    double escalation_mean;      /* mean escalation propensity e_ab over state dyads */
} dr_summary_day;

/* Per-indicator accumulator; what the fields mean is up to the row. */
typedef struct dr_indicator_acc {
    double a, b;
    int64_t n;
} dr_indicator_acc;

struct dr_summary;

/* One row of the indicator table. `tick` and `log` may be NULL. `finish`
 * turns the accumulator (and the final world) into the value. */
typedef struct dr_indicator {
    const char *name;      /* letters, digits, '_' */
    const char *units;     /* UDUNITS string; "1" for counts and indices */
    const char *long_name; /* one line, says what is counted and when */
    void (*begin)(dr_indicator_acc *acc);
    void (*tick)(dr_indicator_acc *acc, const struct dr_summary *s,
                 const dr_summary_day *d);
    void (*log)(dr_indicator_acc *acc, const dr_log_entry *e);
    double (*finish)(const dr_indicator_acc *acc, const struct dr_summary *s,
                     const dr_world *w);
} dr_indicator;

extern const dr_indicator dr_indicators[];
extern const size_t dr_n_indicators;

/* The optional daily series (--series), one value per day each. */
typedef struct dr_summary_series {
    const char *name; /* the file variable is series_<name> */
    const char *units;
    const char *long_name;
    double (*value)(const dr_summary_day *d);
} dr_summary_series;

extern const dr_summary_series dr_summary_series_table[];
extern const size_t dr_n_summary_series;

/* The accumulator. Caller-owned (dr_summary_init); no heap memory. */
typedef struct dr_summary {
    dr_observer obs; /* the observer face; obs.ctx = this */
    dr_summary_options opt;
    dr_observer *inner;   /* borrowed, may be NULL: every call is forwarded */
    double *series;       /* borrowed, may be NULL: [days][dr_n_summary_series] */
    int64_t series_days;  /* rows of `series` */
    size_t n_state_dyads; /* counted at begin */
    dr_summary_day today; /* the last day ticked */
    dr_indicator_acc acc[DR_SUMMARY_MAX_INDICATORS];
    double values[DR_SUMMARY_MAX_INDICATORS]; /* set by end (status 0) */
    int finished;                             /* 1 once `values` holds a completed run */
} dr_summary;

/* Fill `o` with the documented defaults. */
void dr_summary_options_default(dr_summary_options *o);

/*
 * Prepare `s` for one run. `opt` NULL means the defaults. `inner` (may be
 * NULL) receives every observer call after the summary has seen it, so a
 * summary can sit in front of the HDF5 observer. `series` (may be NULL)
 * receives row-major [series_days][dr_n_summary_series] daily values; days
 * beyond series_days are not recorded. Attach with
 * dr_world_set_observer(w, &s->obs).
 */
void dr_summary_init(dr_summary *s, const dr_summary_options *opt, dr_observer *inner,
                     double *series, int64_t series_days);

/* Copy the dr_n_indicators values of a finished run into out. Returns 0,
 * or -1 (out filled with NaN) if the run did not end with status 0. */
int dr_summary_values(const dr_summary *s, double *out);

#endif /* DR_SUMMARY_H */
