/*
 * test_digest - the digest's building blocks: ISO week arithmetic (also
 * against glibc's strftime %G-W%V for every day of 1970-2100), periods,
 * safe display of values, header encoding and folding (decoded back with
 * the policy's own RFC 2047 decoder), quoted-printable (decoded back),
 * addresses in headers, the sendmail command's words, the change wording.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "mime.h"
#include "period.h"
#include "render.h"
#include "send.h"
#include "text.h"
#include "timefmt.h"

/* at - 00:00:00Z of a date, or with a time. */
static time_t at(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = s};
    return timegm(&tm);
}

static const struct {
    int y, m, d, wy, ww;
} weeks[] = {
    {2027, 3, 8, 2027, 10},   {2027, 3, 14, 2027, 10},  {2027, 3, 15, 2027, 11},
    {2027, 1, 1, 2026, 53},   {2026, 12, 31, 2026, 53}, {2025, 12, 29, 2026, 1},
    {2020, 12, 31, 2020, 53}, {2021, 1, 3, 2020, 53},   {2021, 1, 4, 2021, 1},
    {2024, 12, 30, 2025, 1},  {2008, 12, 29, 2009, 1},  {2010, 1, 3, 2009, 53},
};

START_TEST(week_of_table)
{
    int y, w;

    digest_week_of(at(weeks[_i].y, weeks[_i].m, weeks[_i].d, 12, 0, 0), &y, &w);
    ck_assert_msg(y == weeks[_i].wy && w == weeks[_i].ww,
                  "%04d-%02d-%02d: got %d-W%02d, want %d-W%02d", weeks[_i].y, weeks[_i].m,
                  weeks[_i].d, y, w, weeks[_i].wy, weeks[_i].ww);
}
END_TEST

START_TEST(week_of_matches_strftime)
{
    char want[16], got[16];
    struct tm tm;
    int y, w;

    for (time_t t = at(1970, 1, 1, 0, 0, 0); t < at(2101, 1, 1, 0, 0, 0); t += DIGEST_DAY) {
        ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
        strftime(want, sizeof(want), "%G-W%V", &tm);
        digest_week_of(t, &y, &w);
        snprintf(got, sizeof(got), "%04d-W%02d", y, w);
        ck_assert_msg(strcmp(got, want) == 0, "day %lld: got %s, want %s", (long long)t, got, want);
    }
}
END_TEST

START_TEST(week_start_round_trip)
{
    struct tm tm;
    time_t s;
    int y, w;

    for (int year = 1971; year < 2100; year++) {
        int n = digest_weeks_in_year(year);
        ck_assert_msg(n == 52 || n == 53, "%d has %d weeks", year, n);
        for (int week = 1; week <= n; week++) {
            ck_assert_int_eq(digest_week_start(year, week, &s), 0);
            ck_assert_ptr_nonnull(gmtime_r(&s, &tm));
            ck_assert_msg(tm.tm_wday == 1 && tm.tm_hour == 0 && tm.tm_min == 0,
                          "%d-W%02d does not start on a Monday at midnight", year, week);
            digest_week_of(s, &y, &w);
            ck_assert_msg(y == year && w == week, "%d-W%02d starts in %d-W%02d", year, week, y, w);
        }
        ck_assert_int_eq(digest_week_start(year, n + 1, &s), -1);
        ck_assert_int_eq(digest_week_start(year, 0, &s), -1);
    }
    ck_assert_int_eq(digest_weeks_in_year(2026), 53);
    ck_assert_int_eq(digest_weeks_in_year(2027), 52);
    ck_assert_int_eq(digest_weeks_in_year(2032), 53);
}
END_TEST

