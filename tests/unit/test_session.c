/* test_session - the console's sessions (idle expiry, tokens) and users file and rate limit. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "check_main.h"
#include "session.h"

static const char *const it[] = {"Information Technology"};

START_TEST(create_lookup)
{
    struct sessions *ss = sessions_new(4, 60);
    struct session a, b, got;

    ck_assert_int_eq(session_create(ss, "alice", ROLE_COMPLIANCE, NULL, 0, 100, &a), 0);
    ck_assert_int_eq(session_create(ss, "bob", ROLE_DEPARTMENT, it, 1, 100, &b), 0);
    ck_assert_uint_eq(strlen(a.id), 64);
    ck_assert_str_ne(a.id, b.id);
    ck_assert_str_ne(a.id, a.csrf);
    ck_assert_int_eq(session_lookup(ss, b.id, 130, &got), 1);
    ck_assert_str_eq(got.user, "bob");
    ck_assert_int_eq(got.role, ROLE_DEPARTMENT);
    ck_assert_uint_eq(got.ndepts, 1);
    ck_assert_str_eq(got.depts[0], "Information Technology");
    ck_assert_str_eq(got.csrf, b.csrf);
    session_clear(&got);
    /* An unknown id, a prefix of a real one, and a CSRF token are not sessions. */
    ck_assert_int_eq(session_lookup(ss, "0000", 130, &got), 0);
    ck_assert_int_eq(session_lookup(ss, a.csrf, 130, &got), 0);
    char cut[65];
    snprintf(cut, sizeof(cut), "%.63s", a.id);
    ck_assert_int_eq(session_lookup(ss, cut, 130, &got), 0);
    session_clear(&a);
    session_clear(&b);
    sessions_free(ss);
}
END_TEST

START_TEST(idle_expiry)
{
    struct sessions *ss = sessions_new(4, 60);
    struct session a, got;

    ck_assert_int_eq(session_create(ss, "alice", ROLE_COMPLIANCE, NULL, 0, 1000, &a), 0);
    /* Each use restarts the idle time. */
    ck_assert_int_eq(session_lookup(ss, a.id, 1050, &got), 1);
    session_clear(&got);
    ck_assert_int_eq(session_lookup(ss, a.id, 1110, &got), 1);
    session_clear(&got);
    /* 61 s unused: gone, and gone for good. */
    ck_assert_int_eq(session_lookup(ss, a.id, 1171, &got), 0);
    ck_assert_int_eq(session_lookup(ss, a.id, 1172, &got), 0);
    session_clear(&a);
    sessions_free(ss);
}
END_TEST

START_TEST(destroy_and_room)
{
    struct sessions *ss = sessions_new(2, 600);
    struct session a, b, c, got;

    session_create(ss, "a", ROLE_COMPLIANCE, NULL, 0, 10, &a);
    session_create(ss, "b", ROLE_COMPLIANCE, NULL, 0, 20, &b);
    session_destroy(ss, b.id);
    ck_assert_int_eq(session_lookup(ss, b.id, 21, &got), 0);
    session_clear(&b);
    session_create(ss, "b2", ROLE_COMPLIANCE, NULL, 0, 30, &b);
    /* Full: the session idle longest (a, last used at 10) makes room. */
    session_create(ss, "c", ROLE_COMPLIANCE, NULL, 0, 40, &c);
    ck_assert_int_eq(session_lookup(ss, a.id, 41, &got), 0);
    ck_assert_int_eq(session_lookup(ss, c.id, 41, &got), 1);
    session_clear(&got);
    ck_assert_int_eq(session_lookup(ss, b.id, 41, &got), 1);
    session_clear(&got);
    session_clear(&a);
    session_clear(&b);
    session_clear(&c);
    sessions_free(ss);
}
END_TEST

