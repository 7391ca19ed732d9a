/*
 * bench_civilians.c — the civilian phase's hot loop (MODEL.md §2 phase 7)
 * on a synthetic world, on 1 and 2 threads.
 *
 *   bench_civilians [AGENTS] [DAYS] [WORKDIR]
 *
 * AGENTS (default 20,000,000) agents at agent_scale 1 live on a synthetic
 * two-country network of 200 locations (roads along each country, three
 * crossings — open, restricted, closed — and an informal route; 10 % of the
 * locations conflict zones with lasting danger, camps with capacities in
 * the second country): 80 % residents, 20 % refugees settled in the second
 * country (half of them undocumented, under a deportation policy from day
 * 30 at 0.005/day), mobilisation on, background deaths. The scenario text
 * is written to WORKDIR/bench_civilians.cfg and loaded like any scenario.
 *
 * For 1 and 2 threads it creates the world and runs DAYS days (default
 * 365) of the whole tick (the other phases have nothing to do: no forces),
 * and prints seconds per day, agent-steps per second and the speed-up; then
 * bytes of agent state per agent, peak RSS and its growth per agent, and
 * the phase's effective bandwidth — agent state bytes (DR_AGENT_BYTES per
 * agent) per second of a day — as a share of a triad a[i] = b[i] + s*c[i]
 * (24 bytes per element, STREAM's convention) measured in the same process
 * on as many threads. With BENCH_COMPARE set, a second 1-thread run checks
 * that 1 and 2 threads end in identical agent arrays. CPU seconds per day
 * (all threads) are printed beside wall time because a shared machine's
 * wall times mean little. Not a test: timings depend on the machine and its
 * load.
 */
#define _POSIX_C_SOURCE 200809L

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "scenario.h"
#include "world.h"

#define N_LOC 200 /* locations, the first half in country A */

/* CPU seconds used by the process so far (all threads). */
static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Peak resident set size of the process, bytes. */
static double peak_rss(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_maxrss * 1024.0;
}

/* Current resident set size, bytes (from /proc; 0 where unavailable). */
static double current_rss(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (!f) return 0.0;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
    fclose(f);
    return (double)rss * 4096.0;
}

/* Write the synthetic scenario for `agents` agents to `path`. */
static int write_scenario(const char *path, long long agents, int days)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f,
            "scenario = { name = \"bench_civilians\"; start_date = \"2023-01-01\";\n"
            "  days = %d; seed = 12345L; agent_scale = 1; };\n",
            days);
    fprintf(f, "model = { intensity = { decay_days = 36500.0; };\n"
               "  civilians = { death_rate = 0.00005; settled_danger_weight = 0.01;\n"
               "    return_rate = 0.01; fear_return = 0.5; }; };\n");
    fprintf(f, "actors = ( { id = \"A\"; kind = \"state\"; legitimacy = 0.6; },\n"
               "  { id = \"B\"; kind = \"state\"; legitimacy = 0.7; } );\n");
    fprintf(f, "locations = (\n");
    for (int l = 0; l < N_LOC; l++) {
        int b = l >= N_LOC / 2;
        const char *type = l % 10 == 3        ? "conflict_zone"
                           : b && l % 10 == 7 ? "camp"
                           : l % 3 == 0       ? "city"
                                              : "town";
        fprintf(f,
                "  { id = \"L%d\"; country = \"%s\"; type = \"%s\"; lat = %.3f; "
                "lon = %.3f; security = %.2f;%s%s }%s\n",
                l, b ? "B" : "A", type, 30.0 + 0.05 * (l % 50), 65.0 + 0.1 * (l / 50),
                0.2 + 0.1 * (l % 7), l % 10 == 3 ? " intensity = 8.0;" : "",
                b && l % 10 == 7 ? " capacity = 200000;" : "", l + 1 < N_LOC ? "," : "");
    }
    fprintf(f, ");\nroutes = (\n");
    for (int l = 0; l + 1 < N_LOC; l++) {
        if (l + 1 == N_LOC / 2) continue; /* no road across the border */
        fprintf(f, "  { from = \"L%d\"; to = \"L%d\"; distance_km = %d.0; },\n", l, l + 1,
                40 + 17 * (l % 9));
        if (l % 5 == 0 && l + 5 < N_LOC && (l < N_LOC / 2) == (l + 5 < N_LOC / 2))
            fprintf(f, "  { from = \"L%d\"; to = \"L%d\"; distance_km = %d.0; },\n", l,
                    l + 5, 150 + 11 * (l % 7));
    }
    fprintf(f,
            "  { from = \"L99\"; to = \"L100\"; distance_km = 5.0; kind = \"crossing\"; "
            "status = \"open\"; },\n"
            "  { from = \"L90\"; to = \"L110\"; distance_km = 5.0; kind = \"crossing\"; "
            "status = \"restricted\"; pass_fraction = 0.3; },\n"
            "  { from = \"L80\"; to = \"L120\"; distance_km = 5.0; kind = \"crossing\"; "
            "status = \"closed\"; },\n"
            "  { from = \"L70\"; to = \"L130\"; distance_km = 60.0; kind = \"informal\"; "
            "}\n);\n");
    /* 80 % residents spread over all locations, 20 % refugees from A in B. */
    long long residents = agents * 8 / 10, refugees = agents - residents;
    fprintf(f, "civilians = (\n");
    for (int l = 0; l < N_LOC; l++) {
        long long k = residents / N_LOC + (l < residents % N_LOC ? 1 : 0);
        fprintf(f, "  { location = \"L%d\"; citizen = %lld; },\n", l, k);
    }
    for (int l = N_LOC / 2; l < N_LOC; l++) {
        long long k =
            refugees / (N_LOC / 2) + (l - N_LOC / 2 < refugees % (N_LOC / 2) ? 1 : 0);
        fprintf(f,
                "  { location = \"L%d\"; origin = \"L%d\"; undocumented = %lld; "
                "por = %lld; }%s\n",
                l, l - N_LOC / 2, k / 2, k - k / 2, l + 1 < N_LOC ? "," : "");
    }
    fprintf(f, ");\nevents = ( { day = 30; type = \"deportation\"; country = \"B\";\n"
               "  documentation = \"undocumented\"; rate = 0.005; } );\n");
    return fclose(f);
}

