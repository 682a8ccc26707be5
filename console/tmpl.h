/*
 * tmpl - the console's one template layer: HTML written with every value
 * escaped unless the format says the text is our own markup.
 *
 * tmpl_put(B, FMT, ...) copies FMT and replaces its directives:
 *   %s  a value: shown as text (HTML-escaped: & < > " ' become entities;
 *       control characters, bidi overrides and bad UTF-8 become U+FFFD),
 *       safe in element content and in quoted attribute values
 *   %u  a value as one URL query component (percent-encoded but for
 *       A-Z a-z 0-9 - . _ ~), for href="...?k=%u"
 *   %d  an int, %L a long long
 *   %M  markup: a string the caller built from literals and tmpl_put,
 *       never a value from the log, a request or the configuration
 *   %%  a percent sign
 * Anything else after % marks the buffer failed (dbuf_failed()), so a
 * slip shows as an error page, never as unescaped output.
 *
 * Thread safety: reentrant.
 */
#ifndef OM_TMPL_H
#define OM_TMPL_H

#include "buf.h"

/* tmpl_put - FMT with its directives replaced, appended to B. */
void tmpl_put(struct dbuf *b, const char *fmt, ...);

/* tmpl_url - S percent-encoded as a URL query component, appended to B. */
void tmpl_url(struct dbuf *b, const char *s);

/* tmpl_utf8_ok - 1 when S is valid UTF-8 without control characters (TAB allowed). */
int tmpl_utf8_ok(const char *s);

#endif
