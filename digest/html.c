/*
 * digest_html - the text/html body of a digest.
 *
 * Written for mail clients, not browsers: layout in tables, every style
 * inline (clients drop <style> blocks and external sheets), bars of the
 * charts drawn as table cells with a percentage width and a background
 * colour (also as the bgcolor attribute, which older Outlook versions
 * read), no script, no image, no remote resource, no form. Every value
 * from the log or the configuration goes through dbuf_html().
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define C_INK "#1f2937"
#define C_MUTED "#6b7280"
#define C_NAVY "#1f3a5f"
#define C_LINE "#e5e7eb"
#define C_BAR "#2f6fbf"
#define C_UP "#b42318"
#define C_DOWN "#067647"
#define TD "padding:6px 8px;border-bottom:1px solid " C_LINE ";vertical-align:top;"
#define TDN TD "text-align:right;white-space:nowrap;"
#define TH "padding:6px 8px;background:#eef2f7;color:#334155;font-size:12px;text-align:left;"
#define THN TH "text-align:right;white-space:nowrap;"
#define TABLE                                                                                      \
    "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "             \
    "style=\"border-collapse:collapse;font-size:13px;\">"

/* html_h2 - a section heading. */
static void html_h2(struct dbuf *b, const char *title)
{
    dbuf_printf(b,
                "<h2 style=\"font-size:16px;margin:26px 0 8px 0;color:" C_NAVY
                ";font-family:Arial,Helvetica,sans-serif;\">%s</h2>\n",
                title);
}

/* html_change - the change with an arrow, red when violations rose, green when they fell. */
static void html_change(struct dbuf *b, long long cur, long long prev)
{
    char text[48];
    const char *colour = cur > prev ? C_UP : cur < prev ? C_DOWN : C_MUTED;
    const char *arrow = cur > prev ? "\xe2\x96\xb2 " : cur < prev ? "\xe2\x96\xbc " : "";

    digest_fmt_change(text, sizeof(text), cur, prev);
    dbuf_printf(b, "<span style=\"color:%s;font-weight:bold;white-space:nowrap;\">%s%s</span>",
                colour, arrow, text);
}

/* html_bar - a horizontal bar N/MAX of the cell's width. */
static void html_bar(struct dbuf *b, long long n, long long max, const char *colour)
{
    long long pct = max > 0 ? (n * 100 + max - 1) / max : 0;

    dbuf_add(b, "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
                "style=\"border-collapse:collapse;\"><tr>");
    if (pct > 0)
        dbuf_printf(b,
                    "<td width=\"%lld%%\" bgcolor=\"%s\" style=\"width:%lld%%;background:%s;"
                    "height:14px;font-size:1px;line-height:1px;border-radius:2px;\">&nbsp;</td>",
                    pct, colour, pct, colour);
    if (pct < 100)
        dbuf_add(b, "<td style=\"font-size:1px;line-height:1px;\">&nbsp;</td>");
    dbuf_add(b, "</tr></table>");
}

/* html_badge - an action as a coloured label. */
static void html_badge(struct dbuf *b, const char *action)
{
    static const struct {
        const char *name, *fg, *bg;
    } badges[] = {{"reject", "#b42318", "#fde8e8"}, {"quarantine", "#b54708", "#fff1e0"},
                  {"tag", "#1d4ed8", "#e8f0fe"},    {"log", "#475467", "#f2f4f7"},
                  {"exempt", "#6b21a8", "#f3e8ff"}, {NULL, "#475467", "#f2f4f7"}};
    size_t i = 0;

    while (badges[i].name != NULL && strcmp(badges[i].name, action) != 0)
        i++;
    dbuf_printf(b,
                "<span style=\"display:inline-block;padding:1px 6px;border-radius:3px;"
                "font-size:11px;font-weight:bold;color:%s;background:%s;\">",
                badges[i].fg, badges[i].bg);
    dbuf_html(b, action, 12);
    dbuf_add(b, "</span>");
}

