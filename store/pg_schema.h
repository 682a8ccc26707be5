/*
 * pg_schema - the SQL of the central log (SPEC 9): its tables, indexes,
 * group roles, row-level security, and the functions that add a
 * gateway's login role and a department reader.
 *
 * Purpose: one text that `officialmail central-schema` prints and, with
 * --create, applies; store_pg.c relies on the names it creates.
 * A gateway's or reader's name is never written into SQL text: the
 * functions below take it as a parameter and quote it with format(%I),
 * and the printed form quotes it as a literal (pg_schema_literal()).
 */
#ifndef OM_PG_SCHEMA_H
#define OM_PG_SCHEMA_H

#include <stddef.h>

/* The whole schema, for the database's owner (with CREATEROLE), one transaction. */
extern const char pg_schema_sql[];

/* Apply with $1 = the gateway's name. */
extern const char pg_schema_add_gateway_sql[];
/* Apply with $1 = the reader's role, $2 = its departments (a text[] literal). */
extern const char pg_schema_add_reader_sql[];
/* Apply with $1 = the console's role, $2 = its departments ('{}': a compliance console). */
extern const char pg_schema_add_console_sql[];

/*
 * pg_schema_literal - S as an SQL string literal ('...', quotes doubled;
 * E'...' with backslashes doubled when S holds one) into BUF. Returns BUF,
 * or NULL when it does not fit.
 */
char *pg_schema_literal(const char *s, char *buf, size_t len);

/*
 * pg_schema_array - the N strings of V as a PostgreSQL text[] value
 * ({"a","b"}, with \ and " escaped) into BUF. Returns BUF or NULL.
 */
char *pg_schema_array(const char *const *v, size_t n, char *buf, size_t len);

#endif
