/*
 * test_text - unfolding, UTF-8 repair and RFC 2047 decoding (policy/text.c).
 *
 * Table-driven: each row is an input (with its length, so that NUL bytes
 * can be tested) and the expected output.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct tcase {
    const char *in;
    size_t len;
    const char *want;
};

/* clang-format off */
#define ROW(in, want) {in, sizeof(in) - 1, want}
#define FFFD "\xEF\xBF\xBD"

static const struct tcase unfold_cases[] = {
    ROW("", ""),
    ROW("abc", "abc"),
    ROW("a\r\n b", "a b"),
    ROW("a\n\tb", "a\tb"),
    ROW("a\r\n\r\n b\r", "a b"),
    ROW("\r\n", ""),
};

static const struct tcase repair_cases[] = {
    ROW("", ""),
    ROW("plain ASCII", "plain ASCII"),
    ROW("caf\xC3\xA9", "caf\xC3\xA9"),
    ROW("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"),
    ROW("\xE0\xA4\xB8\xE0\xA4\x9A", "\xE0\xA4\xB8\xE0\xA4\x9A"),
    ROW("\xC3", FFFD),
    ROW("a\xFF" "b", "a" FFFD "b"),
    ROW("\x80", FFFD),
    ROW("\xC0\xAF", FFFD FFFD),                       /* overlong '/' */
    ROW("\xE0\x80\x80", FFFD FFFD FFFD),              /* overlong NUL */
    ROW("\xED\xA0\x80", FFFD FFFD FFFD),              /* surrogate */
    ROW("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD),     /* above U+10FFFF */
    ROW("\xF0\x9F\x98", FFFD),                        /* truncated: one maximal subpart */
    ROW("\xF0\x9F\x98" "a", FFFD "a"),
    ROW("\xE2\x82" "\xE2\x82\xAC", FFFD "\xE2\x82\xAC"),
    ROW("a\0b", "a" FFFD "b"),                        /* NUL would hide the rest */
    ROW("\xF8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD),
};

static const struct tcase decode_cases[] = {
    ROW("", ""),
    ROW("Hello world", "Hello world"),
    ROW("=?UTF-8?B?U2VjcmV0YXJ5IElU?=", "Secretary IT"),
    ROW("=?utf-8?q?Secretary_IT?=", "Secretary IT"),
    ROW("=?utf-8?Q?caf=c3=a9?=", "caf\xC3\xA9"),
    ROW("=?iso-8859-1?q?caf=E9?=", "caf\xC3\xA9"),
    ROW("=?ISO-8859-15?Q?=A4?=", "\xE2\x82\xAC"),
    ROW("=?windows-1252?q?=93quoted=94?=", "\xE2\x80\x9Cquoted\xE2\x80\x9D"),
    ROW("=?koi8-r?b?8NLJ18XU?=", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"),
    ROW("=?ISO-2022-JP?B?GyRCJEYkOSRIGyhC?=", "\xE3\x81\xA6\xE3\x81\x99\xE3\x81\xA8"),
    ROW("=?UTF-16BE?B?AFMA6QBjAHIA6QB0AGEAaQByAGU=?=", "S\xC3\xA9" "cr\xC3\xA9taire"),
    ROW("=?utf-8?b?4KS44KSa4KS/4KS1?=", "\xE0\xA4\xB8\xE0\xA4\x9A\xE0\xA4\xBF\xE0\xA4\xB5"),
    /* adjacent words: the white space between them goes */
    ROW("=?utf-8?q?Secre?= =?utf-8?q?tary?=", "Secretary"),
    ROW("=?utf-8?q?Secre?=\r\n =?utf-8?q?tary?=", "Secretary"),
    ROW("=?utf-8?q?a?=\t \t=?utf-8?q?b?=", "ab"),
    ROW("=?utf-8?q?a?==?utf-8?q?b?=", "ab"),
    ROW("=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c"),
    ROW("x =?utf-8?q?a?= y", "x a y"),
    /* one character split over two words */
    ROW("=?utf-8?b?ww==?= =?utf-8?b?qQ==?=", "\xC3\xA9"),
    ROW("=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=", "\xC3\xA9\xC3\xA9"),
    /* unknown or unsafe charsets and malformed words are kept as written */
    ROW("=?x-unknown?q?abc?=", "=?x-unknown?q?abc?="),
    ROW("=?utf-8?q?a?= =?bogus?q?b?= =?utf-8?q?c?=", "a =?bogus?q?b?= c"),
    ROW("=?utf-8//TRANSLIT?q?x?=", "=?utf-8//TRANSLIT?q?x?="),
    ROW("=?utf-8?x?abc?=", "=?utf-8?x?abc?="),
    ROW("=?utf-8?q?a b?=", "=?utf-8?q?a b?="),
    ROW("=??q?abc?=", "=??q?abc?="),
    ROW("=?utf-8?q?abc", "=?utf-8?q?abc"),
    ROW("=?utf-8?q?abc?", "=?utf-8?q?abc?"),
    ROW("=?", "=?"),
    ROW("=?=?=?=?", "=?=?=?=?"),
    /* RFC 2231 language suffix */
    ROW("=?utf-8*en?q?Hello?=", "Hello"),
    ROW("=?US-ASCII*EN-us?Q?Keith_Moore?=", "Keith Moore"),
    /* liberal decoding: clients decode these too */
    ROW("Re:=?utf-8?q?Secretary?=", "Re:Secretary"),
    ROW("=?utf-8?b?U2VjcmV0YXJ5?=!", "Secretary!"),
    ROW("=?utf-8?b?SGk?=", "Hi"),
    ROW("=?utf-8?b?S*Gk=?=", "Hi"),
    ROW("=?utf-8?q?a=zz=4?=", "a=zz=4"),
    ROW("=?utf-8?q?\?=", ""), /* empty text */
    /* repair */
    ROW("=?utf-8?q?a=FFb?=", "a" FFFD "b"),
    ROW("=?utf-8?q?=00Secretary?=", FFFD "Secretary"),
    ROW("=?iso-2022-jp?b?GyRC?=", ""),
    ROW("=?shift_jis?q?=82?=", FFFD),
    ROW("caf\xE9 =?utf-8?q?x?=", "caf" FFFD " x"),
    ROW("\xC3=?utf-8?q?=A9?=", FFFD FFFD),
    ROW("a\0b", "a" FFFD "b"),
};

/* clang-format on */

#define NROWS(t) ((int)(sizeof(t) / sizeof((t)[0])))

/* escape - C-style rendering of S (LEN bytes) into OUT (SIZE bytes) for messages. */
static const char *escape(const char *s, size_t len, char *out, size_t size)
{
    size_t i, n = 0;

    for (i = 0; i < len && n + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || c == '\\' || c == '"')
            n += (size_t)snprintf(out + n, size - n, "\\x%02X", c);
        else
            out[n++] = (char)c;
    }
    out[n] = '\0';
    return out;
}

/* check_row - compare GOT with row R of function NAME, freeing GOT. */
static void check_row(const char *name, const struct tcase *r, char *got)
{
    char ein[512], egot[512], ewant[512];

    ck_assert_msg(got != NULL, "%s(\"%s\"): got NULL", name,
                  escape(r->in, r->len, ein, sizeof ein));
    ck_assert_msg(strcmp(got, r->want) == 0, "%s(\"%s\"): got \"%s\", want \"%s\"", name,
                  escape(r->in, r->len, ein, sizeof ein),
                  escape(got, strlen(got), egot, sizeof egot),
                  escape(r->want, strlen(r->want), ewant, sizeof ewant));
    free(got);
}

START_TEST(test_unfold)
{
    const struct tcase *r = &unfold_cases[_i];
    check_row("text_unfold", r, text_unfold(r->in, r->len));
}
END_TEST

START_TEST(test_repair)
{
    const struct tcase *r = &repair_cases[_i];
    check_row("text_utf8_repair", r, text_utf8_repair(r->in, r->len));
}
END_TEST

START_TEST(test_decode)
{
    const struct tcase *r = &decode_cases[_i];
    check_row("text_decode_unstructured", r, text_decode_unstructured(r->in, r->len));
}
END_TEST

/* A value far longer than any real header: linear time, no limit hit. */
START_TEST(test_decode_long)
{
    size_t n = 200000, i;
    char *in = malloc(n), *got;

    ck_assert_ptr_nonnull(in);
    for (i = 0; i + 14 <= n; i += 14)
        memcpy(in + i, "=?utf-8?q?a?= ", 14);
    got = text_decode_unstructured(in, i);
    ck_assert_ptr_nonnull(got);
    /* one "a" per word, the trailing space kept */
    ck_assert_msg(strlen(got) == i / 14 + 1, "got %zu bytes, want %zu", strlen(got), i / 14 + 1);
    free(got);
    free(in);
}
END_TEST

/* text_suite - the cases above as one suite. */
static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_unfold, 0, NROWS(unfold_cases));
    tcase_add_loop_test(tc, test_repair, 0, NROWS(repair_cases));
    tcase_add_loop_test(tc, test_decode, 0, NROWS(decode_cases));
    tcase_add_test(tc, test_decode_long);
    suite_add_tcase(s, tc);
    return s;
}

/* main - run the suite; exit status 1 on any failure. */
int main(void)
{
    SRunner *sr = srunner_create(text_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
