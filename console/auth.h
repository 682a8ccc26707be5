/*
 * auth - the console's users and logins: the console_users file, its
 * password hashes (crypt(3), yescrypt), and the rate limit on failed
 * logins.
 *
 * The file has one user a line, `name:hash:role[:dept,dept...]`; role
 * is `compliance` or `department`; a department name has `%`, `,`, `:`
 * and control characters written as %XX, since names are data and may
 * hold anything printable (SPEC 5b). Lines starting with '#' and blank
 * lines are ignored. The file is read at every login, so that a
 * password changed with `officialmail passwd` applies at once.
 *
 * Rate limit: after AUTH_MAX_FAILURES failed logins within
 * AUTH_WINDOW seconds for one user name, or from one address, further
 * logins for it are refused, right password or not, until the window
 * has passed.
 *
 * Ownership: a struct user owns its strings (user_clear()).
 * Thread safety: the users functions are reentrant (crypt_r); a struct
 * ratelimit has its own lock.
 */
#ifndef OM_AUTH_H
#define OM_AUTH_H

#include <stddef.h>

#include "session.h"

#define AUTH_MAX_FAILURES 5
#define AUTH_WINDOW 300
#define AUTH_NAME_MAX 64

struct user {
    char *name;
    char *hash;
    enum role role;
    char **depts;
    size_t ndepts;
};

/* user_clear - free U's strings. */
void user_clear(struct user *u);

/* auth_name_ok - 1 when NAME is a user name (1-64 of A-Z a-z 0-9 . _ @ -). */
int auth_name_ok(const char *name);

/*
 * users_find - the line of user NAME in file PATH into U: 1, 0 when
 * absent (or the file does not exist), -1 with the reason in ERR when
 * the file cannot be read or that line is malformed.
 */
int users_find(const char *path, const char *name, struct user *u, char *err, size_t errlen);

/*
 * users_login - 1 when NAME's PASSWORD is right (U gets the user), 0 when
 * not (an unknown user costs a hash too), -1 on an error (ERR).
 */
int users_login(const char *path, const char *name, const char *password, struct user *u, char *err,
                size_t errlen);

/*
 * users_set - write user U (U->hash a crypt(3) hash) into PATH, replacing
 * the line of the same name or adding one, through a temporary file and
 * rename(2), mode 0640. 0, or -1 with the reason in ERR.
 */
int users_set(const char *path, const struct user *u, char *err, size_t errlen);

/* auth_hash - PASSWORD's yescrypt hash, a new string; NULL with the reason in ERR. */
char *auth_hash(const char *password, char *err, size_t errlen);

/* user_line - the file's line for U (no newline) into a new string, or NULL. */
char *user_line(const struct user *u);

/* user_parse - LINE (no newline) into U: 0, or -1 when malformed. */
int user_parse(const char *line, struct user *u);

struct ratelimit;

/* ratelimit_new - an empty table; ratelimit_free(NULL) is fine. */
struct ratelimit *ratelimit_new(void);
void ratelimit_free(struct ratelimit *rl);

/* ratelimit_blocked - 1 when KEY had AUTH_MAX_FAILURES failures within AUTH_WINDOW before NOW. */
int ratelimit_blocked(struct ratelimit *rl, const char *key, long long now);

/* ratelimit_fail - count a failure of KEY at NOW. */
void ratelimit_fail(struct ratelimit *rl, const char *key, long long now);

/* ratelimit_clear - KEY logged in: its failures are forgotten. */
void ratelimit_clear(struct ratelimit *rl, const char *key);

#endif
