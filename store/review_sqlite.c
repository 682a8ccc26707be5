/*
 * review_sqlite - the console's queries on the SQLite violation log.
 *
 * Every value is bound, never written into the SQL; the SQL itself is
 * built only from fixed fragments chosen by which filters are set. The
 * role limit is one more clause, added whenever the filter is restricted,
 * so that no page, export or link can leave it out.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_db.h"

#define WHERE_MAX_BINDS (16 + REVIEW_MAX_DEPTS)

/* A WHERE clause being built: its text and its values in order. */
struct where {
    char sql[2048];
    const char *bind[WHERE_MAX_BINDS];
    size_t nbind;
    char *like; /* the text filter as a LIKE pattern, owned */
    int overflow;
};

/* review_fail - remember what went wrong. */
int review_fail(struct review *rv, const char *what)
{
    snprintf(rv->error, sizeof(rv->error), "%s: %s", what, sqlite3_errmsg(rv->db));
    return -1;
}

/* review_error - the last error. */
const char *review_error(const struct review *rv)
{
    return rv->error;
}

/* where_add - append CLAUSE with its N values. */
static void where_add(struct where *w, const char *clause, const char *v, size_t n)
{
    if (w->nbind + n > WHERE_MAX_BINDS || strlen(w->sql) + strlen(clause) + 1 > sizeof(w->sql)) {
        w->overflow = 1;
        return;
    }
    strcat(w->sql, clause);
    for (size_t i = 0; i < n; i++)
        w->bind[w->nbind++] = v;
}

/* where_like - V as a LIKE pattern matching it anywhere, with %, _ and \ escaped. */
static char *where_like(const char *v)
{
    char *p = malloc(2 * strlen(v) + 3), *o = p;

    if (p == NULL)
        return NULL;
    *o++ = '%';
    for (; *v; v++) {
        if (*v == '%' || *v == '_' || *v == '\\')
            *o++ = '\\';
        *o++ = *v;
    }
    *o++ = '%';
    *o = '\0';
    return p;
}

/* where_depts - the role limit: department IN (...), or nothing at all. */
static void where_depts(struct where *w, const struct review_filter *f)
{
    if (!f->restricted)
        return;
    if (f->ndepts == 0 || f->ndepts > REVIEW_MAX_DEPTS) {
        where_add(w, " AND 0", NULL, 0);
        return;
    }
    where_add(w, " AND v.department IN (?", f->depts[0], 1);
    for (size_t i = 1; i < f->ndepts; i++)
        where_add(w, ", ?", f->depts[i], 1);
    where_add(w, ")", NULL, 0);
}

/* where_build - W = " WHERE 1 AND ..." for F. 0, or -1 when out of memory or too long. */
static int where_build(struct where *w, const struct review_filter *f)
{
    static const char text_clause[] =
        " AND (v.subject LIKE ?1x ESCAPE '\\' OR v.envelope_sender LIKE ?1x ESCAPE '\\'"
        " OR v.header_from LIKE ?1x ESCAPE '\\' OR v.address LIKE ?1x ESCAPE '\\'"
        " OR v.recipients LIKE ?1x ESCAPE '\\' OR v.message_id LIKE ?1x ESCAPE '\\'"
        " OR v.queue_id LIKE ?1x ESCAPE '\\')";

    memset(w, 0, sizeof(*w));
    strcpy(w->sql, " WHERE 1");
    where_depts(w, f);
    if (f->since)
        where_add(w, " AND v.time >= ?", f->since, 1);
    if (f->until)
        where_add(w, " AND v.time < ?", f->until, 1);
    if (f->department)
        where_add(w, " AND v.department = ?", f->department, 1);
    if (f->rule)
        where_add(w, " AND v.rule = ?", f->rule, 1);
    if (f->action)
        where_add(w, " AND v.action = ?", f->action, 1);
    if (f->sender)
        where_add(w, " AND (v.envelope_sender = ? OR v.header_from = ?)", f->sender, 2);
    if (f->address)
        where_add(w, " AND v.address = ?", f->address, 1);
    if (f->queue_id)
        where_add(w, " AND v.queue_id = ?", f->queue_id, 1);
    if (f->gateway)
        where_add(w, " AND v.gateway = ?", f->gateway, 1);
    if (f->text) {
        if ((w->like = where_like(f->text)) == NULL)
            return -1;
        /* Seven plain "?" for the one pattern: "?1x" marks where they go. */
        char clause[sizeof(text_clause)], *p;
        strcpy(clause, text_clause);
        while ((p = strstr(clause, "?1x")) != NULL)
            memmove(p + 1, p + 3, strlen(p + 3) + 1);
        where_add(w, clause, w->like, 7);
    }
    return w->overflow ? -1 : 0;
}

