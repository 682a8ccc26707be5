/*
 * daemon - socket, privileges, detaching, pid file.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <libmilter/mfapi.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callbacks.h"
#include "daemon.h"
#include "instance.h"
#include "log.h"

/* daemon_socket_path - the path after "unix:" or "local:". */
const char *daemon_socket_path(const char *spec)
{
    if (strncmp(spec, "unix:", 5) == 0)
        return spec + 5;
    if (strncmp(spec, "local:", 6) == 0)
        return spec + 6;
    return NULL;
}

/*
 * daemon_tcp_nodelay - TCP_NODELAY on libmilter's listening TCP socket,
 * which accepted connections inherit (Linux). A reply at end of message
 * can be two writes (a quarantine or a header, then the verdict); with
 * Nagle the second waits for the MTA's delayed ACK, 40 ms a message
 * (measured: p99 46 ms over inet without this, 0.5 ms over unix).
 * libmilter keeps its socket to itself, so it is found among our fds: at
 * this point it is the only one listening.
 */
static void daemon_tcp_nodelay(void)
{
    for (int fd = 3; fd < 1024; fd++) {
        int listening = 0, one = 1;
        socklen_t len = sizeof(listening);
        struct sockaddr_storage ss;
        socklen_t slen = sizeof(ss);
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening ||
            getsockname(fd, (struct sockaddr *)&ss, &slen) != 0 ||
            (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
            continue;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0)
            log_msg(LOG_ERR, NULL, "TCP_NODELAY: %s", strerror(errno));
    }
}

/* daemon_open_socket - smfi_register, smfi_setconn, smfi_opensocket. */
int daemon_open_socket(const char *spec)
{
    const char *path = daemon_socket_path(spec), *listen;
    char buf[160];

    /* A live socket is another daemon's: libmilter is never asked to remove it. */
    if (instance_claim_socket(spec) < 0 ||
        (listen = instance_listen_spec(spec, buf, sizeof(buf))) == NULL)
        return -1;
    if (smfi_register(*callbacks_desc()) != MI_SUCCESS) {
        log_msg(LOG_ERR, NULL, "smfi_register failed");
        return -1;
    }
    if (smfi_setconn((char *)listen) != MI_SUCCESS) {
        log_msg(LOG_ERR, NULL, "bad socket '%s'", spec);
        return -1;
    }
    /* The socket file is created with the umask: group members may connect. */
    mode_t old = umask(0007);
    int rc = smfi_opensocket(0);
    umask(old);
    if (rc != MI_SUCCESS) {
        log_msg(LOG_ERR, NULL, "cannot listen on %s: %s", spec,
                errno ? strerror(errno)
                      : "not a socket libmilter knows (unix:PATH, inet:PORT@HOST, "
                        "inet6:PORT@HOST)");
        return -1;
    }
    if (instance_place_socket(listen, spec) < 0)
        return -1;
    if (path == NULL)
        daemon_tcp_nodelay();
    if (path != NULL && chmod(path, 0660) != 0) {
        log_msg(LOG_ERR, NULL, "chmod %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* daemon_give - chown PATH to UID:GID when it exists. */
static int daemon_give(const char *path, uid_t uid, gid_t gid)
{
    if (path == NULL || chown(path, uid, gid) == 0 || errno == ENOENT)
        return 0;
    log_msg(LOG_ERR, NULL, "chown %s: %s", path, strerror(errno));
    return -1;
}

/* daemon_drop_privileges - setgid, initgroups, setuid, and check. */
int daemon_drop_privileges(const char *user, const char *socket_path, const char *pidfile)
{
    struct passwd *pw = getpwnam(user);

    if (pw == NULL) {
        log_msg(LOG_ERR, NULL, "no user '%s'", user);
        return -1;
    }
    if (daemon_give(socket_path, pw->pw_uid, pw->pw_gid) < 0 ||
        daemon_give(pidfile, pw->pw_uid, pw->pw_gid) < 0)
        return -1;
    if (setgid(pw->pw_gid) != 0 || initgroups(pw->pw_name, pw->pw_gid) != 0 ||
        setuid(pw->pw_uid) != 0) {
        log_msg(LOG_ERR, NULL, "cannot become %s: %s", user, strerror(errno));
        return -1;
    }
    if (pw->pw_uid != 0 && setuid(0) == 0) {
        log_msg(LOG_ERR, NULL, "privileges were not dropped");
        return -1;
    }
    return 0;
}

/* daemon_detach - the classic double step: fork, setsid, fork. */
int daemon_detach(void)
{
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    if (setsid() < 0)
        return -1;
    if ((pid = fork()) < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    if (chdir("/") != 0)
        return -1;
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        return -1;
    for (int i = 0; i < 3; i++)
        if (dup2(fd, i) < 0)
            return -1;
    if (fd > 2)
        close(fd);
    return 0;
}

/* daemon_create_pidfile - create PATH empty, so that a failure shows before detaching. */
int daemon_create_pidfile(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0) {
        log_msg(LOG_ERR, NULL, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

/* daemon_write_pidfile - one line with the process id. */
int daemon_write_pidfile(const char *path)
{
    FILE *fp = fopen(path, "w");
    int bad;

    if (fp == NULL) {
        log_msg(LOG_ERR, NULL, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    bad = fprintf(fp, "%ld\n", (long)getpid()) < 0;
    bad |= fclose(fp) != 0;
    if (bad) {
        log_msg(LOG_ERR, NULL, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    instance_own_pidfile(path);
    return 0;
}
