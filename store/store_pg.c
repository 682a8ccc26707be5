/*
 * store_pg - the central violation log on libpq (store_pg.h).
 *
 * Reads stream in single-row mode, so that a log of millions of rows is
 * never held in memory. Verification reads one snapshot (REPEATABLE
 * READ), so that records shipped meanwhile cannot look like a gap.
 */
#include <config.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_pg.h"

#define PG_COLUMNS (RF_COUNT + 3) /* id, the fields, prev_hash, hash */
#define PG_TEXT 25                /* the type oid of text (catalog/pg_type.h) */
#define PG_MAX_PARAMS 11

/* The handle: the common part first (store.h), so that store_* calls reach it. */
struct pgstore {
    struct store base;
    PGconn *conn;
    int staged; /* the session's temporary table exists */
};

/* pgstore_fail - remember WHAT failed and libpq's reason; returns -1. */
static int pgstore_fail(struct pgstore *s, const char *what, const PGresult *res)
{
    const char *why = res != NULL ? PQresultErrorMessage(res) : "";
    size_t n;

    if (why == NULL || *why == '\0')
        why = PQerrorMessage(s->conn);
    snprintf(s->base.error, sizeof(s->base.error), "%s: %s", what,
             why != NULL ? why : "unknown error");
    n = strlen(s->base.error);
    while (n > 0 && (s->base.error[n - 1] == '\n' || s->base.error[n - 1] == ' '))
        s->base.error[--n] = '\0';
    return -1;
}

struct pgstore *pgstore_open(const char *conninfo, char *err, size_t errlen)
{
    struct pgstore *s = calloc(1, sizeof(*s));

    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.ops = &store_pg_ops;
    s->conn = PQconnectdb(conninfo);
    if (s->conn == NULL || PQstatus(s->conn) != CONNECTION_OK) {
        const char *m = s->conn != NULL ? PQerrorMessage(s->conn) : "out of memory";
        snprintf(err, errlen, "cannot connect to the central database: %.*s", (int)strcspn(m, "\n"),
                 m);
        pgstore_close(s);
        return NULL;
    }
    return s;
}

void pgstore_close(struct pgstore *s)
{
    if (s == NULL)
        return;
    PQfinish(s->conn);
    free(s);
}

const char *pgstore_error(const struct pgstore *s)
{
    return s->base.error;
}

struct store *pgstore_base(struct pgstore *s)
{
    return s != NULL ? &s->base : NULL;
}

int pgstore_lost(const struct pgstore *s)
{
    return PQstatus(s->conn) != CONNECTION_OK;
}

struct pg_conn *pgstore_conn(struct pgstore *s)
{
    return s->conn;
}

const char *pgstore_user(const struct pgstore *s)
{
    return PQuser(s->conn);
}

/* pgstore_ok - RES succeeded (status WANT); cleared either way. 0 or -1. */
static int pgstore_ok(struct pgstore *s, PGresult *res, ExecStatusType want, const char *what)
{
    int rc = PQresultStatus(res) == want ? 0 : pgstore_fail(s, what, res);

    PQclear(res);
    return rc;
}

int pgstore_exec(struct pgstore *s, const char *sql)
{
    return pgstore_ok(s, PQexec(s->conn, sql), PGRES_COMMAND_OK, "central database");
}

int pgstore_exec_params(struct pgstore *s, const char *sql, int n, const char *const *params)
{
    PGresult *res = PQexecParams(s->conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);

    return pgstore_ok(s, res, st == PGRES_TUPLES_OK ? st : PGRES_COMMAND_OK, "central database");
}

/* pgstore_rollback - end a failed transaction, keeping the first error; -1. */
static int pgstore_rollback(struct pgstore *s)
{
    char keep[sizeof(s->base.error)];

    memcpy(keep, s->base.error, sizeof(keep));
    if (!pgstore_lost(s))
        PQclear(PQexec(s->conn, "ROLLBACK"));
    memcpy(s->base.error, keep, sizeof(keep));
    return -1;
}

