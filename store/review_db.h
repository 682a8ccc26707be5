/*
 * review_db - what review_sqlite.c and review_marks.c share: the
 * connection and the error helper. Private to store/.
 */
#ifndef OM_REVIEW_DB_H
#define OM_REVIEW_DB_H

#include <sqlite3.h>

#include "review.h"

struct review {
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

#endif