/* review_prepare - SQL with W's values bound from parameter 1 on. */
static sqlite3_stmt *review_prepare(struct review *rv, const char *sql, const struct where *w)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(rv->db, sql, -1, &st, NULL) != SQLITE_OK) {
        review_fail(rv, "querying the log");
        return NULL;
    }
    for (size_t i = 0; w != NULL && i < w->nbind; i++)
        sqlite3_bind_text(st, (int)i + 1, w->bind[i], -1, SQLITE_STATIC);
    return st;
}

/* review_open - open PATH; with WRITE, set up the marks table. */
struct review *review_open(const char *path, int write, int busy_ms, char *err, size_t errlen)
{
    struct review *rv = calloc(1, sizeof(*rv));
    int flags = write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;

    if (rv == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &rv->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        review_fail(rv, path);
        goto fail;
    }
    sqlite3_busy_timeout(rv->db, busy_ms);
    int exists = review_marks_exist(rv);
    if (exists < 0)
        goto fail;
    if (write && !exists && review_marks_setup(rv) < 0)
        goto fail;
    rv->has_marks = write || exists;
    return rv;
fail:
    snprintf(err, errlen, "%s", rv->error);
    review_close(rv);
    return NULL;
}

/* review_close - close the connection. */
void review_close(struct review *rv)
{
    if (rv != NULL && rv->ops != NULL) {
        rv->ops->close(rv);
        return;
    }
    if (rv == NULL)
        return;
    sqlite3_close(rv->db);
    free(rv);
}

/* review_count - *N = the number of records matching W. */
static int review_count(struct review *rv, const struct where *w, long long *n)
{
    char sql[2200];
    sqlite3_stmt *st;
    int rc;

    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM violations v%s", w->sql);
    if ((st = review_prepare(rv, sql, w)) == NULL)
        return -1;
    rc = sqlite3_step(st) == SQLITE_ROW ? 0 : review_fail(rv, "counting records");
    *n = rc == 0 ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc;
}

/* review_list - a page of records, newest first, with their latest mark. */
int review_list(struct review *rv, const struct review_filter *f, long long offset, long long limit,
                int (*fn)(const struct record *r, const char *mark, void *arg), void *arg,
                long long *total)
{
    if (rv->ops != NULL)
        return rv->ops->list(rv, f, offset, limit, fn, arg, total);
    struct where w;
    char sql[2600];
    sqlite3_stmt *st = NULL;
    int rc = -1, step = SQLITE_DONE;

    if (where_build(&w, f) < 0) {
        snprintf(rv->error, sizeof(rv->error), "the filter is too long");
        goto out;
    }
    if (review_count(rv, &w, total) < 0)
        goto out;
    snprintf(sql, sizeof(sql),
             "SELECT v.*, %s FROM violations v%s ORDER BY v.id DESC LIMIT %lld OFFSET %lld",
             rv->has_marks ? "(SELECT mark FROM marks m WHERE m.record_id = v.id"
                             " ORDER BY m.id DESC LIMIT 1)"
                           : "NULL",
             w.sql, limit > 0 ? limit : -1LL, offset > 0 ? offset : 0LL);
    if ((st = review_prepare(rv, sql, &w)) == NULL)
        goto out;
    rc = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct record r;
        const unsigned char *m = sqlite3_column_text(st, RF_COUNT + 3);
        if (store_sqlite_row(st, &r) < 0) {
            snprintf(rv->error, sizeof(rv->error), "out of memory reading the log");
            rc = -1;
            break;
        }
        rc = fn(&r, m ? (const char *)m : "", arg) != 0 ? 1 : 0;
        record_clear(&r);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = review_fail(rv, "reading the log");
out:
    sqlite3_finalize(st);
    free(w.like);
    return rc < 0 ? -1 : 0;
}

