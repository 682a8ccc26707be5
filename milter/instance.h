/*
 * instance - one officialmail-milter per socket and per pid file.
 *
 * Purpose: the socket of a running daemon is what the MTA reaches it by;
 * a second start (an administrator trying -f) must neither take it over
 * nor delete it on exit, or all mail falls to milter_default_action with
 * nothing saying why. So: a socket that answers a connect, or a pid file
 * naming a living officialmail-milter, stops the start; only a stale unix
 * socket (nothing listening) is removed; at exit only the files that are
 * still the ones this process created are removed.
 *
 * Returns: 0 / -1 (with a message logged).
 *
 * Thread safety: called from the main thread only (start and exit).
 */
#ifndef OM_INSTANCE_H
#define OM_INSTANCE_H

/*
 * instance_claim_socket - 0 when SPEC is free to listen on (a stale unix
 * socket removed), -1 when another process answers on it ("another
 * officialmail-milter is listening on SPEC") or it cannot be checked;
 * reasons are logged.
 */
int instance_claim_socket(const char *spec);

/*
 * instance_listen_spec - what libmilter is to listen on for SPEC: for a
 * unix socket a private name beside it ("unix:PATH.PID", in BUF, LEN
 * bytes), which instance_place_socket() then links into place; other
 * sockets as they are. NULL (logged) when the name does not fit.
 *
 * Why: at exit libmilter removes the socket file at the path it bound,
 * whatever socket is there by then (when not root, as under the shipped
 * unit); the private name is gone by then, so it removes nothing, and
 * the link cannot replace a socket that appeared meanwhile.
 */
const char *instance_listen_spec(const char *spec, char *buf, size_t len);

/*
 * instance_place_socket - after libmilter listens on LISTEN (from
 * instance_listen_spec), link it to SPEC's path and remember the file as
 * ours; 0, or -1 (logged) when that path exists again.
 */
int instance_place_socket(const char *listen, const char *spec);

/*
 * instance_claim_pidfile - 0 when PATH is absent or stale, -1 (logged)
 * when it names a living officialmail-milter.
 */
int instance_claim_pidfile(const char *path);

/* instance_own_pidfile - PATH now holds our process id. */
void instance_own_pidfile(const char *path);

/* instance_release - remove the socket and pid file that are still ours; idempotent. */
void instance_release(void);

#endif
