/*
 * timefmt - ISO 8601 and RFC 5322 dates in UTC.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>

#include "timefmt.h"

/* timefmt_put2 - V (0-99) as two digits at P. */
static void timefmt_put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* timefmt_iso8601 - the log's stamp. */
int timefmt_iso8601(time_t t, char out[TIMEFMT_ISO_LEN])
{
    struct tm tm;
    int year;

    if (gmtime_r(&t, &tm) == NULL)
        return -1;
    year = tm.tm_year + 1900;
    if (year < 0 || year > 9999) /* never in a log; strftime says it as it can */
        return strftime(out, TIMEFMT_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 ? -1 : 0;
    /* By hand: every record and every syslog line is stamped on the mail path. */
    timefmt_put2(out, year / 100);
    timefmt_put2(out + 2, year % 100);
    out[4] = '-';
    timefmt_put2(out + 5, tm.tm_mon + 1);
    out[7] = '-';
    timefmt_put2(out + 8, tm.tm_mday);
    out[10] = 'T';
    timefmt_put2(out + 11, tm.tm_hour);
    out[13] = ':';
    timefmt_put2(out + 14, tm.tm_min);
    out[16] = ':';
    timefmt_put2(out + 17, tm.tm_sec);
    out[19] = 'Z';
    out[20] = '\0';
    return 0;
}

/* timefmt_day - the date alone. */
int timefmt_day(time_t t, char out[TIMEFMT_DAY_LEN])
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(out, TIMEFMT_DAY_LEN, "%Y-%m-%d", &tm) == 0)
        return -1;
    return 0;
}

/* timefmt_rfc5322 - English names whatever the locale (RFC 5322 3.3). */
void timefmt_rfc5322(time_t t, char *out, size_t len)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(out, len, "Thu, 01 Jan 1970 00:00:00 +0000");
        return;
    }
    snprintf(out, len, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* timefmt_digits - exactly N digits at *S into *OUT, advancing *S. */
static int timefmt_digits(const char **s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return -1;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return 0;
}

/* timefmt_clock - "HH:MM[:SS]" with an optional "Z" into TM. */
static int timefmt_clock(const char *s, struct tm *tm)
{
    if (timefmt_digits(&s, 2, &tm->tm_hour) < 0 || *s++ != ':' ||
        timefmt_digits(&s, 2, &tm->tm_min) < 0)
        return -1;
    if (*s == ':' && (s++, timefmt_digits(&s, 2, &tm->tm_sec) < 0))
        return -1;
    if (*s == 'Z' || *s == 'z')
        s++;
    if (*s != '\0' || tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60)
        return -1;
    return 0;
}

/* timefmt_parse - a date, or a date and a clock time; the date must exist. */
int timefmt_parse(const char *s, time_t *out)
{
    struct tm tm = {0}, check;
    int y, mo, d;

    if (timefmt_digits(&s, 4, &y) < 0 || *s++ != '-' || timefmt_digits(&s, 2, &mo) < 0 ||
        *s++ != '-' || timefmt_digits(&s, 2, &d) < 0)
        return -1;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        if (timefmt_clock(s + 1, &tm) < 0)
            return -1;
    } else if (*s != '\0') {
        return -1;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    *out = timegm(&tm);
    /* timegm() normalises 2027-02-30 to March: refuse dates that moved. */
    if (gmtime_r(out, &check) == NULL || check.tm_year != y - 1900 || check.tm_mon != mo - 1 ||
        check.tm_mday != d || mo < 1 || mo > 12)
        return -1;
    return 0;
}
