/*
 * holder - the policy in force, swapped atomically on reload, and the
 * count of messages in flight.
 *
 * Purpose: a message takes a reference to the current policy at MAIL
 * FROM and keeps it to the end; a reload loads the new configuration
 * beside the old one and swaps the pointer only when it loaded without
 * error; the old policy is freed by the last message that still holds it.
 * Shutdown waits until no message is in flight.
 *
 * Returns: 0 / -1 (logged); holder_accepting() 1 / 0; holder_drain() the
 * number still in flight.
 *
 * Thread safety: every function may be called from any thread.
 */
#ifndef OM_HOLDER_H
#define OM_HOLDER_H

#include "policy.h"

/* holder_init - the first policy (taken over, not referenced again). 0, or -1 out of resources. */
int holder_init(struct policy *p, const char *file);

/*
 * holder_pin - the values in force of the settings that only a restart
 * changes: SOCKET (NULL when -p gave it) and DATABASE. A reload that
 * changes one keeps it and logs "SETTING changed; restart
 * officialmail-milter to apply".
 */
void holder_pin(const char *socket, const char *database);

/* holder_get - a new reference to the policy in force. */
struct policy *holder_get(void);

/*
 * holder_reload - load the configuration file again; on success swap it
 * in and log "configuration reloaded" (and what waits for a restart),
 * else log every error (file:line) and keep the old one. Returns 0 on success, -1 on failure.
 */
int holder_reload(void);

/* holder_message_begin / holder_message_end - one message in flight more / less. */
void holder_message_begin(void);
void holder_message_end(void);

/*
 * holder_stop_accepting - from now on holder_accepting() is 0: new
 * connections and messages are answered 4xx while the ones in flight
 * finish (libmilter drops its sessions when it stops, so it is stopped
 * only after them).
 */
void holder_stop_accepting(void);

/* holder_accepting - 1 until holder_stop_accepting(). */
int holder_accepting(void);

/*
 * holder_drain - wait until no message is in flight or TIMEOUT seconds
 * passed; returns the number still in flight.
 */
int holder_drain(int timeout);

/* holder_shutdown - drop the holder's own reference (at exit). */
void holder_shutdown(void);

#endif
