/*
 * log - syslog always, standard error while wanted.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "timefmt.h"

static int log_to_stderr = 1;
static int log_opened;
static int log_test_fd = -1; /* OFFICIALMAIL_TEST_SYSLOG, for the test suite */

/* log_stderr_is_journal - 1 when standard error is systemd's journal stream. */
static int log_stderr_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;

    if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st) != 0)
        return 0;
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/* log_test_open - the test suite's syslog socket, when it names one. */
static void log_test_open(const char *path)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};

    if (strlen(path) >= sizeof(sun.sun_path)) {
        fprintf(stderr, "officialmail-milter: OFFICIALMAIL_TEST_SYSLOG: path too long\n");
        return;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    log_test_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (log_test_fd >= 0 && connect(log_test_fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
        fprintf(stderr, "officialmail-milter: OFFICIALMAIL_TEST_SYSLOG %s: cannot connect\n", path);
        close(log_test_fd);
        log_test_fd = -1;
    }
}

/* log_init - open syslog once (before privileges and chroots), set the copy to stderr. */
void log_init(int to_stderr)
{
    log_to_stderr = to_stderr && !log_stderr_is_journal();
    if (log_opened)
        return;
    log_opened = 1;
    const char *test = getenv("OFFICIALMAIL_TEST_SYSLOG");
    if (test != NULL && test[0] != '\0')
        log_test_open(test);
    else
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

/* log_syslog - "QID: TEXT" (QID NULL: TEXT) to syslog, or to the test suite's socket. */
static void log_syslog(int priority, const char *qid, const char *text)
{
    char dgram[8300];

    if (log_test_fd < 0) {
        /* One formatting pass, in syslog(3) itself: the line is not copied first. */
        if (qid != NULL)
            syslog(priority, "%s: %s", qid, text);
        else
            syslog(priority, "%s", text);
        return;
    }
    int n = snprintf(dgram, sizeof(dgram), "<%d>officialmail[%ld]: %s%s%s", LOG_MAIL | priority,
                     (long)getpid(), qid != NULL ? qid : "", qid != NULL ? ": " : "", text);
    if (n > 0)
        (void)!send(log_test_fd, dgram, (size_t)n < sizeof(dgram) ? (size_t)n : sizeof(dgram) - 1,
                    MSG_NOSIGNAL);
}

/* log_cat - append the string S at *P, short of END; the new *P. */
static char *log_cat(char *p, const char *end, const char *s)
{
    size_t n = strlen(s);

    if (n > (size_t)(end - p))
        n = (size_t)(end - p);
    memcpy(p, s, n);
    return p + n;
}

/* log_stderr - the line with a time stamp, in one write to standard error. */
static void log_stderr(int priority, const char *qid, const char *text)
{
    char line[8400], stamp[32];
    char *p = line, *end = line + sizeof(line) - 1;

    if (timefmt_iso8601(time(NULL), stamp) < 0)
        stamp[0] = '\0';
    /* Put together by hand, not by fprintf: -f copies every violation's line here. */
    p = log_cat(p, end, stamp);
    p = log_cat(p, end, " officialmail-milter: ");
    p = log_cat(p, end, log_priority_name(priority));
    if (qid != NULL) {
        p = log_cat(p, end, qid);
        p = log_cat(p, end, ": ");
    }
    p = log_cat(p, end, text);
    *p++ = '\n';
    (void)!fwrite(line, 1, (size_t)(p - line), stderr);
}

/* log_put - TEXT, after "QID: " when QID is set, to each destination. */
void log_put(int priority, const char *qid, const char *text)
{
    if (qid != NULL && (qid[0] == '\0' || strlen(qid) > 1024))
        qid = NULL; /* a queue id of a kilobyte is no queue id */
    log_syslog(priority, qid, text);
    if (log_to_stderr)
        log_stderr(priority, qid, text);
}

/* log_msg - format once, then write one line to each destination. */
void log_msg(int priority, const char *qid, const char *fmt, ...)
{
    char line[8192];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    log_put(priority, qid, line);
}
