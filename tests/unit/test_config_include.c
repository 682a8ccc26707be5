/*
 * test_config_include - @include (SPEC 5b): an absolute name is that
 * file, a relative one is relative to the directory of the file that
 * includes it, whatever the working directory; messages keep the file
 * and line the user wrote. The files are made at run time in a fresh
 * directory, so that absolute paths are real ones.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "config_load.h"
#include "policy.h"

static char dir[] = "/tmp/om-include-XXXXXX";
static char msgs[8192];
static int nerrors;

/* collect - every message on its own line in MSGS. */
static void collect(void *arg, enum config_severity sev, const char *msg)
{
    size_t o = strlen(msgs);

    (void)arg;
    nerrors += sev == CONFIG_ERROR;
    snprintf(msgs + o, sizeof(msgs) - o, "%s\n", msg);
}

/* put - write FILE (a path under DIR) with the text FMT... */
static void put(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(const char *file, const char *fmt, ...)
{
    char path[512];
    va_list ap;
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    ck_assert_ptr_nonnull(fp = fopen(path, "w"));
    va_start(ap, fmt);
    vfprintf(fp, fmt, ap);
    va_end(ap);
    ck_assert_int_eq(fclose(fp), 0);
}

/* load - the policy of DIR/FILE (NULL after errors); messages in MSGS. */
static struct policy *load(const char *file)
{
    char path[512];

    msgs[0] = '\0';
    nerrors = 0;
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    return config_load(path, 0, collect, NULL);
}

#define BASE "official_domains = [ \"jk.gov.in\" ];\nwebmail_domains = [ ];\n"

static void setup(void)
{
    char sub[512];

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
}

static void teardown(void)
{
    char cmd[600];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/om-include-XXXXXX");
}

START_TEST(absolute_name)
{
    struct policy *p;

    put("abs.inc", "default_department = \"from the absolute include\";\n");
    put("main.conf", BASE "@include \"%s/abs.inc\"\n", dir);
    p = load("main.conf");
    ck_assert_msg(p != NULL, "got %s", msgs);
    ck_assert_str_eq(p->default_department, "from the absolute include");
    policy_unref(p);
}
END_TEST

/* sub/a.inc includes "b.inc": sub/b.inc, not the b.inc beside the main file. */
START_TEST(relative_to_the_including_file)
{
    struct policy *p;

    put("b.inc", "default_department = \"wrong: the main file's directory\";\n");
    put("sub/b.inc", "default_department = \"right: beside sub/a.inc\";\n");
    put("sub/a.inc", "# nested\n@include \"b.inc\"\n");
    put("main.conf", BASE "@include \"sub/a.inc\"\n");
    ck_assert_int_eq(chdir("/"), 0); /* the daemon's working directory */
    p = load("main.conf");
    ck_assert_msg(p != NULL, "got %s", msgs);
    ck_assert_str_eq(p->default_department, "right: beside sub/a.inc");
    policy_unref(p);
}
END_TEST

/* Errors name the file and line as written, before, in and after an include. */
START_TEST(lines_kept)
{
    char want[1024];

    put("sub/b.inc", "# one\nmode = \"sometimes\";\n");
    put("sub/a.inc", "\n@include \"b.inc\"\non_dns_error = \"maybe\";\n");
    put("main.conf", BASE "@include \"sub/a.inc\"\nsubject_logging = \"all\";\n");
    ck_assert_ptr_null(load("main.conf"));
    snprintf(want, sizeof(want), "%s/sub/b.inc:2: mode:", dir);
    ck_assert_msg(strstr(msgs, want) != NULL, "got %s, want %s", msgs, want);
    snprintf(want, sizeof(want), "%s/sub/a.inc:3: on_dns_error:", dir);
    ck_assert_msg(strstr(msgs, want) != NULL, "got %s, want %s", msgs, want);
    snprintf(want, sizeof(want), "%s/main.conf:4: subject_logging:", dir);
    ck_assert_msg(strstr(msgs, want) != NULL, "got %s, want %s", msgs, want);
    ck_assert_int_eq(nerrors, 3);
}
END_TEST

START_TEST(syntax_error_in_include)
{
    char want[600];

    put("sub/a.inc", "mode = \"monitor\";\n\nsocket = ;\n");
    put("main.conf", BASE "@include \"sub/a.inc\"\n");
    ck_assert_ptr_null(load("main.conf"));
    snprintf(want, sizeof(want), "%s/sub/a.inc:3: syntax error", dir);
    ck_assert_msg(strstr(msgs, want) != NULL, "got %s, want %s", msgs, want);
}
END_TEST

START_TEST(missing_and_too_deep)
{
    char want[600];

    put("main.conf", BASE "\n@include \"nothing-here.inc\"\n");
    ck_assert_ptr_null(load("main.conf"));
    snprintf(want, sizeof(want),
             "%s/main.conf:4: cannot open include file %s/nothing-here.inc: No such file", dir,
             dir);
    ck_assert_msg(strstr(msgs, want) != NULL, "got %s, want %s", msgs, want);
    put("self.inc", "@include \"self.inc\"\n");
    put("main.conf", BASE "@include \"self.inc\"\n");
    ck_assert_ptr_null(load("main.conf"));
    ck_assert_msg(strstr(msgs, "include file nesting too deep") != NULL, "got %s", msgs);
    put("main.conf", BASE "@include \"%s/sub\"\n", dir);
    ck_assert_ptr_null(load("main.conf"));
    ck_assert_msg(strstr(msgs, "Is a directory") != NULL, "got %s", msgs);
}
END_TEST

/* Only where libconfig sees one: at the start of a line, outside comments and strings. */
START_TEST(not_an_include)
{
    struct policy *p;

    put("main.conf",
        BASE "# @include \"missing-1\"\n/* a comment\n@include \"missing-2\"\n*/\n"
             "official_markers = [ \"a \\\" pattern\n@include \\\"missing-3\\\"\" ];\n");
    p = load("main.conf");
    ck_assert_msg(p != NULL, "got %s", msgs);
    ck_assert_uint_eq(p->nmarkers, 1);
    policy_unref(p);
}
END_TEST

static Suite *include_suite(void)
{
    Suite *s = suite_create("config_include");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, absolute_name);
    tcase_add_test(tc, relative_to_the_including_file);
    tcase_add_test(tc, lines_kept);
    tcase_add_test(tc, syntax_error_in_include);
    tcase_add_test(tc, missing_and_too_deep);
    tcase_add_test(tc, not_an_include);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(include_suite)