int pgstore_resume(struct pgstore *s, const char *gateway, long long *id,
                   char hash[RECORD_HASH_HEX])
{
    /* The newest row, or where the last expire left the chain when none is left. */
    static const char sql[] =
        "SELECT id, hash FROM (SELECT id, hash FROM violations WHERE gateway = $1"
        " UNION ALL SELECT through_id, last_hash FROM central_checkpoints"
        " WHERE gateway = $1) AS t ORDER BY id DESC LIMIT 1";
    const char *params[1] = {gateway};
    PGresult *res = PQexecParams(s->conn, sql, 1, NULL, params, NULL, NULL, 0);

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        pgstore_fail(s, "reading where the central log ends", res);
        PQclear(res);
        return -1;
    }
    *id = 0;
    hash[0] = '\0';
    if (PQntuples(res) == 1) {
        *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(hash, RECORD_HASH_HEX, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return 0;
}

/* pgstore_copy_value - V in COPY's text format: \\, \t, \n, \r escaped. */
static size_t pgstore_copy_value(char *out, const char *v)
{
    size_t o = 0;

    for (; *v != '\0'; v++) {
        switch (*v) {
        case '\\':
            out[o++] = '\\', out[o++] = '\\';
            break;
        case '\t':
            out[o++] = '\\', out[o++] = 't';
            break;
        case '\n':
            out[o++] = '\\', out[o++] = 'n';
            break;
        case '\r':
            out[o++] = '\\', out[o++] = 'r';
            break;
        default:
            out[o++] = *v;
        }
    }
    return o;
}

/* pgstore_copy_row - R as one COPY line; a new string or NULL. */
static char *pgstore_copy_row(const struct record *r, size_t *len)
{
    size_t need = 24 + 2 * (2 * RECORD_HASH_HEX) + PG_COLUMNS + 1;
    char *line, *p;

    for (int i = 0; i < RF_COUNT; i++)
        need += 2 * strlen(r->f[i]);
    if ((line = malloc(need)) == NULL)
        return NULL;
    p = line + snprintf(line, need, "%lld", r->id);
    for (int i = 0; i < RF_COUNT; i++) {
        *p++ = '\t';
        p += pgstore_copy_value(p, r->f[i]);
    }
    p += sprintf(p, "\t%s\t%s\n", r->prev_hash, r->hash);
    *len = (size_t)(p - line);
    return line;
}

/* pgstore_stage - the session's temporary table, emptied at each commit. */
static int pgstore_stage(struct pgstore *s)
{
    if (s->staged)
        return 0;
    if (pgstore_exec(s, "CREATE TEMPORARY TABLE ship_in (LIKE violations)"
                        " ON COMMIT DELETE ROWS") < 0)
        return -1;
    s->staged = 1;
    return 0;
}

/* pgstore_copy - COPY the N records into ship_in. 0 or -1. */
static int pgstore_copy(struct pgstore *s, const struct record *recs, size_t n)
{
    PGresult *res = PQexec(s->conn, "COPY ship_in FROM STDIN");
    int rc = 0;

    if (PQresultStatus(res) != PGRES_COPY_IN) {
        pgstore_fail(s, "starting the copy", res);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len;
        char *line = pgstore_copy_row(&recs[i], &len);
        if (line == NULL || PQputCopyData(s->conn, line, (int)len) != 1)
            rc = -1;
        free(line);
    }
    if (PQputCopyEnd(s->conn, rc == 0 ? NULL : "ship: a record could not be sent") != 1)
        rc = -1;
    res = PQgetResult(s->conn);
    if (pgstore_ok(s, res, PGRES_COMMAND_OK, "copying records") < 0)
        rc = -1;
    while ((res = PQgetResult(s->conn)) != NULL)
        PQclear(res);
    return rc;
}

/* pgstore_conflict - the first staged record whose (gateway, id) is there with another hash. */
static int pgstore_conflict(struct pgstore *s, struct pg_conflict *c)
{
    PGresult *res = PQexec(s->conn, "SELECT i.gateway, i.id, v.hash, i.hash FROM ship_in i"
                                    " JOIN violations v ON v.gateway = i.gateway AND v.id = i.id"
                                    " WHERE v.hash <> i.hash ORDER BY i.id LIMIT 1");
    int rc = 0;

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = pgstore_fail(s, "comparing hashes", res);
    } else if (PQntuples(res) == 1) {
        snprintf(c->gateway, sizeof(c->gateway), "%s", PQgetvalue(res, 0, 0));
        c->id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
        snprintf(c->central, sizeof(c->central), "%s", PQgetvalue(res, 0, 2));
        snprintf(c->local, sizeof(c->local), "%s", PQgetvalue(res, 0, 3));
        rc = 1;
    }
    PQclear(res);
    return rc;
}

