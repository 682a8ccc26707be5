/*
 * cli - what the subcommands of `officialmail` share.
 *
 * Exit statuses (SPEC 7): 0 done, 1 the configuration or an input could
 * not be read, 2 bad arguments.
 *
 * Returns: cmd_* the command's exit status (0 done, 1 unreadable or failed,
 * 2 bad arguments); the rest 0 / -1 (said on stderr).
 */
#ifndef OM_CLI_H
#define OM_CLI_H

#include <stdio.h>
#include <time.h>

#include "policy.h"
#include "verdict.h"

#define EXIT_UNREADABLE 1
#define EXIT_USAGE 2

struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv, const char *config);
    const char *summary;
    const char *usage; /* the help text of `officialmail help NAME` */
};

/* The subcommands, each in its own file. */
int cmd_check_config(int argc, char **argv, const char *config);
int cmd_test(int argc, char **argv, const char *config);
int cmd_log(int argc, char **argv, const char *config);
int cmd_stats(int argc, char **argv, const char *config);
int cmd_verify_log(int argc, char **argv, const char *config);
int cmd_expire(int argc, char **argv, const char *config);
int cmd_digest(int argc, char **argv, const char *config);
int cmd_alert(int argc, char **argv, const char *config);
int cmd_serve(int argc, char **argv, const char *config);
int cmd_passwd(int argc, char **argv, const char *config);
int cmd_release(int argc, char **argv, const char *config);
int cmd_replay(int argc, char **argv, const char *config);
int cmd_ship(int argc, char **argv, const char *config);
int cmd_central_schema(int argc, char **argv, const char *config);
extern const char cmd_check_config_usage[];
extern const char cmd_test_usage[];
extern const char cmd_log_usage[];
extern const char cmd_stats_usage[];
extern const char cmd_verify_log_usage[];
extern const char cmd_expire_usage[];
extern const char cmd_digest_usage[];
extern const char cmd_alert_usage[];
extern const char cmd_serve_usage[];
extern const char cmd_passwd_usage[];
extern const char cmd_release_usage[];
extern const char cmd_replay_usage[];
extern const char cmd_ship_usage[];
extern const char cmd_central_schema_usage[];

/* cli_error - "officialmail: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * cli_check_name - 0 when ARG is one of the N NAMES; else -1 after
 * "CMD: no WHAT named "ARG"" on stderr, with the nearest name when one is
 * close (cli_nearest_name()), or the known names when none is (SPEC 5b).
 */
int cli_check_name(const char *cmd, const char *what, const char *arg, const char *const *names,
                   size_t n);

/* cli_nearest_name - the one of the N NAMES that ARG most likely meant, or NULL. */
const char *cli_nearest_name(const char *arg, const char *const *names, size_t n);

/*
 * cli_load_policy - load CONFIG (NULL: the default path), printing every
 * diagnostic on stderr; warnings only when SHOW_WARNINGS. NULL on error.
 */
struct policy *cli_load_policy(const char *config, time_t now, int show_warnings,
                               unsigned *nwarnings);

/* verdict_print_json - the `test --json` object (SPEC 7), one line. */
void verdict_print_json(FILE *fp, const struct verdict *v);

/* verdict_print_text - the decision for a person to read. */
void verdict_print_text(FILE *fp, const struct policy *p, const struct verdict *v);

#endif
