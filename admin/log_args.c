/*
 * log_args - filters, format and database of the log subcommands.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "address.h"
#include "cli.h"
#include "log_args.h"

/* How long a reader or expire waits for SQLite's locks (WAL readers rarely wait). */
#define LOG_BUSY_READ_MS 5000
#define LOG_BUSY_WRITE_MS 15000

static const char *const log_formats[] = {"table", "csv", "json", NULL};
static const char *const log_bys[] = {"department", "rule", "action", "day", NULL};

/* log_args_lookup - the index of NAME in the NULL-terminated NAMES, or -1. */
static int log_args_lookup(const char *const *names, const char *name)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

/* log_args_time - a date or date-time as the log stamps it. */
int log_args_time(const char *arg, int end_of_day, char stamp[LOG_STAMP_LEN])
{
    time_t t;
    struct tm tm;

    if (cli_parse_time(arg, &t) < 0)
        return -1;
    /* cli_parse_time() took "YYYY-MM-DD" alone only when nothing follows it. */
    if (end_of_day && strlen(arg) == 10)
        t += 24 * 60 * 60;
    if (gmtime_r(&t, &tm) == NULL || strftime(stamp, LOG_STAMP_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return -1;
    return 0;
}

/*
 * log_args_address - the normalised form of an address filter, as the log
 * stores addresses: "<>" and "" are the null sender; what is not an
 * address (a domain that is not valid is kept as received) only has the
 * part after its last '@' lowercased. A new string, or NULL when out of memory.
 */
static char *log_args_address(const char *arg)
{
    size_t len = strlen(arg);
    char *n, *at;

    if (strcmp(arg, "<>") == 0)
        return strdup("");
    if ((n = addr_normalize_text(arg)) != NULL)
        return n;
    if (len >= 2 && arg[0] == '<' && arg[len - 1] == '>')
        n = strndup(arg + 1, len - 2);
    else
        n = strdup(arg);
    if (n != NULL && (at = strrchr(n, '@')) != NULL)
        for (; *at; at++)
            *at = (char)tolower((unsigned char)*at);
    return n;
}

/* log_args_set_address - replace *DST by the normalised ARG. */
static int log_args_set_address(struct log_args *a, char **dst, const char **filter,
                                const char *arg)
{
    char *n = log_args_address(arg);

    if (n == NULL) {
        cli_error("%s: out of memory", a->cmd);
        return -1;
    }
    free(*dst);
    *dst = n;
    *filter = n;
    return 0;
}

/* log_args_enum - *OUT = index of ARG in NAMES, or a message listing them. */
static int log_args_enum(const struct log_args *a, const char *opt, const char *const *names,
                         const char *arg, int *out)
{
    char list[128] = "";

    if ((*out = log_args_lookup(names, arg)) >= 0)
        return 0;
    for (int i = 0; names[i] != NULL; i++) {
        strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
        strncat(list, names[i], sizeof(list) - strlen(list) - 1);
    }
    cli_error("%s: --%s wants one of %s: '%s'", a->cmd, opt, list, arg);
    return -1;
}

/* log_args_stamp - a date option into STAMP, or the message. */
static int log_args_stamp(const struct log_args *a, const char *opt, const char *arg,
                          int end_of_day, char stamp[LOG_STAMP_LEN])
{
    if (log_args_time(arg, end_of_day, stamp) == 0)
        return 0;
    cli_error("%s: --%s wants a date (YYYY-MM-DD) or an ISO 8601 date-time in UTC "
              "(YYYY-MM-DDTHH:MM:SSZ): '%s'",
              a->cmd, opt, arg);
    return -1;
}

/*
 * log_args_choice - an option whose value is one of a list: the rules and
 * a violation's actions by the names the milter writes (policy.c), the
 * format, the grouping. 0, or -1 with the list in the message.
 */
static int log_args_choice(struct log_args *a, int c, const char *arg)
{
    const char *rules[RULE_COUNT + 1] = {NULL};
    const char *actions[] = {
        policy_action_name(ACTION_LOG),        policy_action_name(ACTION_TAG),
        policy_action_name(ACTION_QUARANTINE), policy_action_name(ACTION_REJECT),
        policy_action_name(ACTION_EXEMPT),     NULL};
    int i;

    for (int r = 0; r < RULE_COUNT; r++)
        rules[r] = policy_rule_name((enum om_rule)r);
    switch (c) {
    case LOG_OPT_RULE:
        if (log_args_enum(a, "rule", rules, arg, &i) < 0)
            return -1;
        a->filter.rule = rules[i]; /* static strings of policy.c */
        return 0;
    case LOG_OPT_ACTION:
        if (log_args_enum(a, "action", actions, arg, &i) < 0)
            return -1;
        a->filter.action = actions[i];
        return 0;
    case LOG_OPT_FORMAT:
        if (log_args_enum(a, "format", log_formats, arg, &i) < 0)
            return -1;
        a->format = (enum log_format)i;
        return 0;
    case LOG_OPT_BY:
        if (log_args_enum(a, "by", log_bys, arg, &i) < 0)
            return -1;
        a->by = (enum log_by)i;
        return 0;
    }
    return -1;
}

/* log_args_option - apply one option C with value ARG; -1 on a bad value. */
static int log_args_option(struct log_args *a, int c, const char *arg)
{
    struct store_filter *f = &a->filter;

    switch (c) {
    case 'c':
        a->config = arg;
        return 0;
    case LOG_OPT_DATABASE:
        a->database = arg;
        return 0;
    case LOG_OPT_DEPARTMENT:
        f->department = arg;
        return 0;
    case LOG_OPT_SENDER:
        return log_args_set_address(a, &a->sender, &f->sender, arg);
    case LOG_OPT_ADDRESS:
        return log_args_set_address(a, &a->address, &f->address, arg);
    case LOG_OPT_SINCE:
        f->since = a->since;
        return log_args_stamp(a, "since", arg, 0, a->since);
    case LOG_OPT_UNTIL:
        f->until = a->until;
        return log_args_stamp(a, "until", arg, 1, a->until);
    case LOG_OPT_BEFORE:
        return log_args_stamp(a, "before", arg, 0, a->before);
    }
    return log_args_choice(a, c, arg);
}

/* log_args_parse - the subcommand's options; its own table says which it takes. */
int log_args_parse(struct log_args *a, int argc, char **argv, const struct option *options)
{
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:h", options, NULL)) != -1) {
        if (c == 'h')
            return 1;
        if (c == '?' || c == ':') {
            cli_error("%s: %s '%s' (see officialmail help %s)", a->cmd,
                      c == ':' ? "option needs a value" : "unknown option", argv[optind - 1],
                      a->cmd);
            return -1;
        }
        if (log_args_option(a, c, optarg) < 0)
            return -1;
    }
    if (optind < argc) {
        cli_error("%s: unexpected argument '%s' (see officialmail help %s)", a->cmd, argv[optind],
                  a->cmd);
        return -1;
    }
    if (a->filter.since != NULL && a->filter.until != NULL &&
        strcmp(a->filter.since, a->filter.until) >= 0) {
        cli_error("%s: --since (%s) must come before --until (%s)", a->cmd, a->since, a->until);
        return -1;
    }
    return 0;
}

/* log_args_path - the database: --database, else the configuration's (a new string). */
static char *log_args_path(const struct log_args *a)
{
    struct policy *p;
    char *path;

    if (a->database != NULL)
        path = strdup(a->database);
    else if ((p = cli_load_policy(a->config, time(NULL), 0, NULL)) != NULL) {
        path = strdup(p->database);
        policy_unref(p);
    } else {
        return NULL; /* the loader said why */
    }
    if (path == NULL)
        cli_error("%s: out of memory", a->cmd);
    return path;
}

/*
 * log_args_hint - why a log in WAL mode may not open for a reader: with no
 * writer running, SQLite must create PATH-shm, in a directory the reader
 * may not write to. "" when that is not the case.
 */
static const char *log_args_hint(const char *path)
{
    char wal[4096], *dir, *slash;
    int writable;

    if (snprintf(wal, sizeof(wal), "%s-wal", path) >= (int)sizeof(wal) || access(wal, F_OK) == 0)
        return "";
    if ((dir = strdup(path)) == NULL)
        return "";
    slash = strrchr(dir, '/');
    if (slash == NULL)
        writable = access(".", W_OK) == 0;
    else if (slash == dir)
        writable = access("/", W_OK) == 0;
    else
        writable = (*slash = '\0', access(dir, W_OK) == 0);
    free(dir);
    return writable ? ""
                    : " (with the milter stopped, reading needs write access to the log's "
                      "directory for SQLite's -shm file; or read a copy with --database)";
}

/* log_args_open - read-only first: writing never creates or migrates a stranger's file. */
struct store *log_args_open(const struct log_args *a, enum store_mode mode)
{
    char *path = log_args_path(a), err[512];
    struct store *s = NULL;
    struct stat st;

    if (path == NULL)
        return NULL;
    if (stat(path, &st) < 0) {
        cli_error("%s: cannot open the violation log %s: %s", a->cmd, path, strerror(errno));
        goto out;
    }
    s = store_open(path, STORE_READ, LOG_BUSY_READ_MS, err, sizeof(err));
    if (s != NULL && mode == STORE_WRITE) {
        store_close(s);
        s = store_open(path, STORE_WRITE, LOG_BUSY_WRITE_MS, err, sizeof(err));
    }
    if (s == NULL)
        cli_error("%s: cannot open the violation log %s: %s%s", a->cmd, path, err,
                  log_args_hint(path));
out:
    free(path);
    return s;
}

/* log_args_free - the normalised addresses. */
void log_args_free(struct log_args *a)
{
    free(a->sender);
    free(a->address);
    a->sender = a->address = NULL;
}