/* html_tile - one figure of the summary row; the gap before it unless it is the first. */
static void html_tile(struct dbuf *b, const char *label, long long n, int change, long long prev)
{
    if (strcmp(label, "violations") != 0)
        dbuf_add(b, "<td width=\"10\" style=\"width:10px;min-width:10px;font-size:1px;"
                    "line-height:1px;\">&nbsp;</td>");
    dbuf_add(
        b, "<td width=\"23%\" style=\"padding:10px 12px;background:#f5f7fa;border:1px solid " C_LINE
           ";\"><div style=\"font-size:11px;color:" C_MUTED
           ";text-transform:uppercase;letter-spacing:0.5px;\">");
    dbuf_html(b, label, 60);
    dbuf_add(b, "</div><div style=\"font-size:22px;font-weight:bold;margin-top:4px;\">");
    if (change)
        html_change(b, n, prev);
    else
        dbuf_printf(b, "%lld", n);
    dbuf_add(b, "</div></td>\n");
}

/* html_tiles - the summary row: total, change, and two figures that matter to the reader. */
static void html_tiles(struct dbuf *b, const struct digest_view *v, const struct digest_dept *dp)
{
    const struct digest_period *p = &v->d->period;
    char label[80];

    snprintf(label, sizeof(label), "change vs %s", p->is_week ? p->prev_label : "previous");
    dbuf_add(b, "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\">"
                "<tr>\n");
    html_tile(b, "violations", dp->cur.total, 0, 0);
    html_tile(b, label, dp->cur.total, 1, dp->prev.total);
    if (v->dept != NULL) {
        html_tile(b, "rejected", dp->cur.by_action[DA_REJECT], 0, 0);
        html_tile(b, "quarantined", dp->cur.by_action[DA_QUARANTINE], 0, 0);
    } else {
        long long with = 0;
        for (size_t i = 0; i < v->d->ndepts; i++)
            if (i != v->d->default_index && v->d->depts[i].cur.total > 0)
                with++;
        html_tile(b, "departments with violations", with, 0, 0);
        html_tile(b, "unassigned", v->d->depts[v->d->default_index].cur.total, 0, 0);
    }
    dbuf_add(b, "</tr></table>\n");
}

/* html_counts - by rule or by action, this period against the previous one. */
static void html_counts(struct dbuf *b, const struct digest_view *v, const struct digest_dept *dp,
                        int by_rule)
{
    const struct digest_period *p = &v->d->period;
    int n = by_rule ? DIGEST_RULES : DA_COUNT;

    html_h2(b, by_rule ? "By rule" : "By action");
    dbuf_add(b, TABLE);
    dbuf_printf(b,
                "<tr><th style=\"" TH "\">%s</th><th style=\"" THN "\">%s</th>"
                "<th style=\"" THN "\">%s</th><th style=\"" THN "\">change</th></tr>\n",
                by_rule ? "rule" : "action", digest_fmt_col(p, 0), digest_fmt_col(p, 1));
    for (int i = 0; i < n; i++) {
        long long cur = by_rule ? dp->cur.by_rule[i] : dp->cur.by_action[i];
        long long prev = by_rule ? dp->prev.by_rule[i] : dp->prev.by_action[i];
        if ((by_rule ? i == RULE_COUNT : i == DA_OTHER) && cur == 0 && prev == 0)
            continue;
        dbuf_add(b, "<tr><td style=\"" TD "\">");
        if (by_rule)
            dbuf_add(b, digest_rule_name(i));
        else
            html_badge(b, digest_action_name(i));
        dbuf_printf(b,
                    "</td><td style=\"" TDN "font-weight:bold;\">%lld</td><td style=\"" TDN
                    "color:" C_MUTED ";\">%lld</td><td style=\"" TDN "\">",
                    cur, prev);
        html_change(b, cur, prev);
        dbuf_add(b, "</td></tr>\n");
    }
    dbuf_add(b, "</table>\n");
}

/* html_days - the per-day bar chart. */
static void html_days(struct dbuf *b, const struct digest_view *v, const struct digest_dept *dp)
{
    long long max = 0;
    char day[32];

    for (int i = 0; i < v->d->period.ndays; i++)
        if (dp->per_day[i] > max)
            max = dp->per_day[i];
    html_h2(b, "Violations per day (UTC)");
    dbuf_add(b, TABLE);
    for (int i = 0; i < v->d->period.ndays; i++) {
        digest_fmt_day(day, sizeof(day), &v->d->period, i);
        dbuf_printf(b,
                    "<tr><td width=\"90\" style=\"padding:3px 8px;white-space:nowrap;color:" C_MUTED
                    ";\">%s</td><td style=\"padding:3px 8px;\">",
                    day);
        html_bar(b, dp->per_day[i], max, C_BAR);
        dbuf_printf(b,
                    "</td><td width=\"50\" style=\"padding:3px 8px;text-align:right;"
                    "font-weight:bold;\">%lld</td></tr>\n",
                    dp->per_day[i]);
    }
    dbuf_add(b, "</table>\n");
}

