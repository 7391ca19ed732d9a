/*
 * fuzz_flee.c — a libFuzzer harness for the FLEE case reader
 * (dr_flee_load, engine/flee_load.c).
 *
 * The reader takes a directory, so one input is a whole case directory in
 * a small container format: a line "=== PATH" starts a file, whose text is
 * everything up to the next such line (the newline in front of that line
 * belongs to the header, not to the file):
 *
 *     hasten=10                       optional preamble (see below)
 *     === simsetting.yml
 *     optimisations:
 *       hasten: 1
 *     === input_csv/locations.csv
 *     #name,region,country,lat,lon,location_type,conflict_date,population
 *     X,R,AA,1.0,1.0,conflict_zone,0,1000
 *     === source_data/
 *     ...
 *
 * PATH is relative, one or two components of [A-Za-z0-9_.-] (not "." or
 * ".."), at most 64 characters each; a PATH ending in '/' only creates
 * that directory. Sections with any other PATH are skipped, a later
 * section for the same PATH replaces the earlier one. The text before the
 * first header is a preamble: a line "hasten=N" there loads the case with
 * dr_flee_load_hasten(dir, N), as `durand flee --hasten N` does.
 *
 * The directory is created once per process in $TMPDIR (scripts/fuzz.sh
 * points it at /dev/shm when there is one); every input first empties it.
 * tests/fuzz/flee_pack.py packs a case directory into this format and
 * unpacks an input into a directory (to run `durand flee` on a crash).
 *
 * The contract checked on every input:
 *  - the reader returns, without a crash, a leak or undefined behaviour
 *    (the harness is built with ASan, UBSan and LSan by scripts/fuzz.sh);
 *  - it returns either a case, having written nothing to the error
 *    stream, or NULL, having written at least one complete error line;
 *  - a case it returns is internally consistent: every index points
 *    inside the table it indexes, counts and series are finite and not
 *    negative, onsets lie on or before their day (check_case()).
 * A broken contract aborts, which libFuzzer reports as a crash. With
 * DR_FUZZ_VERBOSE set in the environment the reader's verdict and error
 * text are printed for every input.
 *
 * Compiled with the normal compiler and -DDR_FUZZ_FLEE_REPLAY (the entry
 * points then have other names, so that one replay program holds both
 * harnesses) together with replay.c and fuzz_scenario.c, it is the CTest
 * test fuzz_replay, which replays tests/fuzz/corpus_flee/ and
 * tests/fuzz/regressions_flee/.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flee.h"

#ifdef DR_FUZZ_FLEE_REPLAY
#define LLVMFuzzerInitialize dr_fuzz_flee_initialize
#define LLVMFuzzerTestOneInput dr_fuzz_flee_test_one_input
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Longest path component the container accepts. */
#define DR_FUZZ_NAME_MAX 64

/* The case directory, created once per process. */
static char dr_fuzz_dir[4096];
static int dr_fuzz_ready;

/* Remove everything inside directory `path`, `depth` levels deep at most
 * (the container makes nothing deeper than two). */
static void empty_dir(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *de;
    char sub[4096 + 2 * DR_FUZZ_NAME_MAX + 8];
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
        if (unlink(sub) == 0) continue;
        if (depth > 1 && (errno == EISDIR || errno == EPERM)) {
            empty_dir(sub, depth - 1);
            rmdir(sub);
        }
    }
    closedir(d);
}

/* Remove the directory when the process ends normally. */
static void dr_fuzz_cleanup(void)
{
    if (dr_fuzz_ready) {
        empty_dir(dr_fuzz_dir, 2);
        rmdir(dr_fuzz_dir);
        dr_fuzz_ready = 0;
    }
}

/* Report a broken contract and abort (libFuzzer then keeps the input). */
static void dr_fuzz_fail(const char *what, const char *errors)
{
    fprintf(stderr, "fuzz_flee: contract broken: %s\n", what);
    if (errors) fprintf(stderr, "reader said:\n%s\n", errors);
    abort();
}

