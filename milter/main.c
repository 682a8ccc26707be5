/*
 * officialmail-milter - the official-domain-only policy inside the MTA.
 *
 * Threads: libmilter runs in a thread of its own; the main thread owns
 * the signals. libmilter blocks SIGHUP, SIGTERM and SIGINT in its
 * threads and stops on any of them, so the main thread, which the kernel
 * prefers for a signal sent to the process, keeps them unblocked with
 * handlers that only write a byte to a pipe: SIGHUP then reloads the
 * configuration instead of stopping, and SIGTERM/SIGINT answer new
 * connections and messages 421, let the messages in flight finish, and
 * only then stop libmilter (which drops its sessions when it stops) and
 * exit 0.
 */
#include <config.h>

#include <errno.h>
#include <libmilter/mfapi.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_load.h"
#include "daemon.h"
#include "dkim.h"
#include "dns.h"
#include "holder.h"
#include "instance.h"
#include "log.h"
#include "options.h"
#include "record_out.h"
#include "spf.h"
#include "verify.h"
#include "writer.h"

/* Seconds that messages in flight get to finish at shutdown. */
#define DRAIN_SECONDS 30

static int signal_pipe[2] = {-1, -1};

/* main_on_signal - async-signal-safe: hand the signal to the main loop. */
static void main_on_signal(int sig)
{
    char c = (char)sig;
    int saved = errno;

    (void)!write(signal_pipe[1], &c, 1);
    errno = saved;
}

/* main_milter_thread - libmilter's main loop; says when it returns. */
static void *main_milter_thread(void *arg)
{
    char c = 'x';

    (void)arg;
    if (smfi_main() != MI_SUCCESS)
        log_msg(LOG_ERR, NULL, "libmilter stopped with an error");
    (void)!write(signal_pipe[1], &c, 1);
    return NULL;
}

/* main_report - loader diagnostics at start go to standard error. */
static void main_report(void *arg, enum config_severity sev, const char *msg)
{
    (void)arg;
    fprintf(stderr, "%s%s\n", sev == CONFIG_WARNING ? "warning: " : "", msg);
}

