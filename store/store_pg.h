/*
 * store_pg - the central violation log in PostgreSQL (SPEC 9), on libpq:
 * shipping a gateway's records, the queries of `log`, `stats` and
 * `digest --central`, each gateway's chain verified, expire.
 *
 * The schema is pg_schema.h's. Every statement is a fixed text with $N
 * parameters; records travel by COPY into a temporary table (COPY cannot
 * go straight into a table with row-level security), from which one
 * INSERT ... ON CONFLICT DO NOTHING moves them, in the batch's one
 * transaction.
 *
 * The second backend behind store.h (store_pg_ops), opened explicitly
 * (`--central`) rather than by store_open()'s list.
 *
 * Ownership: a struct pgstore owns its connection. Thread safety: one
 * struct pgstore per thread.
 */
#ifndef OM_STORE_PG_H
#define OM_STORE_PG_H

#include <stddef.h>

#include "record.h"
#include "store.h"

struct pgstore;

/* pgstore_open - connect with libpq CONNINFO; NULL with the reason in ERR. */
struct pgstore *pgstore_open(const char *conninfo, char *err, size_t errlen);

/* pgstore_close - disconnect; NULL ok. */
void pgstore_close(struct pgstore *s);

/* pgstore_error - the last error of S. */
const char *pgstore_error(const struct pgstore *s);

/*
 * pgstore_base - S as a struct store, for the store_* calls (store.h):
 * query, departments, verify (all gateways), expire (all gateways),
 * close. Appending is ship's (pgstore_ship()), so store_append() fails.
 */
struct store *pgstore_base(struct pgstore *s);

/* The backend: not in store.c's list, so that the milter never links libpq. */
extern const struct store_ops store_pg_ops;

/* pgstore_lost - 1 when S's connection is gone (the server down or unreachable). */
int pgstore_lost(const struct pgstore *s);

/* pgstore_conn - S's libpq connection (a PGconn), for review_pg.c's queries. */
struct pg_conn *pgstore_conn(struct pgstore *s);

/* pgstore_user - the role S is connected as. */
const char *pgstore_user(const struct pgstore *s);

/* pgstore_exec - run SQL (no parameters, several statements allowed). 0 or -1. */
int pgstore_exec(struct pgstore *s, const char *sql);

/* pgstore_exec_params - run one statement with N text parameters. 0 or -1. */
int pgstore_exec_params(struct pgstore *s, const char *sql, int n, const char *const *params);

/*
 * pgstore_resume - where GATEWAY's records end centrally: the highest id
 * and its hash (or the last expire's checkpoint), 0 and "" when none.
 */
int pgstore_resume(struct pgstore *s, const char *gateway, long long *id,
                   char hash[RECORD_HASH_HEX]);

/* A record already there with another hash. */
struct pg_conflict {
    char gateway[256];
    long long id;
    char central[RECORD_HASH_HEX], local[RECORD_HASH_HEX];
};

/*
 * pgstore_ship - insert the N records (ids and hashes as stored locally)
 * in one transaction; a record already there with the same hash is
 * skipped. 0 committed, 1 a conflict (C says which; nothing committed),
 * -1 error (nothing committed).
 */
int pgstore_ship(struct pgstore *s, const struct record *recs, size_t n, struct pg_conflict *c);

/* pgstore_query - store_query() on the central log; F->gateway selects one gateway. */
int pgstore_query(struct pgstore *s, const struct store_filter *f,
                  int (*fn)(const struct record *r, void *arg), void *arg);

/*
 * pgstore_gateways - FN(name, highest id) for each gateway that has
 * records in the central log (as this role sees it), in byte order of
 * the names, until FN returns non-zero. 0 or -1.
 */
int pgstore_gateways(struct pgstore *s, int (*fn)(const char *name, long long head, void *arg),
                     void *arg);

/* pgstore_departments - store_departments() on the central log. */
int pgstore_departments(struct pgstore *s, int (*fn)(const char *name, void *arg), void *arg);

/* One gateway's chain, as verify-log --central reports it. */
struct pg_verify {
    char gateway[256];
    struct chain_verify_result r; /* records, first and last id, the first bad one */
};

/*
 * pgstore_verify - walk each gateway's chain (only GATEWAY's when not
 * NULL), calling FN once per gateway. 0 all intact, 1 one or more
 * broken, -1 error.
 */
int pgstore_verify(struct pgstore *s, const char *gateway,
                   void (*fn)(const struct pg_verify *v, void *arg), void *arg);

/*
 * pgstore_expire - remove, per gateway (only GATEWAY's when not NULL),
 * the records before the first stamped BEFORE or later, leaving a
 * checkpoint; as the owner. *REMOVED gets the count. 0 or -1.
 */
int pgstore_expire(struct pgstore *s, const char *gateway, const char *before, long long *removed);

/*
 * pgstore_row - row I of RES (id, every field in record order, prev_hash,
 * hash) into R, its fields owned. 0, or -1 when out of memory.
 */
struct pg_result;
int pgstore_row(const struct pg_result *res, int i, struct record *r);

#endif
