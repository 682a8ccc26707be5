/*
 * digest_send - the sendmail command without a shell, or a file.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "send.h"

/* digest_split_words - blanks separate words; there is no quoting (no shell). */
char **digest_split_words(const char *command, size_t extra, size_t *n)
{
    size_t cap = 1 + extra, count = 0;
    char **v;

    for (const char *p = command; *p != '\0'; p++)
        if (*p != ' ' && *p != '\t' && (p == command || p[-1] == ' ' || p[-1] == '\t'))
            cap++;
    if ((v = calloc(cap, sizeof(*v))) == NULL)
        return NULL;
    for (const char *p = command; *p != '\0';) {
        size_t len = strcspn(p, " \t");
        if (len == 0) {
            p++;
            continue;
        }
        if ((v[count] = strndup(p, len)) == NULL) {
            digest_free_words(v, count);
            return NULL;
        }
        count++;
        p += len;
    }
    if (count == 0) {
        free(v);
        return NULL;
    }
    *n = count;
    return v;
}

/* digest_free_words - the words we allocated, then the vector. */
void digest_free_words(char **words, size_t n)
{
    if (words == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

/* send_has_t - 1 when an option word asks for recipients from the headers (-t, -ti, -it). */
static int send_has_t(char **argv, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (argv[i][0] == '-' && argv[i][1] != '-' &&
            strspn(argv[i] + 1, "ti") == strlen(argv[i] + 1) && strchr(argv[i], 't') != NULL)
            return 1;
    return 0;
}

/* send_write_all - the whole buffer to FD, across short writes and signals. */
static int send_write_all(int fd, const char *s, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        len -= (size_t)w;
    }
    return 0;
}

/* send_child - in the child: the message pipe as stdin, then exec; errno to the parent on failure.
 */
static void send_child(char **argv, int in, int errfd)
{
    int e;

    if (dup2(in, STDIN_FILENO) >= 0)
        execvp(argv[0], argv);
    e = errno;
    /* A short write leaves the parent without the errno: it says so ("lost its status"). */
    if (write(errfd, &e, sizeof(e)) != (ssize_t)sizeof(e))
        _exit(126);
    _exit(127);
}

/* send_status - describe how the command ended; 0 when it exited 0. */
static int send_status(const char *cmd, int status, char *err, size_t errlen)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status))
        snprintf(err, errlen, "%s exited with status %d", cmd, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(err, errlen, "%s was killed by signal %d", cmd, WTERMSIG(status));
    else
        snprintf(err, errlen, "%s ended abnormally", cmd);
    return -1;
}

/* send_feed - after a successful exec: MSG to the command's stdin; 0 or an errno. */
static int send_feed(int fd, const char *msg, size_t len)
{
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    int e = 0;

    /* A command that exits without reading all its input must not kill us with SIGPIPE;
       sigaction cannot fail for SIGPIPE with a valid handler. */
    (void)sigaction(SIGPIPE, &ign, &old);
    if (send_write_all(fd, msg, len) < 0)
        e = errno;
    (void)sigaction(SIGPIPE, &old, NULL);
    return e;
}

/* send_wait - the child's wait status, across signals; 0 or -1. */
static int send_wait(pid_t pid, int *status, char *err, size_t errlen)
{
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* send_run - fork, exec ARGV, feed MSG, wait, judge the exit status. */
static int send_run(char **argv, const char *msg, size_t len, char *err, size_t errlen)
{
    int in[2] = {-1, -1}, ep[2] = {-1, -1}, status, child_errno = 0, write_errno = 0, rc = -1;
    ssize_t r;
    pid_t pid;

    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        goto out;
    }
    (void)fflush(NULL); /* what we printed must not be printed again by the child */
    if ((pid = fork()) < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        goto out;
    }
    if (pid == 0)
        send_child(argv, in[0], ep[1]);
    (void)close(in[0]), (void)close(ep[1]);
    in[0] = ep[1] = -1;
    /* EOF: the exec succeeded (close-on-exec); an int: it failed with that errno. */
    while ((r = read(ep[0], &child_errno, sizeof(child_errno))) < 0 && errno == EINTR)
        ;
    if (r == 0)
        write_errno = send_feed(in[1], msg, len);
    else if (r < 0) /* cannot tell: never let the command send an empty message */
        (void)kill(pid, SIGTERM);
    (void)close(in[1]);
    in[1] = -1;
    if (send_wait(pid, &status, err, errlen) < 0)
        goto out;
    if (r != 0)
        snprintf(err, errlen, "cannot run %s: %s", argv[0],
                 r == (ssize_t)sizeof(child_errno) ? strerror(child_errno) : "lost its status");
    else if (send_status(argv[0], status, err, errlen) == 0 && write_errno != 0)
        snprintf(err, errlen, "%s did not read the whole message: %s", argv[0],
                 strerror(write_errno));
    else
        rc = send_status(argv[0], status, err, errlen);
out:
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            (void)close(in[i]);
        if (ep[i] >= 0)
            (void)close(ep[i]);
    }
    return rc;
}

/* digest_send_command - split, add recipients when there is no -t, run. */
int digest_send_command(const char *command, const char *const *rcpts, size_t nrcpts,
                        const char *msg, size_t len, char *err, size_t errlen)
{
    size_t n = 0, words;
    char **argv = digest_split_words(command, nrcpts + 1, &n);
    int rc = -1;

    if (argv == NULL) {
        snprintf(err, errlen, "sendmail_command is empty (or out of memory)");
        return -1;
    }
    words = n;
    if (!send_has_t(argv, n)) {
        argv[n++] = (char *)"--";
        for (size_t i = 0; i < nrcpts; i++) {
            if (rcpts[i][0] == '-') { /* it would read as an option */
                snprintf(err, errlen, "recipient %zu starts with '-'", i + 1);
                goto out;
            }
            argv[n++] = (char *)rcpts[i];
        }
    }
    argv[n] = NULL;
    rc = send_run(argv, msg, len, err, errlen);
out:
    digest_free_words(argv, words);
    return rc;
}

/* digest_write_file - temporary file, then rename over NAME. */
int digest_write_file(const char *dir, const char *name, const char *msg, size_t len, char *err,
                      size_t errlen)
{
    char path[4096], tmp[4096];
    int fd = -1, rc = -1, made = 0;
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
    int m = snprintf(tmp, sizeof(tmp), "%s/.%s.%ld.tmp", dir, name, (long)getpid());

    if (n < 0 || (size_t)n >= sizeof(path) || m < 0 || (size_t)m >= sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", dir);
        goto out;
    }
    /* O_NOFOLLOW: a link planted under the temporary name is not written through. */
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    made = 1;
    if (send_write_all(fd, msg, len) < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    n = close(fd);
    fd = -1;
    if (n < 0) { /* a full disk may show only here */
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    if (rename(tmp, path) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    made = 0;
    rc = 0;
out:
    if (fd >= 0)
        (void)close(fd);
    if (made)
        (void)unlink(tmp);
    return rc;
}
