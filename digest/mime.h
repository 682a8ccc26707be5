/*
 * digest_mime - a digest as an RFC 5322 / MIME message:
 * multipart/alternative with a text/plain and a text/html part, both
 * UTF-8 in quoted-printable.
 *
 * Why by hand and not with GMime: the message has one fixed shape, and
 * what must be right about it is small and testable on its own - header
 * encoding and folding, quoted-printable, the boundary. Building it here
 * keeps GLib (and its abort-on-out-of-memory allocator) out of the
 * command, and leaves the tests to judge the result with an independent
 * MIME parser (Python's email package) rather than with the library
 * that wrote it.
 *
 * Injection: the Subject is written raw only when it is printable ASCII
 * with nothing that could read as an encoded word; anything else goes
 * out as RFC 2047 encoded words (base64), in which no CR, LF or colon
 * survives. Addresses are checked to be bare addr-specs. The bodies are
 * quoted-printable, whose output never holds "=_"; the boundary starts
 * with "=_" and a random part, so no body line can equal it; the
 * message is still searched for it before it is used.
 *
 * Lines end with LF (the form `sendmail -t` and local .eml files expect).
 *
 * Returns: 0 / -1 (with the reason in ERR where one is given).
 *
 * Ownership: the caller's buffers. Thread safety: reentrant.
 */
#ifndef OM_DIGEST_MIME_H
#define OM_DIGEST_MIME_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

struct digest_mail {
    const char *from;      /* an address (digest_from) */
    const char *const *to; /* addresses */
    size_t nto;
    const char *subject;     /* UTF-8, safe (no controls) */
    const char *text, *html; /* the two bodies, UTF-8 */
    time_t date;
    const char *id_tag; /* a short ASCII tag for the Message-ID, e.g. "2027W10-it" */
};

/*
 * digest_mime_build - the whole message into OUT. 0, or -1 with the
 * reason in ERR (ERRLEN bytes): an address that cannot be put in a
 * header, no randomness, out of memory.
 */
int digest_mime_build(struct dbuf *out, const struct digest_mail *m, char *err, size_t errlen);

/* --- the parts, for the unit tests --------------------------------------- */

/* mime_header_text - "NAME: VALUE" folded, with encoded words where VALUE needs them. */
void mime_header_text(struct dbuf *b, const char *name, const char *value);

/* mime_qp - BODY (LEN bytes, LF line ends) as quoted-printable lines of at most 76 columns. */
void mime_qp(struct dbuf *b, const char *body, size_t len);

/*
 * mime_address - the header form of ADDR into OUT (LEN bytes): ADDR when
 * it is a bare ASCII addr-spec, its A-label form when only its domain is
 * not ASCII. 0, or -1 when it cannot be written in a header.
 */
int mime_address(const char *addr, char *out, size_t len);

#endif
