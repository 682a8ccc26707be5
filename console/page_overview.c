/*
 * page_overview - GET /: the counts of a period (the last 28 days by
 * default), a trend chart of violations a day drawn as SVG here on the
 * server, and the counts by department, rule and action with the top
 * senders. Every count goes through the user's role limit.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "tmpl.h"

#define TREND_MAX_DAYS 366
#define SVG_W 720
#define SVG_H 180
#define SVG_PAD 30

struct trend {
    time_t first;
    int ndays;
    long long n[TREND_MAX_DAYS];
    long long max, total;
};

/* trend_day - count KEY ("YYYY-MM-DD") in its day. */
static int trend_day(const char *key, long long n, void *arg)
{
    struct trend *t = arg;
    struct tm tm = {0};

    if (strptime(key, "%Y-%m-%d", &tm) == NULL)
        return 0;
    long long d = (long long)(timegm(&tm) - t->first) / 86400;
    if (d >= 0 && d < t->ndays) {
        t->n[d] += n;
        if (t->n[d] > t->max)
            t->max = t->n[d];
    }
    t->total += n;
    return 0;
}

/* trend_svg - the bars, the largest count and the first and last days. */
static void trend_svg(struct dbuf *b, const struct trend *t)
{
    char first[16], last[16];
    struct tm tm;
    time_t end = t->first + (time_t)(t->ndays - 1) * 86400;
    double w = (double)(SVG_W - 2 * SVG_PAD) / t->ndays;

    strftime(first, sizeof(first), "%Y-%m-%d", gmtime_r(&t->first, &tm));
    strftime(last, sizeof(last), "%Y-%m-%d", gmtime_r(&end, &tm));
    tmpl_put(b,
             "<svg id=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
             "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"violations a day from %s to %s\">"
             "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
             SVG_W, SVG_H, SVG_W, SVG_H, first, last, SVG_PAD, SVG_H - SVG_PAD, SVG_W - SVG_PAD,
             SVG_H - SVG_PAD);
    for (int d = 0; d < t->ndays; d++) {
        if (t->n[d] == 0)
            continue;
        int h = (int)((double)t->n[d] * (SVG_H - 2 * SVG_PAD) / (double)t->max);
        dbuf_printf(b,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#457b9d\">"
                    "<title>%lld</title></rect>",
                    SVG_PAD + d * w + w * 0.1, SVG_H - SVG_PAD - h, w * 0.8, h, t->n[d]);
    }
    tmpl_put(b,
             "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>"
             "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>"
             "<text x=\"%d\" y=\"%d\" font-size=\"12\">max %L a day</text></svg>\n",
             SVG_PAD, SVG_H - 10, first, SVG_W - SVG_PAD, SVG_H - 10, last, SVG_PAD, 18, t->max);
}

struct count_table {
    struct dbuf *b;
    const char *link; /* "department" to link each key to its page, or NULL */
};

/* overview_count_row - one row of a count table. */
static int overview_count_row(const char *key, long long n, void *arg)
{
    struct count_table *c = arg;

    if (c->link != NULL)
        tmpl_put(c->b,
                 "<tr><td><a href=\"/department?name=%u\">%s</a></td><td class=\"n\">%L"
                 "</td></tr>\n",
                 key, key, n);
    else
        tmpl_put(c->b, "<tr><td>%s</td><td class=\"n\">%L</td></tr>\n", key[0] ? key : "<>", n);
    return 0;
}

/* overview_counts - a titled table of F's records grouped by G. */
static int overview_counts(struct req *r, const struct review_filter *f, enum review_group g,
                           const char *title, const char *id, const char *link)
{
    struct count_table c = {&r->body, link};

    tmpl_put(&r->body,
             "<section><h2>%s</h2><table id=\"%s\"><tr><th>%s</th><th>records</th>"
             "</tr>\n",
             title, id, title);
    int rc = review_group_count(r->c->rv, f, g, g == RG_SENDER ? 10 : 0, overview_count_row, &c);
    tmpl_put(&r->body, "</table></section>\n");
    return rc;
}

/* overview_period - the period from since/until, by default the last 28 days. */
static int overview_period(struct req *r, struct view *v, struct trend *t)
{
    time_t now = time(NULL), start, end;
    struct tm tm;

    if (view_filter(r, v) < 0)
        return -1;
    end = now - now % 86400 + 86400;
    if (v->until[0]) {
        strptime(v->until, "%Y-%m-%dT%H:%M:%SZ", memset(&tm, 0, sizeof(tm)));
        end = timegm(&tm);
    }
    start = end - 28 * 86400;
    if (v->since[0]) {
        strptime(v->since, "%Y-%m-%dT%H:%M:%SZ", memset(&tm, 0, sizeof(tm)));
        start = timegm(&tm);
    }
    if (start >= end || (end - start) / 86400 > TREND_MAX_DAYS) {
        req_error(r, 400, "The period must run forwards and be at most 366 days.");
        return -1;
    }
    strftime(v->since, VIEW_STAMP, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&start, &tm));
    strftime(v->until, VIEW_STAMP, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&end, &tm));
    v->f.since = v->since;
    v->f.until = v->until;
    t->first = start;
    t->ndays = (int)((end - start) / 86400);
    return 0;
}

/* page_overview - GET /. */
int page_overview(struct req *r)
{
    static const char *const keys[] = {"since", "until", "department", NULL};
    struct view v;
    struct trend *t = calloc(1, sizeof(*t));
    int rc = 0;

    if (t == NULL)
        return req_error(r, 500, "Out of memory.");
    if (req_only(r, keys) < 0 || overview_period(r, &v, t) < 0) {
        free(t);
        return r->status;
    }
    layout_head(r, "Overview");
    tmpl_put(&r->body,
             "<form method=\"get\" action=\"/\" class=\"filters\"><label>since <input type=\"date\""
             " name=\"since\" value=\"%s\"></label><label>until <input type=\"date\" "
             "name=\"until\" value=\"%s\"></label><button type=\"submit\">Show</button></form>\n",
             req_param(r, "since") ? req_param(r, "since") : "",
             req_param(r, "until") ? req_param(r, "until") : "");
    rc |= review_group_count(r->c->rv, &v.f, RG_DAY, 0, trend_day, t);
    char from[11], to[11];
    time_t last = t->first + (time_t)(t->ndays - 1) * 86400;
    struct tm tm;
    snprintf(from, sizeof(from), "%.10s", v.since);
    strftime(to, sizeof(to), "%Y-%m-%d", gmtime_r(&last, &tm));
    tmpl_put(&r->body,
             "<p id=\"total\">%L violation%M from %s to %s (UTC). "
             "<a href=\"/records?",
             t->total, t->total == 1 ? "" : "s", from, to);
    view_query(&r->body, &v, NULL);
    tmpl_put(&r->body, "\">List them</a></p>\n");
    trend_svg(&r->body, t);
    tmpl_put(&r->body, "<div class=\"cards\">");
    rc |= overview_counts(r, &v.f, RG_DEPARTMENT, "department", "by-department", "department");
    rc |= overview_counts(r, &v.f, RG_RULE, "rule", "by-rule", NULL);
    rc |= overview_counts(r, &v.f, RG_ACTION, "action", "by-action", NULL);
    rc |= overview_counts(r, &v.f, RG_SENDER, "top senders", "top-senders", NULL);
    tmpl_put(&r->body, "</div>\n");
    layout_foot(r);
    free(t);
    return rc < 0 ? req_error(r, 500, "The log could not be read.") : 200;
}
