/*
 * central_args - verify-log and expire on the central log, and local
 * expire's limit (central_args.h).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "central_args.h"
#include "cli.h"
#include "marks_pg.h"
#include "ship_state.h"
#include "store_pg.h"

const char *central_conninfo(struct log_args *a)
{
    if (a->database != NULL)
        return a->database;
    if (a->policy == NULL && (a->policy = cli_load_policy(a->config, time(NULL), 0, NULL)) == NULL)
        return NULL;
    if (a->policy->central_read_database != NULL)
        return a->policy->central_read_database;
    if (a->policy->central_database != NULL)
        return a->policy->central_database;
    cli_error("%s: --central: neither central_read_database nor central_database is set in %s",
              a->cmd, a->policy->file);
    return NULL;
}

/* central_open - connect for A; NULL after saying why. */
static struct pgstore *central_open(struct log_args *a)
{
    const char *conninfo = central_conninfo(a);
    char err[512];
    struct pgstore *s;

    if (conninfo == NULL)
        return NULL;
    if ((s = pgstore_open(conninfo, err, sizeof(err))) == NULL)
        cli_error("%s: %s", a->cmd, err);
    return s;
}

/* central_kv - NAME as a key=value value (quoted when it is not a plain token). */
static const char *central_kv(const char *name, char *buf, size_t len)
{
    size_t pos = 0;

    if (record_escape(buf, len, &pos, name) < 0)
        snprintf(buf, len, "\"?\"");
    return buf;
}

/* central_verify_line - one gateway's line (SPEC 9 Details). */
static void central_verify_line(const struct pg_verify *v, void *arg)
{
    char gw[600];

    (void)arg;
    central_kv(v->gateway, gw, sizeof(gw));
    if (v->r.bad_id != 0)
        printf("first bad record: gateway=%s id=%lld (%s)\n", gw, v->r.bad_id, v->r.problem);
    else
        printf("gateway=%s records=%lld first=%lld last=%lld intact\n", gw, v->r.records,
               v->r.first_id, v->r.last_id);
}

/* central_marks_line - one console's chain of review marks. */
static void central_marks_line(const struct marks_pg_verify *v, void *arg)
{
    char console[600];

    (void)arg;
    central_kv(v->console, console, sizeof(console));
    if (v->r.bad_id != 0)
        printf("first bad mark: console=%s id=%lld (%s)\n", console, v->r.bad_id, v->r.problem);
    else
        printf("marks: console=%s marks=%lld first=%lld last=%lld head=%s intact\n", console,
               v->r.records, v->r.first_id, v->r.last_id, v->r.head_hash);
}

int central_verify(struct log_args *a)
{
    struct pgstore *s = central_open(a);
    char err[512];
    int rc, mrc = 0;

    if (s == NULL)
        return 1;
    /* A department's role sees its rows only: every chain would look broken. */
    if ((rc = marks_pg_whole_chains(s, err, sizeof(err))) <= 0) {
        if (rc < 0)
            cli_error("verify-log: %s", err);
        else
            cli_error("verify-log: the role %s sees only some rows of the central log (its "
                      "departments'): the chains can only be checked as a compliance reader "
                      "or the owner",
                      pgstore_user(s));
        pgstore_close(s);
        return 1;
    }
    rc = pgstore_verify(s, a->filter.gateway, central_verify_line, NULL);
    if (rc < 0)
        cli_error("verify-log: %s", pgstore_error(s));
    /* The marks are the consoles' chains, not a gateway's: checked when all gateways are. */
    if (rc >= 0 && a->filter.gateway == NULL &&
        (mrc = marks_pg_verify(s, NULL, central_marks_line, NULL, err, sizeof(err))) < 0)
        cli_error("verify-log: the review marks: %s", err);
    if (mrc != 0)
        rc = rc < 0 ? rc : 1;
    pgstore_close(s);
    return fflush(stdout) == 0 && rc == 0 ? 0 : 1;
}

int central_expire(struct log_args *a)
{
    struct pgstore *s = central_open(a);
    long long removed;
    int rc;

    if (s == NULL)
        return 1;
    rc = pgstore_expire(s, a->filter.gateway, a->before, &removed);
    if (rc < 0)
        cli_error("expire: the central log as %s: %s", pgstore_user(s), pgstore_error(s));
    else
        printf("removed %lld record%s older than %s from the central log\n", removed,
               removed == 1 ? "" : "s", a->before);
    pgstore_close(s);
    return fflush(stdout) == 0 && rc == 0 ? 0 : 1;
}

/* What the records not shipped yet come to. */
struct central_unshipped {
    char first[LOG_STAMP_LEN]; /* the first one's time */
    long long n;
};

/* central_unshipped - count one record after the shipped id, keeping the first's time. */
static int central_unshipped(const struct record *r, void *arg)
{
    struct central_unshipped *u = arg;

    if (u->n++ == 0)
        snprintf(u->first, sizeof(u->first), "%s", r->f[RF_TIME]);
    return 0;
}

long long central_expire_limit(struct log_args *a, struct store *s)
{
    char err[512], id[32];
    const struct policy *p = a->policy;
    struct store_filter f = {.after_id = id};
    struct central_unshipped u = {"", 0};
    long long shipped;
    int rc;

    if (p == NULL || p->central_database == NULL)
        return 0;
    rc = ship_state_read(p->ship_state, p->gateway_name, &shipped, err, sizeof(err));
    if (rc < 0) {
        cli_error("expire: %s", err);
        return -1;
    }
    snprintf(id, sizeof(id), "%lld", rc == 0 ? 0 : shipped);
    if (store_query(s, &f, central_unshipped, &u) < 0) {
        cli_error("expire: %s", store_error(s));
        return -1;
    }
    /* The first record not shipped, and every one after it, stays. */
    if (u.n > 0 && strcmp(u.first, a->before) < 0)
        snprintf(a->before, sizeof(a->before), "%s", u.first);
    return u.n;
}
