/*
 * cmd_serve - `officialmail serve`: the review console (SPEC 11).
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "central_args.h"
#include "cli.h"
#include "serve.h"

const char cmd_serve_usage[] =
    "usage: officialmail serve [-c FILE] [--listen ADDRESS:PORT] [--database PATH]\n"
    "                          [--idle-timeout SECONDS] [--central]\n"
    "\n"
    "Serve the review console: compliance officers and departments' security\n"
    "officers log in with a browser to read the violation log, mark records\n"
    "reviewed, false-positive or escalated, export lists, and read the digests.\n"
    "\n"
    "  --listen ADDRESS:PORT  instead of console_listen (default 127.0.0.1:8025);\n"
    "                         plain HTTP only on a loopback address, HTTPS with\n"
    "                         console_cert and console_key anywhere\n"
    "  --database PATH        the violation log instead of the configuration's\n"
    "  --idle-timeout SECONDS a session unused this long ends (default 1800)\n"
    "  --central              read the central PostgreSQL log, every gateway's\n"
    "                         (--database is then a libpq conninfo; without it\n"
    "                         central_read_database, or central_database); review\n"
    "                         marks go to its review_marks, on the chain of the\n"
    "                         console's role (central-schema --add-console)\n"
    "\n"
    "Users are in console_users, made with `officialmail passwd`. Runs in the\n"
    "foreground until SIGTERM or SIGINT; logins go to syslog (facility authpriv).\n"
    "Exit status: 0 after a signal, 1 when it cannot start, 2 bad arguments.\n";

/* cmd_serve - parse, load, serve. */
int cmd_serve(int argc, char **argv, const char *config)
{
    static const struct option options[] = {{"config", required_argument, NULL, 'c'},
                                            {"listen", required_argument, NULL, 'l'},
                                            {"database", required_argument, NULL, 'd'},
                                            {"idle-timeout", required_argument, NULL, 'i'},
                                            {"central", no_argument, NULL, 'C'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    struct serve_options o = {.config = config, .idle = 1800};
    const char *listen = NULL, *database = NULL;
    int c, central = 0;
    char *end;

    optind = 0; /* 0: glibc starts afresh, permuting NAME after the options */
    while ((c = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        if (c == 'c')
            o.config = optarg;
        else if (c == 'l')
            listen = optarg;
        else if (c == 'd')
            database = optarg;
        else if (c == 'C')
            central = 1;
        else if (c == 'i' && ((o.idle = strtoll(optarg, &end, 10)) < 1 || *end != '\0'))
            return cli_error("serve: --idle-timeout: a number of seconds"), EXIT_USAGE;
        else if (c == 'h')
            return fputs(cmd_serve_usage, stdout), 0;
        else if (c != 'i')
            return fputs(cmd_serve_usage, stderr), EXIT_USAGE;
    }
    if (optind < argc)
        return cli_error("serve: unexpected argument '%s'", argv[optind]), EXIT_USAGE;
    struct policy *p = cli_load_policy(o.config, time(NULL), 0, NULL);
    if (p == NULL)
        return EXIT_UNREADABLE;
    o.listen = listen != NULL ? listen : p->console_listen;
    o.database = database != NULL ? database : p->database;
    if (central) {
        struct log_args a = {.cmd = "serve", .config = o.config, .database = database, .policy = p};
        if ((o.central = central_conninfo(&a)) == NULL)
            return policy_unref(p), EXIT_UNREADABLE;
    }
    int status = serve_run(p, &o);
    policy_unref(p);
    return status;
}
