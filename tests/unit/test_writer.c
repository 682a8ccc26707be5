/*
 * test_writer - the violation log's writer (store/writer.c) on its own:
 * a queue that fills while the log cannot be written (kept, retried,
 * committed in order once it can; a waiter gives up at its timeout and
 * its batch is withdrawn), a commit that fails (nothing reported as
 * committed, no syslog line), and shutdown with records still queued
 * (committed when the log can be written, counted as lost when not).
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "store.h"
#include "writer.h"

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static char logged[8192];
static long long seen_ids[1024];
static size_t nseen;
static char dir[64], db[128];

/* log_fn - keep the writer's messages. */
static void log_fn(int priority, const char *msg)
{
    pthread_mutex_lock(&seen_lock);
    strncat(logged, msg, sizeof(logged) - strlen(logged) - 2);
    strcat(logged, "\n");
    pthread_mutex_unlock(&seen_lock);
    (void)priority;
}

/* committed_fn - the ids told as committed, in order. */
static void committed_fn(const struct record *r)
{
    pthread_mutex_lock(&seen_lock);
    if (nseen < sizeof(seen_ids) / sizeof(seen_ids[0]))
        seen_ids[nseen++] = r->id;
    pthread_mutex_unlock(&seen_lock);
}

/* one - a batch of one record for queue id Q. */
static struct record *one(int q)
{
    struct record *r = calloc(1, sizeof(*r));
    char qid[32];

    ck_assert_ptr_nonnull(r);
    snprintf(qid, sizeof(qid), "Q%d", q);
    for (int i = 0; i < RF_COUNT; i++)
        r->f[i] = strdup(i == RF_QUEUE_ID ? qid : "x");
    return r;
}

/* count - records in the log at DB, verified. */
static long long count(void)
{
    char err[256];
    struct chain_verify_result res;
    struct store *s = store_open(db, STORE_READ, 1000, err, sizeof(err));

    ck_assert_msg(s != NULL, "opening %s: %s", db, err);
    ck_assert_int_eq(store_verify(s, &res), 0);
    store_close(s);
    return res.records;
}

/* setup - a fresh directory name, not created: the log cannot be opened yet. */
static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/test_writer.%ld", (long)getpid());
    snprintf(db, sizeof(db), "%s/violations.db", dir);
    logged[0] = '\0';
    nseen = 0;
}

/* teardown - the directory and the database. */
static void teardown(void)
{
    char path[192];
    const char *ext[] = {"", "-wal", "-shm"};

    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", db, ext[i]);
        unlink(path);
    }
    rmdir(dir);
}

START_TEST(queue_fills_while_failing)
{
    char err[256];
    struct writer *w = writer_new(db, log_fn, err, sizeof(err));
    enum { QUEUED = 300 };

    ck_assert_ptr_nonnull(w);
    writer_on_commit(w, committed_fn);
    for (int i = 1; i <= QUEUED; i++)
        ck_assert_uint_ne(writer_submit(w, one(i), 1, 0), 0);
    /* A session waits: nothing can commit, it gives up in time and its batch goes. */
    uint64_t t = writer_submit(w, one(0), 1, 1);
    ck_assert_int_eq(writer_wait(w, t, 300), -1);
    ck_assert_uint_eq(writer_committed(w), 0);
    ck_assert_uint_eq(nseen, 0);
    ck_assert_msg(strstr(logged, "cannot be opened") != NULL, "logged: %s", logged);
    /* The log can be written again: everything still queued goes, in order. */
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    writer_flush(w, 10000);
    ck_assert_uint_eq(writer_committed(w), QUEUED);
    writer_free(w, 1000);
    ck_assert_msg(strstr(logged, "is written again") != NULL, "logged: %s", logged);
    ck_assert_uint_eq(nseen, QUEUED);
    for (size_t i = 0; i < nseen; i++)
        ck_assert_int_eq(seen_ids[i], (long long)i + 1);
    ck_assert_int_eq(count(), QUEUED);
}
END_TEST

START_TEST(commit_failure)
{
    char err[256];
    struct writer *w;

    /* A file where the database should be is a database that cannot be written. */
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    FILE *fp = fopen(db, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("not a database, but not empty either\n", fp);
    fclose(fp);
    w = writer_new(db, log_fn, err, sizeof(err));
    ck_assert_ptr_nonnull(w);
    writer_on_commit(w, committed_fn);
    uint64_t t = writer_submit(w, one(1), 1, 1);
    ck_assert_int_eq(writer_wait(w, t, 300), -1);
    ck_assert_uint_eq(writer_committed(w), 0);
    ck_assert_uint_eq(nseen, 0); /* no syslog line for a record not committed */
    ck_assert_msg(strstr(logged, "violation log") != NULL, "logged: %s", logged);
    writer_free(w, 200);
}
END_TEST

START_TEST(shutdown_commits_the_queue)
{
    char err[256];
    struct writer *w;

    ck_assert_int_eq(mkdir(dir, 0700), 0);
    w = writer_new(db, log_fn, err, sizeof(err));
    ck_assert_ptr_nonnull(w);
    for (int i = 1; i <= 50; i++)
        ck_assert_uint_ne(writer_submit(w, one(i), 1, 0), 0);
    writer_free(w, 10000);
    ck_assert_int_eq(count(), 50);
    ck_assert_msg(strstr(logged, "could not be written") == NULL, "logged: %s", logged);
}
END_TEST

START_TEST(shutdown_counts_what_is_lost)
{
    char err[256];
    struct writer *w = writer_new(db, log_fn, err, sizeof(err));

    ck_assert_ptr_nonnull(w);
    for (int i = 1; i <= 10; i++)
        ck_assert_uint_ne(writer_submit(w, one(i), 1, 0), 0);
    writer_free(w, 300);
    ck_assert_msg(strstr(logged, "10 violation records could not be written") != NULL, "logged: %s",
                  logged);
}
END_TEST

static Suite *writer_suite(void)
{
    Suite *s = suite_create("writer");
    TCase *tc = tcase_create("writer");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, queue_fills_while_failing);
    tcase_add_test(tc, commit_failure);
    tcase_add_test(tc, shutdown_commits_the_queue);
    tcase_add_test(tc, shutdown_counts_what_is_lost);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(writer_suite)
