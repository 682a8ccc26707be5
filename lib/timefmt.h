/*
 * timefmt - the one formatter and parser of dates and times, all in UTC:
 * ISO 8601 as the log stamps time ("2027-03-31T10:00:00Z", which sorts
 * as text), the day alone ("2027-03-31"), and RFC 5322's date-time for
 * mail headers (English names whatever the locale).
 *
 * Returns: 0 / -1 (a time gmtime_r cannot break down, or text that is
 * not a date that exists).
 * Thread safety: reentrant (gmtime_r, timegm; no locale).
 */
#ifndef OM_TIMEFMT_H
#define OM_TIMEFMT_H

#include <stddef.h>
#include <time.h>

#define TIMEFMT_ISO_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and NUL */
#define TIMEFMT_DAY_LEN 11 /* "YYYY-MM-DD" and NUL */

/* timefmt_iso8601 - T as "YYYY-MM-DDTHH:MM:SSZ" into OUT. 0 or -1. */
int timefmt_iso8601(time_t t, char out[TIMEFMT_ISO_LEN]);

/* timefmt_day - the UTC day of T as "YYYY-MM-DD" into OUT. 0 or -1. */
int timefmt_day(time_t t, char out[TIMEFMT_DAY_LEN]);

/*
 * timefmt_rfc5322 - T as "Mon, 15 Mar 2027 07:00:00 +0000" into OUT (LEN
 * bytes; the epoch's when T cannot be broken down).
 */
void timefmt_rfc5322(time_t t, char *out, size_t len);

/*
 * timefmt_parse - an ISO 8601 date or date-time in UTC ("2027-03-31",
 * "2027-03-31T10:00:00Z", "2027-03-31 10:00") into *OUT; the date must
 * exist (no 2027-02-30). 0 or -1.
 */
int timefmt_parse(const char *s, time_t *out);

#endif
