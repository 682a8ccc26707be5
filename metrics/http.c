/*
 * metrics_http - /metrics and /healthz over libmicrohttpd.
 */
#include <config.h>

#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

struct metrics_http {
    struct MHD_Daemon *d;
    struct metrics_http_handlers h;
};

/* metrics_listen_parse - split HOST:PORT and resolve it (numeric port). */
int metrics_listen_parse(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen,
                         char *err, size_t errlen)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    const char *h = listen;
    size_t hlen;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai = NULL;

    if (colon == NULL || colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
        atoi(colon + 1) < 1 || atoi(colon + 1) > 65535) {
        snprintf(err, errlen, "%s is not HOST:PORT", listen);
        return -1;
    }
    hlen = (size_t)(colon - listen);
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    if (hlen == 0 || hlen >= sizeof(host)) {
        snprintf(err, errlen, "%s is not HOST:PORT", listen);
        return -1;
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0 || ai == NULL || ai->ai_addrlen > sizeof(*ss)) {
        snprintf(err, errlen, "%s: %s", listen, rc != 0 ? gai_strerror(rc) : "no address");
        if (ai != NULL)
            freeaddrinfo(ai);
        return -1;
    }
    memset(ss, 0, sizeof(*ss));
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *sslen = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

/* metrics_http_reply - queue STATUS with BODY (LEN bytes) of TYPE. */
static enum MHD_Result metrics_http_reply(struct MHD_Connection *c, unsigned status,
                                          const char *body, size_t len, const char *type)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result rc;

    if (r == NULL)
        return MHD_NO;
    (void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    (void)MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

/* metrics_http_metrics - the exposition text, or 500 when out of memory. */
static enum MHD_Result metrics_http_metrics(struct metrics_http *s, struct MHD_Connection *c)
{
    struct prom_out o;
    enum MHD_Result rc;

    prom_out_init(&o);
    s->h.render(s->h.arg, &o);
    if (o.failed)
        rc = metrics_http_reply(c, 500, "out of memory\n", 14, "text/plain; charset=utf-8");
    else
        rc = metrics_http_reply(c, 200, o.s ? o.s : "", o.len,
                                "text/plain; version=0.0.4; charset=utf-8");
    prom_out_free(&o);
    return rc;
}

/* metrics_http_health - "ok", or "unhealthy: REASON" with 503. */
static enum MHD_Result metrics_http_health(struct metrics_http *s, struct MHD_Connection *c)
{
    char reason[256], body[300];

    if (s->h.health(s->h.arg, reason, sizeof(reason)) == 0)
        return metrics_http_reply(c, 200, "ok\n", 3, "text/plain; charset=utf-8");
    /* One line: a reason never carries a line break of its own. */
    reason[strcspn(reason, "\r\n")] = '\0';
    int n = snprintf(body, sizeof(body), "unhealthy: %s\n", reason);
    return metrics_http_reply(c, 503, body, n < (int)sizeof(body) ? (size_t)n : sizeof(body) - 1,
                              "text/plain; charset=utf-8");
}

/* metrics_http_request - route GET/HEAD /metrics and /healthz. */
static enum MHD_Result metrics_http_request(void *cls, struct MHD_Connection *c, const char *url,
                                            const char *method, const char *version,
                                            const char *upload, size_t *upload_len, void **state)
{
    struct metrics_http *s = cls;

    (void)version;
    (void)upload;
    (void)state;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        *upload_len = 0; /* no body is read */
        return metrics_http_reply(c, 405, "method not allowed\n", 19, "text/plain; charset=utf-8");
    }
    if (strcmp(url, "/metrics") == 0)
        return metrics_http_metrics(s, c);
    if (strcmp(url, "/healthz") == 0)
        return metrics_http_health(s, c);
    return metrics_http_reply(c, 404, "not found\n", 10, "text/plain; charset=utf-8");
}

/* metrics_http_start - one polling thread, bounded connections and time. */
struct metrics_http *metrics_http_start(const char *listen, const struct metrics_http_handlers *h,
                                        char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    struct metrics_http *s;

    if (metrics_listen_parse(listen, &ss, &sslen, err, errlen) < 0)
        return NULL;
    if ((s = calloc(1, sizeof(*s))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->h = *h;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, metrics_http_request, s, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)METRICS_HTTP_CONNECTIONS, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                            (unsigned)METRICS_HTTP_PER_IP, MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned)METRICS_HTTP_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                            (size_t)32768, MHD_OPTION_END);
    if (s->d == NULL) {
        snprintf(err, errlen, "cannot listen on %s (address in use, or not this host's)", listen);
        free(s);
        return NULL;
    }
    return s;
}

/* metrics_http_stop - stop the thread and free. */
void metrics_http_stop(struct metrics_http *s)
{
    if (s == NULL)
        return;
    MHD_stop_daemon(s->d);
    free(s);
}
