/*
 * design.c — building designs of experiments (design.h): factorial grids,
 * Latin hypercubes, Saltelli's Sobol layout and Morris trajectories.
 *
 * Every design is first built in the unit hypercube [0, 1]^k and then mapped
 * to the parameters' natural ranges by dr_design_map(). Random draws come
 * from keyed streams (rng.h) with purpose DR_RNG_DESIGN and, in the
 * replication field, the design kind, so that the streams of different kinds
 * never coincide and a design is a pure function of its arguments:
 *
 *   lhs     stream (seed, DR_DESIGN_LHS, DR_RNG_DESIGN, entity = j, tick = 0)
 *           for parameter j: first a Fisher-Yates permutation of the n strata
 *           (for i = n-1 down to 1, swap i with gsl_rng_uniform_int(i + 1)),
 *           then, for points 0..n-1 in order, one gsl_rng_uniform position
 *           inside the point's stratum: u = (perm[i] + v) / n.
 *   morris  stream (seed, DR_DESIGN_MORRIS, DR_RNG_DESIGN, entity = j,
 *           tick = t) for parameter j of trajectory t: one
 *           gsl_rng_uniform_int(floor(p/2)) for the base level, then one
 *           gsl_rng_uniform_int(2) for the direction (0: up, 1: down); and
 *           stream (seed, DR_DESIGN_MORRIS, DR_RNG_DESIGN,
 *           entity = DR_DESIGN_ENTITY_ORDER, tick = t) for the order in which
 *           trajectory t moves the parameters (a Fisher-Yates permutation
 *           drawn as for lhs).
 *
 * Factorial and Sobol designs draw nothing; Sobol's seed is recorded but the
 * points are GSL's deterministic Sobol sequence.
 */
#include "design.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

const char *const dr_design_kind_names[DR_DESIGN_KIND_COUNT] = {
    "factorial",
    "lhs",
    "sobol",
    "morris",
};

/* The largest design accepted, in points and in matrix cells (points times
 * parameters, 8 bytes each): beyond these a design is a typo, not a plan. */
#define DR_DESIGN_MAX_POINTS 10000000u
#define DR_DESIGN_MAX_CELLS 100000000u

/* GSL's Sobol generator supports at most 40 dimensions; the Saltelli scheme
 * uses 2k of them. */
#define DR_DESIGN_SOBOL_MAX_DIM 40u

/* Entity of the Morris stream that orders a trajectory's moves. No parameter
 * index can reach it (the cell cap keeps k far below 2^32 - 1). */
#define DR_DESIGN_ENTITY_ORDER UINT32_MAX

/* Map a unit value u in [0, 1] to parameter p's range. The convex-combination
 * form gives exactly lo at u = 0 and exactly hi at u = 1 and cannot
 * overflow; integer parameters are rounded to the nearest integer (lo and hi
 * are integral, checked at creation, so the result stays in [lo, hi]). */
static double dr_design_map(const dr_param_range *p, double u)
{
    double v = p->lo * (1.0 - u) + p->hi * u;
    if (v < p->lo) v = p->lo;
    if (v > p->hi) v = p->hi;
    /* Adding 0.0 turns round()'s -0.0 into 0.0, which prints as "0". */
    return p->integer ? round(v) + 0.0 : v;
}

/* Shuffle perm[0..n-1] in place with the Fisher-Yates scheme documented at
 * the top of this file, drawing from `r`. */
static void dr_design_shuffle(gsl_rng *r, size_t *perm, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t s = (size_t)gsl_rng_uniform_int(r, (unsigned long)i);
        size_t t = perm[i - 1];
        perm[i - 1] = perm[s];
        perm[s] = t;
    }
}

/* Multiply *acc by f unless the product would exceed `cap`; returns 0 on
 * success and -1 (leaving *acc unchanged) on overflow of the cap. */
static int dr_design_mul_capped(size_t *acc, size_t f, size_t cap)
{
    if (f != 0 && *acc > cap / f) return -1;
    *acc *= f;
    return 0;
}

/* Check one parameter range; writes one line to err and returns -1 if bad.
 * `uses_levels` says whether the kind reads `levels`. */
