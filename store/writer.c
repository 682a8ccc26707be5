/*
 * writer - queue, writer thread and group commit.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "store.h"
#include "writer.h"

/* Pauses between attempts while the database cannot be written. */
#define RETRY_FIRST_MS 50
#define RETRY_MAX_MS 1000
/* How long one attempt waits for a lock held by another process. */
#define BUSY_MS 1000

struct batch {
    struct batch *next;
    uint64_t ticket;
    struct record *recs;
    size_t n;
    int withdrawn; /* its waiter gave up: drop it if this attempt fails */
};

struct writer {
    pthread_mutex_t lock;
    /* Held by whoever runs a transaction: the writer thread, or a waiting
       session that found nobody committing and commits the queue itself
       (no hand-over to another thread when the log is not busy). */
    pthread_mutex_t commit_lock;
    pthread_cond_t work;      /* something queued, or stopping */
    pthread_cond_t committed; /* committed_ticket moved */
    struct batch *head, *tail;
    struct batch *inflight; /* the list a transaction is writing now */
    uint64_t next_ticket;
    uint64_t committed_ticket; /* every ticket up to it is committed or withdrawn */
    uint64_t records;
    int stopping;
    int failing; /* the last attempt failed */
    char *path;
    struct store *store;
    writer_log_fn log;
    writer_record_fn on_commit;   /* may be NULL */
    writer_attempt_fn on_attempt; /* may be NULL */
    pthread_t thread;
};

/* writer_log - format and hand to the caller's log function. */
static void writer_log(struct writer *w, int prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void writer_log(struct writer *w, int prio, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    w->log(prio, msg);
}

/* writer_batch_free - the records and the batch. */
static void writer_batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        record_clear(&b->recs[i]);
    free(b->recs);
    free(b);
}

/* writer_gather - all queued records in one array (shallow copies). */
static struct record *writer_gather(struct batch *list, size_t *n)
{
    size_t total = 0, k = 0;
    struct record *all;

    for (struct batch *b = list; b != NULL; b = b->next)
        total += b->n;
    if ((all = malloc((total ? total : 1) * sizeof(*all))) == NULL)
        return NULL;
    for (struct batch *b = list; b != NULL; b = b->next) {
        memcpy(all + k, b->recs, b->n * sizeof(*all));
        k += b->n;
    }
    *n = total;
    return all;
}

/* writer_commit - one transaction for LIST; 0 committed, -1 not. */
static int writer_commit(struct writer *w, struct batch *list)
{
    char err[512];
    size_t n;
    struct record *all;

    if (w->store == NULL &&
        (w->store = store_open(w->path, STORE_WRITE, BUSY_MS, err, sizeof(err))) == NULL) {
        if (!w->failing)
            writer_log(w, LOG_ERR, "violation log %s cannot be opened: %s", w->path, err);
        return -1;
    }
    if ((all = writer_gather(list, &n)) == NULL)
        return -1;
    int rc = store_append(w->store, all, n);
    if (rc == 0) {
        /* Ids and hashes were set on the copies: give them back. */
        size_t k = 0;
        for (struct batch *b = list; b != NULL; b = b->next)
            for (size_t i = 0; i < b->n; i++)
                b->recs[i] = all[k++];
    } else {
        if (!w->failing)
            writer_log(w, LOG_ERR,
                       "violation log %s cannot be written: %s; mail is answered "
                       "per on_internal_error until it can",
                       w->path, store_error(w->store));
        /* A fresh connection next time: the old one may hold a broken state. */
        store_close(w->store);
        w->store = NULL;
    }
    free(all);
    return rc;
}

