/*
 * cmd_digest - `officialmail digest`: each department's weekly breach
 * digest to its digest_to, and the compliance digest (every department
 * ranked, and the unassigned events) to compliance_digest_to (SPEC 7).
 *
 * The log is read once (digest/data.c); each digest is rendered as text
 * and HTML and wrapped in MIME (digest/mail.c) and sent through
 * sendmail_command or written to a file (digest/send.c): this file only
 * parses the arguments, chooses the digests and says what happened. Without --send or --output
 * nothing leaves: the digests that would go are listed, so that a person trying the command never
 * mails a whole organisation by accident.
 *
 * Exit status: 0 every digest was delivered (or listed), 1 the
 * configuration or the log could not be read or a digest could not be
 * delivered (the others are still tried), 2 bad arguments.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "mail.h"
#include "send.h"
#include "log_args.h"
#include "review.h"
#include "review_pg.h"
#include "store_pg.h"
#include "timefmt.h"

const char cmd_digest_usage[] =
    "usage: officialmail digest [-c FILE] [--week YYYY-Www | --since DATE --until DATE]\n"
    "                           [--schedule DAYS] [--department NAME]\n"
    "                           [--send | --output DIR]\n"
    "                           [--skip-empty] [--database PATH] [--now DATETIME]\n"
    "                           [--central] [--gateway NAME]\n"
    "\n"
    "Make the breach digests of a period: one for every department that has\n"
    "digest_to, and the compliance digest (every department ranked with its\n"
    "trend, and the unassigned events) for compliance_digest_to. Each is a\n"
    "MIME message with a plain-text and an HTML part.\n"
    "\n"
    "  --week YYYY-Www    an ISO 8601 week (Monday to Sunday, UTC); the default is\n"
    "                     the last complete ISO week before now\n"
    "  --since DATE       the start of the period (YYYY-MM-DD or an ISO 8601\n"
    "  --until DATE       date-time in UTC) and its end: a date takes in the whole\n"
    "                     day, a date-time is exclusive; at most 92 days\n"
    "  --schedule DAYS    the days the digest runs on, such as Mon,Thu: the period\n"
    "                     is from the scheduled day before the latest one to the\n"
    "                     latest one (a run on Monday covers Thursday to Sunday,\n"
    "                     one on Thursday Monday to Wednesday); Mon is the default\n"
    "  --department NAME  only that department's digest (no compliance digest)\n"
    "  --send             send through sendmail_command (run without a shell)\n"
    "  --output DIR       write one .eml file per digest into DIR instead\n"
    "  --skip-empty       make no digest for a period without violations\n"
    "                     (by default a short \"no violations\" digest is sent)\n"
    "  --database PATH    read this database instead of the configuration's\n"
    "  --central          read the central log (all gateways; --database is then a\n"
    "                     libpq conninfo, by default central_read_database)\n"
    "  --gateway NAME     only the records of gateway NAME\n"
    "  --now DATETIME     the clock (ISO 8601, UTC): the default week, lapsing\n"
    "                     exceptions and the Date of the digests\n"
    "\n"
    "Without --send or --output the digests are listed, not sent.\n"
    "Exit status: 0 done, 1 the configuration or the log could not be read or a\n"
    "digest could not be delivered, 2 bad arguments.\n";

enum {
    OPT_WEEK = 256,
    OPT_SINCE,
    OPT_UNTIL,
    OPT_DEPARTMENT,
    OPT_SEND,
    OPT_OUTPUT,
    OPT_SKIP_EMPTY,
    OPT_DATABASE,
    OPT_NOW,
    OPT_SCHEDULE,
    OPT_CENTRAL,
    OPT_GATEWAY
};

static const struct option digest_options[] = {
    {"config", required_argument, NULL, 'c'},
    {"week", required_argument, NULL, OPT_WEEK},
    {"since", required_argument, NULL, OPT_SINCE},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"department", required_argument, NULL, OPT_DEPARTMENT},
    {"send", no_argument, NULL, OPT_SEND},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"skip-empty", no_argument, NULL, OPT_SKIP_EMPTY},
    {"database", required_argument, NULL, OPT_DATABASE},
    {"now", required_argument, NULL, OPT_NOW},
    {"schedule", required_argument, NULL, OPT_SCHEDULE},
    {"central", no_argument, NULL, OPT_CENTRAL},
    {"gateway", required_argument, NULL, OPT_GATEWAY},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

struct digest_args {
    const char *config, *week, *since, *until, *department, *output, *database, *gateway;
    int send, skip_empty, central;
    unsigned schedule; /* weekdays (bit 0 Sunday); 0: not given */
    time_t now;
};

