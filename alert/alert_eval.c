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

/* alert_slide - the window over W (PRIOR entries first); FIRE for each alert. */
static int alert_slide(const struct alert_entries *w, size_t prior, const struct alert_rule *a,
                       long interval, struct alert_row *row, alert_fire_fn fire, void *arg,
                       char *err, size_t errlen)
{
    size_t front = 0;

    for (size_t i = prior; i < w->n; i++) {
        const struct alert_entry *e = &w->v[i];
        while (front < i && w->v[front].t <= e->t - a->window)
            front++;
        if ((long)(i - front + 1) < a->threshold ||
            (row->last_alert != 0 && e->t < row->last_alert + interval))
            continue;
        struct alert_hit h;
        int rc = alert_hit_fill(&h, a, w->v, front, i);
        if (rc < 0) {
            snprintf(err, errlen, "out of memory building an alert");
            return -1;
        }
        if ((rc = fire(&h, row, arg)) < 0)
            snprintf(err, errlen, "alert %s not delivered", a->name);
        alert_hit_free(&h);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* alert_eval - read NEW and PRIOR, slide. */
long alert_eval(struct store *s, const char *gateway, const struct alert_rule *a, long interval,
                struct alert_row *row, alert_fire_fn fire, void *arg, char *err, size_t errlen)
{
    struct store_filter f = alert_rule_filter(a);
    struct alert_entries nw = {.max = 10000}, w = {0};
    char after[32], since[ALERT_STAMP];
    long judged = -1;

    snprintf(after, sizeof(after), "%lld", row->cursor);
    f.after_id = after;
    f.gateway = gateway;
    if (alert_entries_read(s, &f, &nw, err, errlen) < 0)
        goto out;
    judged = (long)nw.n;
    if (nw.n == 0)
        goto out;
    /* The records before the cursor still inside the first new record's window. */
    f.after_id = NULL;
    alert_format_stamp(nw.v[0].t - a->window + 1, since);
    f.since = since;
    w.upto = row->cursor;
    if (row->cursor > 0 && alert_entries_read(s, &f, &w, err, errlen) < 0) {
        judged = -1;
        goto out;
    }
    size_t prior = w.n;
    /* NEW moves behind PRIOR: one array, in id order. */
    struct alert_entry *v = realloc(w.v, (w.n + nw.n) * sizeof(*v));
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
    alert_entries_free(&nw);
    alert_entries_free(&w);
    return judged;
}
