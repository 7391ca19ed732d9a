/*
 * phase_civilians.c — MODEL.md §2 phase 7: civilian agents move on FLEE's
 * rules, cross borders, return home or are deported, die, and mobilise
 * (Epstein 2002). The equations and every setting are in
 * scenarios/REFERENCE.md § model.civilians; this comment states how the
 * phase is organised.
 *
 * Synchronous update. The phase first derives, serially and per location or
 * route, everything an agent may read: move chances, death and arrest
 * probabilities, deportation probabilities, the cumulative route weights of
 * the day (from occupancy at the start of the day), the next hop toward
 * every origin. It then runs one parallel loop over the agents in which
 * agent i reads those tables and writes only its own row, drawing its
 * numbers from keyed Philox blocks (civ_rng below) — one 32-bit word per
 * uniform, in a fixed order; a probability p is compared as an integer
 * threshold floor(p * 2^32). Each thread counts
 * the resulting state into its own integer partial counts; the partials
 * are summed afterwards. The result is therefore bit-identical for any
 * number of threads.
 *
 * Most agents' day is ordinary: settled where they are, nothing happens
 * to them but hardship and mobilisation. The loop takes agents in batches
 * of sixteen and decides that case for the whole batch at once from one
 * precomputed threshold per location and kind of agent
 * (civ_quiet_prepare, civ_quiet_batch); the rest go through the general
 * rules (civ_agent_day). It is the same computation, word for word, not
 * an approximation: tests/test_civilians.c runs the flagship both ways and
 * compares every agent.
 *
 * This differs from FLEE, which updates agents in list order and lets each
 * agent see the occupancy left by the agents before it (so camps fill
 * exactly, but results depend on the order). Here all agents of a day see
 * the occupancy at its start, so a camp may overshoot its capacity on the
 * day it fills.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "civilians.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "phases.h"
#include "rng.h"

const char *const dr_agent_status_names[DR_AGENT_STATUS_COUNT] = {
    "resident", "idp", "refugee", "returnee", "in_transit", "dead",
};

/* How a route lets agents in today. */
enum { CIV_PASS_OPEN = 0, CIV_PASS_RESTRICTED = 1, CIV_PASS_CLOSED = 2 };

/* No hop toward an origin from here (or no origin index). */
#define CIV_NO_HOP 0xffu
/* A quiet threshold no word reaches: the agent goes the long way. */
#define CIV_NOT_QUIET ((uint64_t)1 << 33)
/* Quiet thresholds per location: documentation x foreign x calm. */
#define CIV_QUIET_KINDS (4u * DR_DOC_COUNT)

/* Partial counts of one thread, as offsets into its block of int64_t. */
typedef struct civ_layout {
    size_t count, on_route, active, flow, returns, deported, deaths, route_deaths, len;
} civ_layout;

struct dr_civ_work {
    size_t nl, nr, na;
    int n_threads;
    /* Links of location l: adj_route/adj_to[adj_off[l] .. adj_off[l+1]). */
    size_t *adj_off;     /* [nl + 1] */
    uint32_t *adj_route; /* [2 nr] */
    uint32_t *adj_to;    /* [2 nr] */
    /* Candidate routes from l (loop-free, 1..awareness hops):
     * cand_*[cand_off[l] .. cand_off[l+1]). */
    size_t n_cand;
    size_t *cand_off;    /* [nl + 1] */
    uint32_t *cand_plan; /* hop slots, first hop in the low byte, 0xff-padded */
    uint32_t *cand_end;  /* end location */
    double *cand_km;     /* route length (km, as travelled on foot/road) */
    /* Cumulative route weights: one table per state when foreign_weight
     * differs from 1 (the score depends on the agent's origin country),
     * else table 0 for everyone. cand_cum[t * n_cand + c]. */
    size_t n_tables;
    size_t *table_of_country; /* [na] table of agents from country a */
    double *cand_cum;         /* [n_tables * n_cand] */
    /* Per location, for the day. */
    uint32_t *country;    /* [nl] governing state */
    double *occupancy;    /* [nl] alive agents at l at the start of the day */
    double *p_settled;    /* [nl] move chance of settled agents */
    double *p_displaced;  /* [nl] move chance of displaced agents */
    double *p_death;      /* [nl] */
    double *exposure;     /* [nl] exposure_hardship * d_l */
    const double *relief; /* [nl] hardship relief of interventions today
                             (w->iv_relief), or NULL when there is none */
    double *gap;          /* [nl] 1 - L of the governing state */
    double *p_arrest;     /* [nl] Epstein's P */
    /* Per route, for the day. */
    uint8_t *pass;         /* [nr] CIV_PASS_* */
    double *pass_fraction; /* [nr] */
    double *eff_km;        /* [nr] km / speed factor */
    double *p_route_death; /* [nr] */
    /* Next hop (adjacency slot) from l toward origin o: next_hop[oi*nl + l]
     * with oi = origin_index[o]; recomputed when route statuses, effective
     * lengths (distance_km set by an event, the informal speed) or the set
     * of origins change. */
    uint32_t *origin_index; /* [nl] or UINT32_MAX */
    size_t n_origins;
    uint8_t *next_hop;  /* [nl * nl] */
    uint8_t *pass_seen; /* [nr] statuses the table was built with */
    double *km_seen;    /* [nr] effective lengths it was built with */
    double speed_seen;
    int hops_valid;
    double *dist;  /* [nl] Dijkstra scratch */
    uint8_t *done; /* [nl] Dijkstra scratch */
    /* Deportation (and fear-driven return) probability for agents of
     * documentation d in state a: p_deport[a * DR_DOC_COUNT + d]. */
    double *p_deport; /* [na * DR_DOC_COUNT] */
    double *p_fear;   /* [na * DR_DOC_COUNT] */
    int any_deport;
    /* The probabilities above as thresholds on a 32-bit word x: the event
     * happens iff x < t, t = floor(p * 2^32) (t = 2^32: always; 0: never,
     * and no word is drawn). */
    uint64_t *t_settled, *t_displaced, *t_death; /* [nl] */
    uint64_t *t_route_death, *t_pass;            /* [nr] */
    uint64_t *t_deport, *t_fear;                 /* [na * DR_DOC_COUNT] */
    /* The quiet batch (civ_quiet_batch): a settled agent at l with
     * documentation d, foreign (its origin in another country than l) f
     * and calm (displaced, its origin calm for return_days) m that draws
     * word u has no event today iff u >= q_quiet[l * CIV_QUIET_KINDS +
     * 4 d + 2 f + m] (see civ_quiet_prepare; CIV_NOT_QUIET where that
     * shortcut does not apply). */
    uint64_t *q_quiet; /* [nl * CIV_QUIET_KINDS] */
    uint8_t *q_plain;  /* [nl] 1 when the threshold of every agent that is not
                          displaced is q_quiet[l * CIV_QUIET_KINDS] (no
                          deportation or fear-driven return at l) */
    uint64_t t_return; /* the day's return decision threshold */
    int quiet_path;    /* 1: use it (the default); 0: every agent the long way */
    /* Per-thread partial counts. */
    civ_layout lay;
    size_t stride; /* int64_t per thread block, padded to 64 bytes */
    int64_t *part; /* [n_threads * stride] */
};

/* ------------------------------------------------------------------------ */
/* Closed forms                                                              */
/* ------------------------------------------------------------------------ */

double dr_civ_arrest_probability(double k, double security, double actives)
{
    return 1.0 - exp(-k * security / (actives > 1.0 ? actives : 1.0));
}

double dr_civ_capacity_multiplier(double occupancy, double capacity, double buffer)
{
    if (capacity <= 0.0) return 1.0;
    double soft = buffer * capacity;
    if (occupancy <= soft) return 1.0;
    if (occupancy >= capacity) return 0.0;
    return (capacity - occupancy) / (capacity - soft);
}

dr_agent_status dr_civ_displaced_status(const dr_world *w, size_t location, size_t origin)
{
    return w->locations[location].country == w->locations[origin].country
               ? DR_AGENT_IDP
               : DR_AGENT_REFUGEE;
}

/* ------------------------------------------------------------------------ */
/* The agent arrays                                                          */
/* ------------------------------------------------------------------------ */

