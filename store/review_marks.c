/*
 * review_marks - the review marks' own hash chain in the SQLite log.
 *
 * A mark's canonical serialisation has the records' form ("NAME=LENGTH:
 * VALUE\n" for its id and each field) and is linked with the same
 * function (chain_hash(), chain.h); the first mark's prev_hash is 64
 * zeros. The head (id and hash of the newest mark) is kept in meta, as
 * the records' is, so that removing the newest marks is seen too.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain.h"
#include "review_db.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

const char *const review_mark_kinds[] = {"reviewed", "false-positive", "escalated", "released",
                                         NULL};

/* review_mark_kind_ok - a reviewer's kind (released comes only from `release`). */
int review_mark_kind_ok(const char *kind)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(kind, review_mark_kinds[i]) == 0)
            return 1;
    return 0;
}

/* review_marks_exist - is there a marks table. */
int review_marks_exist(struct review *rv)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(rv->db, "SELECT 1 FROM sqlite_master WHERE name = 'marks'", -1, &st,
                           NULL) != SQLITE_OK)
        return review_fail(rv, "reading the schema");
    rc = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return rc;
}

/* review_exec - SQL without result rows. */
static int review_exec(struct review *rv, const char *sql, const char *what)
{
    if (sqlite3_exec(rv->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    return review_fail(rv, what);
}

/* review_marks_setup - the table, the triggers that refuse edits, the head. */
int review_marks_setup(struct review *rv)
{
    static const char sql[] =
        "BEGIN IMMEDIATE;"
        "CREATE TABLE IF NOT EXISTS marks (id INTEGER PRIMARY KEY, record_id INTEGER NOT NULL,"
        " time TEXT NOT NULL, mark TEXT NOT NULL, user TEXT NOT NULL, comment TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
        "CREATE INDEX IF NOT EXISTS marks_record ON marks (record_id);"
        "CREATE TRIGGER IF NOT EXISTS marks_no_update BEFORE UPDATE ON marks"
        " BEGIN SELECT RAISE(ABORT, 'review marks are never edited'); END;"
        "CREATE TRIGGER IF NOT EXISTS marks_no_delete BEFORE DELETE ON marks"
        " BEGIN SELECT RAISE(ABORT, 'review marks are never removed'); END;"
        "INSERT OR IGNORE INTO meta VALUES ('marks_head_id', '0'),"
        " ('marks_head_hash', '" ZERO_HASH "');"
        "COMMIT;";

    if (sqlite3_exec(rv->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    review_fail(rv, "creating the review marks table");
    (void)sqlite3_exec(rv->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* review_mark_chain_row - the local fields, or the central ones with console and gateway first. */
void review_mark_chain_row(const struct review_mark *m, char rid[32],
                           char *values[REVIEW_MARK_FIELDS], struct chain_row *row)
{
    static const char *const names[REVIEW_MARK_FIELDS] = {
        "console", "record_gateway", "record_id", "time", "mark", "user", "comment"};
    size_t skip = m->record_gateway != NULL ? 0 : 2; /* a local mark has neither */

    snprintf(rid, 32, "%lld", m->record_id);
    values[0] = m->console ? m->console : "";
    values[1] = m->record_gateway ? m->record_gateway : "";
    values[2] = rid;
    values[3] = (char *)m->time;
    values[4] = (char *)m->mark;
    values[5] = m->user ? m->user : "";
    values[6] = m->comment ? m->comment : "";
    row->id = m->id;
    row->names = names + skip;
    row->values = values + skip;
    row->n = REVIEW_MARK_FIELDS - skip;
}

/* review_mark_hash - HEX = the chain's hash of M after the mark whose hash is PREV. */
int review_mark_hash(const struct review_mark *m, const char *prev, char hex[RECORD_HASH_HEX])
{
    char rid[32];
    char *values[REVIEW_MARK_FIELDS];
    struct chain_row row;

    review_mark_chain_row(m, rid, values, &row);
    return chain_hash(&row, prev, hex);
}

/* review_marks_head - the newest mark's id and hash, from meta. */
static int review_marks_head(struct review *rv, long long *id, char hash[RECORD_HASH_HEX])
{
    sqlite3_stmt *st;
    int rc = -1;

    if (sqlite3_prepare_v2(rv->db,
                           "SELECT (SELECT value FROM meta WHERE key = 'marks_head_id'),"
                           " (SELECT value FROM meta WHERE key = 'marks_head_hash')",
                           -1, &st, NULL) != SQLITE_OK)
        return review_fail(rv, "reading the marks' head");
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
        sqlite3_column_bytes(st, 1) == RECORD_HASH_HEX - 1) {
        *id = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_text(st, 1), RECORD_HASH_HEX);
        rc = 0;
    } else {
        snprintf(rv->error, sizeof(rv->error), "the marks' head is missing or malformed");
    }
    sqlite3_finalize(st);
    return rc;
}

/* review_mark_insert - M (chained) into the table and the head into meta. */
static int review_mark_insert(struct review *rv, const struct review_mark *m)
{
    sqlite3_stmt *st;
    int rc = -1;

    if (sqlite3_prepare_v2(rv->db, "INSERT INTO marks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
                           &st, NULL) != SQLITE_OK)
        return review_fail(rv, "writing a mark");
    sqlite3_bind_int64(st, 1, m->id);
    sqlite3_bind_int64(st, 2, m->record_id);
    sqlite3_bind_text(st, 3, m->time, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->mark, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, m->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, m->comment, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, m->prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, m->hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    else
        review_fail(rv, "writing a mark");
    sqlite3_finalize(st);
    if (rc < 0)
        return -1;
    char sql[256];
    snprintf(sql, sizeof(sql),
             "UPDATE meta SET value = CASE key WHEN 'marks_head_id' THEN '%lld' ELSE '%s' END"
             " WHERE key IN ('marks_head_id', 'marks_head_hash')",
             m->id, m->hash);
    return review_exec(rv, sql, "updating the marks' head");
}

/* review_record_exists - 1 when record ID is in the log. */
static int review_record_exists(struct review *rv, long long id)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(rv->db, "SELECT 1 FROM violations WHERE id = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return review_fail(rv, "finding the record");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return rc;
}

/* review_mark_add - append one mark in its own transaction. */
int review_mark_add(struct review *rv, const char *gateway, long long record_id, const char *kind,
                    const char *user, const char *comment, long long now, struct review_mark *out)
{
    if (rv->ops != NULL)
        return rv->ops->mark_add(rv, gateway, record_id, kind, user, comment, now, out);
    struct review_mark m = {.record_id = record_id};
    time_t t = (time_t)now;
    struct tm tm;

    m.user = (char *)user;
    m.comment = (char *)comment;
    snprintf(m.mark, sizeof(m.mark), "%s", kind);
    strftime(m.time, sizeof(m.time), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    if (review_exec(rv, "BEGIN IMMEDIATE", "starting a transaction") < 0)
        return -1;
    int exists = review_record_exists(rv, record_id);
    if (exists <= 0) {
        if (exists == 0)
            snprintf(rv->error, sizeof(rv->error), "no record has id %lld", record_id);
        goto fail;
    }
    if (review_marks_head(rv, &m.id, m.prev_hash) < 0)
        goto fail;
    m.id++;
    if (review_mark_hash(&m, m.prev_hash, m.hash) < 0) {
        snprintf(rv->error, sizeof(rv->error), "out of memory hashing a mark");
        goto fail;
    }
    if (review_mark_insert(rv, &m) < 0 || review_exec(rv, "COMMIT", "committing a mark") < 0)
        goto fail;
    if (out != NULL) {
        *out = m;
        out->user = out->comment = NULL;
    }
    return 0;
fail:
    (void)sqlite3_exec(rv->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* review_mark_row - a marks row into M (strings owned). */
static int review_mark_row(sqlite3_stmt *st, struct review_mark *m)
{
    const char *t[6];

    memset(m, 0, sizeof(*m));
    for (int i = 0; i < 6; i++) {
        const unsigned char *v = sqlite3_column_text(st, i + 2);
        t[i] = v ? (const char *)v : "";
    }
    m->id = sqlite3_column_int64(st, 0);
    m->record_id = sqlite3_column_int64(st, 1);
    snprintf(m->time, sizeof(m->time), "%s", t[0]);
    snprintf(m->mark, sizeof(m->mark), "%s", t[1]);
    snprintf(m->prev_hash, sizeof(m->prev_hash), "%s", t[4]);
    snprintf(m->hash, sizeof(m->hash), "%s", t[5]);
    m->user = strdup(t[2]);
    m->comment = strdup(t[3]);
    if (m->user == NULL || m->comment == NULL) {
        free(m->user);
        free(m->comment);
        return -1;
    }
    return 0;
}

/* review_marks_walk - FN for each mark of SQL (bound to ID when ID > 0). */
static int review_marks_walk(struct review *rv, const char *sql, long long id,
                             int (*fn)(const struct review_mark *m, void *arg), void *arg)
{
    sqlite3_stmt *st;
    int step, rc = 0;

    if (!rv->has_marks)
        return 0;
    if (sqlite3_prepare_v2(rv->db, sql, -1, &st, NULL) != SQLITE_OK)
        return review_fail(rv, "reading the marks");
    if (id > 0)
        sqlite3_bind_int64(st, 1, id);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct review_mark m;
        if (review_mark_row(st, &m) < 0) {
            snprintf(rv->error, sizeof(rv->error), "out of memory reading the marks");
            rc = -1;
            break;
        }
        rc = fn(&m, arg) != 0;
        free(m.user);
        free(m.comment);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = review_fail(rv, "reading the marks");
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* review_marks - the marks of one record. */
int review_marks(struct review *rv, const char *gateway, long long record_id,
                 int (*fn)(const struct review_mark *m, void *arg), void *arg)
{
    if (rv->ops != NULL)
        return rv->ops->marks(rv, gateway, record_id, fn, arg);
    return review_marks_walk(rv, "SELECT * FROM marks WHERE record_id = ?1 ORDER BY id", record_id,
                             fn, arg);
}

struct marks_walk {
    struct review_verify_result *res;
    char prev[RECORD_HASH_HEX];
    int status;
};

/* review_verify_one - one mark against the expected id and previous hash. */
static int review_verify_one(const struct review_mark *m, void *arg)
{
    struct marks_walk *w = arg;
    char hash[RECORD_HASH_HEX];

    w->res->bad_id = w->res->marks + 1;
    if (m->id != w->res->marks + 1)
        snprintf(w->res->problem, sizeof(w->res->problem),
                 "mark %lld is missing or out of sequence (found id %lld)", w->res->marks + 1,
                 m->id);
    else if (strcmp(m->prev_hash, w->prev) != 0)
        snprintf(w->res->problem, sizeof(w->res->problem),
                 "its prev_hash does not match the mark before it (a mark was changed, removed "
                 "or reordered)");
    else if (review_mark_hash(m, w->prev, hash) < 0) {
        w->status = -1;
        return 1;
    } else {
        if (strcmp(hash, m->hash) == 0) {
            w->res->bad_id = 0;
            w->res->marks++;
            memcpy(w->prev, m->hash, RECORD_HASH_HEX);
            return 0;
        }
        snprintf(w->res->problem, sizeof(w->res->problem),
                 "its hash does not match its contents (the mark was edited or forged)");
    }
    w->status = 1;
    return 1;
}

/* review_marks_verify - walk every mark, then compare with the head in meta. */
int review_marks_verify(struct review *rv, struct review_verify_result *res)
{
    if (rv->ops != NULL)
        return rv->ops->marks_verify(rv, res);
    struct marks_walk w = {.res = res, .prev = ZERO_HASH};
    long long head_id;

    memset(res, 0, sizeof(*res));
    memcpy(res->head_hash, ZERO_HASH, RECORD_HASH_HEX);
    if (!rv->has_marks)
        return 0;
    res->exists = 1;
    if (review_exec(rv, "BEGIN", "reading the marks") < 0)
        return -1;
    int rc = review_marks_walk(rv, "SELECT * FROM marks ORDER BY id", 0, review_verify_one, &w);
    if (rc == 0 && w.status == 0)
        rc = review_marks_head(rv, &head_id, res->head_hash);
    (void)sqlite3_exec(rv->db, "COMMIT", NULL, NULL, NULL);
    if (rc < 0 || w.status < 0)
        return -1;
    if (w.status > 0)
        return 1;
    if (head_id != res->marks || strcmp(res->head_hash, w.prev) != 0) {
        res->bad_id = head_id > res->marks ? res->marks + 1 : res->marks;
        snprintf(res->problem, sizeof(res->problem),
                 "the marks' head (id %lld) does not match the newest mark (%lld marks found)",
                 head_id, res->marks);
        return 1;
    }
    return 0;
}
