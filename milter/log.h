/*
 * log - the milter's one logging helper.
 *
 * Purpose: every line goes to syslog (facility mail, ident officialmail)
 * as a daemon, or to standard error in the foreground (-f); a line about
 * a message starts with its queue id, as Postfix's own lines do, so that
 * `grep QUEUEID` shows the whole story.
 *
 * Thread safety: safe from any thread (syslog(3) and single fprintf
 * calls are).
 */
#ifndef OM_LOG_H
#define OM_LOG_H

#include <syslog.h>

/* log_init - to stderr when FOREGROUND, else openlog() to mail. */
void log_init(int foreground);

/* log_msg - one line at PRIORITY (LOG_ERR...), prefixed "QID: " when QID is set. */
void log_msg(int priority, const char *qid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
