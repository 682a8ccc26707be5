/*
 * alert_eval - the sliding window over an alert rule's records.
 *
 * Each round reads the matching records after the cursor (NEW), and the
 * matching records before it that are still inside the window of the
 * first new one (PRIOR); the window then slides over PRIOR followed by
 * NEW in id order, which is the log's order.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert_eval.h"

/* What the window keeps of a record. */
struct entry {
    long long id;
    time_t t;
    char *stamp, *sender, *address, *department;
};

struct entries {
    struct entry *v;
    size_t n, cap, max; /* max: stop reading after that many (0: no limit) */
    long long upto;     /* stop at an id above it (0: no limit) */
    int oom;
};

/* alert_parse_stamp - strict "YYYY-MM-DDTHH:MM:SSZ". */
time_t alert_parse_stamp(const char *stamp)
{
    struct tm tm;
    const char *end;

    memset(&tm, 0, sizeof(tm));
    end = strptime(stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end == NULL || *end != '\0')
        return (time_t)-1;
    return timegm(&tm);
}

/* alert_format_stamp - UTC, as the log writes it. */
void alert_format_stamp(time_t t, char *out)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(out, ALERT_STAMP, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, ALERT_STAMP, "1970-01-01T00:00:00Z");
}

/* entries_add - keep what R says (the query's callback); 1 stops the query. */
static int entries_add(const struct record *r, void *arg)
{
    struct entries *e = arg;

    if (e->upto > 0 && r->id > e->upto)
        return 1;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        struct entry *v = realloc(e->v, cap * sizeof(*v));
        if (v == NULL) {
            e->oom = 1;
            return 1;
        }
        e->v = v;
        e->cap = cap;
    }
    struct entry *x = &e->v[e->n];
    /* The sender of a record: its envelope sender, else its From (null sender). */
    const char *sender =
        r->f[RF_ENVELOPE_SENDER][0] ? r->f[RF_ENVELOPE_SENDER] : r->f[RF_HEADER_FROM];
    x->id = r->id;
    x->t = alert_parse_stamp(r->f[RF_TIME]);
    x->stamp = strdup(r->f[RF_TIME]);
    x->sender = strdup(sender);
    x->address = strdup(r->f[RF_ADDRESS]);
    x->department = strdup(r->f[RF_DEPARTMENT]);
    if (!x->stamp || !x->sender || !x->address || !x->department) {
        free(x->stamp), free(x->sender), free(x->address), free(x->department);
        e->oom = 1;
        return 1;
    }
    e->n++;
    return e->max > 0 && e->n >= e->max;
}

/* entries_free - every kept string and the array. */
static void entries_free(struct entries *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].stamp);
        free(e->v[i].sender);
        free(e->v[i].address);
        free(e->v[i].department);
    }
    free(e->v);
}

/* alert_cmp - strcmp over string pointers, for qsort. */
static int alert_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* alert_top_cmp - most records first, then by value. */
static int alert_top_cmp(const void *a, const void *b)
{
    const struct alert_top *x = a, *y = b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->value, y->value);
}

/*
 * alert_tops - the ALERT_TOP most frequent of the N values V (sorted in
 * place) into TOP; returns how many (-1 when out of memory). Empty
 * values are skipped.
 */
static int alert_tops(const char **v, size_t n, struct alert_top *top)
{
    struct alert_top *all = malloc((n ? n : 1) * sizeof(*all));
    size_t k = 0;

    if (all == NULL)
        return -1;
    qsort(v, n, sizeof(*v), alert_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(v[j], v[i]) == 0)
            j++;
        if (v[i][0] != '\0')
            all[k++] = (struct alert_top){v[i], (long)(j - i)};
        i = j;
    }
    qsort(all, k, sizeof(*all), alert_top_cmp);
    if (k > ALERT_TOP)
        k = ALERT_TOP;
    memcpy(top, all, k * sizeof(*all));
    free(all);
    return (int)k;
}