/* pgstore_count - the one number SQL returns, into *N. 0 or -1. */
static int pgstore_count(struct pgstore *s, const char *sql, long long *n)
{
    PGresult *res = PQexec(s->conn, sql);
    int rc = 0;

    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        rc = pgstore_fail(s, "counting records", res);
    else
        *n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return rc;
}

/*
 * pgstore_insert - move the staged rows in. The rows not inserted were
 * there already: each must have the same hash (else 1, C says which),
 * and each must be visible to this role (a row of another gateway, or
 * one the database dropped, must not pass for shipped). 0, 1 or -1.
 */
static int pgstore_insert(struct pgstore *s, size_t n, struct pg_conflict *c)
{
    long long added, there = 0;
    PGresult *res;
    int rc;

    /*
     * Ids after the central head, the usual case, cannot conflict: a
     * plain INSERT (a third cheaper than ON CONFLICT's speculative one),
     * and only when it meets a row already there, the slow path.
     */
    if (pgstore_exec(s, "SAVEPOINT plain") < 0)
        return -1;
    res = PQexec(s->conn, "INSERT INTO violations SELECT * FROM ship_in");
    if (PQresultStatus(res) == PGRES_COMMAND_OK) {
        added = strtoll(PQcmdTuples(res), NULL, 10);
        PQclear(res);
        if (added == (long long)n)
            return 0;
    } else {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        int dup = state != NULL && strcmp(state, "23505") == 0; /* unique_violation */
        if (!dup)
            pgstore_fail(s, "inserting records", res);
        PQclear(res);
        if (!dup || pgstore_exec(s, "ROLLBACK TO SAVEPOINT plain") < 0)
            return -1;
    }
    if (pgstore_count(s,
                      "WITH ins AS (INSERT INTO violations SELECT * FROM ship_in"
                      " ON CONFLICT (gateway, id) DO NOTHING RETURNING 1) SELECT count(*) FROM ins",
                      &added) < 0)
        return -1;
    if (added == (long long)n)
        return 0;
    if ((rc = pgstore_conflict(s, c)) != 0)
        return rc;
    if (pgstore_count(s,
                      "SELECT count(*) FROM ship_in i JOIN violations v"
                      " ON v.gateway = i.gateway AND v.id = i.id",
                      &there) < 0)
        return -1;
    /* The join sees the rows just inserted too. */
    if (there != (long long)n) {
        snprintf(s->base.error, sizeof(s->base.error),
                 "inserting records: %lld of %zu were neither inserted nor already there "
                 "(rows of another gateway?)",
                 (long long)n - there, n);
        return -1;
    }
    return 0;
}

int pgstore_ship(struct pgstore *s, const struct record *recs, size_t n, struct pg_conflict *c)
{
    int rc;

    if (n == 0)
        return 0;
    if (pgstore_exec(s, "BEGIN") < 0)
        return -1;
    if (pgstore_stage(s) < 0 || pgstore_copy(s, recs, n) < 0)
        return pgstore_rollback(s);
    if ((rc = pgstore_insert(s, n, c)) != 0) {
        pgstore_rollback(s);
        return rc;
    }
    if (pgstore_exec(s, "COMMIT") < 0)
        return pgstore_rollback(s);
    return 0;
}

