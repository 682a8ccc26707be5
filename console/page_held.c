/*
 * page_held - GET /held: the quarantined (held) messages, newest first,
 * with the filters of the records list and each one's latest mark (a
 * `released` mark when `officialmail release` let it go).
 */
#include <config.h>

#include "console.h"
#include "tmpl.h"

/* page_held - the records whose action is quarantine. */
int page_held(struct req *r)
{
    static const char *const keys[] = {"since",   "until",    "department", "rule", "sender",
                                       "address", "queue_id", "text",       "page", NULL};
    struct view v;

    if (req_only(r, keys) < 0 || view_filter(r, &v) < 0)
        return r->status;
    v.f.action = "quarantine";
    layout_head(r, "Held messages");
    tmpl_put(&r->body, "<p>Messages the gateway held. To let one go, an administrator runs "
                       "<code>officialmail release QUEUE_ID --reason TEXT</code> on the gateway; "
                       "its record then shows a <span class=\"mark\">released</span> mark.</p>\n");
    if (page_records_table(r, &v, 50, "/held") < 0)
        return req_error(r, 500, "The log could not be read.");
    layout_foot(r);
    return 200;
}