/* alert_hit_fill - the hit of window W[FROM..TO] of rule A; -1 when out of memory. */
static int alert_hit_fill(struct alert_hit *h, const struct alert_rule *a, const struct entry *w,
                          size_t from, size_t to, const char ***tmp)
{
    size_t n = to - from + 1;
    const char **v = malloc(3 * n * sizeof(*v));

    memset(h, 0, sizeof(*h));
    if (v == NULL)
        return -1;
    *tmp = v;
    h->rule = a;
    h->count = (long)n;
    snprintf(h->first, sizeof(h->first), "%s", w[from].stamp);
    snprintf(h->last, sizeof(h->last), "%s", w[to].stamp);
    h->last_id = w[to].id;
    h->last_time = w[to].t;
    for (size_t i = 0; i < n; i++) {
        v[i] = w[from + i].sender;
        v[n + i] = w[from + i].address;
        v[2 * n + i] = w[from + i].department;
    }
    int ns = alert_tops(v, n, h->senders), na = alert_tops(v + n, n, h->addresses);
    if (ns < 0 || na < 0)
        return -1;
    h->nsenders = (size_t)ns;
    h->naddresses = (size_t)na;
    /* Departments: every distinct one, in name order (their alert_to get the mail). */
    const char **d = v + 2 * n;
    qsort(d, n, sizeof(*d), alert_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(d[k - 1], d[i]) != 0)
            d[k++] = d[i];
    h->departments = d;
    h->ndepartments = k;
    return 0;
}

/* alert_read - the records of filter F into E; -1 with ERR. */
static int alert_read(struct store *s, const struct store_filter *f, struct entries *e, char *err,
                      size_t errlen)
{
    if (store_query(s, f, entries_add, e) < 0) {
        snprintf(err, errlen, "%s", store_error(s));
        return -1;
    }
    if (e->oom) {
        snprintf(err, errlen, "out of memory reading the log");
        return -1;
    }
    return 0;
}

/* alert_filter - the records rule A counts. */
static struct store_filter alert_filter(const struct alert_rule *a)
{
    struct store_filter f = {0};

    f.rule = a->rule >= 0 ? policy_rule_name((enum om_rule)a->rule) : NULL;
    f.department = a->department;
    f.action = a->action >= 0 ? policy_action_name((enum om_action)a->action) : NULL;
    return f;
}

/* alert_slide - the window over W (PRIOR entries first); FIRE for each alert. */
static int alert_slide(const struct entries *w, size_t prior, const struct alert_rule *a,
                       long interval, struct alert_row *row, alert_fire_fn fire, void *arg,
                       char *err, size_t errlen)
{
    size_t front = 0;

    for (size_t i = prior; i < w->n; i++) {
        const struct entry *e = &w->v[i];
        while (front < i && w->v[front].t <= e->t - a->window)
            front++;
        if ((long)(i - front + 1) < a->threshold ||
            (row->last_alert != 0 && e->t < row->last_alert + interval))
            continue;
        struct alert_hit h;
        const char **tmp = NULL;
        int rc = alert_hit_fill(&h, a, w->v, front, i, &tmp);
        if (rc < 0)
            snprintf(err, errlen, "out of memory building an alert");
        else if ((rc = fire(&h, row, arg)) < 0)
            snprintf(err, errlen, "alert %s not delivered", a->name);
        free(tmp);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* alert_eval - read NEW and PRIOR, slide. */
long alert_eval(struct store *s, const char *gateway, const struct alert_rule *a, long interval,
                struct alert_row *row, alert_fire_fn fire, void *arg, char *err, size_t errlen)
{
    struct store_filter f = alert_filter(a);
    struct entries nw = {.max = 10000}, w = {0};
    char after[32], since[ALERT_STAMP];
    long judged = -1;

    snprintf(after, sizeof(after), "%lld", row->cursor);
    f.after_id = after;
    f.gateway = gateway;
    if (alert_read(s, &f, &nw, err, errlen) < 0)
        goto out;
    judged = (long)nw.n;
    if (nw.n == 0)
        goto out;
    /* The records before the cursor still inside the first new record's window. */
    f.after_id = NULL;
    alert_format_stamp(nw.v[0].t - a->window + 1, since);
    f.since = since;
    w.upto = row->cursor;
    if (row->cursor > 0 && alert_read(s, &f, &w, err, errlen) < 0) {
        judged = -1;
        goto out;
    }
    size_t prior = w.n;
    /* NEW moves behind PRIOR: one array, in id order. */
    struct entry *v = realloc(w.v, (w.n + nw.n) * sizeof(*v));
    if (v == NULL) {
        snprintf(err, errlen, "out of memory");
        judged = -1;
        goto out;
    }
    w.v = v;
    memcpy(w.v + w.n, nw.v, nw.n * sizeof(*v));
    w.n += nw.n;
    nw.n = 0;
    if (alert_slide(&w, prior, a, interval, row, fire, arg, err, errlen) < 0) {
        judged = -1;
        goto out;
    }
    row->cursor = w.v[w.n - 1].id;
out:
    entries_free(&nw);
    entries_free(&w);
    return judged;
}