START_TEST(week_parse)
{
    static const char *const good[] = {"2027-W10", "2027W10", "2027-w01", "2026-W53"};
    static const char *const bad[] = {"2027-W1",   "2027-10", "27-W10", "2027-W100", "1969-W01",
                                      "2027-W10x", "",        "2027-",  "W10"};
    int y, w;

    for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
        ck_assert_msg(digest_week_parse(good[i], &y, &w) == 0, "refused %s", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        ck_assert_msg(digest_week_parse(bad[i], &y, &w) < 0, "accepted '%s'", bad[i]);
    ck_assert_int_eq(digest_week_parse("2027W10", &y, &w), 0);
    ck_assert_int_eq(y * 100 + w, 202710);
}
END_TEST

START_TEST(periods)
{
    struct digest_period p;
    char err[160];

    ck_assert_int_eq(digest_period_last_week(&p, at(2027, 3, 15, 0, 0, 0)), 0);
    ck_assert_str_eq(p.label, "2027-W10");
    ck_assert_str_eq(p.prev_label, "2027-W09");
    ck_assert_str_eq(p.since, "2027-03-08T00:00:00Z");
    ck_assert_str_eq(p.until, "2027-03-15T00:00:00Z");
    ck_assert_str_eq(p.prev_since, "2027-03-01T00:00:00Z");
    ck_assert_int_eq(p.ndays, 7);
    ck_assert_int_eq(digest_period_last_week(&p, at(2027, 3, 14, 23, 59, 59)), 0);
    ck_assert_str_eq(p.label, "2027-W09");
    ck_assert_int_eq(digest_period_last_week(&p, at(2027, 1, 4, 6, 0, 0)), 0);
    ck_assert_str_eq(p.label, "2026-W53");
    ck_assert_str_eq(p.prev_label, "2026-W52");
    ck_assert_int_eq(
        digest_period_span(&p, at(2027, 3, 1, 0, 0, 0), at(2027, 3, 11, 0, 0, 0), err, sizeof(err)),
        0);
    ck_assert_str_eq(p.label, "2027-03-01 to 2027-03-10");
    ck_assert_str_eq(p.prev_label, "2027-02-19 to 2027-02-28");
    ck_assert_int_eq(p.ndays, 10);
    ck_assert_int_eq(digest_day_index(&p, "2027-03-01T00:00:00Z"), 0);
    ck_assert_int_eq(digest_day_index(&p, "2027-03-10T23:59:59Z"), 9);
    ck_assert_int_eq(digest_day_index(&p, "2027-03-11T00:00:00Z"), -1);
    ck_assert_int_eq(digest_day_index(&p, "garbage"), -1);
    ck_assert_int_eq(
        digest_period_span(&p, at(2027, 3, 1, 12, 0, 0), at(2027, 3, 2, 6, 0, 0), err, sizeof(err)),
        0);
    ck_assert_str_eq(p.label, "2027-03-01T12:00Z to 2027-03-02T06:00Z");
    ck_assert_int_eq(p.ndays, 2);
    ck_assert_int_eq(
        digest_period_span(&p, at(2027, 3, 1, 0, 0, 0), at(2027, 3, 1, 0, 0, 0), err, sizeof(err)),
        -1);
    ck_assert_int_eq(
        digest_period_span(&p, at(2027, 1, 1, 0, 0, 0), at(2027, 4, 3, 0, 0, 0), err, sizeof(err)),
        0); /* 92 days */
    ck_assert_int_eq(
        digest_period_span(&p, at(2027, 1, 1, 0, 0, 0), at(2027, 4, 4, 0, 0, 0), err, sizeof(err)),
        -1);
}
END_TEST

static const struct {
    const char *in, *text, *html;
    size_t max;
} shown[] = {
    {"plain", "plain", "plain", 0},
    {"a\r\nBcc: x",
     "a\xef\xbf\xbd\xef\xbf\xbd"
     "Bcc: x",
     "a\xef\xbf\xbd\xef\xbf\xbd"
     "Bcc: x",
     0},
    {"tab\there", "tab here", "tab here", 0},
    {"<b>&\"'</b>", "<b>&\"'</b>", "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;", 0},
    {"bad\xff", "bad\xef\xbf\xbd", "bad\xef\xbf\xbd", 0},
    {"rtl\xe2\x80\xaegpj.exe", "rtl\xef\xbf\xbdgpj.exe", "rtl\xef\xbf\xbdgpj.exe", 0},
    {"\xc2\x85nel", "\xef\xbf\xbdnel", "\xef\xbf\xbdnel", 0},
    {"For\xc3\xaats", "For\xc3\xaats", "For\xc3\xaats", 0},
    {"abcdef", "abc\xe2\x80\xa6", "abc\xe2\x80\xa6", 3},
    {"\xc3\xa9\xc3\xa9\xc3\xa9", "\xc3\xa9\xc3\xa9\xc3\xa9", "\xc3\xa9\xc3\xa9\xc3\xa9", 3},
};

START_TEST(safe_display)
{
    struct dbuf t, h;

    dbuf_init(&t), dbuf_init(&h);
    (void)dbuf_text(&t, shown[_i].in, shown[_i].max);
    dbuf_html(&h, shown[_i].in, shown[_i].max);
    ck_assert(!dbuf_failed(&t) && !dbuf_failed(&h));
    ck_assert_msg(strcmp(dbuf_str(&t), shown[_i].text) == 0, "text: got '%s', want '%s'",
                  dbuf_str(&t), shown[_i].text);
    ck_assert_msg(strcmp(dbuf_str(&h), shown[_i].html) == 0, "html: got '%s', want '%s'",
                  dbuf_str(&h), shown[_i].html);
    dbuf_free(&t), dbuf_free(&h);
}
END_TEST

/* header_value - the value of the one header field in B, unfolded and decoded. */
static char *header_value(const struct dbuf *b)
{
    const char *s = dbuf_str(b), *colon = strchr(s, ':');

    ck_assert_ptr_nonnull(colon);
    return text_decode_unstructured(colon + 1, strlen(colon + 1));
}

/* check_lines - every line of S ends with LF, is at most MAX columns, and only LF ends lines. */
static void check_lines(const char *s, size_t max, int header)
{
    for (const char *p = s; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        ck_assert_msg(nl != NULL, "no newline at the end of '%s'", p);
        ck_assert_msg((size_t)(nl - p) <= max, "line of %zu columns: '%.*s'", (size_t)(nl - p),
                      (int)(nl - p), p);
        ck_assert_msg(memchr(p, '\r', (size_t)(nl - p)) == NULL, "CR in a line");
        if (header && p != s)
            ck_assert_msg(*p == ' ', "a continuation line that does not start with a space");
        p = nl + 1;
    }
}

static const struct {
    const char *value;
    int encoded;
} headers[] = {
    {"Information Technology: violation digest 2027-W10, 62 violations", 0},
    {"Forêts, Écologie & Environnement: violation digest 2027-W10, 5 violations", 1},
    {"Evil\r\nBcc: attacker@evil.example\r\n\r\n--=_om_x", 1},
    {"looks like =?UTF-8?B?QmNjOiB4?= an encoded word", 1},
    {"a very long subject line made only of ordinary words that must be folded at a space "
     "somewhere before the seventy-eighth column and again later on",
     0},
    {"anunbrokenwordthatislongerthansixtycharactersanunbrokenwordthatislongerthansixty", 1},
    {"जल शक्ति विभाग — साप्ताहिक सारांश 2027-W10 😀😀😀 जल शक्ति विभाग जल शक्ति विभाग", 1},
    {"", 0},
};

START_TEST(header_encoding)
{
    struct dbuf b;
    char *got;

    dbuf_init(&b);
    mime_header_text(&b, "Subject", headers[_i].value);
    ck_assert(!dbuf_failed(&b));
    ck_assert_msg((strstr(dbuf_str(&b), "=?UTF-8?B?") != NULL) == headers[_i].encoded,
                  "encoded: got '%s'", dbuf_str(&b));
    check_lines(dbuf_str(&b), 78, 1);
    for (const unsigned char *p = (const unsigned char *)dbuf_str(&b); *p; p++)
        ck_assert_msg(*p < 0x80, "non-ASCII byte in a header: '%s'", dbuf_str(&b));
    got = header_value(&b);
    ck_assert_ptr_nonnull(got);
    /* Encoded control characters decode back; the policy's decoder drops CR and LF when unfolding.
     */
    if (strchr(headers[_i].value, '\r') == NULL)
        ck_assert_msg(strcmp(got + (got[0] == ' '), headers[_i].value) == 0,
                      "decoded: got '%s', want '%s'", got, headers[_i].value);
    free(got);
    dbuf_free(&b);
}
END_TEST

/* qp_decode - quoted-printable back to bytes (soft breaks removed). */
static char *qp_decode(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    ck_assert_ptr_nonnull(out);
    while (*s != '\0') {
        if (s[0] == '=' && s[1] == '\n') {
            s += 2;
        } else if (s[0] == '=') {
            unsigned v;
            ck_assert_msg(sscanf(s + 1, "%2X", &v) == 1, "bad escape at '%.8s'", s);
            *o++ = (char)v;
            s += 3;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

static const char *const bodies[] = {
    "hello\n",
    "trailing space \ntrailing tab\t\n",
    ".\nlone dot above\n.. two\n",
    "From me\nFrom: header-like\n",
    "= equals =3D and =_om_ boundary-like\n--=_om_fake\n",
    "Forêts, Écologie — वन विभाग 😀\n",
    "a line much longer than seventy-six characters, a line much longer than seventy-six "
    "characters, with a dot at the wrap .and an F at the wrap From here on and on and on\n",
    "no final newline",
    "\x01\x7f control bytes\r\n",
};

START_TEST(quoted_printable)
{
    struct dbuf b;
    char *back;
    size_t len = strlen(bodies[_i]);

    dbuf_init(&b);
    mime_qp(&b, bodies[_i], len);
    ck_assert(!dbuf_failed(&b));
    check_lines(dbuf_str(&b), 76, 0);
    ck_assert_msg(strstr(dbuf_str(&b), "=_") == NULL, "'=_' in '%s'", dbuf_str(&b));
    ck_assert_msg(strstr(dbuf_str(&b), "\n.") == NULL && dbuf_str(&b)[0] != '.',
                  "a line starts with '.': '%s'", dbuf_str(&b));
    ck_assert_msg(strstr(dbuf_str(&b), "\nFrom ") == NULL && strncmp(dbuf_str(&b), "From ", 5),
                  "a line starts with 'From ': '%s'", dbuf_str(&b));
    ck_assert_msg(strstr(dbuf_str(&b), " \n") == NULL && strstr(dbuf_str(&b), "\t\n") == NULL,
                  "trailing white space: '%s'", dbuf_str(&b));
    back = qp_decode(dbuf_str(&b));
    if (bodies[_i][len - 1] == '\n')
        ck_assert_str_eq(back, bodies[_i]);
    else
        ck_assert_msg(strncmp(back, bodies[_i], len) == 0 && strcmp(back + len, "\n") == 0,
                      "got '%s'", back);
    free(back);
    dbuf_free(&b);
}
END_TEST

static const struct {
    const char *in, *out;
} addresses[] = {
    {"ciso.it@jk.gov.in", "ciso.it@jk.gov.in"},
    {"CISO@IT.JK.GOV.IN", "CISO@it.jk.gov.in"},
    {"\"john doe\"@jk.gov.in", "\"john doe\"@jk.gov.in"},
    {"iso@\xe0\xa4\x89\xe0\xa4\xa6\xe0\xa4\xbe\xe0\xa4\xb9\xe0\xa4\xb0\xe0\xa4\xa3.in",
     "iso@xn--p1b6ci4b4b3a.in"},
    {"a@b.in\r\nBcc: x@evil.example", NULL},
    {"a b@jk.gov.in", NULL},
    {"<a@jk.gov.in>", NULL},
    {"a@jk.gov.in,b@jk.gov.in", NULL},
    {"Name <a@jk.gov.in>", NULL},
    {"r\xc3\xa9@jk.gov.in", NULL},
    {"nobody", NULL},
    {"@jk.gov.in", NULL},
};

START_TEST(header_addresses)
{
    char out[256];
    int rc = mime_address(addresses[_i].in, out, sizeof(out));

    if (addresses[_i].out == NULL) {
        ck_assert_msg(rc < 0, "accepted '%s' as '%s'", addresses[_i].in, out);
        return;
    }
    ck_assert_msg(rc == 0, "refused '%s'", addresses[_i].in);
    ck_assert_str_eq(out, addresses[_i].out);
}
END_TEST

START_TEST(dates)
{
    char d[64];

    timefmt_rfc5322(at(2027, 3, 15, 7, 0, 3), d, sizeof(d));
    ck_assert_str_eq(d, "Mon, 15 Mar 2027 07:00:03 +0000");
}
END_TEST

START_TEST(command_words)
{
    size_t n = 0;
    char **w = digest_split_words("  /usr/sbin/sendmail\t-t  -i;touch /tmp/x ", 2, &n);

    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(w[0], "/usr/sbin/sendmail");
    ck_assert_str_eq(w[1], "-t");
    ck_assert_str_eq(w[2], "-i;touch");
    ck_assert_str_eq(w[3], "/tmp/x");
    ck_assert_ptr_null(w[4]);
    digest_free_words(w, n);
    ck_assert_ptr_null(digest_split_words(" \t ", 0, &n));
}
END_TEST

static const struct {
    long long cur, prev;
    const char *want;
} changes[] = {
    {62, 40, "+22 (+55%)"}, {3, 10, "-7 (-70%)"},   {5, 5, "0"},         {2, 0, "new"},
    {0, 4, "-4 (-100%)"},   {79, 57, "+22 (+39%)"}, {1, 3, "-2 (-67%)"}, {0, 0, "0"},
};

START_TEST(change_wording)
{
    char got[48];

    digest_fmt_change(got, sizeof(got), changes[_i].cur, changes[_i].prev);
    ck_assert_msg(strcmp(got, changes[_i].want) == 0, "%lld against %lld: got %s, want %s",
                  changes[_i].cur, changes[_i].prev, got, changes[_i].want);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof(*(a))))

static Suite *digest_suite(void)
{
    Suite *s = suite_create("digest");
    TCase *t = tcase_create("digest");

    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, week_of_table, 0, N(weeks));
    tcase_add_test(t, week_of_matches_strftime);
    tcase_add_test(t, week_start_round_trip);
    tcase_add_test(t, week_parse);
    tcase_add_test(t, periods);
    tcase_add_loop_test(t, safe_display, 0, N(shown));
    tcase_add_loop_test(t, header_encoding, 0, N(headers));
    tcase_add_loop_test(t, quoted_printable, 0, N(bodies));
    tcase_add_loop_test(t, header_addresses, 0, N(addresses));
    tcase_add_test(t, dates);
    tcase_add_test(t, command_words);
    tcase_add_loop_test(t, change_wording, 0, N(changes));
    suite_add_tcase(s, t);
    return s;
}

CHECK_MAIN(digest_suite)
