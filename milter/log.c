/*
 * log - syslog or standard error.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

static int log_to_stderr = 1;

/* log_init - choose the destination once, before threads start. */
void log_init(int foreground)
{
    log_to_stderr = foreground;
    if (!foreground)
        openlog("officialmail", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/* log_priority_name - a word for PRIORITY on standard error. */
static const char *log_priority_name(int priority)
{
    switch (priority) {
    case LOG_EMERG:
    case LOG_ALERT:
    case LOG_CRIT:
    case LOG_ERR:
        return "error: ";
    case LOG_WARNING:
        return "warning: ";
    default:
        return "";
    }
}

/* log_msg - format once, then write one line. */
void log_msg(int priority, const char *qid, const char *fmt, ...)
{
    char line[8192];
    va_list ap;
    int n = 0;

    if (qid != NULL && qid[0] != '\0')
        n = snprintf(line, sizeof(line), "%s: ", qid);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (!log_to_stderr) {
        syslog(priority, "%s", line);
        return;
    }
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    fprintf(stderr, "%s officialmail-milter: %s%s\n", stamp, log_priority_name(priority), line);
}
