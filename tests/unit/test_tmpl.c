/* test_tmpl - the console's template layer: every value escaped unless it is markup. */
#include <config.h>

#include <string.h>

#include "check_main.h"
#include "tmpl.h"

static const struct {
    const char *fmt, *value, *want;
} text_cases[] = {
    {"<p>%s</p>", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
    {"<a title=\"%s\">", "\" onmouseover=\"x", "<a title=\"&quot; onmouseover=&quot;x\">"},
    {"<a title='%s'>", "' onclick='x", "<a title='&#39; onclick=&#39;x'>"},
    {"%s", "Tom & Jerry", "Tom &amp; Jerry"},
    {"%s", "&lt;", "&amp;lt;"},
    {"%s", "Forêts, Écologie", "Forêts, Écologie"},
    {"%s", "line\nbreak",
     "line\xef\xbf\xbd"
     "break"},
    {"%s", "bidi \xe2\x80\xae override", "bidi \xef\xbf\xbd override"},
    {"%s", "bad \xff byte", "bad \xef\xbf\xbd byte"},
    {"%s", NULL, ""},
    {"100%% %s", "x", "100% x"},
    {"<a href=\"/d?name=%u\">", "Evil <b> & \"q\"/é",
     "<a href=\"/d?name=Evil%20%3Cb%3E%20%26%20%22q%22%2F%C3%A9\">"},
    {"%M", "<b>markup</b>", "<b>markup</b>"},
};

START_TEST(escapes)
{
    struct dbuf b;

    dbuf_init(&b);
    tmpl_put(&b, text_cases[_i].fmt, text_cases[_i].value);
    ck_assert_msg(!dbuf_failed(&b), "case %d failed", _i);
    ck_assert_msg(strcmp(dbuf_str(&b), text_cases[_i].want) == 0, "got %s, want %s", dbuf_str(&b),
                  text_cases[_i].want);
    dbuf_free(&b);
}
END_TEST

START_TEST(numbers)
{
    struct dbuf b;

    dbuf_init(&b);
    tmpl_put(&b, "%d|%L|%s", -5, 1234567890123LL, "x");
    ck_assert_str_eq(dbuf_str(&b), "-5|1234567890123|x");
    dbuf_free(&b);
}
END_TEST

START_TEST(unknown_directive_fails)
{
    struct dbuf b;

    dbuf_init(&b);
    tmpl_put(&b, "<p>%.10s</p>", "<script>");
    ck_assert_msg(dbuf_failed(&b), "an unknown directive must fail the buffer");
    dbuf_free(&b);
}
END_TEST

static const struct {
    const char *in;
    int ok;
} utf8_cases[] = {
    {"plain", 1},        {"tab\tok", 1},          {"é ü 日本", 1}, {"nl\n", 0},
    {"cr\r", 0},         {"del\x7f", 0},          {"\xff", 0},     {"\xc0\xaf", 0},
    {"\xed\xa0\x80", 0}, {"\xf4\x90\x80\x80", 0}, {"", 1},
};

START_TEST(utf8)
{
    ck_assert_msg(tmpl_utf8_ok(utf8_cases[_i].in) == utf8_cases[_i].ok, "case %d: got %d, want %d",
                  _i, !utf8_cases[_i].ok, utf8_cases[_i].ok);
}
END_TEST

static Suite *tmpl_suite(void)
{
    Suite *s = suite_create("tmpl");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, escapes, 0, sizeof(text_cases) / sizeof(text_cases[0]));
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, unknown_directive_fails);
    tcase_add_loop_test(tc, utf8, 0, sizeof(utf8_cases) / sizeof(utf8_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(tmpl_suite)
