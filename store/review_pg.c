/*
 * review_pg - the console's queries on the central log (review_pg.h).
 *
 * As review_sqlite.c: every value is a parameter, the SQL is built only
 * from fixed fragments chosen by which filters are set, and the role
 * limit is one more clause whenever the filter is restricted.
 */
#include <config.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "marks_pg.h"
#include "review_db.h"
#include "review_pg.h"
#include "store_pg.h"

#define RPG_MAX_PARAMS (16 + REVIEW_MAX_DEPTS)

struct review_pg {
    struct review base; /* first: review.h's calls reach it */
    struct pgstore *pg;
};

/* A WHERE clause being built: its text and its $N values in order. */
struct rpg_where {
    char sql[3072];
    const char *param[RPG_MAX_PARAMS];
    int n;
    char *like; /* the text filter as a LIKE pattern, owned */
    int overflow;
};

/* rpg_conn - RV's connection. */
static PGconn *rpg_conn(struct review *rv)
{
    return (PGconn *)pgstore_conn(((struct review_pg *)rv)->pg);
}

/* rpg_fail - remember WHAT and PostgreSQL's reason; returns -1. */
static int rpg_fail(struct review *rv, const char *what)
{
    snprintf(rv->error, sizeof(rv->error), "%s: %s", what, PQerrorMessage(rpg_conn(rv)));
    return -1;
}

/* rpg_add - append CLAUSE, each "$#" in it standing for one new parameter V. */
static void rpg_add(struct rpg_where *w, const char *clause, const char *v)
{
    char part[1024];
    size_t o = 0;

    if (w->n >= RPG_MAX_PARAMS) {
        w->overflow = 1;
        return;
    }
    if (v != NULL)
        w->param[w->n++] = v;
    for (const char *p = clause; *p != '\0' && o + 12 < sizeof(part); p++) {
        if (p[0] == '$' && p[1] == '#') {
            o += (size_t)snprintf(part + o, sizeof(part) - o, "$%d", w->n);
            p++;
        } else {
            part[o++] = *p;
        }
    }
    part[o] = '\0';
    if (strlen(w->sql) + o + 1 > sizeof(w->sql))
        w->overflow = 1;
    else
        strcat(w->sql, part);
}

/* rpg_like - V as a LIKE pattern matching it anywhere, with %, _ and \ escaped. */
static char *rpg_like(const char *v)
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

/* rpg_where - W = " WHERE true AND ..." for F. 0, or -1 when out of memory or too long. */
static int rpg_where(struct rpg_where *w, const struct review_filter *f)
{
    memset(w, 0, sizeof(*w));
    strcpy(w->sql, " WHERE true");
    if (f->restricted) {
        if (f->ndepts == 0 || f->ndepts > REVIEW_MAX_DEPTS)
            rpg_add(w, " AND false", NULL);
        for (size_t i = 0; i < f->ndepts && i < REVIEW_MAX_DEPTS; i++)
            rpg_add(w, i == 0 ? " AND v.department IN ($#" : ", $#", f->depts[i]);
        if (f->ndepts > 0 && f->ndepts <= REVIEW_MAX_DEPTS)
            rpg_add(w, ")", NULL);
    }
    const struct {
        const char *v, *clause;
    } parts[] = {
        {f->since, " AND v.time >= $#"},           {f->until, " AND v.time < $#"},
        {f->department, " AND v.department = $#"}, {f->rule, " AND v.rule = $#"},
        {f->action, " AND v.action = $#"},         {f->address, " AND v.address = $#"},
        {f->queue_id, " AND v.queue_id = $#"},     {f->gateway, " AND v.gateway = $#"},
    };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        if (parts[i].v != NULL)
            rpg_add(w, parts[i].clause, parts[i].v);
    if (f->sender != NULL) {
        char tail[48];
        rpg_add(w, " AND (v.envelope_sender = $#", f->sender);
        snprintf(tail, sizeof(tail), " OR v.header_from = $%d)", w->n);
        rpg_add(w, tail, NULL);
    }
    if (f->text != NULL) {
        if ((w->like = rpg_like(f->text)) == NULL)
            return -1;
        rpg_add(w, " AND (v.subject ILIKE $# OR v.envelope_sender ILIKE ", w->like);
        char rest[400];
        snprintf(rest, sizeof(rest),
                 "$%d OR v.header_from ILIKE $%d OR v.address ILIKE $%d OR v.recipients ILIKE "
                 "$%d OR v.message_id ILIKE $%d OR v.queue_id ILIKE $%d)",
                 w->n, w->n, w->n, w->n, w->n, w->n);
        rpg_add(w, rest, NULL);
    }
    return w->overflow ? -1 : 0;
}

