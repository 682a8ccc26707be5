/*
 * mailsource - the messages of a mailbox, one at a time, for `officialmail
 * replay` (SPEC 12).
 *
 * Purpose: a SOURCE is an mbox file (mboxo or mboxrd: "From " lines
 * separate the messages), a Maildir (the files of its cur/ and new/), a
 * single message file (.eml, or any file that does not start with
 * "From "), or a directory of any of them (read in name order, depth
 * bounded, names starting with '.' skipped). Each message is handed to a
 * callback with a name that finds it again: the file's path, or
 * "PATH:N" (the Nth message of an mbox, from 1) with the line its
 * "From " separator is on. A source that cannot be read is reported to
 * the same callback (as an error), and the walk goes on with the next.
 *
 * Only the header section is read for a decision, so mboxrd/mboxo
 * ">From " quoting (which is in bodies) needs no undoing here; a body
 * line "From ..." that a writer did not quote does start a new message,
 * as every mbox reader takes it.
 *
 * Ownership: the message text is lent to the callback (a read-only
 * mapping of the file); copy what must outlive it.
 * Thread safety: reentrant.
 */
#ifndef OM_MAILSOURCE_H
#define OM_MAILSOURCE_H

#include <stddef.h>

struct mailsource_msg {
    const char *name;  /* "path" or "path:N (line L)" */
    const char *data;  /* the message (without its mbox "From " line) */
    size_t len;        /* bytes of DATA */
    const char *error; /* why the source could not be read (then DATA is NULL) */
};

/* A callback's return: 0 goes on, non-zero stops the walk (returned by mailsource_walk). */
typedef int (*mailsource_fn)(const struct mailsource_msg *m, void *arg);

/*
 * mailsource_walk - every message of SOURCE to FN. Returns 0 when the
 * walk ended, or FN's non-zero return. Sources that cannot be read are
 * given to FN with ->error set.
 */
int mailsource_walk(const char *source, mailsource_fn fn, void *arg);

/*
 * mailsource_mbox - the messages of mbox text DATA (LEN bytes) called
 * NAME to FN, as mailsource_walk() does for an mbox file (for tests and
 * the fuzz target). Returns as mailsource_walk().
 */
int mailsource_mbox(const char *name, const char *data, size_t len, mailsource_fn fn, void *arg);

/*
 * mailsource_header_len - the length of the header section of message
 * DATA (LEN bytes), up to and including the empty line that ends it;
 * *ENDED says whether that line was there (0: the message ends inside
 * its header section, as a truncated one does).
 */
size_t mailsource_header_len(const char *data, size_t len, int *ended);

#endif