/* writer_sleep_ms - a pause between attempts. */
static void writer_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* writer_requeue - LIST back in front of what was queued meanwhile (behind it: TO_TAIL). */
static void writer_requeue(struct writer *w, struct batch *list, int to_tail)
{
    struct batch *keep = NULL, **end = &keep;

    /* A withdrawn batch was answered 451: its message will be retried. */
    while (list != NULL) {
        struct batch *next = list->next;
        if (list->withdrawn) {
            writer_batch_free(list);
        } else {
            *end = list;
            end = &list->next;
        }
        list = next;
    }
    if (keep == NULL)
        return;
    struct batch *last = (struct batch *)((char *)end - offsetof(struct batch, next));
    if (to_tail && w->head != NULL) {
        w->tail->next = keep;
        w->tail = last;
        return;
    }
    *end = w->head;
    if (w->head == NULL)
        w->tail = last;
    w->head = keep;
}

/* writer_done - LIST committed (lock held): account, wake the waiters, free. */
static void writer_done(struct writer *w, struct batch *list)
{
    w->failing = 0;
    while (list != NULL) {
        struct batch *next = list->next;
        if (list->ticket > w->committed_ticket)
            w->committed_ticket = list->ticket;
        w->records += list->n;
        writer_batch_free(list);
        list = next;
    }
    pthread_cond_broadcast(&w->committed);
}

/*
 * writer_round - commit everything queued now (commit_lock held): 1 when
 * something was committed, 0 when the queue was empty, -1 on failure
 * (the batches are back in the queue and the writer thread retries them).
 */
static int writer_round(struct writer *w)
{
    pthread_mutex_lock(&w->lock);
    struct batch *list = w->head;
    /* After a failed attempt, one batch a round, and a failing one goes
       behind the others: a batch that fails every time (a record the log
       refuses, memory for a large backlog) holds back only itself. */
    int alone = w->failing && list != NULL;
    if (alone) {
        if ((w->head = list->next) == NULL)
            w->tail = NULL;
        list->next = NULL;
    } else {
        w->head = w->tail = NULL;
    }
    w->inflight = list;
    pthread_mutex_unlock(&w->lock);
    if (list == NULL)
        return 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = writer_commit(w, list);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (w->on_attempt != NULL)
        w->on_attempt((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                      rc == 0);
    /* Outside the lock: the list is this round's until writer_done() frees it. */
    for (struct batch *b = list; rc == 0 && w->on_commit != NULL && b != NULL; b = b->next)
        for (size_t i = 0; i < b->n; i++)
            w->on_commit(&b->recs[i]);
    pthread_mutex_lock(&w->lock);
    w->inflight = NULL;
    int recovered = rc == 0 && w->failing;
    if (rc == 0) {
        writer_done(w, list);
    } else {
        w->failing = 1;
        writer_requeue(w, list, alone);
        pthread_cond_signal(&w->work);
        /* Waiters that gave up on a batch of this attempt learn its fate. */
        pthread_cond_broadcast(&w->committed);
    }
    pthread_mutex_unlock(&w->lock);
    /* Logged outside the lock: the log may be slow, and sessions queue meanwhile. */
    if (recovered)
        writer_log(w, LOG_NOTICE, "violation log %s is written again", w->path);
    return rc == 0 ? 1 : -1;
}

/* writer_main - commit what waiting sessions left; retry with a growing pause. */
static void *writer_main(void *arg)
{
    struct writer *w = arg;
    int pause = RETRY_FIRST_MS;

    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->head == NULL && !w->stopping)
            pthread_cond_wait(&w->work, &w->lock);
        if (w->head == NULL || (w->stopping > 1 && w->failing))
            break;
        pthread_mutex_unlock(&w->lock);
        pthread_mutex_lock(&w->commit_lock);
        int rc = writer_round(w);
        pthread_mutex_unlock(&w->commit_lock);
        if (rc < 0) {
            writer_sleep_ms(pause);
            pause = pause * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : pause * 2;
        } else {
            pause = RETRY_FIRST_MS;
        }
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* writer_cond_init - C waits on the monotonic clock: a clock step cannot stretch or cut a wait. */
static int writer_cond_init(pthread_cond_t *c)
{
    pthread_condattr_t attr;
    int rc;

    if (pthread_condattr_init(&attr) != 0)
        return -1;
    rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 && pthread_cond_init(c, &attr) == 0
             ? 0
             : -1;
    pthread_condattr_destroy(&attr);
    return rc;
}

/* writer_new - open the database and start the thread. */
struct writer *writer_new(const char *path, writer_log_fn log, char *err, size_t errlen)
{
    struct writer *w = calloc(1, sizeof(*w));

    if (w == NULL || (w->path = strdup(path)) == NULL) {
        snprintf(err, errlen, "out of memory");
        free(w);
        return NULL;
    }
    w->log = log;
    w->next_ticket = 1;
    pthread_mutex_init(&w->lock, NULL);
    pthread_mutex_init(&w->commit_lock, NULL);
    if (writer_cond_init(&w->work) < 0 || writer_cond_init(&w->committed) < 0) {
        snprintf(err, errlen, "cannot set up the writer's condition variables");
        free(w->path);
        free(w);
        return NULL;
    }
    store_sqlite_setup(); /* before the first open; no other thread is running yet */
    /* An unwritable database is not fatal: the writer keeps trying, and
       mail is answered per on_internal_error meanwhile. */
    if ((w->store = store_open(path, STORE_WRITE, BUSY_MS, err, errlen)) == NULL) {
        writer_log(w, LOG_ERR, "violation log %s cannot be opened: %s", path, err);
        w->failing = 1;
    }
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        snprintf(err, errlen, "cannot start the writer thread");
        store_close(w->store);
        free(w->path);
        free(w);
        return NULL;
    }
    return w;
}

