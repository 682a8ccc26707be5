/*
 * marks_pg - review marks on the central log (marks_pg.h).
 *
 * Why a chain per console rather than one chain for all: several consoles
 * (a compliance office's, a department's) may write to one central
 * database. One shared chain would make every append wait on a global
 * lock and let any console's role rewrite the link another depends on;
 * with a chain per login role, each is written only by its owner (RLS:
 * console = session_user), as each gateway's records are, and a broken
 * chain names the console that wrote it. Within one chain, two processes
 * of the same role take an advisory lock for the append's transaction.
 */
#include <config.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "marks_pg.h"
#include "review_db.h"
#include "store_pg.h"

#define MPG_TEXT 25 /* the type oid of text */

/* The columns of a mark, in struct order for mpg_mark(). */
#define MPG_COLUMNS                                                                                \
    "console, id, time, record_gateway, record_id, mark, \"user\", comment, prev_hash, hash"

const char marks_pg_latest_sql[] =
    "coalesce((SELECT m.mark FROM review_marks m WHERE m.record_gateway = v.gateway"
    " AND m.record_id = v.id ORDER BY m.time DESC, m.console COLLATE \"C\" DESC, m.id DESC"
    " LIMIT 1), '')";

/* mpg_conn - PG's connection. */
static PGconn *mpg_conn(struct pgstore *pg)
{
    return (PGconn *)pgstore_conn(pg);
}

/* mpg_fail - ERR = WHAT and PostgreSQL's reason (its first line); returns -1. */
static int mpg_fail(struct pgstore *pg, const PGresult *res, const char *what, char *err,
                    size_t errlen)
{
    const char *why = res != NULL ? PQresultErrorMessage(res) : "";

    if (why == NULL || *why == '\0')
        why = PQerrorMessage(mpg_conn(pg));
    snprintf(err, errlen, "%s: %.*s", what, (int)strcspn(why, "\n"), why);
    return -1;
}

/* mpg_exec - SQL with N text PARAMS; the result when it has status WANT, else NULL (said). */
static PGresult *mpg_exec(struct pgstore *pg, const char *sql, int n, const char *const *params,
                          ExecStatusType want, const char *what, char *err, size_t errlen)
{
    static const Oid types[10] = {MPG_TEXT, MPG_TEXT, MPG_TEXT, MPG_TEXT, MPG_TEXT,
                                  MPG_TEXT, MPG_TEXT, MPG_TEXT, MPG_TEXT, MPG_TEXT};
    PGresult *res = PQexecParams(mpg_conn(pg), sql, n, n > 0 ? types : NULL, params, NULL, NULL, 0);

    if (PQresultStatus(res) == want)
        return res;
    mpg_fail(pg, res, what, err, errlen);
    PQclear(res);
    return NULL;
}

/* mpg_do - a statement without rows. 0 or -1. */
static int mpg_do(struct pgstore *pg, const char *sql, int n, const char *const *params,
                  const char *what, char *err, size_t errlen)
{
    PGresult *res = mpg_exec(pg, sql, n, params, PGRES_COMMAND_OK, what, err, errlen);

    PQclear(res);
    return res != NULL ? 0 : -1;
}

/* mpg_mark - row I of RES (MPG_COLUMNS) into M, its strings lent by RES. */
static void mpg_mark(const PGresult *res, int i, struct review_mark *m)
{
    memset(m, 0, sizeof(*m));
    m->console = PQgetvalue(res, i, 0);
    m->id = strtoll(PQgetvalue(res, i, 1), NULL, 10);
    snprintf(m->time, sizeof(m->time), "%s", PQgetvalue(res, i, 2));
    m->record_gateway = PQgetvalue(res, i, 3);
    m->record_id = strtoll(PQgetvalue(res, i, 4), NULL, 10);
    snprintf(m->mark, sizeof(m->mark), "%s", PQgetvalue(res, i, 5));
    m->user = PQgetvalue(res, i, 6);
    m->comment = PQgetvalue(res, i, 7);
    snprintf(m->prev_hash, sizeof(m->prev_hash), "%s", PQgetvalue(res, i, 8));
    snprintf(m->hash, sizeof(m->hash), "%s", PQgetvalue(res, i, 9));
}

/*
 * mpg_head - under the console's lock: its name, the newest mark's id and
 * hash (0 and zeros when none), and whether the record is one it can see.
 */
