/* test_json - string escaping keeps the output valid JSON and UTF-8. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "json.h"

static const struct {
    const char *in, *want;
} cases[] = {
    {"a@gmail.com", "\"a@gmail.com\""},
    {"say \"hi\"\\", "\"say \\\"hi\\\"\\\\\""},
    {"line\r\nInjected: x", "\"line\\r\\nInjected: x\""},
    {"tab\there", "\"tab\\there\""},
    {"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
    {"Sécrétaire", "\"Sécrétaire\""},
    {"bad\xff\xfe", "\"bad\\ufffd\\ufffd\""},
    {"\xc0\xaf", "\"\\ufffd\\ufffd\""},            /* overlong */
    {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""}, /* surrogate */
    {"\xe2\x82", "\"\\ufffd\\ufffd\""},            /* truncated */
    {"😀", "\"😀\""},
    {NULL, "null"},
};

START_TEST(escape_table)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    json_string(fp, cases[_i].in);
    fclose(fp);
    ck_assert_msg(strcmp(buf, cases[_i].want) == 0, "json_string: got %s, want %s", buf,
                  cases[_i].want);
    free(buf);
}
END_TEST

START_TEST(keys)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    json_key(fp, "a", 1);
    fputs("1", fp);
    json_key(fp, "b", 0);
    fputs("2", fp);
    fclose(fp);
    ck_assert_str_eq(buf, "\"a\": 1, \"b\": 2");
    free(buf);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, escape_table, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_test(tc, keys);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(json_suite)
