/*
 * alert_follow - the place of an alert rule that follows every gateway
 * of the central log (`officialmail alert --central` without --gateway),
 * kept in the state file beside its row of table alert_state (SPEC 10:
 * per reader, under $localstatedir/lib/officialmail):
 *
 *   alert_cursor (alert, gateway, cursor)  per gateway, the highest id judged;
 *   alert_fired (alert, time)              the record times of the windows
 *                                          that alerted (the last ALERT_FIRED_MAX),
 *                                          so that alert_interval holds in
 *                                          whatever order the gateways ship;
 *   alert_meta (key, value)                "follows": what the file follows,
 *                                          a gateway's name or "*" (all).
 *
 * alert_follow_put() writes a rule's row, cursors and fired times in one
 * SQLite transaction (durable when it returns: synchronous=FULL), so that
 * an alert is stored as pending together with the fired time that keeps
 * it from being judged again, and the cursors move only when a round has
 * judged every window their records touch.
 *
 * Ownership: a struct alert_follow owns its strings (alert_follow_clear).
 * Thread safety: as alert_state.
 */
#ifndef OM_ALERT_FOLLOW_H
#define OM_ALERT_FOLLOW_H

#include <stddef.h>
#include <time.h>

#include "alert_state.h"

#define ALERT_FIRED_MAX 1000

/* One gateway's cursor. */
struct alert_cursor {
    char *gateway;
    long long id; /* the highest id judged */
};

/* One alert rule's place on the whole central log. */
struct alert_follow {
    struct alert_row row; /* last_alert: the latest fired time; pending alert (cursor unused: 0) */
    struct alert_cursor *gw;
    size_t ngw;
    time_t *fired; /* oldest first */
    size_t nfired;
};

/*
 * alert_follow_init - the tables, and the file's "follows" (FOLLOWS as
 * given when new): -1 with ERR when the file follows something else.
 */
int alert_follow_init(struct alert_state *st, const char *follows, char *err, size_t errlen);

/* alert_follow_get - NAME's place into F: 1, 0 when there is none (F empty), -1 on error. */
int alert_follow_get(struct alert_state *st, const char *name, struct alert_follow *f);

/* alert_follow_put - write NAME's place F in one transaction; 0 committed, -1 (nothing written). */
int alert_follow_put(struct alert_state *st, const char *name, const struct alert_follow *f);

/* alert_follow_clear - free F's strings and arrays. */
void alert_follow_clear(struct alert_follow *f);

/* alert_follow_cursor - GATEWAY's cursor, or -1 when F has none for it. */
long long alert_follow_cursor(const struct alert_follow *f, const char *gateway);

/* alert_follow_set - GATEWAY's cursor to ID (added when missing). 0, -1 out of memory. */
int alert_follow_set(struct alert_follow *f, const char *gateway, long long id);

/* alert_follow_fired - T among the fired times (the oldest dropped past ALERT_FIRED_MAX). */
int alert_follow_fired(struct alert_follow *f, time_t t);

/* alert_follow_quiet - 1 when a window ending at T lies within INTERVAL of a fired one. */
int alert_follow_quiet(const struct alert_follow *f, time_t t, long interval);

#endif