/* What one run shares between its digests. */
struct digest_run {
    const struct digest_args *a;
    struct policy *p;
    struct digest_data d;
    char from[320];
    char host[256];
    int failures;
    struct pgstore *pg; /* the central log with --central, else NULL */
};

/* digest_option - apply one option C. 0, or -1 on a bad value. */
static int digest_option(struct digest_args *a, int c, const char *arg)
{
    switch (c) {
    case 'c':
        a->config = arg;
        return 0;
    case OPT_WEEK:
        a->week = arg;
        return 0;
    case OPT_SINCE:
        a->since = arg;
        return 0;
    case OPT_UNTIL:
        a->until = arg;
        return 0;
    case OPT_DEPARTMENT:
        a->department = arg;
        return 0;
    case OPT_SEND:
        a->send = 1;
        return 0;
    case OPT_OUTPUT:
        a->output = arg;
        return 0;
    case OPT_SKIP_EMPTY:
        a->skip_empty = 1;
        return 0;
    case OPT_DATABASE:
        a->database = arg;
        return 0;
    case OPT_CENTRAL:
        a->central = 1;
        return 0;
    case OPT_GATEWAY:
        a->gateway = arg;
        return 0;
    case OPT_SCHEDULE:
        if (digest_schedule_parse(arg, &a->schedule) == 0)
            return 0;
        cli_error("digest: --schedule wants day names separated by commas, such as Mon,Thu: "
                  "'%s'",
                  arg);
        return -1;
    case OPT_NOW:
        if (timefmt_parse(arg, &a->now) == 0)
            return 0;
        cli_error("digest: --now wants an ISO 8601 date or date-time in UTC: '%s'", arg);
        return -1;
    }
    return -1;
}

/* digest_check_args - the combinations SPEC's synopsis allows. 0 or -1. */
static int digest_check_args(const struct digest_args *a)
{
    if ((a->week != NULL) + (a->since != NULL || a->until != NULL) + (a->schedule != 0) > 1) {
        cli_error("digest: --week, --since/--until and --schedule cannot be combined");
        return -1;
    }
    if ((a->since == NULL) != (a->until == NULL)) {
        cli_error("digest: --since and --until go together");
        return -1;
    }
    if (a->send && a->output != NULL) {
        cli_error("digest: --send and --output cannot be combined");
        return -1;
    }
    return 0;
}

/* digest_parse_args - the options into A; 0, 1 for --help, -1 on error. */
static int digest_parse_args(int argc, char **argv, struct digest_args *a)
{
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:h", digest_options, NULL)) != -1) {
        if (c == 'h')
            return 1;
        if (c == '?' || c == ':') {
            cli_error("digest: %s '%s' (see officialmail help digest)",
                      c == ':' ? "option needs a value" : "unknown option", argv[optind - 1]);
            return -1;
        }
        if (digest_option(a, c, optarg) < 0)
            return -1;
    }
    if (optind < argc) {
        cli_error("digest: unexpected argument '%s' (see officialmail help digest)", argv[optind]);
        return -1;
    }
    return digest_check_args(a);
}

/* digest_parse_date - a --since or --until value; a date alone as --until means its whole day. */
static int digest_parse_date(const char *opt, const char *arg, int until, time_t *t)
{
    if (timefmt_parse(arg, t) < 0) {
        cli_error("digest: --%s wants a date (YYYY-MM-DD) or an ISO 8601 date-time in UTC "
                  "(YYYY-MM-DDTHH:MM:SSZ): '%s'",
                  opt, arg);
        return -1;
    }
    if (until && strlen(arg) == 10)
        *t += DIGEST_DAY;
    return 0;
}

