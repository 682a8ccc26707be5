/* test_quote - names and texts escaped for SMTP replies, the tag header and the hold reason. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "quote.h"
#include "text.h"

#define HFW "Health & Family Welfare \"HFW\""

static const struct {
    const char *in;
    int milter;
    const char *want;
} smtp_cases[] = {
    {"Not allowed (rule x)", 1, "Not allowed (rule x)"},
    {"100% sure", 1, "100%% sure"},
    {"100% sure", 0, "100% sure"},
    {"%s%n%%", 1, "%%s%%n%%%%"},
    {"a\r\n550 5.7.1 forged", 1, "a  550 5.7.1 forged"},
    {"tab\tdel\x7f", 0, "tab del "},
    {"Caf\xc3\xa9 \xe0\xa4\xb8 \xf0\x9f\x98\x80!", 1, "Caf? ? ?!"},
    {"bad \xff\xfe byte", 0, "bad ?? byte"},
    {"\"quoted\" \\ <b> & co", 1, "\"quoted\" \\ <b> & co"},
};

START_TEST(smtp_table)
{
    char out[256];

    ck_assert_str_eq(quote_smtp(smtp_cases[_i].in, smtp_cases[_i].milter, out, sizeof(out)),
                     smtp_cases[_i].want);
}
END_TEST

START_TEST(smtp_cut)
{
    char out[6];

    /* A doubled '%' is never cut in half: libmilter would drop the text. */
    ck_assert_str_eq(quote_smtp("abcd%e", 1, out, sizeof(out)), "abcd");
    ck_assert_str_eq(quote_smtp("ab%cd", 1, out, sizeof(out)), "ab%%c");
    /* A plain run longer than the room is cut, as character by character. */
    ck_assert_str_eq(quote_smtp("abcdefgh", 1, out, sizeof(out)), "abcde");
    ck_assert_str_eq(quote_smtp("abcd\x01"
                                "fg",
                                0, out, sizeof(out)),
                     "abcd ");
    ck_assert_str_eq(quote_smtp("a%b", 0, out, sizeof(out)), "a%b");
    ck_assert_str_eq(quote_smtp("abcde\xc3\xa9", 0, out, sizeof(out)), "abcde");
}
END_TEST

/* unfolded_decoded - VALUE as a reader of the header sees it (RFC 2047 decoded). */
static char *unfolded_decoded(const char *value)
{
    char *d = text_decode_unstructured(value, strlen(value));

    ck_assert_ptr_nonnull(d);
    return d;
}

START_TEST(tag_plain)
{
    char out[512];

    ck_assert_int_eq(quote_tag("official-to-webmail", HFW, "x@gmail.com", out, sizeof(out)), 0);
    ck_assert_str_eq(out,
                     "official-to-webmail; department=\"Health & Family Welfare \\\"HFW\\\"\"; "
                     "address=x@gmail.com");
    ck_assert_int_eq(
        quote_tag("reply-to-webmail", "C:\\dept <a&b>", "y@gmail.com", out, sizeof(out)), 0);
    ck_assert_str_eq(out, "reply-to-webmail; department=\"C:\\\\dept <a&b>\"; address=y@gmail.com");
}
END_TEST

/* Non-ASCII (or "=?") goes out as encoded words that decode to the plain form. */
static const char *const encoded_names[] = {
    "Sant\xc3\xa9 \"publique\"",
    "\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xb5\xe0\xa4\xbe\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa5\xe0\xa5"
    "\x8d"
    "\xe0\xa4\xaf \xe0\xa4\xb5\xe0\xa4\xbf\xe0\xa4\xad\xe0\xa4\xbe\xe0\xa4\x97 & \\ <x> \"HFW\"",
    "=?UTF-8?B?Zm9yZ2Vk?= dept",
    "A very long department name that certainly needs more than one encoded word \xc3\xa9 to fit",
};

START_TEST(tag_encoded)
{
    const char *name = encoded_names[_i];
    char out[2048], plain[1024], *got;
    size_t line = 0;

    ck_assert_int_eq(quote_tag("webmail-to-official", name, "a@gmail.com", out, sizeof(out)), 0);
    ck_assert_msg(strncmp(out, "webmail-to-official;\n =?UTF-8?Q?", 32) == 0, "got %s", out);
    /* Printable ASCII, folded lines of at most 76 characters, each a whole encoded word. */
    for (const char *p = out; *p != '\0'; p++) {
        ck_assert_msg(*p == '\n' || (*p >= 0x20 && *p < 0x7f), "byte 0x%02x in %s", *p, out);
        line = *p == '\n' ? 0 : line + 1;
        ck_assert_msg(line <= 76, "line too long in %s", out);
    }
    ck_assert_ptr_null(strstr(out, "\n\n"));
    got = unfolded_decoded(out);
    char *q = plain + snprintf(plain, sizeof(plain), "webmail-to-official; department=\"");
    for (const char *p = name; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            *q++ = '\\';
        *q++ = *p;
    }
    snprintf(q, sizeof(plain) - (size_t)(q - plain), "\"; address=a@gmail.com");
    ck_assert_str_eq(got, plain);
    free(got);
}
END_TEST

START_TEST(tag_too_small)
{
    char out[40];

    ck_assert_int_eq(quote_tag("official-to-webmail", HFW, "x@gmail.com", out, sizeof(out)), -1);
    ck_assert_int_eq(
        quote_tag("official-to-webmail", "Sant\xc3\xa9", "x@gmail.com", out, sizeof(out)), -1);
}
END_TEST

START_TEST(reason_names)
{
    char out[128];

    ck_assert_str_eq(quote_reason_name("Information Technology", out, sizeof(out)),
                     "Information Technology");
    ck_assert_str_eq(quote_reason_name("Sant\xc3\xa9 & <x>", out, sizeof(out)),
                     "Sant\xc3\xa9 & <x>");
    ck_assert_str_eq(quote_reason_name(HFW, out, sizeof(out)),
                     "\"Health & Family Welfare \\\"HFW\\\"\"");
    ck_assert_str_eq(quote_reason_name("IT (north), \\ south", out, sizeof(out)),
                     "\"IT (north), \\\\ south\"");
    ck_assert_str_eq(quote_reason_name(HFW, out, 10), "\"...\"");
}
END_TEST

static Suite *quote_suite(void)
{
    Suite *s = suite_create("quote");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, smtp_table, 0, sizeof(smtp_cases) / sizeof(smtp_cases[0]));
    tcase_add_test(tc, smtp_cut);
    tcase_add_test(tc, tag_plain);
    tcase_add_loop_test(tc, tag_encoded, 0, sizeof(encoded_names) / sizeof(encoded_names[0]));
    tcase_add_test(tc, tag_too_small);
    tcase_add_test(tc, reason_names);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(quote_suite)
