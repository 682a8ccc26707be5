/*
 * digest_fmt - the wording both bodies of a digest share.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "render.h"

static const char *const day_names[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};
static const char *const month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

/* digest_is_empty - nothing in the period for the view's department (or anywhere). */
int digest_is_empty(const struct digest_view *v)
{
    return (v->dept != NULL ? v->dept : &v->d->all)->cur.total == 0;
}

/* digest_fmt_change - the change and, against a non-zero base, its percentage. */
void digest_fmt_change(char *out, size_t len, long long cur, long long prev)
{
    long long diff = cur - prev;

    if (diff == 0)
        snprintf(out, len, "0");
    else if (prev == 0)
        snprintf(out, len, "new");
    else
        /* Rounded half away from zero, as a reader rounds. */
        snprintf(out, len, "%+lld (%+lld%%)", diff,
                 (diff * 100 + (diff > 0 ? prev / 2 : -(prev / 2))) / prev);
}

/* fmt_date - "Monday 8 March 2027" for T. */
static void fmt_date(struct dbuf *b, time_t t)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL) {
        dbuf_add(b, "?");
        return;
    }
    dbuf_printf(b, "%s %d %s %d", day_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon],
                tm.tm_year + 1900);
}

/* digest_fmt_period - the period in words, always saying UTC. */
void digest_fmt_period(struct dbuf *b, const struct digest_period *p)
{
    if (!p->is_week) {
        dbuf_printf(b, "%s (UTC)%s%s", p->label, p->week_note[0] ? ", in ISO week " : "",
                    p->week_note);
        return;
    }
    dbuf_printf(b, "ISO week %s: ", p->label);
    fmt_date(b, p->start);
    dbuf_add(b, " to ");
    fmt_date(b, p->end - DIGEST_DAY);
    dbuf_add(b, " (UTC)");
}

/* digest_fmt_day - a short day label for the per-day chart. */
void digest_fmt_day(char *out, size_t len, const struct digest_period *p, int day)
{
    time_t t = p->first_day + (time_t)day * DIGEST_DAY;
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(out, len, "day %d", day + 1);
        return;
    }
    snprintf(out, len, "%.3s %d %.3s", day_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon]);
}

/* digest_fmt_time - the stamp to the minute; anything malformed is shown as it is, made safe. */
void digest_fmt_time(struct dbuf *b, const char *stamp, int html)
{
    char t[17];

    if (strlen(stamp) == 20 && stamp[10] == 'T' && stamp[19] == 'Z') {
        memcpy(t, stamp, 16);
        t[10] = ' ';
        t[16] = '\0';
        stamp = t;
    }
    if (html)
        dbuf_html(b, stamp, 32);
    else
        dbuf_text(b, stamp, 32);
}

/* digest_fmt_col - the column heading of a count. */
const char *digest_fmt_col(const struct digest_period *p, int prev)
{
    if (p->is_week)
        return prev ? p->prev_label : p->label;
    return prev ? "previous" : "period";
}

/* digest_fmt_shell_quote - S in single quotes for a POSIX shell ('\'' for a quote). */
void digest_fmt_shell_quote(struct dbuf *b, const char *s)
{
    dbuf_add(b, "'");
    for (; *s != '\0'; s++) {
        if (*s == '\'')
            dbuf_add(b, "'\\''");
        else
            dbuf_addn(b, s, 1);
    }
    dbuf_add(b, "'");
}

/* digest_fmt_log_command - exact bounds (--until with a time is exclusive), names quoted. */
void digest_fmt_log_command(struct dbuf *b, const struct digest_view *v, const char *name)
{
    struct dbuf safe;

    dbuf_add(b, "officialmail ");
    if (v->config != NULL) {
        dbuf_init(&safe);
        (void)dbuf_text(&safe, v->config, 0);
        dbuf_add(b, "-c ");
        digest_fmt_shell_quote(b, dbuf_str(&safe));
        dbuf_add(b, " ");
        if (dbuf_failed(&safe))
            dbuf_fail(b);
        dbuf_free(&safe);
    }
    dbuf_printf(b, "log%s --since %s --until %s ", v->central ? " --central" : "",
                v->d->period.since, v->d->period.until);
    if (v->gateway != NULL) {
        dbuf_init(&safe);
        (void)dbuf_text(&safe, v->gateway, 0);
        dbuf_add(b, "--gateway ");
        digest_fmt_shell_quote(b, dbuf_str(&safe));
        dbuf_add(b, " ");
        if (dbuf_failed(&safe))
            dbuf_fail(b);
        dbuf_free(&safe);
    }
    dbuf_add(b, "--department ");
    dbuf_init(&safe);
    (void)dbuf_text(&safe, name, 0);
    digest_fmt_shell_quote(b, dbuf_str(&safe));
    if (dbuf_failed(&safe))
        dbuf_fail(b);
    dbuf_free(&safe);
}