static int dr_design_check_param(const dr_param_range *p, size_t j, int uses_levels,
                                 const char *kind, FILE *err)
{
    const char *nul = memchr(p->path, '\0', sizeof p->path);
    size_t len = nul ? (size_t)(nul - p->path) : sizeof p->path;
    if (len == 0 || len == sizeof p->path) {
        if (err)
            fprintf(err,
                    "design: parameter %zu: path is %s: expected a setting path "
                    "of 1 to %zu characters\n",
                    j, len == 0 ? "empty" : "not terminated", sizeof p->path - 1);
        return -1;
    }
    if (!isfinite(p->lo) || !isfinite(p->hi)) {
        if (err)
            fprintf(err,
                    "design: parameter %zu (%s): range %g:%g: expected finite "
                    "bounds\n",
                    j, p->path, p->lo, p->hi);
        return -1;
    }
    if (p->lo > p->hi) {
        if (err)
            fprintf(err,
                    "design: parameter %zu (%s): lo = %g > hi = %g: expected "
                    "lo <= hi\n",
                    j, p->path, p->lo, p->hi);
        return -1;
    }
    if (p->integer && (p->lo != round(p->lo) || p->hi != round(p->hi))) {
        if (err)
            fprintf(err,
                    "design: parameter %zu (%s): integer parameter with range "
                    "%g:%g: expected integral bounds\n",
                    j, p->path, p->lo, p->hi);
        return -1;
    }
    if (uses_levels && p->levels < 2) {
        if (err)
            fprintf(err,
                    "design: parameter %zu (%s): levels = %d: expected at least "
                    "2 for a %s design\n",
                    j, p->path, p->levels, kind);
        return -1;
    }
    return 0;
}

/* Fill the factorial grid: point i is the mixed-radix number whose digits
 * (last parameter fastest) are the level indices, level l of a parameter with
 * L levels sitting at unit value l / (L - 1). */
static void dr_design_fill_factorial(dr_design *d)
{
    size_t k = d->n_params;
    for (size_t i = 0; i < d->n_points; i++) {
        size_t rest = i;
        for (size_t jj = k; jj-- > 0;) {
            size_t levels = (size_t)d->params[jj].levels;
            size_t l = rest % levels;
            rest /= levels;
            double u = (double)l / (double)(levels - 1);
            d->x[i * k + jj] = dr_design_map(&d->params[jj], u);
        }
    }
}

/* Fill a Latin hypercube of d->n_points points (scheme at the top of this
 * file). Returns 0, or -1 if scratch memory cannot be had. */
static int dr_design_fill_lhs(dr_design *d)
{
    size_t n = d->n_points, k = d->n_params;
    size_t *perm = malloc(n * sizeof *perm);
    gsl_rng *r = gsl_rng_alloc(dr_rng_philox4x32);
    if (!perm || !r) {
        free(perm);
        gsl_rng_free(r);
        return -1;
    }
    for (size_t j = 0; j < k; j++) {
        dr_rng_stream(r, d->seed, (uint32_t)DR_DESIGN_LHS, DR_RNG_DESIGN, (uint32_t)j, 0);
        for (size_t i = 0; i < n; i++) perm[i] = i;
        dr_design_shuffle(r, perm, n);
        for (size_t i = 0; i < n; i++) {
            double u = ((double)perm[i] + gsl_rng_uniform(r)) / (double)n;
            d->x[i * k + j] = dr_design_map(&d->params[j], u);
        }
    }
    free(perm);
    gsl_rng_free(r);
    return 0;
}

/*
 * Fill the Saltelli layout from GSL's Sobol sequence in 2k dimensions. The
 * Sobol sequence proper starts at the origin; gsl_qrng_sobol already leaves
 * the origin out, and its first point is (1/2, ..., 1/2). At both of these
 * points the first k and the last k coordinates coincide, so A = B = AB_i on
 * that row and it carries no information about any index (it would only
 * dilute the estimates by a factor (N-1)/N). The first point GSL returns is
 * therefore skipped as well: row r of every block comes from point r + 2 of
 * the sequence counted from the origin at 0. Block A takes the first k
 * coordinates of a point, block B the last k, and block AB_i is A with
 * column i taken from B. Returns 0, or -1 if GSL fails.
 */
static int dr_design_fill_sobol(dr_design *d)
{
    size_t n = d->base_n, k = d->n_params;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)(2 * k));
    double *pt = malloc(2 * k * sizeof *pt);
    if (!q || !pt) {
        gsl_qrng_free(q);
        free(pt);
        return -1;
    }
    int status = gsl_qrng_get(q, pt); /* (1/2, ..., 1/2), skipped */
    for (size_t row = 0; row < n && status == GSL_SUCCESS; row++) {
        status = gsl_qrng_get(q, pt);
        if (status != GSL_SUCCESS) break;
        double *a = d->x + row * k;
        double *b = d->x + (n + row) * k;
        for (size_t j = 0; j < k; j++) {
            a[j] = dr_design_map(&d->params[j], pt[j]);
            b[j] = dr_design_map(&d->params[j], pt[k + j]);
        }
        for (size_t i = 0; i < k; i++) {
            double *ab = d->x + ((2 + i) * n + row) * k;
            memcpy(ab, a, k * sizeof *ab);
            ab[i] = b[i];
        }
    }
    gsl_qrng_free(q);
    free(pt);
    return status == GSL_SUCCESS ? 0 : -1;
}

