/*
 * test_lib - lib/: the one UTF-8 decoder (well-formedness and maximal
 * subparts, Unicode table 3-7) and encoder, the string builder, and the
 * time formatter and parser, the CSV writer.
 */
#include <config.h>

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "csv.h"
#include "strbuf.h"
#include "arena.h"
#include "timefmt.h"
#include "utf8.h"

static const struct {
    const char *in;
    size_t len;
    long cp; /* -1: ill-formed */
    size_t n;
} decode[] = {
    {"A", 1, 'A', 1},
    {"\xc3\xa9", 2, 0xe9, 2},
    {"\xe2\x82\xac", 3, 0x20ac, 3},
    {"\xf0\x9f\x98\x80", 4, 0x1f600, 4},
    {"\xf4\x8f\xbf\xbf", 4, 0x10ffff, 4},
    {"", 1, -1, 1},                 /* NUL */
    {"\x80", 1, -1, 1},             /* stray continuation */
    {"\xc0\xaf", 2, -1, 1},         /* overlong lead */
    {"\xe0\x80\x80", 3, -1, 1},     /* overlong */
    {"\xed\xa0\x80", 3, -1, 1},     /* surrogate */
    {"\xf4\x90\x80\x80", 4, -1, 1}, /* past U+10FFFF */
    {"\xe2\x82"
     "A",
     3, -1, 2},                               /* truncated: its maximal subpart */
    {"\xf0\x9f\x98", 3, -1, 3},               /* cut by LEN */
    {"\xe2\x82", UTF8_NUL_TERMINATED, -1, 2}, /* cut by the NUL */
};

START_TEST(utf8_decoding)
{
    size_t n;
    long cp = utf8_decode(decode[_i].in, decode[_i].len, &n);

    ck_assert_msg(cp == decode[_i].cp && n == decode[_i].n, "case %d: got %ld/%zu, want %ld/%zu",
                  _i, cp, n, decode[_i].cp, decode[_i].n);
    ck_assert_uint_eq(utf8_len(decode[_i].in, decode[_i].len), cp < 0 ? 0 : decode[_i].n);
}
END_TEST

START_TEST(utf8_round_trip)
{
    static const uint32_t cps[] = {0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xfffd, 0x10000, 0x10ffff};
    char out[4];
    size_t n, len;

    for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
        len = utf8_encode(cps[i], out);
        ck_assert_msg(utf8_decode(out, len, &n) == (long)cps[i] && n == len,
                      "U+%04X: got back something else", (unsigned)cps[i]);
    }
}
END_TEST