/* main_signals - handlers for HUP, TERM, INT; SIGPIPE ignored. */
static int main_signals(void)
{
    struct sigaction sa;

    if (pipe(signal_pipe) != 0)
        return -1;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = main_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGHUP, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0 ||
        sigaction(SIGINT, &sa, NULL) != 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

/* main_loop - reload on HUP; return on TERM, INT or libmilter's end. */
static int main_loop(void)
{
    char c;

    for (;;) {
        ssize_t n = read(signal_pipe[0], &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || c == 'x') {
            log_msg(LOG_WARNING, NULL, "libmilter stopped; shutting down");
            holder_stop_accepting();
            return holder_drain(DRAIN_SECONDS);
        }
        if (c == SIGHUP) {
            (void)holder_reload();
            dns_reload(); /* the next lookups read /etc/resolv.conf again */
            continue;
        }
        log_msg(LOG_INFO, NULL, "%s: stopping after the messages in flight",
                c == SIGTERM ? "SIGTERM" : "SIGINT");
        holder_stop_accepting();
        int left = holder_drain(DRAIN_SECONDS);
        if (left > 0)
            log_msg(LOG_WARNING, NULL, "%d messages still in flight after %d s", left,
                    DRAIN_SECONDS);
        smfi_stop();
        return left;
    }
}

/* main_writer_log - the violation log writer's messages. */
static void main_writer_log(int priority, const char *msg)
{
    log_msg(priority, NULL, "%s", msg);
}

/* main_auth_start - the process's resolver pool, SPF server and DKIM library; exits on failure. */
static void main_auth_start(void)
{
    char err[256] = "out of memory";

    if (dns_start() < 0 || spf_start(err, sizeof(err)) < 0 || dkim_start(err, sizeof(err)) < 0) {
        log_msg(LOG_ERR, NULL, "cannot start SPF and DKIM: %s", err);
        exit(1);
    }
}

/* main_auth_stop - their end, after the last message. */
static void main_auth_stop(void)
{
    dkim_stop();
    spf_stop();
    dns_stop();
}

/* Seconds the violation log gets at exit to commit what is queued. */
#define FLUSH_MS 10000

/* main_start - everything before serving; exits on failure. */
static struct policy *main_start(const struct options *o, const char **sock)
{
    struct policy *p = config_load(o->config, time(NULL), main_report, NULL);

    if (p == NULL) {
        log_msg(LOG_ERR, NULL, "%s: configuration not usable", o->config);
        exit(1);
    }
    if (o->check_only) {
        printf("%s: configuration OK\n", o->config);
        policy_unref(p);
        exit(0);
    }
    *sock = o->socket ? o->socket : p->socket;
    /* Another daemon's pid file or socket: stop before touching either. */
    if ((o->pidfile != NULL && instance_claim_pidfile(o->pidfile) < 0) ||
        daemon_open_socket(*sock) < 0)
        exit(1);
    /* What can fail is tried while standard error still reaches the administrator. */
    if (o->user != NULL && getpwnam(o->user) == NULL) {
        log_msg(LOG_ERR, NULL, "no user '%s'", o->user);
        exit(1);
    }
    /* Created empty now (errors still reach the terminal), filled once detached. */
    if (o->pidfile != NULL && daemon_create_pidfile(o->pidfile) < 0)
        exit(1);
    if (!o->foreground && daemon_detach() < 0) {
        log_msg(LOG_ERR, NULL, "cannot detach: %s", strerror(errno));
        exit(1);
    }
    log_init(o->foreground); /* detached, standard error is /dev/null */
    if (o->pidfile != NULL && daemon_write_pidfile(o->pidfile) < 0)
        exit(1);
    if (o->user != NULL &&
        daemon_drop_privileges(o->user, daemon_socket_path(*sock), o->pidfile) < 0)
        exit(1);
    return p;
}

int main(int argc, char **argv)
{
    struct options o;
    const char *sock;
    pthread_t milter;
    int rc = options_parse(argc, argv, &o);

    if (rc != 0)
        return rc > 0 ? 0 : 2;
    log_init(1);              /* until detached, errors reach the terminal too */
    atexit(instance_release); /* a start that fails halfway leaves no socket behind */
    /* The daemon runs in /: a relative -c must still name the file on SIGHUP. */
    char config_abs[PATH_MAX];
    if (realpath(o.config, config_abs) != NULL)
        o.config = config_abs;
    struct policy *p = main_start(&o, &sock);
    /* The socket string may live in the policy: keep a copy past reloads. */
    char *sock_copy = strdup(sock);
    if (sock_copy == NULL)
        return 1;
    char err[512];
    struct writer *w = writer_new(p->database, main_writer_log, err, sizeof(err));
    if (w == NULL) {
        log_msg(LOG_ERR, NULL, "cannot start the violation log: %s", err);
        return 1;
    }
    record_out_init(w);
    main_auth_start();
    holder_pin(o.socket != NULL ? NULL : sock_copy, p->database);
    if (holder_init(p, o.config) < 0 || main_signals() < 0 ||
        pthread_create(&milter, NULL, main_milter_thread, NULL) != 0) {
        log_msg(LOG_ERR, NULL, "cannot start: %s", strerror(errno));
        return 1;
    }
    log_msg(LOG_INFO, NULL, "officialmail-milter %s listening on %s with %s", PACKAGE_VERSION,
            sock_copy, o.config);
    int left = main_loop();
    pthread_join(milter, NULL);
    instance_release(); /* only files that are still ours */
    if (left > 0) {
        /* Sessions still hold the writer, the policy and the resolvers:
           commit what is queued and leave without freeing under them. */
        writer_flush(w, FLUSH_MS);
        log_msg(LOG_WARNING, NULL, "stopped with %d messages unfinished", left);
        _exit(0);
    }
    writer_free(w, FLUSH_MS);
    holder_shutdown();
    main_auth_stop();
    log_msg(LOG_INFO, NULL, "stopped");
    free(sock_copy);
    return 0;
}
