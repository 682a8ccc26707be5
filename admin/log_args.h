/*
 * log_args - the options the compliance officer's subcommands share
 * (`log`, `stats`, `verify-log`, `expire`): the filters of SPEC 7, the
 * output format, and where the violation log is.
 *
 * Purpose: one parser, so that `log` and `stats` accept the same filters
 * with the same validation and messages; each subcommand lists in its
 * own option table which of them it takes. The database is the
 * configuration's `database` unless --database names one, so that a copy
 * can be queried without a configuration.
 *
 * Returns: 0 / -1 (said on stderr); log_args_parse() 1 when --help was asked.
 *
 * Ownership: a struct log_args owns the normalised addresses it holds
 * (log_args_free()); the other strings are lent from argv.
 * Thread safety: none needed (the command is single-threaded).
 */
#ifndef OM_LOG_ARGS_H
#define OM_LOG_ARGS_H

#include <getopt.h>

#include "store.h"

struct policy;

enum log_format { LOG_FORMAT_TABLE, LOG_FORMAT_CSV, LOG_FORMAT_JSON };
enum log_by {
    LOG_BY_DEPARTMENT,
    LOG_BY_RULE,
    LOG_BY_ACTION,
    LOG_BY_DAY,
    LOG_BY_SENDER,
    LOG_BY_ADDRESS,
    LOG_BY_GATEWAY,
    LOG_BY_WEEK
};

/* getopt_long codes of the shared long options. */
enum {
    LOG_OPT_SINCE = 256,
    LOG_OPT_UNTIL,
    LOG_OPT_DEPARTMENT,
    LOG_OPT_RULE,
    LOG_OPT_ACTION,
    LOG_OPT_SENDER,
    LOG_OPT_ADDRESS,
    LOG_OPT_FORMAT,
    LOG_OPT_DATABASE,
    LOG_OPT_BY,
    LOG_OPT_BEFORE,
    LOG_OPT_QUEUE_ID,
    LOG_OPT_MESSAGE_ID,
    LOG_OPT_GATEWAY,
    LOG_OPT_CENTRAL
};

/* Entries for an option table: the filters, then the common ones. */
#define LOG_ARGS_FILTER_OPTIONS                                                                    \
    {"since", required_argument, NULL, LOG_OPT_SINCE},                                             \
        {"until", required_argument, NULL, LOG_OPT_UNTIL},                                         \
        {"department", required_argument, NULL, LOG_OPT_DEPARTMENT},                               \
        {"rule", required_argument, NULL, LOG_OPT_RULE},                                           \
        {"action", required_argument, NULL, LOG_OPT_ACTION},                                       \
        {"sender", required_argument, NULL, LOG_OPT_SENDER},                                       \
        {"address", required_argument, NULL, LOG_OPT_ADDRESS},                                     \
        {"queue-id", required_argument, NULL, LOG_OPT_QUEUE_ID},                                   \
        {"message-id", required_argument, NULL, LOG_OPT_MESSAGE_ID},                               \
    {                                                                                              \
        "gateway", required_argument, NULL, LOG_OPT_GATEWAY                                        \
    }
#define LOG_ARGS_COMMON_OPTIONS                                                                    \
    {"config", required_argument, NULL, 'c'}, {"central", no_argument, NULL, LOG_OPT_CENTRAL},     \
        {"database", required_argument, NULL, LOG_OPT_DATABASE},                                   \
    {                                                                                              \
        "help", no_argument, NULL, 'h'                                                             \
    }

#define LOG_STAMP_LEN 32 /* "YYYY-MM-DDTHH:MM:SSZ" and NUL, with room */

struct log_args {
    const char *cmd;      /* the subcommand's name, for messages */
    const char *config;   /* NULL: the default configuration */
    const char *database; /* --database, or NULL: the configuration's */
    int central;          /* --central: the central log (--database is then a conninfo) */
    struct store_filter filter;
    enum log_format format;
    enum log_by by;
    char since[LOG_STAMP_LEN], until[LOG_STAMP_LEN], before[LOG_STAMP_LEN];
    char *sender, *address; /* normalised copies, owned */
    char *path;             /* the database, once log_args_open() found it; owned */
    struct policy *policy;  /* the configuration, when it was read; owned */
};

/*
 * log_args_parse - parse ARGV (the subcommand's name first) with
 * OPTIONS into A, whose cmd and config the caller sets. Extra operands
 * are refused. Returns 0, 1 for --help, or -1 after printing why the
 * arguments are bad.
 */
int log_args_parse(struct log_args *a, int argc, char **argv, const struct option *options);

/*
 * log_args_open - open the violation log A names, printing the reason on
 * stderr when it cannot be opened. STORE_WRITE never creates a database
 * that is not already an officialmail log. NULL on error.
 */
struct store *log_args_open(struct log_args *a, enum store_mode mode);

/*
 * log_open_path - open the violation log at PATH (MODE) for subcommand
 * CMD. When it cannot be opened, says why on stderr with the path and
 * the user the command runs as (a permission, a missing file, SQLite's
 * -shm file). NULL on error.
 */
struct store *log_open_path(const char *cmd, const char *path, enum store_mode mode);

/*
 * log_args_cannot_write - the message for a write into the opened log
 * that failed (expire): the path, the user, and REASON.
 */
void log_args_cannot_write(const struct log_args *a, const char *reason);

/*
 * log_args_department - when --department was given, 0 when the log or
 * the configuration knows the name, else -1 after saying so with the
 * nearest known name (SPEC 5b). S is the opened log.
 */
int log_args_department(const struct log_args *a, struct store *s);

/*
 * log_args_time - STAMP (LOG_STAMP_LEN bytes) = ARG, an ISO 8601 UTC
 * date or date-time, as the log writes time stamps; a date alone means
 * its midnight, or, with END_OF_DAY, the next midnight (so that
 * "--until DATE" takes in the whole day). 0, or -1 when ARG is not a
 * date.
 */
int log_args_time(const char *arg, int end_of_day, char stamp[LOG_STAMP_LEN]);

/* log_args_user - "nobody (uid 65534)": who the command runs as, for messages. */
void log_args_user(char *buf, size_t len);

/* log_args_free - free what A owns; A stays usable for nothing but this. */
void log_args_free(struct log_args *a);

#endif