/* html_top_list - one "most violations" list as a table with bars. */
static void html_top_list(struct dbuf *b, const char *title, const struct digest_top *t, size_t n)
{
    dbuf_add(b, TABLE);
    dbuf_printf(b, "<tr><th style=\"" TH "\">%s</th><th style=\"" THN "\">count</th></tr>\n",
                title);
    for (size_t i = 0; i < n; i++) {
        dbuf_add(b, "<tr><td style=\"" TD "overflow-wrap:anywhere;word-break:break-word;\">");
        dbuf_html(b, t[i].key, 120);
        dbuf_add(b, "<div style=\"margin-top:3px;\">");
        html_bar(b, t[i].n, t[0].n, "#9db8dc");
        dbuf_printf(b, "</div></td><td style=\"" TDN "font-weight:bold;\">%lld</td></tr>\n",
                    t[i].n);
    }
    dbuf_add(b, "</table>\n");
}

/* html_tops - senders and offending addresses side by side. */
static void html_tops(struct dbuf *b, const struct digest_dept *dp)
{
    html_h2(b, "Most violations");
    dbuf_add(b, "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\">"
                "<tr><td width=\"50%\" style=\"vertical-align:top;padding-right:8px;\">");
    html_top_list(b, "sender", dp->top_senders, dp->ntop_senders);
    dbuf_add(b, "</td><td width=\"50%\" style=\"vertical-align:top;padding-left:8px;\">");
    html_top_list(b, "offending address", dp->top_addresses, dp->ntop_addresses);
    dbuf_add(b, "</td></tr></table>\n");
}

/* html_event - one row of the events table. */
static void html_event(struct dbuf *b, const struct digest_event *e)
{
    dbuf_add(b, "<tr><td style=\"" TD "white-space:nowrap;\">");
    digest_fmt_time(b, e->time, 1);
    dbuf_add(b, "</td><td style=\"" TD "\">");
    dbuf_html(b, e->rule, 24);
    dbuf_add(b, "<br>");
    html_badge(b, e->action);
    if (e->ticket[0] != '\0') {
        dbuf_add(b, " <span style=\"font-size:11px;color:" C_MUTED ";\">");
        dbuf_html(b, e->ticket, 40);
        dbuf_add(b, "</span>");
    }
    dbuf_add(b, "</td><td style=\"" TD "overflow-wrap:anywhere;word-break:break-word;\">");
    dbuf_html(b, e->sender, 120);
    dbuf_add(b, "<br><span style=\"color:" C_UP ";\">&rarr; ");
    dbuf_html(b, e->address[0] ? e->address : "<>", 120);
    dbuf_add(b, "</span></td><td style=\"" TD "overflow-wrap:anywhere;word-break:break-word;\">");
    dbuf_html(b, e->subject[0] ? e->subject : "(not logged)", 160);
    dbuf_add(b, "</td></tr>\n");
}

/* html_events - the events kept, and the command that lists them all. */
static void html_events(struct dbuf *b, const struct digest_view *v, const struct digest_dept *dp,
                        const char *title)
{
    struct dbuf cmd;
    char heading[160];

    snprintf(heading, sizeof(heading), "%s (%zu of %lld, in the order recorded)", title,
             dp->nevents, dp->cur.total);
    html_h2(b, heading);
    dbuf_add(b, TABLE "<tr><th width=\"100\" style=\"" TH "\">time (UTC)</th><th width=\"130\" "
                      "style=\"" TH "\">rule, action</th><th width=\"230\" style=\"" TH
                      "\">sender &rarr; offending address</th><th style=\"" TH
                      "\">subject</th></tr>\n");
    for (size_t i = 0; i < dp->nevents; i++)
        html_event(b, &dp->events[i]);
    dbuf_add(b, "</table>\n<p style=\"font-size:12px;color:" C_MUTED ";\">");
    if (dp->cur.total > (long long)dp->nevents)
        dbuf_printf(b, "%lld more events are not listed here. To list them all: ",
                    dp->cur.total - (long long)dp->nevents);
    else
        dbuf_add(b, "To list them with every field: ");
    dbuf_init(&cmd);
    digest_fmt_log_command(&cmd, v, dp->name);
    dbuf_add(b, "<code style=\"font-family:Consolas,Menlo,monospace;background:#f2f4f7;"
                "padding:2px 4px;word-break:break-all;\">");
    dbuf_html(b, dbuf_str(&cmd), 0);
    dbuf_add(b, "</code></p>\n");
    if (dbuf_failed(&cmd))
        dbuf_fail(b);
    dbuf_free(&cmd);
}

