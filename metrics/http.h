/*
 * metrics_http - the small HTTP server of GET /metrics and GET /healthz
 * (libmicrohttpd), shared by officialmail-milter, `officialmail alert`
 * and `officialmail ship`.
 *
 * Purpose: a scraper reads counters; it must never make mail wait. The
 * server runs one thread of its own (libmicrohttpd's internal polling
 * thread), renders from lock-free counters, and bounds what a slow or
 * hostile client can hold: a few connections in all and per address,
 * an idle timeout of a few seconds, a small memory budget per
 * connection, no request body read. Anything but GET or HEAD of the two
 * paths is 404 or 405.
 *
 * /healthz answers 200 "ok" or 503 "unhealthy: REASON" (one line).
 *
 * Ownership: the server borrows the handlers' argument until stopped.
 * Thread safety: the handlers run in the server's thread.
 */
#ifndef OM_METRICS_HTTP_H
#define OM_METRICS_HTTP_H

#include <stddef.h>
#include <sys/socket.h>

#include "prom.h"

/* Connections the server keeps at once, in all and per client address. */
#define METRICS_HTTP_CONNECTIONS 8
#define METRICS_HTTP_PER_IP 4
/* Seconds an idle or slow connection is kept. */
#define METRICS_HTTP_TIMEOUT 5

struct metrics_http_handlers {
    /* render - the whole /metrics text into O. */
    void (*render)(void *arg, struct prom_out *o);
    /* health - 0 when healthy, else 1 with the reason in REASON (LEN bytes). */
    int (*health)(void *arg, char *reason, size_t len);
    void *arg;
};

struct metrics_http;

/*
 * metrics_listen_parse - "HOST:PORT" or "[V6]:PORT" (HOST an address or a
 * name resolved now) into SS. 0, or -1 with the reason in ERR.
 */
int metrics_listen_parse(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen,
                         char *err, size_t errlen);

/* metrics_http_start - listen on LISTEN and serve H. NULL with the reason in ERR. */
struct metrics_http *metrics_http_start(const char *listen, const struct metrics_http_handlers *h,
                                        char *err, size_t errlen);

/* metrics_http_stop - close the listener and the connections; NULL ok. */
void metrics_http_stop(struct metrics_http *s);

#endif