/* One timed run on `threads` threads; returns wall seconds per day, CPU
 * seconds per day in *cpu_day, and leaves the world in *out (caller
 * destroys). */
static double run(const dr_scenario *sc, int threads, int days, dr_world **out,
                  double *create_s, double *cpu_day)
{
    omp_set_num_threads(threads);
    double t0 = omp_get_wtime();
    dr_world *w = dr_world_create(sc, (uint64_t)sc->meta.seed, 0);
    if (!w) {
        fprintf(stderr, "bench_civilians: out of memory creating the world\n");
        exit(1);
    }
    double t1 = omp_get_wtime(), u1 = cpu_seconds();
    for (int d = 0; d < days; d++)
        if (dr_world_step(w) != 0) exit(1);
    double t2 = omp_get_wtime(), u2 = cpu_seconds();
    *create_s = t1 - t0;
    *cpu_day = (u2 - u1) / days;
    *out = w;
    return (t2 - t1) / days;
}

/* Best-of-5 triad bandwidth on `threads` threads over n doubles, bytes/s. */
static double triad(size_t n, int threads)
{
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b),
           *c = malloc(n * sizeof *c);
    if (!a || !b || !c) exit(1);
    const long nn = (long)n;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < nn; i++) {
        a[i] = 0.0;
        b[i] = 1.0;
        c[i] = 2.0;
    }
    double best = 1e30;
    const double s = 3.0;
    for (int rep = 0; rep < 5; rep++) {
        double t = omp_get_wtime();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (long i = 0; i < nn; i++) a[i] = b[i] + s * c[i];
        t = omp_get_wtime() - t;
        if (t < best) best = t;
    }
    volatile double sink = a[n / 2];
    (void)sink;
    free(a);
    free(b);
    free(c);
    return 24.0 * (double)n / best;
}

/* 1 when the agent arrays of two worlds are identical. */
static int same_agents(const dr_world *x, const dr_world *y)
{
    const dr_agents *a = &x->agents, *b = &y->agents;
    size_t n = a->n;
    return n == b->n && !memcmp(a->location, b->location, 4 * n) &&
           !memcmp(a->origin, b->origin, 4 * n) && !memcmp(a->link, b->link, 4 * n) &&
           !memcmp(a->plan, b->plan, 4 * n) && !memcmp(a->km_left, b->km_left, 4 * n) &&
           !memcmp(a->hardship, b->hardship, 4 * n) &&
           !memcmp(a->risk_aversion, b->risk_aversion, 4 * n) &&
           !memcmp(a->since, b->since, 2 * n) && !memcmp(a->status, b->status, n) &&
           !memcmp(a->documentation, b->documentation, n) &&
           !memcmp(a->flags, b->flags, n) &&
           !memcmp(x->civ_count, y->civ_count,
                   x->n_locations * DR_AGENT_STATUS_COUNT * sizeof *x->civ_count);
}

