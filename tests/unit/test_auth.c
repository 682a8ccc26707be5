/*
 * test_auth - the SPF and DKIM wrappers without a DNS server: what SPF
 * checks for an envelope, how libspf2's answers are mapped when every
 * lookup fails (a spent deadline sends nothing), and what a DKIM
 * verifier makes of signatures it cannot fetch a key for.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "dkim.h"
#include "dns.h"
#include "spf.h"

static struct timespec spent; /* a deadline already past: no query leaves */

static void setup(void)
{
    char err[256];

    ck_assert_int_eq(dns_start(), 0);
    ck_assert_msg(spf_start(err, sizeof(err)) == 0, "spf_start: %s", err);
    ck_assert_msg(dkim_start(err, sizeof(err)) == 0, "dkim_start: %s", err);
    dns_deadline(&spent, -1);
}

static void teardown(void)
{
    dkim_stop();
    spf_stop();
    dns_stop();
}

static const struct {
    const char *helo, *mail_from, *want; /* want NULL: no identity (result none) */
} id_cases[] = {
    {NULL, "<commissioner@jk.gov.in>", "commissioner@jk.gov.in"},
    {NULL, "commissioner@JK.Gov.In.", "commissioner@jk.gov.in"},
    {NULL, "<@relay.example.net,@b.example:user@example.org>", "user@example.org"},
    /* The domain the policy aligns with, not another reading of the text. */
    {NULL, "<u@jk.gov.in>@evil.example>", "u@jk.gov.in"},
    {NULL, "<\"odd local\"@jk.gov.in>", "postmaster@jk.gov.in"},
    {NULL, "<a..b@jk.gov.in>", "postmaster@jk.gov.in"},
    {NULL, "<x12345678901234567890123456789012345678901234567890123456789012345@jk.gov.in>",
     "postmaster@jk.gov.in"},
    {NULL, "<%{l}@jk.gov.in>", "%{l}@jk.gov.in"}, /* atext: kept, expanded as text */
    {"mail.jk.gov.in", "<>", "postmaster@mail.jk.gov.in"},
    {"mail.jk.gov.in", "", "postmaster@mail.jk.gov.in"},
    {"[192.0.2.1]", "<>", NULL},
    {NULL, "<>", NULL},
    {"localhost", "<>", NULL},
    {NULL, "<user@localhost>", NULL},
    {NULL, "<user@[192.0.2.1]>", NULL},
    {NULL, "<user@jk..gov.in>", NULL},
    {NULL, "<user@bad_domain\\\\x.in>", NULL},
    {NULL, "<user>", NULL},
    {NULL,
     "<user@b\xc3\xbc"
     "cher.example>",
     "user@xn--bcher-kva.example"},
};

START_TEST(identity_table)
{
    char out[400];
    int rc = spf_identity(id_cases[_i].helo, id_cases[_i].mail_from, out, sizeof(out));

    if (id_cases[_i].want == NULL)
        ck_assert_msg(rc < 0, "%s: got identity %s, want none", id_cases[_i].mail_from, out);
    else
        ck_assert_msg(rc == 0 && strcmp(out, id_cases[_i].want) == 0, "%s: got %s, want %s",
                      id_cases[_i].mail_from, rc == 0 ? out : "(none)", id_cases[_i].want);
}
END_TEST

static const struct {
    const char *ip, *helo, *mail_from;
    enum auth_result want;
} check_cases[] = {
    /* every lookup fails: libspf2's "invalid" + DNS error is a temperror */
    {"192.0.2.1", "mail.example.net", "<commissioner@jk.gov.in>", AUTH_TEMPERROR},
    {"2001:db8::1", NULL, "<commissioner@jk.gov.in>", AUTH_TEMPERROR},
    {"::ffff:192.0.2.1", NULL, "<>", AUTH_NONE},
    /* libspf2 passes loopback clients without a lookup (SPEC 5a) */
    {"127.0.0.1", NULL, "<commissioner@jk.gov.in>", AUTH_PASS},
    /* nothing to check: none, without asking libspf2 */
    {"192.0.2.1", NULL, "<user@localhost>", AUTH_NONE},
    {"not-an-ip", NULL, "<commissioner@jk.gov.in>", AUTH_NONE},
    {NULL, NULL, "<commissioner@jk.gov.in>", AUTH_NONE},
    {"192.0.2.1", "[192.0.2.1]", "<>", AUTH_NONE},
};

START_TEST(check_table)
{
    char why[512];
    enum auth_result got = spf_check(check_cases[_i].ip, check_cases[_i].helo,
                                     check_cases[_i].mail_from, &spent, why, sizeof(why));

    ck_assert_msg(got == check_cases[_i].want, "case %d (%s): got %s, want %s (%s)", _i,
                  check_cases[_i].mail_from, auth_result_name(got),
                  auth_result_name(check_cases[_i].want), why);
}
END_TEST

