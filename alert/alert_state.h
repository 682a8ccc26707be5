/*
 * alert_state - where `officialmail alert` keeps its place: table
 * alert_state of the local violation log's database (SPEC 10), or of a
 * state file for the central log (`alert --central`), one row per alert
 * rule.
 *
 * A row holds the rule's cursor (the id of the last record it has
 * judged), the time of the record that last made it alert (for
 * alert_interval), and an alert being sent: the alert is stored
 * (pending) in the same transaction that moves the cursor past the
 * record that tripped it, and cleared once the mail and alert_command
 * went out. After a crash or restart a pending alert is sent again and
 * the cursor is where it was: no alert is missed, none is repeated
 * (only one whose sending was cut short by the crash itself).
 *
 * Ownership: strings returned through char ** are the caller's.
 * Thread safety: one struct alert_state per thread.
 */
#ifndef OM_ALERT_STATE_H
#define OM_ALERT_STATE_H

#include <stddef.h>
#include <time.h>

struct alert_state;

/* One rule's row. */
struct alert_row {
    long long cursor;    /* last record id judged */
    time_t last_alert;   /* time of the record that last tripped it; 0: never */
    char *pending_json;  /* the alert's JSON line not yet delivered, or NULL */
    char *pending_mail;  /* its mail message not yet sent, or NULL */
    char *pending_rcpts; /* the mail's recipients, one a line */
};

/*
 * alert_state_open - the database at PATH (the table created when
 * missing; with MAKE, the file too: the state file of `alert
 * --central`). NULL with ERR.
 */
struct alert_state *alert_state_open(const char *path, int make, char *err, size_t errlen);

/* alert_state_close - NULL ok. */
void alert_state_close(struct alert_state *st);

/* alert_state_error - the last error, for messages. */
const char *alert_state_error(const struct alert_state *st);

/* alert_state_head - the greatest record id of the local log now (0 when empty). 0 or -1. */
int alert_state_head(struct alert_state *st, long long *id);

/* alert_state_get - NAME's row into R: 1, 0 when there is none, -1 on error. */
int alert_state_get(struct alert_state *st, const char *name, struct alert_row *r);

/* alert_state_put - write NAME's row R (committed when it returns 0); -1 on error. */
int alert_state_put(struct alert_state *st, const char *name, const struct alert_row *r);

/* alert_state_db - the SQLite connection (a sqlite3 *), for alert_follow.c's tables. */
struct sqlite3 *alert_state_db(struct alert_state *st);

/* alert_state_set_error - remember WHAT and SQLite's message as the last error; -1. */
int alert_state_set_error(struct alert_state *st, const char *what);

/* alert_row_clear - free R's strings. */
void alert_row_clear(struct alert_row *r);

#endif
