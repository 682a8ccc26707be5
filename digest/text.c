/*
 * digest_text - the text/plain body of a digest: what a reader sees in a
 * client that shows no HTML, and what a script can grep. Lines stay
 * under about 78 columns except where a value is long; values from the
 * log are made safe by dbuf_text() and, where their width varies, come
 * last on their line so that columns stay aligned.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define TEXT_BAR_MAX 40 /* columns of the longest bar of the per-day chart */

/* text_rule - a line under a heading, as long as the heading. */
static void text_rule(struct dbuf *b, size_t n, char c)
{
    while (n-- > 0)
        dbuf_addn(b, &c, 1);
    dbuf_add(b, "\n");
}

/* text_head - title, period and a rule under them. */
static void text_head(struct dbuf *b, const struct digest_view *v)
{
    size_t start = dbuf_len(b), n;

    digest_fmt_title(b, v, 0);
    dbuf_add(b, "\nViolation digest for ");
    digest_fmt_period(b, &v->d->period);
    n = dbuf_failed(b) ? 0 : dbuf_chars(dbuf_str(b) + start) - 1;
    dbuf_add(b, "\n");
    text_rule(b, n > 78 ? 78 : n, '=');
    dbuf_add(b, "\n");
}

/* text_counts - a table of counts by rule or by action, this period against the previous. */
static void text_counts(struct dbuf *b, const struct digest_view *v, int by_rule)
{
    const struct digest_dept *dp = v->dept != NULL ? v->dept : &v->d->all;
    const struct digest_period *p = &v->d->period;
    int n = by_rule ? DIGEST_RULES : DA_COUNT;
    char change[48];

    dbuf_printf(b, "%-24s %10s %10s  %s\n", by_rule ? "By rule" : "By action", digest_fmt_col(p, 0),
                digest_fmt_col(p, 1), "change");
    for (int i = 0; i < n; i++) {
        long long cur = by_rule ? dp->cur.by_rule[i] : dp->cur.by_action[i];
        long long prev = by_rule ? dp->prev.by_rule[i] : dp->prev.by_action[i];
        /* "other" only when the log holds a value this version does not know. */
        if ((by_rule ? i == RULE_COUNT : i == DA_OTHER) && cur == 0 && prev == 0)
            continue;
        digest_fmt_change(change, sizeof(change), cur, prev);
        dbuf_printf(b, "  %-22s %10lld %10lld  %s\n",
                    by_rule ? digest_rule_name(i) : digest_action_name(i), cur, prev, change);
    }
    dbuf_add(b, "\n");
}

/* text_days - the per-day chart in '#' characters. */
static void text_days(struct dbuf *b, const struct digest_view *v)
{
    const struct digest_dept *dp = v->dept != NULL ? v->dept : &v->d->all;
    long long max = 1;
    char day[32];

    for (int i = 0; i < v->d->period.ndays; i++)
        if (dp->per_day[i] > max)
            max = dp->per_day[i];
    dbuf_add(b, "Violations per day (UTC)\n");
    for (int i = 0; i < v->d->period.ndays; i++) {
        long long w = (dp->per_day[i] * TEXT_BAR_MAX + max - 1) / max;
        digest_fmt_day(day, sizeof(day), &v->d->period, i);
        dbuf_printf(b, "  %-11s %6lld%s", day, dp->per_day[i], w > 0 ? "  " : "");
        for (long long k = 0; k < w; k++)
            dbuf_add(b, "#");
        dbuf_add(b, "\n");
    }
    dbuf_add(b, "\n");
}

/* text_top - one of the "most violations" lists. */
static void text_top(struct dbuf *b, const char *title, const struct digest_top *t, size_t n)
{
    dbuf_printf(b, "%s\n", title);
    for (size_t i = 0; i < n; i++) {
        dbuf_printf(b, "  %6lld  ", t[i].n);
        (void)dbuf_text(b, t[i].key, 200);
        dbuf_add(b, "\n");
    }
    dbuf_add(b, "\n");
}

/* text_events - the events kept, and how to list the rest. */
static void text_events(struct dbuf *b, const struct digest_view *v, const struct digest_dept *dp,
                        const char *title)
{
    dbuf_printf(b, "%s (%zu of %lld, in the order recorded)\n", title, dp->nevents, dp->cur.total);
    for (size_t i = 0; i < dp->nevents; i++) {
        const struct digest_event *e = &dp->events[i];
        dbuf_add(b, "  ");
        digest_fmt_time(b, e->time, 0);
        dbuf_add(b, "  ");
        (void)dbuf_text(b, e->action, 12);
        if (e->ticket[0] != '\0') {
            dbuf_add(b, " (");
            (void)dbuf_text(b, e->ticket, 40);
            dbuf_add(b, ")");
        }
        dbuf_add(b, "  ");
        (void)dbuf_text(b, e->rule, 24);
        dbuf_add(b, "\n    sender:  ");
        (void)dbuf_text(b, e->sender, 200);
        dbuf_add(b, "\n    address: ");
        (void)dbuf_text(b, e->address[0] ? e->address : "<>", 200);
        dbuf_add(b, "\n    subject: ");
        (void)dbuf_text(b, e->subject[0] ? e->subject : "(not logged)", 160);
        dbuf_add(b, "\n");
    }
    if (dp->cur.total > (long long)dp->nevents)
        dbuf_printf(b, "  %lld more events are not listed here. To list them all:\n",
                    dp->cur.total - (long long)dp->nevents);
    else
        dbuf_add(b, "  To list them with every field:\n");
    dbuf_add(b, "    ");
    digest_fmt_log_command(b, v, dp->name);
    dbuf_add(b, "\n\n");
}

