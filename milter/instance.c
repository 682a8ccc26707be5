/*
 * instance - refuse to start beside a live daemon; remove only our own files.
 */
#include <config.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "instance.h"
#include "log.h"

/* Milliseconds a probe of an inet socket waits for its connect. */
#define PROBE_MS 2000

static char *own_socket; /* the unix socket file we created, and its identity */
static dev_t own_dev;
static ino_t own_ino;
static char *own_pidfile; /* the pid file we wrote, and the pid in it */
static pid_t own_pid;

/*
 * instance_connect - 1 when a connect to SA succeeds (something listens;
 * for a unix socket also a full backlog, EAGAIN), 0 when it fails, with
 * errno saying why.
 */
static int instance_connect(const struct sockaddr *sa, socklen_t len)
{
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int rc, err = 0;
    socklen_t elen = sizeof(err);

    if (fd < 0)
        return 0;
    rc = connect(fd, sa, len);
    if (rc != 0 && errno == EINPROGRESS) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        if (poll(&p, 1, PROBE_MS) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0)
            rc = err == 0 ? 0 : -1;
        else
            err = ETIMEDOUT;
    } else if (rc != 0) {
        err = errno;
    }
    close(fd);
    errno = err;
    return rc == 0 || (sa->sa_family == AF_UNIX && err == EAGAIN);
}

/*
 * instance_probe_inet - 1 when "inet:PORT@HOST" or "inet6:PORT@HOST"
 * answers a connect. Anything else is 0: nothing is removed for an inet
 * socket, and listening reports a real conflict itself.
 */
static int instance_probe_inet(const char *spec)
{
    const char *p = strchr(spec, ':') + 1, *at = strchr(p, '@');
    char port[16] = "", host[256] = "";
    size_t plen = at != NULL ? (size_t)(at - p) : strlen(p);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
    int live = 0;

    if (plen == 0 || plen >= sizeof(port))
        return 0;
    memcpy(port, p, plen);
    /* An address in brackets, as libmilter also takes it. */
    if (at != NULL && sscanf(at + 1, at[1] == '[' ? "[%255[^]]" : "%255s", host) != 1)
        host[0] = '\0';
    hints.ai_family = strncmp(spec, "inet6:", 6) == 0 ? AF_INET6 : AF_INET;
    /* No host (any address): the daemon would answer on loopback. */
    if (getaddrinfo(host[0] != '\0' ? host : NULL, port, &hints, &res) != 0)
        return 0;
    for (ai = res; ai != NULL && !live; ai = ai->ai_next)
        live = instance_connect(ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(res);
    return live;
}

/* instance_remove_stale - unlink PATH, the stale socket seen as ST, unless it changed since. */
static int instance_remove_stale(const char *path, const struct stat *st)
{
    struct stat now;

    if (lstat(path, &now) == 0 && (now.st_dev != st->st_dev || now.st_ino != st->st_ino)) {
        log_msg(LOG_ERR, NULL, "%s was replaced while it was checked; not removed", path);
        return -1;
    }
    if (unlink(path) != 0 && errno != ENOENT) {
        log_msg(LOG_ERR, NULL, "cannot remove the stale socket %s: %s", path, strerror(errno));
        return -1;
    }
    log_msg(LOG_INFO, NULL, "removed the stale socket %s (nothing listened on it)", path);
    return 0;
}

/* instance_claim_unix - PATH free, stale (removed), or live (-1). */
static int instance_claim_unix(const char *spec, const char *path)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    struct stat st;

    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        log_msg(LOG_ERR, NULL, "cannot check %s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISSOCK(st.st_mode)) {
        log_msg(LOG_ERR, NULL, "%s exists and is not a socket; not removed", path);
        return -1;
    }
    if (strlen(path) >= sizeof(sun.sun_path)) {
        log_msg(LOG_ERR, NULL, "socket path too long: %s", path);
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (instance_connect((struct sockaddr *)&sun, sizeof(sun))) {
        log_msg(LOG_ERR, NULL, "another officialmail-milter is listening on %s", spec);
        return -1;
    }
    if (errno != ECONNREFUSED && errno != ENOENT) {
        /* Not knowing whether it lives, it is not ours to remove. */
        log_msg(LOG_ERR, NULL, "cannot tell whether %s is in use: %s", path, strerror(errno));
        return -1;
    }
    return instance_remove_stale(path, &st);
}

/* instance_claim_socket - per kind of socket. */
int instance_claim_socket(const char *spec)
{
    const char *path = daemon_socket_path(spec);

    if (path != NULL)
        return instance_claim_unix(spec, path);
    if (strncmp(spec, "inet:", 5) == 0 || strncmp(spec, "inet6:", 6) == 0) {
        if (instance_probe_inet(spec)) {
            log_msg(LOG_ERR, NULL, "another officialmail-milter is listening on %s", spec);
            return -1;
        }
    }
    return 0;
}

/* instance_listen_spec - for a unix SPEC, "unix:PATH.PID" in BUF; else SPEC. NULL: too long. */
const char *instance_listen_spec(const char *spec, char *buf, size_t len)
{
    const char *path = daemon_socket_path(spec);
    struct sockaddr_un sun;

    if (path == NULL)
        return spec;
    int n = snprintf(buf, len, "unix:%s.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= len || (size_t)n - 5 >= sizeof(sun.sun_path)) {
        log_msg(LOG_ERR, NULL, "socket path too long: %s", path);
        return NULL;
    }
    (void)unlink(buf + 5); /* left by a start of ours that died halfway */
    return buf;
}

/* instance_own_socket - remember PATH's identity, to know it at exit. */
static void instance_own_socket(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0 || (own_socket = strdup(path)) == NULL)
        return;
    own_dev = st.st_dev;
    own_ino = st.st_ino;
}

