/*
 * sweep.c — the experiment runner (sweep.h): run hand-out over OpenMP
 * threads and MPI ranks, the crash-safe journal, and the scenario model.
 *
 * Threads: the runs left to do are one `omp for schedule(dynamic, 1)`
 * loop; each thread sets its own thread count to 1 first, so a run is
 * single-threaded (its world allocates one generator and its phases' inner
 * parallel loops run on one thread). Finished runs go through one critical
 * section that stores them by run number, appends them to the journal and
 * reports progress.
 *
 * MPI (DR_MPI): rank 0 is the master. It reads the journal, hands each
 * worker two batches of run numbers up front and one more per batch of
 * results returned (so a worker never waits for the master), and between
 * its own small batches (one run per thread) it drains results with
 * MPI_Iprobe. Only rank 0 writes the journal. Messages: TAG_WORK carries
 * uint64 run numbers (an empty message means stop); TAG_RESULT carries per
 * run the doubles {run, status, indicators..., series...}. MPI is only
 * called from the main thread, outside parallel regions (MPI_THREAD_FUNNELED).
 */
#define _POSIX_C_SOURCE 200809L

#include "sweep.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "observer.h"
#include "scenario.h"
#include "world.h"

#ifdef DR_HAVE_MPI
#include <mpi.h>
#endif

const char *const dr_run_status_names[DR_RUN_STATUS_COUNT] = {"missing", "done",
                                                              "failed"};

/* Longest "PATH=VALUE" override a design parameter produces. */
#define DR_SWEEP_OVERRIDE_MAX 320

/* ---- hashing ------------------------------------------------------------- */

uint64_t dr_sweep_hash(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t dr_sweep_hash_str(uint64_t h, const char *s)
{
    if (!s) s = "";
    return dr_sweep_hash(h, s, strlen(s) + 1);
}

/* ---- results ------------------------------------------------------------- */

dr_sweep_results *dr_sweep_results_create(size_t n_runs, size_t n_indicators,
                                          size_t series_width)
{
    dr_sweep_results *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->n_runs = n_runs;
    r->n_indicators = n_indicators;
    r->series_width = series_width;
    r->status = calloc(n_runs ? n_runs : 1, sizeof *r->status);
    size_t n_values = n_runs * n_indicators;
    r->indicators = malloc((n_values ? n_values : 1) * sizeof *r->indicators);
    if (series_width) r->series = malloc(n_runs * series_width * sizeof *r->series);
    if (!r->status || !r->indicators || (series_width && !r->series)) {
        dr_sweep_results_destroy(r);
        return NULL;
    }
    for (size_t i = 0; i < n_runs * n_indicators; i++) r->indicators[i] = NAN;
    for (size_t i = 0; series_width && i < n_runs * series_width; i++) r->series[i] = NAN;
    return r;
}

void dr_sweep_results_destroy(dr_sweep_results *r)
{
    if (!r) return;
    free(r->status);
    free(r->indicators);
    free(r->series);
    free(r);
}

int dr_sweep_shard_owns(size_t run, uint32_t shard, uint32_t n_shards)
{
    return n_shards <= 1 || run % n_shards == shard;
}

/* Store one run's outcome by run number. */
static void store(dr_sweep_results *r, size_t run, int status, const double *ind,
                  const double *ser)
{
    assert(run < r->n_runs);
    r->status[run] = (int8_t)status;
    double *row = r->indicators + run * r->n_indicators;
    for (size_t i = 0; i < r->n_indicators; i++)
        row[i] = status == DR_RUN_DONE ? ind[i] : NAN;
    if (r->series_width) {
        double *s = r->series + run * r->series_width;
        for (size_t i = 0; i < r->series_width; i++)
            s[i] = status == DR_RUN_DONE && ser ? ser[i] : NAN;
    }
}

/* ---- the journal ---------------------------------------------------------- */

#define DR_JOURNAL_MAGIC "DRSWJRN1"

/* 64 bytes, no padding; the checksum covers the 56 bytes before it. */
typedef struct journal_header {
    char magic[8];
    uint64_t identity;
    uint64_t n_runs;
    uint64_t n_indicators;
    uint64_t series_width;
    uint32_t shard;
    uint32_t n_shards;
    uint64_t reserved;
    uint64_t checksum;
} journal_header;
_Static_assert(sizeof(journal_header) == 64, "journal header layout");

typedef struct journal {
    int fd;                /* -1: no journal */
    const char *path;      /* borrowed */
    size_t record_size;    /* bytes: run, status, values, checksum */
    unsigned char *record; /* [record_size] scratch */
    double last_sync;      /* omp_get_wtime() of the last fdatasync */
    int failed;
} journal;

static size_t record_size(size_t n_ind, size_t width)
{
    return 3 * sizeof(uint64_t) + (n_ind + width) * sizeof(double);
}

static void header_fill(journal_header *h, const dr_sweep_plan *p,
                        const dr_sweep_results *r)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, DR_JOURNAL_MAGIC, 8);
    h->identity = p->identity;
    h->n_runs = r->n_runs;
    h->n_indicators = r->n_indicators;
    h->series_width = r->series_width;
    h->shard = p->n_shards > 1 ? p->shard : 0;
    h->n_shards = p->n_shards > 1 ? p->n_shards : 1;
    h->checksum =
        dr_sweep_hash(DR_SWEEP_HASH_INIT, h, offsetof(journal_header, checksum));
}

