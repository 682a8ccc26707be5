/*
 * serve - `officialmail serve`: the review console's process (serve.c).
 */
#ifndef OM_SERVE_H
#define OM_SERVE_H

struct policy;

struct serve_options {
    const char *config;   /* -c as given (NULL: the default) */
    const char *database; /* the log */
    const char *central;  /* a libpq conninfo: serve the central log instead */
    const char *listen;   /* ADDR:PORT */
    long long idle;       /* seconds a session may stay unused */
};

/*
 * serve_run - listen and answer until SIGTERM or SIGINT. The exit
 * status: 0 after a signal, 1 when it could not start (said on stderr).
 */
int serve_run(struct policy *p, const struct serve_options *o);

/* serve_loopback - 1 when ADDR (an IPv4 or IPv6 address) is a loopback address. */
int serve_loopback(const char *addr, int family);

#endif
