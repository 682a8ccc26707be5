/*
 * store - the violation log behind a small backend struct (struct
 * store_ops): open, append a batch, query, verify, expire, close. SQLite
 * is the first backend (store_sqlite.c); a second one is one more file
 * that fills a struct store_ops and one line in store.c's list.
 *
 * The log is a hash chain (chain.h: canonical serialisation, link,
 * verify, with no SQL): each record's hash is the SHA-256 of the previous
 * record's hash and the record's canonical serialisation (record.h); the
 * first record's previous hash is 64 zeros, or, after `officialmail
 * expire`, the hash of the last record removed, kept in a checkpoint. The
 * head (last id, last hash, count) is kept too, so that removing the
 * newest records is seen.
 *
 * Returns: 0 / -1, store_verify() 0 intact / 1 broken / -1 error.
 *
 * Ownership: a struct store owns its connection; records handed to
 * store_append() are the caller's (their id and hashes are filled in).
 * Thread safety: one struct store per thread; several processes may open
 * the same database (SQLite's WAL: readers never block the writer).
 */
#ifndef OM_STORE_H
#define OM_STORE_H

#include <stddef.h>

#include "chain.h"
#include "record.h"

enum store_mode { STORE_READ, STORE_WRITE };

struct store_filter;

/* store_record_fn - called for each record of a query; non-zero stops it. */
typedef int store_record_fn(const struct record *r, void *arg);
/* store_name_fn - called for each department name; non-zero stops it. */
typedef int store_name_fn(const char *name, void *arg);

/*
 * A backend: the functions behind the store_* calls below, with their
 * contracts. OPEN returns a handle whose first member is a struct store.
 */
struct store_ops {
    const char *name;
    int (*claims)(const char *path); /* 1 when PATH names a log of this backend */
    struct store *(*open)(const char *path, enum store_mode mode, int busy_ms, char *err,
                          size_t errlen);
    void (*close)(struct store *s);
    int (*append)(struct store *s, struct record *recs, size_t n);
    int (*query)(struct store *s, const struct store_filter *f, store_record_fn *fn, void *arg);
    int (*departments)(struct store *s, store_name_fn *fn, void *arg);
    int (*verify)(struct store *s, struct chain_verify_result *r);
    int (*expire)(struct store *s, const char *before, long long *removed);
};

/* The part of every backend's handle that the store_* calls use. */
struct store {
    const struct store_ops *ops;
    char error[512]; /* the last error, for messages */
};

extern const struct store_ops store_sqlite_ops;

/*
 * store_sqlite_setup - SQLite's process-wide settings, made before its
 * first use and from one thread (writer_new, before the milter's threads
 * start): its memory statistics off. Every allocation of SQLite took a
 * global mutex to count itself (this SQLite is built without lookaside),
 * ~2,700 instructions a committed message. Once SQLite is in use it
 * changes nothing.
 */
void store_sqlite_setup(void);

/*
 * store_open - open (STORE_WRITE: create, mode 0640, and migrate) the
 * database at PATH, waiting at most BUSY_MS for a lock. NULL on error,
 * with the reason in ERR (ERRLEN bytes).
 */
struct store *store_open(const char *path, enum store_mode mode, int busy_ms, char *err,
                         size_t errlen);

/* store_close - close S; NULL ok. */
void store_close(struct store *s);

/* store_error - the last error of S, for messages. */
const char *store_error(const struct store *s);

/*
 * store_append - append N records in one transaction, chaining them on
 * the head; fills their id, prev_hash and hash. 0 when committed
 * (durable), -1 on error (nothing written).
 */
int store_append(struct store *s, struct record *recs, size_t n);

/* Filters of `officialmail log` and `stats`; NULL fields match all. */
struct store_filter {
    const char *since; /* inclusive, "YYYY-MM-DDTHH:MM:SSZ" */
    const char *until; /* exclusive */
    const char *department;
    const char *rule;
    const char *action;
    const char *sender;     /* envelope sender or header from */
    const char *address;    /* offending address */
    const char *queue_id;   /* exact */
    const char *message_id; /* exact, or with angle brackets added */
    const char *gateway;    /* exact */
    const char *after_id;   /* ids greater than this one (decimal): a cursor */
};

/*
 * store_query - call FN for each record matching F, in id order, until
 * it returns non-zero. Returns 0, or -1 on a database error.
 */
int store_query(struct store *s, const struct store_filter *f, store_record_fn *fn, void *arg);

/*
 * store_departments - call FN for each department name the log holds
 * (each once, in byte order) until it returns non-zero. 0, or -1 on a
 * database error.
 */
int store_departments(struct store *s, store_name_fn *fn, void *arg);

/* store_verify - walk the chain (what it found: chain.h). 0 intact, 1 broken (R says where), -1
 * error. */
int store_verify(struct store *s, struct chain_verify_result *r);

/*
 * store_expire - remove the records older than BEFORE (a time stamp as
 * stored) from the start of the chain, keeping it verifiable with a
 * checkpoint. *REMOVED gets the count. 0 or -1.
 */
int store_expire(struct store *s, const char *before, long long *removed);

#endif
