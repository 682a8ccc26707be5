/*
 * alert_follow - an alert rule's cursors per gateway and fired times, in
 * the central state file.
 */
#include <config.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_follow.h"

/* alert_follow_what - "every gateway" or "gateway NAME" for a "follows" value. */
static void alert_follow_what(const char *follows, char *out, size_t len)
{
    if (strcmp(follows, "*") == 0)
        snprintf(out, len, "every gateway");
    else
        snprintf(out, len, "gateway %s", follows);
}

/*
 * alert_follow_legacy - 1 when DB was written by an earlier officialmail
 * (alert rules kept, no alert_meta): it followed one gateway, with
 * --gateway; 0 when not, -1 on error.
 */
static int alert_follow_legacy(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db,
                           "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name ="
                           " 'alert_meta') AND EXISTS (SELECT 1 FROM alert_state)",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        rc = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return rc;
}

/* alert_follow_init - create, then compare "follows" (set when new). */
int alert_follow_init(struct alert_state *st, const char *follows, char *err, size_t errlen)
{
    static const char create[] =
        "PRAGMA synchronous = FULL;"
        "CREATE TABLE IF NOT EXISTS alert_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE IF NOT EXISTS alert_cursor (alert TEXT NOT NULL, gateway TEXT NOT NULL,"
        " cursor INTEGER NOT NULL, PRIMARY KEY (alert, gateway));"
        "CREATE TABLE IF NOT EXISTS alert_fired (alert TEXT NOT NULL, time INTEGER NOT NULL);";
    sqlite3 *db = alert_state_db(st);
    sqlite3_stmt *s = NULL;
    char was[300], now[300];
    int rc = -1, legacy = alert_follow_legacy(db);

    /* Its rules would read every other gateway from the start: the whole past. */
    if (legacy != 0 && strcmp(follows, "*") == 0) {
        snprintf(err, errlen,
                 legacy < 0 ? "reading it: %s"
                            : "it was written by an earlier officialmail for one gateway "
                              "(--gateway NAME): give that --gateway, or another --state FILE%s",
                 legacy < 0 ? sqlite3_errmsg(db) : "");
        return -1;
    }
    if (sqlite3_exec(db, create, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO alert_meta (key, value) VALUES ('follows', ?1)"
                           " ON CONFLICT (key) DO UPDATE SET key = key RETURNING value",
                           -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot create its tables: %s", sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_bind_text(s, 1, follows, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_text(s, 0) == NULL) {
        snprintf(err, errlen, "reading alert_meta: %s", sqlite3_errmsg(db));
        goto out;
    }
    alert_follow_what((const char *)sqlite3_column_text(s, 0), was, sizeof(was));
    alert_follow_what(follows, now, sizeof(now));
    if (strcmp(was, now) != 0)
        snprintf(err, errlen, "it follows %s, not %s (use another --state FILE)", was, now);
    else
        rc = 0;
out:
    sqlite3_finalize(s);
    return rc;
}

/* alert_follow_clear - everything. */
void alert_follow_clear(struct alert_follow *f)
{
    alert_row_clear(&f->row);
    for (size_t i = 0; i < f->ngw; i++)
        free(f->gw[i].gateway);
    free(f->gw);
    free(f->fired);
    memset(f, 0, sizeof(*f));
}

long long alert_follow_cursor(const struct alert_follow *f, const char *gateway)
{
    for (size_t i = 0; i < f->ngw; i++)
        if (strcmp(f->gw[i].gateway, gateway) == 0)
            return f->gw[i].id;
    return -1;
}

int alert_follow_set(struct alert_follow *f, const char *gateway, long long id)
{
    struct alert_cursor *v;

    for (size_t i = 0; i < f->ngw; i++)
        if (strcmp(f->gw[i].gateway, gateway) == 0) {
            f->gw[i].id = id;
            return 0;
        }
    if ((v = realloc(f->gw, (f->ngw + 1) * sizeof(*v))) == NULL)
        return -1;
    f->gw = v;
    if ((v[f->ngw].gateway = strdup(gateway)) == NULL)
        return -1;
    v[f->ngw++].id = id;
    return 0;
}

/* alert_follow_fired - kept in time order; the oldest goes when full. */
int alert_follow_fired(struct alert_follow *f, time_t t)
{
    size_t i;

    if (f->nfired == ALERT_FIRED_MAX) {
        memmove(f->fired, f->fired + 1, (f->nfired - 1) * sizeof(*f->fired));
        f->nfired--;
    } else {
        time_t *v = realloc(f->fired, (f->nfired + 1) * sizeof(*v));
        if (v == NULL)
            return -1;
        f->fired = v;
    }
    for (i = f->nfired; i > 0 && f->fired[i - 1] > t; i--)
        f->fired[i] = f->fired[i - 1];
    f->fired[i] = t;
    f->nfired++;
    return 0;
}

/* alert_follow_quiet - within INTERVAL before or after a fired time (1 s at least). */
int alert_follow_quiet(const struct alert_follow *f, time_t t, long interval)
{
    if (interval < 1)
        interval = 1;
    for (size_t i = 0; i < f->nfired; i++)
        if (t > f->fired[i] - interval && t < f->fired[i] + interval)
            return 1;
    return 0;
}

/* alert_follow_load - the cursors and fired times of NAME. 0 or -1. */
static int alert_follow_load(struct alert_state *st, const char *name, struct alert_follow *f)
{
    sqlite3 *db = alert_state_db(st);
    sqlite3_stmt *s = NULL;
    int step, rc = 0;

    if (sqlite3_prepare_v2(db,
                           "SELECT gateway, cursor, NULL FROM alert_cursor WHERE alert = ?1"
                           " UNION ALL SELECT NULL, NULL, time FROM alert_fired WHERE alert = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return alert_state_set_error(st, "reading alert_cursor");
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *gw = (const char *)sqlite3_column_text(s, 0);
        if (gw != NULL)
            rc = alert_follow_set(f, gw, sqlite3_column_int64(s, 1));
        else
            rc = alert_follow_fired(f, (time_t)sqlite3_column_int64(s, 2));
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = alert_state_set_error(st, "reading alert_cursor");
    else if (rc < 0)
        alert_state_set_error(st, "out of memory reading alert_cursor");
    sqlite3_finalize(s);
    return rc;
}

/* alert_follow_get - the row, then the rest. */
int alert_follow_get(struct alert_state *st, const char *name, struct alert_follow *f)
{
    int found;

    memset(f, 0, sizeof(*f));
    if ((found = alert_state_get(st, name, &f->row)) <= 0)
        return found;
    if (alert_follow_load(st, name, f) < 0) {
        alert_follow_clear(f);
        return -1;
    }
    return 1;
}

/* alert_follow_rows - SQL (?1 NAME, ?2 text, ?3 integer) once per cursor, or per fired time. */
static int alert_follow_rows(sqlite3 *db, const char *sql, const char *name,
                             const struct alert_follow *f, int cursors)
{
    sqlite3_stmt *s;
    size_t n = cursors ? f->ngw : f->nfired;
    int rc = 0;

    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        if (cursors)
            sqlite3_bind_text(s, 2, f->gw[i].gateway, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, cursors ? f->gw[i].id : (sqlite3_int64)f->fired[i]);
        rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return rc;
}

/* alert_follow_forget - SQL with ?1 = NAME (a DELETE of the rule's rows). 0 or -1. */
static int alert_follow_forget(sqlite3 *db, const char *sql, const char *name)
{
    sqlite3_stmt *s;
    int rc = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_DONE)
        rc = 0;
    sqlite3_finalize(s);
    return rc;
}

/* alert_follow_put - BEGIN IMMEDIATE, the row, the cursors, the fired times, COMMIT. */
int alert_follow_put(struct alert_state *st, const char *name, const struct alert_follow *f)
{
    sqlite3 *db = alert_state_db(st);

    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return alert_state_set_error(st, "writing the state file");
    if (alert_state_put(st, name, &f->row) < 0)
        goto rollback;
    if (alert_follow_forget(db, "DELETE FROM alert_cursor WHERE alert = ?1", name) == 0 &&
        alert_follow_forget(db, "DELETE FROM alert_fired WHERE alert = ?1", name) == 0 &&
        alert_follow_rows(db,
                          "INSERT INTO alert_cursor (alert, gateway, cursor) VALUES (?1, ?2, ?3)",
                          name, f, 1) == 0 &&
        alert_follow_rows(db, "INSERT INTO alert_fired (alert, time) VALUES (?1, ?3)", name, f,
                          0) == 0 &&
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    alert_state_set_error(st, "writing the state file");
rollback:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}
