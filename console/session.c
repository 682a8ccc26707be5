/*
 * session - in-memory sessions with idle expiry (session.h).
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "session.h"

struct sessions {
    pthread_mutex_t lock;
    struct session *v;
    size_t n, max;
    long long idle;
};

/* session_now - monotonic seconds. */
long long session_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec;
}

/* sessions_new - an empty table. */
struct sessions *sessions_new(size_t max, long long idle)
{
    struct sessions *ss = calloc(1, sizeof(*ss));

    if (ss == NULL)
        return NULL;
    if ((ss->v = calloc(max, sizeof(*ss->v))) == NULL) {
        free(ss);
        return NULL;
    }
    pthread_mutex_init(&ss->lock, NULL);
    ss->max = max;
    ss->idle = idle;
    return ss;
}

/* session_clear - free a session's strings. */
void session_clear(struct session *s)
{
    free(s->user);
    for (size_t i = 0; i < s->ndepts; i++)
        free(s->depts[i]);
    free(s->depts);
    memset(s, 0, sizeof(*s));
}

/* sessions_free - everything. */
void sessions_free(struct sessions *ss)
{
    if (ss == NULL)
        return;
    for (size_t i = 0; i < ss->n; i++)
        session_clear(&ss->v[i]);
    free(ss->v);
    pthread_mutex_destroy(&ss->lock);
    free(ss);
}

/* session_random_hex - getrandom(2), hex-encoded. */
int session_random_hex(char *out, size_t n)
{
    unsigned char buf[64];
    size_t got = 0;

    if (n > sizeof(buf))
        return -1;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0 && errno != EINTR)
            return -1;
        if (r > 0)
            got += (size_t)r;
    }
    for (size_t i = 0; i < n; i++) {
        static const char hex[] = "0123456789abcdef";
        out[2 * i] = hex[buf[i] >> 4];
        out[2 * i + 1] = hex[buf[i] & 15];
    }
    out[2 * n] = '\0';
    return 0;
}

/* session_copy - DST = a deep copy of SRC. 0 or -1. */
static int session_copy(struct session *dst, const struct session *src)
{
    *dst = *src;
    dst->user = strdup(src->user);
    dst->depts = src->ndepts ? calloc(src->ndepts, sizeof(char *)) : NULL;
    dst->ndepts = 0;
    if (dst->user == NULL || (src->ndepts && dst->depts == NULL))
        goto fail;
    for (size_t i = 0; i < src->ndepts; i++, dst->ndepts++)
        if ((dst->depts[i] = strdup(src->depts[i])) == NULL)
            goto fail;
    return 0;
fail:
    session_clear(dst);
    return -1;
}

/* session_remove - drop entry I (the last one takes its place). */
static void session_remove(struct sessions *ss, size_t i)
{
    session_clear(&ss->v[i]);
    if (i != ss->n - 1)
        ss->v[i] = ss->v[ss->n - 1];
    memset(&ss->v[ss->n - 1], 0, sizeof(ss->v[0]));
    ss->n--;
}

/* session_make_room - when full, the session idle longest goes. */
static void session_make_room(struct sessions *ss)
{
    size_t oldest = 0;

    if (ss->n < ss->max)
        return;
    for (size_t i = 1; i < ss->n; i++)
        if (ss->v[i].last < ss->v[oldest].last)
            oldest = i;
    session_remove(ss, oldest);
}

/* session_create - a new entry with fresh tokens. */
int session_create(struct sessions *ss, const char *user, enum role role, const char *const *depts,
                   size_t ndepts, long long now, struct session *out)
{
    struct session s = {.role = role, .last = now};
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (session_random_hex(s.id, 32) < 0 || session_random_hex(s.csrf, 32) < 0)
        return -1;
    s.user = (char *)user;
    s.depts = (char **)depts;
    s.ndepts = ndepts;
    pthread_mutex_lock(&ss->lock);
    session_make_room(ss);
    if (ss->max > 0 && session_copy(&ss->v[ss->n], &s) == 0) {
        if (session_copy(out, &ss->v[ss->n]) == 0)
            rc = 0;
        ss->n++;
    }
    pthread_mutex_unlock(&ss->lock);
    return rc;
}

/* session_token_eq - compare without stopping at the first difference. */
int session_token_eq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = la != lb;

    for (size_t i = 0; i < la && i < lb; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0 && la > 0;
}

/* session_lookup - find, check idleness, touch, copy. */
int session_lookup(struct sessions *ss, const char *sid, long long now, struct session *out)
{
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (sid == NULL || strlen(sid) != SESSION_TOKEN - 1)
        return 0;
    pthread_mutex_lock(&ss->lock);
    for (size_t i = 0; i < ss->n; i++) {
        if (!session_token_eq(ss->v[i].id, sid))
            continue;
        if (now - ss->v[i].last > ss->idle) {
            session_remove(ss, i);
            break;
        }
        ss->v[i].last = now;
        rc = session_copy(out, &ss->v[i]) == 0 ? 1 : -1;
        break;
    }
    pthread_mutex_unlock(&ss->lock);
    return rc;
}

/* session_destroy - logout. */
void session_destroy(struct sessions *ss, const char *sid)
{
    if (sid == NULL)
        return;
    pthread_mutex_lock(&ss->lock);
    for (size_t i = 0; i < ss->n; i++)
        if (session_token_eq(ss->v[i].id, sid)) {
            session_remove(ss, i);
            break;
        }
    pthread_mutex_unlock(&ss->lock);
}
