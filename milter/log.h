/*
 * log - the milter's one logging helper.
 *
 * Purpose: every line goes to syslog (facility mail, ident officialmail;
 * the datagram syslog(3) would send, written to /dev/log directly, so
 * that a violation's line is not formatted again), and also to standard error while that is wanted
 * (start-up, and -f); a line about a message starts with its queue id, as Postfix's own lines do,
 * so that `grep QUEUEID` shows the whole story.
 *
 * Under systemd, standard error is the journal, which syslog already
 * reaches: the copy to standard error is then left out, so that no line
 * is logged twice.
 *
 * For the test suite only: when OFFICIALMAIL_TEST_SYSLOG names a unix
 * datagram socket, the syslog lines ("<PRI>Mmm dd hh:mm:ss
 * officialmail[PID]: LINE", as /dev/log gets them) go there instead of to the system's /dev/log, so
 * that a test can read them with their priorities.
 *
 * Returns: nothing: logging never fails the caller.
 *
 * Thread safety: log_msg and log_put are safe from any thread (the
 * socket is written under a lock, standard error in one fwrite call);
 * log_init is called before threads start.
 */
#ifndef OM_LOG_H
#define OM_LOG_H

#include <syslog.h>

/* log_init - open syslog; copy lines to standard error while TO_STDERR (may be called again). */
void log_init(int to_stderr);

/* log_msg - one line at PRIORITY (LOG_ERR...), prefixed "QID: " when QID is set. */
void log_msg(int priority, const char *qid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* log_put - TEXT as it is (no formatting of it) at PRIORITY, prefixed "QID: " when QID is set. */
void log_put(int priority, const char *qid, const char *text);

#endif
