/*
 * log_args - filters, format and database of the log subcommands.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "address.h"
#include "cli.h"
#include "central_args.h"
#include "log_args.h"
#include "store_pg.h"
#include "timefmt.h"

/* How long a reader or expire waits for SQLite's locks (WAL readers rarely wait). */
#define LOG_BUSY_READ_MS 5000
#define LOG_BUSY_WRITE_MS 15000

static const char *const log_formats[] = {"table", "csv", "json", NULL};
static const char *const log_bys[] = {"department", "rule",    "action", "day", "sender",
                                      "address",    "gateway", "week",   NULL};

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

    if (timefmt_parse(arg, &t) < 0)
        return -1;
    /* timefmt_parse() took "YYYY-MM-DD" alone only when nothing follows it. */
    if (end_of_day && strlen(arg) == 10)
        t += 24 * 60 * 60;
    return timefmt_iso8601(t, stamp);
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
        if (cli_check_name(a->cmd, "rule", arg, rules, RULE_COUNT) < 0)
            return -1;
        a->filter.rule = rules[log_args_lookup(rules, arg)]; /* static strings of policy.c */
        return 0;
    case LOG_OPT_ACTION:
        if (cli_check_name(a->cmd, "action", arg, actions, sizeof(actions) / sizeof(*actions) - 1) <
            0)
            return -1;
        a->filter.action = actions[log_args_lookup(actions, arg)];
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
    case LOG_OPT_CENTRAL:
        a->central = 1;
        return 0;
    case LOG_OPT_DEPARTMENT:
        f->department = arg;
        return 0;
    case LOG_OPT_SENDER:
        return log_args_set_address(a, &a->sender, &f->sender, arg);
    case LOG_OPT_ADDRESS:
        return log_args_set_address(a, &a->address, &f->address, arg);
    case LOG_OPT_QUEUE_ID:
        f->queue_id = arg;
        return 0;
    case LOG_OPT_MESSAGE_ID:
        f->message_id = arg;
        return 0;
    case LOG_OPT_GATEWAY:
        f->gateway = arg;
        return 0;
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

/* log_args_path - the database: --database, else the configuration's (kept in A). */
static int log_args_path(struct log_args *a)
{
    if (a->database == NULL) {
        if ((a->policy = cli_load_policy(a->config, time(NULL), 0, NULL)) == NULL)
            return -1; /* the loader said why */
        a->path = strdup(a->policy->database);
    } else {
        a->path = strdup(a->database);
    }
    if (a->path == NULL) {
        cli_error("%s: out of memory", a->cmd);
        return -1;
    }
    return 0;
}

/* log_args_user - "nobody (uid 65534)": who the command runs as, for messages. */
void log_args_user(char *buf, size_t len)
{
    uid_t uid = geteuid();
    struct passwd *pw = getpwuid(uid);

    snprintf(buf, len, "%s (uid %lu)", pw != NULL ? pw->pw_name : "?", (unsigned long)uid);
}

/* log_args_dir - the directory of PATH into BUF ("." when it has none). */
static void log_args_dir(const char *path, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        snprintf(buf, len, ".");
    else if (slash == path)
        snprintf(buf, len, "/");
    else
        snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/* log_args_file_why - why this user cannot open PATH (MODE): its absence or permissions; 0: none.
 */
static int log_args_file_why(const char *path, enum store_mode mode, char *why, size_t len)
{
    struct stat st;
    struct passwd *pw;
    int e;

    if (stat(path, &st) < 0) {
        snprintf(why, len, "%s", strerror(errno));
        return 1;
    }
    if (faccessat(AT_FDCWD, path, mode == STORE_WRITE ? R_OK | W_OK : R_OK, AT_EACCESS) == 0)
        return 0;
    e = errno;
    pw = getpwuid(st.st_uid);
    snprintf(why, len, "%s (the file is mode %04o, owner %s)", strerror(e),
             (unsigned)(st.st_mode & 07777), pw != NULL ? pw->pw_name : "?");
    return 1;
}

/*
 * log_args_dir_why - after SQLite failed: when the log's directory is
 * not writable for this user and SQLite must create a file there (the
 * -wal and -shm files when writing; the -shm file when reading with no
 * -wal file, that is with the milter stopped), " (...)" saying so; "".
 */
static const char *log_args_dir_why(const char *path, enum store_mode mode, char *why, size_t len)
{
    char dir[4096], wal[4100];

    log_args_dir(path, dir, sizeof(dir));
    snprintf(wal, sizeof(wal), "%s-wal", path);
    if ((mode == STORE_READ && access(wal, F_OK) == 0) ||
        faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) == 0)
        return "";
    snprintf(why, len, " (%s: %s; SQLite creates the log's %s file%s there%s)", dir,
             strerror(errno), mode == STORE_WRITE ? "-wal and -shm" : "-shm",
             mode == STORE_WRITE ? "s" : "",
             mode == STORE_WRITE ? "" : "; or read a copy with --database");
    return why;
}

