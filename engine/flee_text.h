/*
 * flee_text.h — the text layer of the FLEE reader (internal): whole files,
 * CSV rows as Python's csv module reads FLEE's files, a YAML subset for
 * FLEE's settings files, and located error lines.
 *
 * Only flee_load.c, flee_yaml.c and the tests use it.
 */
#ifndef DR_FLEE_TEXT_H
#define DR_FLEE_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Where errors go, and how many there were. */
typedef struct dr_flee_errs {
    FILE *err;
    int n;
} dr_flee_errs;

/* Report "PATH:LINE: FIELD = "VALUE": expected WHAT" (LINE omitted when 0,
 * the value part omitted when VALUE is NULL) and count it. */
void dr_flee_error(dr_flee_errs *e, const char *path, int line, const char *field,
                   const char *value, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* One CSV row: fields with surrounding blanks and quotes removed. */
typedef struct dr_csv_row {
    int line; /* 1-based line in the file */
    size_t n; /* fields */
    char **f; /* [n] pointers into the file's storage */
} dr_csv_row;

typedef struct dr_csv {
    char *path;       /* owned */
    char *text;       /* owned: the file's bytes, NUL-terminated */
    char *store;      /* owned: field storage */
    dr_csv_row *rows; /* owned; blank lines are left out */
    size_t n_rows;
} dr_csv;

/* Read a whole file (at most 256 MiB) into a NUL-terminated buffer.
 * Returns NULL and reports "PATH: cannot read: REASON" when it cannot. */
char *dr_flee_read_file(const char *path, size_t *len, dr_flee_errs *e);

/* Read and split a CSV file; a UTF-8 byte-order mark and CR line ends are
 * accepted, "" inside quotes is a quote. Returns 0, or -1 after reporting. */
int dr_csv_read(dr_csv *c, const char *path, dr_flee_errs *e);
void dr_csv_clear(dr_csv *c);

/* A node of the YAML subset: block maps and lists by indentation, flow
 * lists [a, b], plain and quoted scalars, # comments. */
typedef enum dr_yaml_kind {
    DR_YAML_SCALAR = 0,
    DR_YAML_MAP = 1,
    DR_YAML_LIST = 2
} dr_yaml_kind;

typedef struct dr_yaml {
    char *key; /* owned; NULL for list items and the root */
    int line;  /* line of the key (or item) */
    dr_yaml_kind kind;
    char *value;           /* owned scalar text ("" for an empty value) */
    int quoted;            /* the scalar was quoted */
    struct dr_yaml *items; /* owned children of a map or list */
    size_t n;
} dr_yaml;

/* Parse `text` (from `path`, for messages) into `root` (a map). Returns 0,
 * or -1 after reporting the first problem. */
int dr_yaml_parse(const char *text, const char *path, dr_yaml *root, dr_flee_errs *e);
void dr_yaml_clear(dr_yaml *y);

/* Scalar conversions in YAML 1.1's spelling (what PyYAML accepts): return 0
 * and store the value, or -1 when the scalar is not of the type. */
int dr_yaml_bool(const dr_yaml *y, int *out);
int dr_yaml_double(const dr_yaml *y, double *out);
int dr_yaml_int(const dr_yaml *y, long long *out);

/* Strict number parsing of a whole string (blanks around allowed). */
int dr_flee_parse_double(const char *s, double *out);
int dr_flee_parse_int(const char *s, long long *out);

#endif /* DR_FLEE_TEXT_H */