/* writer_on_commit - the per-record hook after commit. */
void writer_on_commit(struct writer *w, writer_record_fn fn)
{
    pthread_mutex_lock(&w->lock);
    w->on_commit = fn;
    pthread_mutex_unlock(&w->lock);
}

/* writer_on_attempt - the per-attempt hook. */
void writer_on_attempt(struct writer *w, writer_attempt_fn fn)
{
    pthread_mutex_lock(&w->lock);
    w->on_attempt = fn;
    pthread_mutex_unlock(&w->lock);
}

/* writer_status - walk the queue (short: it is committed as a group). */
void writer_status(struct writer *w, size_t *depth, int *failing)
{
    size_t n = 0;

    pthread_mutex_lock(&w->lock);
    for (struct batch *b = w->head; b != NULL; b = b->next)
        n += b->n;
    for (struct batch *b = w->inflight; b != NULL; b = b->next)
        n += b->n;
    *failing = w->failing;
    pthread_mutex_unlock(&w->lock);
    *depth = n;
}

/* writer_submit - queue a message's records; wake the thread unless the caller will wait. */
uint64_t writer_submit(struct writer *w, struct record *recs, size_t n, int will_wait)
{
    struct batch *b = calloc(1, sizeof(*b));

    if (b == NULL) {
        for (size_t i = 0; i < n; i++)
            record_clear(&recs[i]);
        free(recs);
        return 0;
    }
    b->recs = recs;
    b->n = n;
    pthread_mutex_lock(&w->lock);
    /* Read under the lock: once it is released the writer may free B. */
    uint64_t ticket = b->ticket = w->next_ticket++;
    if (w->tail != NULL)
        w->tail->next = b;
    else
        w->head = b;
    w->tail = b;
    if (!will_wait)
        pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    return ticket;
}

/* writer_withdraw - take TICKET out of the queue if it is still there. */
static void writer_withdraw(struct writer *w, uint64_t ticket)
{
    struct batch **pp = &w->head, *prev = NULL;

    for (; *pp != NULL; prev = *pp, pp = &(*pp)->next) {
        if ((*pp)->ticket != ticket)
            continue;
        struct batch *b = *pp;
        *pp = b->next;
        if (w->tail == b)
            w->tail = prev;
        writer_batch_free(b);
        return;
    }
}

/*
 * writer_lead - nobody is committing: commit the queue in this thread
 * (two rounds at most, so that a busy log does not keep one session from
 * its reply). Someone is: leave the queue to the writer thread.
 */