/* digest_period_from_args - --week, --since/--until, or the last complete week. */
static int digest_period_from_args(const struct digest_args *a, struct digest_period *p)
{
    char err[160];
    time_t since, until;
    int year, week;

    if (a->week != NULL) {
        if (digest_week_parse(a->week, &year, &week) < 0 || digest_period_week(p, year, week) < 0) {
            cli_error("digest: --week wants an ISO week that exists, such as 2027-W10: '%s'",
                      a->week);
            return -1;
        }
        return 0;
    }
    if (a->schedule != 0)
        return digest_period_schedule(p, a->now, a->schedule);
    if (a->since == NULL)
        return digest_period_last_week(p, a->now) < 0 ? -1 : 0;
    if (digest_parse_date("since", a->since, 0, &since) < 0 ||
        digest_parse_date("until", a->until, 1, &until) < 0)
        return -1;
    if (digest_period_span(p, since, until, err, sizeof(err)) < 0) {
        cli_error("digest: %s", err);
        return -1;
    }
    return 0;
}

/* digest_find_department - --department among the configured departments, with digest_to. */
static int digest_find_department(const struct digest_run *run)
{
    const struct policy *p = run->p;
    const char **names = calloc(p->ndepartments + 1, sizeof(*names));
    int rc;

    if (names == NULL) {
        cli_error("digest: out of memory");
        return -1;
    }
    for (size_t i = 0; i < p->ndepartments; i++)
        names[i] = p->departments[i].name;
    rc = cli_check_name("digest", "department", run->a->department, names, p->ndepartments);
    free(names);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < p->ndepartments; i++)
        if (strcmp(p->departments[i].name, run->a->department) == 0 &&
            p->departments[i].ndigest_to == 0) {
            cli_error("digest: department '%s' has no digest_to", run->a->department);
            return -1;
        }
    return 0;
}

/*
 * digest_open_log - the database of --database or of the configuration,
 * read-only; with --central the central log (--database a conninfo, else
 * central_read_database or central_database), whose digests cover every
 * gateway.
 */
static struct store *digest_open_log(struct digest_run *run)
{
    const struct policy *p = run->p;
    const char *conninfo = run->a->database;
    char err[512];
    struct pgstore *s;

    if (!run->a->central)
        return log_open_path("digest", conninfo != NULL ? conninfo : p->database, STORE_READ);
    if (conninfo == NULL)
        conninfo =
            p->central_read_database != NULL ? p->central_read_database : p->central_database;
    if (conninfo == NULL) {
        cli_error("digest: --central: neither central_read_database nor central_database is "
                  "set in %s",
                  p->file);
        return NULL;
    }
    if ((s = pgstore_open(conninfo, err, sizeof(err))) == NULL)
        cli_error("digest: %s", err);
    run->pg = s;
    return pgstore_base(s);
}

/* digest_reviewed - the "N of M reviewed" counts from the marks of the log read. */
static int digest_reviewed(struct digest_run *run, char *err, size_t errlen)
{
    struct review *rv;
    int rc;

    if (run->pg == NULL)
        return digest_data_reviewed(
            &run->d, run->a->database != NULL ? run->a->database : run->p->database, err, errlen);
    if ((rv = review_pg_open(run->pg)) == NULL)
        return snprintf(err, errlen, "out of memory"), -1;
    rc = digest_data_reviewed_in(&run->d, rv, run->a->gateway, err, errlen);
    review_close(rv);
    return rc;
}

/* digest_announce - one line on stdout: what happened to which digest. */
static void digest_announce(const char *what, const struct digest_dept *dp, const char *const *to,
                            size_t nto)
{
    struct dbuf b;

    dbuf_init(&b);
    dbuf_printf(&b, "%s: ", what);
    if (dp != NULL)
        (void)dbuf_text(&b, dp->name, 120);
    else
        dbuf_add(&b, "compliance digest");
    for (size_t i = 0; i < nto; i++) {
        dbuf_add(&b, i == 0 ? " -> " : ", ");
        (void)dbuf_text(&b, to[i], 120);
    }
    puts(dbuf_failed(&b) ? what : dbuf_str(&b));
    dbuf_free(&b);
}