/* Create the case directory in $TMPDIR. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (dr_fuzz_ready) return 0;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(dr_fuzz_dir, sizeof dr_fuzz_dir, "%s/fuzz_flee.XXXXXX", dir);
    if (!mkdtemp(dr_fuzz_dir)) {
        perror("fuzz_flee: mkdtemp");
        exit(1);
    }
    dr_fuzz_ready = 1;
    atexit(dr_fuzz_cleanup);
    return 0;
}

/* Whether [s, s + n) is an acceptable path component. */
static int good_component(const char *s, size_t n)
{
    if (n == 0 || n > DR_FUZZ_NAME_MAX) return 0;
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* Write one section: `name` (length n) relative to the case directory,
 * with the text [body, body + len). Bad names and failures skip it. */
static void write_section(const char *name, size_t n, const uint8_t *body, size_t len)
{
    const char *slash = memchr(name, '/', n);
    size_t first = slash ? (size_t)(slash - name) : n;
    if (!good_component(name, first)) return;
    char path[4096 + 2 * DR_FUZZ_NAME_MAX + 8];
    if (slash) {
        snprintf(path, sizeof path, "%s/%.*s", dr_fuzz_dir, (int)first, name);
        if (mkdir(path, 0700) != 0 && errno != EEXIST) return;
        size_t rest = n - first - 1;
        if (rest == 0) return; /* "DIR/": the directory alone */
        if (!good_component(slash + 1, rest)) return;
    }
    snprintf(path, sizeof path, "%s/%.*s", dr_fuzz_dir, (int)n, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return;
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, body + done, len - done);
        if (w <= 0) break;
        done += (size_t)w;
    }
    close(fd);
}

/* Whether a header line "=== " starts at offset i. */
static int header_at(const uint8_t *data, size_t size, size_t i)
{
    return size - i >= 4 && memcmp(data + i, "=== ", 4) == 0 &&
           (i == 0 || data[i - 1] == '\n');
}

/* Parse the preamble [data, data + n) for "hasten=N"; 0 when absent. */
static int64_t preamble_hasten(const uint8_t *data, size_t n)
{
    int64_t hasten = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && data[e] != '\n') e++;
        if (e - i > 7 && e - i < 32 && memcmp(data + i, "hasten=", 7) == 0) {
            char num[32];
            memcpy(num, data + i + 7, e - i - 7);
            num[e - i - 7] = '\0';
            char *end;
            long long v = strtoll(num, &end, 10);
            /* The range `durand flee --hasten` accepts. */
            if (*num && !*end && v >= 1 && v <= 1000000000LL) hasten = v;
        }
        i = e + 1;
    }
    return hasten;
}

/* Write the container's files into the (emptied) case directory; returns
 * the preamble's hasten override (0: none). */
static int64_t unpack(const uint8_t *data, size_t size)
{
    empty_dir(dr_fuzz_dir, 2);
    size_t i = 0;
    while (i < size && !header_at(data, size, i)) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        i = nl ? (size_t)(nl - data) + 1 : size;
    }
    int64_t hasten = preamble_hasten(data, i);
    while (i < size) {
        /* data[i] starts "=== NAME\n". */
        size_t name = i + 4, eol = name;
        while (eol < size && data[eol] != '\n') eol++;
        size_t body = eol < size ? eol + 1 : size, end = body;
        while (end < size && !header_at(data, size, end)) {
            const uint8_t *nl = memchr(data + end, '\n', size - end);
            end = nl ? (size_t)(nl - data) + 1 : size;
        }
        /* The newline before the next header belongs to the header. */
        size_t len = end - body;
        if (end < size && len > 0) len--;
        write_section((const char *)data + name, eol - name, data + body, len);
        i = end;
    }
    return hasten;
}

static int is_camp_kind(dr_flee_kind k)
{
    return k == DR_FLEE_CAMP || k == DR_FLEE_IDPCAMP;
}

/* A count or series value: finite and not negative. */
static int bad_value(double v)
{
    return !isfinite(v) || v < 0.0;
}

/* Every index a loaded case holds points inside its table, and its
 * numbers are sane; returns the name of the first that is not, or NULL. */
