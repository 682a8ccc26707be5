/* test_domain_set - longest-suffix matching on label boundaries, at scale. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "domain_set.h"

static const struct {
    const char *d;
    const char *want; /* matched entry, NULL: none */
    int value;
} match_cases[] = {
    {"jk.gov.in", "jk.gov.in", 1},
    {"x.jk.gov.in", "jk.gov.in", 1},
    {"it.jk.gov.in", "it.jk.gov.in", 2}, /* the longest entry wins */
    {"a.it.jk.gov.in", "it.jk.gov.in", 2},
    {"evil-jk.gov.in", NULL, 0},
    {"jk.gov.in.evil.com", NULL, 0},
    {"gov.in", NULL, 0},
    {"nic.in", "nic.in", 3},
    {"mail.nic.in", "nic.in", 3},
};

START_TEST(match_table)
{
    struct domain_set *s = domain_set_new();
    int v = 0;

    domain_set_add(s, "jk.gov.in", 1);
    domain_set_add(s, "it.jk.gov.in", 2);
    domain_set_add(s, "nic.in", 3);
    const char *got = domain_set_match(s, match_cases[_i].d, &v);
    if (match_cases[_i].want == NULL)
        ck_assert_msg(got == NULL, "match(%s): got %s, want none", match_cases[_i].d, got);
    else
        ck_assert_msg(got != NULL && strcmp(got, match_cases[_i].want) == 0 &&
                          v == match_cases[_i].value,
                      "match(%s): got %s/%d, want %s/%d", match_cases[_i].d, got ? got : "none", v,
                      match_cases[_i].want, match_cases[_i].value);
    domain_set_free(s);
}
END_TEST

START_TEST(thousands_of_entries)
{
    struct domain_set *s = domain_set_new();
    char d[64];

    for (int i = 0; i < 10000; i++) {
        snprintf(d, sizeof(d), "webmail%d.example", i);
        ck_assert_int_eq(domain_set_add(s, d, i), 1);
    }
    ck_assert_int_eq(domain_set_add(s, "webmail7.example", 99), 0);
    ck_assert_uint_eq(domain_set_count(s), 10000);
    int v = -1;
    ck_assert_ptr_nonnull(domain_set_match(s, "deep.sub.webmail9999.example", &v));
    ck_assert_int_eq(v, 9999);
    ck_assert_ptr_null(domain_set_match(s, "webmail10000.example", NULL));
    ck_assert_int_eq(domain_set_remove(s, "webmail5.example"), 1);
    ck_assert_ptr_null(domain_set_match(s, "x.webmail5.example", NULL));
    ck_assert_int_eq(domain_set_contains(s, "webmail6.example", NULL), 1);
    domain_set_free(s);
}
END_TEST

static Suite *domain_set_suite(void)
{
    Suite *s = suite_create("domain_set");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, match_table, 0, sizeof(match_cases) / sizeof(match_cases[0]));
    tcase_add_test(tc, thousands_of_entries);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(domain_set_suite)
