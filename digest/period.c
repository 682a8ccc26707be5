/*
 * digest_period - ISO week arithmetic and the digest's period.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "period.h"
#include "timefmt.h"

#define DIGEST_WEEK (7 * DIGEST_DAY)

/* period_date - 00:00:00Z of YEAR-MON-MDAY (MON 1-12); timegm normalises overflows. */
static time_t period_date(int year, int mon, int mday)
{
    struct tm tm = {0};

    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = mday;
    return timegm(&tm);
}

/* period_iso_wday - 1 (Monday) to 7 (Sunday) from struct tm's 0 (Sunday) to 6. */
static int period_iso_wday(const struct tm *tm)
{
    return (tm->tm_wday + 6) % 7 + 1;
}

/* period_floor_day - 00:00:00Z of T's day (floor, also before 1970). */
static time_t period_floor_day(time_t t)
{
    time_t r = t % DIGEST_DAY;

    return r < 0 ? t - r - DIGEST_DAY : t - r;
}

/* digest_weeks_in_year - the week of 28 December, always in the year's last week. */
int digest_weeks_in_year(int year)
{
    time_t t = period_date(year, 12, 28);
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL)
        return 52;
    return (tm.tm_yday + 1 - period_iso_wday(&tm) + 10) / 7;
}

/* digest_week_parse - four digits, an optional '-', 'W', two digits. */
int digest_week_parse(const char *s, int *year, int *week)
{
    int y = 0, w = 0;

    for (int i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        y = y * 10 + (s[i] - '0');
    }
    s += 4;
    if (*s == '-')
        s++;
    if (*s != 'W' && *s != 'w')
        return -1;
    s++;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != '\0')
        return -1;
    w = (s[0] - '0') * 10 + (s[1] - '0');
    /* Before 1970 no log record can exist; the bound also keeps time_t arithmetic small. */
    if (y < 1970 || y > 9998)
        return -1;
    *year = y;
    *week = w;
    return 0;
}

/* digest_week_start - Monday of week 1 is the Monday on or before 4 January. */
int digest_week_start(int year, int week, time_t *start)
{
    time_t jan4 = period_date(year, 1, 4);
    struct tm tm;

    if (week < 1 || week > digest_weeks_in_year(year) || gmtime_r(&jan4, &tm) == NULL)
        return -1;
    *start =
        jan4 - (time_t)(period_iso_wday(&tm) - 1) * DIGEST_DAY + (time_t)(week - 1) * DIGEST_WEEK;
    return 0;
}

/* digest_week_of - the ordinal-date formula of ISO 8601, moved across year ends. */
void digest_week_of(time_t t, int *year, int *week)
{
    struct tm tm;
    int y, w;

    if (gmtime_r(&t, &tm) == NULL) {
        *year = 1970, *week = 1;
        return;
    }
    y = tm.tm_year + 1900;
    w = (tm.tm_yday + 1 - period_iso_wday(&tm) + 10) / 7;
    if (w < 1) {
        y--;
        w = digest_weeks_in_year(y);
    } else if (w > digest_weeks_in_year(y)) {
        y++;
        w = 1;
    }
    *year = y;
    *week = w;
}

/* digest_stamp - the log's time stamp format. */
int digest_stamp(time_t t, char out[DIGEST_STAMP_LEN])
{
    return timefmt_iso8601(t, out);
}

/* period_span_label - "2027-03-01 to 2027-03-10" (whole days) or with times (exclusive end). */
static int period_span_label(time_t start, time_t end, char *out, size_t len)
{
    char a[DIGEST_STAMP_LEN], b[DIGEST_STAMP_LEN];
    int whole = start % DIGEST_DAY == 0 && end % DIGEST_DAY == 0, n;

    if (digest_stamp(start, a) < 0 || digest_stamp(whole ? end - DIGEST_DAY : end, b) < 0)
        return -1;
    if (whole)
        n = snprintf(out, len, "%.10s to %.10s", a, b);
    else
        n = snprintf(out, len, "%.16sZ to %.16sZ", a, b);
    return n > 0 && (size_t)n < len ? 0 : -1;
}

/* period_fill - the derived fields of P from start, end and is_week. */
static int period_fill(struct digest_period *p)
{
    time_t len = p->end - p->start;
    int py, pw;

    p->prev_start = p->start - len;
    p->first_day = period_floor_day(p->start);
    p->ndays = (int)((p->end - p->first_day + DIGEST_DAY - 1) / DIGEST_DAY);
    if (digest_stamp(p->start, p->since) < 0 || digest_stamp(p->end, p->until) < 0 ||
        digest_stamp(p->prev_start, p->prev_since) < 0)
        return -1;
    if (!p->is_week) {
        int ey, ew;
        if (period_span_label(p->start, p->end, p->label, sizeof(p->label)) < 0 ||
            period_span_label(p->prev_start, p->start, p->prev_label, sizeof(p->prev_label)) < 0)
            return -1;
        digest_week_of(p->start, &py, &pw);
        digest_week_of(p->end - 1, &ey, &ew);
        if (py == ey && pw == ew)
            snprintf(p->week_note, sizeof(p->week_note), "%04d-W%02d", py, pw);
        return 0;
    }
    digest_week_of(p->prev_start, &py, &pw);
    snprintf(p->label, sizeof(p->label), "%04d-W%02d", p->year, p->week);
    snprintf(p->prev_label, sizeof(p->prev_label), "%04d-W%02d", py, pw);
    return 0;
}

