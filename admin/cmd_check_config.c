/*
 * cmd_check_config - `officialmail check-config`: load and validate the
 * configuration; errors and warnings on stderr, a summary on stdout.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"

const char cmd_check_config_usage[] =
    "usage: officialmail check-config [-c FILE]\n"
    "\n"
    "Load and validate the configuration and the webmail lists it names.\n"
    "Errors and warnings (expired exceptions, exceptions that never lapse,\n"
    "domains both official and webmail, overlapping lists) are printed on\n"
    "standard error as FILE:LINE: message.\n"
    "Exit status: 0 the configuration is usable, 1 it has errors, 2 bad arguments.\n";

static const struct option check_options[] = {
    {"config", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

/* cmd_check_config - validate and summarise. */
int cmd_check_config(int argc, char **argv, const char *config)
{
    unsigned warnings;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:h", check_options, NULL)) != -1) {
        if (c == 'h') {
            fputs(cmd_check_config_usage, stdout);
            return 0;
        }
        if (c != 'c') {
            cli_error("check-config: %s '%s' (see officialmail help check-config)",
                      c == ':' ? "option needs a value" : "unknown option", argv[optind - 1]);
            return EXIT_USAGE;
        }
        config = optarg;
    }
    if (optind < argc) {
        cli_error("check-config: unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    struct policy *p = cli_load_policy(config, time(NULL), 1, &warnings);
    if (p == NULL)
        return 1;
    printf("%s: OK: %zu official domains, %zu webmail domains, %zu departments, "
           "%zu exceptions, %zu markers, mode %s; %u warning%s\n",
           p->file, p->nofficial, domain_set_count(p->webmail), p->ndepartments, p->nexceptions,
           p->nmarkers, policy_mode_name(p->mode), warnings, warnings == 1 ? "" : "s");
    policy_unref(p);
    return 0;
}
