/*
 * daemon - the process around the milter: the listening socket, the
 * privileges, the detaching from the terminal, the pid file.
 *
 * Returns: 0 / -1 (with a message logged).
 */
#ifndef OM_DAEMON_H
#define OM_DAEMON_H

/*
 * daemon_open_socket - register with libmilter and open SPEC
 * ("unix:/path", "local:/path", "inet:PORT@HOST", "inet6:PORT@HOST"); a
 * unix socket is made group-writable (0660) so that the MTA's user can
 * connect through a shared group. A socket that answers is another
 * daemon's: -1 (see instance.h). 0, or -1 with a message logged.
 */
int daemon_open_socket(const char *spec);

/* daemon_socket_path - the file of a unix socket SPEC, or NULL. */
const char *daemon_socket_path(const char *spec);

/*
 * daemon_drop_privileges - become USER (its uid, gid and groups); the
 * unix socket and pid file are given to USER first so that they can be
 * removed at exit. 0, or -1 with a message logged.
 */
int daemon_drop_privileges(const char *user, const char *socket_path, const char *pidfile);

/* daemon_detach - fork into the background, new session, stdio on /dev/null. 0 or -1. */
int daemon_detach(void);

/* daemon_create_pidfile - create PATH empty (checked before detaching). 0 or -1. */
int daemon_create_pidfile(const char *path);

/* daemon_write_pidfile - write getpid() to PATH, ours to remove at exit. 0 or -1 (message logged).
 */
int daemon_write_pidfile(const char *path);

#endif
