/*
 * page_digest - GET /digest?week=YYYY-Www&department=NAME: a week's
 * digest as `officialmail digest` would send it, from the same code
 * (digest_data.h, digest_render.h): the text part on the page, the HTML
 * part in a frame served by /digest/body, with a policy of its own
 * (sandboxed, no script, the inline styles mail needs).
 *
 * Without a department a compliance user gets the compliance digest; a
 * department user only gets the digests of their departments.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "render.h"
#include "policy.h"
#include "tmpl.h"

static const char body_csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                               "frame-ancestors 'self'; sandbox";

/* digest_period_of - the week asked for, or the last complete one. */
static int digest_period_of(struct req *r, struct digest_period *p)
{
    const char *w = req_param(r, "week");
    int year, week;

    if (w == NULL || w[0] == '\0')
        return digest_period_last_week(p, time(NULL));
    if (digest_week_parse(w, &year, &week) < 0 || digest_period_week(p, year, week) < 0)
        return -1;
    return 0;
}

/* digest_text_page - the text part, line by line, each escaped. */
static void digest_text_page(struct req *r, const char *text)
{
    tmpl_put(&r->body, "<pre id=\"digest-text\">");
    while (*text != '\0') {
        size_t n = strcspn(text, "\n");
        char line[4096];
        snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), text);
        tmpl_put(&r->body, "%s\n", line);
        text += n + (text[n] == '\n');
    }
    tmpl_put(&r->body, "</pre>\n");
}

/* digest_show - the page or the HTML part of view V. */
static int digest_show(struct req *r, const struct digest_view *v, const char *dept, int html)
{
    struct dbuf b;
    char week[16];

    dbuf_init(&b);
    if (html) {
        digest_render_html(&b, v);
        dbuf_addn(&r->body, dbuf_str(&b), dbuf_len(&b));
        r->ctype = "text/html; charset=utf-8";
        r->csp = body_csp;
    } else {
        snprintf(week, sizeof(week), "%d-W%02d", v->d->period.year, v->d->period.week);
        digest_subject(&b, v);
        layout_head(r, "Digest");
        tmpl_put(&r->body,
                 "<form method=\"get\" action=\"/digest\" class=\"filters\">"
                 "<label>week <input name=\"week\" value=\"%s\"></label>"
                 "<input type=\"hidden\" name=\"department\" value=\"%s\">"
                 "<button type=\"submit\">Show</button></form>\n"
                 "<p>Subject: <strong id=\"digest-subject\">%s</strong></p>\n",
                 week, dept ? dept : "", dbuf_str(&b));
        dbuf_free(&b);
        digest_render_text(&b, v);
        digest_text_page(r, dbuf_str(&b));
        tmpl_put(&r->body,
                 "<h2>As HTML</h2><iframe title=\"the digest as HTML\" "
                 "src=\"/digest/body?week=%u&amp;department=%u\"></iframe>\n",
                 week, dept ? dept : "");
        layout_foot(r);
    }
    if (dbuf_failed(&b))
        dbuf_fail(&r->body);
    dbuf_free(&b);
    return 200;
}

/* page_digest - GET /digest and /digest/body. */
int page_digest(struct req *r, int html)
{
    static const char *const keys[] = {"week", "department", NULL};
    const char *dept = req_param(r, "department");
    struct digest_period per;
    struct digest_data d = {0};
    char err[256];
    int status = 404;

    if (req_only(r, keys) < 0)
        return r->status;
    if (dept != NULL && dept[0] == '\0')
        dept = NULL;
    if (dept == NULL && r->s->role != ROLE_COMPLIANCE)
        dept = r->s->depts[0];
    if (dept != NULL && !view_dept_visible(r, dept))
        return req_error(r, 404, "You have no department of that name.");
    if (digest_period_of(r, &per) < 0)
        return req_error(r, 400, "week: an ISO week, YYYY-Www.");
    if (digest_data_gather(&d, r->c->policy, r->c->store, &per, NULL, time(NULL), err,
                           sizeof(err)) < 0 ||
        /* The marks of the log read: the central log's own on --central. */
        digest_data_reviewed_in(&d, r->c->rv, NULL, err, sizeof(err)) < 0) {
        digest_data_free(&d);
        return req_error(r, 500, err);
    }
    struct digest_view v = {.d = &d,
                            .config = r->c->config,
                            .host = r->c->policy->gateway_name,
                            .central = r->c->central};
    for (size_t i = 0; dept != NULL && i < d.ndepts; i++)
        if (strcmp(d.depts[i].name, dept) == 0)
            v.dept = &d.depts[i];
    if (dept == NULL || v.dept != NULL)
        status = digest_show(r, &v, dept, html);
    else
        req_error(r, 404, "That department has no digest for this week.");
    digest_data_free(&d);
    return status;
}