int main(int argc, char **argv)
{
    long long agents = argc > 1 ? atoll(argv[1]) : 20000000LL;
    int days = argc > 2 ? atoi(argv[2]) : 365;
    const char *dir = argc > 3 ? argv[3] : ".";
    if (agents < N_LOC || days < 1) {
        fprintf(stderr, "usage: bench_civilians [AGENTS >= %d] [DAYS >= 1] [WORKDIR]\n",
                N_LOC);
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_civilians.cfg", dir);
    if (write_scenario(path, agents, days) != 0) {
        fprintf(stderr, "bench_civilians: cannot write %s\n", path);
        return 2;
    }
    dr_scenario *sc = dr_scenario_load(path, NULL, 0, stderr);
    if (!sc) return 2;
    const double n = (double)dr_scenario_agent_count(sc);
    const double rss0 = current_rss();

    dr_world *w1 = NULL, *w2 = NULL;
    double c1, c2, u1, u2;
    double s1 = run(sc, 1, days, &w1, &c1, &u1);
    const double rss_world = current_rss();
    dr_world_destroy(w1);
    w1 = NULL;
    double s2 = run(sc, 2, days, &w2, &c2, &u2);
    const double peak = peak_rss();
    /* Identity across thread counts: rerun 1 thread only if asked to
     * compare (the first world was freed to keep the peak to one world). */
    int identical = -1;
    if (getenv("BENCH_COMPARE")) {
        double cc, uc;
        run(sc, 1, days, &w1, &cc, &uc);
        identical = same_agents(w1, w2);
        dr_world_destroy(w1);
    }
    int64_t alive = 0, active = 0, refugees = 0, returnees = 0;
    for (size_t l = 0; l < w2->n_locations; l++) {
        for (int s = 0; s < DR_AGENT_DEAD; s++)
            alive += w2->civ_count[l * DR_AGENT_STATUS_COUNT + (size_t)s];
        active += w2->civ_active[l];
        refugees += w2->civ_count[l * DR_AGENT_STATUS_COUNT + DR_AGENT_REFUGEE];
        returnees += w2->civ_count[l * DR_AGENT_STATUS_COUNT + DR_AGENT_RETURNEE];
    }
    dr_world_destroy(w2);

    const size_t tn = (size_t)(n > 4e6 ? n : 4e6); /* triad elements */
    double bw1 = triad(tn, 1), bw2 = triad(tn, 2);
    const double state = n * (double)DR_AGENT_BYTES; /* bytes streamed per day */

    printf("bench_civilians: %.0f agents, %d days, %d locations (synthetic)\n", n, days,
           N_LOC);
    printf("  end state: %lld alive, %lld dead, %lld refugees, %lld returnees, %lld "
           "active\n",
           (long long)alive, (long long)(n - (double)alive), (long long)refugees,
           (long long)returnees, (long long)active);
    printf("  threads  create_s  s/day     total_s   agent-steps/s  cpu_s/day  "
           "ns/agent-step(cpu)\n");
    printf("  1        %8.3f  %8.5f  %8.2f  %.3e      %8.5f  %.1f\n", c1, s1, s1 * days,
           n / s1, u1, 1e9 * u1 / n);
    printf("  2        %8.3f  %8.5f  %8.2f  %.3e      %8.5f  %.1f\n", c2, s2, s2 * days,
           n / s2, u2, 1e9 * u2 / n);
    printf("  speed-up 2/1 threads (wall): %.2f; load average at the end: ", s1 / s2);
    FILE *la = fopen("/proc/loadavg", "r");
    char buf[64] = "?";
    if (la) {
        if (!fgets(buf, sizeof buf, la)) buf[0] = 0;
        fclose(la);
    }
    printf("%s", buf);
    printf("  agent state: %zu bytes/agent (%.1f MB)\n", (size_t)DR_AGENT_BYTES,
           state / 1e6);
    printf("  RSS growth with the world: %.1f bytes/agent; peak RSS %.1f MB "
           "(%.1f bytes/agent incl. fixed overhead)\n",
           (rss_world - rss0) / n, peak / 1e6, peak / n);
    printf("  triad: %.2f GB/s (1 thread), %.2f GB/s (2 threads), %zu elements\n",
           bw1 / 1e9, bw2 / 1e9, tn);
    printf("  phase bandwidth (state bytes / s per day): %.2f GB/s = %.0f%% of triad "
           "(1 thread), %.2f GB/s = %.0f%% (2 threads)\n",
           state / s1 / 1e9, 100.0 * state / s1 / bw1, state / s2 / 1e9,
           100.0 * state / s2 / bw2);
    if (identical >= 0)
        printf("  1 and 2 threads identical: %s\n", identical ? "yes" : "NO");
    dr_scenario_destroy(sc);
    return identical == 0 ? 1 : 0;
}
