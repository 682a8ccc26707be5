/*
 * review_pg - the review console's queries on the central log (SPEC 9,
 * 11): the records of every gateway, filtered and paged as review.h's
 * on the local log, with the same role limit (review_filter.restricted)
 * applied in the SQL, since the console connects as one role for all its
 * users. A record is (gateway, id): review_get() needs the filter's
 * gateway.
 *
 * Review marks are table review_marks, a hash chain per console role
 * (marks_pg.h): a mark names its record by (gateway, id), so
 * review_mark_add() and review_marks() need the gateway too.
 *
 * Ownership: the struct review returned borrows PG, which must outlive
 * it. Thread safety: one per thread, as PG.
 */
#ifndef OM_REVIEW_PG_H
#define OM_REVIEW_PG_H

#include "review.h"

struct pgstore;

/* review_pg_open - the console's review on the central log PG; NULL when out of memory. */
struct review *review_pg_open(struct pgstore *pg);

#endif