/* html_lapses - exceptions that lapsed or lapse soon, when any belong in this digest. */
static void html_lapses(struct dbuf *b, const struct digest_view *v)
{
    char title[80];
    int any = 0;

    for (size_t i = 0; i < v->d->nlapses; i++) {
        const struct digest_lapse *l = &v->d->lapses[i];
        if (!digest_lapse_applies(l, v->dept))
            continue;
        if (!any) {
            snprintf(title, sizeof(title), "Exceptions that lapsed or lapse within %d days",
                     DIGEST_LAPSE_DAYS);
            html_h2(b, title);
            dbuf_add(b, TABLE);
        }
        any = 1;
        dbuf_printf(b, "<tr><td style=\"" TD "color:%s;font-weight:bold;\">",
                    l->lapsed ? C_UP : "#b54708");
        digest_fmt_lapse(b, l, 1);
        dbuf_add(b, "</td><td style=\"" TD "\">");
        digest_fmt_exception(b, l->x, 1);
        dbuf_add(b, "</td></tr>\n");
    }
    if (any)
        dbuf_add(b, "</table>\n");
}

/* html_ranking - every department, most violations first, with its trend. */
static void html_ranking(struct dbuf *b, const struct digest_view *v)
{
    size_t *order = calloc(v->d->ndepts + 1, sizeof(*order)), n;
    const struct digest_period *p = &v->d->period;

    if (order == NULL) {
        dbuf_fail(b);
        return;
    }
    n = digest_data_rank(v->d, order);
    html_h2(b, "Departments, most violations first");
    dbuf_add(b, TABLE);
    dbuf_printf(b,
                "<tr><th style=\"" THN "\">#</th><th style=\"" TH "\">department</th>"
                "<th style=\"" THN "\">%s</th><th style=\"" THN "\">%s</th><th style=\"" THN
                "\">trend</th><th style=\"" TH "\" width=\"120\"></th></tr>\n",
                digest_fmt_col(p, 0), digest_fmt_col(p, 1));
    for (size_t i = 0; i < n; i++) {
        const struct digest_dept *dp = &v->d->depts[order[i]];
        dbuf_printf(b,
                    "<tr><td style=\"" TDN "color:" C_MUTED ";\">%zu</td><td style=\"" TD
                    "font-weight:bold;\">",
                    i + 1);
        dbuf_html(b, dp->name, 120);
        dbuf_printf(b, "<span style=\"font-weight:normal;color:" C_MUTED ";\">%s</span>",
                    digest_fmt_dept_note(v->d, dp));
        dbuf_printf(b,
                    "</td><td style=\"" TDN "font-weight:bold;\">%lld</td><td style=\"" TDN
                    "color:" C_MUTED ";\">%lld</td><td style=\"" TDN "\">",
                    dp->cur.total, dp->prev.total);
        html_change(b, dp->cur.total, dp->prev.total);
        dbuf_add(b, "</td><td style=\"" TD "\">");
        html_bar(b, dp->cur.total, v->d->depts[order[0]].cur.total, C_BAR);
        dbuf_add(b, "</td></tr>\n");
    }
    dbuf_add(b, "</table>\n");
    free(order);
}

