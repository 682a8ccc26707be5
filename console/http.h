/*
 * http - the console's HTTP(S) server (http.c).
 */
#ifndef OM_HTTP_H
#define OM_HTTP_H

#include <sys/socket.h>

#define HTTP_SESSION_COOKIE "om_session"
#define HTTP_LOGIN_COOKIE "om_login" /* the login form's CSRF token, before a session */

struct console;
struct MHD_Daemon;

/*
 * http_start - serve C on address SA (IPv6 when IPV6), over TLS when
 * CERT and KEY (PEM text) are given, on libmicrohttpd's own thread.
 * NULL when it cannot listen (libmicrohttpd said why on stderr).
 */
struct MHD_Daemon *http_start(struct console *c, const struct sockaddr *sa, int ipv6,
                              const char *cert, const char *key);

#endif