/* digest_fmt_chain - verified, broken (first bad id and why) or not checkable. */
void digest_fmt_chain(struct dbuf *b, const struct digest_data *d)
{
    const struct chain_verify_result *r = &d->chain.res;
    char when[DIGEST_STAMP_LEN] = "?";

    (void)digest_stamp(d->now, when);
    if (d->chain.status < 0) {
        dbuf_printf(b,
                    "WARNING: the violation log's hash chain could not be checked at %s: ", when);
        (void)dbuf_text(b, d->chain.error, 200);
        dbuf_add(b, ". Run officialmail verify-log.");
    } else if (d->chain.status > 0) {
        dbuf_printf(b,
                    "WARNING: the violation log's hash chain did NOT verify at %s: first bad "
                    "record id=%lld: ",
                    when, r->bad_id);
        (void)dbuf_text(b, r->problem, 200);
        dbuf_add(b, ". Run officialmail verify-log and investigate before relying on this digest.");
    } else if (r->records == 0) {
        dbuf_printf(b, "Violation log: the hash chain verified at %s (no records%s).", when,
                    r->expired > 0 ? " kept; older ones expired" : "");
    } else {
        dbuf_printf(b,
                    "Violation log: the hash chain verified at %s: %lld records intact, "
                    "ids %lld to %lld, head hash %.16s",
                    when, r->records, r->first_id, r->last_id, r->head_hash);
        if (r->expired > 0)
            dbuf_printf(b, " (%lld older records expired under a checkpoint)", r->expired);
        dbuf_add(b, ".");
    }
}

/* digest_fmt_lapse - the ticket and when it lapsed or lapses. */
void digest_fmt_lapse(struct dbuf *b, const struct digest_lapse *l, int html)
{
    const char *ticket = l->x->ticket != NULL ? l->x->ticket : "(no ticket)";

    if (html)
        dbuf_html(b, ticket, 60);
    else
        (void)dbuf_text(b, ticket, 60);
    dbuf_add(b, l->lapsed ? ": lapsed at the end of " : ": lapses at the end of ");
    (void)dbuf_text(b, l->x->expires_text, 12); /* a date the loader checked: no markup */
    if (l->lapsed && l->days == 0)
        dbuf_add(b, " (less than a day ago)");
    else if (l->lapsed)
        dbuf_printf(b, " (%lld day%s ago)", l->days, l->days == 1 ? "" : "s");
    else
        dbuf_printf(b, " (in %lld day%s)", l->days, l->days == 1 ? "" : "s");
}

/* fmt_match - one side of an exception as written: "*", "@domain" or the address. */
static void fmt_match(struct dbuf *b, const struct exception_match *m, int html)
{
    const char *s = m->any ? "*" : m->domain != NULL ? m->domain : m->address;

    if (m->domain != NULL && !m->any)
        dbuf_add(b, "@");
    if (html)
        dbuf_html(b, s != NULL ? s : "?", 120);
    else
        (void)dbuf_text(b, s != NULL ? s : "?", 120);
}

/* digest_fmt_exception - who and what the exception covers, and why. */
void digest_fmt_exception(struct dbuf *b, const struct exception *x, int html)
{
    unsigned all = (1u << RULE_COUNT) - 1;
    int first = 1;

    dbuf_add(b, "sender ");
    fmt_match(b, &x->sender, html);
    dbuf_add(b, ", recipient ");
    fmt_match(b, &x->recipient, html);
    dbuf_add(b, (x->rules & all) == all ? ", all rules" : ", rules ");
    for (int r = 0; r < RULE_COUNT && (x->rules & all) != all; r++) {
        if (x->rules & (1u << r)) {
            dbuf_printf(b, "%s%s", first ? "" : " ", policy_rule_name((enum om_rule)r));
            first = 0;
        }
    }
    if (x->reason != NULL) {
        dbuf_add(b, "; reason: ");
        if (html)
            dbuf_html(b, x->reason, 200);
        else
            (void)dbuf_text(b, x->reason, 200);
    }
}

/* digest_fmt_title - what the digest is about. */
void digest_fmt_title(struct dbuf *b, const struct digest_view *v, int html)
{
    if (v->dept == NULL)
        dbuf_add(b, "Compliance summary: all departments");
    else if (html)
        dbuf_html(b, v->dept->name, 200);
    else
        (void)dbuf_text(b, v->dept->name, 200);
}

/* digest_fmt_dept_note - why a department row is special. */
const char *digest_fmt_dept_note(const struct digest_data *d, const struct digest_dept *dp)
{
    if (dp->config_index == DIGEST_DEPT_UNKNOWN)
        return " (not in the configuration)";
    if (dp == &d->depts[d->default_index])
        return " (unassigned)";
    return "";
}

/* digest_subject - department (or "Compliance"), ISO week or period, and the count. */
void digest_subject(struct dbuf *b, const struct digest_view *v)
{
    long long n = (v->dept != NULL ? v->dept : &v->d->all)->cur.total;

    if (v->dept != NULL)
        (void)dbuf_text(b, v->dept->name, 120);
    else
        dbuf_add(b, "Compliance");
    /* The Subject names the ISO week whenever the period lies in one. */
    if (v->d->period.week_note[0] != '\0')
        dbuf_printf(b, ": violation digest %s (%s), ", v->d->period.week_note, v->d->period.label);
    else
        dbuf_printf(b, ": violation digest %s, ", v->d->period.label);
    if (n == 0)
        dbuf_add(b, "no violations");
    else
        dbuf_printf(b, "%lld violation%s", n, n == 1 ? "" : "s");
}
