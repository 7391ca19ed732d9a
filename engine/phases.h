/*
 * phases.h — the tick phases (internal to the engine).
 *
 * Each phase reads and writes the world and returns 0, or a non-zero status
 * that stops the run. Their order is the list in phases.c and nowhere else.
 */
#ifndef DR_PHASES_H
#define DR_PHASES_H

#include "world.h"

/* Phase 1: apply the events scheduled for w->day (MODEL.md §4). */
int dr_phase_schedule(dr_world *w);
/* Phase 2: interventions act (MODEL.md §3; phase_interventions.c). */
int dr_phase_interventions(dr_world *w);
/* Phase 3: each state's posture toward each actor it has a dyad with. */
int dr_phase_postures(dr_world *w);
/* Phase 4: border clashes (Hawkes channels, Lanchester attrition),
 * retaliations, crossing closures and reopenings. */
int dr_phase_clashes(dr_world *w);
/* Phase 5: militant operations, recruitment, counter-insurgency, and
 * cross-border strikes. */
int dr_phase_militants(dr_world *w);
/* Phase 6: decay conflict intensity, add today's deaths, update danger. */
int dr_phase_intensity(dr_world *w);
/* Phase 7: civilian agents move, cross, return, are deported, die and
 * mobilise; location counts are rebuilt (phase_civilians.c). */
int dr_phase_civilians(dr_world *w);
/* Phase 8: Richardson tension, trust and coordination per dyad. */
int dr_phase_relations(dr_world *w);
/* Phase 9: external powers recalibrate involvement and alignment. */
int dr_phase_powers(dr_world *w);
/* Phase 10: hand the day's state to the observer. */
int dr_phase_observe(dr_world *w);

/* Apply a resolved `set` target to the world's mutable tables. */
void dr_world_apply_set(dr_world *w, const dr_set_target *t);

#endif /* DR_PHASES_H */
