/*
 * page_records - the records list: the filter form, a page of records,
 * links to the other pages and to the exports with the same filters.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "console.h"
#include "tmpl.h"

#define PER_PAGE 50

static const char *const list_keys[] = {"since",  "until",  "department", "rule",
                                        "action", "sender", "address",    "queue_id",
                                        "text",   "page",   NULL};

struct dept_opts {
    struct dbuf *b;
    const char *selected;
};

/* records_dept_option - one <option> of the department filter. */
static int records_dept_option(const char *name, long long n, void *arg)
{
    struct dept_opts *o = arg;
    int sel = o->selected != NULL && strcmp(o->selected, name) == 0;

    tmpl_put(o->b, "<option value=\"%s\"%M>%s</option>", name, sel ? " selected" : "", name);
    return 0;
}

/* records_select - a <select> of fixed NAMES with VALUE selected. */
static void records_select(struct dbuf *b, const char *key, const char *const *names,
                           const char *value)
{
    tmpl_put(b, "<label>%s <select name=\"%s\" id=\"f-%s\"><option value=\"\">any</option>", key,
             key, key);
    for (size_t i = 0; names[i] != NULL; i++)
        tmpl_put(b, "<option value=\"%s\"%M>%s</option>", names[i],
                 value != NULL && strcmp(value, names[i]) == 0 ? " selected" : "", names[i]);
    tmpl_put(b, "</select></label>");
}

/* records_input - a text input KEY holding VALUE. */
static void records_input(struct dbuf *b, const char *key, const char *type, const char *value)
{
    tmpl_put(b, "<label>%s <input type=\"%s\" name=\"%s\" id=\"f-%s\" value=\"%s\"></label>", key,
             type, key, key, value ? value : "");
}

/* records_form - the filters, holding what R asked for. */
static int records_form(struct req *r, const struct view *v, const char *action)
{
    static const char *const rules[] = {"official-to-webmail", "webmail-to-official",
                                        "reply-to-webmail", "spoofed-official", NULL};
    static const char *const actions[] = {"log", "tag", "quarantine", "reject", "exempt", NULL};
    struct review_filter limit;
    struct dept_opts o = {&r->body, v->f.department};

    tmpl_put(&r->body, "<form method=\"get\" action=\"%s\" class=\"filters\" id=\"filters\">",
             action);
    records_input(&r->body, "since", "date", req_param(r, "since"));
    records_input(&r->body, "until", "date", req_param(r, "until"));
    tmpl_put(&r->body, "<label>department <select name=\"department\" id=\"f-department\">"
                       "<option value=\"\">any</option>");
    view_limit(r, &limit);
    if (review_departments(r->c->rv, &limit, records_dept_option, &o) < 0)
        return -1;
    tmpl_put(&r->body, "</select></label>");
    records_select(&r->body, "rule", rules, v->f.rule);
    records_select(&r->body, "action", actions, v->f.action);
    records_input(&r->body, "sender", "text", req_param(r, "sender"));
    records_input(&r->body, "address", "text", req_param(r, "address"));
    records_input(&r->body, "queue_id", "text", v->f.queue_id);
    records_input(&r->body, "text", "search", v->f.text);
    tmpl_put(&r->body, "<button type=\"submit\" id=\"apply\">Filter</button></form>\n");
    return 0;
}

/* Where the rows go. */
struct rows_ctx {
    struct dbuf *b;
    int central; /* ids repeat across gateways: each is shown and linked with its gateway */
};

/* records_row - one line of the table. */
static int records_row(const struct record *rec, const char *mark, void *arg)
{
    struct rows_ctx *x = arg;
    struct dbuf *b = x->b;

    if (x->central)
        tmpl_put(b, "<tr><td><a href=\"/record/%L?gateway=%u\">%s/%L</a></td>", rec->id,
                 rec->f[RF_GATEWAY], rec->f[RF_GATEWAY], rec->id);
    else
        tmpl_put(b, "<tr><td><a href=\"/record/%L\">%L</a></td>", rec->id, rec->id);
    tmpl_put(b,
             "<td>%s</td><td>%s</td><td>%s</td>"
             "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"mark\">%s</td></tr>\n",
             rec->f[RF_TIME], rec->f[RF_DEPARTMENT], rec->f[RF_RULE], rec->f[RF_ACTION],
             rec->f[RF_ADDRESS], rec->f[RF_ENVELOPE_SENDER], rec->f[RF_SUBJECT], mark);
    return 0;
}

/* page_records_table - a page of V's records with the links to the others. */
int page_records_table(struct req *r, const struct view *v, long long per_page, const char *base)
{
    long long total = 0;
    struct dbuf rows;
    struct rows_ctx x = {&rows, r->c->central};

    dbuf_init(&rows);
    if (review_list(r->c->rv, &v->f, (v->page - 1) * per_page, per_page, records_row, &x, &total) <
        0) {
        dbuf_free(&rows);
        return -1;
    }
    long long pages = total > 0 ? (total + per_page - 1) / per_page : 1;
    tmpl_put(&r->body, "<p id=\"count\">%L record%M, page %L of %L</p>\n", total,
             total == 1 ? "" : "s", v->page, pages);
    tmpl_put(&r->body,
             "<table id=\"records\"><tr><th>id</th><th>time</th><th>department</th>"
             "<th>rule</th><th>action</th><th>address</th><th>sender</th>"
             "<th>subject</th><th>mark</th></tr>\n%M</table>\n",
             dbuf_str(&rows));
    if (dbuf_failed(&rows))
        dbuf_fail(&r->body);
    dbuf_free(&rows);
    tmpl_put(&r->body, "<nav class=\"pages\">");
    for (int d = -1; d <= 1; d += 2) {
        long long p = v->page + d;
        if (p < 1 || p > pages)
            continue;
        tmpl_put(&r->body, "<a id=\"%M\" href=\"%s?", d < 0 ? "prev" : "next", base);
        view_query(&r->body, v, NULL);
        tmpl_put(&r->body, "&amp;page=%L\">%M</a> ", p, d < 0 ? "previous page" : "next page");
    }
    tmpl_put(&r->body, "</nav>\n");
    return 0;
}

/* page_records - GET /records. */
int page_records(struct req *r)
{
    struct view v;

    if (req_only(r, list_keys) < 0 || view_filter(r, &v) < 0)
        return r->status;
    layout_head(r, "Records");
    if (records_form(r, &v, "/records") < 0)
        return req_error(r, 500, review_error(r->c->rv));
    tmpl_put(&r->body, "<p>Export this list: <a id=\"export-csv\" href=\"/records.csv?");
    view_query(&r->body, &v, NULL);
    tmpl_put(&r->body, "\">CSV</a> <a id=\"export-json\" href=\"/records.json?");
    view_query(&r->body, &v, NULL);
    tmpl_put(&r->body, "\">JSON</a></p>\n");
    if (page_records_table(r, &v, PER_PAGE, "/records") < 0)
        return req_error(r, 500, review_error(r->c->rv));
    layout_foot(r);
    return 200;
}
