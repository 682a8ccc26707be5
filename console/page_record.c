/*
 * page_record - one record in full: every field, its place in the hash
 * chain (its hash recomputed, the link to the record before it), its
 * review marks, and the form that appends one. POST /record/ID/mark
 * appends; nothing edits or removes a mark. On the central log a record
 * is (gateway, id): the form carries the gateway, each mark shows the
 * console (database role) whose chain holds it, and the form is shown
 * only when the console's role may append marks (serve.c).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "store_pg.h"
#include "tmpl.h"

#define MARK_COMMENT_MAX 1000

/* record_mark_row - one mark in the table (on the central log, with its console). */
static int record_mark_row(const struct review_mark *m, void *arg)
{
    struct dbuf *b = arg;

    tmpl_put(b, "<tr><td>%L</td>", m->id);
    if (m->console != NULL)
        tmpl_put(b, "<td class=\"console\">%s</td>", m->console);
    tmpl_put(b,
             "<td>%s</td><td class=\"mark\">%s</td><td>%s</td><td>%s</td>"
             "<td><code>%s</code></td></tr>\n",
             m->time, m->mark, m->user, m->comment, m->hash);
    return 0;
}

/* record_chain - the record's hash checked, and the link to the one before it. */
static void record_chain(struct req *r, const struct record *rec)
{
    char hash[RECORD_HASH_HEX];
    struct review_filter all = {.gateway = r->c->central ? rec->f[RF_GATEWAY] : NULL};
    struct record prev;
    int ok = record_hash(rec, rec->prev_hash, hash) == 0 && strcmp(hash, rec->hash) == 0;

    tmpl_put(&r->body, "<h2>Chain</h2><p id=\"chain\" class=\"%M\">%M</p>\n", ok ? "ok" : "bad",
             ok ? "Its hash matches its contents." : "Its hash does NOT match its contents.");
    /* The record before it is read to compare hashes only; it is linked if the user may see it. */
    int found = review_get(r->c->rv, &all, rec->id - 1, &prev);
    if (found == 1) {
        int linked = strcmp(prev.hash, rec->prev_hash) == 0;
        tmpl_put(&r->body, "<p id=\"prev\">%M record %L ", linked ? "Chained to" : "NOT chained to",
                 rec->id - 1);
        if (view_dept_visible(r, prev.f[RF_DEPARTMENT]) && r->c->central)
            tmpl_put(&r->body, "(<a href=\"/record/%L?gateway=%u\">open</a>)", rec->id - 1,
                     rec->f[RF_GATEWAY]);
        else if (view_dept_visible(r, prev.f[RF_DEPARTMENT]))
            tmpl_put(&r->body, "(<a href=\"/record/%L\">open</a>)", rec->id - 1);
        tmpl_put(&r->body, ".</p>\n");
        record_clear(&prev);
    } else if (found == 0) {
        tmpl_put(&r->body, "<p id=\"prev\">The first record of the log as it is kept "
                           "(earlier ones never existed or were expired).</p>\n");
    }
}

/* record_mark_form - the form appending a mark (on the central log, naming the gateway). */
static void record_mark_form(struct req *r, const struct record *rec)
{
    tmpl_put(&r->body,
             "<form method=\"post\" action=\"/record/%L/mark\" id=\"mark-form\">"
             "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
             rec->id, r->s->csrf);
    if (r->c->central)
        tmpl_put(&r->body, "<input type=\"hidden\" name=\"gateway\" value=\"%s\">",
                 rec->f[RF_GATEWAY]);
    tmpl_put(&r->body,
             "<label>Mark <select name=\"mark\" id=\"mark-kind\">"
             "<option value=\"reviewed\">reviewed</option>"
             "<option value=\"false-positive\">false-positive</option>"
             "<option value=\"escalated\">escalated</option></select></label> "
             "<label>Comment <input name=\"comment\" id=\"mark-comment\" maxlength=\"%d\" "
             "required></label> <button type=\"submit\" id=\"mark-add\">Add mark</button>"
             "</form>\n",
             MARK_COMMENT_MAX);
}

/* record_marks - the marks' table, and the form when this console may append. */
static int record_marks(struct req *r, const struct record *rec)
{
    const char *gw = r->c->central ? rec->f[RF_GATEWAY] : NULL;

    tmpl_put(&r->body,
             "<h2>Review marks</h2><table id=\"marks\"><tr><th>#</th>%M<th>time</th>"
             "<th>mark</th><th>by</th><th>comment</th><th>hash</th></tr>\n",
             r->c->central ? "<th>console</th>" : "");
    if (review_marks(r->c->rv, gw, rec->id, record_mark_row, &r->body) < 0)
        return -1;
    tmpl_put(&r->body, "</table>\n<p>Marks are appended, never edited: a correction is a new "
                       "mark.</p>\n");
    if (r->c->central && !r->c->can_mark)
        tmpl_put(&r->body,
                 "<p id=\"marks-readonly\">This console's database role (%s) reads the "
                 "central log but may not append marks (officialmail central-schema "
                 "--add-console gives it that right).</p>\n",
                 pgstore_user(r->c->pg));
    else
        record_mark_form(r, rec);
    return 0;
}

