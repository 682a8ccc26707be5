/*
 * record_fmt - a record as a CSV line (RFC 4180, formulas neutralised,
 * SPEC 5b) or a JSON object, every column: the one renderer that
 * `officialmail log` and the console's exports share.
 *
 * Thread safety: reentrant.
 */
#ifndef OM_RECORD_FMT_H
#define OM_RECORD_FMT_H

#include <stdio.h>

#include "record.h"

/* record_fmt_csv_header - the column names: id, the fields in order, prev_hash, hash; CRLF. */
void record_fmt_csv_header(FILE *fp);

/* record_fmt_csv - R as one CSV line ending in CRLF. */
void record_fmt_csv(FILE *fp, const struct record *r);

/* record_fmt_json - R as one JSON object (reasons an array) and a newline. */
void record_fmt_json(FILE *fp, const struct record *r);

#endif
