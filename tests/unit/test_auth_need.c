/* test_auth_need - which SPF and DKIM results can change a verdict (no lookup is made). */
#include <config.h>

#include <string.h>

#include "auth_need.h"
#include "check_main.h"
#include "verdict_fixture.h"

static struct policy *pol;

static void setup(void)
{
    pol = fixture_policy("enforce", "tempfail");
    ck_assert_msg(pol != NULL, "the fixture configuration did not load");
}

static void teardown(void)
{
    policy_unref(pol);
}

static const struct {
    const char *client, *auth, *mail_from, *helo, *from;
    int judged, spf, dkim;
} need_cases[] = {
    /* external, official From, aligned envelope sender: both can align */
    {"198.51.100.7", NULL, "<commissioner@jk.gov.in>", NULL, "commissioner@jk.gov.in", 1, 1, 1},
    /* a subdomain of the same entry aligns */
    {"198.51.100.7", NULL, "<bounce@mail.jk.gov.in>", NULL, "a@it.jk.gov.in", 1, 1, 1},
    /* another official entry: SPF cannot align, DKIM may still */
    {"198.51.100.7", NULL, "<relay@nic.in>", NULL, "commissioner@jk.gov.in", 1, 0, 1},
    {"198.51.100.7", NULL, "<bounce@example.net>", NULL, "commissioner@jk.gov.in", 1, 0, 1},
    /* null sender: the HELO name is the SPF identity */
    {"198.51.100.7", NULL, "<>", "mail.jk.gov.in", "notices@jk.gov.in", 1, 1, 1},
    {"198.51.100.7", NULL, "<>", "mail.example.net", "notices@jk.gov.in", 1, 0, 1},
    {"198.51.100.7", NULL, "<>", NULL, "notices@jk.gov.in", 1, 0, 1},
    /* never judged: internal, authenticated, no official From */
    {"10.1.2.3", NULL, "<commissioner@jk.gov.in>", NULL, "commissioner@jk.gov.in", 0, 0, 0},
    {"::ffff:10.1.2.3", NULL, "<commissioner@jk.gov.in>", NULL, "commissioner@jk.gov.in", 0, 0, 0},
    {"198.51.100.7", "someone", "<commissioner@jk.gov.in>", NULL, "commissioner@jk.gov.in", 0, 0,
     0},
    {"198.51.100.7", NULL, "<commissioner@jk.gov.in>", NULL, "ram@gmail.com", 0, 0, 0},
    {"198.51.100.7", NULL, "<commissioner@jk.gov.in>", NULL, "someone@evil-jk.gov.in", 0, 0, 0},
    {NULL, NULL, "<commissioner@jk.gov.in>", NULL, "commissioner@jk.gov.in", 0, 0, 0},
};

START_TEST(need_table)
{
    const char *rcpts[] = {"<accounts@jk.gov.in>"};
    struct header h = {"From", need_cases[_i].from};
    struct message_facts f = {.mail_from = need_cases[_i].mail_from,
                              .rcpts = rcpts,
                              .nrcpts = 1,
                              .client_ip = need_cases[_i].client,
                              .helo = need_cases[_i].helo,
                              .smtp_auth_user = need_cases[_i].auth,
                              .headers = &h,
                              .nheaders = 1};
    struct message m;
    struct auth_need n;

    ck_assert_int_eq(message_parse(pol, &f, &m), 0);
    auth_need_find(pol, &f, &m, &n);
    ck_assert_msg(n.judged == need_cases[_i].judged && n.spf == need_cases[_i].spf &&
                      n.dkim == need_cases[_i].dkim,
                  "case %d (%s from %s): got judged=%d spf=%d dkim=%d, want %d %d %d", _i,
                  need_cases[_i].mail_from, need_cases[_i].client ? need_cases[_i].client : "local",
                  n.judged, n.spf, n.dkim, need_cases[_i].judged, need_cases[_i].spf,
                  need_cases[_i].dkim);
    /* auth_need_client() says in advance what message_parse() decides. */
    ck_assert_int_eq(auth_need_client(pol, f.client_ip, f.smtp_auth_user),
                     !m.internal && !m.smtp_auth);
    message_clear(&m);
}
END_TEST

static const struct {
    const char *from, *d;
    int want;
} dkim_cases[] = {
    {"commissioner@jk.gov.in", "jk.gov.in", 1},
    {"commissioner@jk.gov.in", "JK.Gov.In.", 1},
    {"commissioner@jk.gov.in", "mail.jk.gov.in", 1},
    {"a@it.jk.gov.in", "jk.gov.in", 1},
    {"commissioner@jk.gov.in", "nic.in", 0},
    {"commissioner@jk.gov.in", "evil-jk.gov.in", 0},
    {"commissioner@jk.gov.in", "jk.gov.in.evil.com", 0},
    {"commissioner@jk.gov.in", "", 0},
    {"commissioner@jk.gov.in", "jk..gov.in", 0},
    {"ram@gmail.com", "gmail.com", 0},
};

START_TEST(dkim_table)
{
    const char *rcpts[] = {"<accounts@jk.gov.in>"};
    struct header h = {"From", dkim_cases[_i].from};
    struct message_facts f = {.mail_from = "<x@example.net>",
                              .rcpts = rcpts,
                              .nrcpts = 1,
                              .client_ip = "198.51.100.7",
                              .headers = &h,
                              .nheaders = 1};
    struct message m;

    ck_assert_int_eq(message_parse(pol, &f, &m), 0);
    int got = auth_need_dkim(pol, &m, dkim_cases[_i].d);
    ck_assert_msg(got == dkim_cases[_i].want, "d=%s for From %s: got %d, want %d", dkim_cases[_i].d,
                  dkim_cases[_i].from, got, dkim_cases[_i].want);
    message_clear(&m);
}
END_TEST

static Suite *auth_need_suite(void)
{
    Suite *s = suite_create("auth_need");
    TCase *tc = tcase_create("need");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, need_table, 0, sizeof(need_cases) / sizeof(need_cases[0]));
    tcase_add_loop_test(tc, dkim_table, 0, sizeof(dkim_cases) / sizeof(dkim_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(auth_need_suite)
