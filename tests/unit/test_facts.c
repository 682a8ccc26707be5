/*
 * test_facts - the facts builder: what is kept, and the limits that make
 * a message one that cannot be judged (SPEC 5b).
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "facts.h"
#include "verdict.h"
#include "verdict_fixture.h"

static struct policy *pol;

static void setup(void)
{
    pol = fixture_policy("enforce", "tempfail");
    ck_assert_ptr_nonnull(pol);
    pol->max_recipients = 3;
    pol->max_header_fields = 4;
}

static void teardown(void)
{
    policy_unref(pol);
}

START_TEST(recipients_past_the_limit)
{
    struct facts f;
    const char *want[] = {"<a@x.example>", "<b@x.example>", "<c@x.example>"};

    facts_init(&f, pol);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(facts_add_rcpt(&f, want[i]), 0);
    ck_assert_int_eq(facts_add_rcpt(&f, "<d@x.example>"), 1);
    ck_assert_uint_eq(f.nrcpts, 3);
    ck_assert_str_eq(f.rcpts[2], "<c@x.example>");
    facts_clear(&f);
    ck_assert_uint_eq(f.max_rcpts, 3); /* the limits survive a clear */
    facts_clear(&f);
}
END_TEST

static const struct {
    const char *name; /* of the case */
    const char *fields[8][2];
    const char *limit; /* NULL: under every limit */
    size_t kept;
} field_cases[] = {
    {"what the rules do not read is neither kept nor counted",
     {{"Received", "x"},
      {"X-Mailer", "y"},
      {"To", "a@b"},
      {"Cc", "c@d"},
      {"Date", "now"},
      {"From", "a@jk.gov.in"}},
     NULL,
     1},
    {"only the first Content-Type and Message-ID",
     {{"Content-Type", "multipart/report"},
      {"Content-Type", "text/plain"},
      {"Message-ID", "<1@x>"},
      {"Message-ID", "<2@x>"}},
     NULL,
     1},
    {"four fields that matter are under the limit",
     {{"Subject", "1"}, {"Subject", "2"}, {"Sender", "s@x"}, {"From", "a@jk.gov.in"}},
     NULL,
     4},
    {"a fifth is over it, whatever it is",
     {{"Subject", "1"},
      {"Subject", "2"},
      {"Reply-To", "r@x"},
      {"Mail-Followup-To", "m@x"},
      {"from", "a@jk.gov.in"}},
     "more than 4 From, Sender, Reply-To, Mail-Followup-To and Subject fields",
     4},
};

START_TEST(field_limits)
{
    struct facts f;
    struct message_facts view = {0};

    facts_init(&f, pol);
    for (int i = 0; field_cases[_i].fields[i][0] != NULL; i++)
        ck_assert_int_eq(
            facts_add_header(&f, field_cases[_i].fields[i][0], field_cases[_i].fields[i][1]), 0);
    facts_view(&f, &view);
    ck_assert_msg(field_cases[_i].limit == NULL
                      ? view.limit == NULL
                      : view.limit != NULL && strcmp(view.limit, field_cases[_i].limit) == 0,
                  "%s: got limit %s, want %s", field_cases[_i].name,
                  view.limit ? view.limit : "(none)",
                  field_cases[_i].limit ? field_cases[_i].limit : "(none)");
    ck_assert_msg(view.nheaders == field_cases[_i].kept, "%s: got %zu kept, want %zu",
                  field_cases[_i].name, view.nheaders, field_cases[_i].kept);
    facts_clear(&f);
}
END_TEST

START_TEST(long_field)
{
    static char big[FACTS_MAX_FIELD_BYTES + 2];
    struct facts f;

    memset(big, 'a', sizeof(big) - 1);
    facts_init(&f, pol);
    ck_assert_int_eq(facts_add_header(&f, "X-Big", big), 0); /* not read by the rules */
    ck_assert(!facts_over_limit(&f));
    ck_assert_int_eq(facts_add_header(&f, "Subject", big), 0);
    ck_assert(facts_over_limit(&f));
    ck_assert_msg(strstr(f.limit, "a Subject field of 65537 bytes") != NULL, "got %s", f.limit);
    facts_clear(&f);
}
END_TEST

/* The verdict of facts over a limit: per on_internal_error, never judged. */
START_TEST(limit_is_not_judged)
{
    struct facts f;
    struct message_facts view = {.client_ip = "127.0.0.1", .now = 1800000000};
    struct verdict v;

    facts_init(&f, pol);
    ck_assert_int_eq(facts_set_sender(&f, "<clerk@outside.example>", NULL), 0);
    ck_assert_int_eq(facts_add_rcpt(&f, "<x@gmail.com>"), 0);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(facts_add_header(&f, "Subject", "padding"), 0);
    ck_assert_int_eq(facts_add_header(&f, "From", "secy-it@jk.gov.in"), 0);
    facts_view(&f, &view);
    ck_assert_int_eq(verdict_judge(pol, &view, &v), 0);
    ck_assert_int_eq(v.action, ACTION_TEMPFAIL);
    ck_assert_ptr_nonnull(v.error);
    ck_assert_uint_eq(v.nrcpts, 1);
    ck_assert_int_eq(v.rcpts[0].action, ACTION_TEMPFAIL);
    ck_assert_uint_eq(v.nv, 0);
    verdict_clear(&v);
    facts_clear(&f);
}
END_TEST

static Suite *facts_suite(void)
{
    Suite *s = suite_create("facts");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, recipients_past_the_limit);
    tcase_add_loop_test(tc, field_limits, 0, sizeof(field_cases) / sizeof(field_cases[0]));
    tcase_add_test(tc, long_field);
    tcase_add_test(tc, limit_is_not_judged);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(facts_suite)
