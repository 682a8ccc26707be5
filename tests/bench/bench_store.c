/*
 * bench_store - violation records committed per second into SQLite.
 *
 * Usage: bench_store DIR [RECORDS] [THREADS]
 * THREADS threads (default 32: the milter runs a thread per SMTP session,
 * and Postfix runs up to 100 smtpd processes) each hand one
 * message's record to the writer and wait until it is committed, as the
 * milter does before answering end of message; the writer groups what
 * is queued into one transaction. RECORDS in all (default 20,000),
 * stopped after 30 s whatever the count. For comparison the same records
 * are then written one transaction each from one thread (no group
 * commit), for at most 10 s. Prints records per second of both and the
 * SPEC target (5,000 a second). A benchmark: it prints figures.
 */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "store.h"
#include "writer.h"

struct bench {
    struct writer *w;
    long records;
    double deadline;
    pthread_mutex_t lock;
    long next, failed;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void quiet(int prio, const char *msg)
{
    if (prio <= LOG_ERR)
        fprintf(stderr, "%s\n", msg);
}

/* bench_record - a realistic record number K (fields owned). */
static int bench_record(struct record *r, long k)
{
    char qid[32], addr[64];
    const char *v[RF_COUNT] = {"2026-11-30T10:00:00Z",
                               qid,
                               "<load@jk.gov.in>",
                               "official-to-webmail",
                               "",
                               "reject",
                               "reject",
                               "enforce",
                               "",
                               "Information Technology",
                               "secy-it@jk.gov.in",
                               "secy-it@jk.gov.in",
                               addr,
                               "x@gmail.com,y@jk.gov.in,z@it.jk.gov.in",
                               "10.0.0.5",
                               "mail.jk.gov.in",
                               "",
                               "pass",
                               "",
                               "Tender documents for the data centre",
                               "mx1"};

    snprintf(qid, sizeof(qid), "B%08lX", k);
    snprintf(addr, sizeof(addr), "contractor%ld@gmail.com", k);
    memset(r, 0, sizeof(*r));
    for (int i = 0; i < RF_COUNT; i++)
        if ((r->f[i] = strdup(v[i])) == NULL)
            return -1;
    return 0;
}

/* bench_thread - one record a message, waiting for its commit. */
static void *bench_thread(void *arg)
{
    struct bench *b = arg;

    for (;;) {
        pthread_mutex_lock(&b->lock);
        long k = b->next < b->records && now_s() < b->deadline ? b->next++ : -1;
        pthread_mutex_unlock(&b->lock);
        if (k < 0)
            break;
        struct record *r = calloc(1, sizeof(*r));
        if (r == NULL || bench_record(r, k) < 0)
            abort();
        uint64_t t = writer_submit(b->w, r, 1, 1);
        if (t == 0 || writer_wait(b->w, t, 10000) < 0) {
            pthread_mutex_lock(&b->lock);
            b->failed++;
            pthread_mutex_unlock(&b->lock);
        }
    }
    return NULL;
}

/* bench_single - one transaction a record, one thread, bounded. */
static double bench_single(const char *path, long records)
{
    char err[256];
    struct store *s = store_open(path, STORE_WRITE, 1000, err, sizeof(err));
    long n = 0;

    if (s == NULL)
        return 0;
    double t0 = now_s();
    for (; n < records && now_s() - t0 < 10; n++) {
        struct record r;
        if (bench_record(&r, n) < 0 || store_append(s, &r, 1) < 0)
            break;
        record_clear(&r);
    }
    double dt = now_s() - t0;
    store_close(s);
    return n / dt;
}

int main(int argc, char **argv)
{
    char path[4096], err[256];
    struct bench b = {.records = argc > 2 ? atol(argv[2]) : 20000};
    int threads = argc > 3 ? atoi(argv[3]) : 32;

    if (argc < 2 || threads < 1 || threads > 256) {
        fprintf(stderr, "usage: bench_store DIR [RECORDS] [THREADS]\n");
        return 2;
    }
    snprintf(path, sizeof(path), "%s/bench-group.db", argv[1]);
    pthread_mutex_init(&b.lock, NULL);
    if ((b.w = writer_new(path, quiet, err, sizeof(err))) == NULL) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    pthread_t *t = calloc((size_t)threads, sizeof(*t));
    double t0 = now_s();
    b.deadline = t0 + 30;
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, bench_thread, &b);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    double dt = now_s() - t0;
    long committed = (long)writer_committed(b.w);
    writer_free(b.w, 10000);
    double group = committed / dt;
    snprintf(path, sizeof(path), "%s/bench-single.db", argv[1]);
    double single = bench_single(path, b.records);
    printf("store: group commit, %d threads waiting for their commit: %ld records in %.2f s: "
           "%.0f records/s (%ld failed)\n",
           threads, committed, dt, group, b.failed);
    printf("store: one transaction a record, one thread: %.0f records/s\n", single);
    printf("store: group commit is %.1fx; SPEC target 5000 records/s: %s (%.2fx)\n",
           single > 0 ? group / single : 0, group >= 5000 ? "met" : "MISSED", group / 5000);
    free(t);
    return b.failed == 0 ? 0 : 1;
}