/* instance_place_socket - link the socket bound at LISTEN into SPEC's path, never over another. */
int instance_place_socket(const char *listen, const char *spec)
{
    const char *path = daemon_socket_path(spec), *bound = daemon_socket_path(listen);

    if (path == NULL || bound == NULL)
        return 0;
    int rc = link(bound, path);
    int err = errno;
    (void)unlink(bound); /* libmilter's name for it: absent at exit, so libmilter removes nothing */
    if (rc != 0) {
        log_msg(LOG_ERR, NULL, "cannot listen on %s: %s%s", spec, strerror(err),
                err == EEXIST ? " (created by another process while starting; not replaced)" : "");
        return -1;
    }
    instance_own_socket(path);
    return 0;
}

/* instance_read_pid - the process id in PATH, or 0. */
static pid_t instance_read_pid(const char *path)
{
    FILE *fp = fopen(path, "r");
    long pid = 0;

    if (fp == NULL)
        return 0;
    if (fscanf(fp, "%ld", &pid) != 1 || pid <= 0)
        pid = 0;
    fclose(fp);
    return (pid_t)pid;
}

/*
 * instance_is_milter - 1 when process PID is an officialmail-milter. A pid
 * file left by a crash may name a process that took the number since; a
 * process whose name cannot be read counts as one.
 */
static int instance_is_milter(pid_t pid)
{
    char path[64], comm[64] = "";
    FILE *fp;

    snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
    if ((fp = fopen(path, "r")) == NULL)
        return 1;
    if (fgets(comm, sizeof(comm), fp) == NULL)
        comm[0] = '\0';
    fclose(fp);
    return strstr(comm, "officialmail") != NULL; /* the kernel keeps 15 characters */
}

/* instance_claim_pidfile - refuse when the pid file's process lives and is ours. */
int instance_claim_pidfile(const char *path)
{
    pid_t pid = instance_read_pid(path);

    if (pid == 0 || pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) ||
        !instance_is_milter(pid))
        return 0;
    log_msg(LOG_ERR, NULL, "another officialmail-milter is running: pid %ld in %s", (long)pid,
            path);
    return -1;
}

/* instance_own_pidfile - PATH holds getpid() now. */
void instance_own_pidfile(const char *path)
{
    free(own_pidfile);
    if ((own_pidfile = strdup(path)) != NULL)
        own_pid = getpid();
}

/* instance_release - remove what is still ours: the same socket file, a pid file with our pid. */
void instance_release(void)
{
    struct stat st;

    if (own_socket != NULL && lstat(own_socket, &st) == 0 && st.st_dev == own_dev &&
        st.st_ino == own_ino && unlink(own_socket) != 0)
        log_msg(LOG_WARNING, NULL, "cannot remove %s: %s", own_socket, strerror(errno));
    free(own_socket);
    own_socket = NULL;
    if (own_pidfile != NULL && own_pid == getpid() && instance_read_pid(own_pidfile) == own_pid &&
        unlink(own_pidfile) != 0)
        log_msg(LOG_WARNING, NULL, "cannot remove %s: %s", own_pidfile, strerror(errno));
    free(own_pidfile);
    own_pidfile = NULL;
}