/* pgstore_row - row I of RES (SELECT id, fields..., prev_hash, hash) into R. */
int pgstore_row(const PGresult *res, int i, struct record *r)
{
    memset(r, 0, sizeof(*r));
    r->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    for (int k = 0; k < RF_COUNT; k++)
        if ((r->f[k] = strdup(PQgetvalue(res, i, k + 1))) == NULL) {
            record_clear(r);
            return -1;
        }
    snprintf(r->prev_hash, sizeof(r->prev_hash), "%s", PQgetvalue(res, i, RF_COUNT + 1));
    snprintf(r->hash, sizeof(r->hash), "%s", PQgetvalue(res, i, RF_COUNT + 2));
    return 0;
}

/*
 * pgstore_stream - send SQL with N PARAMS and call FN on each row as it
 * comes, until FN returns non-zero (the rest is read and dropped).
 * 0, or -1 on an error.
 */
static int pgstore_stream(struct pgstore *s, const char *sql, int n, const char *const *params,
                          int (*fn)(const PGresult *res, void *arg), void *arg)
{
    PGresult *res;
    int rc = 0, stop = 0;

    /* Typed as text, so that a parameter the statement does not use is no error. */
    static const Oid types[PG_MAX_PARAMS] = {PG_TEXT, PG_TEXT, PG_TEXT, PG_TEXT, PG_TEXT, PG_TEXT,
                                             PG_TEXT, PG_TEXT, PG_TEXT, PG_TEXT, PG_TEXT};

    if (n > PG_MAX_PARAMS)
        return -1;
    if (!PQsendQueryParams(s->conn, sql, n, types, params, NULL, NULL, 0) ||
        !PQsetSingleRowMode(s->conn))
        return pgstore_fail(s, "querying the central log", NULL);
    while ((res = PQgetResult(s->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE && !stop && rc == 0) {
            int r = fn(res, arg);
            if (r < 0)
                rc = -1;
            else if (r > 0)
                stop = 1;
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && rc == 0) {
            rc = pgstore_fail(s, "reading the central log", res);
        }
        PQclear(res);
    }
    return rc;
}

/* The columns of a record, in record order (SELECT * would depend on the table's). */
#define PG_SELECT                                                                                  \
    "SELECT id, time, queue_id, message_id, rule, reasons, action, intended_action, mode,"         \
    " exception_ticket, department, envelope_sender, header_from, address, recipients,"            \
    " client_ip, client_name, auth_user, spf, dkim, subject, gateway, prev_hash, hash"             \
    " FROM violations WHERE true"

/* pgstore_where - " AND clause" per filter set, each with its fixed $N; PARAMS[N-1] its value. */
#define PG_FILTERS 11
static void pgstore_where(char *sql, size_t len, const struct store_filter *f,
                          const char *params[PG_FILTERS])
{
    const struct {
        const char *value, *clause;
    } parts[PG_FILTERS] = {
        {f->since, " AND time >= $1"},
        {f->until, " AND time < $2"},
        {f->department, " AND department = $3"},
        {f->rule, " AND rule = $4"},
        {f->action, " AND action = $5"},
        {f->address, " AND address = $6"},
        {f->sender, " AND (envelope_sender = $7 OR header_from = $7)"},
        {f->queue_id, " AND queue_id = $8"},
        {f->message_id, " AND (message_id = $9 OR message_id = '<' || $9 || '>')"},
        {f->gateway, " AND gateway = $10"},
        {f->after_id, " AND id > $11::bigint"}, /* a cursor: ids are per gateway */
    };

    for (size_t i = 0; i < PG_FILTERS; i++) {
        params[i] = parts[i].value;
        if (parts[i].value != NULL)
            strncat(sql, parts[i].clause, len - strlen(sql) - 1);
    }
}

/* What pgstore_query's rows go to. */
struct pg_query_ctx {
    int (*fn)(const struct record *r, void *arg);
    void *arg;
};

/* pgstore_query_row - one row to the caller's FN. */
static int pgstore_query_row(const PGresult *res, void *arg)
{
    struct pg_query_ctx *q = arg;
    struct record r;
    int rc;

    if (pgstore_row(res, 0, &r) < 0)
        return -1;
    rc = q->fn(&r, q->arg) != 0;
    record_clear(&r);
    return rc;
}

int pgstore_query(struct pgstore *s, const struct store_filter *f,
                  int (*fn)(const struct record *r, void *arg), void *arg)
{
    char sql[2048] = PG_SELECT;
    const char *params[PG_FILTERS];
    struct pg_query_ctx q = {fn, arg};

    pgstore_where(sql, sizeof(sql), f, params);
    /* The gateways interleaved in time; each one's ids in order within a second. A cursor's
     * reader (alert --central --gateway) follows the ids. */
    strncat(sql,
            f->after_id != NULL ? " ORDER BY gateway COLLATE \"C\", id"
                                : " ORDER BY time, gateway COLLATE \"C\", id",
            sizeof(sql) - strlen(sql) - 1);
    return pgstore_stream(s, sql, PG_FILTERS, params, pgstore_query_row, &q);
}

/* What pgstore_departments' rows go to. */
struct pg_dept_ctx {
    int (*fn)(const char *name, void *arg);
    void *arg;
};

/* pgstore_dept_row - one name to the caller's FN. */
static int pgstore_dept_row(const PGresult *res, void *arg)
{
    struct pg_dept_ctx *d = arg;

    return d->fn(PQgetvalue(res, 0, 0), d->arg) != 0;
}

int pgstore_departments(struct pgstore *s, int (*fn)(const char *name, void *arg), void *arg)
{
    struct pg_dept_ctx d = {fn, arg};

    return pgstore_stream(
        s, "SELECT DISTINCT department COLLATE \"C\" AS d FROM violations ORDER BY d", 0, NULL,
        pgstore_dept_row, &d);
}

/* What pgstore_gateways' rows go to. */
struct pg_gw_ctx {
    int (*fn)(const char *name, long long head, void *arg);
    void *arg;
};

/* pgstore_gw_row - one gateway and its head to the caller's FN. */
static int pgstore_gw_row(const PGresult *res, void *arg)
{
    struct pg_gw_ctx *g = arg;

    return g->fn(PQgetvalue(res, 0, 0), strtoll(PQgetvalue(res, 0, 1), NULL, 10), g->arg) != 0;
}

int pgstore_gateways(struct pgstore *s, int (*fn)(const char *name, long long head, void *arg),
                     void *arg)
{
    struct pg_gw_ctx g = {fn, arg};

    /* A walk of the primary key's index, one step a gateway (no scan of every row). */
    return pgstore_stream(
        s,
        "WITH RECURSIVE g(name) AS ((SELECT gateway FROM violations ORDER BY gateway LIMIT 1)"
        " UNION ALL SELECT (SELECT v.gateway FROM violations v WHERE v.gateway > g.name"
        " ORDER BY v.gateway LIMIT 1) FROM g WHERE g.name IS NOT NULL)"
        " SELECT name, (SELECT max(id) FROM violations v WHERE v.gateway = g.name) FROM g"
        " WHERE name IS NOT NULL ORDER BY name COLLATE \"C\"",
        0, NULL, pgstore_gw_row, &g);
}

/* One gateway's checkpoint: where its chain starts after expire. */
struct pg_anchor {
    char gateway[256];
    long long through;
    char hash[RECORD_HASH_HEX];
};

/* The walk of verify: the gateway being checked and its chain (chain.h). */
struct pg_walk {
    struct pg_anchor *anchors;
    size_t nanchors;
    struct pg_verify v;
    struct chain_walk cw;
    int open; /* v holds a gateway */
    int bad;  /* some gateway was broken */
    void (*fn)(const struct pg_verify *v, void *arg);
    void *arg;
};

/* pgstore_anchors - every gateway's newest checkpoint (only GATEWAY's when not NULL). */
static int pgstore_anchors(struct pgstore *s, const char *gateway, struct pg_walk *w)
{
    const char *params[1] = {gateway};
    static const Oid types[1] = {PG_TEXT};
    PGresult *res = PQexecParams(s->conn,
                                 "SELECT DISTINCT ON (gateway) gateway, through_id, last_hash"
                                 " FROM central_checkpoints WHERE $1::text IS NULL OR gateway = $1"
                                 " ORDER BY gateway, through_id DESC",
                                 1, types, params, NULL, NULL, 0);
    int n;

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        pgstore_fail(s, "reading the checkpoints", res);
        PQclear(res);
        return -1;
    }
    n = PQntuples(res);
    if (n > 0 && (w->anchors = calloc((size_t)n, sizeof(*w->anchors))) == NULL) {
        PQclear(res);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        struct pg_anchor *a = &w->anchors[w->nanchors++];
        snprintf(a->gateway, sizeof(a->gateway), "%s", PQgetvalue(res, i, 0));
        a->through = strtoll(PQgetvalue(res, i, 1), NULL, 10);
        snprintf(a->hash, sizeof(a->hash), "%s", PQgetvalue(res, i, 2));
    }
    PQclear(res);
    return 0;
}