/* Each array of dr_agents with its element size, for allocation. */
#define CIV_N_ARRAYS 11
static void civ_arrays(dr_agents *a, void ***ptr, size_t *size)
{
    void **p[CIV_N_ARRAYS] = {
        (void **)&a->location,      (void **)&a->origin,  (void **)&a->link,
        (void **)&a->plan,          (void **)&a->km_left, (void **)&a->hardship,
        (void **)&a->risk_aversion, (void **)&a->since,   (void **)&a->status,
        (void **)&a->documentation, (void **)&a->flags,
    };
    const size_t s[CIV_N_ARRAYS] = {4, 4, 4, 4, 4, 4, 4, 2, 1, 1, 1};
    memcpy(ptr, p, sizeof p);
    memcpy(size, s, sizeof s);
}

/* Ask Linux for transparent huge pages under a large agent array (where
 * the system leaves that to the program, "madvise" mode): a full-scale
 * flagship's 1.1 GB of agent state then faults in by 2 MiB pages instead of
 * 4 KiB ones (creating it took half the time on the development machine).
 * Only a hint: a refusal, or another system, changes nothing. */
static void civ_huge_pages(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    if (bytes < 4 * huge) return;
    const long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return;
    const uintptr_t lo = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    const uintptr_t hi = ((uintptr_t)p + bytes) & ~((uintptr_t)page - 1);
    if (hi > lo) (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

int dr_civ_reserve(dr_world *w, size_t cap)
{
    dr_agents *a = &w->agents;
    if (cap <= a->cap && a->location) return 0;
    if (cap < 1) cap = 1;
    void **ptr[CIV_N_ARRAYS];
    size_t size[CIV_N_ARRAYS];
    civ_arrays(a, (void ***)ptr, size);
    for (int k = 0; k < CIV_N_ARRAYS; k++) {
        void *q = realloc(*ptr[k], cap * size[k]);
        if (!q) return -2; /* arrays grown so far keep their rows */
        *ptr[k] = q;
        civ_huge_pages(q, cap * size[k]);
    }
    a->cap = cap;
    return 0;
}

void dr_civ_free_agents(dr_world *w)
{
    void **ptr[CIV_N_ARRAYS];
    size_t size[CIV_N_ARRAYS];
    civ_arrays(&w->agents, (void ***)ptr, size);
    for (int k = 0; k < CIV_N_ARRAYS; k++) {
        free(*ptr[k]);
        *ptr[k] = NULL;
    }
    w->agents.n = w->agents.cap = 0;
}

/* A uniform in (0, 1) from one 32-bit word. */
static inline double civ_word_uniform(uint32_t x)
{
    return ((double)x + 0.5) * (1.0 / 4294967296.0);
}

void dr_civ_append(dr_world *w, size_t location, size_t origin, int status, int doc,
                   uint8_t flags, size_t n)
{
    dr_agents *a = &w->agents;
    const dr_civilian_params *p = &w->params.civilians;
    const size_t first = a->n;
    const int uniform = p->hardship_alpha == 1.0 && p->hardship_beta == 1.0 &&
                        p->risk_alpha == 1.0 && p->risk_beta == 1.0;
    const uint32_t key[2] = {(uint32_t)(w->seed & 0xffffffffu),
                             (uint32_t)(w->seed >> 32)};
    const uint32_t word3 = (uint32_t)DR_RNG_CIVILIAN_INIT << 20 | w->replication;
    const uint16_t since = (uint16_t)(w->day < 0 ? 0 : (w->day > 65535 ? 65535 : w->day));
    /* Agents in chunks of DR_CIV_LANES: with uniform H and R, the chunk's
     * Philox blocks are computed together. */
    const long n_chunks = (long)((n + DR_CIV_LANES - 1) / DR_CIV_LANES);
#pragma omp parallel num_threads(w->n_threads)
    {
        gsl_rng *r = w->rngs[omp_get_thread_num()];
#pragma omp for schedule(static)
        for (long j = 0; j < n_chunks; j++) {
            const size_t i0 = first + (size_t)j * DR_CIV_LANES;
            const size_t i1 =
                i0 + DR_CIV_LANES < first + n ? i0 + DR_CIV_LANES : first + n;
            uint32_t out[DR_CIV_LANES][4];
            /* Block 0 of agent i's stream, counter (0, i, 0, word3): word 0
             * gives H, word 1 R. */
            if (uniform) dr_civ_philox_lanes(key, (uint32_t)i0, 0, word3, out);
            for (size_t i = i0; i < i1; i++) {
                a->location[i] = (uint32_t)location;
                a->origin[i] = (uint32_t)origin;
                a->link[i] = DR_AGENT_NONE;
                a->plan[i] = DR_AGENT_NONE;
                a->km_left[i] = 0.0f;
                a->since[i] = since;
                a->status[i] = (uint8_t)status;
                a->documentation[i] = (uint8_t)doc;
                a->flags[i] = flags;
                if (uniform) {
                    a->hardship[i] = (float)civ_word_uniform(out[i - i0][0]);
                    a->risk_aversion[i] = (float)civ_word_uniform(out[i - i0][1]);
                } else {
                    dr_rng_stream(r, w->seed, w->replication, DR_RNG_CIVILIAN_INIT,
                                  (uint32_t)i, 0);
                    a->hardship[i] =
                        (float)gsl_ran_beta(r, p->hardship_alpha, p->hardship_beta);
                    a->risk_aversion[i] =
                        (float)gsl_ran_beta(r, p->risk_alpha, p->risk_beta);
                }
            }
        }
    }
    a->n += n;
    dr_civ_work *c = w->civ;
    if (c && n && c->origin_index[origin] == UINT32_MAX) {
        c->origin_index[origin] = (uint32_t)c->n_origins++;
        c->hops_valid = 0;
    }
}

void dr_civ_recount(dr_world *w)
{
    const size_t nl = w->n_locations, nr = w->n_routes;
    memset(w->civ_count, 0, nl * DR_AGENT_STATUS_COUNT * sizeof *w->civ_count);
    memset(w->civ_on_route, 0, nr * sizeof *w->civ_on_route);
    memset(w->civ_active, 0, nl * sizeof *w->civ_active);
    const dr_agents *a = &w->agents;
    int64_t dead = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->link[i] != DR_AGENT_NONE && a->status[i] != DR_AGENT_DEAD) {
            w->civ_on_route[a->link[i]]++;
            continue;
        }
        w->civ_count[a->location[i] * DR_AGENT_STATUS_COUNT + a->status[i]]++;
        w->civ_active[a->location[i]] += (a->flags[i] & DR_AGENT_ACTIVE) != 0;
        dead += a->status[i] == DR_AGENT_DEAD;
    }
    w->civ_dead = dead;
}

/* ------------------------------------------------------------------------ */
/* The work space                                                            */
/* ------------------------------------------------------------------------ */

/* Depth-first enumeration of loop-free routes of 1..depth hops from `start`
 * through the adjacency of c. Writes candidates from index *n on when
 * `fill` is set, and counts them in *n either way. `on` marks the locations
 * on the current route; `plan` holds the hops so far. */
static void civ_enumerate(dr_civ_work *c, const dr_world *w, size_t start, size_t at,
                          int depth, int hops, uint32_t plan, double km, uint8_t *on,
                          size_t *n, int fill)
{
    for (size_t s = c->adj_off[at]; s < c->adj_off[at + 1]; s++) {
        size_t to = c->adj_to[s];
        if (on[to]) continue;
        uint32_t slot = (uint32_t)(s - c->adj_off[at]);
        uint32_t p = (plan & ~(0xffu << (8 * hops))) | slot << (8 * hops);
        double k = km + w->routes[c->adj_route[s]].distance_km;
        if (fill) {
            c->cand_plan[*n] = p;
            c->cand_end[*n] = (uint32_t)to;
            c->cand_km[*n] = k;
        }
        (*n)++;
        if (hops + 1 < depth) {
            on[to] = 1;
            civ_enumerate(c, w, start, to, depth, hops + 1, p, k, on, n, fill);
            on[to] = 0;
        }
    }
}

/* Recompute cand_km (the length of every candidate route) from the
 * routes' current distance_km, walking each candidate's plan. */
static void civ_candidate_lengths(dr_civ_work *c, const dr_world *w)
{
    for (size_t l = 0; l < w->n_locations; l++)
        for (size_t k = c->cand_off[l]; k < c->cand_off[l + 1]; k++) {
            size_t at = l;
            double km = 0.0;
            for (int b = 0; b < 4; b++) {
                const uint32_t slot = (c->cand_plan[k] >> (8 * b)) & 0xffu;
                if (slot == 0xffu) break;
                const size_t s = c->adj_off[at] + slot;
                km += w->routes[c->adj_route[s]].distance_km;
                at = c->adj_to[s];
            }
            c->cand_km[k] = km;
        }
}

