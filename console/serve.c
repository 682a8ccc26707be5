/*
 * serve - the console's process: open the log (read, and append for the
 * marks), read the certificate, listen, wait for SIGTERM or SIGINT.
 *
 * Plain HTTP only on loopback (SPEC 11): a console reachable from the
 * network without TLS would send passwords and session cookies in the
 * clear, so serve refuses to start that way; behind a reverse proxy it
 * listens on loopback.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "config_load.h"
#include "console.h"
#include "http.h"
#include "marks_pg.h"
#include "policy.h"
#include "serve.h"
#include "review_pg.h"
#include "store.h"
#include "store_pg.h"

#define SERVE_MAX_SESSIONS 1024
#define SERVE_MAX_PEM (1024 * 1024)

/* serve_loopback - 127.0.0.0/8 and ::1. */
int serve_loopback(const char *addr, int family)
{
    unsigned char b[16];

    if (inet_pton(family, addr, b) != 1)
        return 0;
    if (family == AF_INET)
        return b[0] == 127;
    static const unsigned char one[16] = {[15] = 1};
    return memcmp(b, one, 16) == 0;
}

/* serve_read_pem - the whole of PATH, a new string; NULL after saying why. */
static char *serve_read_pem(const char *path)
{
    FILE *fp = fopen(path, "re");
    char *buf = NULL;
    size_t n = 0;

    if (fp == NULL) {
        fprintf(stderr, "officialmail serve: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if ((buf = malloc(SERVE_MAX_PEM + 1)) != NULL)
        n = fread(buf, 1, SERVE_MAX_PEM + 1, fp);
    if (buf == NULL || ferror(fp) || n > SERVE_MAX_PEM) {
        fprintf(stderr, "officialmail serve: cannot read %s (or it is over 1 MiB)\n", path);
        free(buf);
        buf = NULL;
    } else {
        buf[n] = '\0';
    }
    fclose(fp);
    return buf;
}

/* serve_address - SS = the listening address of O, checked against the TLS rule. */
static int serve_address(const struct policy *p, const struct serve_options *o,
                         struct sockaddr_storage *ss, int *ipv6)
{
    char addr[64];
    int family, port;

    memset(ss, 0, sizeof(*ss));
    if (config_console_listen(o->listen, addr, sizeof(addr), &family, &port) < 0) {
        fprintf(stderr, "officialmail serve: %s is not ADDRESS:PORT\n", o->listen);
        return -1;
    }
    if (p->console_cert == NULL && !serve_loopback(addr, family)) {
        fprintf(stderr,
                "officialmail serve: plain HTTP is served only on a loopback address, not on "
                "%s: set console_cert and console_key for HTTPS, or listen on 127.0.0.1 behind "
                "a reverse proxy\n",
                o->listen);
        return -1;
    }
    *ipv6 = family == AF_INET6;
    if (*ipv6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        inet_pton(AF_INET6, addr, &s6->sin6_addr);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)port);
        inet_pton(AF_INET, addr, &s4->sin_addr);
    }
    return 0;
}

/* serve_open_central - the central log's one connection, read by both. */
static int serve_open_central(struct console *c, const struct serve_options *o)
{
    char err[512];
    struct pgstore *pg = pgstore_open(o->central, err, sizeof(err));

    if (pg == NULL) {
        fprintf(stderr, "officialmail serve: cannot open the central log: %s\n", err);
        return -1;
    }
    c->store = pgstore_base(pg); /* store_close() disconnects */
    c->central = 1;
    c->pg = pg;
    if ((c->rv = review_pg_open(pg)) == NULL) {
        fprintf(stderr, "officialmail serve: out of memory\n");
        return -1;
    }
    /* A reader's role still serves every page; its record pages say why there is no form. */
    if ((c->can_mark = marks_pg_can_add(pg, err, sizeof(err))) < 0)
        fprintf(stderr, "officialmail serve: %s\n", err);
    if (c->can_mark <= 0)
        fprintf(stderr,
                "officialmail serve: role %s may not append review marks to the central log "
                "(officialmail central-schema --add-console gives it that right)\n",
                pgstore_user(pg));
    c->can_mark = c->can_mark > 0;
    return 0;
}

/* serve_open - the log's two connections and the tables. */
static int serve_open(struct console *c, const struct serve_options *o)
{
    char err[512];

    if (o->central != NULL) {
        if (serve_open_central(c, o) < 0)
            return -1;
    } else if ((c->store = store_open(o->database, STORE_READ, 5000, err, sizeof(err))) == NULL ||
               (c->rv = review_open(o->database, 1, 5000, err, sizeof(err))) == NULL) {
        fprintf(stderr,
                "officialmail serve: cannot open the violation log %s (the console reads it "
                "and appends review marks to it): %s\n",
                o->database, err);
        return -1;
    }
    c->sessions = sessions_new(SERVE_MAX_SESSIONS, o->idle);
    c->limits = ratelimit_new();
    if (c->sessions == NULL || c->limits == NULL) {
        fprintf(stderr, "officialmail serve: out of memory\n");
        return -1;
    }
    return 0;
}

/* serve_block - block SIGTERM and SIGINT, which sigwait() takes (the server's thread inherits the
 * mask). */
static void serve_block(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* serve_run - the whole life of the server. */
int serve_run(struct policy *p, const struct serve_options *o)
{
    struct console c = {.policy = p, .config = o->config, .db_path = o->database, .can_mark = 1};
    struct sockaddr_storage ss;
    struct MHD_Daemon *d = NULL;
    char *cert = NULL, *key = NULL;
    sigset_t set;
    int ipv6, sig, status = 1;

    if (serve_address(p, o, &ss, &ipv6) < 0)
        return 1;
    if (p->console_cert != NULL && ((cert = serve_read_pem(p->console_cert)) == NULL ||
                                    (key = serve_read_pem(p->console_key)) == NULL))
        goto out;
    c.https = cert != NULL;
    if (serve_open(&c, o) < 0)
        goto out;
    openlog("officialmail", LOG_PID, LOG_AUTHPRIV);
    serve_block(&set);
    if ((d = http_start(&c, (struct sockaddr *)&ss, ipv6, cert, key)) == NULL) {
        fprintf(stderr, "officialmail serve: cannot listen on %s\n", o->listen);
        goto out;
    }
    fprintf(stderr, "officialmail serve: listening on %s://%s/\n", c.https ? "https" : "http",
            o->listen);
    syslog(LOG_AUTHPRIV | LOG_INFO, "console: listening on %s", o->listen);
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "officialmail serve: stopping on signal %d\n", sig);
    status = 0;
out:
    if (d != NULL)
        MHD_stop_daemon(d);
    if (key != NULL)
        memset(key, 0, strlen(key));
    free(cert);
    free(key);
    sessions_free(c.sessions);
    ratelimit_free(c.limits);
    review_close(c.rv);
    store_close(c.store);
    return status;
}
