/*
 * alert_state - the alert cursor table in the local SQLite database.
 */
#include <config.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_state.h"

/* How long a statement waits for the milter's writer to release its lock. */
#define BUSY_MS 5000

struct alert_state {
    sqlite3 *db;
    char error[512];
};

/* alert_state_fail - remember WHAT and SQLite's message; -1. */
static int alert_state_fail(struct alert_state *st, const char *what)
{
    snprintf(st->error, sizeof(st->error), "%s: %s", what, sqlite3_errmsg(st->db));
    return -1;
}

/* alert_state_open - open read-write (a local log must exist: the milter creates it). */
struct alert_state *alert_state_open(const char *path, int make, char *err, size_t errlen)
{
    struct alert_state *st = calloc(1, sizeof(*st));
    static const char create[] = "CREATE TABLE IF NOT EXISTS alert_state (alert TEXT PRIMARY KEY,"
                                 " cursor INTEGER NOT NULL, last_alert INTEGER NOT NULL,"
                                 " pending_json TEXT, pending_mail TEXT, pending_rcpts TEXT)";

    if (st == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | (make ? SQLITE_OPEN_CREATE : 0),
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
        alert_state_close(st);
        return NULL;
    }
    sqlite3_busy_timeout(st->db, BUSY_MS);
    if (sqlite3_exec(st->db, create, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot create table alert_state: %s", path,
                 sqlite3_errmsg(st->db));
        alert_state_close(st);
        return NULL;
    }
    return st;
}

/* alert_state_close - close the connection. */
void alert_state_close(struct alert_state *st)
{
    if (st == NULL)
        return;
    sqlite3_close(st->db);
    free(st);
}

/* alert_state_error - the message. */
const char *alert_state_error(const struct alert_state *st)
{
    return st->error;
}

/* alert_state_head - MAX(id). */
int alert_state_head(struct alert_state *st, long long *id)
{
    sqlite3_stmt *s;
    int rc = -1;

    if (sqlite3_prepare_v2(st->db, "SELECT COALESCE(MAX(id), 0) FROM violations", -1, &s, NULL) !=
        SQLITE_OK)
        return alert_state_fail(st, "reading the log's last id");
    if (sqlite3_step(s) == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        rc = 0;
    } else {
        alert_state_fail(st, "reading the log's last id");
    }
    sqlite3_finalize(s);
    return rc;
}

/* alert_state_text - a copy of column I, NULL when NULL; *OOM set when out of memory. */
static char *alert_state_text(sqlite3_stmt *s, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    char *c;

    if (t == NULL)
        return NULL;
    if ((c = strdup((const char *)t)) == NULL)
        *oom = 1;
    return c;
}

/* alert_state_get - one row. */
int alert_state_get(struct alert_state *st, const char *name, struct alert_row *r)
{
    sqlite3_stmt *s;
    int rc = 0, oom = 0, step;

    memset(r, 0, sizeof(*r));
    if (sqlite3_prepare_v2(st->db,
                           "SELECT cursor, last_alert, pending_json, pending_mail, pending_rcpts"
                           " FROM alert_state"
                           " WHERE alert = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return alert_state_fail(st, "reading alert_state");
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if ((step = sqlite3_step(s)) == SQLITE_ROW) {
        r->cursor = sqlite3_column_int64(s, 0);
        r->last_alert = (time_t)sqlite3_column_int64(s, 1);
        r->pending_json = alert_state_text(s, 2, &oom);
        r->pending_mail = alert_state_text(s, 3, &oom);
        r->pending_rcpts = alert_state_text(s, 4, &oom);
        rc = 1;
    } else if (step != SQLITE_DONE) {
        rc = alert_state_fail(st, "reading alert_state");
    }
    sqlite3_finalize(s);
    if (oom) {
        alert_row_clear(r);
        snprintf(st->error, sizeof(st->error), "out of memory reading alert_state");
        return -1;
    }
    return rc;
}

/* alert_state_put - one statement, its own transaction (durable on return). */
int alert_state_put(struct alert_state *st, const char *name, const struct alert_row *r)
{
    sqlite3_stmt *s;
    int rc = 0;

    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO alert_state (alert, cursor, last_alert, pending_json,"
                           " pending_mail, pending_rcpts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                           " ON CONFLICT (alert) DO UPDATE SET cursor = ?2, last_alert = ?3,"
                           " pending_json = ?4, pending_mail = ?5, pending_rcpts = ?6",
                           -1, &s, NULL) != SQLITE_OK)
        return alert_state_fail(st, "writing alert_state");
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, r->cursor);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)r->last_alert);
    if (r->pending_json != NULL)
        sqlite3_bind_text(s, 4, r->pending_json, -1, SQLITE_STATIC);
    if (r->pending_mail != NULL)
        sqlite3_bind_text(s, 5, r->pending_mail, -1, SQLITE_STATIC);
    if (r->pending_rcpts != NULL)
        sqlite3_bind_text(s, 6, r->pending_rcpts, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = alert_state_fail(st, "writing alert_state");
    sqlite3_finalize(s);
    return rc;
}

/* alert_state_db - the connection. */
struct sqlite3 *alert_state_db(struct alert_state *st)
{
    return st->db;
}

/* alert_state_set_error - as alert_state_fail. */
int alert_state_set_error(struct alert_state *st, const char *what)
{
    return alert_state_fail(st, what);
}

/* alert_row_clear - the pending strings. */
void alert_row_clear(struct alert_row *r)
{
    free(r->pending_json);
    free(r->pending_mail);
    free(r->pending_rcpts);
    r->pending_json = r->pending_mail = r->pending_rcpts = NULL;
}
