/*
 * log - syslog always, standard error while wanted.
 */
#include <config.h>

#include <paths.h>
#include <pthread.h>
#include <errno.h>
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

/*
 * The system log's socket, written here rather than through syslog(3),
 * which formats every line again (its header through snprintf, the time
 * through localtime_r and strftime, the text through vsnprintf): ~5,000
 * instructions for each violation's line on the mail path. What is sent
 * is what syslog(3) sends ("<PRI>Mmm dd hh:mm:ss officialmail[PID]:
 * TEXT", a NUL after it on a stream socket), to the same socket, and as
 * syslog(3) does, a line that finds no socket is dropped and the next
 * one connects again. For the test suite the socket is the one named by
 * OFFICIALMAIL_TEST_SYSLOG, which gets the same lines.
 */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *log_path = _PATH_LOG;
static int log_fd = -1;
static int log_stream; /* log_fd is a stream socket */
static time_t log_stamp_at = (time_t)-1;
static char log_stamp[17]; /* "Mmm dd hh:mm:ss " of log_stamp_at, local time */

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

/* log_connect - log_fd connected to log_path (a datagram socket, else a stream). 0 or -1. */
static int log_connect(void)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};

    if (strlen(log_path) >= sizeof(sun.sun_path))
        return -1;
    memcpy(sun.sun_path, log_path, strlen(log_path) + 1);
    for (int stream = 0; stream < 2; stream++) {
        int fd = socket(AF_UNIX, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
            log_fd = fd;
            log_stream = stream;
            return 0;
        }
        int wrong_type = errno == EPROTOTYPE;
        close(fd);
        if (!wrong_type)
            break;
    }
    return -1;
}

/* log_init - connect to syslog once (before privileges and chroots), set the copy to stderr. */
void log_init(int to_stderr)
{
    log_to_stderr = to_stderr && !log_stderr_is_journal();
    if (log_opened)
        return;
    log_opened = 1;
    const char *test = getenv("OFFICIALMAIL_TEST_SYSLOG");
    if (test != NULL && test[0] != '\0') {
        log_path = test;
        if (log_connect() < 0)
            fprintf(stderr, "officialmail-milter: OFFICIALMAIL_TEST_SYSLOG %s: cannot connect\n",
                    test);
    } else {
        (void)log_connect(); /* now, as openlog(LOG_NDELAY) would: a chroot may hide it later */
    }
    /* The libraries' own lines (libmilter's, through syslog(3)) keep our
       name and facility mail, and their socket is opened now too. */
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

/* log_cat - append the string S at *P, short of END; the new *P. */
static char *log_cat(char *p, const char *end, const char *s)
{
    size_t n = strlen(s);

    if (n > (size_t)(end - p))
        n = (size_t)(end - p);
    memcpy(p, s, n);
    return p + n;
}

/* log_number - the decimal digits of V at P (room for 20); the new P. */
static char *log_number(char *p, unsigned long v)
{
    char tmp[24];
    size_t n = 0;

    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

/* log_stamp_now - log_stamp for the current second, as syslog(3) writes it (lock held). */
static const char *log_stamp_now(void)
{
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    struct tm tm;

    if (now == log_stamp_at) /* made once a second, not for every line */
        return log_stamp;
    if (localtime_r(&now, &tm) == NULL)
        return "";
    memcpy(log_stamp, months[tm.tm_mon % 12], 3);
    log_stamp[3] = ' ';
    log_stamp[4] = tm.tm_mday < 10 ? ' ' : (char)('0' + tm.tm_mday / 10);
    log_stamp[5] = (char)('0' + tm.tm_mday % 10);
    log_stamp[6] = ' ';
    for (int i = 0, v[3] = {tm.tm_hour, tm.tm_min, tm.tm_sec}; i < 3; i++) {
        log_stamp[7 + 3 * i] = (char)('0' + v[i] / 10);
        log_stamp[8 + 3 * i] = (char)('0' + v[i] % 10);
        log_stamp[9 + 3 * i] = i < 2 ? ':' : ' ';
    }
    log_stamp[16] = '\0';
    log_stamp_at = now;
    return log_stamp;
}

/* log_send - MSG (LEN bytes and a NUL) to the log's socket (lock held): connected again once
 * when that fails. */
static void log_send(const char *msg, size_t len)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        if (log_fd < 0 && log_connect() < 0)
            return;
        /* A stream socket takes the NUL too: the daemon's end of a message. */
        if (send(log_fd, msg, len + (size_t)log_stream, MSG_NOSIGNAL) >= 0)
            return;
        close(log_fd);
        log_fd = -1;
    }
}

/* log_syslog - "QID: TEXT" (QID NULL: TEXT) to the system log, or to the test suite's socket. */
static void log_syslog(int priority, const char *qid, const char *text)
{
    char msg[9400];
    char *p = msg, *end = msg + sizeof(msg) - 1;

    if ((priority & LOG_FACMASK) == 0)
        priority |= LOG_MAIL;
    pthread_mutex_lock(&log_lock);
    *p++ = '<';
    p = log_number(p, (unsigned long)priority);
    *p++ = '>';
    p = log_cat(p, end, log_stamp_now());
    p = log_cat(p, end, "officialmail[");
    p = log_number(p, (unsigned long)getpid());
    p = log_cat(p, end, "]: ");
    if (qid != NULL) {
        p = log_cat(p, end, qid);
        p = log_cat(p, end, ": ");
    }
    p = log_cat(p, end, text);
    *p = '\0';
    log_send(msg, (size_t)(p - msg));
    pthread_mutex_unlock(&log_lock);
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