/* rpg_exec - run SQL with W's parameters; the result, or NULL after rpg_fail(). */
static PGresult *rpg_exec(struct review *rv, const char *sql, const struct rpg_where *w)
{
    PGresult *res = PQexecParams(rpg_conn(rv), sql, w->n, NULL, w->param, NULL, NULL, 0);

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rpg_fail(rv, "querying the central log");
        PQclear(res);
        return NULL;
    }
    return res;
}

/* The columns of a record, in record order. */
#define RPG_COLUMNS                                                                                \
    "v.id, v.time, v.queue_id, v.message_id, v.rule, v.reasons, v.action, v.intended_action,"      \
    " v.mode, v.exception_ticket, v.department, v.envelope_sender, v.header_from, v.address,"      \
    " v.recipients, v.client_ip, v.client_name, v.auth_user, v.spf, v.dkim, v.subject,"            \
    " v.gateway, v.prev_hash, v.hash"

/* rpg_list - a page of records, newest first, each with its latest mark. */
static int rpg_list(struct review *rv, const struct review_filter *f, long long offset,
                    long long limit, int (*fn)(const struct record *r, const char *mark, void *arg),
                    void *arg, long long *total)
{
    struct rpg_where w;
    char sql[4096];
    PGresult *res;
    int rc = 0;

    if (rpg_where(&w, f) < 0) {
        free(w.like);
        snprintf(rv->error, sizeof(rv->error), "the filter is too long");
        return -1;
    }
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM violations v%s", w.sql);
    if ((res = rpg_exec(rv, sql, &w)) == NULL) {
        free(w.like);
        return -1;
    }
    *total = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    snprintf(
        sql, sizeof(sql),
        "SELECT " RPG_COLUMNS ", %s FROM violations v%s ORDER BY v.time DESC, v.gateway COLLATE "
        "\"C\" DESC, v.id DESC LIMIT %lld OFFSET %lld",
        marks_pg_latest_sql, w.sql, limit > 0 ? limit : (long long)0x7fffffffffffffffLL, offset);
    res = rpg_exec(rv, sql, &w);
    free(w.like);
    if (res == NULL)
        return -1;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        struct record r;
        if (pgstore_row(res, i, &r) < 0) {
            rc = -1;
            break;
        }
        rc = fn(&r, PQgetvalue(res, i, RF_COUNT + 3), arg) != 0;
        record_clear(&r);
    }
    PQclear(res);
    return rc < 0 ? -1 : 0;
}

/* rpg_get - record (F's gateway, ID) within F's role limit: 1, 0 not found, -1 error. */
static int rpg_get(struct review *rv, const struct review_filter *f, long long id, struct record *r)
{
    struct review_filter limit = {
        .restricted = f->restricted, .depts = f->depts, .ndepts = f->ndepts, .gateway = f->gateway};
    struct rpg_where w;
    char sql[4096], ids[32];
    PGresult *res;
    int rc;

    if (f->gateway == NULL) /* ids repeat across gateways */
        return 0;
    if (rpg_where(&w, &limit) < 0)
        return snprintf(rv->error, sizeof(rv->error), "the filter is too long"), -1;
    snprintf(ids, sizeof(ids), "%lld", id);
    rpg_add(&w, " AND v.id = $#", ids);
    snprintf(sql, sizeof(sql), "SELECT " RPG_COLUMNS " FROM violations v%s", w.sql);
    if ((res = rpg_exec(rv, sql, &w)) == NULL)
        return -1;
    rc = PQntuples(res) == 0 ? 0 : pgstore_row(res, 0, r) < 0 ? -1 : 1;
    PQclear(res);
    return rc;
}

/* rpg_groups - FN(key, n) for each row of SQL (key, count). 0 or -1. */
static int rpg_groups(struct review *rv, const char *sql, struct rpg_where *w,
                      int (*fn)(const char *key, long long n, void *arg), void *arg)
{
    PGresult *res = rpg_exec(rv, sql, w);

    free(w->like);
    if (res == NULL)
        return -1;
    for (int i = 0; i < PQntuples(res); i++)
        if (fn(PQgetvalue(res, i, 0), strtoll(PQgetvalue(res, i, 1), NULL, 10), arg) != 0)
            break;
    PQclear(res);
    return 0;
}

