/*
 * officialmail - the administrator's and compliance officer's command:
 * global options, subcommand dispatch and help.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
    {"check-config", cmd_check_config, "load and validate the configuration",
     cmd_check_config_usage},
    {"test", cmd_test, "judge one message offline as the milter would", cmd_test_usage},
    {"log", cmd_log, "print the violation records that match filters", cmd_log_usage},
    {"stats", cmd_stats, "count violations per department, rule, action or day", cmd_stats_usage},
    {"verify-log", cmd_verify_log, "check the violation log's hash chain", cmd_verify_log_usage},
    {"expire", cmd_expire, "remove old violation records, keeping the chain verifiable",
     cmd_expire_usage},
    {"digest", cmd_digest, "make (and send) the weekly breach digests", cmd_digest_usage},
    {"alert", cmd_alert, "send alerts when violations cross a threshold", cmd_alert_usage},
    {"serve", cmd_serve, "serve the review console (web)", cmd_serve_usage},
    {"passwd", cmd_passwd, "add or change a review console user", cmd_passwd_usage},
    {"release", cmd_release, "release a held message and mark it released", cmd_release_usage},
    {"replay", cmd_replay, "judge the mail of mailboxes: what would this policy have done?",
     cmd_replay_usage},
    {"ship", cmd_ship, "ship the violation log to the central PostgreSQL log", cmd_ship_usage},
    {"central-schema", cmd_central_schema, "print or apply the central log's SQL",
     cmd_central_schema_usage},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* officialmail_usage - the overview printed by `officialmail help`. */
static void officialmail_usage(FILE *fp)
{
    fputs("usage: officialmail [-c FILE] SUBCOMMAND [OPTIONS]\n"
          "       officialmail help [SUBCOMMAND]\n"
          "       officialmail --version\n\n"
          "Subcommands:\n",
          fp);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fputs("\n-c FILE names the configuration (default " SYSCONFDIR
          "/officialmail/officialmail.conf);\n"
          "it may be given before or after the subcommand.\n",
          fp);
}

/* officialmail_find - the subcommand called NAME, or NULL. */
static const struct cli_command *officialmail_find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* officialmail_help - `help` and `help SUBCOMMAND`. */
static int officialmail_help(int argc, char **argv)
{
    if (argc < 2) {
        officialmail_usage(stdout);
        return 0;
    }
    const struct cli_command *cmd = officialmail_find(argv[1]);
    if (cmd == NULL) {
        cli_error("help: no subcommand '%s'", argv[1]);
        officialmail_usage(stderr);
        return EXIT_USAGE;
    }
    fputs(cmd->usage, stdout);
    return 0;
}

/* main - global options up to the subcommand, then the subcommand. */
int main(int argc, char **argv)
{
    static const struct option options[] = {{"config", required_argument, NULL, 'c'},
                                            {"help", no_argument, NULL, 'h'},
                                            {"version", no_argument, NULL, 'V'},
                                            {NULL, 0, NULL, 0}};
    const char *config = NULL;
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:hV", options, NULL)) != -1) {
        switch (c) {
        case 'c':
            config = optarg;
            break;
        case 'h':
            officialmail_usage(stdout);
            return 0;
        case 'V':
            printf("officialmail %s\n", PACKAGE_VERSION);
            return 0;
        default:
            cli_error("%s '%s'", c == ':' ? "option needs a value" : "unknown option",
                      argv[optind - 1]);
            officialmail_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        officialmail_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[optind], "help") == 0)
        return officialmail_help(argc - optind, argv + optind);
    const struct cli_command *cmd = officialmail_find(argv[optind]);
    if (cmd == NULL) {
        cli_error("no subcommand '%s' (see officialmail help)", argv[optind]);
        return EXIT_USAGE;
    }
    return cmd->run(argc - optind, argv + optind, config);
}
