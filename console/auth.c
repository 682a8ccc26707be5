/*
 * auth - users file, yescrypt, login rate limit (auth.h).
 */
#include <config.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"

/* A hash to check unknown users' passwords against, so that they cost the same. */
static const char dummy_hash[] =
    "$y$j9T$cxYEOkwF7obEdnExWbOjs1$52QEjgo8XEL2B8dwZKEiS/cyh/4OB95zStsuUU9DoD/";

/* user_clear - free and zero. */
void user_clear(struct user *u)
{
    free(u->name);
    free(u->hash);
    for (size_t i = 0; i < u->ndepts; i++)
        free(u->depts[i]);
    free(u->depts);
    memset(u, 0, sizeof(*u));
}

/* auth_name_ok - the characters a user name may have. */
int auth_name_ok(const char *name)
{
    size_t n = strlen(name);

    return n > 0 && n <= AUTH_NAME_MAX &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-") == n;
}

/* user_unescape - %XX decoded from S[0..N) into a new string, or NULL. */
static char *user_unescape(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            *o++ = s[i];
            continue;
        }
        char hex[3] = {0}, *end;
        long v;
        if (i + 2 >= n || (memcpy(hex, s + i + 1, 2), v = strtol(hex, &end, 16), *end != '\0') ||
            v <= 0 || hex[0] == '-' || hex[0] == '+' || hex[0] == ' ') {
            free(out);
            return NULL;
        }
        *o++ = (char)v;
        i += 2;
    }
    *o = '\0';
    return out;
}

/* user_parse_depts - "a,b" (escaped) into U's departments. */
static int user_parse_depts(const char *s, struct user *u)
{
    if (*s == '\0' || s[strlen(s) - 1] == ',')
        return -1; /* no name, or an empty one after the last comma */
    while (*s != '\0') {
        size_t n = strcspn(s, ",");
        if (n == 0)
            return -1; /* an empty name: "a,,b" or a trailing comma */
        char **v = realloc(u->depts, (u->ndepts + 1) * sizeof(char *));
        if (v == NULL)
            return -1;
        u->depts = v;
        if ((u->depts[u->ndepts] = user_unescape(s, n)) == NULL)
            return -1;
        u->ndepts++;
        s += n + (s[n] == ',');
    }
    return 0;
}

/* user_parse - one line of the file. */
int user_parse(const char *line, struct user *u)
{
    const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL, *c3;
    size_t rlen;

    memset(u, 0, sizeof(*u));
    if (c2 == NULL)
        return -1;
    c3 = strchr(c2 + 1, ':');
    rlen = c3 ? (size_t)(c3 - c2 - 1) : strlen(c2 + 1);
    u->name = strndup(line, (size_t)(c1 - line));
    u->hash = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
    if (u->name == NULL || u->hash == NULL || !auth_name_ok(u->name) || u->hash[0] != '$')
        goto fail;
    if (rlen == 10 && strncmp(c2 + 1, "compliance", 10) == 0)
        u->role = ROLE_COMPLIANCE;
    else if (rlen == 10 && strncmp(c2 + 1, "department", 10) == 0)
        u->role = ROLE_DEPARTMENT;
    else
        goto fail;
    if (c3 != NULL && user_parse_depts(c3 + 1, u) < 0)
        goto fail;
    if ((u->role == ROLE_DEPARTMENT) != (u->ndepts > 0))
        goto fail; /* a department user without departments, or compliance with some */
    return 0;
fail:
    user_clear(u);
    return -1;
}

/* user_escape - a department name with %, ',', ':' and controls as %XX. */
static void user_escape(FILE *fp, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == '%' || *p == ',' || *p == ':' || *p < 0x20 || *p == 0x7f)
            fprintf(fp, "%%%02X", *p);
        else
            putc(*p, fp);
}

/* user_line - name:hash:role[:depts]. */
char *user_line(const struct user *u)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    if (fp == NULL)
        return NULL;
    fprintf(fp, "%s:%s:%s", u->name, u->hash,
            u->role == ROLE_COMPLIANCE ? "compliance" : "department");
    for (size_t i = 0; i < u->ndepts; i++) {
        putc(i == 0 ? ':' : ',', fp);
        user_escape(fp, u->depts[i]);
    }
    if (fclose(fp) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* users_find - scan PATH for NAME. */
int users_find(const char *path, const char *name, struct user *u, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "re");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0, lineno = 0;

    memset(u, 0, sizeof(*u));
    if (fp == NULL) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        size_t nl = strlen(name);
        if (line[0] == '#' || line[0] == '\0' || strncmp(line, name, nl) != 0 || line[nl] != ':')
            continue;
        rc = user_parse(line, u) == 0 ? 1 : -1;
        if (rc < 0)
            snprintf(err, errlen, "%s:%d: malformed line for user %s", path, lineno, name);
    }
    free(line);
    fclose(fp);
    return rc;
}

/* users_login - find the user and check the password with crypt_r. */
int users_login(const char *path, const char *name, const char *password, struct user *u, char *err,
                size_t errlen)
{
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    int found = auth_name_ok(name) ? users_find(path, name, u, err, errlen) : 0, ok = 0;

    if (cd == NULL || found < 0) {
        if (cd == NULL)
            snprintf(err, errlen, "out of memory");
        free(cd);
        user_clear(u);
        return -1;
    }
    const char *want = found ? u->hash : dummy_hash;
    const char *got = crypt_r(password, want, cd);
    if (got != NULL && got[0] != '*' && strlen(got) == strlen(want))
        ok = session_token_eq(got, want);
    free(cd);
    if (found && ok)
        return 1;
    user_clear(u);
    return 0;
}

