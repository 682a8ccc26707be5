/* test_message_file - header section splitting as an MTA does it. */
#include <config.h>

#include <string.h>

#include "check_main.h"
#include "message_file.h"

struct want {
    const char *name, *value;
};

static const struct {
    const char *text;
    size_t nwant;
    struct want want[4];
} cases[] = {
    {"From: a@b\r\nTo: c@d\r\n\r\nbody", 2, {{"From", " a@b"}, {"To", " c@d"}}},
    {"From: a@b\nSubject: one\n two\n\nbody: not a header\n",
     2,
     {{"From", " a@b"}, {"Subject", " one\n two"}}},
    {"Subject: x\r\n\tfolded\r\n", 1, {{"Subject", " x\r\n\tfolded"}}},
    {"", 0, {{0}}},
    {"\r\n", 0, {{0}}},
    {"From sender@example Mon Jan 1 00:00:00 2026\nFrom: a@b\n", 1, {{"From", " a@b"}}},
    {"From: a@b\nthis line is not a field\nTo: c@d\n", 1, {{"From", " a@b"}}},
    {"X-Empty:\nFrom:a@b", 2, {{"X-Empty", ""}, {"From", "a@b"}}},
    {" leading continuation\nFrom: a@b\n", 0, {{0}}},
    {"Bad Name: x\nFrom: a@b\n", 0, {{0}}},
    {"From: a\0b@c\n", 1, {{"From", " a b@c"}}},
};

START_TEST(split_table)
{
    struct message_file mf;
    size_t len = _i == 10 ? 12 : strlen(cases[_i].text);

    ck_assert_int_eq(message_file_parse(cases[_i].text, len, &mf), 0);
    ck_assert_msg(mf.nfields == cases[_i].nwant, "case %d: got %zu fields, want %zu", _i,
                  mf.nfields, cases[_i].nwant);
    for (size_t i = 0; i < mf.nfields; i++) {
        ck_assert_msg(strcmp(mf.fields[i].name, cases[_i].want[i].name) == 0,
                      "case %d field %zu: got name '%s', want '%s'", _i, i, mf.fields[i].name,
                      cases[_i].want[i].name);
        ck_assert_msg(strcmp(mf.fields[i].value, cases[_i].want[i].value) == 0,
                      "case %d field %zu: got value '%s', want '%s'", _i, i, mf.fields[i].value,
                      cases[_i].want[i].value);
    }
    message_file_free(&mf);
}
END_TEST

/* No field is dropped, however many come first: the limits are the facts' (facts.h). */
START_TEST(field_cap)
{
    static char buf[20005 * 8 + 100];
    size_t n = 0;
    struct message_file mf;

    for (int i = 0; i < 20005; i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "X: %d\n", i % 10);
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "From: a@b.example\n\nbody\n");
    ck_assert_int_eq(message_file_parse(buf, n, &mf), 0);
    ck_assert_uint_eq(mf.nfields, 20006);
    ck_assert_str_eq(mf.fields[20005].name, "From");
    message_file_free(&mf);
}
END_TEST

static Suite *message_file_suite(void)
{
    Suite *s = suite_create("message_file");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, split_table, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_test(tc, field_cap);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(message_file_suite)
