/*
 * alert_central - the all-gateways window of the central log.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_central.h"
#include "store_pg.h"

/* A gateway in this round: its records from FROM (exclusive) to UPTO are judged. */
struct central_gw {
    char *name;
    long long head, from, upto;
};

struct central_round {
    struct central_gw *gw; /* in byte order of the names, as pgstore_gateways gives them */
    size_t ngw;
    struct central_gw *cur; /* the gateway whose new records are being read */
    long fresh, left;       /* new records read; how many more the batch takes */
    time_t tmin, tmax;      /* of the new records */
    struct alert_entries e; /* the window's records */
    int oom;
};

/* central_list_row - one gateway of pgstore_gateways into the round. */
static int central_list_row(const char *name, long long head, void *arg)
{
    struct central_round *c = arg;
    struct central_gw *v = realloc(c->gw, (c->ngw + 1) * sizeof(*v));

    if (v == NULL || (v[c->ngw].name = strdup(name)) == NULL) {
        if (v != NULL)
            c->gw = v;
        c->oom = 1;
        return 1;
    }
    c->gw = v;
    v[c->ngw].head = head;
    v[c->ngw].from = v[c->ngw].upto = 0;
    c->ngw++;
    return 0;
}

/* central_free - the round's gateways and records. */
static void central_free(struct central_round *c)
{
    for (size_t i = 0; i < c->ngw; i++)
        free(c->gw[i].name);
    free(c->gw);
    alert_entries_free(&c->e);
}

/* central_list - every gateway and its head. 0, or -1 with ERR. */
static int central_list(struct pgstore *pg, struct central_round *c, char *err, size_t errlen)
{
    if (pgstore_gateways(pg, central_list_row, c) < 0) {
        snprintf(err, errlen, "the central log: %s", pgstore_error(pg));
        return -1;
    }
    if (c->oom) {
        snprintf(err, errlen, "out of memory listing the gateways");
        return -1;
    }
    return 0;
}