/* page_record - GET /record/ID (on the central log, ?gateway=NAME as well). */
int page_record(struct req *r, long long id)
{
    static const char *const central_keys[] = {"gateway", NULL};
    struct review_filter mine;
    struct record rec;
    char title[300];
    int found;

    if (!r->c->central && r->nparams > 0)
        return req_error(r, 400, "A record's page takes no parameters.");
    if (r->c->central && req_only(r, central_keys) < 0)
        return r->status;
    if (r->c->central && req_param(r, "gateway") == NULL)
        return req_error(r, 400, "A central record's page takes its gateway=NAME.");
    view_limit(r, &mine);
    mine.gateway = r->c->central ? req_param(r, "gateway") : NULL;
    if ((found = review_get(r->c->rv, &mine, id, &rec)) < 0)
        return req_error(r, 500, "The log could not be read.");
    if (found == 0)
        return req_error(r, 404, "There is no record of that id that you can see.");
    if (r->c->central)
        snprintf(title, sizeof(title), "Record %.200s/%lld", mine.gateway, id);
    else
        snprintf(title, sizeof(title), "Record %lld", id);
    layout_head(r, title);
    tmpl_put(&r->body, "<dl class=\"rec\" id=\"record\"><dt>id</dt><dd>%L</dd>", rec.id);
    for (int i = 0; i < RF_COUNT; i++)
        tmpl_put(&r->body, "<dt>%s</dt><dd id=\"field-%s\">%s</dd>", record_field_names[i],
                 record_field_names[i], rec.f[i]);
    tmpl_put(&r->body,
             "<dt>prev_hash</dt><dd><code>%s</code></dd><dt>hash</dt><dd><code>%s"
             "</code></dd></dl>\n",
             rec.prev_hash, rec.hash);
    record_chain(r, &rec);
    if (record_marks(r, &rec) < 0) {
        record_clear(&rec);
        return req_error(r, 500, "The marks could not be read.");
    }
    record_clear(&rec);
    layout_foot(r);
    return 200;
}

/* page_mark - POST /record/ID/mark: append one mark by the session's user. */
int page_mark(struct req *r, long long id)
{
    static const char *const keys[] = {"csrf", "mark", "comment", "gateway", NULL};
    const char *kind = req_param(r, "mark"), *comment = req_param(r, "comment");
    const char *gw = req_param(r, "gateway");
    struct review_filter mine;
    struct record rec;
    char where[600];
    int found;

    if (req_only(r, keys) < 0)
        return r->status;
    if (r->c->central ? gw == NULL || gw[0] == '\0' : gw != NULL)
        return req_error(r, 400,
                         r->c->central ? "A central record's mark takes its gateway."
                                       : "A record's mark takes no gateway.");
    if (r->c->central && !r->c->can_mark)
        return req_error(r, 403, "This console's database role may not append marks.");
    if (kind == NULL || !review_mark_kind_ok(kind))
        return req_error(r, 400, "mark: reviewed, false-positive or escalated.");
    if (comment == NULL || comment[0] == '\0' || strlen(comment) > MARK_COMMENT_MAX)
        return req_error(r, 400, "comment: from 1 to 1000 bytes.");
    view_limit(r, &mine);
    mine.gateway = gw;
    /* The user's role limit here; the database's row-level security again on the INSERT. */
    if ((found = review_get(r->c->rv, &mine, id, &rec)) < 0)
        return req_error(r, 500, "The log could not be read.");
    if (found == 0)
        return req_error(r, 404, "There is no record of that id that you can see.");
    record_clear(&rec);
    if (review_mark_add(r->c->rv, gw, id, kind, r->s->user, comment, (long long)time(NULL), NULL) <
        0)
        return req_error(r, 500, review_error(r->c->rv));
    if (r->c->central) {
        struct dbuf q;
        dbuf_init(&q);
        tmpl_put(&q, "/record/%L?gateway=%u", id, gw);
        snprintf(where, sizeof(where), "%s", dbuf_failed(&q) ? "/records" : dbuf_str(&q));
        dbuf_free(&q);
    } else {
        snprintf(where, sizeof(where), "/record/%lld", id);
    }
    return req_redirect(r, where);
}
