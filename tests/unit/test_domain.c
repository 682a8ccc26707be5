/* test_domain - normalisation (case, dot, IDNA) and label-boundary tests. */
#include <config.h>

#include <string.h>

#include "check_main.h"
#include "domain.h"

static const struct {
    const char *in;
    const char *want; /* NULL: invalid */
} norm_cases[] = {
    {"jk.gov.in", "jk.gov.in"},
    {"GMAIL.COM.", "gmail.com"},
    {"Gmail.Com", "gmail.com"},
    {"gmail.com..", NULL},
    {"a..b", NULL},
    {".jk.gov.in", NULL},
    {"", NULL},
    {".", NULL},
    {"my_host.jk.gov.in", "my_host.jk.gov.in"},
    {"münchen.de", "xn--mnchen-3ya.de"},
    {"MÜNCHEN.DE", "xn--mnchen-3ya.de"},
    {"xn--mnchen-3ya.de", "xn--mnchen-3ya.de"},
    {"XN--MNCHEN-3YA.DE.", "xn--mnchen-3ya.de"},
    {"faß.de", "xn--fa-hia.de"}, /* non-transitional: ß stays ß */
    {"xn--zz-.de", NULL},        /* not a valid A-label */
    {"bad domain.com", NULL},
    {"[192.0.2.1]", NULL},
    {"a\xff.com", NULL},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", NULL}, /* 64 */
    {"localhost", "localhost"},
    {"x-y.example.org", "x-y.example.org"},
};

START_TEST(normalize_table)
{
    char out[DOMAIN_MAX];
    const char *in = norm_cases[_i].in, *want = norm_cases[_i].want;
    int rc = domain_normalize(in, strlen(in), out);

    if (want == NULL)
        ck_assert_msg(rc < 0, "domain_normalize(%s): got %s, want invalid", in, out);
    else
        ck_assert_msg(rc == 0 && strcmp(out, want) == 0, "domain_normalize(%s): got %s, want %s",
                      in, rc == 0 ? out : "invalid", want);
}
END_TEST

static const struct {
    const char *d, *parent;
    int want;
} under_cases[] = {
    {"jk.gov.in", "jk.gov.in", 1},          {"x.jk.gov.in", "jk.gov.in", 1},
    {"a.b.jk.gov.in", "jk.gov.in", 1},      {"evil-jk.gov.in", "jk.gov.in", 0},
    {"jk.gov.in.evil.com", "jk.gov.in", 0}, {"gov.in", "jk.gov.in", 0},
    {"notjk.gov.in", "jk.gov.in", 0},       {"in", "jk.gov.in", 0},
};

START_TEST(under_table)
{
    int got = domain_is_under(under_cases[_i].d, under_cases[_i].parent);

    ck_assert_msg(got == under_cases[_i].want, "domain_is_under(%s, %s): got %d, want %d",
                  under_cases[_i].d, under_cases[_i].parent, got, under_cases[_i].want);
}
END_TEST

START_TEST(parent_walk)
{
    const char *d = "a.b.c";

    ck_assert_str_eq(domain_parent(d), "b.c");
    ck_assert_str_eq(domain_parent(domain_parent(d)), "c");
    ck_assert_ptr_null(domain_parent("c"));
}
END_TEST

static Suite *domain_suite(void)
{
    Suite *s = suite_create("domain");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, normalize_table, 0, sizeof(norm_cases) / sizeof(norm_cases[0]));
    tcase_add_loop_test(tc, under_table, 0, sizeof(under_cases) / sizeof(under_cases[0]));
    tcase_add_test(tc, parent_walk);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(domain_suite)