/* html_head - the document head and the title band. */
static void html_head(struct dbuf *b, const struct digest_view *v)
{
    struct dbuf subject;

    dbuf_init(&subject);
    digest_subject(&subject, v);
    dbuf_add(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    dbuf_html(b, dbuf_str(&subject), 0);
    if (dbuf_failed(&subject))
        dbuf_fail(b);
    dbuf_free(&subject);
    dbuf_add(b, "</title></head>\n<body style=\"margin:0;padding:0;background:#eef1f5;color:" C_INK
                ";font-family:Arial,Helvetica,sans-serif;\">\n"
                "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
                "style=\"background:#eef1f5;\"><tr><td align=\"center\" style=\"padding:24px "
                "12px;\">\n<table role=\"presentation\" width=\"720\" cellpadding=\"0\" "
                "cellspacing=\"0\" style=\"width:720px;max-width:100%;background:#ffffff;"
                "border:1px solid #d8dee6;text-align:left;\">\n<tr><td style=\"background:" C_NAVY
                ";color:#ffffff;padding:20px 24px;\"><div style=\"font-size:12px;"
                "letter-spacing:1px;text-transform:uppercase;color:#c9d6e8;\">officialmail "
                "&middot; violation digest</div><div id=\"digest-title\" style=\"font-size:24px;"
                "font-weight:bold;margin-top:6px;\">");
    digest_fmt_title(b, v, 1);
    dbuf_add(b, "</div><div style=\"font-size:14px;color:#c9d6e8;margin-top:6px;\">");
    digest_fmt_period(b, &v->d->period);
    dbuf_add(b, "</div></td></tr>\n<tr><td style=\"padding:16px 24px 24px 24px;\">\n");
}

/* html_empty - the short "no violations" notice. */
static void html_empty(struct dbuf *b, const struct digest_view *v, const struct digest_dept *dp)
{
    const struct digest_period *p = &v->d->period;

    dbuf_printf(b,
                "<p style=\"font-size:16px;padding:14px 16px;background:#ecfdf3;border:1px solid "
                "#abefc6;color:" C_DOWN ";\"><b>No violations</b> were recorded %s in %s "
                "(%s: %lld).</p>\n",
                v->dept != NULL ? "for this department" : "in any department",
                p->is_week ? p->label : "this period", p->is_week ? p->prev_label : "previous",
                dp->prev.total);
}

/* html_chain - the hash chain line, green when it verified, red otherwise. */
static void html_chain(struct dbuf *b, const struct digest_view *v)
{
    struct dbuf s;
    int ok = v->d->chain.status == 0;

    dbuf_init(&s);
    digest_fmt_chain(&s, v->d);
    dbuf_printf(b,
                "<p style=\"margin-top:26px;font-size:12px;padding:10px 12px;background:%s;"
                "border:1px solid %s;color:%s;\">%s ",
                ok ? "#ecfdf3" : "#fef3f2", ok ? "#abefc6" : "#fecdca", ok ? C_DOWN : C_UP,
                ok ? "&#10004;" : "&#9888;");
    dbuf_html(b, dbuf_str(&s), 0);
    dbuf_add(b, "</p>\n");
    if (dbuf_failed(&s))
        dbuf_fail(b);
    dbuf_free(&s);
}

/* digest_render_html - the whole document. */
void digest_render_html(struct dbuf *b, const struct digest_view *v)
{
    const struct digest_dept *dp = v->dept != NULL ? v->dept : &v->d->all;
    const struct digest_dept *events =
        v->dept != NULL ? v->dept : &v->d->depts[v->d->default_index];

    html_head(b, v);
    if (dp->cur.total == 0) {
        html_empty(b, v, dp);
    } else {
        html_tiles(b, v, dp);
        if (v->dept == NULL)
            html_ranking(b, v);
        html_counts(b, v, dp, 1);
        html_counts(b, v, dp, 0);
        html_days(b, v, dp);
        html_tops(b, dp);
    }
    if (events->cur.total > 0)
        html_events(b, v, events, v->dept != NULL ? "Events" : "Unassigned events");
    html_lapses(b, v);
    html_chain(b, v);
    dbuf_add(b, "</td></tr>\n<tr><td style=\"padding:12px 24px;border-top:1px solid " C_LINE
                ";font-size:11px;color:" C_MUTED ";\">officialmail digest");
    if (v->host != NULL) {
        dbuf_add(b, " on ");
        dbuf_html(b, v->host, 100);
    }
    dbuf_add(b, ". Times are UTC.</td></tr>\n</table>\n</td></tr></table>\n</body></html>\n");
}
