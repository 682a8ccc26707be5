/*
 * digest_render - the two bodies of a digest, plain text and HTML, and
 * the wording they share (subject, period, changes, the log command,
 * the hash chain and exception sentences).
 *
 * A view is one digest: a department's (dept set) or the compliance
 * digest (dept NULL). Every value that comes from the log or the
 * configuration goes through dbuf_text() / dbuf_html() (digest/buf.h),
 * so that it is shown, never obeyed.
 *
 * Returns: the renderers return nothing (the buffer's failure is sticky);
 * digest_is_empty() 1 / 0.
 *
 * Ownership: a view borrows everything it points to.
 * Thread safety: reentrant.
 */
#ifndef OM_DIGEST_RENDER_H
#define OM_DIGEST_RENDER_H

#include <stddef.h>

#include "buf.h"
#include "data.h"

struct digest_view {
    const struct digest_data *d;
    const struct digest_dept *dept; /* NULL: the compliance digest */
    const char *config;             /* -c as given, repeated in the log command; NULL: default */
    const char *host;               /* where the digest was made, for the footer */
    int central;                    /* read from the central log: the log command says so */
    const char *gateway;            /* only this gateway's records (--gateway), or NULL */
};

/* digest_render_text - the text/plain body of V into B. */
void digest_render_text(struct dbuf *b, const struct digest_view *v);

/* digest_render_html - the text/html body of V into B: inline CSS, tables, no script, no image. */
void digest_render_html(struct dbuf *b, const struct digest_view *v);

/* digest_subject - the Subject of V (UTF-8, made safe; the MIME layer encodes it). */
void digest_subject(struct dbuf *b, const struct digest_view *v);

/* digest_is_empty - 1 when V's period has no violation (a "no violations" digest). */
int digest_is_empty(const struct digest_view *v);

/* --- wording shared by both bodies (digest/fmt.c) ------------------------ */

/* digest_fmt_change - "+22 (+55%)", "-7 (-70%)", "0", "new" into OUT. */
void digest_fmt_change(char *out, size_t len, long long cur, long long prev);

/* digest_fmt_period - "ISO week 2027-W10: Monday 8 March to Sunday 14 March 2027 (UTC)". */
void digest_fmt_period(struct dbuf *b, const struct digest_period *p);

/* digest_fmt_day - "Mon 8 Mar" for day DAY of the period. */
void digest_fmt_day(char *out, size_t len, const struct digest_period *p, int day);

/* digest_fmt_time - a log stamp as "2027-03-08 08:00" (UTC), made safe. */
void digest_fmt_time(struct dbuf *b, const char *stamp, int html);

/* digest_fmt_col - "2027-W10" for a week, "period" otherwise (PREV: the previous one). */
const char *digest_fmt_col(const struct digest_period *p, int prev);

/*
 * digest_fmt_log_command - the `officialmail log` command listing every
 * event of department NAME in the period, quoted for a POSIX shell; raw
 * text (escape it for HTML).
 */
void digest_fmt_log_command(struct dbuf *b, const struct digest_view *v, const char *name);

/* digest_fmt_shell_quote - S in single quotes for a POSIX shell (raw text; alerts use it too). */
void digest_fmt_shell_quote(struct dbuf *b, const char *s);

/* digest_fmt_chain - the sentence saying whether the hash chain verified. */
void digest_fmt_chain(struct dbuf *b, const struct digest_data *d);

/* digest_fmt_lapse - "CR-3001: lapses at the end of 2027-03-20 (in 6 days)". */
void digest_fmt_lapse(struct dbuf *b, const struct digest_lapse *l, int html);

/* digest_fmt_exception - "sender @it.jk.gov.in, recipient *, rules official-to-webmail". */
void digest_fmt_exception(struct dbuf *b, const struct exception *x, int html);

/* digest_fmt_title - the department's name, or "Compliance summary: all departments". */
void digest_fmt_title(struct dbuf *b, const struct digest_view *v, int html);

/* digest_fmt_dept_note - " (not in the configuration)" etc. for department DP, or "". */
const char *digest_fmt_dept_note(const struct digest_data *d, const struct digest_dept *dp);

#endif
