/*
 * quote - configured names and texts written into the syntaxes that
 * carry them out of the milter: SMTP reply text, the tag header and the
 * quarantine reason (SPEC 5b: names are data).
 *
 * Purpose: a department name, rule message or ticket may hold any
 * printable UTF-8, '"' and '\' included; each output escapes it for its
 * own syntax, so that no value can end a field early, forge another one
 * or break a line. (The log's formats - JSON, CSV, key=value, tables,
 * digests - escape beside their writers.)
 *
 * Returns: 0 / -1 (does not fit); the quoting helpers return OUT.
 *
 * Ownership: results go into the caller's buffer.
 * Thread safety: reentrant.
 */
#ifndef OM_QUOTE_H
#define OM_QUOTE_H

#include <stddef.h>

/*
 * quote_smtp - TEXT as SMTP reply text (RFC 5321 4.2: printable ASCII)
 * into OUT (LEN > 0 bytes): a control character becomes a space, any
 * other non-ASCII character (one UTF-8 sequence, or one invalid byte)
 * one '?'. With MILTER, every '%' is doubled, as smfi_setreply(3) wants
 * (sendmail formats the text; Postfix turns "%%" back into "%" and drops
 * a lone '%'). Cut between characters when OUT is full. Returns OUT.
 */
const char *quote_smtp(const char *text, int milter, char *out, size_t len);

/*
 * quote_tag - the X-Officialmail-Violation value
 * `RULE; department="DEPT"; address=ADDR` into OUT, DEPT a quoted-string
 * ('"' and '\' escaped). When that text is not printable ASCII or holds
 * "=?", all of it after "RULE;" is written as RFC 2047 encoded words
 * (UTF-8, Q), one per folded line, that decode to exactly that text.
 * Returns 0, or -1 when it does not fit in LEN bytes.
 */
int quote_tag(const char *rule, const char *dept, const char *address, char *out, size_t len);

/*
 * quote_reason_name - NAME as it stands in the quarantine reason
 * "rule (NAME)": as written, or as a quoted-string when it holds a
 * character of that syntax ( ( ) , " \ ). Returns OUT (cut to LEN).
 */
const char *quote_reason_name(const char *name, char *out, size_t len);

#endif