static void writer_lead(struct writer *w, uint64_t ticket)
{
    pthread_mutex_lock(&w->lock);
    int failing = w->failing;
    pthread_mutex_unlock(&w->lock);
    /* While the log fails, the thread retries with its pauses; a session
       must not spend its timeout inside a failing attempt. */
    if (failing || pthread_mutex_trylock(&w->commit_lock) != 0) {
        pthread_mutex_lock(&w->lock);
        pthread_cond_signal(&w->work);
        pthread_mutex_unlock(&w->lock);
        return;
    }
    for (int round = 0; round < 2; round++) {
        if (writer_round(w) <= 0)
            break;
        pthread_mutex_lock(&w->lock);
        int done = w->committed_ticket >= ticket;
        pthread_mutex_unlock(&w->lock);
        if (done)
            break;
    }
    pthread_mutex_unlock(&w->commit_lock);
    /* What was queued meanwhile goes to the writer thread. */
    pthread_mutex_lock(&w->lock);
    if (w->head != NULL)
        pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
}

/* writer_in - 1 when TICKET is one of LIST's batches (marked withdrawn). */
static int writer_in(struct batch *list, uint64_t ticket)
{
    for (; list != NULL; list = list->next)
        if (list->ticket == ticket) {
            list->withdrawn = 1;
            return 1;
        }
    return 0;
}

/*
 * writer_give_up - the wait for TICKET timed out (lock held): a batch
 * still queued is withdrawn (-1); one inside a transaction now is marked
 * withdrawn and that attempt's outcome decides, so that a message is
 * never answered 451 while its records are committed.
 */
static int writer_give_up(struct writer *w, uint64_t ticket)
{
    if (!writer_in(w->inflight, ticket)) {
        writer_withdraw(w, ticket);
        return w->committed_ticket >= ticket ? 0 : -1;
    }
    while (w->inflight != NULL && writer_in(w->inflight, ticket) && w->committed_ticket < ticket)
        pthread_cond_wait(&w->committed, &w->lock);
    return w->committed_ticket >= ticket ? 0 : -1;
}

/* writer_wait - until committed, or the timeout. */
int writer_wait(struct writer *w, uint64_t ticket, int timeout_ms)
{
    struct timespec until;
    int rc = 0;

    writer_lead(w, ticket);
    clock_gettime(CLOCK_MONOTONIC, &until); /* the clock of the condition variable */
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->lock);
    while (w->committed_ticket < ticket) {
        if (pthread_cond_timedwait(&w->committed, &w->lock, &until) == ETIMEDOUT &&
            w->committed_ticket < ticket) {
            rc = writer_give_up(w, ticket);
            break;
        }
    }
    pthread_mutex_unlock(&w->lock);
    return rc;
}

/* writer_committed - the count of committed records. */
uint64_t writer_committed(struct writer *w)
{
    uint64_t n;

    pthread_mutex_lock(&w->lock);
    n = w->records;
    pthread_mutex_unlock(&w->lock);
    return n;
}

/* writer_flush - wake the thread and wait (bounded) until nothing is queued. */
void writer_flush(struct writer *w, int timeout_ms)
{
    pthread_mutex_lock(&w->lock);
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    for (int waited = 0; waited < timeout_ms; waited += 50) {
        pthread_mutex_lock(&w->lock);
        int empty = w->head == NULL && w->inflight == NULL && !w->failing;
        pthread_mutex_unlock(&w->lock);
        if (empty)
            break;
        writer_sleep_ms(50);
    }
}

/* writer_free - flush (bounded), stop, close. */
void writer_free(struct writer *w, int timeout_ms)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_mutex_unlock(&w->lock);
    writer_flush(w, timeout_ms);
    pthread_mutex_lock(&w->lock);
    w->stopping = 2;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    size_t lost = 0;
    while (w->head != NULL) {
        struct batch *b = w->head;
        w->head = b->next;
        lost += b->n;
        writer_batch_free(b);
    }
    if (lost > 0)
        writer_log(w, LOG_ERR, "%zu violation records could not be written to %s at exit", lost,
                   w->path);
    store_close(w->store);
    pthread_mutex_destroy(&w->lock);
    pthread_mutex_destroy(&w->commit_lock);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->committed);
    free(w->path);
    free(w);
}
