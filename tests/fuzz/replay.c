/*
 * replay.c — run fuzz harness inputs without libFuzzer.
 *
 *     replay PATH... [--flee PATH...]
 *
 * Every PATH is a file or a directory of files (not recursive); each file
 * is passed once to a harness, which aborts if its reader breaks its
 * contract: PATHs before "--flee" to the scenario loader's harness
 * (fuzz_scenario.c, LLVMFuzzerTestOneInput), PATHs after it to the FLEE
 * case reader's (fuzz_flee.c, compiled with -DDR_FUZZ_FLEE_REPLAY so that
 * its entry points are dr_fuzz_flee_*). Built with the project's normal
 * compiler and flags (so under ASan/UBSan in the sanitizer build) and run
 * by CTest on tests/fuzz/corpus/, tests/fuzz/regressions/, tests/bad/,
 * tests/fuzz/corpus_flee/ and tests/fuzz/regressions_flee/, so that every
 * input that once crashed a reader stays a test. Exit status 0 when every
 * input was replayed, 1 when a path cannot be read or holds no input at
 * all.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int dr_fuzz_flee_initialize(int *argc, char ***argv);
int dr_fuzz_flee_test_one_input(const uint8_t *data, size_t size);

/* The harness the next PATHs go to. */
static int (*test_one)(const uint8_t *, size_t) = LLVMFuzzerTestOneInput;

/* Replay one file; returns 0, or -1 if it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f) || !buf || (n == cap && !feof(f));
    fclose(f);
    if (bad) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        free(buf);
        return -1;
    }
    test_one(buf, n);
    free(buf);
    return 0;
}

/* Order of directory entries, so that runs are repeatable. */
static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay every regular file of directory dir, in name order; returns the
 * number replayed, or -1 on a read error. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    long done = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) break;
            names = nn;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) break;
        snprintf(names[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (names) qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (done >= 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(names[i]) != 0)
                done = -1;
            else
                done++;
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    long total = 0;
    int status = 0;
    LLVMFuzzerInitialize(&argc, &argv);
    dr_fuzz_flee_initialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        long n;
        if (!strcmp(argv[i], "--flee")) {
            test_one = dr_fuzz_flee_test_one_input;
            continue;
        }
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            status = 1;
            continue;
        }
        n = S_ISDIR(st.st_mode) ? replay_dir(argv[i])
                                : (replay_file(argv[i]) == 0 ? 1 : -1);
        if (n < 0) {
            status = 1;
            continue;
        }
        printf("replay: %s: %ld input%s\n", argv[i], n, n == 1 ? "" : "s");
        total += n;
    }
    if (total == 0) {
        fprintf(stderr, "replay: no inputs replayed\n");
        status = 1;
    }
    printf("replay: %ld inputs, reader contracts held\n", total);
    return status;
}
