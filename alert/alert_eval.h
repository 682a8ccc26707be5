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
#include "alert_window.h"

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

#endif