/*
 * Fill r Morris trajectories (Morris 1991). Parameter j has a grid of p_j
 * levels {0, 1/(p_j-1), ..., 1} and the step delta_j = p_j / (2 (p_j - 1)).
 * For each trajectory t:
 *   - each parameter draws a base level l_j uniformly among the grid levels
 *     with l_j/(p_j-1) + delta_j <= 1, i.e. l_j in {0, ..., floor(p_j/2) - 1},
 *     and a direction: up (start at l_j/(p_j-1), later move to + delta_j) or
 *     down (start at l_j/(p_j-1) + delta_j, later move to - delta_j), each
 *     with probability 1/2. This is Morris's B* = (J x* + (delta/2)
 *     [(2B - J) D* + J]) P* written per coordinate.
 *   - a uniform random order of the k parameters is drawn; point m (m = 1..k)
 *     of the trajectory equals point m-1 with the m-th parameter of that order
 *     moved by its step in its direction.
 * Each trajectory is k+1 consecutive rows. With an even p_j every point lies
 * on the grid and each grid level is equally likely, as Morris recommends;
 * with an odd p_j the moved value lies between grid levels (still in [0, 1]).
 * Returns 0, or -1 if scratch memory cannot be had.
 */
static int dr_design_fill_morris(dr_design *d)
{
    size_t k = d->n_params, r_traj = d->base_n;
    size_t *order = malloc(k * sizeof *order);
    double *u = malloc(k * sizeof *u);
    double *step = malloc(k * sizeof *step);
    gsl_rng *r = gsl_rng_alloc(dr_rng_philox4x32);
    if (!order || !u || !step || !r) {
        free(order);
        free(u);
        free(step);
        gsl_rng_free(r);
        return -1;
    }
    for (size_t t = 0; t < r_traj; t++) {
        for (size_t j = 0; j < k; j++) {
            double p = (double)d->params[j].levels;
            double delta = p / (2.0 * (p - 1.0));
            unsigned long n_base = (unsigned long)d->params[j].levels / 2ul;
            dr_rng_stream(r, d->seed, (uint32_t)DR_DESIGN_MORRIS, DR_RNG_DESIGN,
                          (uint32_t)j, (uint32_t)t);
            double base = (double)gsl_rng_uniform_int(r, n_base) / (p - 1.0);
            int down = gsl_rng_uniform_int(r, 2ul) == 1ul;
            u[j] = down ? base + delta : base;
            step[j] = down ? -delta : delta;
        }
        dr_rng_stream(r, d->seed, (uint32_t)DR_DESIGN_MORRIS, DR_RNG_DESIGN,
                      DR_DESIGN_ENTITY_ORDER, (uint32_t)t);
        for (size_t j = 0; j < k; j++) order[j] = j;
        dr_design_shuffle(r, order, k);

        double *row = d->x + t * (k + 1) * k;
        for (size_t j = 0; j < k; j++) row[j] = dr_design_map(&d->params[j], u[j]);
        for (size_t m = 1; m <= k; m++) {
            size_t j = order[m - 1];
            u[j] += step[j];
            /* Rounding can leave base + delta - delta a hair off the grid. */
            if (u[j] < 0.0) u[j] = 0.0;
            if (u[j] > 1.0) u[j] = 1.0;
            double *prev = d->x + (t * (k + 1) + m - 1) * k;
            double *cur = prev + k;
            memcpy(cur, prev, k * sizeof *cur);
            cur[j] = dr_design_map(&d->params[j], u[j]);
        }
    }
    free(order);
    free(u);
    free(step);
    gsl_rng_free(r);
    return 0;
}

/* Validation order: kind, parameter list, each parameter, n, size caps. The
 * trajectory index is a stream's tick (32 bits) and the kind its replication
 * field, both far inside their widths under the caps. */
