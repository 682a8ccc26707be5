/*
 * page_verify - GET /verify: whether the log's hash chain and the review
 * marks' chain verify, as `officialmail verify-log` checks them. A
 * department user sees the verdict; the ids and the head, which describe
 * the whole log, are for compliance.
 */
#include <config.h>

#include "console.h"
#include "chain.h"
#include "store.h"
#include "tmpl.h"

/* page_verify - walk both chains now. */
int page_verify(struct req *r)
{
    struct chain_verify_result res;
    struct review_verify_result mres;
    int full = r->s->role == ROLE_COMPLIANCE;

    if (r->nparams > 0)
        return req_error(r, 400, "This page takes no parameters.");
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