START_TEST(dns_spent_deadline)
{
    unsigned char ans[512];
    char txt[64];
    size_t len = 1;
    int count = 1;

    ck_assert_int_eq(dns_query("jk.gov.in", 16, &spent, ans, sizeof(ans), &len), DNS_TEMPFAIL);
    ck_assert_int_eq((int)len, 0);
    ck_assert_int_eq(dns_txt("jk.gov.in", &spent, txt, sizeof(txt), &count), DNS_TEMPFAIL);
    ck_assert_int_eq(count, 0);
    ck_assert_str_eq(dns_status_name(DNS_NXDOMAIN), "nxdomain");
}
END_TEST

/* want_jk - the filter of a message whose From is under jk.gov.in. */
static int want_jk(void *arg, const char *d)
{
    (void)arg;
    return strcmp(d, "jk.gov.in") == 0;
}

/* verify - FIELDS (name, value pairs, NULL-ended) and BODY through a verifier; its eoh answer. */
static int verify(const char *const *fields, const char *body, const struct dkim_fact **facts,
                  size_t *n)
{
    struct dkim_verifier *v = dkim_verifier_new("unit", want_jk, NULL);
    int rc;

    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; fields[i] != NULL; i += 2)
        ck_assert_int_eq(dkim_verifier_header(v, fields[i], fields[i + 1]), 0);
    rc = dkim_verifier_eoh(v);
    if (rc > 0)
        ck_assert_int_ge(dkim_verifier_body(v, body, strlen(body)), 0);
    *n = 0;
    if (rc > 0)
        ck_assert_int_eq(dkim_verifier_finish(v, &spent, facts, n), 0);
    /* facts point into the verifier: read them before it goes */
    static struct dkim_fact copy[DKIM_MAX_SIGNATURES];
    static char domains[DKIM_MAX_SIGNATURES][DOMAIN_MAX];
    for (size_t i = 0; i < *n; i++) {
        snprintf(domains[i], sizeof(domains[i]), "%s", (*facts)[i].domain);
        copy[i] = (struct dkim_fact){domains[i], (*facts)[i].result};
    }
    *facts = copy;
    dkim_verifier_free(v);
    return rc;
}

#define SIG(d)                                                                                     \
    " v=1; a=rsa-sha256; c=relaxed/relaxed; d=" d "; s=sel1;\n\th=From:Subject;"                   \
    " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n\tb=dGVzdA=="

START_TEST(dkim_no_key_reachable)
{
    const char *fields[] = {"DKIM-Signature", SIG("jk.gov.in"), "From", " a@jk.gov.in",
                            "Subject",        " test",          NULL};
    const struct dkim_fact *facts;
    size_t n;

    ck_assert_int_eq(verify(fields, "hello\r\n", &facts, &n), 1);
    ck_assert_msg(n == 1 && strcmp(facts[0].domain, "jk.gov.in") == 0 &&
                      facts[0].result == AUTH_TEMPERROR,
                  "got %zu results, first %s %s, want jk.gov.in temperror", n,
                  n ? facts[0].domain : "-", n ? auth_result_name(facts[0].result) : "-");
}
END_TEST

START_TEST(dkim_unwanted_not_verified)
{
    const char *fields[] = {"DKIM-Signature", SIG("nic.in"), "From", " a@jk.gov.in", NULL};
    const struct dkim_fact *facts;
    size_t n;

    ck_assert_int_eq(verify(fields, "hello\r\n", &facts, &n), 0);
    ck_assert_int_eq((int)n, 0);
}
END_TEST

START_TEST(dkim_unsigned)
{
    const char *fields[] = {"From", " a@jk.gov.in", "Subject", " no signature", NULL};
    const struct dkim_fact *facts;
    size_t n;

    ck_assert_int_eq(verify(fields, "hello\r\n", &facts, &n), 0);
    ck_assert_int_eq((int)n, 0);
}
END_TEST

START_TEST(dkim_malformed_is_permerror)
{
    const char *fields[] = {"DKIM-Signature", " v=1; d=jk.gov.in; s=; b=;;;", "From",
                            " a@jk.gov.in", NULL};
    const struct dkim_fact *facts;
    size_t n;
    int rc = verify(fields, "hello\r\n", &facts, &n);

    /* libopendkim keeps a handle for it (BADSIGHANDLES): verified, one result for jk.gov.in,
     * a permerror - never a pass, never a temperror, never nothing */
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(n == 1 && strcmp(facts[0].domain, "jk.gov.in") == 0 &&
                      facts[0].result == AUTH_PERMERROR,
                  "got %zu results, first %s %s, want jk.gov.in permerror", n,
                  n ? facts[0].domain : "-", n ? auth_result_name(facts[0].result) : "-");
}
END_TEST

static Suite *auth_suite(void)
{
    Suite *s = suite_create("auth");
    TCase *tc = tcase_create("spf");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, identity_table, 0, sizeof(id_cases) / sizeof(id_cases[0]));
    tcase_add_loop_test(tc, check_table, 0, sizeof(check_cases) / sizeof(check_cases[0]));
    tcase_add_test(tc, dns_spent_deadline);
    suite_add_tcase(s, tc);
    tc = tcase_create("dkim");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, dkim_no_key_reachable);
    tcase_add_test(tc, dkim_unwanted_not_verified);
    tcase_add_test(tc, dkim_unsigned);
    tcase_add_test(tc, dkim_malformed_is_permerror);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(auth_suite)
