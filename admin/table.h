/*
 * table - aligned columns for a person at a terminal (`log` and `stats`).
 *
 * Purpose: values from the log (department names in any script,
 * addresses as received) are printed in fixed-width cells measured in
 * terminal columns, not bytes: wide characters count two, combining
 * marks none; a value too long is cut at a character and ends with
 * "…"; control characters and bytes that are not UTF-8 print as "?", so
 * that no value can move the cursor or forge a row.
 *
 * Returns: widths in columns; the printers return nothing (stdio keeps the error).
 *
 * Thread safety: table_cell() may switch LC_CTYPE to C.UTF-8 once (to
 * measure characters); the command is single-threaded.
 */
#ifndef OM_TABLE_H
#define OM_TABLE_H

#include <stdio.h>

#define TABLE_MIN_WIDTH 80
#define TABLE_MAX_WIDTH 400

/*
 * table_width - the columns to fill when standard output is a terminal:
 * its width, else $COLUMNS when set to a number, else 80; never less
 * than 80 nor more than 400. 0 when standard output is not a terminal:
 * a table piped or written to a file is whole, its cells never cut
 * (SPEC 5b).
 */
int table_width(void);

/*
 * table_clean - print S as table_cell() would with room for all of it:
 * every character that must not reach a terminal as "?". So a cell
 * kept for later (a whole table, measured first) needs no more care.
 */
void table_clean(FILE *fp, const char *s);

/* table_strwidth - the columns S takes once printed by table_cell(). */
int table_strwidth(const char *s);

/*
 * table_cell - print S in WIDTH columns: cut with "…" when longer,
 * padded with spaces on the right (PAD) or not at all (the last column).
 */
void table_cell(FILE *fp, const char *s, int width, int pad);

#endif