/* digest_day - "2027-03-01", the UTC day of T. */
static void digest_day(time_t t, char out[16])
{
    if (timefmt_day(t, out) < 0)
        snprintf(out, 16, "?");
}

/*
 * digest_list - the digest that would go, when neither --send nor
 * --output is given: "would send: NAME -> TO; period LABEL (FIRST to
 * LAST); N violations (by action), M in the previous period".
 */
static void digest_list(const struct digest_run *run, const struct digest_dept *dp,
                        const char *const *to, size_t nto)
{
    const struct digest_period *per = &run->d.period;
    const struct digest_counts *cur = dp != NULL ? &dp->cur : &run->d.all.cur;
    const struct digest_counts *prev = dp != NULL ? &dp->prev : &run->d.all.prev;
    char what[512], first[16], last[16];
    size_t o;

    digest_day(per->start, first);
    digest_day(per->end - 1, last); /* the end is exclusive */
    o = (size_t)snprintf(what, sizeof(what), "period %s", per->label);
    if (per->is_week)
        o += (size_t)snprintf(what + o, sizeof(what) - o, " (%s to %s)", first, last);
    o += (size_t)snprintf(what + o, sizeof(what) - o, "; %lld violation%s", cur->total,
                          cur->total == 1 ? "" : "s");
    for (int i = 0, n = 0; i < DA_COUNT && o < sizeof(what); i++)
        if (cur->by_action[i] > 0)
            o += (size_t)snprintf(what + o, sizeof(what) - o, "%s%lld %s", n++ ? ", " : " (",
                                  cur->by_action[i], digest_action_name(i));
    if (cur->total > 0 && o < sizeof(what))
        o += (size_t)snprintf(what + o, sizeof(what) - o, ")");
    if (o < sizeof(what))
        snprintf(what + o, sizeof(what) - o, ", %lld in %s", prev->total, per->prev_label);
    digest_announce("would send", dp, to, nto);
    printf("    %s\n", what);
}

/* digest_deliver - the finished message to the command, a file, or (neither) a listing. */
static int digest_deliver(struct digest_run *run, const struct digest_dept *dp,
                          const char *const *to, size_t nto, const struct dbuf *msg)
{
    char name[160], err[512], what[512];

    if (!run->a->send && run->a->output == NULL) {
        digest_list(run, dp, to, nto);
        return 0;
    }
    if (run->a->send) {
        if (digest_send_command(run->p->sendmail_command, to, nto, dbuf_str(msg), dbuf_len(msg),
                                err, sizeof(err)) < 0) {
            cli_error("digest: not sent: %s", err);
            return -1;
        }
        digest_announce("sent", dp, to, nto);
        return 0;
    }
    digest_file_name(run->d.period.label, dp, name, sizeof(name));
    if (digest_write_file(run->a->output, name, dbuf_str(msg), dbuf_len(msg), err, sizeof(err)) <
        0) {
        cli_error("digest: not written: %s", err);
        return -1;
    }
    snprintf(what, sizeof(what), "wrote %s/%s", run->a->output, name);
    digest_announce(what, dp, to, nto);
    return 0;
}

/* digest_one - make and deliver the digest of DP (NULL: compliance) to TO. */
static void digest_one(struct digest_run *run, const struct digest_dept *dp, char *const *to,
                       size_t nto)
{
    struct digest_view v = {&run->d,        dp, run->a->config, run->host, run->a->central,
                            run->a->gateway};
    const char *const *rcpts = (const char *const *)to;
    struct digest_envelope e = {run->from, rcpts, nto, run->a->now};
    struct dbuf msg;
    char err[256];

    if (run->a->skip_empty && digest_is_empty(&v)) {
        digest_announce("skipped (no violations)", dp, rcpts, nto);
        return;
    }
    dbuf_init(&msg);
    if (digest_message(&msg, &v, &e, err, sizeof(err)) < 0) {
        cli_error("digest: cannot build the message: %s", err);
        run->failures++;
    } else if (digest_deliver(run, dp, rcpts, nto, &msg) < 0) {
        run->failures++;
    }
    dbuf_free(&msg);
}