/* auth_hash - yescrypt with a fresh salt (crypt_gensalt_ra with its default cost). */
char *auth_hash(const char *password, char *err, size_t errlen)
{
    char *salt = crypt_gensalt_ra("$y$", 0, NULL, 0), *out = NULL;
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    const char *h;

    if (salt == NULL || cd == NULL) {
        snprintf(err, errlen, "cannot make a salt: %s", strerror(errno));
    } else if ((h = crypt_r(password, salt, cd)) == NULL || h[0] == '*') {
        snprintf(err, errlen, "crypt(3) cannot make a yescrypt hash");
    } else if ((out = strdup(h)) == NULL) {
        snprintf(err, errlen, "out of memory");
    }
    free(salt);
    free(cd);
    return out;
}

/* users_copy - the lines of IN other than NAME's into OUT, then LINE. */
static int users_copy(FILE *in, FILE *out, const char *name, const char *line)
{
    char *l = NULL;
    size_t cap = 0, nl = strlen(name);
    ssize_t n;

    while (in != NULL && (n = getline(&l, &cap, in)) >= 0) {
        if (strncmp(l, name, nl) == 0 && l[nl] == ':')
            continue;
        fputs(l, out);
        if (n > 0 && l[n - 1] != '\n')
            putc('\n', out);
    }
    free(l);
    fprintf(out, "%s\n", line);
    return ferror(out) ? -1 : 0;
}

/* users_set - rewrite PATH with U's line. */
int users_set(const char *path, const struct user *u, char *err, size_t errlen)
{
    char tmp[4096] = "", *line = user_line(u);
    FILE *in = fopen(path, "re"), *out = NULL;
    int fd = -1, rc = -1;

    if (line == NULL || (in == NULL && errno != ENOENT) || strlen(path) + 12 > sizeof(tmp)) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
    if ((fd = mkstemp(tmp)) < 0 || fchmod(fd, 0640) < 0 || (out = fdopen(fd, "w")) == NULL) {
        snprintf(err, errlen, "cannot write beside %s: %s", path, strerror(errno));
        goto out;
    }
    fd = -1;
    if (users_copy(in, out, u->name, line) < 0 || fflush(out) != 0 || fsync(fileno(out)) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (fclose(out) != 0 || rename(tmp, path) < 0) {
        out = NULL;
        snprintf(err, errlen, "cannot replace %s: %s", path, strerror(errno));
        goto out;
    }
    out = NULL;
    tmp[0] = '\0';
    rc = 0;
out:
    if (out != NULL)
        fclose(out);
    if (fd >= 0)
        close(fd);
    if (rc < 0 && tmp[0] != '\0' && strstr(tmp, "XXXXXX") == NULL)
        unlink(tmp);
    if (in != NULL)
        fclose(in);
    free(line);
    return rc;
}

#define RATELIMIT_SLOTS 4096

struct rl_slot {
    char key[AUTH_NAME_MAX + 72]; /* "user:NAME" or "addr:ADDRESS" */
    long long first;              /* the window's start */
    int failures;
};

struct ratelimit {
    pthread_mutex_t lock;
    struct rl_slot slot[RATELIMIT_SLOTS];
};

/* ratelimit_new - an empty table. */
struct ratelimit *ratelimit_new(void)
{
    struct ratelimit *rl = calloc(1, sizeof(*rl));

    if (rl != NULL)
        pthread_mutex_init(&rl->lock, NULL);
    return rl;
}

/* ratelimit_free - the table. */
void ratelimit_free(struct ratelimit *rl)
{
    if (rl == NULL)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

/* rl_find - KEY's slot, or with CREATE a free or stale one (the oldest when all are live). */
static struct rl_slot *rl_find(struct ratelimit *rl, const char *key, long long now, int create)
{
    struct rl_slot *spare = NULL;

    for (size_t i = 0; i < RATELIMIT_SLOTS; i++) {
        struct rl_slot *s = &rl->slot[i];
        if (s->key[0] != '\0' && strcmp(s->key, key) == 0) {
            if (now - s->first < AUTH_WINDOW)
                return s;
            s->key[0] = '\0'; /* the window has passed */
        }
        if (s->key[0] == '\0' || now - s->first >= AUTH_WINDOW) {
            if (spare == NULL || spare->key[0] != '\0')
                spare = s;
        } else if (spare == NULL || (spare->key[0] != '\0' && s->first < spare->first)) {
            spare = s;
        }
    }
    if (!create || spare == NULL)
        return NULL;
    snprintf(spare->key, sizeof(spare->key), "%s", key);
    spare->first = now;
    spare->failures = 0;
    return spare;
}

/* ratelimit_blocked - too many failures within the window. */
int ratelimit_blocked(struct ratelimit *rl, const char *key, long long now)
{
    pthread_mutex_lock(&rl->lock);
    struct rl_slot *s = rl_find(rl, key, now, 0);
    int blocked = s != NULL && s->failures >= AUTH_MAX_FAILURES;
    pthread_mutex_unlock(&rl->lock);
    return blocked;
}

/* ratelimit_fail - one more failure. */
void ratelimit_fail(struct ratelimit *rl, const char *key, long long now)
{
    pthread_mutex_lock(&rl->lock);
    struct rl_slot *s = rl_find(rl, key, now, 1);
    if (s != NULL)
        s->failures++;
    pthread_mutex_unlock(&rl->lock);
}

/* ratelimit_clear - forget KEY. */
void ratelimit_clear(struct ratelimit *rl, const char *key)
{
    pthread_mutex_lock(&rl->lock);
    for (size_t i = 0; i < RATELIMIT_SLOTS; i++)
        if (strcmp(rl->slot[i].key, key) == 0)
            rl->slot[i].key[0] = '\0';
    pthread_mutex_unlock(&rl->lock);
}