/* pgstore_walk_end - report the gateway walked so far. */
static void pgstore_walk_end(struct pg_walk *w)
{
    if (!w->open)
        return;
    if (w->v.r.bad_id != 0)
        w->bad = 1;
    w->fn(&w->v, w->arg);
    w->open = 0;
}

/*
 * pgstore_walk_start - begin GATEWAY's chain after its checkpoint, or at
 * id 1. There is no head kept apart centrally: the walk ends at the last
 * row, and the gateway's own verify-log guards its newest records.
 */
static void pgstore_walk_start(struct pg_walk *w, const char *gateway)
{
    long long through = 0;
    const char *hash = CHAIN_ZERO_HASH;

    memset(&w->v, 0, sizeof(w->v));
    snprintf(w->v.gateway, sizeof(w->v.gateway), "%s", gateway);
    for (size_t i = 0; i < w->nanchors; i++)
        if (strcmp(w->anchors[i].gateway, gateway) == 0) {
            through = w->anchors[i].through;
            hash = w->anchors[i].hash;
        }
    chain_walk_start(&w->cw, &w->v.r, through, hash);
    w->open = 1;
}

/* pgstore_walk_row - one row of the walk, ordered by gateway and id. */
static int pgstore_walk_row(const PGresult *res, void *arg)
{
    struct pg_walk *w = arg;
    struct record r;
    int rc = 0;

    if (pgstore_row(res, 0, &r) < 0)
        return -1;
    if (!w->open || strcmp(w->v.gateway, r.f[RF_GATEWAY]) != 0) {
        pgstore_walk_end(w);
        pgstore_walk_start(w, r.f[RF_GATEWAY]);
    }
    if (w->cw.status == 0) {
        struct chain_row row = record_row(&r);
        rc = chain_walk_row(&w->cw, &row, r.prev_hash, r.hash) < 0 ? -1 : 0;
    }
    record_clear(&r);
    return rc;
}

