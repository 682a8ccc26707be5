/*
 * review - what the review console and `officialmail release` read from
 * and add to the local violation log (SPEC 11): filtered, paged lists
 * limited to a user's departments, one record, counts grouped by a
 * column, and the review marks.
 *
 * Review marks (reviewed, false-positive, escalated, released) live in
 * their own table, `marks`, beside the violations. They are a hash
 * chain of their own, linked as the records are (chain_hash(), chain.h),
 * with their head kept in the log's meta table, so that `verify-log`
 * detects an edited, deleted or reordered mark; SQL triggers refuse
 * UPDATE and DELETE on the table, so that a mark is never edited by
 * mistake (the chain catches the rest).
 *
 * Role limits: every query takes a struct review_filter; when its
 * `restricted` is set, only records of its `depts` match, whatever else
 * the filter says. The console sets it for every department user.
 *
 * Ownership: a struct review owns its SQLite connection. Records handed
 * to callbacks are lent for the call.
 * Thread safety: one struct review per thread.
 */
#ifndef OM_REVIEW_H
#define OM_REVIEW_H

#include <stddef.h>

#include "record.h"

struct review;

/* The filters of the console's lists; NULL fields match all. */
struct review_filter {
    const char *since; /* inclusive, a log stamp */
    const char *until; /* exclusive */
    const char *department;
    const char *rule;
    const char *action;
    const char *sender;   /* envelope sender or header From, exact */
    const char *address;  /* offending address, exact */
    const char *queue_id; /* exact */
    const char *text;     /* a substring of the subject, addresses, ids, recipients */
    const char *gateway;  /* exact: on the central log a record is (gateway, id) */
    int restricted;       /* 1: only DEPTS (none at all when NDEPTS is 0) */
    const char *const *depts;
    size_t ndepts;
};

#define REVIEW_MAX_DEPTS 64

/*
 * One review mark. On the central log a mark names its record by
 * (record_gateway, record_id) and belongs to the chain of the console
 * (the database role) that wrote it; both are NULL on a local log.
 */
struct review_mark {
    long long id, record_id;
    char time[32];
    char mark[16];
    char *user, *comment; /* owned by whoever filled the mark */
    char *console, *record_gateway;
    char prev_hash[RECORD_HASH_HEX], hash[RECORD_HASH_HEX];
};

/* The kinds of marks: the reviewer's three, and the release's. */
extern const char *const review_mark_kinds[];
/* review_mark_kind_ok - 1 when KIND is a mark a reviewer may set (not "released"). */
int review_mark_kind_ok(const char *kind);

/* The columns a count can be grouped by. */
enum review_group { RG_DEPARTMENT, RG_RULE, RG_ACTION, RG_SENDER, RG_DAY, RG_COUNT };

/*
 * review_open - open the log at PATH: read-only, or WRITE to append marks
 * (the marks table is created then if absent; the database must already
 * be an officialmail log). NULL with the reason in ERR on error.
 */
struct review *review_open(const char *path, int write, int busy_ms, char *err, size_t errlen);

/* review_close - close RV; NULL ok. */
void review_close(struct review *rv);

/* review_error - the last error, for messages. */
const char *review_error(const struct review *rv);

/*
 * review_list - call FN for the records matching F, newest first,
 * skipping OFFSET and stopping after LIMIT (0: no limit), with the
 * latest mark of each ("" when none). *TOTAL gets the number matching.
 * 0, or -1 on a database error.
 */
int review_list(struct review *rv, const struct review_filter *f, long long offset, long long limit,
                int (*fn)(const struct record *r, const char *mark, void *arg), void *arg,
                long long *total);

/* review_get - record ID into R (fields owned) if F lets it be seen: 1, 0 not found, -1 error. */
int review_get(struct review *rv, const struct review_filter *f, long long id, struct record *r);

/* review_group_count - FN(key, count) for each value of column G among F's records, most first. */
int review_group_count(struct review *rv, const struct review_filter *f, enum review_group g,
                       size_t limit, int (*fn)(const char *key, long long n, void *arg), void *arg);

/* review_departments - FN for each department name among F's records, in byte order. */
int review_departments(struct review *rv, const struct review_filter *f,
                       int (*fn)(const char *key, long long n, void *arg), void *arg);

/*
 * review_mark_add - append mark KIND by USER with COMMENT to record ID
 * (which must exist; on the central log GATEWAY's record ID, and one the
 * console's role can see), chained on the marks' head, at time NOW. OUT,
 * when not NULL, gets the mark's id and hashes (its strings are not set).
 * GATEWAY is ignored on a local log. 0, or -1 on error.
 */
int review_mark_add(struct review *rv, const char *gateway, long long record_id, const char *kind,
                    const char *user, const char *comment, long long now, struct review_mark *out);

/* review_marks - FN for each mark of record (GATEWAY,) ID, oldest first. 0 or -1. */
int review_marks(struct review *rv, const char *gateway, long long record_id,
                 int (*fn)(const struct review_mark *m, void *arg), void *arg);

/* What review_marks_verify() found. */
struct review_verify_result {
    int exists;       /* the log has a marks table (a console or release wrote to it) */
    long long marks;  /* marks checked */
    long long bad_id; /* 0 when intact */
    char problem[256];
    char head_hash[RECORD_HASH_HEX];
};

/* review_marks_verify - walk the marks' chain. 0 intact, 1 broken (RES says where), -1 error. */
int review_marks_verify(struct review *rv, struct review_verify_result *res);

/*
 * review_reviewed - FN(department, n) with the number of records in
 * [SINCE, UNTIL) (only GATEWAY's when not NULL) that carry a reviewer's
 * mark, per department. 0 or -1.
 */
int review_reviewed(struct review *rv, const char *since, const char *until, const char *gateway,
                    int (*fn)(const char *key, long long n, void *arg), void *arg);

#endif
