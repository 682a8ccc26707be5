/*
 * mail - one digest as a finished mail: rendered as text and HTML,
 * with its Subject, wrapped in MIME; and the name of the file it is
 * written to with --output. The `officialmail digest` command
 * (admin/cmd_digest.c) only chooses the digests and delivers them.
 *
 * Returns: 0 / -1 (with the reason in ERR).
 * Ownership: the caller's buffers and strings.
 * Thread safety: reentrant.
 */
#ifndef OM_DIGEST_MAIL_H
#define OM_DIGEST_MAIL_H

#include <stddef.h>
#include <time.h>

#include "mime.h"
#include "render.h"

/* What a digest message is sent as, beyond its view. */
struct digest_envelope {
    const char *from;      /* digest_from */
    const char *const *to; /* its recipients */
    size_t nto;
    time_t now; /* its Date */
};

/*
 * digest_message - the MIME message of view V for E into MSG (its
 * Message-ID tagged with the period and the department). 0, or -1 with
 * the reason in ERR (ERRLEN bytes).
 */
int digest_message(struct dbuf *msg, const struct digest_view *v, const struct digest_envelope *e,
                   char *err, size_t errlen);

/*
 * digest_file_name - the file name of the digest of DP (NULL: the
 * compliance digest) for the period LABEL:
 * "2027-W10-01-information-technology.eml", "2027-W10-compliance.eml".
 */
void digest_file_name(const char *label, const struct digest_dept *dp, char *out, size_t len);

#endif
