/*
 * central_args - what `--central` means for verify-log and expire, and
 * the limit that shipping sets on a local expire (SPEC 9).
 *
 * With --central, --database is a libpq conninfo; without it the
 * configuration's central_read_database is used, or its central_database.
 * The password comes from ~/.pgpass or PGPASSFILE, as for every libpq
 * program.
 */
#ifndef OM_CENTRAL_ARGS_H
#define OM_CENTRAL_ARGS_H

#include "log_args.h"

/* central_conninfo - the conninfo of A's --central; NULL after saying why. */
const char *central_conninfo(struct log_args *a);

/* central_verify - `verify-log --central [--gateway NAME]`: the exit status. */
int central_verify(struct log_args *a);

/* central_expire - `expire --central [--gateway NAME] --before DATE`: the exit status. */
int central_expire(struct log_args *a);

/*
 * central_expire_limit - when the configuration ships (central_database
 * set), lower A->before to the time of the first record not shipped yet
 * (per ship_state), so that `store_expire()` cannot reach it (with
 * nothing shipped, to the first record's). S is the open local log.
 * Returns how many records are not shipped yet (0 when the log is not
 * shipped), or -1 after saying why.
 */
long long central_expire_limit(struct log_args *a, struct store *s);

#endif
