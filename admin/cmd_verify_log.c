/*
 * cmd_verify_log - `officialmail verify-log`: walk the violation log's
 * hash chain and say whether it is intact (SPEC 6 and 7).
 *
 * The walk reads one snapshot through a read-only connection, so that it
 * can run while the milter writes.
 */
#include <config.h>

#include <stdio.h>

#include "central_args.h"
#include "cli.h"
#include "log_args.h"
#include "review.h"

const char cmd_verify_log_usage[] =
    "usage: officialmail verify-log [-c FILE] [--database PATH]\n"
    "       officialmail verify-log --central [-c FILE] [--database CONNINFO] [--gateway NAME]\n"
    "\n"
    "Check the violation log's hash chain: every record's hash against its\n"
    "contents and the hash of the record before it, the ids without gaps from\n"
    "the last expire on, and the newest record against the head the log keeps.\n"
    "An intact log prints\n"
    "  intact: N records, ids A..B, M removed by expire\n"
    "  head: id=B hash=HASH\n"
    "(write the head down: a log later rewritten from that point on no longer\n"
    "has a record B with that hash). A broken one prints\n"
    "  first bad record: id=N (what is wrong)\n"
    "Then, once the log has review marks, their own chain: \"marks: intact: N\n"
    "review marks\" and its head, or \"first bad mark: id=N (what is wrong)\".\n"
    "\n"
    "  --database PATH    check this database instead of the configuration's\n"
    "  --central          check the central log (SPEC 9): one line per gateway,\n"
    "                       gateway=NAME records=N first=ID last=ID intact\n"
    "                     or\n"
    "                       first bad record: gateway=NAME id=N (what is wrong)\n"
    "                     (for a gap, N is the first missing id); --database is\n"
    "                     then a libpq conninfo (default: central_read_database)\n"
    "  --gateway NAME     with --central: only NAME's chain\n"
    "\n"
    "Exit status: 0 intact, 1 broken or the log could not be read,\n"
    "2 bad arguments.\n";

static const struct option verify_options[] = {
    {"gateway", required_argument, NULL, LOG_OPT_GATEWAY},
    LOG_ARGS_COMMON_OPTIONS,
    {NULL, 0, NULL, 0}};

/* verify_print - the summary of an intact log. */
static void verify_print(const struct chain_verify_result *r)
{
    printf("intact: %lld record%s", r->records, r->records == 1 ? "" : "s");
    if (r->records > 0)
        printf(", ids %lld..%lld", r->first_id, r->last_id);
    printf(", %lld removed by expire\n", r->expired);
    if (r->records > 0)
        printf("head: id=%lld hash=%s\n", r->last_id, r->head_hash);
}

/*
 * verify_marks - the review marks' own chain (SPEC 11), in the same log:
 * "marks: intact: N marks" and its head, or "first bad mark: id=N (...)".
 * 0 intact, 1 broken or unreadable.
 */
static int verify_marks(const char *path)
{
    struct review_verify_result m;
    char err[512];
    struct review *rv = review_open(path, 0, 5000, err, sizeof(err));
    int rc;

    if (rv == NULL) {
        cli_error("verify-log: %s", err);
        return 1;
    }
    rc = review_marks_verify(rv, &m);
    if (rc < 0)
        cli_error("verify-log: the review marks: %s", review_error(rv));
    else if (rc > 0)
        printf("first bad mark: id=%lld (%s)\n", m.bad_id, m.problem);
    else if (m.exists) /* a log no console has marked says nothing of marks */
        printf("marks: intact: %lld review mark%s, head hash=%s\n", m.marks,
               m.marks == 1 ? "" : "s", m.head_hash);
    review_close(rv);
    return rc != 0;
}

/* cmd_verify_log - parse, open read-only, verify, report. */
int cmd_verify_log(int argc, char **argv, const char *config)
{
    struct log_args a = {.cmd = "verify-log", .config = config};
    struct chain_verify_result r;
    struct store *s = NULL;
    int status = EXIT_USAGE, rc = log_args_parse(&a, argc, argv, verify_options);

    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_verify_log_usage, stdout);
        status = rc > 0 ? 0 : EXIT_USAGE;
        goto out;
    }
    status = 1; /* broken and unreadable alike (SPEC 7) */
    if (a.central) {
        status = central_verify(&a);
        goto out;
    }
    if (a.filter.gateway != NULL) {
        cli_error("verify-log: --gateway NAME goes with --central (a local log is one gateway's)");
        status = EXIT_USAGE;
        goto out;
    }
    if ((s = log_args_open(&a, STORE_READ)) == NULL)
        goto out;
    rc = store_verify(s, &r);
    if (rc < 0) {
        cli_error("verify-log: %s", store_error(s));
        goto out;
    }
    if (rc > 0)
        printf("first bad record: id=%lld (%s)\n", r.bad_id, r.problem);
    else
        verify_print(&r);
    if (verify_marks(a.path) != 0)
        rc = 1;
    if (fflush(stdout) == 0 && rc == 0)
        status = 0;
out:
    store_close(s);
    log_args_free(&a);
    return status;
}