START_TEST(token_eq)
{
    ck_assert_int_eq(session_token_eq("abc", "abc"), 1);
    ck_assert_int_eq(session_token_eq("abc", "abd"), 0);
    ck_assert_int_eq(session_token_eq("abc", "abcd"), 0);
    ck_assert_int_eq(session_token_eq("", ""), 0);
}
END_TEST

START_TEST(users_file)
{
    char path[] = "/tmp/test_session_usersXXXXXX", err[256];
    int fd = mkstemp(path);
    struct user u = {0}, got;
    char *depts[] = {"Health, \"HFW\": 100%", "Tourism"};

    ck_assert_int_ge(fd, 0);
    close(fd);
    u.name = "bob";
    u.role = ROLE_DEPARTMENT;
    u.depts = depts;
    u.ndepts = 2;
    u.hash = auth_hash("s3cret", err, sizeof(err));
    ck_assert_ptr_nonnull(u.hash);
    ck_assert_int_eq(strncmp(u.hash, "$y$", 3), 0);
    ck_assert_int_eq(users_set(path, &u, err, sizeof(err)), 0);
    free(u.hash);
    ck_assert_int_eq(users_login(path, "bob", "s3cret", &got, err, sizeof(err)), 1);
    ck_assert_uint_eq(got.ndepts, 2);
    ck_assert_str_eq(got.depts[0], "Health, \"HFW\": 100%");
    ck_assert_str_eq(got.depts[1], "Tourism");
    user_clear(&got);
    ck_assert_int_eq(users_login(path, "bob", "wrong", &got, err, sizeof(err)), 0);
    ck_assert_int_eq(users_login(path, "nobody", "s3cret", &got, err, sizeof(err)), 0);
    ck_assert_int_eq(users_login(path, "bo", "s3cret", &got, err, sizeof(err)), 0);
    unlink(path);
}
END_TEST

static const struct {
    const char *line;
    int ok;
} parse_cases[] = {
    {"a:$y$x:compliance", 1},     {"a:$y$x:department:IT", 1},  {"a:$y$x:department", 0},
    {"a:$y$x:compliance:IT", 0},  {"a:$y$x:root", 0},           {"a b:$y$x:compliance", 0},
    {"a:plain:compliance", 0},    {"a:$y$x:department:%zz", 0}, {"a:$y$x:department:IT,,HR", 0},
    {"a:$y$x:department:IT,", 0},
};

START_TEST(parse)
{
    struct user u;
    int rc = user_parse(parse_cases[_i].line, &u);

    ck_assert_msg((rc == 0) == parse_cases[_i].ok, "%s: got %d", parse_cases[_i].line, rc);
    if (rc == 0)
        user_clear(&u);
}
END_TEST

START_TEST(rate_limit)
{
    struct ratelimit *rl = ratelimit_new();

    for (int i = 0; i < AUTH_MAX_FAILURES; i++) {
        ck_assert_int_eq(ratelimit_blocked(rl, "user:x", 100 + i), 0);
        ratelimit_fail(rl, "user:x", 100 + i);
    }
    ck_assert_int_eq(ratelimit_blocked(rl, "user:x", 110), 1);
    ck_assert_int_eq(ratelimit_blocked(rl, "user:y", 110), 0);
    /* The window passes. */
    ck_assert_int_eq(ratelimit_blocked(rl, "user:x", 100 + AUTH_WINDOW), 0);
    ratelimit_fail(rl, "user:y", 200);
    ratelimit_clear(rl, "user:y");
    ck_assert_int_eq(ratelimit_blocked(rl, "user:y", 201), 0);
    ratelimit_free(rl);
}
END_TEST

static Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, create_lookup);
    tcase_add_test(tc, idle_expiry);
    tcase_add_test(tc, destroy_and_room);
    tcase_add_test(tc, token_eq);
    tcase_add_test(tc, users_file);
    tcase_add_loop_test(tc, parse, 0, sizeof(parse_cases) / sizeof(parse_cases[0]));
    tcase_add_test(tc, rate_limit);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(session_suite)
