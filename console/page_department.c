/*
 * page_department - GET /departments (the departments the user may see,
 * with their counts) and GET /department?name=NAME (one department: its
 * counts by rule and action and its newest records). A department the
 * user may not see is a 404, as one that does not exist.
 */
#include <config.h>

#include "console.h"
#include "tmpl.h"

/* dept_row - a department with its count and its page. */
static int dept_row(const char *key, long long n, void *arg)
{
    tmpl_put(arg,
             "<tr><td><a href=\"/department?name=%u\">%s</a></td><td class=\"n\">%L</td></tr>\n",
             key, key, n);
    return 0;
}

/* page_departments - the list. */
int page_departments(struct req *r)
{
    struct review_filter f;

    if (r->nparams > 0)
        return req_error(r, 400, "This page takes no parameters.");
    view_limit(r, &f);
    layout_head(r, "Departments");
    tmpl_put(&r->body, "<table id=\"departments\"><tr><th>department</th><th>records</th></tr>\n");
    if (review_departments(r->c->rv, &f, dept_row, &r->body) < 0)
        return req_error(r, 500, "The log could not be read.");
    tmpl_put(&r->body, "</table>\n");
    layout_foot(r);
    return 200;
}

/* dept_count_row - a count in a small table. */
static int dept_count_row(const char *key, long long n, void *arg)
{
    tmpl_put(arg, "<tr><td>%s</td><td class=\"n\">%L</td></tr>", key, n);
    return 0;
}

/* page_department - one department. */
int page_department(struct req *r)
{
    static const char *const keys[] = {"name", "page", NULL};
    const char *name = req_param(r, "name");
    struct view v;
    int rc = 0;

    if (req_only(r, keys) < 0)
        return r->status;
    if (name == NULL || !view_dept_visible(r, name))
        return req_error(r, 404, "You have no department of that name.");
    v = (struct view){.page = 1};
    view_limit(r, &v.f);
    v.f.department = name;
    layout_head(r, name);
    tmpl_put(&r->body,
             "<p><a href=\"/records?department=%u\">All its records, with filters</a> "
             "&middot; <a href=\"/digest?department=%u\">Its digest</a></p>\n",
             name, name);
    tmpl_put(&r->body, "<div class=\"cards\"><section><h2>by rule</h2><table id=\"dept-rule\">");
    rc |= review_group_count(r->c->rv, &v.f, RG_RULE, 0, dept_count_row, &r->body);
    tmpl_put(&r->body, "</table></section><section><h2>by action</h2><table id=\"dept-action\">");
    rc |= review_group_count(r->c->rv, &v.f, RG_ACTION, 0, dept_count_row, &r->body);
    tmpl_put(&r->body, "</table></section></div>\n<h2>Newest records</h2>\n");
    if (rc < 0 || page_records_table(r, &v, 20, "/records") < 0)
        return req_error(r, 500, "The log could not be read.");
    layout_foot(r);
    return 200;
}
