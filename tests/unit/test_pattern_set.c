/*
 * test_pattern_set - department patterns indexed by a required literal and
 * markers combined give exactly the answers of trying them one by one,
 * errors included (a failing marker is still named by its file:line).
 */
#include <config.h>

#include <string.h>

#include "check_main.h"
#include "config_load.h"
#include "identity.h"
#include "pattern_set.h"

static void quiet(void *arg, enum config_severity sev, const char *msg)
{
    (void)arg;
    (void)sev;
    (void)msg;
}

/* Patterns of every shape: prefix, suffix, both, neither, alternations, nested departments. */
static const char depts_conf[] =
    "official_domains = [ \"jk.gov.in\" ]; webmail_domains = [ ];\n"
    "departments = (\n"
    "  { name = \"D0\"; patterns = [ \"^it-[a-z]+@jk\\\\.gov\\\\.in$\" ]; },\n"
    "  { name = \"D1\"; patterns = [ \"^it-ops@\", \"[a-z]+\\\\.fin@jk\\\\.gov\\\\.in$\" ]; },\n"
    "  { name = \"D2\"; patterns = [ \"^(hr|it)-[0-9]+@\" ]; },\n"
    "  { name = \"D3\"; patterns = [ \"audit\" ]; },\n"
    "  { name = \"D4\"; patterns = [ \"^it\", \"x+@jk\\\\.gov\\\\.in$\" ]; },\n"
    "  { name = \"D5\"; patterns = [ \"@health\\\\.jk\\\\.gov\\\\.in$\", \"^ab?c@\" ]; },\n"
    "  { name = \"D6\"; patterns = [ \"^(?i)CAPS@\", \"\\\\d+@jk\\\\.gov\\\\.in$\" ]; }\n"
    ");\n";

static const char *const addresses[] = {
    "it-abc@jk.gov.in",
    "it-ops@jk.gov.in",
    "it-42@jk.gov.in",
    "a.fin@jk.gov.in",
    "hr-7@jk.gov.in",
    "internal-audit@jk.in",
    "itx@jk.gov.in",
    "xx@jk.gov.in",
    "x@health.jk.gov.in",
    "ac@jk.gov.in",
    "abc@jk.gov.in",
    "caps@jk.gov.in",
    "12@jk.gov.in",
    "nobody@jk.gov.in",
    "i@jk.gov.in",
    "",
    "it",
    "it-@jk.gov.in",
    "fin@jk.gov.in",
    "a.fin@jk.gov.in.x",
    "a.fin@jk.gov.in\n",
    "x@health.jk.gov.in\n",
};

/* slow_department - the one-by-one answer: every pattern of every department in file order. */
static int slow_department(const struct policy *p, const char *norm, int *dept)
{
    for (size_t i = 0; i < p->ndepartments; i++)
        for (size_t j = 0; j < p->departments[i].npatterns; j++) {
            int rc = policy_pattern_match(&p->departments[i].patterns[j], norm, strlen(norm));
            if (rc != 0) {
                *dept = (int)i;
                return rc;
            }
        }
    return 0;
}

START_TEST(departments_same_as_one_by_one)
{
    struct policy *p = config_load_string(depts_conf, "depts.conf", 0, quiet, NULL);
    ck_assert_msg(p != NULL, "the configuration did not load");
    ck_assert_msg(p->sets != NULL, "no pattern sets were built");
    for (size_t i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++) {
        int want_dept = -1, got_dept = -1;
        int want = slow_department(p, addresses[i], &want_dept);
        int got = pattern_set_department(p, addresses[i], strlen(addresses[i]), &got_dept);
        ck_assert_msg(got == want && (want == 0 || got_dept == want_dept),
                      "%s: got %d (department %d), want %d (department %d)", addresses[i], got,
                      got_dept, want, want_dept);
    }
    policy_unref(p);
}
END_TEST

static const struct {
    const char *address;
    int dept;
} dept_cases[] = {
    {"it-abc@jk.gov.in", 0},  {"it-ops@jk.gov.in", 0}, {"a.fin@jk.gov.in", 1},
    {"it-42@jk.gov.in", 2},   {"hr-7@jk.gov.in", 2},   {"internal-audit@jk.in", 3},
    {"itx@jk.gov.in", 4},     {"xx@jk.gov.in", 4},     {"x@health.jk.gov.in", 5},
    {"ac@jk.gov.in", 5},      {"caps@jk.gov.in", 6},   {"12@jk.gov.in", 6},
    {"nobody@jk.gov.in", -1},
};

START_TEST(departments_table)
{
    struct policy *p = config_load_string(depts_conf, "depts.conf", 0, quiet, NULL);
    int dept = -1;
    const char *a = dept_cases[_i].address;

    ck_assert_msg(p != NULL, "the configuration did not load");
    int rc = pattern_set_department(p, a, strlen(a), &dept);
    ck_assert_msg(rc == (dept_cases[_i].dept >= 0) && (rc == 0 || dept == dept_cases[_i].dept),
                  "%s: got %d (department %d), want department %d", a, rc, dept,
                  dept_cases[_i].dept);
    policy_unref(p);
}
END_TEST