/* digest_period_week - one ISO week. */
int digest_period_week(struct digest_period *p, int year, int week)
{
    memset(p, 0, sizeof(*p));
    if (digest_week_start(year, week, &p->start) < 0)
        return -1;
    p->end = p->start + DIGEST_WEEK;
    p->is_week = 1;
    p->year = year;
    p->week = week;
    return period_fill(p);
}

/* digest_period_last_week - the week before the one NOW is in. */
int digest_period_last_week(struct digest_period *p, time_t now)
{
    int year, week;

    /* The Monday of NOW's week is 7 days after the start of the week wanted. */
    digest_week_of(now - DIGEST_WEEK, &year, &week);
    return digest_period_week(p, year, week);
}

/* digest_schedule_parse - day names into a weekday mask. */
int digest_schedule_parse(const char *s, unsigned *mask)
{
    static const char *const names[7] = {"sunday",   "monday", "tuesday", "wednesday",
                                         "thursday", "friday", "saturday"};
    unsigned m = 0;

    while (*s != '\0') {
        size_t n = strcspn(s, ","), d;
        for (d = 0; d < 7; d++)
            if (n >= 3 && n <= strlen(names[d]) && strncasecmp(s, names[d], n) == 0)
                break;
        if (d == 7)
            return -1;
        m |= 1u << d;
        s += n;
        if (*s == ',' && *++s == '\0')
            return -1; /* a trailing comma */
    }
    if (m == 0)
        return -1;
    *mask = m;
    return 0;
}

/* period_scheduled_before - 00:00Z of the latest scheduled day at or before DAY (a midnight). */
static time_t period_scheduled_before(time_t day, unsigned mask)
{
    struct tm tm;

    for (int i = 0; i < 7; i++, day -= DIGEST_DAY)
        if (gmtime_r(&day, &tm) != NULL && (mask & (1u << tm.tm_wday)))
            return day;
    return (time_t)-1;
}

/* digest_period_schedule - between the two latest scheduled midnights. */
int digest_period_schedule(struct digest_period *p, time_t now, unsigned mask)
{
    char err[160];
    time_t end = period_scheduled_before(period_floor_day(now), mask & 0x7fu), start;
    int year, week;

    if (end == (time_t)-1 ||
        (start = period_scheduled_before(end - DIGEST_DAY, mask)) == (time_t)-1)
        return -1;
    if (end - start == DIGEST_WEEK && mask == 1u << 1) { /* Mondays: an ISO week */
        digest_week_of(start, &year, &week);
        return digest_period_week(p, year, week);
    }
    return digest_period_span(p, start, end, err, sizeof(err));
}

/* digest_period_span - an explicit [SINCE, UNTIL). */
int digest_period_span(struct digest_period *p, time_t since, time_t until, char *err,
                       size_t errlen)
{
    memset(p, 0, sizeof(*p));
    if (until <= since) {
        snprintf(err, errlen, "--until must come after --since");
        return -1;
    }
    if (until - since > (time_t)DIGEST_MAX_DAYS * DIGEST_DAY) {
        snprintf(err, errlen,
                 "a digest covers at most %d days (use officialmail stats for longer periods)",
                 DIGEST_MAX_DAYS);
        return -1;
    }
    p->start = since;
    p->end = until;
    if (period_fill(p) < 0) {
        snprintf(err, errlen, "dates out of range");
        return -1;
    }
    return 0;
}

/* digest_day_index - the calendar day of a log stamp, counted from the period's first. */
int digest_day_index(const struct digest_period *p, const char *stamp)
{
    int v[3] = {0, 0, 0}, widths[3] = {4, 2, 2};
    const char *s = stamp;
    time_t day;

    for (int f = 0; f < 3; f++) {
        for (int i = 0; i < widths[f]; i++, s++) {
            if (!isdigit((unsigned char)*s))
                return -1;
            v[f] = v[f] * 10 + (*s - '0');
        }
        if (f < 2 && *s++ != '-')
            return -1;
    }
    day = period_date(v[0], v[1], v[2]);
    if (day < p->first_day)
        return -1;
    day = (day - p->first_day) / DIGEST_DAY;
    return day < p->ndays ? (int)day : -1;
}