/* put - strbuf_vprintf through a variadic front. */
static void put(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

START_TEST(strbuf_building)
{
    struct strbuf b = {0};
    char *s;

    strbuf_put(&b, "abc", 2);
    put(&b, "-%d-%s", 42, "x");
    for (int i = 0; i < 100; i++)
        put(&b, "%c", 'z'); /* past the first allocation */
    ck_assert_int_eq(strbuf_failed(&b), 0);
    s = strbuf_finish(&b);
    ck_assert_uint_eq(strlen(s), 7 + 100);
    ck_assert_int_eq(strncmp(s, "ab-42-xz", 8), 0);
    free(s);
    memset(&b, 0, sizeof(b));
    s = strbuf_finish(&b);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

/* strbuf_reserve: the appends within the reserved room keep the buffer where it is. */
START_TEST(strbuf_reserving)
{
    struct strbuf b = {0};
    char want[301], *p0, *s;

    strbuf_reserve(&b, 300);
    ck_assert_ptr_nonnull(b.p);
    ck_assert_uint_gt(b.cap, 300);
    ck_assert_uint_eq(b.n, 0);
    p0 = b.p;
    for (int i = 0; i < 300; i++) {
        want[i] = (char)('a' + i % 26);
        strbuf_put(&b, &want[i], 1);
    }
    want[300] = '\0';
    ck_assert_ptr_eq(b.p, p0); /* no reallocation */
    strbuf_reserve(&b, 1);     /* room already: nothing changes */
    ck_assert_ptr_eq(b.p, p0);
    s = strbuf_finish(&b);
    ck_assert_str_eq(s, want);
    free(s);
    memset(&b, 0, sizeof(b));
    strbuf_reserve(&b, (size_t)-1 / 2 + 1); /* cannot be had: remembered as a failure */
    ck_assert_int_eq(strbuf_failed(&b), 1);
    strbuf_put(&b, "x", 1);
    ck_assert_ptr_null(strbuf_finish(&b));
}
END_TEST

/* arena: short strings share blocks, long ones get their own, all stay intact until cleared. */
START_TEST(arena_strings)
{
    struct arena a = {0};
    char *p[300], big[5000], *b1, *b2;

    for (int i = 0; i < 300; i++) { /* several blocks' worth of short strings */
        char s[16];
        int n = snprintf(s, sizeof(s), "s%d", i);
        p[i] = arena_strndup(&a, s, (size_t)n);
        ck_assert_ptr_nonnull(p[i]);
    }
    memset(big, 'x', sizeof(big));
    b1 = arena_strndup(&a, big, sizeof(big)); /* longer than a block */
    b2 = arena_strndup(&a, "abcdef", 3);      /* N bytes, NUL-terminated */
    ck_assert_ptr_nonnull(b1);
    ck_assert_uint_eq(strlen(b1), sizeof(big));
    ck_assert_str_eq(b2, "abc");
    for (int i = 0; i < 300; i++) {
        char s[16];
        snprintf(s, sizeof(s), "s%d", i);
        ck_assert_str_eq(p[i], s);
    }
    ck_assert_str_eq(arena_strndup(&a, "", 0), "");
    char *raw = arena_alloc(&a, 3000), *small = arena_alloc(&a, 5); /* uninitialised bytes */
    ck_assert_ptr_nonnull(raw);
    ck_assert_ptr_nonnull(small);
    memset(raw, 'r', 3000);
    memcpy(small, "smol", 5);
    ck_assert_str_eq(small, "smol");
    ck_assert_str_eq(b2, "abc"); /* nothing written over */
    arena_clear(&a);
    ck_assert_ptr_null(a.blocks);
    ck_assert_ptr_nonnull(arena_alloc(&a, 0));                /* nothing, but not a failure */
    ck_assert_str_eq(arena_strndup(&a, "again", 5), "again"); /* usable after clearing */
    arena_clear(&a);
    arena_clear(&a); /* an empty arena clears */
}
END_TEST

static const struct {
    const char *in;
    long long t; /* -1: refused */
} parse[] = {
    {"2027-03-31", 1806451200},
    {"2027-03-31T10:00:00Z", 1806487200},
    {"2027-03-31 10:00", 1806487200},
    {"2027-03-31t10:00:05z", 1806487205},
    {"2028-02-29", 1835395200},
    {"2027-02-29", -1}, /* no such day */
    {"2027-13-01", -1},
    {"2027-3-31", -1},
    {"2027-03-31T24:00", -1},
    {"2027-03-31X", -1},
    {"", -1},
};

START_TEST(time_parsing)
{
    time_t t = 0;
    int rc = timefmt_parse(parse[_i].in, &t);

    ck_assert_msg(rc == (parse[_i].t < 0 ? -1 : 0) && (rc < 0 || (long long)t == parse[_i].t),
                  "\"%s\": got %d/%lld, want %lld", parse[_i].in, rc, (long long)t, parse[_i].t);
}
END_TEST

START_TEST(time_formatting)
{
    char iso[TIMEFMT_ISO_LEN], day[TIMEFMT_DAY_LEN], mail[64];

    ck_assert_int_eq(timefmt_iso8601(1806487205, iso), 0);
    ck_assert_str_eq(iso, "2027-03-31T10:00:05Z");
    ck_assert_int_eq(timefmt_day(1806487205, day), 0);
    ck_assert_str_eq(day, "2027-03-31");
    timefmt_rfc5322(1806487205, mail, sizeof(mail));
    ck_assert_str_eq(mail, "Wed, 31 Mar 2027 10:00:05 +0000");
    ck_assert_int_eq(timefmt_iso8601(0, iso), 0);
    ck_assert_str_eq(iso, "1970-01-01T00:00:00Z");
}
END_TEST

/* The stamp made by hand is strftime's, second by second and year by year. */
START_TEST(iso8601_as_strftime)
{
    char iso[TIMEFMT_ISO_LEN], want[64];

    for (long long t = -86400LL * 366; t < 253402300800LL; t += 86400LL * 37 + 3607) {
        struct tm tm;
        time_t tt = (time_t)t;
        ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
        strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
        ck_assert_int_eq(timefmt_iso8601(tt, iso), 0);
        ck_assert_msg(strcmp(iso, want) == 0, "%lld: got %s, want %s", t, iso, want);
    }
}
END_TEST

static const struct {
    const char *in, *want;
} csv[] = {
    {"plain", ",plain"},
    {"", ","},
    {"a,b", ",\"a,b\""},
    {"say \"hi\"", ",\"say \"\"hi\"\"\""},
    {"two\r\nlines", ",\"two\r\nlines\""},
    {"=SUM(A1)", ",'=SUM(A1)"},
    {"+1", ",'+1"},
    {"-1,2", ",\"'-1,2\""},
    {"@x", ",'@x"},
    {"\tx", ",'\tx"},
    {"a=b", ",a=b"},
};

START_TEST(csv_fields)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);

    csv_field(fp, csv[_i].in, 0);
    fclose(fp);
    ck_assert_msg(strcmp(out, csv[_i].want) == 0, "got [%s], want [%s]", out, csv[_i].want);
    free(out);
}
END_TEST

static Suite *lib_suite(void)
{
    Suite *s = suite_create("lib");
    TCase *tc = tcase_create("lib");

    tcase_add_loop_test(tc, utf8_decoding, 0, (int)(sizeof(decode) / sizeof(decode[0])));
    tcase_add_test(tc, utf8_round_trip);
    tcase_add_test(tc, strbuf_building);
    tcase_add_test(tc, strbuf_reserving);
    tcase_add_test(tc, arena_strings);
    tcase_add_loop_test(tc, time_parsing, 0, (int)(sizeof(parse) / sizeof(parse[0])));
    tcase_add_test(tc, time_formatting);
    tcase_add_test(tc, iso8601_as_strftime);
    tcase_add_loop_test(tc, csv_fields, 0, (int)(sizeof(csv) / sizeof(csv[0])));
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(lib_suite)
