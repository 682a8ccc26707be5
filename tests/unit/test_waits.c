/*
 * test_waits - the milter's bounded waits (the drain at shutdown, a
 * session waiting for its records) run on the monotonic clock: a step of
 * the wall clock, an hour forward or back, neither stretches nor cuts
 * them. The step is made by this file's clock_gettime(), which the code
 * under test calls instead of the C library's (the executable's own
 * definition comes first); the kernel's waits are not faked.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "holder.h"
#include "writer.h"

static long realtime_step; /* seconds added to CLOCK_REALTIME */

/* clock_gettime - the system's clock, CLOCK_REALTIME stepped by realtime_step. */
int clock_gettime(clockid_t id, struct timespec *ts)
{
    int rc = (int)syscall(SYS_clock_gettime, id, ts);

    if (rc == 0 && id == CLOCK_REALTIME)
        ts->tv_sec += realtime_step;
    return rc;
}

/* elapsed - seconds on the monotonic clock since T0. */
static double elapsed(const struct timespec *t0)
{
    struct timespec t;

    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* drain_for - holder_drain(1) with one message in flight and the wall clock stepped by STEP. */
static void drain_for(long step)
{
    struct timespec t0;

    ck_assert_int_eq(holder_init(NULL, "officialmail.conf"), 0);
    holder_message_begin();
    realtime_step = step;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t0);
    int left = holder_drain(1);
    double s = elapsed(&t0);
    realtime_step = 0;
    ck_assert_int_eq(left, 1);
    ck_assert_msg(s >= 0.9 && s < 2.5, "clock stepped %+ld s: the drain took %.2f s, want 1 s",
                  step, s);
    holder_message_end();
    holder_shutdown();
}

START_TEST(drain_clock_forward)
{
    drain_for(3600);
}
END_TEST

START_TEST(drain_clock_back)
{
    drain_for(-3600);
}
END_TEST

/* quiet - the writer's messages are expected here (its log cannot open). */
static void quiet(int priority, const char *msg)
{
    (void)priority;
    (void)msg;
}

/* wait_for - writer_wait(1000 ms) on a log that cannot be written, the wall clock stepped by STEP.
 */
static void wait_for(long step)
{
    char dir[64], file[96], db[128], err[256];
    struct timespec t0;

    snprintf(dir, sizeof(dir), "/tmp/test_waits.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    /* The database's directory is a file: it never opens. */
    snprintf(file, sizeof(file), "%s/file", dir);
    FILE *fp = fopen(file, "w");
    ck_assert_ptr_nonnull(fp);
    fclose(fp);
    snprintf(db, sizeof(db), "%s/log.db", file);
    struct writer *w = writer_new(db, quiet, err, sizeof(err));
    ck_assert_ptr_nonnull(w);
    struct record *recs = calloc(1, sizeof(*recs));
    ck_assert_ptr_nonnull(recs);
    uint64_t ticket = writer_submit(w, recs, 1, 1);
    ck_assert_uint_ne(ticket, 0);
    realtime_step = step;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t0);
    int rc = writer_wait(w, ticket, 1000);
    double s = elapsed(&t0);
    realtime_step = 0;
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(s >= 0.9 && s < 2.5,
                  "clock stepped %+ld s: the wait took %.2f s, want its timeout, 1 s", step, s);
    writer_free(w, 0);
    unlink(file);
    rmdir(dir);
}

START_TEST(writer_clock_forward)
{
    wait_for(3600);
}
END_TEST

START_TEST(writer_clock_back)
{
    wait_for(-3600);
}
END_TEST

static Suite *waits_suite(void)
{
    Suite *s = suite_create("waits");
    TCase *tc = tcase_create("monotonic");

    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, drain_clock_forward);
    tcase_add_test(tc, drain_clock_back);
    tcase_add_test(tc, writer_clock_forward);
    tcase_add_test(tc, writer_clock_back);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(waits_suite)
