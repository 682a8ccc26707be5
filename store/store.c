/*
 * store - the store_* calls, passed to the backend that holds the log.
 */
#include <config.h>

#include <stdio.h>

#include "store.h"

/* The backends, asked in order which one a path names; the last takes any path. */
static const struct store_ops *const backends[] = {&store_sqlite_ops};

/* store_open - the first backend that claims PATH opens it. */
struct store *store_open(const char *path, enum store_mode mode, int busy_ms, char *err,
                         size_t errlen)
{
    size_t n = sizeof(backends) / sizeof(backends[0]);

    for (size_t i = 0; i < n; i++)
        if (i == n - 1 || backends[i]->claims(path))
            return backends[i]->open(path, mode, busy_ms, err, errlen);
    snprintf(err, errlen, "no backend for %s", path);
    return NULL;
}

/* store_close - the backend frees its handle. */
void store_close(struct store *s)
{
    if (s != NULL)
        s->ops->close(s);
}

/* store_error - kept in the common part of the handle. */
const char *store_error(const struct store *s)
{
    return s->error;
}

/* store_append - see store.h. */
int store_append(struct store *s, struct record *recs, size_t n)
{
    return n == 0 ? 0 : s->ops->append(s, recs, n);
}

/* store_query - see store.h. */
int store_query(struct store *s, const struct store_filter *f, store_record_fn *fn, void *arg)
{
    return s->ops->query(s, f, fn, arg);
}

/* store_departments - see store.h. */
int store_departments(struct store *s, store_name_fn *fn, void *arg)
{
    return s->ops->departments(s, fn, arg);
}

/* store_verify - see store.h. */
int store_verify(struct store *s, struct chain_verify_result *r)
{
    return s->ops->verify(s, r);
}

/* store_expire - see store.h. */
int store_expire(struct store *s, const char *before, long long *removed)
{
    return s->ops->expire(s, before, removed);
}