/* text_lapses - exceptions that lapsed or lapse soon, when there are any for this digest. */
static void text_lapses(struct dbuf *b, const struct digest_view *v)
{
    int any = 0;

    for (size_t i = 0; i < v->d->nlapses; i++) {
        const struct digest_lapse *l = &v->d->lapses[i];
        if (!digest_lapse_applies(l, v->dept))
            continue;
        if (!any)
            dbuf_printf(b, "Exceptions that lapsed or lapse within %d days\n", DIGEST_LAPSE_DAYS);
        any = 1;
        dbuf_add(b, "  ");
        digest_fmt_lapse(b, l, 0);
        dbuf_add(b, "\n    ");
        digest_fmt_exception(b, l->x, 0);
        dbuf_add(b, "\n");
    }
    if (any)
        dbuf_add(b, "\n");
}

/* text_ranking - the compliance table: every department, most violations first. */
static void text_ranking(struct dbuf *b, const struct digest_view *v, size_t *order, size_t n)
{
    const struct digest_period *p = &v->d->period;
    char change[48];

    dbuf_add(b, "Departments, most violations first\n");
    dbuf_printf(b, "  %4s %10s %10s  %-13s %s\n", "rank", digest_fmt_col(p, 0),
                digest_fmt_col(p, 1), "change", "department");
    for (size_t i = 0; i < n; i++) {
        const struct digest_dept *dp = &v->d->depts[order[i]];
        digest_fmt_change(change, sizeof(change), dp->cur.total, dp->prev.total);
        dbuf_printf(b, "  %4zu %10lld %10lld  %-13s ", i + 1, dp->cur.total, dp->prev.total,
                    change);
        (void)dbuf_text(b, dp->name, 120);
        dbuf_printf(b, "%s\n", digest_fmt_dept_note(v->d, dp));
    }
    dbuf_add(b, "\n");
}

/* text_summary - the sentence under the heading. */
static void text_summary(struct dbuf *b, const struct digest_view *v, const struct digest_dept *dp)
{
    const struct digest_period *p = &v->d->period;
    const char *cur = p->is_week ? p->label : "this period";
    const char *prev = p->is_week ? p->prev_label : "the previous period";
    char change[48];

    digest_fmt_change(change, sizeof(change), dp->cur.total, dp->prev.total);
    if (dp->cur.total == 0)
        dbuf_printf(b, "No violations were recorded %s in %s (%s: %lld).\n",
                    v->dept != NULL ? "for this department" : "in any department", cur, prev,
                    dp->prev.total);
    else
        dbuf_printf(b, "%lld violation%s in %s; %s had %lld (change: %s).\n", dp->cur.total,
                    dp->cur.total == 1 ? "" : "s", cur, prev, dp->prev.total, change);
    if (v->dept == NULL) {
        const struct digest_dept *u = &v->d->depts[v->d->default_index];
        dbuf_add(b, "Unassigned events (default_department \"");
        (void)dbuf_text(b, u->name, 80);
        dbuf_printf(b, "\"): %lld in %s, %lld in %s.\n", u->cur.total, cur, u->prev.total, prev);
    }
    dbuf_add(b, "\n");
}

/* text_body - what follows the summary when the period has violations. */
static void text_body(struct dbuf *b, const struct digest_view *v, const struct digest_dept *dp)
{
    size_t *order, n;

    if (v->dept == NULL) {
        if ((order = calloc(v->d->ndepts + 1, sizeof(*order))) == NULL) {
            dbuf_fail(b);
            return;
        }
        n = digest_data_rank(v->d, order);
        text_ranking(b, v, order, n);
        free(order);
    }
    text_counts(b, v, 1);
    text_counts(b, v, 0);
    text_days(b, v);
    text_top(b, "Senders with most violations", dp->top_senders, dp->ntop_senders);
    text_top(b, "Offending addresses with most violations", dp->top_addresses, dp->ntop_addresses);
}

/* digest_render_text - head, summary, tables, chart, lists, events, exceptions, chain. */
void digest_render_text(struct dbuf *b, const struct digest_view *v)
{
    const struct digest_dept *dp = v->dept != NULL ? v->dept : &v->d->all;
    /* The compliance digest lists the unassigned events; a department its own. */
    const struct digest_dept *events =
        v->dept != NULL ? v->dept : &v->d->depts[v->d->default_index];

    text_head(b, v);
    text_summary(b, v, dp);
    if (dp->cur.total > 0)
        text_body(b, v, dp);
    if (events->cur.total > 0)
        text_events(b, v, events, v->dept != NULL ? "Events" : "Unassigned events");
    text_lapses(b, v);
    digest_fmt_chain(b, v->d);
    dbuf_add(b, "\n\n-- \nofficialmail digest");
    if (v->host != NULL) {
        dbuf_add(b, " on ");
        (void)dbuf_text(b, v->host, 100);
    }
    dbuf_add(b, "\n");
}