int pgstore_verify(struct pgstore *s, const char *gateway,
                   void (*fn)(const struct pg_verify *v, void *arg), void *arg)
{
    struct pg_walk w = {.fn = fn, .arg = arg};
    const char *params[1] = {gateway};
    int rc;

    if (pgstore_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0)
        return -1;
    rc = pgstore_anchors(s, gateway, &w);
    if (rc == 0)
        rc = pgstore_stream(s,
                            PG_SELECT " AND ($1::text IS NULL OR gateway = $1)"
                                      " ORDER BY gateway COLLATE \"C\", id",
                            1, params, pgstore_walk_row, &w);
    free(w.anchors);
    if (rc < 0)
        return pgstore_rollback(s);
    pgstore_walk_end(&w);
    if (pgstore_exec(s, "COMMIT") < 0)
        return -1;
    return w.bad;
}

/* pgstore_expire_one - GATEWAY's records before id KEEP_FROM, with a checkpoint. */
static int pgstore_expire_one(struct pgstore *s, const char *gateway, const char *keep_from,
                              const char *stamp, long long *removed)
{
    const char *params[3] = {gateway, keep_from, stamp};
    PGresult *res;

    if (pgstore_exec_params(
            s,
            "INSERT INTO central_checkpoints (gateway, through_id, removed, last_hash, time)"
            " SELECT $1, $2::bigint - 1, count(*), (SELECT hash FROM violations"
            " WHERE gateway = $1 AND id = $2::bigint - 1), $3"
            " FROM violations WHERE gateway = $1 AND id < $2::bigint HAVING count(*) > 0",
            3, params) < 0)
        return -1;
    res = PQexecParams(s->conn, "DELETE FROM violations WHERE gateway = $1 AND id < $2::bigint", 2,
                       NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        pgstore_fail(s, "removing expired records", res);
        PQclear(res);
        return -1;
    }
    *removed += strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return 0;
}

