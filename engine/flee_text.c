/*
 * flee_text.c — files, CSV rows, the YAML subset and located errors for the
 * FLEE reader (flee_text.h).
 *
 * The CSV reader follows Python's csv module as FLEE uses it (comma
 * separated, double quotes with "" as an escaped quote), and additionally
 * trims blanks around every field: FLEE strips the names of conflicts.csv
 * and Python's int()/float() ignore surrounding blanks, so trimming
 * everywhere only makes names such as "Ruyigi " match what FLEE matches.
 *
 * The YAML subset is what FLEE's settings files use: block maps by
 * indentation, block lists ("- x") and flow lists ("[1.0, 0.5]") of
 * scalars, plain, single- and double-quoted scalars, and comments. Anchors,
 * tags, flow maps and multi-line scalars are reported as errors rather than
 * misread.
 */
#include "flee_text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DR_FLEE_MAX_FILE (256u << 20)

void dr_flee_error(dr_flee_errs *e, const char *path, int line, const char *field,
                   const char *value, const char *fmt, ...)
{
    e->n++;
    if (!e->err) return;
    if (line > 0)
        fprintf(e->err, "%s:%d: ", path, line);
    else
        fprintf(e->err, "%s: ", path);
    if (field && value)
        fprintf(e->err, "%s = \"%s\": expected ", field, value);
    else if (field)
        fprintf(e->err, "%s: expected ", field);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(e->err, fmt, ap);
    va_end(ap);
    fputc('\n', e->err);
}