int alert_central_start(struct pgstore *pg, struct alert_follow *f, char *err, size_t errlen)
{
    struct central_round c = {0};
    int rc = central_list(pg, &c, err, errlen);

    for (size_t i = 0; rc == 0 && i < c.ngw; i++)
        if (alert_follow_set(f, c.gw[i].name, c.gw[i].head) < 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
    central_free(&c);
    return rc;
}

/* central_new_row - a new record of the gateway being read: its time and id. */
static int central_new_row(const struct record *r, void *arg)
{
    struct central_round *c = arg;
    time_t t = alert_parse_stamp(r->f[RF_TIME]);

    if (c->fresh == 0 || t < c->tmin)
        c->tmin = t;
    if (c->fresh == 0 || t > c->tmax)
        c->tmax = t;
    c->fresh++;
    c->cur->upto = r->id;
    return --c->left == 0;
}

/* central_read_new - each gateway's matching records after its cursor. 0, or -1 with ERR. */
static int central_read_new(struct pgstore *pg, const struct alert_rule *a,
                            const struct alert_follow *f, struct central_round *c, char *err,
                            size_t errlen)
{
    struct store_filter q = alert_rule_filter(a);
    char after[32];

    c->left = ALERT_CENTRAL_BATCH;
    for (size_t i = 0; i < c->ngw; i++) {
        struct central_gw *g = &c->gw[i];
        long long cursor = alert_follow_cursor(f, g->name);
        g->from = g->upto = cursor < 0 ? 0 : cursor; /* a new gateway: from its first record */
        if (g->head <= g->from || c->left == 0)
            continue;
        snprintf(after, sizeof(after), "%lld", g->from);
        q.gateway = g->name;
        q.after_id = after;
        c->cur = g;
        if (pgstore_query(pg, &q, central_new_row, c) < 0) {
            snprintf(err, errlen, "the central log: %s", pgstore_error(pg));
            return -1;
        }
        if (c->left > 0 && g->upto < g->head) /* all read: the rest did not match */
            g->upto = g->head;
    }
    return 0;
}

/* central_gw_cmp - bsearch by name. */
static int central_gw_cmp(const void *key, const void *elt)
{
    return strcmp(key, ((const struct central_gw *)elt)->name);
}

/* central_ctx_row - a record of the time range: kept when seen (UPTO), marked fresh when new. */
static int central_ctx_row(const struct record *r, void *arg)
{
    struct central_round *c = arg;
    const struct central_gw *g =
        bsearch(r->f[RF_GATEWAY], c->gw, c->ngw, sizeof(*c->gw), central_gw_cmp);
    int stop;

    if (g == NULL || r->id > g->upto)
        return 0; /* shipped after this round began: the next round's */
    stop = alert_entries_add(r, &c->e);
    if (!c->e.oom)
        c->e.v[c->e.n - 1].fresh = r->id > g->from;
    return stop;
}

/* central_read_window - the records within a window of a new one. 0, or -1 with ERR. */
static int central_read_window(struct pgstore *pg, const struct alert_rule *a,
                               struct central_round *c, char *err, size_t errlen)
{
    struct store_filter q = alert_rule_filter(a);
    char since[ALERT_STAMP], until[ALERT_STAMP];

    /* A window (t - window, t] holds a new record at n when t lies in [n, n + window). */
    alert_format_stamp(c->tmin - a->window + 1, since);
    alert_format_stamp(c->tmax + a->window, until);
    q.since = since;
    q.until = until;
    if (pgstore_query(pg, &q, central_ctx_row, c) < 0) {
        snprintf(err, errlen, "the central log: %s", pgstore_error(pg));
        return -1;
    }
    if (c->e.oom) {
        snprintf(err, errlen, "out of memory reading the central log");
        return -1;
    }
    return 0;
}

/* central_fire - remember the window as fired, build the hit, FIRE. 0 or -1 with ERR. */
static int central_fire(const struct alert_rule *a, const struct central_round *c, size_t from,
                        size_t to, struct alert_follow *f, alert_fire_fn fire, void *arg, char *err,
                        size_t errlen)
{
    struct alert_hit h;
    time_t t = c->e.v[to].t;
    int rc;

    if (alert_hit_fill(&h, a, c->e.v, from, to) < 0 || alert_follow_fired(f, t) < 0) {
        snprintf(err, errlen, "out of memory building an alert");
        return -1;
    }
    if (t > f->row.last_alert)
        f->row.last_alert = t;
    if ((rc = fire(&h, &f->row, arg)) < 0)
        snprintf(err, errlen, "alert %s not delivered", a->name);
    alert_hit_free(&h);
    return rc;
}

/* central_slide - each window (in time order) that holds a new record. 0 or -1 with ERR. */
static int central_slide(const struct alert_rule *a, long interval, const struct central_round *c,
                         struct alert_follow *f, alert_fire_fn fire, void *arg, char *err,
                         size_t errlen)
{
    const struct alert_entry *v = c->e.v;
    size_t front = 0, fresh = 0;

    for (size_t i = 0; i < c->e.n; i++) {
        fresh += v[i].fresh;
        for (; front < i && v[front].t <= v[i].t - a->window; front++)
            fresh -= v[front].fresh;
        if (fresh == 0 || (long)(i - front + 1) < a->threshold ||
            alert_follow_quiet(f, v[i].t, interval))
            continue; /* judged before as it is; below the threshold; quiet */
        if (central_fire(a, c, front, i, f, fire, arg, err, errlen) < 0)
            return -1;
    }
    return 0;
}

long alert_central_eval(struct pgstore *pg, const struct alert_rule *a, long interval,
                        struct alert_follow *f, alert_fire_fn fire, void *arg, char *err,
                        size_t errlen)
{
    struct central_round c = {0};
    long judged = -1;

    if (central_list(pg, &c, err, errlen) < 0 || central_read_new(pg, a, f, &c, err, errlen) < 0)
        goto out;
    if (c.fresh > 0 && (central_read_window(pg, a, &c, err, errlen) < 0 ||
                        central_slide(a, interval, &c, f, fire, arg, err, errlen) < 0))
        goto out;
    for (size_t i = 0; i < c.ngw; i++)
        if (alert_follow_set(f, c.gw[i].name, c.gw[i].upto) < 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    judged = c.fresh;
out:
    central_free(&c);
    return judged;
}
