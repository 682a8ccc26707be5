/*
 * csv - the CSV writer (RFC 4180), the other table format of `log` and
 * `stats`: fields quoted where needed, and neutralised so that a
 * spreadsheet opening an export runs nothing (SPEC 5b).
 *
 * Returns: nothing (stdio's error indicator on FP says whether it was written).
 * Thread safety: reentrant.
 */
#ifndef OM_CSV_H
#define OM_CSV_H

#include <stdio.h>

/*
 * csv_field - V as one RFC 4180 field, after a comma unless FIRST:
 * in double quotes, its quotes doubled, when it holds a comma, a quote,
 * CR or LF; bytes as they are otherwise. A value that a spreadsheet
 * would take for a formula (it begins with =, +, -, @, TAB or CR) gets
 * a leading ' (SPEC 5b), so that opening an export runs nothing.
 */
void csv_field(FILE *fp, const char *v, int first);

#endif
