/*
 * fuzz_scenario.c — a libFuzzer harness for the scenario loader.
 *
 * One input is a scenario file, optionally followed by overrides:
 *
 *     <scenario text>
 *     %%
 *     PATH=VALUE
 *     PATH=VALUE
 *
 * Everything after the last line "%%" (a line libconfig can never accept,
 * so the split is unambiguous) is cut into at most DR_FUZZ_MAX_OVERRIDES
 * lines, each passed to dr_scenario_load as one "-s PATH=VALUE" override.
 * The text before it is written to a temporary file (the loader reads
 * files, and the file name appears in its messages) and loaded.
 *
 * The contract checked on every input:
 *  - the loader returns, without a crash, a leak or undefined behaviour
 *    (the harness is built with ASan, UBSan and LSan by scripts/fuzz.sh);
 *  - it returns either a scenario, having written nothing to the error
 *    stream, or NULL, having written at least one complete error line;
 *  - a scenario it returns is internally consistent: every index it holds
 *    points inside the table it indexes (check_scenario()).
 * A broken contract aborts, which libFuzzer reports as a crash.
 *
 * The same file, compiled with the normal compiler together with replay.c,
 * is the regression test that replays tests/fuzz/corpus/ and
 * tests/fuzz/regressions/ in CTest.
 */
#define _POSIX_C_SOURCE 200809L

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"

/* Overrides taken from the tail of one input. */
#define DR_FUZZ_MAX_OVERRIDES 4

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The temporary scenario file, created once per process. */
static char dr_fuzz_path[4096];
static int dr_fuzz_fd = -1;

/* Remove the temporary file when the process ends normally. */
static void dr_fuzz_cleanup(void)
{
    if (dr_fuzz_fd >= 0) {
        close(dr_fuzz_fd);
        unlink(dr_fuzz_path);
        dr_fuzz_fd = -1;
    }
}

/* Report a broken contract and abort (libFuzzer then keeps the input). */
static void dr_fuzz_fail(const char *what, const char *errors)
{
    fprintf(stderr, "fuzz_scenario: contract broken: %s\n", what);
    if (errors) fprintf(stderr, "loader said:\n%s\n", errors);
    abort();
}

/* Create the temporary file in $TMPDIR (scripts/fuzz.sh points it at a
 * tmpfs when there is one). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(dr_fuzz_path, sizeof dr_fuzz_path, "%s/fuzz_scenario.XXXXXX", dir);
    dr_fuzz_fd = mkstemp(dr_fuzz_path);
    if (dr_fuzz_fd < 0) {
        perror("fuzz_scenario: mkstemp");
        exit(1);
    }
    atexit(dr_fuzz_cleanup);
    return 0;
}

/* Whether index i is DR_NONE or below n (optional references). */
static int ok_opt(size_t i, size_t n)
{
    return i == DR_NONE || i < n;
}

/* Every index a loaded scenario holds points inside its table; returns
 * the name of the first that does not, or NULL. */
