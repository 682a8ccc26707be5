/*
 * filter - a list's filters from the request's parameters, checked, and
 * the user's role limit (console.h).
 *
 * A value that is not what its filter takes is a 400 (never ignored:
 * a typo must not silently widen the list); a department the user may
 * not see is a 404, the same answer as one that does not exist. Empty
 * values are "no filter", as an empty form field sends them.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "address.h"
#include "console.h"
#include "tmpl.h"

static const char *const rules[] = {"official-to-webmail", "webmail-to-official",
                                    "reply-to-webmail", "spoofed-official", NULL};
static const char *const actions[] = {"log", "tag", "quarantine", "reject", "exempt", NULL};

/* filter_in - 1 when V is one of NAMES. */
static int filter_in(const char *v, const char *const *names)
{
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(v, names[i]) == 0)
            return 1;
    return 0;
}

/* filter_date - "YYYY-MM-DD" into a log stamp of its midnight (END: the next one). */
static int filter_date(const char *v, int end, char out[VIEW_STAMP])
{
    struct tm tm = {0};
    int y, m, d, n = 0;

    if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || y < 1970 ||
        y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    time_t t = timegm(&tm);
    struct tm back;
    if (gmtime_r(&t, &back) == NULL || back.tm_mday != d || back.tm_mon != m - 1)
        return -1; /* 2027-02-30 */
    t += end ? 86400 : 0;
    strftime(out, VIEW_STAMP, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &back));
    return 0;
}

/* filter_address - V normalised as the log stores addresses, into OUT. */
static int filter_address(const char *v, char out[VIEW_ADDR])
{
    char *n = strcmp(v, "<>") == 0 ? strdup("") : addr_normalize_text(v);

    if (strlen(v) >= VIEW_ADDR)
        return free(n), -1;
    snprintf(out, VIEW_ADDR, "%s", n != NULL ? n : v);
    free(n);
    return 0;
}

/* view_dept_visible - compliance sees all; a department user its own. */
int view_dept_visible(const struct req *r, const char *name)
{
    if (r->s == NULL)
        return 0;
    if (r->s->role == ROLE_COMPLIANCE)
        return 1;
    for (size_t i = 0; i < r->s->ndepts; i++)
        if (strcmp(r->s->depts[i], name) == 0)
            return 1;
    return 0;
}

/* view_limit - the role limit alone. */
void view_limit(const struct req *r, struct review_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->restricted = r->s == NULL || r->s->role != ROLE_COMPLIANCE;
    if (r->s != NULL) {
        f->depts = (const char *const *)r->s->depts;
        f->ndepts = r->s->ndepts;
    }
}

/* filter_value - the parameter KEY, NULL when absent or empty. */
static const char *filter_value(const struct req *r, const char *key)
{
    const char *v = req_param(r, key);

    return v != NULL && v[0] != '\0' ? v : NULL;
}

/* filter_check - the values with a fixed form. 0, or -1 after a 400 or 404. */
static int filter_check(struct req *r, struct view *v)
{
    const char *s;
    char *end;

    if ((s = filter_value(r, "since")) != NULL && filter_date(s, 0, v->since) < 0)
        return req_error(r, 400, "since: not a date (YYYY-MM-DD)"), -1;
    if ((s = filter_value(r, "until")) != NULL && filter_date(s, 1, v->until) < 0)
        return req_error(r, 400, "until: not a date (YYYY-MM-DD)"), -1;
    if (v->f.rule != NULL && !filter_in(v->f.rule, rules))
        return req_error(r, 400, "rule: no such rule"), -1;
    if (v->f.action != NULL && !filter_in(v->f.action, actions))
        return req_error(r, 400, "action: no such action"), -1;
    if (v->f.queue_id != NULL &&
        (strlen(v->f.queue_id) > 64 ||
         strspn(v->f.queue_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
                               "opqrstuvwxyz0123456789") != strlen(v->f.queue_id)))
        return req_error(r, 400, "queue_id: letters and digits only"), -1;
    if (v->f.text != NULL && strlen(v->f.text) > 200)
        return req_error(r, 400, "text: at most 200 bytes"), -1;
    if ((s = filter_value(r, "sender")) != NULL && filter_address(s, v->sender) < 0)
        return req_error(r, 400, "sender: too long"), -1;
    if ((s = filter_value(r, "address")) != NULL && filter_address(s, v->address) < 0)
        return req_error(r, 400, "address: too long"), -1;
    v->page = 1;
    if ((s = filter_value(r, "page")) != NULL &&
        ((v->page = strtoll(s, &end, 10)) < 1 || v->page > 1000000 || *end != '\0' || s[0] == '+' ||
         s[0] == ' '))
        return req_error(r, 400, "page: a number from 1"), -1;
    if (v->f.department != NULL && !view_dept_visible(r, v->f.department))
        return req_error(r, 404, "You have no department of that name."), -1;
    return 0;
}

/* view_filter - every filter, checked, on top of the role limit. */
int view_filter(struct req *r, struct view *v)
{
    memset(v, 0, sizeof(*v));
    view_limit(r, &v->f);
    v->f.department = filter_value(r, "department");
    v->f.rule = filter_value(r, "rule");
    v->f.action = filter_value(r, "action");
    v->f.queue_id = filter_value(r, "queue_id");
    v->f.text = filter_value(r, "text");
    if (filter_check(r, v) < 0)
        return -1;
    v->f.since = v->since[0] ? v->since : NULL;
    v->f.until = v->until[0] ? v->until : NULL;
    v->f.sender = filter_value(r, "sender") ? v->sender : NULL;
    v->f.address = filter_value(r, "address") ? v->address : NULL;
    return 0;
}

/* view_query - the filters as given, for links to other pages of the list and exports. */
void view_query(struct dbuf *b, const struct view *v, const char *skip)
{
    static const char *const keys[] = {"since",  "until",   "department", "rule", "action",
                                       "sender", "address", "queue_id",   "text"};
    char since[11] = "", until[11] = "";
    const char *vals[9];

    if (v->since[0])
        snprintf(since, sizeof(since), "%.10s", v->since);
    if (v->until[0]) {
        /* The stamp is the next midnight: show the day it ends. */
        struct tm tm = {0};
        strptime(v->until, "%Y-%m-%dT%H:%M:%SZ", &tm);
        time_t t = timegm(&tm) - 86400;
        strftime(until, sizeof(until), "%Y-%m-%d", gmtime_r(&t, &tm));
    }
    vals[0] = since[0] ? since : NULL;
    vals[1] = until[0] ? until : NULL;
    vals[2] = v->f.department;
    vals[3] = v->f.rule;
    vals[4] = v->f.action;
    vals[5] = v->f.sender;
    vals[6] = v->f.address;
    vals[7] = v->f.queue_id;
    vals[8] = v->f.text;
    for (int i = 0, first = 1; i < 9; i++) {
        if (vals[i] == NULL || (skip != NULL && strcmp(skip, keys[i]) == 0))
            continue;
        tmpl_put(b, "%M%M=%u", first ? "" : "&amp;", keys[i], vals[i]);
        first = 0;
    }
}