static const char *check_case(const dr_flee_case *fc)
{
    const dr_scenario *sc = fc->scenario;
    if (!sc || !fc->dir) return "no scenario or directory";
    size_t nl = fc->n_locations, na = sc->n_actors, nr = sc->n_routes;
    if (nl == 0 || nl != sc->n_locations || na == 0) return "no locations or actors";
    if (!sc->text || !sc->path || !sc->meta.name) return "missing strings";
    if (fc->days < 1 || sc->meta.days != fc->days) return "days";
    if (fc->settings.hasten < 1 || sc->meta.agent_scale != fc->settings.hasten)
        return "hasten";
    if (!fc->kind || !fc->foreign || !fc->pop || !fc->capacity) return "location arrays";
    for (size_t i = 0; i < na; i++)
        if (!sc->actors[i].name || sc->actors[i].kind != DR_ACTOR_STATE) return "actor";
    for (size_t l = 0; l < nl; l++) {
        const dr_location *loc = &sc->locations[l];
        if (!loc->name || !loc->region || !loc->id[0]) return "location strings";
        if (loc->country >= na) return "location country";
        if ((int)fc->kind[l] < 0 || fc->kind[l] >= DR_FLEE_KIND_COUNT) return "kind";
        if (fc->pop[l] < 0 || fc->capacity[l] < 0 || loc->population < 0 ||
            loc->capacity < 0)
            return "population or capacity";
        for (size_t k = 0; k < l; k++)
            if (!strcmp(sc->locations[k].id, loc->id)) return "duplicate location id";
    }
    if (nr && !fc->forced_redirection) return "forced_redirection";
    for (size_t r = 0; r < nr; r++) {
        const dr_route *rt = &sc->routes[r];
        if (rt->from >= nl || rt->to >= nl || rt->from == rt->to) return "route ends";
        if (bad_value(rt->distance_km)) return "route distance";
        if (fc->forced_redirection[r] < 0 || fc->forced_redirection[r] > 2)
            return "forced_redirection value";
    }
    size_t cells = (size_t)fc->days * nl;
    if (!fc->conflict || !fc->onset) return "conflict arrays";
    for (size_t i = 0; i < cells; i++) {
        int64_t t = (int64_t)(i / nl);
        if (bad_value(fc->conflict[i])) return "conflict intensity";
        if (fc->onset[i] < -1 || fc->onset[i] > t) return "conflict onset";
        if ((fc->conflict[i] > 0) != (fc->onset[i] >= 0)) return "onset without conflict";
    }
    for (size_t k = 0; k < fc->n_closures; k++) {
        const dr_flee_closure *c = &fc->closures[k];
        if ((int)c->type < 0 || c->type >= DR_FLEE_CLOSURE_TYPE_COUNT)
            return "closure type";
        if (c->start < 0 || c->end < -1) return "closure days";
        size_t n = c->type == DR_FLEE_CLOSE_COUNTRY ? na : nl;
        if (c->a >= n) return "closure a";
        int two = c->type == DR_FLEE_CLOSE_COUNTRY || c->type == DR_FLEE_CLOSE_LINK ||
                  c->type == DR_FLEE_CLOSE_FORCED_REDIRECTION;
        if (two ? c->b >= n : c->b != DR_NONE) return "closure b";
    }
    for (size_t k = 0; k < fc->n_changes; k++) {
        const dr_flee_change *c = &fc->changes[k];
        if (c->location >= nl || (int)c->kind < 0 || c->kind >= DR_FLEE_KIND_COUNT ||
            c->day < 0)
            return "location change";
    }
    size_t camps = 0;
    for (size_t l = 0; l < nl; l++) camps += is_camp_kind(fc->kind[l]);
    if (camps != fc->n_camps) return "camp count";
    if (!fc->camp_location || !fc->camp_data || !fc->total_data || !fc->day0 ||
        !fc->new_agents)
        return "validation arrays";
    for (size_t c = 0; c < fc->n_camps; c++) {
        if (fc->camp_location[c] >= nl || !is_camp_kind(fc->kind[fc->camp_location[c]]))
            return "camp location";
        if (c && fc->camp_location[c] <= fc->camp_location[c - 1]) return "camp order";
        if (fc->day0[c] < 0) return "day-0 agents";
    }
    for (size_t i = 0; i < (size_t)fc->days * fc->n_camps; i++)
        if (bad_value(fc->camp_data[i])) return "camp data";
    for (int64_t t = 0; t < fc->days; t++) {
        if (bad_value(fc->total_data[t])) return "total data";
        if (fc->new_agents[t] < 0) return "new agents";
    }
    if (fc->settings.n_conflict_spawn_decay && !fc->settings.conflict_spawn_decay)
        return "conflict_spawn_decay";
    for (size_t i = 0; i < fc->settings.n_conflict_spawn_decay; i++)
        if (bad_value(fc->settings.conflict_spawn_decay[i])) return "decay factor";
    if (sc->params.civilians.reserve_agents < 0) return "reserve agents";
    for (size_t i = 0; i < fc->n_notes; i++)
        if (!fc->notes[i]) return "note";
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dr_fuzz_ready) LLVMFuzzerInitialize(NULL, NULL);
    int64_t hasten = unpack(data, size);

    char *errors = NULL;
    size_t err_len = 0;
    FILE *err = open_memstream(&errors, &err_len);
    if (!err) return 0;
    dr_flee_case *fc = dr_flee_load_hasten(dr_fuzz_dir, hasten, err);
    fclose(err);

    if (fc) {
        if (err_len != 0) dr_fuzz_fail("a case and error text", errors);
        const char *bad = check_case(fc);
        if (bad) dr_fuzz_fail(bad, NULL);
    } else {
        if (err_len == 0) dr_fuzz_fail("NULL without error text", NULL);
        if (errors[err_len - 1] != '\n')
            dr_fuzz_fail("error text without a final newline", errors);
    }
    if (getenv("DR_FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz_flee: %s\n%s", fc ? "loaded" : "rejected",
                errors ? errors : "");
    dr_flee_case_destroy(fc);
    free(errors);
    return 0;
}