dr_design *dr_design_create(dr_design_kind kind, const dr_param_range *params,
                            size_t n_params, size_t n, uint64_t seed, FILE *err)
{
    if ((int)kind < 0 || kind >= DR_DESIGN_KIND_COUNT) {
        if (err)
            fprintf(err,
                    "design: kind = %d: expected one of factorial, lhs, sobol, "
                    "morris\n",
                    (int)kind);
        return NULL;
    }
    const char *kname = dr_design_kind_names[kind];
    if (!params || n_params == 0) {
        if (err) fprintf(err, "design: no parameters: expected at least one range\n");
        return NULL;
    }
    int uses_levels = kind == DR_DESIGN_FACTORIAL || kind == DR_DESIGN_MORRIS;
    for (size_t j = 0; j < n_params; j++)
        if (dr_design_check_param(&params[j], j, uses_levels, kname, err)) return NULL;
    if (kind != DR_DESIGN_FACTORIAL && n == 0) {
        if (err)
            fprintf(err, "design: %s design with n = 0: expected at least 1 %s\n", kname,
                    kind == DR_DESIGN_MORRIS ? "trajectory" : "point");
        return NULL;
    }
    if (kind == DR_DESIGN_SOBOL && 2 * n_params > DR_DESIGN_SOBOL_MAX_DIM) {
        if (err)
            fprintf(err,
                    "design: sobol design with %zu parameters: expected at most "
                    "%u (GSL's Sobol sequence has %u dimensions, the Saltelli "
                    "scheme needs 2 per parameter)\n",
                    n_params, DR_DESIGN_SOBOL_MAX_DIM / 2, DR_DESIGN_SOBOL_MAX_DIM);
        return NULL;
    }

    /* Points: product of levels, n, N (k + 2) or r (k + 1), capped. */
    size_t n_points = 1;
    int over = 0;
    switch (kind) {
    case DR_DESIGN_FACTORIAL:
        for (size_t j = 0; j < n_params && !over; j++)
            over = dr_design_mul_capped(&n_points, (size_t)params[j].levels,
                                        DR_DESIGN_MAX_POINTS);
        break;
    case DR_DESIGN_LHS:
        n_points = n;
        over = n > DR_DESIGN_MAX_POINTS;
        break;
    case DR_DESIGN_SOBOL:
        n_points = n;
        over = dr_design_mul_capped(&n_points, n_params + 2, DR_DESIGN_MAX_POINTS);
        break;
    case DR_DESIGN_MORRIS:
        n_points = n;
        over = dr_design_mul_capped(&n_points, n_params + 1, DR_DESIGN_MAX_POINTS);
        break;
    default:
        assert(0);
        return NULL;
    }
    size_t cells = n_points;
    if (!over) over = dr_design_mul_capped(&cells, n_params, DR_DESIGN_MAX_CELLS);
    if (over) {
        if (err)
            fprintf(err,
                    "design: %s design with %zu parameters and n = %zu is too "
                    "large: expected at most %u points and %u values\n",
                    kname, n_params, n, DR_DESIGN_MAX_POINTS, DR_DESIGN_MAX_CELLS);
        return NULL;
    }

    dr_design *d = calloc(1, sizeof *d);
    if (!d) goto nomem;
    d->kind = kind;
    d->n_params = n_params;
    d->n_points = n_points;
    d->seed = seed;
    d->base_n = (kind == DR_DESIGN_SOBOL || kind == DR_DESIGN_MORRIS) ? n : 0;
    d->params = malloc(n_params * sizeof *d->params);
    d->x = malloc(cells * sizeof *d->x);
    if (!d->params || !d->x) goto nomem;
    memcpy(d->params, params, n_params * sizeof *d->params);

    int status = 0;
    switch (kind) {
    case DR_DESIGN_FACTORIAL:
        dr_design_fill_factorial(d);
        break;
    case DR_DESIGN_LHS:
        status = dr_design_fill_lhs(d);
        break;
    case DR_DESIGN_SOBOL:
        status = dr_design_fill_sobol(d);
        break;
    case DR_DESIGN_MORRIS:
        status = dr_design_fill_morris(d);
        break;
    default:
        assert(0);
        status = -1;
        break;
    }
    if (status) goto nomem;
    return d;

nomem:
    if (err)
        fprintf(err, "design: %s design of %zu points: out of memory or GSL failure\n",
                kname, n_points);
    dr_design_destroy(d);
    return NULL;
}

void dr_design_destroy(dr_design *d)
{
    if (!d) return;
    free(d->params);
    free(d->x);
    free(d);
}

/* Integer parameters print without a fractional part. Real ones print with
 * the fewest significant digits (15 to 17) that read back as the same double,
 * and always as a floating-point literal (".0" appended where needed), so the
 * scenario loader sees a float. An index out of range (a caller bug,
 * asserted) writes an empty string. */
void dr_design_override(const dr_design *d, size_t i, size_t j, char *buf, size_t n)
{
    assert(buf != NULL || n == 0);
    if (n == 0) return;
    assert(d != NULL && i < d->n_points && j < d->n_params);
    if (!d || i >= d->n_points || j >= d->n_params) {
        buf[0] = '\0';
        return;
    }
    double v = d->x[i * d->n_params + j];
    if (d->params[j].integer) {
        snprintf(buf, n, "%s=%.0f", d->params[j].path, v);
        return;
    }
    char num[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(num, sizeof num, "%.*g", prec, v);
        if (strtod(num, NULL) == v) break;
    }
    if (!strpbrk(num, ".eEni")) strcat(num, ".0");
    snprintf(buf, n, "%s=%s", d->params[j].path, num);
}
