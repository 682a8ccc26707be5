/*
 * alert_eval - one alert rule judged over the records after its cursor
 * (SPEC 10): the matching records inside the sliding window, counted by
 * their `time`, reach the threshold, and the rule has not alerted within
 * alert_interval (also by record time, so that catching up after a
 * stop judges the past as it happened, and a restart changes nothing).
 *
 * Ownership: a hit borrows the rule and owns its strings (freed after
 * the FIRE callback returns).
 * Thread safety: reentrant.
 */
#ifndef OM_ALERT_EVAL_H
#define OM_ALERT_EVAL_H

#include <stddef.h>
#include <time.h>

#include "alert_state.h"
#include "policy.h"
#include "store.h"

#define ALERT_TOP 5
#define ALERT_STAMP 32

/* An address and how many of the window's records name it. */
struct alert_top {
    const char *value;
    long count;
};

/* One alert: what tripped, over which records. */
struct alert_hit {
    const struct alert_rule *rule;
    long count;
    char first[ALERT_STAMP], last[ALERT_STAMP]; /* times of the first and last record counted */
    long long last_id;
    time_t last_time;
    struct alert_top senders[ALERT_TOP], addresses[ALERT_TOP];
    size_t nsenders, naddresses;
    const char **departments; /* distinct, of the records counted */
    size_t ndepartments;
};

/* Called for each alert, in record order; it stores and sends it. 0, or -1 to stop. */
typedef int (*alert_fire_fn)(const struct alert_hit *h, struct alert_row *row, void *arg);

/*
 * alert_eval - judge rule A (alert_interval INTERVAL seconds) over the
 * records of S (only GATEWAY's when not NULL: the central log, whose ids
 * are per gateway) after ROW->cursor, at most BATCH of them; FIRE is called
 * for each alert with ROW (it sets the cursor and last_alert it
 * persists). ROW->cursor ends at the last record judged. Returns the
 * number of records judged, or -1 (ERR says why; FIRE's failure
 * included, ROW then as FIRE left it).
 */
long alert_eval(struct store *s, const char *gateway, const struct alert_rule *a, long interval,
                struct alert_row *row, alert_fire_fn fire, void *arg, char *err, size_t errlen);

/* alert_parse_stamp - a record time "YYYY-MM-DDTHH:MM:SSZ" as time_t; -1 when malformed. */
time_t alert_parse_stamp(const char *stamp);

/* alert_format_stamp - T as a record time into OUT (ALERT_STAMP bytes). */
void alert_format_stamp(time_t t, char *out);

#endif