/* digest_all - every department with digest_to (or the one asked for), then compliance. */
static void digest_all(struct digest_run *run)
{
    const struct policy *p = run->p;

    for (size_t i = 0; i < run->d.ndepts; i++) {
        const struct digest_dept *dp = &run->d.depts[i];
        const struct department *cd;
        if (dp->config_index < 0)
            continue;
        cd = &p->departments[dp->config_index];
        if (cd->ndigest_to == 0 ||
            (run->a->department != NULL && strcmp(cd->name, run->a->department) != 0))
            continue;
        digest_one(run, dp, cd->digest_to, cd->ndigest_to);
    }
    if (run->a->department != NULL)
        return;
    if (p->ncompliance_digest_to > 0)
        digest_one(run, NULL, p->compliance_digest_to, p->ncompliance_digest_to);
    else /* said, so that a missing setting is not mistaken for a quiet week */
        puts("no compliance digest: compliance_digest_to is not set");
}

/* digest_setup - From (digest_from, else officialmail@ the first official domain) and host. */
static int digest_setup(struct digest_run *run)
{
    int n;

    if (run->p->digest_from != NULL)
        n = snprintf(run->from, sizeof(run->from), "%s", run->p->digest_from);
    else
        n = snprintf(run->from, sizeof(run->from), "officialmail@%s",
                     run->p->nofficial > 0 ? run->p->official_domains[0] : "localhost");
    if (n < 0 || (size_t)n >= sizeof(run->from)) {
        cli_error("digest: digest_from is too long");
        return -1;
    }
    if (gethostname(run->host, sizeof(run->host)) < 0)
        snprintf(run->host, sizeof(run->host), "localhost");
    run->host[sizeof(run->host) - 1] = '\0'; /* gethostname() may leave a cut name unterminated */
    return 0;
}

/* digest_run - load, read, make every digest. The exit status. */
static int digest_run(struct digest_run *run)
{
    struct digest_period per;
    char err[512];
    struct store *s = NULL;
    int status = EXIT_USAGE;

    if (digest_period_from_args(run->a, &per) < 0 ||
        (run->a->department != NULL && digest_find_department(run) < 0))
        goto out;
    status = EXIT_UNREADABLE;
    if (run->a->output != NULL && mkdir(run->a->output, 0750) < 0 && errno != EEXIST) {
        cli_error("digest: cannot create %s: %s", run->a->output, strerror(errno));
        goto out;
    }
    if ((s = digest_open_log(run)) == NULL)
        goto out;
    if (digest_data_gather(&run->d, run->p, s, &per, run->a->gateway, run->a->now, err,
                           sizeof(err)) < 0) {
        cli_error("digest: %s", err);
        goto out;
    }
    if (digest_reviewed(run, err, sizeof(err)) < 0) {
        cli_error("digest: %s", err);
        goto out;
    }
    if (run->d.chain.status != 0)
        cli_error("digest: warning: the violation log's hash chain did not verify (see the "
                  "digests, and run officialmail verify-log)");
    if (digest_setup(run) < 0)
        goto out;
    digest_all(run);
    if (!run->a->send && run->a->output == NULL)
        puts("nothing was sent: use --send, or --output DIR to write the messages");
    status = run->failures > 0 ? EXIT_UNREADABLE : 0;
out:
    store_close(s);
    return status;
}

/* cmd_digest - parse, load the configuration, run. */
int cmd_digest(int argc, char **argv, const char *config)
{
    struct digest_args a = {.config = config, .now = time(NULL)};
    struct digest_run run = {.a = &a};
    int status, rc = digest_parse_args(argc, argv, &a);

    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_digest_usage, stdout);
        return rc > 0 ? 0 : EXIT_USAGE;
    }
    if ((run.p = cli_load_policy(a.config, a.now, 0, NULL)) == NULL)
        return EXIT_UNREADABLE;
    status = digest_run(&run);
    digest_data_free(&run.d);
    policy_unref(run.p);
    if (fflush(stdout) != 0 && status == 0)
        status = EXIT_UNREADABLE;
    return status;
}
