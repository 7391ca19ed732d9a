/*
 * phases.c — the ordered list of tick phases: the one place that says what a
 * day is. Numbers refer to MODEL.md §2. A phase whose mechanism does not exist
 * is absent from this list, never present as an empty function.
 */
#include "phases.h"

#include "observer.h"

const dr_phase dr_phases[] = {
    {"schedule", "MODEL.md §2 phase 1", dr_phase_schedule},
    {"interventions", "MODEL.md §2 phase 2", dr_phase_interventions},
    {"postures", "MODEL.md §2 phase 3", dr_phase_postures},
    {"clashes", "MODEL.md §2 phase 4", dr_phase_clashes},
    {"militants", "MODEL.md §2 phase 5", dr_phase_militants},
    {"intensity", "MODEL.md §2 phase 6", dr_phase_intensity},
    {"civilians", "MODEL.md §2 phase 7", dr_phase_civilians},
    {"relations", "MODEL.md §2 phase 8", dr_phase_relations},
    {"powers", "MODEL.md §2 phase 9", dr_phase_powers},
    {"observe", "MODEL.md §2 phase 10", dr_phase_observe},
};
const size_t dr_n_phases = sizeof dr_phases / sizeof dr_phases[0];

int dr_phase_observe(dr_world *w)
{
    if (!w->obs || !w->obs->tick) return 0;
    int rc = w->obs->tick(w->obs->ctx, w, w->day);
    if (rc && !w->obs_status) w->obs_status = rc;
    return rc;
}
