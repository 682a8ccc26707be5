/*
 * alert_window - the records of an alert rule's window, and the alert
 * made of a run of them.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert_window.h"

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

/* alert_entry_free - one entry's strings. */
static void alert_entry_free(struct alert_entry *x)
{
    free(x->stamp), free(x->sender), free(x->address), free(x->department), free(x->gateway);
}

/* alert_entries_add - grow, copy. */
int alert_entries_add(const struct record *r, void *arg)
{
    struct alert_entries *e = arg;

    if (e->upto > 0 && r->id > e->upto)
        return 1;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        struct alert_entry *v = realloc(e->v, cap * sizeof(*v));
        if (v == NULL) {
            e->oom = 1;
            return 1;
        }
        e->v = v;
        e->cap = cap;
    }
    struct alert_entry *x = &e->v[e->n];
    /* The sender of a record: its envelope sender, else its From (null sender). */
    const char *sender =
        r->f[RF_ENVELOPE_SENDER][0] ? r->f[RF_ENVELOPE_SENDER] : r->f[RF_HEADER_FROM];
    memset(x, 0, sizeof(*x));
    x->id = r->id;
    x->t = alert_parse_stamp(r->f[RF_TIME]);
    x->stamp = strdup(r->f[RF_TIME]);
    x->sender = strdup(sender);
    x->address = strdup(r->f[RF_ADDRESS]);
    x->department = strdup(r->f[RF_DEPARTMENT]);
    x->gateway = strdup(r->f[RF_GATEWAY]);
    if (!x->stamp || !x->sender || !x->address || !x->department || !x->gateway) {
        alert_entry_free(x);
        e->oom = 1;
        return 1;
    }
    e->n++;
    return e->max > 0 && e->n >= e->max;
}

/* alert_entries_free - every entry, the array. */
void alert_entries_free(struct alert_entries *e)
{
    for (size_t i = 0; i < e->n; i++)
        alert_entry_free(&e->v[i]);
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
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
 * alert_group - the N values V sorted in place and counted into ALL (N
 * slots), in value order; returns how many distinct. Empty values are
 * skipped when SKIP_EMPTY.
 */
static size_t alert_group(const char **v, size_t n, struct alert_top *all, int skip_empty)
{
    size_t k = 0;

    qsort(v, n, sizeof(*v), alert_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(v[j], v[i]) == 0)
            j++;
        if (!skip_empty || v[i][0] != '\0')
            all[k++] = (struct alert_top){v[i], (long)(j - i)};
        i = j;
    }
    return k;
}

/* alert_tops - the ALERT_TOP most frequent of the N values V into TOP; how many, -1 on OOM. */
static int alert_tops(const char **v, size_t n, struct alert_top *top)
{
    struct alert_top *all = malloc((n ? n : 1) * sizeof(*all));
    size_t k;

    if (all == NULL)
        return -1;
    k = alert_group(v, n, all, 1);
    qsort(all, k, sizeof(*all), alert_top_cmp);
    if (k > ALERT_TOP)
        k = ALERT_TOP;
    memcpy(top, all, k * sizeof(*all));
    free(all);
    return (int)k;
}

/* alert_hit_fill - counts of the window W[FROM..TO]. */
int alert_hit_fill(struct alert_hit *h, const struct alert_rule *a, const struct alert_entry *w,
                   size_t from, size_t to)
{
    size_t n = to - from + 1;
    /* One block: departments, senders, addresses, gateways (freed as h->departments). */
    const char **v = malloc(4 * n * sizeof(*v));

    memset(h, 0, sizeof(*h));
    h->gateways = malloc(n * sizeof(*h->gateways));
    h->departments = v;
    if (v == NULL || h->gateways == NULL)
        goto oom;
    h->rule = a;
    h->count = (long)n;
    snprintf(h->first, sizeof(h->first), "%s", w[from].stamp);
    snprintf(h->last, sizeof(h->last), "%s", w[to].stamp);
    h->last_id = w[to].id;
    h->last_time = w[to].t;
    for (size_t i = 0; i < n; i++) {
        v[i] = w[from + i].department;
        v[n + i] = w[from + i].sender;
        v[2 * n + i] = w[from + i].address;
        v[3 * n + i] = w[from + i].gateway;
    }
    int ns = alert_tops(v + n, n, h->senders), na = alert_tops(v + 2 * n, n, h->addresses);
    if (ns < 0 || na < 0)
        goto oom;
    h->nsenders = (size_t)ns;
    h->naddresses = (size_t)na;
    h->ngateways = alert_group(v + 3 * n, n, h->gateways, 0);
    /* Departments: every distinct one, in name order (their alert_to get the mail). */
    qsort(v, n, sizeof(*v), alert_cmp);
    for (size_t i = 0; i < n; i++)
        if (h->ndepartments == 0 || strcmp(v[h->ndepartments - 1], v[i]) != 0)
            v[h->ndepartments++] = v[i];
    return 0;
oom:
    alert_hit_free(h);
    return -1;
}

/* alert_hit_free - the block and the gateways. */
void alert_hit_free(struct alert_hit *h)
{
    free((void *)h->departments);
    free(h->gateways);
    h->departments = NULL;
    h->gateways = NULL;
}

/* alert_entries_read - query, then say what went wrong. */
int alert_entries_read(struct store *s, const struct store_filter *f, struct alert_entries *e,
                       char *err, size_t errlen)
{
    if (store_query(s, f, alert_entries_add, e) < 0) {
        snprintf(err, errlen, "%s", store_error(s));
        return -1;
    }
    if (e->oom) {
        snprintf(err, errlen, "out of memory reading the log");
        return -1;
    }
    return 0;
}

/* alert_rule_filter - rule, department, action (each optional). */
struct store_filter alert_rule_filter(const struct alert_rule *a)
{
    struct store_filter f = {0};

    f.rule = a->rule >= 0 ? policy_rule_name((enum om_rule)a->rule) : NULL;
    f.department = a->department;
    f.action = a->action >= 0 ? policy_action_name((enum om_action)a->action) : NULL;
    return f;
}