char *dr_flee_read_file(const char *path, size_t *len, dr_flee_errs *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        e->n++;
        if (e->err) fprintf(e->err, "%s: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        if (cap >= DR_FLEE_MAX_FILE) {
            free(buf);
            buf = NULL;
            break;
        }
        char *nb = realloc(buf, 2 * cap + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        e->n++;
        if (e->err)
            fprintf(e->err, "%s: cannot read: %s\n", path,
                    bad ? "read error" : "file too large or out of memory");
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static int is_blank(int c)
{
    return c == ' ' || c == '\t';
}

int dr_csv_read(dr_csv *c, const char *path, dr_flee_errs *e)
{
    memset(c, 0, sizeof *c);
    size_t len = 0;
    c->text = dr_flee_read_file(path, &len, e);
    c->path = malloc(strlen(path) + 1);
    if (!c->text || !c->path) {
        dr_csv_clear(c);
        return -1;
    }
    strcpy(c->path, path);
    if (memchr(c->text, '\0', len)) {
        e->n++;
        if (e->err)
            fprintf(e->err, "%s: contains a NUL byte: expected a CSV text file\n", path);
        dr_csv_clear(c);
        return -1;
    }
    const char *p = c->text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    /* Upper bounds: a field per byte plus one per line. */
    size_t n_lines = 1;
    for (const char *q = p; *q; q++) n_lines += *q == '\n';
    c->store = malloc(len + n_lines + 1);
    char **fields = malloc((len + n_lines + 1) * sizeof *fields);
    c->rows = calloc(n_lines, sizeof *c->rows);
    if (!c->store || !fields || !c->rows) {
        free(fields);
        dr_csv_clear(c);
        e->n++;
        if (e->err) fprintf(e->err, "%s: out of memory\n", path);
        return -1;
    }
    char *out = c->store;
    size_t nf_total = 0;
    int line = 1;
    while (*p) {
        const char *eol = strchr(p, '\n');
        if (!eol) eol = p + strlen(p);
        const char *end = eol;
        if (end > p && end[-1] == '\r') end--;
        /* Split [p, end) into fields. */
        const char *s = p;
        int blank_line = 1;
        for (const char *q = p; q < end; q++)
            if (!is_blank(*q)) blank_line = 0;
        if (!blank_line) {
            dr_csv_row *r = &c->rows[c->n_rows++];
            r->line = line;
            r->f = fields + nf_total;
            for (;;) {
                while (s < end && is_blank(*s)) s++;
                char *start = out;
                if (s < end && *s == '"') {
                    s++;
                    while (s < end) {
                        if (*s == '"') {
                            if (s + 1 < end && s[1] == '"') {
                                *out++ = '"';
                                s += 2;
                                continue;
                            }
                            s++;
                            break;
                        }
                        *out++ = *s++;
                    }
                    /* Text after the closing quote is kept, as Python does. */
                    while (s < end && *s != ',') *out++ = *s++;
                } else {
                    while (s < end && *s != ',') *out++ = *s++;
                }
                while (out > start && is_blank(out[-1])) out--;
                *out++ = '\0';
                fields[nf_total++] = start;
                r->n++;
                if (s < end && *s == ',') {
                    s++;
                    continue;
                }
                break;
            }
        }
        if (!*eol) break;
        p = eol + 1;
        line++;
    }
    /* Every row points into the one `fields` array, which starts at the
     * first row's pointer; dr_csv_clear frees it through that pointer. */
    if (c->n_rows == 0) free(fields);
    return 0;
}

void dr_csv_clear(dr_csv *c)
{
    if (c->rows && c->n_rows) free(c->rows[0].f);
    free(c->rows);
    free(c->store);
    free(c->text);
    free(c->path);
    memset(c, 0, sizeof *c);
}

int dr_flee_parse_double(const char *s, double *out)
{
    if (!s) return -1;
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return -1;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE) return -1;
    while (isspace((unsigned char)*end)) end++;
    if (*end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int dr_flee_parse_int(const char *s, long long *out)
{
    if (!s) return -1;
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno == ERANGE) return -1;
    while (isspace((unsigned char)*end)) end++;
    if (*end) return -1;
    *out = v;
    return 0;
}

/* ---- YAML subset -------------------------------------------------------- */

typedef struct yline {
    int no;     /* 1-based line number */
    int indent; /* leading spaces */
    char *text; /* content without indentation and comment, trimmed */
} yline;

void dr_yaml_clear(dr_yaml *y)
{
    if (!y) return;
    for (size_t i = 0; i < y->n; i++) dr_yaml_clear(&y->items[i]);
    free(y->items);
    free(y->key);
    free(y->value);
    memset(y, 0, sizeof *y);
}

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Remove a trailing comment: '#' at the start or after a blank, outside
 * quotes. */
static void strip_comment(char *s)
{
    char q = 0;
    for (char *p = s; *p; p++) {
        if (q) {
            if (*p == q) q = 0;
        } else if (*p == '"' || *p == '\'') {
            q = *p;
        } else if (*p == '#' && (p == s || is_blank(p[-1]))) {
            *p = '\0';
            break;
        }
    }
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
}

/* Make a scalar node from text `s` (trimmed), unquoting it. */
static int make_scalar(dr_yaml *y, const char *s, int line, const char *path,
                       dr_flee_errs *e)
{
    y->kind = DR_YAML_SCALAR;
    y->line = line;
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        y->quoted = 1;
        y->value = dup_range(s + 1, n - 2);
    } else if (n && (s[0] == '"' || s[0] == '\'')) {
        dr_flee_error(e, path, line, "value", s, "a closing %c on the same line", s[0]);
        return -1;
    } else if (n && (s[0] == '&' || s[0] == '*' || s[0] == '!' || s[0] == '{' ||
                     s[0] == '|' || s[0] == '>')) {
        dr_flee_error(e, path, line, "value", s,
                      "a plain scalar or a [flow, list] (anchors, tags, flow maps "
                      "and block scalars are not part of FLEE's settings format)");
        return -1;
    } else {
        y->value = dup_range(s, n);
    }
    if (!y->value) {
        dr_flee_error(e, path, line, NULL, NULL, "%s", "memory");
        return -1;
    }
    return 0;
}

static int push_item(dr_yaml *parent, dr_yaml **item)
{
    dr_yaml *ni = realloc(parent->items, (parent->n + 1) * sizeof *ni);
    if (!ni) return -1;
    parent->items = ni;
    *item = &ni[parent->n++];
    memset(*item, 0, sizeof **item);
    return 0;
}

/* Fill a flow list node from "[a, b, c]". */
static int make_flow_list(dr_yaml *y, const char *s, int line, const char *path,
                          dr_flee_errs *e)
{
    y->kind = DR_YAML_LIST;
    y->line = line;
    size_t n = strlen(s);
    if (n < 2 || s[n - 1] != ']') {
        dr_flee_error(e, path, line, "value", s,
                      "a flow list closed by ] on the same line");
        return -1;
    }
    char *body = dup_range(s + 1, n - 2);
    if (!body) return -1;
    char *p = body;
    int rc = 0;
    while (isspace((unsigned char)*p)) p++;
    if (*p) {
        for (;;) {
            char *comma = strchr(p, ',');
            if (comma) *comma = '\0';
            char *t = p;
            while (isspace((unsigned char)*t)) t++;
            size_t m = strlen(t);
            while (m && isspace((unsigned char)t[m - 1])) t[--m] = '\0';
            if (!m || *t == '[') {
                dr_flee_error(e, path, line, "value", s,
                              "a flow list of scalars separated by commas");
                rc = -1;
                break;
            }
            dr_yaml *it;
            if (push_item(y, &it) || make_scalar(it, t, line, path, e)) {
                rc = -1;
                break;
            }
            if (!comma) break;
            p = comma + 1;
        }
    }
    free(body);
    return rc;
}

/* Parse lines [*i, n) that are indented exactly `indent` into `node`
 * (a map, or a list when the first line starts with "- "). */
static int parse_block(yline *L, size_t n, size_t *i, int indent, dr_yaml *node,
                       const char *path, dr_flee_errs *e)
{
    int is_list = L[*i].text[0] == '-' && (L[*i].text[1] == ' ' || !L[*i].text[1]);
    node->kind = is_list ? DR_YAML_LIST : DR_YAML_MAP;
    while (*i < n) {
        yline *l = &L[*i];
        if (l->indent < indent) return 0;
        if (l->indent > indent) {
            dr_flee_error(
                e, path, l->no, "indentation", NULL,
                "%d spaces, like the line before (or a key ending in ':' above)", indent);
            return -1;
        }
        int item_is_list = l->text[0] == '-' && (l->text[1] == ' ' || !l->text[1]);
        if (item_is_list != is_list) {
            dr_flee_error(e, path, l->no, "line", l->text, "%s",
                          is_list ? "a list item \"- value\"" : "a \"key: value\" line");
            return -1;
        }
        dr_yaml *it;
        if (push_item(node, &it)) return -1;
        it->line = l->no;
        (*i)++;
        const char *rest;
        if (is_list) {
            rest = l->text + 1;
            while (is_blank(*rest)) rest++;
            if (!*rest) {
                dr_flee_error(e, path, l->no, "list item", NULL, "a scalar after \"- \"");
                return -1;
            }
        } else {
            /* key: value — the key ends at the first ": " or a final ':'. */
            char *colon = NULL;
            for (char *p = l->text; *p; p++)
                if (*p == ':' && (p[1] == ' ' || p[1] == '\t' || !p[1])) {
                    colon = p;
                    break;
                }
            if (!colon || colon == l->text) {
                dr_flee_error(e, path, l->no, "line", l->text,
                              "\"key: value\" or \"key:\"");
                return -1;
            }
            size_t kn = (size_t)(colon - l->text);
            while (kn && is_blank(l->text[kn - 1])) kn--;
            const char *k = l->text;
            if (kn >= 2 && (k[0] == '"' || k[0] == '\'') && k[kn - 1] == k[0]) {
                k++;
                kn -= 2;
            }
            it->key = dup_range(k, kn);
            if (!it->key) return -1;
            for (size_t j = 0; j + 1 < node->n; j++)
                if (!strcmp(node->items[j].key, it->key)) {
                    dr_flee_error(e, path, l->no, it->key, NULL,
                                  "each key once (also on line %d)", node->items[j].line);
                    return -1;
                }
            rest = colon + 1;
            while (is_blank(*rest)) rest++;
        }
        if (*rest == '[') {
            if (make_flow_list(it, rest, l->no, path, e)) return -1;
        } else if (*rest) {
            if (make_scalar(it, rest, l->no, path, e)) return -1;
        } else if (!is_list) {
            /* A nested block: deeper lines, or a list at the same indent. */
            if (*i < n && (L[*i].indent > indent ||
                           (L[*i].indent == indent && L[*i].text[0] == '-' &&
                            (L[*i].text[1] == ' ' || !L[*i].text[1])))) {
                int child = L[*i].indent;
                if (parse_block(L, n, i, child, it, path, e)) return -1;
            } else {
                /* "key:" with nothing below is null, as PyYAML reads it. */
                if (make_scalar(it, "", l->no, path, e)) return -1;
            }
        }
        it->line = l->no;
    }
    return 0;
}

int dr_yaml_parse(const char *text, const char *path, dr_yaml *root, dr_flee_errs *e)
{
    memset(root, 0, sizeof *root);
    root->kind = DR_YAML_MAP;
    char *copy = dup_range(text, strlen(text));
    size_t cap = 1;
    for (const char *p = text; *p; p++) cap += *p == '\n';
    yline *L = calloc(cap, sizeof *L);
    if (!copy || !L) {
        free(copy);
        free(L);
        e->n++;
        if (e->err) fprintf(e->err, "%s: out of memory\n", path);
        return -1;
    }
    size_t n = 0;
    int no = 0;
    for (char *p = copy; p;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        no++;
        size_t m = strlen(p);
        if (m && p[m - 1] == '\r') p[--m] = '\0';
        int ind = 0;
        while (p[ind] == ' ') ind++;
        if (p[ind] == '\t') {
            dr_flee_error(e, path, no, "indentation", NULL, "spaces (YAML forbids tabs)");
            free(copy);
            free(L);
            return -1;
        }
        char *t = p + ind;
        strip_comment(t);
        if (*t && strcmp(t, "---") && strcmp(t, "...")) {
            if (t[0] == '%') {
                dr_flee_error(e, path, no, "line", t, "no YAML directives");
                free(copy);
                free(L);
                return -1;
            }
            L[n].no = no;
            L[n].indent = ind;
            L[n].text = t;
            n++;
        }
        p = nl ? nl + 1 : NULL;
    }
    int rc = 0;
    size_t i = 0;
    if (n) {
        if (L[0].text[0] == '-' || L[0].indent != 0) {
            dr_flee_error(
                e, path, L[0].no, "line", L[0].text,
                "a \"key: value\" line without indentation (the file is a map)");
            rc = -1;
        } else {
            rc = parse_block(L, n, &i, 0, root, path, e);
            if (!rc && i < n) {
                dr_flee_error(e, path, L[i].no, "indentation", NULL, "%s",
                              "no indentation for a top-level key");
                rc = -1;
            }
        }
    }
    if (rc) {
        if (!e->n) e->n++;
        dr_yaml_clear(root);
    }
    free(copy);
    free(L);
    return rc;
}

int dr_yaml_bool(const dr_yaml *y, int *out)
{
    if (y->kind != DR_YAML_SCALAR || y->quoted) return -1;
    static const char *const t[] = {"true", "True", "TRUE", "yes", "Yes",
                                    "YES",  "on",   "On",   "ON"};
    static const char *const f[] = {"false", "False", "FALSE", "no", "No",
                                    "NO",    "off",   "Off",   "OFF"};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (!strcmp(y->value, t[i])) {
            *out = 1;
            return 0;
        }
        if (!strcmp(y->value, f[i])) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

int dr_yaml_double(const dr_yaml *y, double *out)
{
    if (y->kind != DR_YAML_SCALAR || y->quoted) return -1;
    return dr_flee_parse_double(y->value, out);
}

int dr_yaml_int(const dr_yaml *y, long long *out)
{
    if (y->kind != DR_YAML_SCALAR || y->quoted) return -1;
    if (!dr_flee_parse_int(y->value, out)) return 0;
    /* FLEE converts with int(): an integral float such as 10.0 is fine. */
    double d;
    if (dr_flee_parse_double(y->value, &d) || d != floor(d) || fabs(d) > 9e15) return -1;
    *out = (long long)d;
    return 0;
}