/* log_open_path - read-only first: writing never creates or migrates a stranger's file. */
struct store *log_open_path(const char *cmd, const char *path, enum store_mode mode)
{
    char err[512], why[1024], dirwhy[4400], user[300];
    struct store *s = NULL;

    /* SQLite would create a missing file; a typo must be an error instead. */
    if (!log_args_file_why(path, mode, why, sizeof(why))) {
        s = store_open(path, STORE_READ, LOG_BUSY_READ_MS, err, sizeof(err));
        if (s != NULL && mode == STORE_WRITE) {
            store_close(s);
            s = store_open(path, STORE_WRITE, LOG_BUSY_WRITE_MS, err, sizeof(err));
        }
        if (s != NULL)
            return s;
        snprintf(why, sizeof(why), "%s%s", err,
                 log_args_dir_why(path, mode, dirwhy, sizeof(dirwhy)));
    }
    log_args_user(user, sizeof(user));
    cli_error("%s: cannot open the violation log %s for %s as user %s: %s", cmd, path,
              mode == STORE_WRITE ? "writing" : "reading", user, why);
    return NULL;
}

/* log_args_open - the database of A: --database, or the configuration's. */
struct store *log_args_open(struct log_args *a, enum store_mode mode)
{
    if (a->central) {
        const char *conninfo = central_conninfo(a);
        char err[512];
        struct pgstore *s;

        if (conninfo == NULL)
            return NULL;
        if ((s = pgstore_open(conninfo, err, sizeof(err))) == NULL)
            cli_error("%s: %s", a->cmd, err);
        return pgstore_base(s);
    }
    if (a->path == NULL && log_args_path(a) < 0)
        return NULL;
    return log_open_path(a->cmd, a->path, mode);
}

/* log_args_cannot_write - a failed write into the opened log, with path and user. */
void log_args_cannot_write(const struct log_args *a, const char *reason)
{
    char user[300], dirwhy[4400];
    const char *path = a->path != NULL ? a->path : "?";

    log_args_user(user, sizeof(user));
    cli_error("%s: cannot write to the violation log %s as user %s: %s%s", a->cmd, path, user,
              reason, log_args_dir_why(path, STORE_WRITE, dirwhy, sizeof(dirwhy)));
}

/* The department names the log and the configuration know. */
struct log_names {
    const char **v;
    size_t n, cap;
    int failed;
};

/* log_names_add - one more name (lent); non-zero when out of memory. */
static int log_names_add(const char *name, void *arg)
{
    struct log_names *l = arg;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        const char **v = realloc(l->v, cap * sizeof(*v));
        if (v == NULL)
            return l->failed = 1;
        l->v = v;
        l->cap = cap;
    }
    if ((l->v[l->n] = strdup(name)) == NULL)
        return l->failed = 1;
    l->n++;
    return 0;
}

/* log_args_department - --department among the log's and the configuration's names. */
int log_args_department(const struct log_args *a, struct store *s)
{
    struct log_names l = {0};
    const struct policy *p = a->policy;
    int rc = -1;

    if (a->filter.department == NULL)
        return 0;
    if (store_departments(s, log_names_add, &l) < 0) {
        cli_error("%s: %s", a->cmd, store_error(s));
        goto out;
    }
    for (size_t i = 0; p != NULL && i < p->ndepartments && !l.failed; i++)
        log_names_add(p->departments[i].name, &l);
    if (p != NULL && !l.failed)
        log_names_add(p->default_department, &l);
    if (l.failed)
        cli_error("%s: out of memory", a->cmd);
    else
        rc = cli_check_name(a->cmd, "department", a->filter.department, l.v, l.n);
out:
    for (size_t i = 0; i < l.n; i++)
        free((char *)l.v[i]);
    free(l.v);
    return rc;
}

/* log_args_free - the normalised addresses, the path, the configuration. */
void log_args_free(struct log_args *a)
{
    free(a->sender);
    free(a->address);
    free(a->path);
    policy_unref(a->policy);
    a->sender = a->address = a->path = NULL;
    a->policy = NULL;
}