/* rpg_group_count - counts by one of the fixed columns, most first (days in order). */
static int rpg_group_count(struct review *rv, const struct review_filter *f, enum review_group g,
                           size_t limit, int (*fn)(const char *key, long long n, void *arg),
                           void *arg)
{
    static const char *const cols[RG_COUNT] = {[RG_DEPARTMENT] = "v.department",
                                               [RG_RULE] = "v.rule",
                                               [RG_ACTION] = "v.action",
                                               [RG_SENDER] = "v.envelope_sender",
                                               [RG_DAY] = "substr(v.time, 1, 10)"};
    struct rpg_where w = {.like = NULL};
    char sql[4096], lim[32] = "";

    if ((unsigned)g >= RG_COUNT || rpg_where(&w, f) < 0) {
        free(w.like);
        return snprintf(rv->error, sizeof(rv->error), "bad grouping or filter"), -1;
    }
    if (limit > 0)
        snprintf(lim, sizeof(lim), " LIMIT %zu", limit);
    snprintf(sql, sizeof(sql),
             "SELECT %s AS k, count(*) AS n FROM violations v%s GROUP BY k ORDER BY %s%s COLLATE "
             "\"C\"%s",
             cols[g], w.sql, g == RG_DAY ? "" : "count(*) DESC, ", cols[g], lim);
    return rpg_groups(rv, sql, &w, fn, arg);
}

/* rpg_departments - the department names among F's records, in byte order. */
static int rpg_departments(struct review *rv, const struct review_filter *f,
                           int (*fn)(const char *key, long long n, void *arg), void *arg)
{
    struct rpg_where w;
    char sql[4096];

    if (rpg_where(&w, f) < 0) {
        free(w.like);
        return snprintf(rv->error, sizeof(rv->error), "the filter is too long"), -1;
    }
    snprintf(sql, sizeof(sql),
             "SELECT v.department AS k, count(*) FROM violations v%s GROUP BY k"
             " ORDER BY v.department COLLATE \"C\"",
             w.sql);
    return rpg_groups(rv, sql, &w, fn, arg);
}

/* rpg_mark_add - a mark on this console's chain of the central marks. */
static int rpg_mark_add(struct review *rv, const char *gateway, long long record_id,
                        const char *kind, const char *user, const char *comment, long long now,
                        struct review_mark *out)
{
    if (gateway == NULL) /* ids repeat across gateways */
        return snprintf(rv->error, sizeof(rv->error), "a central record needs its gateway"), -1;
    return marks_pg_add(((struct review_pg *)rv)->pg, gateway, record_id, kind, user, comment, now,
                        out, rv->error, sizeof(rv->error));
}

/* rpg_marks - every console's marks of one record, as the role sees them. */
static int rpg_marks(struct review *rv, const char *gateway, long long record_id,
                     int (*fn)(const struct review_mark *m, void *arg), void *arg)
{
    if (gateway == NULL)
        return 0;
    return marks_pg_list(((struct review_pg *)rv)->pg, gateway, record_id, fn, arg, rv->error,
                         sizeof(rv->error));
}

/* rpg_reviewed - the records of the span with a reviewer's mark, per department. */
static int rpg_reviewed(struct review *rv, const char *since, const char *until,
                        const char *gateway, int (*fn)(const char *key, long long n, void *arg),
                        void *arg)
{
    return marks_pg_reviewed(((struct review_pg *)rv)->pg, since, until, gateway, fn, arg,
                             rv->error, sizeof(rv->error));
}

/* rpg_verify_add - one console's chain into the summary: counts, and the first bad mark. */
static void rpg_verify_add(const struct marks_pg_verify *v, void *arg)
{
    struct review_verify_result *res = arg;

    res->exists = 1;
    res->marks += v->r.records;
    if (v->r.bad_id != 0 && res->bad_id == 0) {
        res->bad_id = v->r.bad_id;
        snprintf(res->problem, sizeof(res->problem), "console=%.100s: %.140s", v->console,
                 v->r.problem);
    }
    memcpy(res->head_hash, v->r.head_hash, RECORD_HASH_HEX);
}

/* rpg_marks_verify - every console's chain, summed up (marks_pg_verify() gives each). */
static int rpg_marks_verify(struct review *rv, struct review_verify_result *res)
{
    memset(res, 0, sizeof(*res));
    return marks_pg_verify(((struct review_pg *)rv)->pg, NULL, rpg_verify_add, res, rv->error,
                           sizeof(rv->error));
}

/* rpg_close - free RV (its connection is the caller's). */
static void rpg_close(struct review *rv)
{
    free(rv);
}

static const struct review_ops review_pg_ops = {
    .close = rpg_close,
    .list = rpg_list,
    .get = rpg_get,
    .group_count = rpg_group_count,
    .departments = rpg_departments,
    .mark_add = rpg_mark_add,
    .marks = rpg_marks,
    .marks_verify = rpg_marks_verify,
    .reviewed = rpg_reviewed,
};

struct review *review_pg_open(struct pgstore *pg)
{
    struct review_pg *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return NULL;
    r->base.ops = &review_pg_ops;
    r->pg = pg;
    return &r->base;
}