static int mpg_head(struct pgstore *pg, struct review_mark *m, char console[256], char *err,
                    size_t errlen)
{
    char rid[32];
    const char *params[2] = {m->record_gateway, rid};
    PGresult *res;
    int seen;

    snprintf(rid, sizeof(rid), "%lld", m->record_id);
    /* The lock in a statement of its own: a statement's snapshot is taken
       before it waits, so a read in the same statement would miss the mark
       that the holder of the lock committed meanwhile (read committed). */
    res = mpg_exec(pg, "SELECT pg_advisory_xact_lock(1869373293, hashtext(session_user))", 0, NULL,
                   PGRES_TUPLES_OK, "locking the console's marks", err, errlen);
    if (res == NULL)
        return -1;
    PQclear(res);
    res = mpg_exec(pg,
                   "SELECT session_user, coalesce(h.id, 0), coalesce(h.hash, '" CHAIN_ZERO_HASH
                   "'), EXISTS (SELECT 1 FROM violations WHERE gateway = $1"
                   " AND id = $2::bigint) FROM (SELECT 1) l LEFT JOIN LATERAL (SELECT id, hash"
                   " FROM review_marks WHERE console = session_user ORDER BY id DESC LIMIT 1) h"
                   " ON true",
                   2, params, PGRES_TUPLES_OK, "reading the console's marks", err, errlen);
    if (res == NULL)
        return -1;
    snprintf(console, 256, "%s", PQgetvalue(res, 0, 0));
    m->id = strtoll(PQgetvalue(res, 0, 1), NULL, 10) + 1;
    snprintf(m->prev_hash, sizeof(m->prev_hash), "%s", PQgetvalue(res, 0, 2));
    seen = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
    PQclear(res);
    if (!seen)
        snprintf(err, errlen, "no record %s/%s that this console's role (%s) can see",
                 m->record_gateway, rid, console);
    return seen ? 0 : -1;
}

/* mpg_insert - M as the next mark of its console. 0 or -1. */
static int mpg_insert(struct pgstore *pg, const struct review_mark *m, char *err, size_t errlen)
{
    char id[32], rid[32];
    const char *params[10] = {m->console, id,      m->time,    m->record_gateway, rid,
                              m->mark,    m->user, m->comment, m->prev_hash,      m->hash};

    snprintf(id, sizeof(id), "%lld", m->id);
    snprintf(rid, sizeof(rid), "%lld", m->record_id);
    return mpg_do(pg,
                  "INSERT INTO review_marks (" MPG_COLUMNS ") VALUES ($1, $2::bigint, $3, $4,"
                  " $5::bigint, $6, $7, $8, $9, $10)",
                  10, params, "appending the mark", err, errlen);
}

int marks_pg_add(struct pgstore *pg, const char *gateway, long long id, const char *kind,
                 const char *user, const char *comment, long long now, struct review_mark *out,
                 char *err, size_t errlen)
{
    struct review_mark m = {.record_id = id};
    char console[256];
    time_t t = (time_t)now;
    struct tm tm;

    m.record_gateway = (char *)gateway;
    m.user = (char *)user;
    m.comment = (char *)comment;
    m.console = console;
    snprintf(m.mark, sizeof(m.mark), "%s", kind);
    strftime(m.time, sizeof(m.time), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    if (mpg_do(pg, "BEGIN", 0, NULL, "starting a transaction", err, errlen) < 0)
        return -1;
    if (mpg_head(pg, &m, console, err, errlen) < 0)
        goto fail;
    if (review_mark_hash(&m, m.prev_hash, m.hash) < 0) {
        snprintf(err, errlen, "out of memory hashing a mark");
        goto fail;
    }
    if (mpg_insert(pg, &m, err, errlen) < 0 ||
        mpg_do(pg, "COMMIT", 0, NULL, "committing the mark", err, errlen) < 0)
        goto fail;
    if (out != NULL) {
        *out = m;
        out->user = out->comment = out->console = out->record_gateway = NULL;
    }
    return 0;
fail:
    PQclear(PQexec(mpg_conn(pg), "ROLLBACK"));
    return -1;
}

int marks_pg_list(struct pgstore *pg, const char *gateway, long long id,
                  int (*fn)(const struct review_mark *m, void *arg), void *arg, char *err,
                  size_t errlen)
{
    char rid[32];
    const char *params[2] = {gateway, rid};
    PGresult *res;

    snprintf(rid, sizeof(rid), "%lld", id);
    res = mpg_exec(pg,
                   "SELECT " MPG_COLUMNS " FROM review_marks WHERE record_gateway = $1"
                   " AND record_id = $2::bigint ORDER BY time, console COLLATE \"C\", id",
                   2, params, PGRES_TUPLES_OK, "reading the marks", err, errlen);
    if (res == NULL)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        struct review_mark m;
        mpg_mark(res, i, &m);
        if (fn(&m, arg) != 0)
            break;
    }
    PQclear(res);
    return 0;
}

int marks_pg_reviewed(struct pgstore *pg, const char *since, const char *until, const char *gateway,
                      int (*fn)(const char *key, long long n, void *arg), void *arg, char *err,
                      size_t errlen)
{
    const char *params[3] = {since, until, gateway};
    PGresult *res = mpg_exec(
        pg,
        "SELECT v.department, count(*) FROM violations v WHERE v.time >= $1 AND v.time < $2"
        " AND ($3::text IS NULL OR v.gateway = $3) AND EXISTS (SELECT 1 FROM review_marks m"
        " WHERE m.record_gateway = v.gateway AND m.record_id = v.id"
        " AND m.mark IN ('reviewed', 'false-positive', 'escalated')) GROUP BY v.department",
        3, params, PGRES_TUPLES_OK, "counting the reviewed records", err, errlen);

    if (res == NULL)
        return -1;
    for (int i = 0; i < PQntuples(res); i++)
        if (fn(PQgetvalue(res, i, 0), strtoll(PQgetvalue(res, i, 1), NULL, 10), arg) != 0)
            break;
    PQclear(res);
    return 0;
}