static const char *check_scenario(const dr_scenario *sc)
{
    size_t na = sc->n_actors, nl = sc->n_locations, nr = sc->n_routes;
    if (na == 0 || nl == 0) return "no actors or no locations";
    if (!sc->meta.name || !sc->text || !sc->path) return "missing strings";
    for (size_t i = 0; i < na; i++) {
        const dr_actor *a = &sc->actors[i];
        if (!a->name || strlen(a->id) == 0) return "actor without id or name";
        if ((int)a->kind < 0 || a->kind >= DR_ACTOR_KIND_COUNT) return "actor kind";
        if (a->kind == DR_ACTOR_MILITANT && (a->host >= na || !ok_opt(a->sanctuary, na)))
            return "militant host or sanctuary";
        for (size_t k = 0; k < a->n_members; k++)
            if (a->members[k] >= na) return "organization member";
        for (size_t k = 0; k < a->n_project_locations; k++)
            if (a->project_locations[k] >= nl) return "power project";
    }
    for (size_t i = 0; i < nl; i++) {
        const dr_location *l = &sc->locations[i];
        if (!l->name || l->country >= na) return "location country";
        if (sc->actors[l->country].kind != DR_ACTOR_STATE) return "country kind";
        if ((int)l->type < 0 || l->type >= DR_LOC_TYPE_COUNT) return "location type";
        for (size_t k = 0; k < l->n_projects; k++)
            if (!l->projects[k]) return "location project";
    }
    for (size_t i = 0; i < nr; i++) {
        const dr_route *r = &sc->routes[i];
        if (r->from >= nl || r->to >= nl || r->from == r->to) return "route ends";
        if ((int)r->kind < 0 || r->kind >= DR_ROUTE_KIND_COUNT) return "route kind";
        if ((int)r->status < 0 || r->status >= DR_CROSSING_STATUS_COUNT)
            return "route status";
    }
    for (size_t i = 0; i < sc->n_forces; i++)
        if (sc->forces[i].actor >= na || sc->forces[i].location >= nl)
            return "force reference";
    for (size_t i = 0; i < sc->n_civilians; i++)
        if (sc->civilians[i].location >= nl || sc->civilians[i].origin >= nl)
            return "civilians reference";
    for (size_t i = 0; i < sc->n_dyads; i++) {
        const dr_dyad *d = &sc->dyads[i];
        if (d->a >= na || d->b >= na || d->a == d->b) return "dyad actors";
        if (!ok_opt(d->reverse, sc->n_dyads)) return "dyad reverse";
    }
    for (size_t i = 0; i < sc->n_events; i++) {
        const dr_event *e = &sc->events[i];
        if (!e->note) return "event note";
        if (i > 0 && e->day < sc->events[i - 1].day) return "events not sorted";
        if ((int)e->type < 0 || e->type >= DR_EVENT_TYPE_COUNT) return "event type";
        switch (e->type) {
        case DR_EVENT_BORDER_REGULATION:
            if (e->route >= nr) return "border_regulation route";
            break;
        case DR_EVENT_SHOCK:
            if (e->a >= na || e->b >= na || !ok_opt(e->location, nl))
                return "shock reference";
            break;
        case DR_EVENT_SUMMIT:
            if (e->n_parties < 2 || !ok_opt(e->host, na)) return "summit";
            for (size_t k = 0; k < e->n_parties; k++)
                if (e->parties[k] >= na) return "summit party";
            break;
        case DR_EVENT_DEPLOYMENT:
            if (e->actor >= na || e->location >= nl) return "deployment";
            break;
        case DR_EVENT_WITHDRAWAL:
            if (e->actor >= na) return "withdrawal";
            break;
        case DR_EVENT_DEPORTATION:
            if (e->country >= na) return "deportation";
            break;
        case DR_EVENT_SET: {
            const dr_set_target *t = &e->target;
            size_t n = t->table == DR_TARGET_ACTOR      ? na
                       : t->table == DR_TARGET_LOCATION ? nl
                       : t->table == DR_TARGET_ROUTE    ? nr
                       : t->table == DR_TARGET_DYAD     ? sc->n_dyads
                                                        : 1;
            if (!e->path || t->index >= n) return "set target";
            break;
        }
        default:
            break;
        }
    }
    return NULL;
}

/* Split an input at its last line "%%": *text_len receives the length of
 * the scenario text before that line; returns the offset of the override
 * tail after it (size when there is no such line). */
static size_t split_overrides(const uint8_t *data, size_t size, size_t *text_len)
{
    for (size_t i = size >= 3 ? size - 3 + 1 : 0; i-- > 0;)
        if (memcmp(data + i, "%%\n", 3) == 0 && (i == 0 || data[i - 1] == '\n')) {
            *text_len = i;
            return i + 3;
        }
    *text_len = size;
    return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dr_fuzz_fd < 0) LLVMFuzzerInitialize(NULL, NULL);
    size_t text_len;
    size_t tail = split_overrides(data, size, &text_len);

    /* The scenario text goes to the temporary file. */
    if (ftruncate(dr_fuzz_fd, 0) != 0 || lseek(dr_fuzz_fd, 0, SEEK_SET) != 0) {
        perror("fuzz_scenario: truncate");
        exit(1);
    }
    for (size_t done = 0; done < text_len;) {
        ssize_t w = write(dr_fuzz_fd, data + done, text_len - done);
        if (w <= 0) {
            perror("fuzz_scenario: write");
            exit(1);
        }
        done += (size_t)w;
    }

    /* The overrides: NUL-terminated copies of the tail's lines. */
    char *ov_buf = malloc(size - tail + 1);
    const char *ov[DR_FUZZ_MAX_OVERRIDES];
    size_t n_ov = 0;
    if (!ov_buf) return 0;
    memcpy(ov_buf, data + tail, size - tail);
    ov_buf[size - tail] = '\0';
    for (char *p = ov_buf; *p && n_ov < DR_FUZZ_MAX_OVERRIDES;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        ov[n_ov++] = p;
        if (!nl) break;
        p = nl + 1;
    }

    char *errors = NULL;
    size_t err_len = 0;
    FILE *err = open_memstream(&errors, &err_len);
    if (!err) {
        free(ov_buf);
        return 0;
    }
    dr_scenario *sc = dr_scenario_load(dr_fuzz_path, ov, n_ov, err);
    fclose(err);

    if (sc) {
        if (err_len != 0) dr_fuzz_fail("a scenario and error text", errors);
        const char *bad = check_scenario(sc);
        if (bad) dr_fuzz_fail(bad, NULL);
    } else {
        if (err_len == 0) dr_fuzz_fail("NULL without error text", NULL);
        if (errors[err_len - 1] != '\n')
            dr_fuzz_fail("error text without a final newline", errors);
    }
    dr_scenario_destroy(sc);
    free(errors);
    free(ov_buf);
    return 0;
}
