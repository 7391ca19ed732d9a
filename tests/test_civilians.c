/*
 * test_civilians.c — phase 7 (civilian agents) in whole runs on
 * scenarios/test/civilians.cfg, whose separate components each isolate one
 * rule: destination shares against FLEE's route weights (chi-square), move
 * chance per location type and crossing pass fractions (binomial
 * intervals), the capacity ramp, closed crossings, Epstein's closed forms,
 * deportation by documentation, returns, conservation every tick with
 * spawning, and identical agent arrays for 1 and 2 threads.
 *
 * Statistical tolerances: binomial counts must lie within 4.5 standard
 * deviations of their expectation (two-sided p ≈ 7e-6 per check); a
 * chi-square statistic must stay below its 0.999 quantile for the stated
 * degrees of freedom. The streams are keyed, so every check is
 * deterministic for the scenario's seed; the tolerances say how far a
 * correct implementation could be off for another seed.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "civilians.h"
#include "dr_test.h"
#include "rng.h"
#include "scenario.h"
#include "world.h"

#define CIV_CFG "scenarios/test/civilians.cfg"
/* Width of the binomial acceptance interval, in standard deviations. */
#define Z_BINOMIAL 4.5
/* 0.999 quantiles of chi-square with 1 and 2 degrees of freedom. */
#define CHI2_999_DF1 10.828
#define CHI2_999_DF2 13.816