/* review_get - one record, within F's role limit. */
int review_get(struct review *rv, const struct review_filter *f, long long id, struct record *r)
{
    if (rv->ops != NULL)
        return rv->ops->get(rv, f, id, r);
    struct review_filter limit = {
        .restricted = f->restricted, .depts = f->depts, .ndepts = f->ndepts, .gateway = f->gateway};
    struct where w;
    char sql[2400];
    sqlite3_stmt *st;
    int rc = -1;

    if (where_build(&w, &limit) < 0) {
        snprintf(rv->error, sizeof(rv->error), "too many departments");
        return -1;
    }
    snprintf(sql, sizeof(sql), "SELECT v.* FROM violations v%s AND v.id = %lld", w.sql, id);
    if ((st = review_prepare(rv, sql, &w)) == NULL)
        return -1;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = store_sqlite_row(st, r) == 0 ? 1 : -1;
    else if (step == SQLITE_DONE)
        rc = 0;
    else
        review_fail(rv, "reading a record");
    sqlite3_finalize(st);
    return rc;
}

/* review_groups - FN(key, n) for each row of SQL (key, count) bound with W. */
static int review_groups(struct review *rv, const char *sql, const struct where *w,
                         int (*fn)(const char *key, long long n, void *arg), void *arg)
{
    sqlite3_stmt *st = review_prepare(rv, sql, w);
    int step, rc = 0;

    if (st == NULL)
        return -1;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *k = sqlite3_column_text(st, 0);
        rc = fn(k ? (const char *)k : "", sqlite3_column_int64(st, 1), arg) != 0;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = review_fail(rv, "counting records");
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* review_group_count - counts by one of the fixed columns, most first. */
int review_group_count(struct review *rv, const struct review_filter *f, enum review_group g,
                       size_t limit, int (*fn)(const char *key, long long n, void *arg), void *arg)
{
    if (rv->ops != NULL)
        return rv->ops->group_count(rv, f, g, limit, fn, arg);
    static const char *const cols[RG_COUNT] = {[RG_DEPARTMENT] = "v.department",
                                               [RG_RULE] = "v.rule",
                                               [RG_ACTION] = "v.action",
                                               [RG_SENDER] = "v.envelope_sender",
                                               [RG_DAY] = "substr(v.time, 1, 10)"};
    struct where w;
    char sql[2600];
    int rc;

    if ((unsigned)g >= RG_COUNT || where_build(&w, f) < 0) {
        free(w.like);
        snprintf(rv->error, sizeof(rv->error), "bad grouping or filter");
        return -1;
    }
    snprintf(sql, sizeof(sql),
             "SELECT %s AS k, COUNT(*) AS n FROM violations v%s GROUP BY k ORDER BY %s LIMIT %lld",
             cols[g], w.sql, g == RG_DAY ? "k" : "n DESC, k", limit > 0 ? (long long)limit : -1LL);
    rc = review_groups(rv, sql, &w, fn, arg);
    free(w.like);
    return rc;
}

/* review_departments - the department names among F's records, by name. */
int review_departments(struct review *rv, const struct review_filter *f,
                       int (*fn)(const char *key, long long n, void *arg), void *arg)
{
    if (rv->ops != NULL)
        return rv->ops->departments(rv, f, fn, arg);
    struct where w;
    char sql[2600];
    int rc;

    if (where_build(&w, f) < 0) {
        free(w.like);
        snprintf(rv->error, sizeof(rv->error), "bad filter");
        return -1;
    }
    snprintf(sql, sizeof(sql),
             "SELECT v.department AS k, COUNT(*) FROM violations v%s GROUP BY k ORDER BY k", w.sql);
    rc = review_groups(rv, sql, &w, fn, arg);
    free(w.like);
    return rc;
}

/* review_reviewed - per department, the records of the span with a reviewer's mark. */
int review_reviewed(struct review *rv, const char *since, const char *until, const char *gateway,
                    int (*fn)(const char *key, long long n, void *arg), void *arg)
{
    if (rv->ops != NULL)
        return rv->ops->reviewed(rv, since, until, gateway, fn, arg);
    struct where w = {.bind = {since, until, gateway}, .nbind = 3};

    if (!rv->has_marks)
        return 0;
    return review_groups(rv,
                         "SELECT v.department, COUNT(*) FROM violations v"
                         " WHERE v.time >= ?1 AND v.time < ?2 AND (?3 IS NULL OR v.gateway = ?3)"
                         " AND EXISTS (SELECT 1 FROM marks m"
                         " WHERE m.record_id = v.id AND m.mark IN"
                         " ('reviewed', 'false-positive', 'escalated'))"
                         " GROUP BY v.department",
                         &w, fn, arg);
}
