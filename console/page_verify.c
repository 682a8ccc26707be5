/*
 * page_verify - GET /verify: whether the log's hash chain and the review
 * marks' chain verify, as `officialmail verify-log` checks them. A
 * department user sees the verdict; the ids and the head, which describe
 * the whole log, are for compliance.
 */
#include <config.h>

#include "console.h"
#include "chain.h"
#include "marks_pg.h"
#include "store.h"
#include "store_pg.h"
#include "tmpl.h"

/* What one gateway's line goes to. */
struct verify_ctx {
    struct dbuf *b;
    int full;
};

/* verify_gateway - one gateway's chain on the central log. */
static void verify_gateway(const struct pg_verify *v, void *arg)
{
    struct verify_ctx *x = arg;
    int ok = v->r.bad_id == 0;

    tmpl_put(x->b, "<tr class=\"%M\"><td class=\"gateway\">%s</td><td class=\"verdict\">%M</td>",
             ok ? "ok" : "bad", v->gateway, ok ? "intact" : "BROKEN");
    if (x->full && ok)
        tmpl_put(x->b, "<td>%L records, ids %L to %L</td>", v->r.records, v->r.first_id,
                 v->r.last_id);
    else if (x->full)
        tmpl_put(x->b, "<td>first bad record: id=%L (%s)</td>", v->r.bad_id, v->r.problem);
    tmpl_put(x->b, "</tr>\n");
}

/* verify_console - one console's chain of review marks on the central log. */
static void verify_console(const struct marks_pg_verify *v, void *arg)
{
    struct verify_ctx *x = arg;
    int ok = v->r.bad_id == 0;

    tmpl_put(x->b, "<tr class=\"%M\"><td class=\"console\">%s</td><td class=\"verdict\">%M</td>",
             ok ? "ok" : "bad", v->console, ok ? "intact" : "BROKEN");
    if (x->full && ok)
        tmpl_put(x->b, "<td>%L marks, head <code>%s</code></td>", v->r.records, v->r.head_hash);
    else if (x->full)
        tmpl_put(x->b, "<td>first bad mark: id=%L (%s)</td>", v->r.bad_id, v->r.problem);
    tmpl_put(x->b, "</tr>\n");
}

/* verify_central_marks - each console's chain of marks, after the gateways'. */
static int verify_central_marks(struct req *r, int full)
{
    struct dbuf rows;
    struct verify_ctx x = {&rows, full};
    char err[512];

    dbuf_init(&rows);
    int rc = marks_pg_verify(r->c->pg, NULL, verify_console, &x, err, sizeof(err));
    if (rc >= 0)
        tmpl_put(&r->body,
                 "<h2>Review marks</h2><p id=\"marks-chain\" class=\"%M\">%M</p>"
                 "<table id=\"consoles\"><tr><th>console</th><th>chain</th>%M</tr>\n%M"
                 "</table>\n",
                 rc == 0 ? "ok" : "bad",
                 rc == 0 ? "Every console's chain of review marks is intact."
                         : "One or more consoles' chains of review marks are BROKEN.",
                 full ? "<th>marks</th>" : "", dbuf_str(&rows));
    if (dbuf_failed(&rows))
        dbuf_fail(&r->body);
    dbuf_free(&rows);
    return rc;
}

/* verify_central - each gateway's chain on the central log, then each console's marks. */
static int verify_central(struct req *r, int full)
{
    struct dbuf rows;
    struct verify_ctx x = {&rows, full};

    char err[512];
    int all = marks_pg_whole_chains(r->c->pg, err, sizeof(err));
    if (all < 0)
        return req_error(r, 500, "The central log could not be read to verify it.");
    if (all == 0) { /* its rows only: each chain would show the others' as gaps */
        layout_head(r, "Verification");
        tmpl_put(&r->body, "<p id=\"records-chain\">The chains of the central log are checked "
                           "by a role that sees every row (a compliance reader): this "
                           "console's database role sees only its departments' rows.</p>\n");
        layout_foot(r);
        return 200;
    }
    dbuf_init(&rows);
    int rc = pgstore_verify(r->c->pg, NULL, verify_gateway, &x);
    if (rc < 0) {
        dbuf_free(&rows);
        return req_error(r, 500, "The central log could not be read to verify it.");
    }
    layout_head(r, "Verification");
    tmpl_put(&r->body,
             "<p>The central log: each gateway's hash chain.</p>"
             "<table id=\"gateways\"><tr><th>gateway</th><th>chain</th>%M</tr>\n%M</table>\n",
             full ? "<th>records</th>" : "", dbuf_str(&rows));
    if (dbuf_failed(&rows))
        dbuf_fail(&r->body);
    dbuf_free(&rows);
    tmpl_put(&r->body, "<p id=\"records-chain\" class=\"%M\">%M</p>\n", rc == 0 ? "ok" : "bad",
             rc == 0 ? "Every gateway's hash chain is intact."
                     : "One or more gateways' hash chains are BROKEN.");
    if (verify_central_marks(r, full) < 0)
        return req_error(r, 500,
                         "The central log's review marks could not be read to verify "
                         "them.");
    layout_foot(r);
    return 200;
}

/* page_verify - walk both chains now. */
int page_verify(struct req *r)
{
    struct chain_verify_result res;
    struct review_verify_result mres;
    int full = r->s->role == ROLE_COMPLIANCE;

    if (r->nparams > 0)
        return req_error(r, 400, "This page takes no parameters.");
    if (r->c->central)
        return verify_central(r, full);
    int rc = store_verify(r->c->store, &res);
    int mrc = review_marks_verify(r->c->rv, &mres);
    if (rc < 0 || mrc < 0)
        return req_error(r, 500, "The log could not be read to verify it.");
    layout_head(r, "Verification");
    if (rc == 0) {
        tmpl_put(&r->body, "<p id=\"records-chain\" class=\"ok\">The records' hash chain is "
                           "intact.</p>\n");
        if (full)
            tmpl_put(&r->body,
                     "<p>%L records checked, ids %L to %L; %L removed by expire.<br>Head: "
                     "<code>%s</code></p>\n",
                     res.records, res.first_id, res.last_id, res.expired, res.head_hash);
    } else {
        tmpl_put(&r->body, "<p id=\"records-chain\" class=\"bad\">The records' hash chain is "
                           "BROKEN.</p>\n");
        if (full)
            tmpl_put(&r->body, "<p>First bad record: id=%L (%s)</p>\n", res.bad_id, res.problem);
    }
    if (mrc == 0)
        tmpl_put(&r->body,
                 "<p id=\"marks-chain\" class=\"ok\">The review marks' hash chain is "
                 "intact (%L marks).</p>\n",
                 full ? mres.marks : 0LL);
    else
        tmpl_put(&r->body,
                 "<p id=\"marks-chain\" class=\"bad\">The review marks' hash chain is "
                 "BROKEN%M</p>\n",
                 full ? ": see officialmail verify-log." : ".");
    layout_foot(r);
    return 200;
}
