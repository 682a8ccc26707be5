/*
 * session - the console's logged-in sessions, in memory.
 *
 * A session is found by its id, 32 random bytes (getrandom(2)) in hex,
 * sent only in the HttpOnly cookie; it carries a second random value,
 * the CSRF token, put in every form and compared on every POST. A
 * session unused for the idle time is gone: its next lookup fails and
 * removes it. Times are CLOCK_MONOTONIC seconds (session_now()), so a
 * clock step neither ends nor prolongs sessions. When the table is full
 * the session idle longest makes room.
 *
 * Ownership: the table owns its sessions; lookups copy one out
 * (session_clear() frees the copy). Thread safety: the table has a lock.
 */
#ifndef OM_SESSION_H
#define OM_SESSION_H

#include <stddef.h>

#define SESSION_TOKEN 65 /* 64 hex digits and NUL */

enum role { ROLE_COMPLIANCE, ROLE_DEPARTMENT };

struct session {
    char id[SESSION_TOKEN];
    char csrf[SESSION_TOKEN];
    char *user;
    enum role role;
    char **depts; /* a department user's departments */
    size_t ndepts;
    long long last; /* session_now() of the last use */
};

struct sessions;

/* sessions_new - a table of at most MAX sessions expiring after IDLE seconds unused. */
struct sessions *sessions_new(size_t max, long long idle);

/* sessions_free - the table and every session in it; NULL ok. */
void sessions_free(struct sessions *ss);

/* session_now - CLOCK_MONOTONIC in seconds. */
long long session_now(void);

/*
 * session_create - a new session for USER (ROLE, DEPTS) at NOW; OUT gets
 * a copy. 0, or -1 when out of memory or without randomness.
 */
int session_create(struct sessions *ss, const char *user, enum role role, const char *const *depts,
                   size_t ndepts, long long now, struct session *out);

/*
 * session_lookup - the live session with id SID at NOW into OUT (its
 * last use set to NOW): 1, or 0 when there is none (unknown, or idle too
 * long: then removed), -1 when out of memory.
 */
int session_lookup(struct sessions *ss, const char *sid, long long now, struct session *out);

/* session_destroy - end session SID (logout); unknown ids are ignored. */
void session_destroy(struct sessions *ss, const char *sid);

/* session_clear - free what a copy S holds. */
void session_clear(struct session *s);

/* session_token_eq - 1 when A and B are the same token (constant time in their length). */
int session_token_eq(const char *a, const char *b);

/* session_random_hex - OUT = N random bytes as 2N hex digits (OUT has 2N+1 bytes). 0 or -1. */
int session_random_hex(char *out, size_t n);

#endif
