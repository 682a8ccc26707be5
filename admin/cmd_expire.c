/*
 * cmd_expire - `officialmail expire`: remove the oldest records of the
 * violation log (a retention period), leaving a checkpoint so that what
 * remains still verifies (store_expire()).
 *
 * It writes: it needs write access to the database and its directory,
 * and waits for the milter's writer between two of its batches.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "central_args.h"
#include "cli.h"
#include "log_args.h"
#include "timefmt.h"

const char cmd_expire_usage[] =
    "usage: officialmail expire --before DATE [-c FILE] [--database PATH]\n"
    "       officialmail expire --central --before DATE [-c FILE] [--database CONNINFO]\n"
    "                           [--gateway NAME]\n"
    "\n"
    "Remove the records of the violation log older than DATE, oldest first:\n"
    "the records up to the first one stamped DATE or later. A checkpoint\n"
    "keeps the hash of the last record removed, so that verify-log still\n"
    "checks every record that remains.\n"
    "\n"
    "  --before DATE      YYYY-MM-DD (its midnight, UTC) or an ISO 8601\n"
    "                     date-time in UTC; not in the future\n"
    "  --database PATH    expire this database instead of the configuration's\n"
    "  --central          expire the central log (SPEC 9), as the database's owner,\n"
    "                     each gateway's chain with a checkpoint; --database is\n"
    "                     then a libpq conninfo (default: central_read_database)\n"
    "  --gateway NAME     with --central: only NAME's records\n"
    "\n"
    "When central_database is set, records not shipped yet (ship_state) stay.\n"
    "\n"
    "Exit status: 0 done (even when nothing was old enough), 1 the configuration\n"
    "or the log could not be read or written, 2 bad arguments.\n";

static const struct option expire_options[] = {
    {"before", required_argument, NULL, LOG_OPT_BEFORE},
    {"gateway", required_argument, NULL, LOG_OPT_GATEWAY},
    LOG_ARGS_COMMON_OPTIONS,
    {NULL, 0, NULL, 0}};

/* expire_check_args - --before is given and not in the future; 0 or -1. */
static int expire_check_args(const struct log_args *a)
{
    char now[TIMEFMT_ISO_LEN];
    time_t t = time(NULL);

    if (a->before[0] == '\0') {
        cli_error("expire: --before DATE is required (see officialmail help expire)");
        return -1;
    }
    /* A date in the future would empty the log, records still being written included. */
    if (timefmt_iso8601(t, now) < 0 || strcmp(a->before, now) > 0) {
        cli_error("expire: --before %s is in the future", a->before);
        return -1;
    }
    return 0;
}

/* cmd_expire - parse, open for writing, expire, report. */
int cmd_expire(int argc, char **argv, const char *config)
{
    struct log_args a = {.cmd = "expire", .config = config};
    struct store *s = NULL;
    long long removed, unshipped = 0;
    char asked[LOG_STAMP_LEN];
    int status = EXIT_USAGE, rc = log_args_parse(&a, argc, argv, expire_options);

    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_expire_usage, stdout);
        status = rc > 0 ? 0 : EXIT_USAGE;
        goto out;
    }
    if (expire_check_args(&a) < 0)
        goto out;
    status = EXIT_UNREADABLE;
    if (a.central) {
        status = central_expire(&a);
        goto out;
    }
    if (a.filter.gateway != NULL) {
        cli_error("expire: --gateway NAME goes with --central (a local log is one gateway's)");
        status = EXIT_USAGE;
        goto out;
    }
    if ((s = log_args_open(&a, STORE_WRITE)) == NULL)
        goto out;
    /* A log that is shipped keeps what the central log does not hold yet. */
    if (a.policy == NULL && a.config != NULL &&
        (a.policy = cli_load_policy(a.config, time(NULL), 0, NULL)) == NULL)
        goto out;
    memcpy(asked, a.before, sizeof(asked));
    if ((unshipped = central_expire_limit(&a, s)) < 0)
        goto out;
    if (store_expire(s, a.before, &removed) < 0) {
        log_args_cannot_write(&a, store_error(s));
        goto out;
    }
    printf("removed %lld record%s older than %s", removed, removed == 1 ? "" : "s", asked);
    if (unshipped > 0)
        printf(" (%lld not shipped yet kept)", unshipped);
    putchar('\n');
    status = fflush(stdout) == 0 ? 0 : EXIT_UNREADABLE;
out:
    store_close(s);
    log_args_free(&a);
    return status;
}
