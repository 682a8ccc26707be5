/*
 * chain - a hash chain over rows of named text fields, with no SQL: the
 * canonical serialisation of a row, linking a row onto the head, and
 * walking rows in id order to verify them. The violation log's records
 * use it (record.c, store_sqlite.c); any other hash-chained table (a
 * second backend, review marks) is one more list of field names.
 *
 * A row's hash is the lowercase hex SHA-256 of the previous row's hash
 * (64 hex digits) followed by the row's canonical serialisation: for the
 * id and then each field in order, "NAME=LENGTH:VALUE\n" (LENGTH in bytes,
 * in decimal). The first row's previous hash is CHAIN_ZERO_HASH, or,
 * after rows were expired from the start, the hash of the last one
 * removed (a checkpoint).
 *
 * Returns: 0 / -1 (out of memory or a digest failure); the walk's
 * functions return 0 intact / 1 broken / -1 error.
 * Ownership: rows are lent; chain_canonical() gives a new string.
 * Thread safety: reentrant.
 */
#ifndef OM_CHAIN_H
#define OM_CHAIN_H

#include <stddef.h>

#define CHAIN_HASH_HEX 65 /* 64 hex digits and NUL */
#define CHAIN_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* One row as the chain sees it: an id and N named values (NULL as ""). */
struct chain_row {
    long long id;
    const char *const *names;
    char *const *values;
    size_t n;
};

/* The end of a chain: its last id (0 when none) and that row's hash. */
struct chain_head {
    long long id;
    char hash[CHAIN_HASH_HEX];
};

/* chain_sha256_hex - HEX = lowercase hex SHA-256 of LEN bytes of DATA. 0 or -1. */
int chain_sha256_hex(const void *data, size_t len, char hex[CHAIN_HASH_HEX]);

/* chain_canonical - the canonical serialisation of ROW, a new string; NULL when out of memory. */
char *chain_canonical(const struct chain_row *row);

/* chain_hash - HEX = the hash of ROW after the row whose hash is PREV. 0 or -1. */
int chain_hash(const struct chain_row *row, const char *prev, char hex[CHAIN_HASH_HEX]);

/*
 * chain_link - ROW becomes the next row after HEAD: its id is set, PREV
 * gets HEAD's hash and HASH its own, and HEAD moves to it. 0, or -1 with
 * HEAD unchanged.
 */
int chain_link(struct chain_head *head, struct chain_row *row, char prev[CHAIN_HASH_HEX],
               char hash[CHAIN_HASH_HEX]);

/* What a walk found. */
struct chain_verify_result {
    long long records;  /* rows checked */
    long long first_id; /* first row checked, 0 when none */
    long long last_id;
    long long bad_id;               /* 0 when intact */
    char problem[256];              /* what is wrong with bad_id (or the head) */
    long long expired;              /* rows removed from the start, per the checkpoints */
    char head_hash[CHAIN_HASH_HEX]; /* the head kept apart: an auditor's anchor */
};

/* A walk in progress: start it, feed it every row in id order, end it. */
struct chain_walk {
    struct chain_verify_result *res;
    long long through; /* the checkpoint: rows up to here were removed */
    long long want_id;
    char prev[CHAIN_HASH_HEX];
    int status;
};

/*
 * chain_walk_start - a walk into RES (cleared but for EXPIRED) of the rows
 * after the checkpoint THROUGH, whose last hash was HASH (CHAIN_ZERO_HASH
 * for a chain from its start).
 */
void chain_walk_start(struct chain_walk *w, struct chain_verify_result *res, long long through,
                      const char *hash);

/*
 * chain_walk_row - check ROW, stored with PREV_HASH and HASH, as the next
 * row. 0 intact so far, 1 broken (RES says where), -1 error.
 */
int chain_walk_row(struct chain_walk *w, const struct chain_row *row, const char *prev_hash,
                   const char *hash);

/*
 * chain_walk_end - the walk's outcome: a row's problem, else where it
 * stopped against HEAD, the head kept apart from the rows (so that
 * removing the newest rows is seen). 0 intact, 1 broken, -1 error.
 */
int chain_walk_end(struct chain_walk *w, const struct chain_head *head);

#endif