/* Write all n bytes at the current offset. Returns 0 or -1. */
static int write_all(int fd, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Read exactly n bytes at offset off. Returns 1, 0 at a short read, -1 on
 * an error. */
static int read_at(int fd, void *buf, size_t n, off_t off)
{
    unsigned char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(fd, p + got, n - got, off + (off_t)got);
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (k == 0) return 0;
        got += (size_t)k;
    }
    return 1;
}

static void say(const dr_sweep_plan *p, const char *fmt, const char *a, const char *b)
{
    if (p->err) {
        fprintf(p->err, fmt, a, b);
        fflush(p->err);
    }
}

/* Start a fresh journal: header only. */
static int journal_create(journal *j, const dr_sweep_plan *p, const dr_sweep_results *r)
{
    j->fd = open(j->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    journal_header h;
    header_fill(&h, p, r);
    if (j->fd < 0 || write_all(j->fd, &h, sizeof h) < 0 || fdatasync(j->fd) < 0) {
        say(p, "durand: %s: cannot write the sweep journal: %s\n", j->path,
            strerror(errno));
        return DR_SWEEP_EIO;
    }
    return DR_SWEEP_OK;
}

/*
 * Open the journal: create it for a fresh sweep, or read it back into r
 * for a resumed one, cutting off a torn tail. Every valid record of an
 * owned run is applied; reading stops at the first invalid one.
 */
static int journal_open(journal *j, const dr_sweep_plan *p, dr_sweep_results *r)
{
    j->fd = -1;
    j->path = p->journal;
    j->record_size = record_size(r->n_indicators, r->series_width);
    j->record = malloc(j->record_size);
    j->last_sync = omp_get_wtime();
    if (!j->record) return DR_SWEEP_ENOMEM;
    if (!j->path) return DR_SWEEP_OK;

    struct stat st;
    if (stat(j->path, &st) != 0) return journal_create(j, p, r);
    if (!p->resume) {
        say(p,
            "durand: %s exists: an earlier sweep to the same output was "
            "interrupted; add --resume to continue it, or remove %s to start "
            "again\n",
            j->path, j->path);
        return DR_SWEEP_EINPUT;
    }
    j->fd = open(j->path, O_RDWR | O_CLOEXEC);
    if (j->fd < 0) {
        say(p, "durand: %s: cannot open the sweep journal: %s\n", j->path,
            strerror(errno));
        return DR_SWEEP_EIO;
    }
    journal_header h, want;
    header_fill(&want, p, r);
    int got = read_at(j->fd, &h, sizeof h, 0);
    if (got < 0) {
        say(p, "durand: %s: cannot read the sweep journal: %s\n", j->path,
            strerror(errno));
        return DR_SWEEP_EIO;
    }
    if (got == 0) { /* killed while writing the header: nothing was run */
        close(j->fd);
        return journal_create(j, p, r);
    }
    if (memcmp(&h, &want, sizeof h) != 0) {
        say(p,
            "durand: %s: --resume: this journal belongs to a different sweep "
            "(scenario, overrides, design, replications, seed, options or "
            "shard differ); rerun with the original arguments, or remove %s\n",
            j->path, j->path);
        return DR_SWEEP_EINPUT;
    }
    off_t off = (off_t)sizeof h;
    size_t nd = r->n_indicators + r->series_width;
    double *vals = malloc((nd ? nd : 1) * sizeof *vals);
    if (!vals) return DR_SWEEP_ENOMEM;
    for (;;) {
        got = read_at(j->fd, j->record, j->record_size, off);
        if (got <= 0) break;
        uint64_t run, status, sum;
        memcpy(&run, j->record, 8);
        memcpy(&status, j->record + 8, 8);
        memcpy(&sum, j->record + j->record_size - 8, 8);
        if (sum != dr_sweep_hash(DR_SWEEP_HASH_INIT, j->record, j->record_size - 8) ||
            run >= r->n_runs || (status != DR_RUN_DONE && status != DR_RUN_FAILED) ||
            !dr_sweep_shard_owns((size_t)run, p->shard, p->n_shards))
            break;
        memcpy(vals, j->record + 16, nd * sizeof *vals);
        if (r->status[run] == DR_RUN_MISSING) r->n_resumed++;
        store(r, (size_t)run, (int)status, vals, vals + r->n_indicators);
        off += (off_t)j->record_size;
    }
    free(vals);
    if (got < 0 || ftruncate(j->fd, off) != 0 || lseek(j->fd, off, SEEK_SET) < 0) {
        say(p, "durand: %s: cannot read the sweep journal: %s\n", j->path,
            strerror(errno));
        return DR_SWEEP_EIO;
    }
    return DR_SWEEP_OK;
}

/* Append one run. Returns 0 or -1 (reported once). */
static int journal_append(journal *j, const dr_sweep_plan *p, size_t run, int status,
                          const double *ind, size_t n_ind, const double *ser,
                          size_t width)
{
    if (j->fd < 0 || j->failed) return j->failed ? -1 : 0;
    uint64_t u = run, s = (uint64_t)status;
    unsigned char *b = j->record;
    memcpy(b, &u, 8);
    memcpy(b + 8, &s, 8);
    size_t off = 16;
    for (size_t i = 0; i < n_ind; i++, off += 8) {
        double v = status == DR_RUN_DONE ? ind[i] : NAN;
        memcpy(b + off, &v, 8);
    }
    for (size_t i = 0; i < width; i++, off += 8) {
        double v = status == DR_RUN_DONE && ser ? ser[i] : NAN;
        memcpy(b + off, &v, 8);
    }
    uint64_t sum = dr_sweep_hash(DR_SWEEP_HASH_INIT, b, off);
    memcpy(b + off, &sum, 8);
    int rc = write_all(j->fd, b, j->record_size);
    double now = omp_get_wtime();
    if (rc == 0 && now - j->last_sync >= DR_SWEEP_SYNC_SECONDS) {
        rc = fdatasync(j->fd);
        j->last_sync = now;
    }
    if (rc != 0) {
        say(p, "durand: %s: cannot append to the sweep journal: %s\n", j->path,
            strerror(errno));
        j->failed = 1;
        return -1;
    }
    return 0;
}

static int journal_close(journal *j)
{
    int rc = 0;
    if (j->fd >= 0) {
        if (!j->failed && fdatasync(j->fd) != 0) rc = -1;
        if (close(j->fd) != 0) rc = -1;
    }
    j->fd = -1;
    free(j->record);
    j->record = NULL;
    return rc;
}

/* ---- running runs on threads ------------------------------------------------ */

/* Where finished runs go: called inside a critical section. */
typedef void (*sink_fn)(void *arg, size_t k, size_t run, int status, const double *ind,
                        const double *ser);

/* The master's sink: results, journal, progress. */
typedef struct master_state {
    const dr_sweep_plan *p;
    dr_sweep_results *r;
    journal *j;
    size_t done; /* owned runs not missing */
    int stop;    /* 1: hand out nothing more */
    int rc;      /* first error */
} master_state;

static void master_sink(void *arg, size_t k, size_t run, int status, const double *ind,
                        const double *ser)
{
    master_state *m = arg;
    (void)k;
    dr_sweep_results *r = m->r;
    if (r->status[run] == DR_RUN_MISSING) m->done++;
    store(r, run, status, ind, ser);
    r->n_ran++;
    if (journal_append(m->j, m->p, run, status, ind, r->n_indicators, ser,
                       r->series_width) != 0) {
        m->rc = DR_SWEEP_EIO;
#pragma omp atomic write
        m->stop = 1;
    }
    if (m->p->progress && m->p->progress(m->done, r->n_owned, m->p->progress_arg)) {
        if (!m->rc) m->rc = DR_SWEEP_INTERRUPTED;
#pragma omp atomic write
        m->stop = 1;
    }
}

/* Evaluate runs[0..n) on `threads` threads, one run each, handing each
 * result to sink (serialised). *stop (read atomically) skips the rest.
 * Returns 0, or DR_SWEEP_ENOMEM if a thread could not get its buffers. */
static int compute_runs(const dr_sweep_plan *p, const dr_sweep_model *m,
                        const size_t *runs, size_t n, int threads, sink_fn sink,
                        void *arg, int *stop)
{
    int oom = 0;
    const size_t n_ind = m->n_indicators;
    const size_t width = p->series ? m->series_width : 0;
    if (threads < 1) threads = 1;
    if ((size_t)threads > n) threads = n ? (int)n : 1;
#pragma omp parallel num_threads(threads)
    {
        /* Runs are single-threaded: this affects only this thread's task. */
        omp_set_num_threads(1);
        double *ind = malloc((n_ind ? n_ind : 1) * sizeof *ind);
        double *ser = width ? malloc(width * sizeof *ser) : NULL;
        int mine_ok = ind && (!width || ser);
        if (!mine_ok) {
#pragma omp atomic write
            oom = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (size_t k = 0; k < n; k++) {
            int halt;
#pragma omp atomic read
            halt = *stop;
            if (halt || !mine_ok) continue;
            size_t run = runs[k];
            size_t point = run / p->n_replications;
            uint32_t rep = (uint32_t)(run % p->n_replications);
            const double *x = p->x + point * p->n_params;
            int rc = width ? m->eval_series(m->ctx, x, rep, ind, ser)
                           : m->eval(m->ctx, x, rep, ind);
            int status = rc == 0 ? DR_RUN_DONE : DR_RUN_FAILED;
#pragma omp critical(dr_sweep_sink)
            sink(arg, k, run, status, ind, ser);
        }
        free(ind);
        free(ser);
    }
    return oom ? DR_SWEEP_ENOMEM : 0;
}

/* Threads to use for runs: the plan's, else OpenMP's default. */
static int plan_threads(const dr_sweep_plan *p)
{
    int t = p->threads > 0 ? p->threads : omp_get_max_threads();
    return t < 1 ? 1 : t;
}

/* ---- MPI ------------------------------------------------------------------ */

int dr_sweep_mpi_available(void)
{
#ifdef DR_HAVE_MPI
    return 1;
#else
    return 0;
#endif
}

/* 1 if the environment says an MPI launcher started this process. */
static int launched_by_mpi(void)
{
    static const char *const vars[] = {"PMI_RANK", "PMI_FD", "PMI_PORT", "PMIX_RANK",
                                       "OMPI_COMM_WORLD_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i])) return 1;
    return 0;
}

static long env_long(const char *name)
{
    const char *v = getenv(name);
    return v ? strtol(v, NULL, 10) : 0;
}

int dr_sweep_mpi_init(int *argc, char ***argv, dr_sweep_mpi *mpi, FILE *err)
{
    mpi->active = 0;
    mpi->rank = 0;
    mpi->size = 1;
    if (!launched_by_mpi()) {
        if (env_long("SLURM_STEP_NUM_TASKS") > 1) {
            if (err)
                fprintf(err,
                        "durand: this is one of %ld tasks of a Slurm step with no "
                        "MPI process manager; every task would run the whole "
                        "sweep (use srun --mpi=pmi2, or --shard i/N)\n",
                        env_long("SLURM_STEP_NUM_TASKS"));
            return DR_SWEEP_EINPUT;
        }
        return 0;
    }
#ifdef DR_HAVE_MPI
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return DR_SWEEP_EIO;
    mpi->active = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi->size);
    return 0;
#else
    (void)argc;
    (void)argv;
    long n = env_long("PMI_SIZE");
    if (n <= 0) n = env_long("OMPI_COMM_WORLD_SIZE");
    if (n > 1) {
        if (err)
            fprintf(err,
                    "durand: started as one of %ld MPI processes, but this "
                    "durand was built without MPI (DR_MPI=OFF); every process "
                    "would run the whole sweep\n",
                    n);
        return DR_SWEEP_EINPUT;
    }
    return 0;
#endif
}

void dr_sweep_mpi_finalize(dr_sweep_mpi *mpi)
{
#ifdef DR_HAVE_MPI
    if (mpi->active) MPI_Finalize();
#endif
    mpi->active = 0;
}

int dr_sweep_mpi_max(const dr_sweep_mpi *mpi, int status)
{
#ifdef DR_HAVE_MPI
    if (mpi->active && mpi->size > 1) {
        int out = status;
        MPI_Allreduce(&status, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        return out;
    }
#else
    (void)mpi;
#endif
    return status;
}

#ifdef DR_HAVE_MPI

enum { TAG_WORK = 1, TAG_RESULT = 2 };

/* A worker's sink: pack into the reply buffer at slot k. */
typedef struct pack_state {
    double *buf;
    size_t stride; /* doubles per run */
    size_t n_ind, width;
} pack_state;

static void pack_sink(void *arg, size_t k, size_t run, int status, const double *ind,
                      const double *ser)
{
    pack_state *s = arg;
    double *o = s->buf + k * s->stride;
    o[0] = (double)run;
    o[1] = (double)status;
    for (size_t i = 0; i < s->n_ind; i++) o[2 + i] = status == DR_RUN_DONE ? ind[i] : NAN;
    for (size_t i = 0; i < s->width; i++)
        o[2 + s->n_ind + i] = status == DR_RUN_DONE && ser ? ser[i] : NAN;
}

static int worker_loop(const dr_sweep_plan *p, const dr_sweep_model *m)
{
    const size_t n_ind = m->n_indicators;
    const size_t width = p->series ? m->series_width : 0;
    pack_state ps = {NULL, 2 + n_ind + width, n_ind, width};
    uint64_t *batch = NULL;
    size_t *runs = NULL, cap = 0;
    int stop = 0, rc = 0;
    for (;;) {
        MPI_Status st;
        int count = 0;
        MPI_Probe(0, TAG_WORK, MPI_COMM_WORLD, &st);
        MPI_Get_count(&st, MPI_UINT64_T, &count);
        if ((size_t)count > cap) {
            cap = (size_t)count;
            free(batch);
            free(runs);
            free(ps.buf);
            batch = malloc(cap * sizeof *batch);
            runs = malloc(cap * sizeof *runs);
            ps.buf = malloc(cap * ps.stride * sizeof *ps.buf);
            if (!batch || !runs || !ps.buf) MPI_Abort(MPI_COMM_WORLD, 1);
        }
        MPI_Recv(batch, count, MPI_UINT64_T, 0, TAG_WORK, MPI_COMM_WORLD, &st);
        if (count == 0) break;
        for (int i = 0; i < count; i++) runs[i] = (size_t)batch[i];
        rc = compute_runs(p, m, runs, (size_t)count, plan_threads(p), pack_sink, &ps,
                          &stop);
        if (rc) MPI_Abort(MPI_COMM_WORLD, 1);
        MPI_Send(ps.buf, (int)((size_t)count * ps.stride), MPI_DOUBLE, 0, TAG_RESULT,
                 MPI_COMM_WORLD);
    }
    free(batch);
    free(runs);
    free(ps.buf);
    return DR_SWEEP_OK;
}

/* Send worker w the next batch of todo (or an empty stop message). */
static void send_batch(const size_t *todo, size_t n_todo, size_t *next, size_t b, int w,
                       uint64_t *buf)
{
    size_t k = 0;
    while (k < b && *next < n_todo) buf[k++] = (uint64_t)todo[(*next)++];
    MPI_Send(buf, (int)k, MPI_UINT64_T, w, TAG_WORK, MPI_COMM_WORLD);
}

static int master_loop(const dr_sweep_plan *p, const dr_sweep_model *m, master_state *ms,
                       const size_t *todo, size_t n_todo)
{
    const int size = p->mpi.size;
    const size_t n_ind = m->n_indicators;
    const size_t width = p->series ? m->series_width : 0;
    const size_t stride = 2 + n_ind + width;
    const int threads = plan_threads(p);
    size_t b = p->batch;
    if (!b) {
        b = n_todo / ((size_t)size * 32);
        if (b < 1) b = 1;
        if (b > 256) b = 256;
    }
    ms->r->batch = b;
    int *outstanding = calloc((size_t)size, sizeof *outstanding);
    uint64_t *sbuf = malloc(b * sizeof *sbuf);
    double *rbuf = malloc(b * stride * sizeof *rbuf);
    if (!outstanding || !sbuf || !rbuf) MPI_Abort(MPI_COMM_WORLD, 1);
    size_t next = 0;
    int active = 0;
    for (int w = 1; w < size; w++) {
        for (int k = 0; k < 2 && next < n_todo && !ms->stop; k++) {
            send_batch(todo, n_todo, &next, b, w, sbuf);
            outstanding[w]++;
        }
        if (outstanding[w])
            active++;
        else
            send_batch(todo, n_todo, &next, 0, w, sbuf);
    }
    int rc = 0;
    for (;;) {
        int flag = 0;
        MPI_Status st;
        for (;;) {
            MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
            if (!flag && (active == 0 || (next < n_todo && !ms->stop))) break;
            if (!flag) MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
            int count = 0, w = st.MPI_SOURCE;
            MPI_Get_count(&st, MPI_DOUBLE, &count);
            MPI_Recv(rbuf, count, MPI_DOUBLE, w, TAG_RESULT, MPI_COMM_WORLD, &st);
            for (size_t k = 0; k < (size_t)count / stride; k++) {
                const double *o = rbuf + k * stride;
                master_sink(ms, k, (size_t)o[0], (int)o[1], o + 2, o + 2 + n_ind);
            }
            outstanding[w]--;
            if (next < n_todo && !ms->stop) {
                send_batch(todo, n_todo, &next, b, w, sbuf);
                outstanding[w]++;
            } else if (outstanding[w] == 0) {
                send_batch(todo, n_todo, &next, 0, w, sbuf);
                active--;
            }
        }
        if (next < n_todo && !ms->stop) {
            /* The master's own share: one run per thread, then listen. */
            size_t k = (size_t)threads;
            if (k > n_todo - next) k = n_todo - next;
            rc = compute_runs(p, m, todo + next, k, threads, master_sink, ms, &ms->stop);
            next += k;
            if (rc) ms->stop = 1;
            continue;
        }
        if (active == 0) break;
    }
    free(outstanding);
    free(sbuf);
    free(rbuf);
    return rc;
}

#endif /* DR_HAVE_MPI */

/* ---- the runner --------------------------------------------------------------- */

int dr_sweep_run(const dr_sweep_plan *p, const dr_sweep_model *m, dr_sweep_results *r)
{
    assert(p && m && r);
    assert(p->n_replications >= 1 && p->n_shards >= 1 && p->shard < p->n_shards);
    assert(!p->series || (m->eval_series && m->series_width == r->series_width));
    const int master = p->mpi.rank == 0;
    int rc = DR_SWEEP_OK;
    journal j = {.fd = -1};
    size_t *todo = NULL, n_todo = 0;
    master_state ms = {.p = p, .r = r, .j = &j};

    if (master) {
        rc = journal_open(&j, p, r);
        r->threads = plan_threads(p);
        r->n_owned = 0;
        if (!rc) todo = malloc((r->n_runs ? r->n_runs : 1) * sizeof *todo);
        if (!rc && !todo) rc = DR_SWEEP_ENOMEM;
        for (size_t run = 0; !rc && run < r->n_runs; run++) {
            if (!dr_sweep_shard_owns(run, p->shard, p->n_shards)) continue;
            r->n_owned++;
            if (r->status[run] == DR_RUN_MISSING)
                todo[n_todo++] = run;
            else
                ms.done++;
        }
        if (!rc && p->progress && p->progress(ms.done, r->n_owned, p->progress_arg))
            rc = DR_SWEEP_INTERRUPTED;
    }
#ifdef DR_HAVE_MPI
    if (p->mpi.active && p->mpi.size > 1) {
        /* Every rank must agree on the sweep before any work moves. */
        uint64_t id = p->identity;
        MPI_Bcast(&id, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
        int mine = id != p->identity ? DR_SWEEP_EINPUT : rc;
        if (id != p->identity && p->err)
            fprintf(p->err,
                    "durand: rank %d: this rank's sweep differs from rank 0's "
                    "(different arguments or scenario file)\n",
                    p->mpi.rank);
        int all = mine;
        MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        if (all) {
            rc = master ? (rc ? rc : all) : all;
        } else if (master) {
            rc = master_loop(p, m, &ms, todo, n_todo);
            if (!rc) rc = ms.rc;
        } else {
            rc = worker_loop(p, m);
        }
        goto done;
    }
#endif
    if (!rc) {
        rc =
            compute_runs(p, m, todo, n_todo, plan_threads(p), master_sink, &ms, &ms.stop);
        if (!rc) rc = ms.rc;
    }
#ifdef DR_HAVE_MPI
done:
#endif
    if (master) {
        if (journal_close(&j) != 0 && !rc) {
            say(p, "durand: %s: cannot close the sweep journal: %s\n",
                p->journal ? p->journal : "", strerror(errno));
            rc = DR_SWEEP_EIO;
        }
        r->n_failed = 0;
        for (size_t run = 0; run < r->n_runs; run++)
            if (dr_sweep_shard_owns(run, p->shard, p->n_shards) &&
                r->status[run] == DR_RUN_FAILED)
                r->n_failed++;
        if (!rc && ms.done != r->n_owned) rc = DR_SWEEP_INTERRUPTED;
    }
    free(todo);
    return rc;
}

/* ---- the scenario model ----------------------------------------------------- */

static int scenario_run(const dr_scenario_model *sm, const double *x, uint32_t rep,
                        double *ind, double *series)
{
    const size_t np = sm->design ? sm->design->n_params : 0;
    const size_t n = sm->n_overrides + np;
    const char **ov = malloc((n ? n : 1) * sizeof *ov);
    char *buf = malloc((np ? np : 1) * DR_SWEEP_OVERRIDE_MAX);
    dr_scenario *sc = NULL;
    dr_world *w = NULL;
    int rc = -1;
    for (size_t i = 0; i < dr_n_indicators; i++) ind[i] = NAN;
    if (series)
        for (size_t i = 0; i < (size_t)sm->series_days * dr_n_summary_series; i++)
            series[i] = NAN;
    if (!ov || !buf) goto done;
    for (size_t i = 0; i < sm->n_overrides; i++) ov[i] = sm->overrides[i];
    if (np) {
        /* A one-row view of the design at x, so that dr_design_override
         * formats exactly this point. */
        dr_design view = *sm->design;
        view.x = (double *)x;
        view.n_points = 1;
        for (size_t j = 0; j < np; j++) {
            char *o = buf + j * DR_SWEEP_OVERRIDE_MAX;
            dr_design_override(&view, 0, j, o, DR_SWEEP_OVERRIDE_MAX);
            ov[sm->n_overrides + j] = o;
        }
    }
    sc = dr_scenario_load(sm->path, ov, n, NULL);
    if (!sc || (sm->text && strcmp(sc->text, sm->text) != 0)) goto done;
    w = dr_world_create(sc, (uint64_t)sc->meta.seed, rep);
    if (!w) goto done;
    dr_summary s;
    dr_summary_init(&s, &sm->summary, NULL, series, series ? sm->series_days : 0);
    dr_world_set_observer(w, &s.obs);
    if (dr_world_run(w, NULL, NULL) != 0) goto done;
    rc = dr_summary_values(&s, ind);
done:
    dr_world_destroy(w);
    dr_scenario_destroy(sc);
    free(ov);
    free(buf);
    return rc;
}

int dr_scenario_model_eval(void *ctx, const double *x, uint32_t replication,
                           double *indicators)
{
    return scenario_run(ctx, x, replication, indicators, NULL);
}

int dr_scenario_model_eval_series(void *ctx, const double *x, uint32_t replication,
                                  double *indicators, double *series)
{
    return scenario_run(ctx, x, replication, indicators, series);
}
