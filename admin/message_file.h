/*
 * message_file - the header section of an RFC 5322 message read from a
 * file, for `officialmail test`.
 *
 * Purpose: split a message into header fields the way an MTA hands them
 * to a milter: folded continuation lines belong to the field above; the
 * header section ends at the first empty line, or at the first line that
 * is neither a field nor a continuation (as Postfix treats it: the body
 * starts there). A leading mbox "From " line is skipped. NUL bytes
 * become spaces. An empty file is a message with no header fields.
 * Values are kept as written after the colon (leading space and folding
 * included), and the body as it follows the header section: what DKIM
 * verification (`officialmail test`) needs.
 *
 * Returns: 0 / -1 (with the reason in ERR where one is given).
 *
 * Ownership: the struct owns the fields and their text.
 * Thread safety: reentrant.
 */
#ifndef OM_MESSAGE_FILE_H
#define OM_MESSAGE_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "message.h"

struct message_file {
    struct header *fields;
    size_t nfields;
    char *text;       /* one buffer holding every name and value */
    const char *body; /* the body, inside TEXT (never NULL once parsed) */
    size_t body_len;
};

/* message_file_parse - split DATA (LEN bytes); 0, or -1 when out of memory. */
int message_file_parse(const char *data, size_t len, struct message_file *out);

/*
 * message_file_read - read all of FP and parse it. Returns 0, or -1 with
 * the reason in ERR (ERRLEN bytes).
 */
int message_file_read(FILE *fp, struct message_file *out, char *err, size_t errlen);

/* message_file_free - free what MF owns; safe on a zeroed MF. */
void message_file_free(struct message_file *mf);

#endif