/* mpg_bool - the one boolean SQL answers: 1, 0, or -1. */
static int mpg_bool(struct pgstore *pg, const char *sql, const char *what, char *err, size_t errlen)
{
    PGresult *res = mpg_exec(pg, sql, 0, NULL, PGRES_TUPLES_OK, what, err, errlen);
    int rc;

    if (res == NULL)
        return -1;
    rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return rc;
}

int marks_pg_can_add(struct pgstore *pg, char *err, size_t errlen)
{
    /* A gateway's role may insert too, but only its released marks: not a console. */
    return mpg_bool(pg,
                    "SELECT has_table_privilege('review_marks', 'INSERT')"
                    " AND pg_has_role(session_user, 'officialmail_console', 'MEMBER')",
                    "reading the role's rights", err, errlen);
}

int marks_pg_whole_chains(struct pgstore *pg, char *err, size_t errlen)
{
    /* The compliance readers, a gateway (its own rows are its whole chains),
       the owner or a role above row-level security. */
    return mpg_bool(pg,
                    "SELECT pg_has_role(session_user, 'officialmail_compliance', 'MEMBER')"
                    " OR pg_has_role(session_user, 'officialmail_ship', 'MEMBER')"
                    " OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user"
                    " AND (rolsuper OR rolbypassrls))"
                    " OR EXISTS (SELECT 1 FROM pg_class WHERE oid = 'violations'::regclass"
                    " AND pg_has_role(session_user, relowner, 'MEMBER'))",
                    "reading the role's rights", err, errlen);
}

/* A walk over every console's chain, one after the other. */
struct mpg_walk {
    struct marks_pg_verify v;
    struct chain_walk w;
    int open, bad, status;
    void (*fn)(const struct marks_pg_verify *v, void *arg);
    void *arg;
};

/* mpg_walk_end - report the chain walked so far. */
static void mpg_walk_end(struct mpg_walk *x)
{
    if (!x->open)
        return;
    if (x->v.r.bad_id == 0)
        memcpy(x->v.r.head_hash, x->w.prev, CHAIN_HASH_HEX);
    x->bad |= x->v.r.bad_id != 0;
    x->fn(&x->v, x->arg);
    x->open = 0;
}

/* mpg_walk_row - one mark: a new console starts a chain; a broken chain's rest is skipped. */
static int mpg_walk_row(struct mpg_walk *x, const PGresult *res)
{
    struct review_mark m;
    struct chain_row row;
    char rid[32];
    char *values[REVIEW_MARK_FIELDS];

    mpg_mark(res, 0, &m);
    if (!x->open || strcmp(x->v.console, m.console) != 0) {
        mpg_walk_end(x);
        memset(&x->v, 0, sizeof(x->v));
        snprintf(x->v.console, sizeof(x->v.console), "%s", m.console);
        chain_walk_start(&x->w, &x->v.r, 0, CHAIN_ZERO_HASH);
        x->open = 1;
    }
    if (x->v.r.bad_id != 0)
        return 0;
    review_mark_chain_row(&m, rid, values, &row);
    return chain_walk_row(&x->w, &row, m.prev_hash, m.hash) < 0 ? -1 : 0;
}

/* mpg_stream - every mark (CONSOLE's only when not NULL) through X, in single-row mode. */
static int mpg_stream(struct pgstore *pg, const char *console, struct mpg_walk *x, char *err,
                      size_t errlen)
{
    static const Oid types[1] = {MPG_TEXT};
    const char *params[1] = {console};
    PGconn *c = mpg_conn(pg);
    PGresult *res;
    int rc = 0;

    if (!PQsendQueryParams(c,
                           "SELECT " MPG_COLUMNS " FROM review_marks WHERE $1::text IS NULL OR"
                           " console = $1 ORDER BY console COLLATE \"C\", id",
                           1, types, params, NULL, NULL, 0) ||
        !PQsetSingleRowMode(c))
        return mpg_fail(pg, NULL, "reading the marks", err, errlen);
    while ((res = PQgetResult(c)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE && rc == 0 && mpg_walk_row(x, res) < 0) {
            snprintf(err, errlen, "out of memory hashing a mark");
            rc = -1;
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && rc == 0)
            rc = mpg_fail(pg, res, "reading the marks", err, errlen);
        PQclear(res);
    }
    return rc;
}

int marks_pg_verify(struct pgstore *pg, const char *console,
                    void (*fn)(const struct marks_pg_verify *v, void *arg), void *arg, char *err,
                    size_t errlen)
{
    struct mpg_walk x = {.fn = fn, .arg = arg};
    int rc;

    if (mpg_do(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL,
               "starting a snapshot", err, errlen) < 0)
        return -1;
    rc = mpg_stream(pg, console, &x, err, errlen);
    PQclear(PQexec(mpg_conn(pg), rc < 0 ? "ROLLBACK" : "COMMIT"));
    if (rc < 0)
        return -1;
    mpg_walk_end(&x);
    return x.bad ? 1 : 0;
}
