/*
 * http - the console's HTTP(S) server on libmicrohttpd (GnuTLS for
 * HTTPS): reads each request whole and bounded, checks its parameters
 * (UTF-8, sizes, no duplicates), finds the session, routes to a page,
 * and sends the answer with the headers every page gets.
 *
 * Bounds: a POST body over HTTP_MAX_BODY, more than REQ_MAX_PARAMS
 * parameters, a key over 32 bytes, a value over HTTP_MAX_VALUE or all of
 * them over HTTP_MAX_QUERY are a 400 page; libmicrohttpd answers a
 * request line or header past its memory limit itself (414/431). No
 * request reaches a page with bytes that are not UTF-8.
 *
 * Headers: every answer has Cache-Control: no-store (so that Back after
 * logout shows nothing), a Content-Security-Policy without any script
 * source, nosniff, no referrer and no framing but the digest's own.
 */
#include <config.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "http.h"
#include "tmpl.h"

#define HTTP_MAX_BODY 16384
#define HTTP_MAX_QUERY 8192
#define HTTP_MAX_VALUE 2048
#define HTTP_MAX_KEY 32

static const char page_csp[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-src 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'";

/* What a connection keeps between the calls of one request. */
struct conn_state {
    char body[HTTP_MAX_BODY + 1];
    size_t len;
    int too_big;
};

/* http_hex - the value of hex digit C, or -1. */
static int http_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* http_decode - form-decode S[0..N) ('+' is a space, %XX a byte) into a new string. */
static char *http_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%') {
            int h = i + 2 < n ? http_hex(s[i + 1]) : -1, l = h >= 0 ? http_hex(s[i + 2]) : -1;
            if (h < 0 || l < 0 || (h == 0 && l == 0)) {
                free(out);
                return NULL;
            }
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

/* http_add_param - KEY=VALUE (both given away) after the checks of the header. */
static int http_add_param(struct req *r, char *key, char *value, size_t *total)
{
    int ok = key != NULL && value != NULL && r->nparams < REQ_MAX_PARAMS && key[0] != '\0' &&
             strlen(key) <= HTTP_MAX_KEY && strlen(value) <= HTTP_MAX_VALUE && tmpl_utf8_ok(key) &&
             tmpl_utf8_ok(value) && req_param(r, key) == NULL;

    if (ok)
        *total += strlen(key) + strlen(value);
    if (!ok || *total > HTTP_MAX_QUERY) {
        free(key);
        free(value);
        return -1;
    }
    r->params[r->nparams].key = key;
    r->params[r->nparams++].value = value;
    return 0;
}

/* http_form - the parameters of an application/x-www-form-urlencoded body. */
static int http_form(struct req *r, const char *body, size_t len)
{
    size_t total = 0;

    if (strlen(body) != len)
        return -1; /* a NUL in the body */
    while (*body != '\0') {
        size_t n = strcspn(body, "&"), k = strcspn(body, "=");
        if (n > 0) {
            size_t klen = k < n ? k : n;
            char *key = http_decode(body, klen);
            char *value = k < n ? http_decode(body + k + 1, n - k - 1) : strdup("");
            if (http_add_param(r, key, value, &total) < 0)
                return -1;
        }
        body += n + (body[n] == '&');
    }
    return 0;
}

struct get_walk {
    struct req *r;
    size_t total;
    int bad;
};

/* http_get_arg - one query argument as libmicrohttpd decoded it (a %00 in it is refused). */
static enum MHD_Result http_get_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                    size_t key_size, const char *value, size_t value_size)
{
    struct get_walk *w = cls;

    if (key_size == 0 && (value == NULL || value_size == 0))
        return MHD_YES; /* "?&a=b": an empty piece between separators carries nothing */
    if (strlen(key) != key_size || (value != NULL && strlen(value) != value_size) ||
        http_add_param(w->r, strdup(key), strdup(value ? value : ""), &w->total) < 0) {
        w->bad = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

/* http_client - the peer's address as text. */
static void http_client(struct MHD_Connection *conn, char *out, size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(out, len, "unknown");
    if (sa != NULL && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)len);
    else if (sa != NULL && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)len);
}

/* http_id - the number after PREFIX in PATH (then SUFFIX, which ends it), or -1. */
static long long http_id(const char *path, const char *prefix, const char *suffix)
{
    size_t pl = strlen(prefix), dl;
    const char *d = path + pl;

    if (strncmp(path, prefix, pl) != 0)
        return -1;
    dl = strspn(d, "0123456789");
    if (dl == 0 || dl > 15 || d[0] == '0' || strcmp(d + dl, suffix) != 0)
        return -1;
    return strtoll(d, NULL, 10);
}

/* http_route_get - the pages behind the login, by path. */
static int http_route_get(struct req *r)
{
    const char *p = r->path;
    long long id;

    if (strcmp(p, "/") == 0)
        return page_overview(r);
    if (strcmp(p, "/records") == 0)
        return page_records(r);
    if (strcmp(p, "/records.csv") == 0)
        return page_export(r, 0);
    if (strcmp(p, "/records.json") == 0)
        return page_export(r, 1);
    if ((id = http_id(p, "/record/", "")) > 0)
        return page_record(r, id);
    if (strcmp(p, "/held") == 0)
        return page_held(r);
    if (strcmp(p, "/departments") == 0)
        return page_departments(r);
    if (strcmp(p, "/department") == 0)
        return page_department(r);
    if (strcmp(p, "/verify") == 0)
        return page_verify(r);
    if (strcmp(p, "/digest") == 0)
        return page_digest(r, 0);
    if (strcmp(p, "/digest/body") == 0)
        return page_digest(r, 1);
    return req_error(r, 404, "There is no such page.");
}

