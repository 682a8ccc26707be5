/*
 * store - the violation log behind a small interface (DESIGN "Where it
 * goes next"): open, append a batch, query, verify, expire, close. SQLite
 * is the one backend today (store_sqlite.c); a second one is one more
 * file behind these functions.
 *
 * The log is a hash chain: each record's hash is the SHA-256 of the
 * previous record's hash and the record's canonical serialisation
 * (record.h); the first record's previous hash is 64 zeros, or, after
 * `officialmail expire`, the hash of the last record removed, kept in a
 * checkpoint. The head (last id, last hash, count) is kept too, so that
 * removing the newest records is seen.
 *
 * Ownership: a struct store owns its connection; records handed to
 * store_append() are the caller's (their id and hashes are filled in).
 * Thread safety: one struct store per thread; several processes may open
 * the same database (SQLite's WAL: readers never block the writer).
 */
#ifndef OM_STORE_H
#define OM_STORE_H

#include <stddef.h>

#include "record.h"

struct store;

enum store_mode { STORE_READ, STORE_WRITE };

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
    const char *after_id;   /* decimal: only the records with a greater id (ship) */
};

/*
 * store_query - call FN for each record matching F, in id order, until
 * it returns non-zero. Returns 0, or -1 on a database error.
 */
int store_query(struct store *s, const struct store_filter *f,
                int (*fn)(const struct record *r, void *arg), void *arg);

/*
 * store_departments - call FN for each department name the log holds
 * (each once, in byte order) until it returns non-zero. 0, or -1 on a
 * database error.
 */
int store_departments(struct store *s, int (*fn)(const char *name, void *arg), void *arg);

/* What store_verify() found. */
struct store_verify_result {
    long long records;  /* records checked */
    long long first_id; /* first record checked, 0 when none */
    long long last_id;
    long long bad_id;                /* 0 when intact */
    char problem[256];               /* what is wrong with bad_id (or the head) */
    long long expired;               /* records removed by expire, per the checkpoints */
    char head_hash[RECORD_HASH_HEX]; /* the head kept in meta: an auditor's anchor */
};

/* store_verify - walk the chain. 0 intact, 1 broken (R says where), -1 error. */
int store_verify(struct store *s, struct store_verify_result *r);

/*
 * store_expire - remove the records older than BEFORE (a time stamp as
 * stored) from the start of the chain, keeping it verifiable with a
 * checkpoint. *REMOVED gets the count. 0 or -1.
 */
int store_expire(struct store *s, const char *before, long long *removed);

#endif
