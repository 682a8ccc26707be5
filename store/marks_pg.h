/*
 * marks_pg - review marks on the central log (SPEC 9, 11): appended by
 * the review console, shown with their record, counted in the digests,
 * and verified by `verify-log --central` and the console's verify page.
 *
 * Each console, that is each database login role a console connects as,
 * keeps a hash chain of its own in table review_marks (pg_schema.c):
 * column `console` is the role (session_user, enforced by row-level
 * security), ids run from 1 per console, and a mark is linked as a local
 * mark is (review_mark_hash(), review_db.h), its console and record's
 * gateway included in what is hashed. Two processes of one console role
 * are serialised by a transaction-level advisory lock on the role's name;
 * the primary key (console, id) refuses a fork all the same.
 *
 * Errors go to ERR (ERRLEN bytes) with PostgreSQL's reason.
 * Ownership: PG is lent. Thread safety: one connection per thread.
 */
#ifndef OM_MARKS_PG_H
#define OM_MARKS_PG_H

#include <stddef.h>

#include "chain.h"
#include "review.h"

struct pgstore;

/*
 * marks_pg_add - append KIND by USER with COMMENT to record (GATEWAY,
 * ID) on PG's console chain at time NOW; the record must be one the
 * role can see. OUT, when not NULL, gets the id and hashes. 0 or -1.
 */
int marks_pg_add(struct pgstore *pg, const char *gateway, long long id, const char *kind,
                 const char *user, const char *comment, long long now, struct review_mark *out,
                 char *err, size_t errlen);

/* marks_pg_list - FN for each mark of record (GATEWAY, ID) that the role sees, oldest first. */
int marks_pg_list(struct pgstore *pg, const char *gateway, long long id,
                  int (*fn)(const struct review_mark *m, void *arg), void *arg, char *err,
                  size_t errlen);

/*
 * marks_pg_latest - the SQL of a column giving the latest mark of the
 * violations row aliased v ("" when it has none), for the lists.
 */
extern const char marks_pg_latest_sql[];

/* marks_pg_reviewed - review_reviewed() on the central log (GATEWAY NULL: all). 0 or -1. */
int marks_pg_reviewed(struct pgstore *pg, const char *since, const char *until, const char *gateway,
                      int (*fn)(const char *key, long long n, void *arg), void *arg, char *err,
                      size_t errlen);

/* marks_pg_can_add - 1 when PG's role may append marks, 0 when not, -1 on error. */
int marks_pg_can_add(struct pgstore *pg, char *err, size_t errlen);

/*
 * marks_pg_whole_chains - 1 when each chain PG's role sees, it sees whole
 * (a compliance reader, the owner; a gateway's role its own): only then
 * can it check them, which a department's role sees with gaps. 0 when
 * not, -1 on error.
 */
int marks_pg_whole_chains(struct pgstore *pg, char *err, size_t errlen);

/* One console's chain, as verify-log --central reports it. */
struct marks_pg_verify {
    char console[256];
    struct chain_verify_result r; /* marks (as records), first and last id, the first bad one */
};

/*
 * marks_pg_verify - walk each console's chain of marks (only CONSOLE's
 * when not NULL) in one snapshot, calling FN once per chain. 0 all
 * intact (or none), 1 one or more broken, -1 error.
 */
int marks_pg_verify(struct pgstore *pg, const char *console,
                    void (*fn)(const struct marks_pg_verify *v, void *arg), void *arg, char *err,
                    size_t errlen);

#endif