/* http_route - login and the stylesheet for anyone; the rest needs a session. */
static int http_route(struct req *r)
{
    int get = strcmp(r->method, "GET") == 0;
    long long id;

    if (!get && strcmp(r->method, "POST") != 0)
        return req_error(r, 405, "Only GET and POST are answered.");
    if (strcmp(r->path, "/style.css") == 0 && get)
        return layout_css(r);
    if (strcmp(r->path, "/login") == 0)
        return page_login(r);
    if (r->s == NULL)
        return get ? req_redirect(r, "/login") : req_error(r, 403, "Log in first.");
    if (get)
        return http_route_get(r);
    /* Every form behind the login carries the session's CSRF token. */
    if (!req_csrf_ok(r))
        return req_error(r, 403,
                         "The form's security token is missing or wrong; "
                         "reload the page and try again.");
    if (strcmp(r->path, "/logout") == 0)
        return page_logout(r);
    if ((id = http_id(r->path, "/record/", "/mark")) > 0)
        return page_mark(r, id);
    return req_error(r, 404, "There is no such form.");
}

/* http_respond - the answer with the common headers. */
static enum MHD_Result http_respond(struct MHD_Connection *conn, struct req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (dbuf_failed(&r->body)) {
        dbuf_free(&r->body);
        r->status = 500;
        dbuf_add(&r->body, "Internal error\n");
        r->ctype = "text/plain; charset=utf-8";
        r->location[0] = r->set_cookie[0] = r->disposition[0] = '\0';
    }
    resp = MHD_create_response_from_buffer(dbuf_len(&r->body), (void *)dbuf_str(&r->body),
                                           MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/plain");
    MHD_add_response_header(resp, "Content-Security-Policy", r->csp ? r->csp : page_csp);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (r->csp == NULL)
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (r->location[0] != '\0')
        MHD_add_response_header(resp, "Location", r->location);
    if (r->set_cookie[0] != '\0')
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->disposition[0] != '\0')
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* http_answer - build the request, route it, answer. */
static enum MHD_Result http_answer(struct console *c, struct MHD_Connection *conn,
                                   const char *method, const char *url, struct conn_state *st)
{
    struct req r = {.c = c, .method = method, .path = url, .status = 200};
    struct session s;
    char client[64];
    int bad = strlen(url) > 256 || !tmpl_utf8_ok(url) || st->too_big;

    http_client(conn, client, sizeof(client));
    r.client = client;
    if (!bad && strcmp(method, "POST") == 0) {
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        st->body[st->len] = '\0';
        bad = ct == NULL || strncmp(ct, "application/x-www-form-urlencoded", 33) != 0 ||
              http_form(&r, st->body, st->len) < 0;
    } else if (!bad) {
        struct get_walk w = {.r = &r};
        MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, http_get_arg, &w);
        bad = w.bad;
    }
    r.cookie_sid = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, HTTP_SESSION_COOKIE);
    r.cookie_login = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, HTTP_LOGIN_COOKIE);
    if (session_lookup(c->sessions, r.cookie_sid, session_now(), &s) == 1)
        r.s = &s;
    if (bad)
        req_error(&r, 400,
                  "The request is malformed: too long, not UTF-8, or with a "
                  "parameter given twice.");
    else
        http_route(&r);
    enum MHD_Result ret = http_respond(conn, &r);
    if (r.s != NULL)
        session_clear(&s);
    for (size_t i = 0; i < r.nparams; i++) {
        free(r.params[i].key);
        free(r.params[i].value);
    }
    dbuf_free(&r.body);
    return ret;
}

/* http_access - libmicrohttpd's handler: gather the body, then answer. */
static enum MHD_Result http_access(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version, const char *upload_data,
                                   size_t *upload_data_size, void **con_cls)
{
    struct conn_state *st = *con_cls;

    if (st == NULL) {
        if ((st = calloc(1, sizeof(*st))) == NULL)
            return MHD_NO;
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (st->len + *upload_data_size > HTTP_MAX_BODY)
            st->too_big = 1;
        else {
            memcpy(st->body + st->len, upload_data, *upload_data_size);
            st->len += *upload_data_size;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return http_answer(cls, conn, method, url, st);
}

/* http_done - free a request's state. */
static void http_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    free(*con_cls);
    *con_cls = NULL;
}

/* http_start - listen on SA with C's handler, TLS when CERT and KEY (PEM text) are given. */
struct MHD_Daemon *http_start(struct console *c, const struct sockaddr *sa, int ipv6,
                              const char *cert, const char *key)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

    if (ipv6)
        flags |= MHD_USE_IPv6;
    if (cert != NULL)
        flags |= MHD_USE_TLS;
    if (cert != NULL)
        return MHD_start_daemon(
            flags, 0, NULL, NULL, http_access, c, MHD_OPTION_SOCK_ADDR, sa,
            MHD_OPTION_NOTIFY_COMPLETED, http_done, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
            (size_t)65536, MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
            MHD_OPTION_END);
    return MHD_start_daemon(
        flags, 0, NULL, NULL, http_access, c, MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_NOTIFY_COMPLETED,
        http_done, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_END);
}
