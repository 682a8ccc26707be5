/* test_identity - classification, department order, official alignment. */
#include <config.h>

#include <string.h>

#include "check_main.h"
#include "identity.h"
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
    const char *domain;
    enum addr_class want;
} class_cases[] = {
    {"jk.gov.in", ADDR_OFFICIAL},
    {"it.jk.gov.in", ADDR_OFFICIAL},
    {"evil-jk.gov.in", ADDR_EXTERNAL},
    {"jk.gov.in.evil.com", ADDR_EXTERNAL},
    {"gmail.com", ADDR_WEBMAIL},
    {"mx.gmail.com", ADDR_WEBMAIL},
    {"jk.gov.in.gmail.com", ADDR_WEBMAIL},
    {"staff.outlook.com", ADDR_EXTERNAL},
    {"a.staff.outlook.com", ADDR_EXTERNAL},
    {"outlook.com", ADDR_WEBMAIL},
    {"example.org", ADDR_EXTERNAL},
    {"nic.in", ADDR_OFFICIAL},
};

START_TEST(classify_table)
{
    enum addr_class got = identity_classify(pol, class_cases[_i].domain);

    ck_assert_msg(got == class_cases[_i].want, "classify(%s): got %d, want %d",
                  class_cases[_i].domain, got, class_cases[_i].want);
}
END_TEST

static const struct {
    const char *address;
    const char *want;
} dept_cases[] = {
    {"secy-it@jk.gov.in", "Information Technology"},    /* exact address */
    {"it-ops@jk.gov.in", "Information Technology"},     /* pattern */
    {"it-fin@jk.gov.in", "Information Technology"},     /* first matching pattern in file order */
    {"someone@it.jk.gov.in", "Information Technology"}, /* domain */
    {"a@x.kpdcl.jk.gov.in", "Power Development"},
    {"a@audit.fin.jk.gov.in", "Audit"}, /* the longest domain entry */
    {"a@fin.jk.gov.in", "Finance"},
    {"a@jk.gov.in", "unassigned"}, /* default_department */
    {"a@nic.in", "unassigned"},
};

START_TEST(department_table)
{
    const char *a = dept_cases[_i].address;
    const char *d = strchr(a, '@') + 1;
    int dept = -2;

    ck_assert_int_eq(identity_department(pol, a, d, &dept), 0);
    const char *got = identity_department_name(pol, dept);

    ck_assert_msg(strcmp(got, dept_cases[_i].want) == 0, "department(%s): got %s, want %s", a, got,
                  dept_cases[_i].want);
}
END_TEST

static const struct {
    const char *a, *b;
    int want;
} align_cases[] = {
    {"jk.gov.in", "jk.gov.in", 1},
    {"it.jk.gov.in", "jk.gov.in", 1},
    {"mail.jk.gov.in", "it.jk.gov.in", 1},
    {"jk.gov.in", "nic.in", 0},
    {"it.nic.in", "nic.in", 1},
    {"nic.in", "it.nic.in", 1},
    {"jk.gov.in", "gmail.com", 0},
};

START_TEST(same_official_table)
{
    int got = identity_same_official(pol, align_cases[_i].a, align_cases[_i].b);

    ck_assert_msg(got == align_cases[_i].want, "same_official(%s, %s): got %d, want %d",
                  align_cases[_i].a, align_cases[_i].b, got, align_cases[_i].want);
}
END_TEST

START_TEST(private_owner_first_department)
{
    int got = identity_private_owner(pol, "secyit.home@gmail.com");

    ck_assert_msg(got == 0, "private owner: got %d, want 0 (the first department listing it)", got);
    ck_assert_int_eq(identity_private_owner(pol, "fin.boss@yahoo.co.in"), 2);
    ck_assert_int_eq(identity_private_owner(pol, "nobody@gmail.com"), -1);
}
END_TEST

static Suite *identity_suite(void)
{
    Suite *s = suite_create("identity");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, classify_table, 0, sizeof(class_cases) / sizeof(class_cases[0]));
    tcase_add_loop_test(tc, department_table, 0, sizeof(dept_cases) / sizeof(dept_cases[0]));
    tcase_add_loop_test(tc, same_official_table, 0, sizeof(align_cases) / sizeof(align_cases[0]));
    tcase_add_test(tc, private_owner_first_department);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(identity_suite)