static const char markers_conf[] = "official_domains = [ \"jk.gov.in\" ]; webmail_domains = [ ];\n"
                                   "official_markers = [\n"
                                   "  \"(?i)\\\\b(secretary|director)\\\\b\",\n"
                                   "  \"^Govt\\\\.? order\",\n"
                                   "  \"^(?:(a+)+c|a+d)@x\",\n"
                                   "  \"commissioner$\"\n"
                                   "];\n";

static const struct {
    const char *text;
    int want;
} marker_cases[] =
    {
        {"Deputy SECRETARY", 1},
        {"Govt order 12", 1},
        {"see Govt order", 0},
        {"Director", 1},
        {"the commissioner", 1},
        {"commissioner office", 0},
        {"Ram Kumar", 0},
        {"", 0},
        {"aaad@x", 1},
        {"secretaryship", 0},
        {"\xff\xfe secretary", 0}, /* not UTF-8: no marker matches */
};

START_TEST(markers_combined_table)
{
    struct policy *p = config_load_string(markers_conf, "markers.conf", 0, quiet, NULL);
    const char *t = marker_cases[_i].text;

    ck_assert_msg(p != NULL, "the configuration did not load");
    ck_assert_msg(pattern_set_combined(p), "the markers were not combined");
    int got = pattern_set_any_marker(p, t, strlen(t));
    ck_assert_msg(got == marker_cases[_i].want, "\"%s\": got %d, want %d", t, got,
                  marker_cases[_i].want);
    policy_unref(p);
}
END_TEST

/* A marker that ends in a match-limit error: -1, never "no match", and it is the one named. */
START_TEST(markers_error_names_the_marker)
{
    struct policy *p = config_load_string(markers_conf, "markers.conf", 0, quiet, NULL);
    char text[64], why[512];

    ck_assert_msg(p != NULL, "the configuration did not load");
    memset(text, 'a', 40);
    strcpy(text + 40, "d@x");
    policy_pattern_failure_reset();
    int got = pattern_set_any_marker(p, text, strlen(text));
    ck_assert_msg(got == -1, "a marker hitting the match limit: got %d, want -1", got);
    ck_assert_msg(policy_pattern_failure(why, sizeof(why)) == 1, "no failure was remembered");
    ck_assert_msg(strstr(why, "\"^(?:(a+)+c|a+d)@x\" (markers.conf:5)") != NULL,
                  "the failure names the marker and its line: got \"%s\"", why);
    /* A match elsewhere in the text still counts: the error does not hide it. */
    strcpy(text + 40, "d@x Secretary");
    ck_assert_int_eq(pattern_set_any_marker(p, text, strlen(text)), 1);
    policy_unref(p);
}
END_TEST

START_TEST(markers_not_combined_when_meaning_changes)
{
    static const char conf[] = "official_domains = [ \"jk.gov.in\" ]; webmail_domains = [ ];\n"
                               "official_markers = [ \"(secy)\", \"(\\\\w)\\\\1\" ];\n";
    struct policy *p = config_load_string(conf, "backref.conf", 0, quiet, NULL);

    ck_assert_msg(p != NULL, "the configuration did not load");
    ck_assert_msg(!pattern_set_combined(p), "a marker with a back reference was combined");
    ck_assert_int_eq(pattern_set_any_marker(p, "xx", 2), 1);
    ck_assert_int_eq(pattern_set_any_marker(p, "xy", 2), 0);
    ck_assert_int_eq(pattern_set_any_marker(p, "secy", 4), 1);
    policy_unref(p);
}
END_TEST

/* A department pattern that fails before the one that would match: -1, as one by one. */
START_TEST(department_error_before_match)
{
    static const char conf[] =
        "official_domains = [ \"jk.gov.in\" ]; webmail_domains = [ ];\n"
        "departments = (\n"
        "  { name = \"P\"; patterns = [ \"^(?:(a+)+c|a+d)@jk\\\\.gov\\\\.in$\" ]; },\n"
        "  { name = \"Q\"; patterns = [ \"^a+d@jk\\\\.gov\\\\.in$\" ]; }\n"
        ");\n";
    struct policy *p = config_load_string(conf, "err.conf", 0, quiet, NULL);
    char a[80], why[512];
    int dept = -1;

    ck_assert_msg(p != NULL, "the configuration did not load");
    memset(a, 'a', 40);
    strcpy(a + 40, "e@jk.gov.in");
    policy_pattern_failure_reset();
    ck_assert_int_eq(pattern_set_department(p, a, strlen(a), &dept), -1);
    ck_assert_int_eq(policy_pattern_failure(why, sizeof(why)), 1);
    ck_assert_msg(strstr(why, "(err.conf:3)") != NULL, "got \"%s\"", why);
    policy_unref(p);
}
END_TEST

static Suite *pattern_set_suite(void)
{
    Suite *s = suite_create("pattern_set");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, departments_same_as_one_by_one);
    tcase_add_loop_test(tc, departments_table, 0, sizeof(dept_cases) / sizeof(dept_cases[0]));
    tcase_add_loop_test(tc, markers_combined_table, 0,
                        sizeof(marker_cases) / sizeof(marker_cases[0]));
    tcase_add_test(tc, markers_error_names_the_marker);
    tcase_add_test(tc, markers_not_combined_when_meaning_changes);
    tcase_add_test(tc, department_error_before_match);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(pattern_set_suite)