void dr_civ_work_destroy(dr_civ_work *c)
{
    if (!c) return;
    free(c->part);
    free(c->q_quiet);
    free(c->q_plain);
    free(c->t_fear);
    free(c->t_deport);
    free(c->t_pass);
    free(c->t_route_death);
    free(c->t_death);
    free(c->t_displaced);
    free(c->t_settled);
    free(c->p_fear);
    free(c->p_deport);
    free(c->done);
    free(c->dist);
    free(c->pass_seen);
    free(c->next_hop);
    free(c->km_seen);
    free(c->origin_index);
    free(c->p_route_death);
    free(c->eff_km);
    free(c->pass_fraction);
    free(c->pass);
    free(c->p_arrest);
    free(c->gap);
    free(c->exposure);
    free(c->p_death);
    free(c->p_displaced);
    free(c->p_settled);
    free(c->occupancy);
    free(c->country);
    free(c->cand_cum);
    free(c->table_of_country);
    free(c->cand_km);
    free(c->cand_end);
    free(c->cand_plan);
    free(c->cand_off);
    free(c->adj_to);
    free(c->adj_route);
    free(c->adj_off);
    free(c);
}

dr_civ_work *dr_civ_work_create(const dr_world *w)
{
    dr_civ_work *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    const size_t nl = w->n_locations, nr = w->n_routes, na = w->n_actors;
    c->nl = nl;
    c->nr = nr;
    c->na = na;
    c->n_threads = w->n_threads;
    c->adj_off = calloc(nl + 1, sizeof *c->adj_off);
    c->adj_route = calloc(2 * nr + 1, sizeof *c->adj_route);
    c->adj_to = calloc(2 * nr + 1, sizeof *c->adj_to);
    c->cand_off = calloc(nl + 1, sizeof *c->cand_off);
    if (!c->adj_off || !c->adj_route || !c->adj_to || !c->cand_off) goto fail;

    /* Adjacency in route order: every route both ways. */
    for (size_t r = 0; r < nr; r++) {
        c->adj_off[w->routes[r].from + 1]++;
        c->adj_off[w->routes[r].to + 1]++;
    }
    for (size_t l = 0; l < nl; l++) {
        if (c->adj_off[l + 1] > DR_CIV_MAX_DEGREE) goto fail;
        c->adj_off[l + 1] += c->adj_off[l];
    }
    {
        size_t *fill = calloc(nl + 1, sizeof *fill);
        if (!fill) goto fail;
        for (size_t r = 0; r < nr; r++) {
            size_t a = w->routes[r].from, b = w->routes[r].to;
            size_t sa = c->adj_off[a] + fill[a]++, sb = c->adj_off[b] + fill[b]++;
            c->adj_route[sa] = (uint32_t)r;
            c->adj_to[sa] = (uint32_t)b;
            c->adj_route[sb] = (uint32_t)r;
            c->adj_to[sb] = (uint32_t)a;
        }
        free(fill);
    }

    /* Candidate routes to the configured awareness depth. */
    {
        int depth = (int)w->params.civilians.awareness_level;
        if (depth < 1) depth = 1;
        if (depth > DR_AWARENESS_MAX) depth = DR_AWARENESS_MAX;
        uint8_t *on = calloc(nl + 1, 1);
        if (!on) goto fail;
        size_t n = 0;
        for (size_t l = 0; l < nl; l++) {
            c->cand_off[l] = n;
            on[l] = 1;
            civ_enumerate(c, w, l, l, depth, 0, DR_AGENT_NONE, 0.0, on, &n, 0);
            on[l] = 0;
        }
        c->cand_off[nl] = n;
        c->n_cand = n;
        c->cand_plan = calloc(n + 1, sizeof *c->cand_plan);
        c->cand_end = calloc(n + 1, sizeof *c->cand_end);
        c->cand_km = calloc(n + 1, sizeof *c->cand_km);
        if (!c->cand_plan || !c->cand_end || !c->cand_km) {
            free(on);
            goto fail;
        }
        n = 0;
        for (size_t l = 0; l < nl; l++) {
            on[l] = 1;
            civ_enumerate(c, w, l, l, depth, 0, DR_AGENT_NONE, 0.0, on, &n, 1);
            on[l] = 0;
        }
        free(on);
    }

    /* One weight table per state (used when foreign_weight != 1). */
    c->table_of_country = calloc(na + 1, sizeof *c->table_of_country);
    if (!c->table_of_country) goto fail;
    for (size_t a = 0; a < na; a++)
        if (w->actors[a].kind == DR_ACTOR_STATE) c->table_of_country[a] = c->n_tables++;
    if (c->n_tables == 0) c->n_tables = 1;
    c->cand_cum = calloc(c->n_tables * c->n_cand + 1, sizeof *c->cand_cum);

    c->country = calloc(nl + 1, sizeof *c->country);
    c->occupancy = calloc(nl + 1, sizeof *c->occupancy);
    c->p_settled = calloc(nl + 1, sizeof *c->p_settled);
    c->p_displaced = calloc(nl + 1, sizeof *c->p_displaced);
    c->p_death = calloc(nl + 1, sizeof *c->p_death);
    c->exposure = calloc(nl + 1, sizeof *c->exposure);
    c->gap = calloc(nl + 1, sizeof *c->gap);
    c->p_arrest = calloc(nl + 1, sizeof *c->p_arrest);
    c->pass = calloc(nr + 1, sizeof *c->pass);
    c->pass_fraction = calloc(nr + 1, sizeof *c->pass_fraction);
    c->eff_km = calloc(nr + 1, sizeof *c->eff_km);
    c->p_route_death = calloc(nr + 1, sizeof *c->p_route_death);
    c->origin_index = malloc((nl + 1) * sizeof *c->origin_index);
    c->next_hop = malloc(nl * nl + 1);
    c->pass_seen = calloc(nr + 1, 1);
    c->km_seen = calloc(nr + 1, sizeof *c->km_seen);
    c->dist = calloc(nl + 1, sizeof *c->dist);
    c->done = calloc(nl + 1, 1);
    c->p_deport = calloc(na * DR_DOC_COUNT + 1, sizeof *c->p_deport);
    c->p_fear = calloc(na * DR_DOC_COUNT + 1, sizeof *c->p_fear);
    c->t_settled = calloc(nl + 1, sizeof *c->t_settled);
    c->t_displaced = calloc(nl + 1, sizeof *c->t_displaced);
    c->t_death = calloc(nl + 1, sizeof *c->t_death);
    c->t_route_death = calloc(nr + 1, sizeof *c->t_route_death);
    c->t_pass = calloc(nr + 1, sizeof *c->t_pass);
    c->t_deport = calloc(na * DR_DOC_COUNT + 1, sizeof *c->t_deport);
    c->t_fear = calloc(na * DR_DOC_COUNT + 1, sizeof *c->t_fear);
    c->q_quiet = calloc(nl * CIV_QUIET_KINDS + 1, sizeof *c->q_quiet);
    c->q_plain = calloc(nl + 1, 1);
    c->quiet_path = 1;
    if (!c->t_settled || !c->t_displaced || !c->t_death || !c->t_route_death ||
        !c->t_pass || !c->t_deport || !c->t_fear || !c->q_quiet || !c->q_plain)
        goto fail;
    if (!c->cand_cum || !c->country || !c->occupancy || !c->p_settled ||
        !c->p_displaced || !c->p_death || !c->exposure || !c->gap || !c->p_arrest ||
        !c->pass || !c->pass_fraction || !c->eff_km || !c->p_route_death ||
        !c->origin_index || !c->next_hop || !c->pass_seen || !c->km_seen || !c->dist ||
        !c->done || !c->p_deport || !c->p_fear)
        goto fail;
    for (size_t l = 0; l < nl; l++) {
        c->country[l] = (uint32_t)w->locations[l].country;
        c->origin_index[l] = UINT32_MAX;
    }

    /* Per-thread partial counts, each block a whole number of cache lines. */
    civ_layout *y = &c->lay;
    size_t off = 0;
    y->count = off;
    off += nl * DR_AGENT_STATUS_COUNT;
    y->on_route = off;
    off += nr;
    y->active = off;
    off += nl;
    y->flow = off;
    off += 2 * nr;
    y->returns = off;
    off += nl;
    y->deported = off;
    off += nl;
    y->deaths = off;
    off += nl;
    y->route_deaths = off;
    off += nr;
    y->len = off;
    c->stride = (off + 7) / 8 * 8;
    c->part = calloc((size_t)c->n_threads * c->stride + 8, sizeof *c->part);
    if (!c->part) goto fail;
    return c;
fail:
    dr_civ_work_destroy(c);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Tables of the day                                                         */
/* ------------------------------------------------------------------------ */

/* The threshold of probability p for a 32-bit word: floor(p * 2^32),
 * clamped to [0, 2^32]. */
static uint64_t civ_threshold(double p)
{
    if (!(p > 0.0)) return 0;
    if (p >= 1.0) return UINT64_C(1) << 32;
    return (uint64_t)(p * 4294967296.0);
}

/* Base move chance of location type t (FLEE's movechance by type). */
static double civ_base_chance(const dr_civilian_params *p, dr_location_type t)
{
    switch (t) {
    case DR_LOC_CONFLICT_ZONE:
        return p->move_chance_conflict;
    case DR_LOC_CAMP:
        return p->move_chance_camp;
    case DR_LOC_CROSSING:
        return p->move_chance_crossing;
    case DR_LOC_CITY:
    case DR_LOC_TOWN:
    case DR_LOC_DISTRICT:
    case DR_LOC_TYPE_COUNT:
        break;
    }
    return p->move_chance_default;
}

/* Dijkstra from origin o over the routes open today (effective km), O(nl^2)
 * with ties broken by the lowest location index; writes, for every
 * location l that can reach o, the adjacency slot at l of its first link
 * toward o into hop[l] (CIV_NO_HOP otherwise and at o itself). */
static void civ_routes_home(dr_civ_work *c, size_t o, uint8_t *hop)
{
    const size_t nl = c->nl;
    for (size_t l = 0; l < nl; l++) {
        c->dist[l] = INFINITY;
        c->done[l] = 0;
        hop[l] = CIV_NO_HOP;
    }
    c->dist[o] = 0.0;
    for (;;) {
        size_t u = DR_NONE;
        for (size_t l = 0; l < nl; l++)
            if (!c->done[l] && c->dist[l] < INFINITY &&
                (u == DR_NONE || c->dist[l] < c->dist[u]))
                u = l;
        if (u == DR_NONE) break;
        c->done[u] = 1;
        for (size_t s = c->adj_off[u]; s < c->adj_off[u + 1]; s++) {
            size_t r = c->adj_route[s], v = c->adj_to[s];
            if (c->pass[r] == CIV_PASS_CLOSED || c->done[v]) continue;
            double d = c->dist[u] + c->eff_km[r];
            if (d < c->dist[v]) {
                c->dist[v] = d;
                /* v's first hop toward o is its link back to u over r. */
                for (size_t t = c->adj_off[v]; t < c->adj_off[v + 1]; t++)
                    if (c->adj_route[t] == r && c->adj_to[t] == u) {
                        hop[v] = (uint8_t)(t - c->adj_off[v]);
                        break;
                    }
            }
        }
    }
}

/*
 * The quiet thresholds of location l for the day. Before it may move, a
 * settled agent at l meets a chain of yes/no events (civ_agent_day): death
 * (t_death), for a foreign agent deportation and fear-driven return
 * (t_deport, t_fear of its documentation), for a displaced agent whose
 * origin is calm the return decision (t_return), then the move check
 * (t_settled). civ_event decides them on one word u while what is left of
 * it spans at least 2^31 values: after "no" to events t_1 .. t_j (those
 * with t = 0 draw nothing and are skipped), u has passed q_j = cut_1 + ..
 * + cut_j with cut_1 = t_1, cut_k = floor(t_k R_k / 2^32), R_1 = 2^32,
 * R_(k+1) = R_k - cut_k, and event k happens iff u < q_(k-1) + cut_k. So
 * the agent has none of them iff u >= q_n, provided every R_k >= 2^31 and
 * no t_k is certain; otherwise it goes the long way (CIV_NOT_QUIET).
 */
static uint64_t civ_quiet_chain(const uint64_t *t, unsigned n)
{
    const uint64_t two32 = (uint64_t)1 << 32;
    uint64_t q = 0, range = two32;
    for (unsigned k = 0; k < n; k++) {
        if (t[k] == 0) continue;
        if (t[k] >= two32 || range < two32 / 2) return CIV_NOT_QUIET;
        const uint64_t cut = (t[k] * range) >> 32;
        q += cut;
        range -= cut;
    }
    return q;
}

static void civ_quiet_prepare(dr_civ_work *c, size_t l)
{
    uint64_t *q = c->q_quiet + l * CIV_QUIET_KINDS;
    for (unsigned d = 0; d < DR_DOC_COUNT; d++) {
        const size_t k = (size_t)c->country[l] * DR_DOC_COUNT + d;
        for (unsigned f = 0; f < 2; f++) {
            for (unsigned m = 0; m < 2; m++) {
                uint64_t t[5];
                unsigned n = 0;
                t[n++] = c->t_death[l];
                if (f) {
                    t[n++] = c->t_deport[k];
                    t[n++] = c->t_fear[k];
                }
                if (m) t[n++] = c->t_return;
                t[n++] = c->t_settled[l];
                q[4 * d + 2 * f + m] = civ_quiet_chain(t, n);
            }
        }
    }
    /* Without deportation here, calm = 0 (not displaced) leaves the death
     * and move checks only: the same for every documentation and origin. */
    uint8_t plain = 1;
    for (unsigned d = 0; d < DR_DOC_COUNT; d++)
        plain &= (uint8_t)(q[4 * d] == q[0] && q[4 * d + 2] == q[0]);
    c->q_plain[l] = plain;
}

/* Fill the tables every agent reads today. */
static void civ_prepare_day(dr_world *w)
{
    dr_civ_work *c = w->civ;
    const dr_civilian_params *p = &w->params.civilians;
    const size_t nl = c->nl, nr = c->nr, na = c->na;
    const double scale =
        (double)(w->sc->meta.agent_scale >= 1 ? w->sc->meta.agent_scale : 1);
    c->relief = w->any_relief ? w->iv_relief : NULL;
    c->t_return = civ_threshold(1.0 - exp(-p->return_rate));

    /* Locations. */
    for (size_t l = 0; l < nl; l++) {
        const dr_location *loc = &w->locations[l];
        double occ = 0.0;
        for (int s = 0; s < DR_AGENT_DEAD; s++)
            occ += (double)w->civ_count[l * DR_AGENT_STATUS_COUNT + (size_t)s];
        c->occupancy[l] = occ;
        const double d = w->danger[l];
        const double base = civ_base_chance(p, loc->type);
        c->p_settled[l] =
            fmin(1.0, p->settled_factor * base + p->settled_danger_weight * d);
        c->p_displaced[l] = fmin(1.0, base + p->danger_weight * d);
        double share = occ > 0.0 ? fmin(1.0, w->civilian_deaths[l] / (occ * scale)) : 0.0;
        c->p_death[l] = 1.0 - (1.0 - share) * exp(-p->death_rate);
        c->exposure[l] = p->exposure_hardship * d;
        c->gap[l] = 1.0 - w->actors[loc->country].legitimacy;
        double cops = p->security_ratio * loc->security * occ;
        c->p_arrest[l] =
            dr_civ_arrest_probability(p->arrest_constant, cops, (double)w->civ_active[l]);
        w->calm_days[l] = d < p->return_danger ? w->calm_days[l] + 1 : 0;
    }

    /* Routes. */
    int changed = !c->hops_valid || c->speed_seen != p->informal_speed;
    int km_changed = 0;
    for (size_t r = 0; r < nr; r++) {
        const dr_route *rt = &w->routes[r];
        /* Status is a crossing's in scenario files, but a driver (FLEE's
         * closures) may close any route: honour it on every kind. */
        const uint8_t pass = rt->status == DR_CROSSING_CLOSED       ? CIV_PASS_CLOSED
                             : rt->status == DR_CROSSING_RESTRICTED ? CIV_PASS_RESTRICTED
                                                                    : CIV_PASS_OPEN;
        c->pass[r] = pass;
        c->pass_fraction[r] = rt->pass_fraction;
        double rate = p->death_rate;
        if (rt->kind == DR_ROUTE_INFORMAL) {
            c->eff_km[r] = rt->distance_km / p->informal_speed;
            rate += p->informal_death_rate;
        } else {
            c->eff_km[r] = rt->distance_km;
        }
        c->p_route_death[r] = 1.0 - exp(-rate);
        if (c->km_seen[r] != c->eff_km[r]) km_changed = 1;
        if (c->pass_seen[r] != pass) changed = 1;
        c->pass_seen[r] = pass;
        c->km_seen[r] = c->eff_km[r];
    }
    c->speed_seen = p->informal_speed;
    /* A route's length changed (a `set` event on distance_km): the
     * candidates' lengths and the ways home follow. */
    if (km_changed) {
        civ_candidate_lengths(c, w);
        changed = 1;
    }

    /* Next hops home, for every origin in use. */
    if (changed) {
        for (size_t o = 0; o < nl; o++)
            if (c->origin_index[o] != UINT32_MAX)
                civ_routes_home(c, o, c->next_hop + (size_t)c->origin_index[o] * nl);
        c->hops_valid = 1;
    }

    /* Route weights: one table per origin state, or one for all. */
    const int per_country = p->foreign_weight != 1.0;
    for (size_t a = 0; a < na; a++) {
        if (!per_country) c->table_of_country[a] = 0;
    }
    if (per_country) {
        size_t t = 0;
        for (size_t a = 0; a < na; a++)
            if (w->actors[a].kind == DR_ACTOR_STATE) c->table_of_country[a] = t++;
    }
    const size_t n_tables = per_country ? c->n_tables : 1;
    for (size_t t = 0; t < n_tables; t++) {
        /* The state of table t (per_country) or none. */
        size_t home = DR_NONE;
        if (per_country)
            for (size_t a = 0; a < na && home == DR_NONE; a++)
                if (w->actors[a].kind == DR_ACTOR_STATE && c->table_of_country[a] == t)
                    home = a;
        double *cum = c->cand_cum + t * c->n_cand;
        for (size_t l = 0; l < nl; l++) {
            double acc = 0.0;
            for (size_t k = c->cand_off[l]; k < c->cand_off[l + 1]; k++) {
                /* Walk the route: any closed crossing blocks it. */
                uint32_t plan = c->cand_plan[k];
                size_t at = l;
                int blocked = 0;
                for (int h = 0; h < DR_AWARENESS_MAX; h++) {
                    uint32_t slot = (plan >> (8 * h)) & 0xffu;
                    if (slot == CIV_NO_HOP) break;
                    size_t s = c->adj_off[at] + slot;
                    if (c->pass[c->adj_route[s]] == CIV_PASS_CLOSED) blocked = 1;
                    at = c->adj_to[s];
                }
                double wgt = 0.0;
                if (!blocked) {
                    const size_t e = c->cand_end[k];
                    const dr_location *le = &w->locations[e];
                    double score = 1.0;
                    if (home != DR_NONE && le->country != home)
                        score *= p->foreign_weight;
                    if (le->type == DR_LOC_CAMP) score *= p->camp_weight;
                    const double x = w->danger[e];
                    if (x > 0.0 && p->conflict_weight != 1.0)
                        score *= pow(p->conflict_weight, x);
                    double len = p->distance_softening + c->cand_km[k];
                    double den =
                        p->distance_power == 1.0 ? len : pow(len, p->distance_power);
                    wgt = (p->weight_softening + score) / (den > 0.0 ? den : 1e-300);
                    wgt *= dr_civ_capacity_multiplier(c->occupancy[e] * scale,
                                                      (double)le->capacity,
                                                      p->capacity_buffer);
                    if (p->weight_power != 1.0 && wgt > 0.0)
                        wgt = pow(wgt, p->weight_power);
                    if (!isfinite(wgt) || wgt < 0.0) wgt = 0.0;
                }
                acc += wgt;
                cum[k] = acc;
            }
        }
    }

    /* Deportation policies running today, as probabilities. */
    c->any_deport = 0;
    memset(c->p_deport, 0, na * DR_DOC_COUNT * sizeof *c->p_deport);
    for (size_t e = 0; e < w->sc->n_events; e++) {
        const dr_event *ev = &w->sc->events[e];
        if (ev->type != DR_EVENT_DEPORTATION || ev->day > w->day) continue;
        if (ev->duration > 0 && w->day >= ev->day + ev->duration) continue;
        c->p_deport[ev->country * DR_DOC_COUNT + ev->documentation] += ev->rate;
        c->any_deport = 1;
    }
    for (size_t k = 0; k < na * DR_DOC_COUNT; k++) {
        double rate = c->p_deport[k];
        c->p_deport[k] = 1.0 - exp(-rate);
        c->p_fear[k] = 1.0 - exp(-p->fear_return * rate);
        c->t_deport[k] = civ_threshold(c->p_deport[k]);
        c->t_fear[k] = civ_threshold(c->p_fear[k]);
    }
    for (size_t l = 0; l < nl; l++) {
        c->t_settled[l] = civ_threshold(c->p_settled[l]);
        c->t_displaced[l] = civ_threshold(c->p_displaced[l]);
        c->t_death[l] = civ_threshold(c->p_death[l]);
        civ_quiet_prepare(c, l);
    }
    for (size_t r = 0; r < nr; r++) {
        c->t_route_death[r] = civ_threshold(c->p_route_death[r]);
        c->t_pass[r] = civ_threshold(c->pass_fraction[r]);
    }
}

/* ------------------------------------------------------------------------ */
/* One agent's day                                                           */
/* ------------------------------------------------------------------------ */

/*
 * An agent's numbers of the day. Its first word is word i mod 4 of the
 * Philox block (0, i / 4, day, DR_RNG_CIVILIANS << 20 | replication): four
 * consecutive agents share one block, which quarters the cost of the most
 * common case (one draw a day), and the blocks of DR_CIV_LANES consecutive
 * groups are computed together on first need. Further words come from the
 * agent's own stream (b, i, day, DR_RNG_CIVILIAN_DRAWS << 20 |
 * replication), b = 0, 1, ... Both are pure functions of (seed,
 * replication, agent, day), whichever thread computes them.
 *
 * A yes/no event (civ_event) reuses what is left of the word that decided
 * the previous one: a word u decides an event of probability t/2^32 by
 * u < t, and what remains is uniform on the outcome's interval, [0, t) or
 * [0, 2^32 - t). While that interval holds at least 2^31 values (after an
 * unlikely event did not happen: the common case, a death check followed
 * by the move check) the next event is decided on it, with probability
 * floor(t*R/2^32)/R for an interval of R values (off by less than 2^-31);
 * otherwise a fresh word is drawn. Most agents thus use one word a day,
 * which the four-agent block already holds.
 */
typedef struct civ_group {
    size_t chunk;                  /* first group of the cached blocks,
                                      SIZE_MAX when none */
    uint32_t buf[DR_CIV_LANES][4]; /* blocks of groups chunk.. */
} civ_group;

typedef struct civ_rng {
    civ_group *g; /* the thread's cached group block (borrowed) */
    const uint32_t *key;
    uint32_t agent, day, word3_first, word3_more;
    unsigned used;   /* words handed out so far */
    uint32_t buf[4]; /* current block of the agent's own stream */
    uint64_t res;    /* what is left of the last event's word: uniform */
    uint64_t range;  /* on [0, range); 0 when nothing is left */
} civ_rng;

/* The agent's next word of the day (see civ_group for the layout). */
static inline uint32_t civ_word(civ_rng *r)
{
    if (r->used == 0) {
        r->used = 1;
        const size_t grp = r->agent >> 2;
        const size_t chunk = grp & ~(size_t)(DR_CIV_LANES - 1);
        if (r->g->chunk != chunk) {
            dr_civ_philox_lanes(r->key, (uint32_t)chunk, r->day, r->word3_first,
                                r->g->buf);
            r->g->chunk = chunk;
        }
        return r->g->buf[grp - chunk][r->agent & 3u];
    }
    unsigned k = r->used - 1; /* index in the agent's own stream */
    if ((k & 3u) == 0) {
        uint32_t ctr[4] = {k >> 2, r->agent, r->day, r->word3_more};
        dr_rng_philox_block(ctr, r->key, r->buf);
    }
    r->used++;
    return r->buf[k & 3u];
}

/* 1 with probability t / 2^32 (t from civ_threshold); draws a word only
 * when 0 < t < 2^32. */
static inline int civ_event(civ_rng *r, uint64_t t)
{
    if (t == 0) return 0;
    if (t >> 32) return 1;
    if (r->range >> 31) {
        const uint64_t cut = (t * r->range) >> 32;
        if (r->res < cut) {
            r->range = cut;
            return 1;
        }
        r->res -= cut;
        r->range -= cut;
        return 0;
    }
    const uint64_t u = civ_word(r);
    if (u < t) {
        r->res = u;
        r->range = t;
        return 1;
    }
    r->res = u - t;
    r->range = ((uint64_t)1 << 32) - t;
    return 0;
}

/* What every agent of the day shares (read-only in the loop). */
typedef struct civ_day {
    const dr_world *w;
    const dr_civ_work *c;
    const dr_route *routes;
    const int64_t *calm_days;
    uint32_t key[2];
    uint32_t word3_first, word3_more;
    uint32_t day;
    uint16_t since;
    double speed;
    uint64_t t_return;
    int64_t return_days;
    double displacement;
    double threshold;
    int mobilise;
} civ_day;

/* Hardship h raised by share x of its gap to 1. */
static inline float civ_raise(float h, double x)
{
    return (float)((double)h + x * (1.0 - (double)h));
}

/* Advance agent i by one day, counting its flows, deaths, returns and
 * deportations into `part`. Returns the index in `part` of the cell that
 * counts its final state (location and status, or route), and sets *at to
 * its location when it is alive there (SIZE_MAX otherwise) and *active to
 * 1 when it is mobilised; the caller adds these up in runs. */
static inline size_t civ_agent_day(const civ_day *x, dr_agents *a, size_t i,
                                   civ_group *grp, int64_t *part, size_t *at,
                                   unsigned *active_out)
{
    const dr_civ_work *c = x->c;
    const civ_layout *y = &c->lay;
    uint8_t st = a->status[i];
    uint32_t l = a->location[i];
    *at = SIZE_MAX;
    *active_out = 0;
    if (st == DR_AGENT_DEAD)
        return y->count + (size_t)l * DR_AGENT_STATUS_COUNT + DR_AGENT_DEAD;
    uint32_t lk = a->link[i];
    uint8_t fl = a->flags[i];
    const uint8_t st0 = st, fl0 = fl;
    civ_rng r = {grp,           x->key, (uint32_t)i,  x->day, x->word3_first,
                 x->word3_more, 0,      {0, 0, 0, 0}, 0,      0};

    /* 1. Death, where the agent starts the day. */
    if (civ_event(&r, lk == DR_AGENT_NONE ? c->t_death[l] : c->t_route_death[lk])) {
        a->status[i] = DR_AGENT_DEAD;
        a->since[i] = x->since;
        a->flags[i] = 0;
        a->plan[i] = DR_AGENT_NONE;
        part[y->deaths + l]++;
        if (lk != DR_AGENT_NONE) {
            part[y->route_deaths + lk]++;
            a->link[i] = DR_AGENT_NONE;
        }
        return y->count + (size_t)l * DR_AGENT_STATUS_COUNT + DR_AGENT_DEAD;
    }

    const int settled0 =
        st == DR_AGENT_RESIDENT || st == DR_AGENT_RETURNEE || (fl & DR_AGENT_SETTLED);
    float h = a->hardship[i];
    const float h0 = h;
    uint32_t origin = DR_AGENT_NONE; /* read on first need */

    if (lk == DR_AGENT_NONE) {
        /* 2. Exposure to the violence around raises hardship. */
        if (c->exposure[l] > 0.0) h = civ_raise(h, c->exposure[l]);
        /* Interventions (outreach, economic corridors) lower it. */
        if (c->relief && c->relief[l] > 0.0)
            h = (float)((double)h * (1.0 - c->relief[l]));

        /* 3. Deportation and returns. */
        if (!(fl & DR_AGENT_RETURNING)) {
            if (c->any_deport) {
                const size_t cl = c->country[l];
                const size_t k = cl * DR_DOC_COUNT + a->documentation[i];
                if (c->t_deport[k] || c->t_fear[k]) {
                    origin = a->origin[i];
                    if (c->country[origin] != cl) {
                        if (civ_event(&r, c->t_deport[k])) {
                            st = DR_AGENT_IN_TRANSIT;
                            fl = (uint8_t)((fl | DR_AGENT_RETURNING) & ~DR_AGENT_SETTLED);
                            part[y->deported + l]++;
                            h = civ_raise(h, x->displacement);
                        } else if (civ_event(&r, c->t_fear[k])) {
                            fl = (uint8_t)((fl | DR_AGENT_RETURNING) & ~DR_AGENT_SETTLED);
                        }
                    }
                }
            }
            if (!(fl & DR_AGENT_RETURNING) && x->t_return &&
                (st == DR_AGENT_IDP || st == DR_AGENT_REFUGEE)) {
                if (origin == DR_AGENT_NONE) origin = a->origin[i];
                if (x->calm_days[origin] >= x->return_days && civ_event(&r, x->t_return))
                    fl = (uint8_t)((fl | DR_AGENT_RETURNING) & ~DR_AGENT_SETTLED);
            }
        }
    }

    /* 4. Movement. The common case first: a settled agent that does not
     * move today touches nothing more. */
    const int heading_home = (fl & DR_AGENT_RETURNING) != 0;
    if (lk == DR_AGENT_NONE && !heading_home && settled0 &&
        !civ_event(&r, c->t_settled[l])) {
        goto mobilise;
    }
    {
        /* Continue on the link, then decide at each location reached while
         * today's distance lasts. `decided` marks a move chance already
         * won at the start location. */
        int decided = lk == DR_AGENT_NONE && !heading_home && settled0;
        uint32_t plan = a->plan[i];
        const uint32_t plan0 = plan, lk0 = lk, l0 = l;
        float km = lk != DR_AGENT_NONE ? a->km_left[i] : 0.0f;
        double budget = x->speed;
        int legs = 0;
        for (;;) {
            if (lk != DR_AGENT_NONE) {
                if ((double)km > budget) {
                    km = (float)((double)km - budget);
                    break;
                }
                budget -= (double)km;
                km = 0.0f;
                const dr_route *rt = &x->routes[lk];
                l = (uint32_t)(rt->from == l ? rt->to : rt->from);
                lk = DR_AGENT_NONE;
                if (origin == DR_AGENT_NONE) origin = a->origin[i];
                if (l == origin) {
                    if (st != DR_AGENT_RESIDENT && st != DR_AGENT_RETURNEE) {
                        st = DR_AGENT_RETURNEE;
                        part[y->returns + l]++;
                    }
                    fl &= (uint8_t)~DR_AGENT_RETURNING;
                    plan = DR_AGENT_NONE;
                } else if (st == DR_AGENT_IDP || st == DR_AGENT_REFUGEE) {
                    st = c->country[l] == c->country[origin] ? DR_AGENT_IDP
                                                             : DR_AGENT_REFUGEE;
                }
                if (++legs >= DR_CIV_MAX_LEGS || !(budget > 0.0)) break;
            }
            /* At location l with distance left today: the next link. */
            uint32_t slot;
            if (fl & DR_AGENT_RETURNING) {
                if (origin == DR_AGENT_NONE) origin = a->origin[i];
                if (l == origin) {
                    fl &= (uint8_t)~DR_AGENT_RETURNING;
                    break;
                }
                slot = c->next_hop[(size_t)c->origin_index[origin] * c->nl + l];
                if (slot == CIV_NO_HOP) break; /* no open way home: wait */
            } else if (plan != DR_AGENT_NONE) {
                slot = plan & 0xffu;
                plan = plan >> 8 | 0xff000000u;
            } else {
                if (!decided) {
                    const int settled = st == DR_AGENT_RESIDENT ||
                                        st == DR_AGENT_RETURNEE ||
                                        (fl & DR_AGENT_SETTLED);
                    if (!civ_event(&r, settled ? c->t_settled[l] : c->t_displaced[l]))
                        break;
                }
                if (origin == DR_AGENT_NONE) origin = a->origin[i];
                const size_t t = c->table_of_country[c->country[origin]];
                const double *cum = c->cand_cum + t * c->n_cand;
                const size_t k0 = c->cand_off[l], k1 = c->cand_off[l + 1];
                if (k1 == k0 || !(cum[k1 - 1] > 0.0)) break;
                const double v = civ_word_uniform(civ_word(&r)) * cum[k1 - 1];
                size_t k = k0;
                while (k + 1 < k1 && !(cum[k] > v)) k++;
                plan = c->cand_plan[k];
                slot = plan & 0xffu;
                plan = plan >> 8 | 0xff000000u;
            }
            decided = 0;
            const size_t s = c->adj_off[l] + slot;
            const uint32_t rr = c->adj_route[s];
            if (c->pass[rr] == CIV_PASS_CLOSED ||
                (c->pass[rr] == CIV_PASS_RESTRICTED && !civ_event(&r, c->t_pass[rr]))) {
                plan = DR_AGENT_NONE; /* turned back: stays here today */
                break;
            }
            /* Leaving makes a settled agent displaced (in flight). */
            if (st == DR_AGENT_RESIDENT || st == DR_AGENT_RETURNEE) {
                if (origin == DR_AGENT_NONE) origin = a->origin[i];
                st =
                    c->country[l] == c->country[origin] ? DR_AGENT_IDP : DR_AGENT_REFUGEE;
                h = civ_raise(h, x->displacement);
            } else if (fl & DR_AGENT_SETTLED) {
                fl &= (uint8_t)~DR_AGENT_SETTLED;
                h = civ_raise(h, x->displacement);
            }
            part[y->flow + 2 * (size_t)rr + (x->routes[rr].from == l ? 0 : 1)]++;
            lk = rr;
            km = (float)c->eff_km[rr];
        }
        if (plan != plan0) a->plan[i] = plan;
        if (lk != lk0) a->link[i] = lk;
        if (l != l0) a->location[i] = l;
        if (lk != DR_AGENT_NONE || lk0 != DR_AGENT_NONE) a->km_left[i] = km;
    }

mobilise:;
    /* 5. Mobilisation (Epstein): active iff H(1 - L) - R P > theta. */
    uint8_t active = 0;
    if (x->mobilise && lk == DR_AGENT_NONE) {
        /* Branch-free: about half the agents are active in a restive
         * place, so a branch here would be mispredicted half the time.
         * (R P >= 0, so G - R P > theta implies G > theta.) */
        const double m =
            (double)h * c->gap[l] - (double)a->risk_aversion[i] * c->p_arrest[l];
        active = (uint8_t)(m > x->threshold);
    }
    fl = (uint8_t)((fl & ~DR_AGENT_ACTIVE) | active);

    /* Write back only what changed (most agents change nothing). */
    if (st != st0) {
        a->status[i] = st;
        a->since[i] = x->since;
    }
    if (fl != fl0) a->flags[i] = fl;
    if (h != h0) a->hardship[i] = h;

    if (lk != DR_AGENT_NONE) return y->on_route + lk;
    *at = l;
    *active_out = active;
    return y->count + (size_t)l * DR_AGENT_STATUS_COUNT + st;
}

/* Agents of a quiet batch: consecutive, starting at a multiple of
 * CIV_BATCH, so that their first words lie side by side in one cached
 * group block. */
#define CIV_BATCH 16u
_Static_assert(CIV_BATCH % 4u == 0 && (4u * DR_CIV_LANES) % CIV_BATCH == 0,
               "a batch is whole groups of one cached block");
_Static_assert(CIV_BATCH <= 32, "a batch's agents are bits of an unsigned mask");
_Static_assert(DR_DOC_COUNT == 4, "quiet kinds: 2 bits of documentation");

/*
 * The common, quiet day of agents i .. i + CIV_BATCH - 1, for those of
 * them that have it: alive at the location l of agent i, off the links,
 * with agent i's status, settled (residents and returnees, or displaced
 * agents with DR_AGENT_SETTLED), not heading home, and a first word that
 * passes their quiet threshold (no death, deportation, fear-driven return,
 * return decision or move today, see civ_quiet_prepare). Their day is
 * hardship and mobilisation only, computed here as civ_agent_day computes
 * them, in straight loops over the batch. Returns the mask of the agents
 * done (bit k: agent i + k; the others are untouched and go the long way)
 * and, when it is not 0, sets *l_out, *st_out, *n_done (agents done) and
 * *n_active (mobilised agents among them).
 */
static inline unsigned civ_quiet_batch(const civ_day *x, dr_agents *a, size_t i,
                                       civ_group *grp, uint32_t *l_out, uint8_t *st_out,
                                       unsigned *n_done, unsigned *n_active)
{
    const dr_civ_work *c = x->c;
    const uint32_t l = a->location[i];
    const uint8_t st = a->status[i];
    const int displaced = st == DR_AGENT_IDP || st == DR_AGENT_REFUGEE;
    if (!displaced && st != DR_AGENT_RESIDENT && st != DR_AGENT_RETURNEE) return 0;

    const size_t g = i >> 2;
    const size_t chunk = g & ~(size_t)(DR_CIV_LANES - 1);
    if (grp->chunk != chunk) {
        dr_civ_philox_lanes(x->key, (uint32_t)chunk, x->day, x->word3_first, grp->buf);
        grp->chunk = chunk;
    }
    const uint32_t *u = grp->buf[g - chunk]; /* CIV_BATCH words in a row */
    const uint32_t *loc = a->location + i, *lk = a->link + i, *org = a->origin + i;
    const uint8_t *sts = a->status + i, *doc = a->documentation + i;
    uint8_t *fl = a->flags + i;
    const uint64_t *q = c->q_quiet + (size_t)l * CIV_QUIET_KINDS;
    const uint8_t need = displaced ? DR_AGENT_SETTLED : 0;
    uint8_t ok[CIV_BATCH];
    if (!displaced && c->q_plain[l]) {
        /* One threshold for all: no documentation or origin to read. A
         * word is below 2^32, so a threshold of 2^32 or more is never met. */
        if (q[0] > UINT32_MAX) return 0;
        const uint32_t q0 = (uint32_t)q[0];
        for (unsigned k = 0; k < CIV_BATCH; k++)
            ok[k] = (uint8_t)((loc[k] == l) & (lk[k] == DR_AGENT_NONE) & (sts[k] == st) &
                              ((fl[k] & DR_AGENT_RETURNING) == 0) & (u[k] >= q0));
    } else {
        const uint32_t cl = c->country[l];
        const int calm_counts = displaced && x->t_return;
        for (unsigned k = 0; k < CIV_BATCH; k++) {
            /* Any origin index is valid to read, whatever the agent's
             * state. */
            const unsigned foreign = c->country[org[k]] != cl;
            const unsigned calm = calm_counts && x->calm_days[org[k]] >= x->return_days;
            const unsigned kind = 4u * (doc[k] & 3u) + 2u * foreign + calm;
            ok[k] = (uint8_t)((loc[k] == l) & (lk[k] == DR_AGENT_NONE) & (sts[k] == st) &
                              ((fl[k] & (DR_AGENT_RETURNING | need)) == need) &
                              ((uint64_t)u[k] >= q[kind]));
        }
    }
    unsigned mask = 0, n_ok = 0;
    for (unsigned k = 0; k < CIV_BATCH; k++) {
        mask |= (unsigned)ok[k] << k;
        n_ok += ok[k];
    }
    if (!mask) return 0;

    float *h = a->hardship + i;
    const double e = c->exposure[l];
    const double rel = c->relief ? c->relief[l] : 0.0;
    if (e > 0.0 || rel > 0.0) {
        for (unsigned k = 0; k < CIV_BATCH; k++) {
            float v = h[k];
            if (e > 0.0) v = civ_raise(v, e);
            if (rel > 0.0) v = (float)((double)v * (1.0 - rel));
            h[k] = ok[k] ? v : h[k];
        }
    }
    unsigned act = 0;
    if (x->mobilise) {
        const float *ra = a->risk_aversion + i;
        const double gap = c->gap[l], pa = c->p_arrest[l], th = x->threshold;
        for (unsigned k = 0; k < CIV_BATCH; k++) {
            const double m = (double)h[k] * gap - (double)ra[k] * pa;
            const uint8_t on = (uint8_t)(m > th) & ok[k];
            fl[k] = ok[k] ? (uint8_t)((fl[k] & ~DR_AGENT_ACTIVE) | on) : fl[k];
            act += on;
        }
    } else {
        for (unsigned k = 0; k < CIV_BATCH; k++)
            fl[k] = ok[k] ? (uint8_t)(fl[k] & ~DR_AGENT_ACTIVE) : fl[k];
    }
    *l_out = l;
    *st_out = st;
    *n_done = n_ok;
    *n_active = act;
    return mask;
}

void dr_civ_set_quiet_batches(dr_world *w, int on)
{
    if (w->civ) w->civ->quiet_path = on != 0;
}

/* Running sums of the agents' final cells (see dr_phase_civilians). */
typedef struct civ_tally {
    size_t cell, cell_at; /* SIZE_MAX before the first */
    int64_t run, run_active;
} civ_tally;

/* Count n agents ending in cell k, alive at location `at` (SIZE_MAX: dead
 * or on a link) with `active` of them mobilised. */
static inline void civ_tally_add(civ_tally *t, int64_t *part, size_t act0, size_t k,
                                 int64_t n, size_t at, unsigned active)
{
    if (k != t->cell) {
        if (t->cell != SIZE_MAX) part[t->cell] += t->run;
        t->cell = k;
        t->run = 0;
    }
    t->run += n;
    if (at != SIZE_MAX) {
        if (at != t->cell_at) {
            if (t->cell_at != SIZE_MAX) part[act0 + t->cell_at] += t->run_active;
            t->cell_at = at;
            t->run_active = 0;
        }
        t->run_active += active;
    }
}

static inline void civ_tally_flush(const civ_tally *t, int64_t *part, size_t act0)
{
    if (t->cell != SIZE_MAX) part[t->cell] += t->run;
    if (t->cell_at != SIZE_MAX) part[act0 + t->cell_at] += t->run_active;
}

#ifdef DR_DEBUG_CHECKS
/* Invariants of the phase-7 work space after a day (debug-checks builds):
 * every probability of the day in [0, 1], offsets and cumulative weights
 * sorted where the agent loop searches them, route indices in range. */
void dr_civ_check(const dr_world *w)
{
    const dr_civ_work *c = w->civ;
    if (!c || !w->params.civilians.enabled) return;
    const size_t nl = w->n_locations, nr = w->n_routes, na = w->n_actors;
#define DR_PROB(x) assert((x) >= 0.0 && (x) <= 1.0)
    for (size_t l = 0; l < nl; l++) {
        DR_PROB(c->p_settled[l]);
        DR_PROB(c->p_displaced[l]);
        DR_PROB(c->p_death[l]);
        DR_PROB(c->p_arrest[l]);
        assert(c->exposure[l] >= 0.0 && c->gap[l] >= 0.0 && c->gap[l] <= 1.0);
        assert(c->adj_off[l] <= c->adj_off[l + 1]);
        assert(c->cand_off[l] <= c->cand_off[l + 1]);
        for (size_t t = 0; t < c->n_tables; t++) {
            const double *cum = c->cand_cum + t * c->n_cand;
            for (size_t k = c->cand_off[l]; k < c->cand_off[l + 1]; k++) {
                assert(cum[k] >= 0.0 && isfinite(cum[k]));
                assert(k == c->cand_off[l] || cum[k] >= cum[k - 1]);
            }
        }
    }
    assert(c->cand_off[nl] == c->n_cand && c->adj_off[nl] <= 2 * nr);
    for (size_t r = 0; r < nr; r++) {
        DR_PROB(c->pass_fraction[r]);
        DR_PROB(c->p_route_death[r]);
        assert(c->eff_km[r] > 0.0);
    }
    for (size_t s = 0; s < c->adj_off[nl]; s++)
        assert(c->adj_route[s] < nr && c->adj_to[s] < nl);
    for (size_t k = 0; k < na * DR_DOC_COUNT; k++) {
        DR_PROB(c->p_deport[k]);
        DR_PROB(c->p_fear[k]);
    }
#undef DR_PROB
}
#endif

int dr_phase_civilians(dr_world *w)
{
    const dr_civilian_params *p = &w->params.civilians;
    if (!p->enabled || !w->civ) return 0;
    dr_civ_work *c = w->civ;
    civ_prepare_day(w);

    civ_day x = {
        .w = w,
        .c = c,
        .routes = w->routes,
        .key = {(uint32_t)(w->seed & 0xffffffffu), (uint32_t)(w->seed >> 32)},
        .calm_days = w->calm_days,
        .word3_first = (uint32_t)DR_RNG_CIVILIANS << 20 | w->replication,
        .word3_more = (uint32_t)DR_RNG_CIVILIAN_DRAWS << 20 | w->replication,
        .day = (uint32_t)w->day,
        .since = (uint16_t)(w->day > 65535 ? 65535 : w->day),
        .speed = p->max_move_speed,
        .t_return = c->t_return,
        .return_days = p->return_days,
        .displacement = p->displacement_hardship,
        .threshold = p->activation_threshold,
        .mobilise = p->mobilisation,
    };
    dr_agents *a = &w->agents;
    const size_t n = a->n;
    memset(c->part, 0, (size_t)c->n_threads * c->stride * sizeof *c->part);
    /* Agents go out in blocks, dynamically: the cost of an agent's day
     * varies by place and status (a quiet town's residents cost least),
     * so equal contiguous shares would leave one thread waiting. A block
     * is a multiple of the agents of one Philox lane batch (4 agents per
     * block of 4 words, DR_CIV_LANES blocks at a time). Which thread runs
     * an agent changes nothing: its numbers are keyed by (agent, day) and
     * the counts are integers summed in any order. */
    const size_t block = (size_t)1 << 16;
    _Static_assert(((size_t)1 << 16) % (4u * DR_CIV_LANES) == 0, "whole lane batches");
    const size_t n_blocks = (n + block - 1) / block;
#pragma omp parallel num_threads(c->n_threads)
    {
        const size_t t = (size_t)omp_get_thread_num();
        int64_t *part = c->part + t * c->stride;
        civ_group grp;
        grp.chunk = SIZE_MAX;
        const size_t act0 = c->lay.active;
        const civ_layout *y = &c->lay;
        const int quiet = c->quiet_path;
#pragma omp for schedule(dynamic, 1)
        for (size_t b = 0; b < n_blocks; b++) {
            const size_t lo = b * block;
            const size_t hi = lo + block < n ? lo + block : n;
            /* Agents sharing a location and status come in long runs (they
             * were created group by group): counting a run in a register
             * rather than incrementing one memory cell per agent breaks a
             * store-to-load dependency chain. Most batches of agents have
             * a quiet day (civ_quiet_batch); the others go one by one. */
            civ_tally tl = {SIZE_MAX, SIZE_MAX, 0, 0};
            size_t i = lo;
            for (; i + CIV_BATCH <= hi; i += CIV_BATCH) {
                uint32_t l;
                uint8_t st;
                unsigned n_done, act;
                const unsigned done =
                    quiet ? civ_quiet_batch(&x, a, i, &grp, &l, &st, &n_done, &act) : 0;
                if (done) {
                    civ_tally_add(&tl, part, act0,
                                  y->count + (size_t)l * DR_AGENT_STATUS_COUNT + st,
                                  n_done, l, act);
                    if (done == (unsigned)(((uint64_t)1 << CIV_BATCH) - 1)) continue;
                }
                for (size_t j = i; j < i + CIV_BATCH; j++) {
                    if (done >> (j - i) & 1u) continue;
                    size_t at;
                    unsigned active;
                    const size_t k = civ_agent_day(&x, a, j, &grp, part, &at, &active);
                    civ_tally_add(&tl, part, act0, k, 1, at, active);
                }
            }
            for (; i < hi; i++) {
                size_t at;
                unsigned active;
                const size_t k = civ_agent_day(&x, a, i, &grp, part, &at, &active);
                civ_tally_add(&tl, part, act0, k, 1, at, active);
            }
            civ_tally_flush(&tl, part, act0);
        }
    }

    /* Integer reduction of the partial counts, in thread order. */
    const civ_layout *y = &c->lay;
    const size_t nl = w->n_locations, nr = w->n_routes;
    int64_t *sum = c->part; /* thread 0's block accumulates the others */
    for (int t = 1; t < c->n_threads; t++) {
        const int64_t *q = c->part + (size_t)t * c->stride;
        for (size_t k = 0; k < y->len; k++) sum[k] += q[k];
    }
    memcpy(w->civ_count, sum + y->count, nl * DR_AGENT_STATUS_COUNT * sizeof *sum);
    memcpy(w->civ_on_route, sum + y->on_route, nr * sizeof *sum);
    memcpy(w->civ_active, sum + y->active, nl * sizeof *sum);
    memcpy(w->civ_flow, sum + y->flow, 2 * nr * sizeof *sum);
    memcpy(w->civ_returns, sum + y->returns, nl * sizeof *sum);
    memcpy(w->civ_deported, sum + y->deported, nl * sizeof *sum);
    memcpy(w->civ_deaths, sum + y->deaths, nl * sizeof *sum);
    memcpy(w->civ_route_deaths, sum + y->route_deaths, nr * sizeof *sum);
    int64_t dead = 0;
    for (size_t l = 0; l < nl; l++)
        dead += w->civ_count[l * DR_AGENT_STATUS_COUNT + DR_AGENT_DEAD];
    w->civ_dead = dead;
    return 0;
}