int pgstore_expire(struct pgstore *s, const char *gateway, const char *before, long long *removed)
{
    const char *params[2] = {before, gateway};
    static const Oid types[2] = {PG_TEXT, PG_TEXT};
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    PGresult *res;
    int rc = 0;

    *removed = 0;
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    if (pgstore_exec(s, "BEGIN") < 0)
        return -1;
    /* Per gateway, the first id to keep: the first stamped BEFORE or later. */
    res = PQexecParams(s->conn,
                       "SELECT gateway, coalesce(min(id) FILTER (WHERE time >= $1), max(id) + 1)"
                       " FROM violations WHERE $2::text IS NULL OR gateway = $2 GROUP BY gateway",
                       2, types, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = pgstore_fail(s, "finding expired records", res);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++)
        rc = pgstore_expire_one(s, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), stamp, removed);
    PQclear(res);
    if (rc < 0 || pgstore_exec(s, "COMMIT") < 0)
        return pgstore_rollback(s);
    return 0;
}

/* --- the backend behind store.h ---------------------------------------------------- */

/* pg_claims - a libpq conninfo: a URI, or keyword=value pairs. */
static int pg_claims(const char *path)
{
    return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0 ||
           strchr(path, '=') != NULL;
}

/* pg_open - the central log; MODE and BUSY_MS do not apply (the server's locks). */
static struct store *pg_open(const char *path, enum store_mode mode, int busy_ms, char *err,
                             size_t errlen)
{
    (void)mode;
    (void)busy_ms;
    return pgstore_base(pgstore_open(path, err, errlen));
}

static void pg_close(struct store *s)
{
    pgstore_close((struct pgstore *)s);
}

/* pg_append - records reach the central log with their gateway's ids: pgstore_ship(). */
static int pg_append(struct store *s, struct record *recs, size_t n)
{
    (void)recs;
    (void)n;
    snprintf(s->error, sizeof(s->error),
             "the central log is written by officialmail ship, with each gateway's own ids");
    return -1;
}

static int pg_query(struct store *s, const struct store_filter *f, store_record_fn *fn, void *arg)
{
    return pgstore_query((struct pgstore *)s, f, fn, arg);
}

static int pg_departments(struct store *s, store_name_fn *fn, void *arg)
{
    return pgstore_departments((struct pgstore *)s, fn, arg);
}

/* pg_verify_add - one gateway into the whole log's result: counts, and the first bad one. */
static void pg_verify_add(const struct pg_verify *v, void *arg)
{
    struct chain_verify_result *r = arg;

    r->records += v->r.records;
    if (v->r.records > 0 && (r->first_id == 0 || v->r.first_id < r->first_id))
        r->first_id = v->r.first_id;
    if (v->r.last_id > r->last_id)
        r->last_id = v->r.last_id;
    if (v->r.bad_id != 0 && r->bad_id == 0) {
        r->bad_id = v->r.bad_id;
        snprintf(r->problem, sizeof(r->problem), "gateway=%.60s: %.180s", v->gateway, v->r.problem);
    }
}

/* pg_verify - every gateway's chain as one result (the digests' chain status). */
static int pg_verify(struct store *s, struct chain_verify_result *r)
{
    memset(r, 0, sizeof(*r));
    return pgstore_verify((struct pgstore *)s, NULL, pg_verify_add, r);
}

static int pg_expire(struct store *s, const char *before, long long *removed)
{
    return pgstore_expire((struct pgstore *)s, NULL, before, removed);
}

const struct store_ops store_pg_ops = {
    .name = "postgresql",
    .claims = pg_claims,
    .open = pg_open,
    .close = pg_close,
    .append = pg_append,
    .query = pg_query,
    .departments = pg_departments,
    .verify = pg_verify,
    .expire = pg_expire,
};
