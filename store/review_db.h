/*
 * review_db - what review_sqlite.c and review_marks.c share: the
 * connection and the error helper. Private to store/.
 */
#ifndef OM_REVIEW_DB_H
#define OM_REVIEW_DB_H

#include <sqlite3.h>

#include "chain.h"
#include "review.h"

/*
 * Another backend's functions (review_pg.c, the central log), with the
 * contracts of review.h's; a review with ops set has no SQLite connection.
 */
struct review_ops {
    void (*close)(struct review *rv);
    int (*list)(struct review *rv, const struct review_filter *f, long long offset, long long limit,
                int (*fn)(const struct record *r, const char *mark, void *arg), void *arg,
                long long *total);
    int (*get)(struct review *rv, const struct review_filter *f, long long id, struct record *r);
    int (*group_count)(struct review *rv, const struct review_filter *f, enum review_group g,
                       size_t limit, int (*fn)(const char *key, long long n, void *arg), void *arg);
    int (*departments)(struct review *rv, const struct review_filter *f,
                       int (*fn)(const char *key, long long n, void *arg), void *arg);
    int (*mark_add)(struct review *rv, const char *gateway, long long record_id, const char *kind,
                    const char *user, const char *comment, long long now, struct review_mark *out);
    int (*marks)(struct review *rv, const char *gateway, long long record_id,
                 int (*fn)(const struct review_mark *m, void *arg), void *arg);
    int (*marks_verify)(struct review *rv, struct review_verify_result *res);
    int (*reviewed)(struct review *rv, const char *since, const char *until, const char *gateway,
                    int (*fn)(const char *key, long long n, void *arg), void *arg);
};

struct review {
    const struct review_ops *ops; /* NULL: SQLite */
    sqlite3 *db;
    int has_marks; /* the marks table exists */
    char error[512];
};

/*
 * store_sqlite_row - a violations row (id, the fields, prev_hash, hash:
 * SELECT * order) into R, its fields owned (store_sqlite.c). 0, or -1
 * when out of memory.
 */
int store_sqlite_row(sqlite3_stmt *st, struct record *r);

/* review_fail - remember WHAT and SQLite's message; returns -1. */
int review_fail(struct review *rv, const char *what);

/* review_marks_setup - create the marks table, its triggers and head if absent. 0 or -1. */
int review_marks_setup(struct review *rv);

/* review_marks_exist - 1 when the marks table exists, 0 when not, -1 on error. */
int review_marks_exist(struct review *rv);

/*
 * The fields a mark is hashed over, in the records' canonical form
 * (chain.h): record_id, time, mark, user, comment; a central mark
 * (record_gateway set) adds its console and record_gateway first, so
 * that a mark cannot be moved to another chain or record unseen.
 */
#define REVIEW_MARK_FIELDS 7

/* review_mark_chain_row - ROW = M as the chain sees it, VALUES and RID its storage. */
void review_mark_chain_row(const struct review_mark *m, char rid[32],
                           char *values[REVIEW_MARK_FIELDS], struct chain_row *row);

/* review_mark_hash - HEX = the chain's hash of M after the mark whose hash is PREV. 0 or -1. */
int review_mark_hash(const struct review_mark *m, const char *prev, char hex[RECORD_HASH_HEX]);

#endif