static dr_scenario *load(const char *const *ov, size_t n)
{
    dr_scenario *sc = dr_scenario_load(DR_SRC(CIV_CFG), ov, n, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    return sc;
}

static size_t loc(const dr_scenario *sc, const char *id)
{
    size_t l = dr_scenario_find_location(sc, id);
    CU_ASSERT_FATAL(l != DR_NONE);
    return l;
}

static size_t route(const dr_scenario *sc, const char *id)
{
    size_t r = dr_scenario_find_route(sc, id);
    CU_ASSERT_FATAL(r != DR_NONE);
    return r;
}

/* Agents entering route r today from location l. */
static int64_t flow_from(const dr_world *w, size_t r, size_t l)
{
    return w->civ_flow[2 * r + (w->routes[r].from == l ? 0 : 1)];
}

static int64_t count_at(const dr_world *w, size_t l, dr_agent_status s)
{
    return w->civ_count[l * DR_AGENT_STATUS_COUNT + s];
}

/* |k - n p| within Z_BINOMIAL standard deviations of Binomial(n, p). */
static int binomial_ok(int64_t k, int64_t n, double p)
{
    double mean = (double)n * p, sd = sqrt((double)n * p * (1.0 - p));
    int ok = fabs((double)k - mean) <= Z_BINOMIAL * sd + 1e-9;
    if (!ok)
        printf("\n    binomial: %lld of %lld, expected %.1f +- %.1f\n", (long long)k,
               (long long)n, mean, Z_BINOMIAL * sd);
    return ok;
}

/* Pearson's chi-square of observed counts against expected shares. */
static double chi_square(const int64_t *obs, const double *share, int k)
{
    int64_t n = 0;
    for (int i = 0; i < k; i++) n += obs[i];
    double x2 = 0.0;
    for (int i = 0; i < k; i++) {
        double e = (double)n * share[i];
        x2 += ((double)obs[i] - e) * ((double)obs[i] - e) / e;
    }
    return x2;
}

static dr_world *make(const dr_scenario *sc)
{
    dr_world *w = dr_world_create(sc, (uint64_t)sc->meta.seed, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    return w;
}

static void test_philox_lanes(void)
{
    /* The lane-parallel blocks are Philox4x32-10 exactly (rng.c's), in
     * every implementation this processor runs (v = -1: the one the
     * engine picks). Counters wrap around 2^32 in the last one. */
    const uint32_t keys[3][2] = {{0, 0}, {7, 0}, {0xdeadbeefu, 0x12345678u}};
    int ran = 0;
    for (int v = -1; v < dr_civ_philox_variants(); v++)
        for (int k = 0; k < 3; k++)
            for (uint32_t e0 = 0; e0 < 5000; e0 += 16 * 37) {
                const uint32_t e = k == 2 ? e0 - 8u : e0;
                uint32_t lanes[DR_CIV_LANES][4];
                memset(lanes, 0, sizeof lanes);
                if (v < 0)
                    dr_civ_philox_lanes(keys[k], e, 123u + e0, 8u << 20 | 3u, lanes);
                else if (dr_civ_philox_lanes_variant(v, keys[k], e, 123u + e0,
                                                     8u << 20 | 3u, lanes))
                    continue;
                ran += v >= 0;
                for (uint32_t j = 0; j < DR_CIV_LANES; j++) {
                    uint32_t ctr[4] = {0, e + j, 123u + e0, 8u << 20 | 3u}, out[4];
                    dr_rng_philox_block(ctr, keys[k], out);
                    CU_ASSERT_EQUAL(memcmp(out, lanes[j], sizeof out), 0);
                }
            }
    /* The portable one runs everywhere. */
    CU_ASSERT(ran >= 3 * 9);
}

static void test_phase_order(void)
{
    /* MODEL.md order: ..., militants, intensity, civilians, relations, ... */
    size_t mil = DR_NONE, inten = DR_NONE, civ = DR_NONE, rel = DR_NONE;
    for (size_t p = 0; p < dr_n_phases; p++) {
        if (!strcmp(dr_phases[p].name, "militants")) mil = p;
        if (!strcmp(dr_phases[p].name, "intensity")) inten = p;
        if (!strcmp(dr_phases[p].name, "civilians")) civ = p;
        if (!strcmp(dr_phases[p].name, "relations")) rel = p;
    }
    CU_ASSERT_FATAL(civ != DR_NONE);
    CU_ASSERT(mil < inten && inten < civ && civ < rel);
}

static void test_agents_created(void)
{
    dr_scenario *sc = load(NULL, 0);
    dr_world *w = make(sc);
    CU_ASSERT_EQUAL((int64_t)w->agents.n, dr_scenario_agent_count(sc));
    CU_ASSERT_EQUAL(w->agents.n_initial, w->agents.n);
    CU_ASSERT_EQUAL(w->agents.n_spawned, 0);
    /* Initial statuses: displaced in the origin's country, residents. */
    CU_ASSERT_EQUAL(count_at(w, loc(sc, "hub_t"), DR_AGENT_IDP), 100000);
    CU_ASSERT_EQUAL(count_at(w, loc(sc, "ep"), DR_AGENT_RESIDENT), 20000);
    CU_ASSERT_EQUAL(count_at(w, loc(sc, "host"), DR_AGENT_REFUGEE), 20000);
    /* H and R uniform on [0, 1] by default: means near 1/2. */
    double h = 0.0, r = 0.0;
    for (size_t i = 0; i < w->agents.n; i++) {
        CU_ASSERT_TRUE(w->agents.hardship[i] >= 0.0f && w->agents.hardship[i] <= 1.0f);
        h += w->agents.hardship[i];
        r += w->agents.risk_aversion[i];
    }
    double n = (double)w->agents.n, tol = Z_BINOMIAL * sqrt(1.0 / 12.0 / n);
    CU_ASSERT_DOUBLE_EQUAL(h / n, 0.5, tol);
    CU_ASSERT_DOUBLE_EQUAL(r / n, 0.5, tol);
    printf("\n    %zu agents, %zu bytes each\n", w->agents.n, (size_t)DR_AGENT_BYTES);
    CU_ASSERT_TRUE(DR_AGENT_BYTES <= 48);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_destination_shares(void)
{
    /* FLEE's weights w = (0 + score)/(10 + km): d1 1/60, d2 (camp, camp_weight
     * 2) 2/110, d3 1/210. The speed (10 km/day) keeps the movers on their
     * first link, so today's flows out of hub_t are the choices. */
    dr_scenario *sc = load(NULL, 0);
    dr_world *w = make(sc);
    CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    size_t hub = loc(sc, "hub_t");
    int64_t obs[3] = {flow_from(w, route(sc, "hub_t-d1"), hub),
                      flow_from(w, route(sc, "hub_t-d2"), hub),
                      flow_from(w, route(sc, "hub_t-d3"), hub)};
    double wt[3] = {1.0 / 60.0, 2.0 / 110.0, 1.0 / 210.0}, sum = wt[0] + wt[1] + wt[2];
    for (int i = 0; i < 3; i++) wt[i] /= sum;
    double x2 = chi_square(obs, wt, 3);
    printf("\n    flows %lld %lld %lld, chi-square %.2f (df 2)\n", (long long)obs[0],
           (long long)obs[1], (long long)obs[2], x2);
    CU_ASSERT_TRUE(x2 < CHI2_999_DF2);
    /* Move chance of a town (FLEE's default_movechance 0.3). */
    CU_ASSERT_TRUE(binomial_ok(obs[0] + obs[1] + obs[2], 100000, 0.3));
    CU_ASSERT_EQUAL(count_at(w, hub, DR_AGENT_IDP), 100000 - (obs[0] + obs[1] + obs[2]));
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_awareness_two_hops(void)
{
    /* With awareness 2 an agent at d1 also sees d2 and d3 through hub_t:
     * the routes from d1 are d1-hub_t (60 km softened), d1-hub_t-d2
     * (160 km, camp 2), d1-hub_t-d3 (260 km). */
    const char *ov[] = {"model.civilians.awareness_level=2",
                        "model.civilians.move_chance_default=1.0"};
    dr_scenario *sc = load(ov, 2);
    dr_world *w = make(sc);
    size_t d1 = loc(sc, "d1"), hub = loc(sc, "hub_t");
    CU_ASSERT_EQUAL_FATAL(
        dr_world_spawn(w, d1, loc(sc, "home_a"), DR_AGENT_IDP, DR_DOC_CITIZEN, 50000), 0);
    CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    /* Everybody at d1 leaves on d1-hub_t (its only link), whatever the plan. */
    CU_ASSERT_EQUAL(flow_from(w, route(sc, "hub_t-d1"), d1), 50000);
    /* The plans: count agents on d1-hub_t by their next hop at hub_t. */
    int64_t obs[3] = {0, 0, 0};
    for (size_t i = 0; i < w->agents.n; i++) {
        if (w->agents.location[i] != d1 || w->agents.link[i] == DR_AGENT_NONE) continue;
        uint32_t slot = w->agents.plan[i] & 0xffu;
        if (slot == 0xffu) {
            obs[0]++;
            continue;
        }
        /* hub_t's links in route order: d1 (0), d2 (1), d3 (2). */
        CU_ASSERT_TRUE(slot == 1 || slot == 2);
        obs[slot]++;
    }
    (void)hub;
    double wt[3] = {1.0 / 60.0, 2.0 / 160.0, 1.0 / 260.0}, sum = wt[0] + wt[1] + wt[2];
    for (int i = 0; i < 3; i++) wt[i] /= sum;
    double x2 = chi_square(obs, wt, 3);
    printf("\n    plans %lld %lld %lld, chi-square %.2f (df 2)\n", (long long)obs[0],
           (long long)obs[1], (long long)obs[2], x2);
    CU_ASSERT_TRUE(x2 < CHI2_999_DF2);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_move_chance_by_type(void)
{
    dr_scenario *sc = load(NULL, 0);
    dr_world *w = make(sc);
    CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    /* Camp: FLEE's camp_movechance 0.001. Conflict zone: 1. */
    CU_ASSERT_TRUE(
        binomial_ok(flow_from(w, route(sc, "cmp-cmp_n"), loc(sc, "cmp")), 200000, 0.001));
    CU_ASSERT_EQUAL(flow_from(w, route(sc, "cz-cz_n"), loc(sc, "cz")), 10000);
    /* Residents (settled_factor 0, no danger) stay home. */
    CU_ASSERT_EQUAL(count_at(w, loc(sc, "ep"), DR_AGENT_RESIDENT), 20000);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);

    /* Danger raises the move chance: p = min(1, base + w*d). */
    const char *ov[] = {"locations.[cmp].intensity=10",
                        "model.civilians.danger_weight=0.5"};
    sc = load(ov, 2);
    w = make(sc);
    CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    double d = w->danger[loc(sc, "cmp")];
    CU_ASSERT_TRUE(d > 0.3);
    CU_ASSERT_TRUE(binomial_ok(flow_from(w, route(sc, "cmp-cmp_n"), loc(sc, "cmp")),
                               200000, 0.001 + 0.5 * d));
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_crossings(void)
{
    dr_scenario *sc = load(NULL, 0);
    dr_world *w = make(sc);
    CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    size_t bx = loc(sc, "bx"), cx = loc(sc, "cx");
    /* Restricted: everybody at bx tries (conflict zone), a quarter passes. */
    int64_t passed = flow_from(w, route(sc, "xr"), bx);
    CU_ASSERT_TRUE(binomial_ok(passed, 20000, 0.25));
    CU_ASSERT_EQUAL(count_at(w, bx, DR_AGENT_IDP), 20000 - passed);
    /* Closed: nobody crosses, everybody takes the road instead. */
    CU_ASSERT_EQUAL(flow_from(w, route(sc, "xc"), cx), 0);
    CU_ASSERT_EQUAL(flow_from(w, route(sc, "cx-cy"), cx), 10000);
    int64_t crossed = 0;
    for (int d = 1; d < 10; d++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        crossed +=
            w->civ_flow[2 * route(sc, "xc")] + w->civ_flow[2 * route(sc, "xc") + 1];
    }
    CU_ASSERT_EQUAL(crossed, 0);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);

    /* The restricted crossing closed: nobody at bx moves at all. */
    const char *ov[] = {"routes.[xr].status=\"closed\""};
    sc = load(ov, 1);
    w = make(sc);
    for (int d = 0; d < 5; d++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        CU_ASSERT_EQUAL(w->civ_flow[2 * route(sc, "xr")], 0);
        CU_ASSERT_EQUAL(w->civ_flow[2 * route(sc, "xr") + 1], 0);
    }
    CU_ASSERT_EQUAL(count_at(w, loc(sc, "bx"), DR_AGENT_IDP), 20000);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_capacity_ramp(void)
{
    /* Closed form: 1 up to B c, 0 from c, linear between; 1 if unlimited. */
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_capacity_multiplier(100, 0, 0.9), 1.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_capacity_multiplier(900, 1000, 0.9), 1.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_capacity_multiplier(950, 1000, 0.9), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_capacity_multiplier(1000, 1000, 0.9), 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_capacity_multiplier(5000, 1000, 0.9), 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_capacity_multiplier(975, 1000, 0.5), 0.05, 1e-12);

    /* In a run: `full` (1000 of 1000) gets nobody; `half` (950 of 1000,
     * multiplier 0.5) half the weight of `open` (camp_weight 1 here):
     * shares 0, 1/3, 2/3. */
    const char *ov[] = {"model.civilians.camp_weight=1.0"};
    dr_scenario *sc = load(ov, 1);
    dr_world *w = make(sc);
    CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    size_t hub = loc(sc, "hub_c");
    CU_ASSERT_EQUAL(flow_from(w, route(sc, "hub_c-full"), hub), 0);
    int64_t obs[2] = {flow_from(w, route(sc, "hub_c-half"), hub),
                      flow_from(w, route(sc, "hub_c-open"), hub)};
    CU_ASSERT_EQUAL(obs[0] + obs[1], 30000);
    double share[2] = {1.0 / 3.0, 2.0 / 3.0};
    double x2 = chi_square(obs, share, 2);
    printf("\n    half %lld, open %lld, chi-square %.2f (df 1)\n", (long long)obs[0],
           (long long)obs[1], x2);
    CU_ASSERT_TRUE(x2 < CHI2_999_DF1);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_epstein(void)
{
    /* P(1 security agent, 1 active) = 1 - exp(-2.3) = 0.8997. */
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_arrest_probability(2.3, 1.0, 1.0), 0.8997, 5e-5);
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_arrest_probability(2.3, 1.0, 0.0), 0.8997, 5e-5);
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_arrest_probability(2.3, 0.0, 5.0), 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(dr_civ_arrest_probability(2.3, 4.0, 2.0), 1.0 - exp(-4.6),
                           1e-15);

    /* No security at ep: P = 0, active iff H (1 - L) > theta, H ~ U(0,1):
     * share 1 - theta/(1 - L) = 0.8 at L = 0.5, 0.875 at L = 0.2. */
    const double L[2] = {0.5, 0.2};
    const char *ov_l[2] = {"actors.[A].legitimacy=0.5", "actors.[A].legitimacy=0.2"};
    for (int k = 0; k < 2; k++) {
        dr_scenario *sc = load(&ov_l[k], 1);
        dr_world *w = make(sc);
        for (int d = 0; d < 3; d++) CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        size_t ep = loc(sc, "ep");
        double share = 1.0 - 0.1 / (1.0 - L[k]);
        CU_ASSERT_TRUE(binomial_ok(w->civ_active[ep], 20000, share));
        dr_world_destroy(w);
        dr_scenario_destroy(sc);
    }

    /* Legitimacy 1 => nobody active anywhere. */
    const char *ov[] = {"actors.[A].legitimacy=1", "actors.[B].legitimacy=1"};
    dr_scenario *sc = load(ov, 2);
    dr_world *w = make(sc);
    for (int d = 0; d < 5; d++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        for (size_t l = 0; l < w->n_locations; l++) CU_ASSERT_EQUAL(w->civ_active[l], 0);
    }
    dr_world_destroy(w);
    dr_scenario_destroy(sc);

    /* Mobilisation switched off => nobody active. */
    const char *off[] = {"model.civilians.mobilisation=false"};
    sc = load(off, 1);
    w = make(sc);
    CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    for (size_t l = 0; l < w->n_locations; l++) CU_ASSERT_EQUAL(w->civ_active[l], 0);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

/* Fighters of G at ep after `days` days with the given recruitment_weight. */
static double fighters_after(const char *weight, int days)
{
    dr_scenario *sc = load(&weight, 1);
    dr_world *w = make(sc);
    for (int d = 0; d < days; d++) CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    double f = w->force[dr_scenario_find_actor(sc, "G") * w->n_locations + loc(sc, "ep")];
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
    return f;
}

static void test_mobilised_recruitment(void)
{
    /* G has no pool: without the feed its fighters stay at 100. With
     * recruitment_weight 1 it recruits Poisson(0.0005 * A * 1) a day from
     * A ≈ 16,000 actives at ep (all of them: G is the only group). */
    CU_ASSERT_DOUBLE_EQUAL(fighters_after("model.civilians.recruitment_weight=0", 10),
                           100.0, 0.0);
    double f = fighters_after("model.civilians.recruitment_weight=1", 10);
    printf("\n    fighters 100 -> %.0f in 10 days\n", f);
    /* Days 1-9 use the previous day's actives (day 0 has none yet). */
    double mean = 9 * 0.0005 * 0.8 * 20000;
    CU_ASSERT_DOUBLE_EQUAL(f - 100.0, mean, Z_BINOMIAL * sqrt(mean) + 0.05 * mean);
}

static void test_deportation(void)
{
    /* Undocumented refugees in B deported at 0.01/day for 20 days; PoR
     * holders untouched. Nobody at the camp moves otherwise. */
    const char *ov[] = {"model.civilians.move_chance_camp=0"};
    dr_scenario *sc = load(ov, 1);
    dr_world *w = make(sc);
    size_t host = loc(sc, "host"), home = loc(sc, "home_a");
    int64_t deported = 0, after = 0, returned = 0;
    for (int d = 0; d < 30; d++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        if (d < 20)
            deported += w->civ_deported[host];
        else
            after += w->civ_deported[host];
        returned += w->civ_returns[home];
    }
    printf("\n    deported %lld in 20 days, %lld returned home\n", (long long)deported,
           (long long)returned);
    CU_ASSERT_TRUE(binomial_ok(deported, 10000, 1.0 - exp(-0.2)));
    CU_ASSERT_EQUAL(after, 0);
    /* Deportees travel 30 km at 10 km/day: all home by day 23. */
    CU_ASSERT_EQUAL(returned, deported);
    CU_ASSERT_EQUAL(count_at(w, home, DR_AGENT_RETURNEE), deported);
    int64_t por_left = 0, undoc_left = 0;
    for (size_t i = 0; i < w->agents.n; i++) {
        if (w->agents.location[i] != host || w->agents.link[i] != DR_AGENT_NONE) continue;
        if (w->agents.documentation[i] == DR_DOC_POR) por_left++;
        if (w->agents.documentation[i] == DR_DOC_UNDOCUMENTED) undoc_left++;
    }
    CU_ASSERT_EQUAL(por_left, 10000);
    CU_ASSERT_EQUAL(undoc_left, 10000 - deported);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_returns(void)
{
    /* origin_r is calm from day 0; calm_days reaches return_days = 5 on
     * day 4, so returns start then, at 1 - exp(-0.2) per day. */
    const char *ov[] = {
        "model.civilians.return_rate=0.2", "model.civilians.return_days=5",
        "model.civilians.move_chance_camp=0", "model.civilians.max_move_speed=360"};
    dr_scenario *sc = load(ov, 4);
    dr_world *w = make(sc);
    size_t origin = loc(sc, "origin_r");
    int64_t total = 0;
    for (int d = 0; d < 40; d++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        if (d < 4) CU_ASSERT_EQUAL(w->civ_returns[origin], 0);
        if (d == 4)
            CU_ASSERT_TRUE(binomial_ok(w->civ_returns[origin], 10000, 1.0 - exp(-0.2)));
        total += w->civ_returns[origin];
    }
    CU_ASSERT_EQUAL(count_at(w, origin, DR_AGENT_RETURNEE), total);
    CU_ASSERT_TRUE(total > 9900);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

/* alive + dead = initial + spawned, and the counts add up, every tick. */
static void test_conservation(void)
{
    const char *ov[] = {"model.civilians.death_rate=0.01",
                        "model.civilians.max_move_speed=40"};
    dr_scenario *sc = load(ov, 2);
    dr_world *w = make(sc);
    const size_t initial = w->agents.n;
    size_t spawned = 0;
    int64_t deaths = 0;
    for (int d = 0; d < 40; d++) {
        if (d == 10 || d == 20) {
            CU_ASSERT_EQUAL_FATAL(dr_world_spawn(w, loc(sc, "hub_t"), loc(sc, "home_a"),
                                                 DR_AGENT_IDP, DR_DOC_UNDOCUMENTED,
                                                 12345),
                                  0);
            spawned += 12345;
        }
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        int64_t alive = 0, dead = 0, on_route = 0;
        for (size_t l = 0; l < w->n_locations; l++) {
            for (int s = 0; s < DR_AGENT_DEAD; s++)
                alive += count_at(w, l, (dr_agent_status)s);
            dead += count_at(w, l, DR_AGENT_DEAD);
            deaths += w->civ_deaths[l];
        }
        for (size_t r = 0; r < w->n_routes; r++) on_route += w->civ_on_route[r];
        CU_ASSERT_EQUAL(alive + on_route + dead, (int64_t)(initial + spawned));
        CU_ASSERT_EQUAL(dead, w->civ_dead);
        CU_ASSERT_EQUAL(dead, deaths);
        CU_ASSERT_EQUAL(w->agents.n, initial + spawned);
        CU_ASSERT_EQUAL(w->agents.n_spawned, spawned);
    }
    CU_ASSERT_TRUE(w->civ_dead > 0);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_spawn_arguments(void)
{
    dr_scenario *sc = load(NULL, 0);
    dr_world *w = make(sc);
    size_t n = w->agents.n;
    CU_ASSERT_EQUAL(dr_world_spawn(w, w->n_locations, 0, DR_AGENT_IDP, 0, 1), -1);
    CU_ASSERT_EQUAL(dr_world_spawn(w, 0, w->n_locations, DR_AGENT_IDP, 0, 1), -1);
    CU_ASSERT_EQUAL(dr_world_spawn(w, 0, 0, DR_AGENT_DEAD, 0, 1), -1);
    CU_ASSERT_EQUAL(dr_world_spawn(w, 0, 0, -1, 0, 1), -1);
    CU_ASSERT_EQUAL(dr_world_spawn(w, 0, 0, DR_AGENT_IDP, DR_DOC_COUNT, 1), -1);
    CU_ASSERT_EQUAL(dr_world_spawn(w, 0, 0, DR_AGENT_IDP, 0, 0), 0);
    CU_ASSERT_EQUAL(w->agents.n, n);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

static void test_disabled(void)
{
    const char *ov[] = {"model.civilians.enabled=false"};
    dr_scenario *sc = load(ov, 1);
    dr_world *w = make(sc);
    for (int d = 0; d < 3; d++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        for (size_t r = 0; r < 2 * w->n_routes; r++) CU_ASSERT_EQUAL(w->civ_flow[r], 0);
    }
    CU_ASSERT_EQUAL(count_at(w, loc(sc, "hub_t"), DR_AGENT_IDP), 100000);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
}

/* A copy of a world's agent arrays and counts after a run. */
typedef struct snapshot {
    size_t n;
    uint32_t *u32[4];
    float *f32[3];
    uint16_t *since;
    uint8_t *u8[3];
    int64_t *counts;
    size_t n_counts;
} snapshot;

static snapshot take(const dr_world *w)
{
    snapshot s = {.n = w->agents.n};
    const dr_agents *a = &w->agents;
    const uint32_t *u[4] = {a->location, a->origin, a->link, a->plan};
    const float *f[3] = {a->km_left, a->hardship, a->risk_aversion};
    const uint8_t *b[3] = {a->status, a->documentation, a->flags};
    for (int k = 0; k < 4; k++) {
        s.u32[k] = malloc(s.n * 4);
        memcpy(s.u32[k], u[k], s.n * 4);
    }
    for (int k = 0; k < 3; k++) {
        s.f32[k] = malloc(s.n * 4);
        memcpy(s.f32[k], f[k], s.n * 4);
        s.u8[k] = malloc(s.n);
        memcpy(s.u8[k], b[k], s.n);
    }
    s.since = malloc(s.n * 2);
    memcpy(s.since, a->since, s.n * 2);
    size_t nl = w->n_locations, nr = w->n_routes;
    s.n_counts = nl * DR_AGENT_STATUS_COUNT + nr + nl + 2 * nr + 3 * nl + nr;
    s.counts = malloc(s.n_counts * sizeof *s.counts);
    int64_t *p = s.counts;
    memcpy(p, w->civ_count, nl * DR_AGENT_STATUS_COUNT * 8);
    p += nl * DR_AGENT_STATUS_COUNT;
    memcpy(p, w->civ_on_route, nr * 8);
    p += nr;
    memcpy(p, w->civ_active, nl * 8);
    p += nl;
    memcpy(p, w->civ_flow, 2 * nr * 8);
    p += 2 * nr;
    memcpy(p, w->civ_returns, nl * 8);
    p += nl;
    memcpy(p, w->civ_deported, nl * 8);
    p += nl;
    memcpy(p, w->civ_deaths, nl * 8);
    p += nl;
    memcpy(p, w->civ_route_deaths, nr * 8);
    return s;
}

static void drop(snapshot *s)
{
    for (int k = 0; k < 4; k++) free(s->u32[k]);
    for (int k = 0; k < 3; k++) {
        free(s->f32[k]);
        free(s->u8[k]);
    }
    free(s->since);
    free(s->counts);
}

static snapshot run_threads_quiet(int threads, int quiet)
{
    const char *ov[] = {
        "model.civilians.death_rate=0.002",   "model.civilians.max_move_speed=40",
        "model.civilians.return_rate=0.05",   "model.civilians.awareness_level=2",
        "model.civilians.foreign_weight=0.5", "locations.[ep].security=0.7"};
    dr_scenario *sc = load(ov, 6);
    omp_set_num_threads(threads);
    dr_world *w = make(sc);
    dr_civ_set_quiet_batches(w, quiet);
    CU_ASSERT_EQUAL(w->n_threads, threads);
    for (int d = 0; d < 40; d++) {
        if (d == 7)
            CU_ASSERT_EQUAL(dr_world_spawn(w, loc(sc, "bx"), loc(sc, "home_a"),
                                           DR_AGENT_IDP, DR_DOC_ACC, 777),
                            0);
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
    }
    snapshot s = take(w);
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
    return s;
}

static snapshot run_threads(int threads)
{
    return run_threads_quiet(threads, 1);
}

/* The flagship with the full intervention package (hardship relief from
 * outreach and the economic corridors), coarse, through the deportation
 * plan's first months: deaths, deportations, fear-driven and voluntary
 * returns, mobilisation; the quiet batches on or off. */
static snapshot run_flagship(int quiet)
{
    const char *ov[] = {"scenario.agent_scale=400", "scenario.days=330"};
    dr_strategy_set *set =
        dr_strategies_load(DR_SRC("scenarios/pak_afg.cfg"), ov, 2,
                           DR_SRC("scenarios/strategies/pak_afg.cfg"), stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(set);
    const dr_scenario *sc = NULL;
    for (size_t k = 0; k < set->n; k++)
        if (!strcmp(set->strategies[k].name, "full_package")) sc = set->strategies[k].sc;
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    dr_world *w = make(sc);
    dr_civ_set_quiet_batches(w, quiet);
    int64_t deported = 0, returns = 0;
    for (int d = 0; d < 330; d++) {
        CU_ASSERT_EQUAL_FATAL(dr_world_step(w), 0);
        for (size_t l = 0; l < w->n_locations; l++) {
            deported += w->civ_deported[l];
            returns += w->civ_returns[l];
        }
    }
    CU_ASSERT(deported > 0 && returns > 0 && w->any_relief);
    snapshot s = take(w);
    dr_world_destroy(w);
    dr_strategies_destroy(set);
    return s;
}

static int same(const snapshot *x, const snapshot *y)
{
    int ok = x->n == y->n;
    for (int k = 0; ok && k < 4; k++) ok = !memcmp(x->u32[k], y->u32[k], x->n * 4);
    for (int k = 0; ok && k < 3; k++)
        ok = !memcmp(x->f32[k], y->f32[k], x->n * 4) && !memcmp(x->u8[k], y->u8[k], x->n);
    return ok && !memcmp(x->since, y->since, x->n * 2) &&
           !memcmp(x->counts, y->counts, x->n_counts * 8);
}

static void test_quiet_batches(void)
{
    /* The quiet batches are a shortcut, not a model: every agent and count
     * ends the same as through the general rules. */
    snapshot on = run_flagship(1), off = run_flagship(0);
    CU_ASSERT(same(&on, &off));
    drop(&on);
    drop(&off);
    snapshot a = run_threads(1);
    snapshot b = run_threads_quiet(2, 0);
    CU_ASSERT(same(&a, &b));
    drop(&a);
    drop(&b);
}

static void test_threads_identical(void)
{
    int saved = omp_get_max_threads();
    snapshot one = run_threads(1), two = run_threads(2);
    omp_set_num_threads(saved);
    CU_ASSERT_EQUAL_FATAL(one.n, two.n);
    for (int k = 0; k < 4; k++)
        CU_ASSERT_EQUAL(memcmp(one.u32[k], two.u32[k], one.n * 4), 0);
    for (int k = 0; k < 3; k++) {
        CU_ASSERT_EQUAL(memcmp(one.f32[k], two.f32[k], one.n * 4), 0);
        CU_ASSERT_EQUAL(memcmp(one.u8[k], two.u8[k], one.n), 0);
    }
    CU_ASSERT_EQUAL(memcmp(one.since, two.since, one.n * 2), 0);
    CU_ASSERT_EQUAL(memcmp(one.counts, two.counts, one.n_counts * 8), 0);
    drop(&one);
    drop(&two);
}

static const dr_test_case dr_tests[] = {
    {"Philox lanes = Philox4x32-10", test_philox_lanes},
    {"phase order (MODEL.md)", test_phase_order},
    {"agents created from civilians", test_agents_created},
    {"destination shares follow route weights", test_destination_shares},
    {"awareness 2: two-hop routes", test_awareness_two_hops},
    {"move chance per location type", test_move_chance_by_type},
    {"crossings: restricted, closed", test_crossings},
    {"capacity ramp", test_capacity_ramp},
    {"Epstein closed forms", test_epstein},
    {"mobilised civilians feed recruitment", test_mobilised_recruitment},
    {"deportation by documentation", test_deportation},
    {"returns when origin is calm", test_returns},
    {"conservation every tick, spawning", test_conservation},
    {"spawn arguments", test_spawn_arguments},
    {"disabled: nothing moves", test_disabled},
    {"1 and 2 threads identical", test_threads_identical},
    {"quiet batches = the general rules", test_quiet_batches},
    {NULL, NULL},
};

DR_TEST_MAIN("civilians")
