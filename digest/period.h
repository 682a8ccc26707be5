/*
 * digest_period - the period a digest covers: an ISO 8601 week (Monday
 * 00:00:00Z to the next Monday), or --since/--until, and the period of
 * the same length just before it, which the trends compare against.
 *
 * ISO weeks (ISO 8601): week 1 of a year is the week holding 4 January;
 * a year has 53 weeks when 28 December falls in week 53, else 52. The
 * default period is the last complete ISO week before now, in UTC.
 *
 * Returns: 0 / -1; digest_weeks_in_year() 52 or 53; digest_day_index()
 * the day's index, or -1 when the stamp is outside the period.
 *
 * Thread safety: reentrant (gmtime_r, timegm).
 */
#ifndef OM_DIGEST_PERIOD_H
#define OM_DIGEST_PERIOD_H

#include <time.h>

#include "timefmt.h"

#define DIGEST_STAMP_LEN TIMEFMT_ISO_LEN /* "YYYY-MM-DDTHH:MM:SSZ" and NUL */
#define DIGEST_MAX_DAYS 92               /* a quarter; longer periods are `officialmail stats` */
#define DIGEST_DAY 86400

struct digest_period {
    time_t start, end;   /* [start, end) */
    time_t prev_start;   /* the previous period: [prev_start, start) */
    int is_week;         /* an ISO week (--week or the default) */
    int year, week;      /* that ISO week, when is_week */
    int ndays;           /* UTC calendar days touched by [start, end) */
    time_t first_day;    /* 00:00:00Z of the first of them */
    char label[48];      /* "2027-W10", or "2027-03-01 to 2027-03-10" */
    char week_note[16];  /* a span inside one ISO week: that week ("2027-W10"), else "" */
    char prev_label[48]; /* the previous period, likewise */
    char since[DIGEST_STAMP_LEN], until[DIGEST_STAMP_LEN], prev_since[DIGEST_STAMP_LEN];
};

/* digest_week_parse - "YYYY-Www" (also "YYYYWww") into *YEAR, *WEEK. 0, or -1 when malformed. */
int digest_week_parse(const char *s, int *year, int *week);

/* digest_weeks_in_year - 52 or 53: the ISO weeks of ISO year YEAR. */
int digest_weeks_in_year(int year);

/* digest_week_start - *START = Monday 00:00:00Z of ISO week WEEK of YEAR; -1 when no such week. */
int digest_week_start(int year, int week, time_t *start);

/* digest_week_of - the ISO year and week holding time T (UTC). */
void digest_week_of(time_t t, int *year, int *week);

/* digest_period_week - P = ISO week WEEK of YEAR. 0 or -1 (no such week). */
int digest_period_week(struct digest_period *p, int year, int week);

/* digest_period_last_week - P = the last complete ISO week before NOW. 0 or -1. */
int digest_period_last_week(struct digest_period *p, time_t now);

/*
 * digest_schedule_parse - "Mon,Thu" (English day names or their first
 * three letters, any case, comma-separated) into a mask of weekdays (bit
 * 0 Sunday to bit 6 Saturday). 0, or -1 when malformed.
 */
int digest_schedule_parse(const char *s, unsigned *mask);

/*
 * digest_period_schedule - P = the last complete interval between two
 * scheduled days before NOW: from 00:00Z of the scheduled day before the
 * latest one to 00:00Z of the latest one at or before NOW. For Mondays
 * alone that is the last complete ISO week; for Mondays and Thursdays a
 * run on Monday covers Thursday to Sunday, one on Thursday Monday to
 * Wednesday. 0 or -1 (empty MASK).
 */
int digest_period_schedule(struct digest_period *p, time_t now, unsigned mask);

/*
 * digest_period_span - P = [SINCE, UNTIL). 0, or -1 with the reason in
 * ERR (ERRLEN bytes) when UNTIL is not after SINCE or the span is longer
 * than DIGEST_MAX_DAYS days.
 */
int digest_period_span(struct digest_period *p, time_t since, time_t until, char *err,
                       size_t errlen);

/* digest_stamp - T as the log stamps time, "YYYY-MM-DDTHH:MM:SSZ", into OUT. 0 or -1. */
int digest_stamp(time_t t, char out[DIGEST_STAMP_LEN]);

/* digest_day_index - the day of the period (0..ndays-1) of log stamp S, or -1. */
int digest_day_index(const struct digest_period *p, const char *stamp);

#endif
