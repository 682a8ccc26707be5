/*
 * cmd_central_schema - `officialmail central-schema`: print, or with
 * --create apply, the central log's SQL (SPEC 9 "Details"): the schema,
 * a gateway's login role, a department reader, a review console's role.
 *
 * It connects, with --create, as whoever the conninfo (--database, else
 * libpq's environment) names: the database's owner, with CREATEROLE,
 * not a superuser. Names go to the database as parameters of the
 * schema's functions, never into SQL text; the printed SQL quotes them
 * as literals, for a DBA who prefers to read before running.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pg_schema.h"
#include "store_pg.h"

const char cmd_central_schema_usage[] =
    "usage: officialmail central-schema [--create] [--database CONNINFO]\n"
    "       officialmail central-schema [--create] [--database CONNINFO] --add-gateway NAME\n"
    "       officialmail central-schema [--create] [--database CONNINFO] --add-reader ROLE\n"
    "                                   --department NAME [--department NAME ...]\n"
    "       officialmail central-schema [--create] [--database CONNINFO] --add-console ROLE\n"
    "                                   [--department NAME ...]\n"
    "\n"
    "Print the SQL of the central violation log (tables violations, review_marks,\n"
    "department_readers, central_checkpoints; the group roles officialmail_ship,\n"
    "officialmail_compliance, officialmail_department and officialmail_console;\n"
    "row-level security), or the SQL that makes a gateway's login role (named as\n"
    "its gateway_name), a department reader's, or a review console's. With --create, apply it, "
    "connected as the database's\n"
    "owner (a role with CREATEROLE; no superuser needed). Give login roles their\n"
    "passwords with psql's \\password; the gateways keep theirs in ~/.pgpass.\n"
    "\n"
    "  --create             apply instead of printing\n"
    "  --database CONNINFO  libpq conninfo of the owner's connection (default:\n"
    "                       libpq's environment, PGHOST, PGDATABASE, PGUSER...)\n"
    "  --add-gateway NAME   a gateway's shipping role (in officialmail_ship)\n"
    "  --add-reader ROLE    a department reader (in officialmail_department) who\n"
    "                       sees the rows of the --department names given\n"
    "  --add-console ROLE   the role `serve --central` connects as: a compliance\n"
    "                       reader (or, with --department, a department reader)\n"
    "                       in officialmail_console, which appends review marks\n"
    "                       to a hash chain of its own, on records it can see,\n"
    "                       and never updates or deletes one\n"
    "\n"
    "Exit status: 0 done, 1 the database refused or could not be reached,\n"
    "2 bad arguments.\n";

#define SCHEMA_MAX_DEPTS 256

struct schema_args {
    int create;
    const char *conninfo;
    const char *gateway;
    const char *reader;
    const char *console;
    const char *depts[SCHEMA_MAX_DEPTS];
    size_t ndepts;
};

/* schema_option - one option into A; 0, 1 for --help, -1 bad. */
static int schema_option(struct schema_args *a, int c, const char *arg)
{
    switch (c) {
    case 'C':
        a->create = 1;
        return 0;
    case 'd':
        a->conninfo = arg;
        return 0;
    case 'g':
        a->gateway = arg;
        return 0;
    case 'r':
        a->reader = arg;
        return 0;
    case 'k':
        a->console = arg;
        return 0;
    case 'D':
        if (a->ndepts == SCHEMA_MAX_DEPTS) {
            cli_error("central-schema: at most %d --department", SCHEMA_MAX_DEPTS);
            return -1;
        }
        a->depts[a->ndepts++] = arg;
        return 0;
    case 'c':
        return 0; /* the configuration is not needed: the SQL is the same for all */
    case 'h':
        return 1;
    }
    return -1;
}

/* schema_args - parse and check the combination; 0, 1 for --help, -1 bad (said). */
static int schema_args(struct schema_args *a, int argc, char **argv)
{
    static const struct option options[] = {{"create", no_argument, NULL, 'C'},
                                            {"database", required_argument, NULL, 'd'},
                                            {"add-gateway", required_argument, NULL, 'g'},
                                            {"add-reader", required_argument, NULL, 'r'},
                                            {"add-console", required_argument, NULL, 'k'},
                                            {"department", required_argument, NULL, 'D'},
                                            {"config", required_argument, NULL, 'c'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    int c, rc;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:h", options, NULL)) != -1) {
        if (c == '?' || c == ':') {
            cli_error("central-schema: %s '%s' (see officialmail help central-schema)",
                      c == ':' ? "option needs a value" : "unknown option", argv[optind - 1]);
            return -1;
        }
        if ((rc = schema_option(a, c, optarg)) != 0)
            return rc;
    }
    if (optind < argc) {
        cli_error("central-schema: unexpected argument '%s'", argv[optind]);
        return -1;
    }
    if ((a->gateway != NULL) + (a->reader != NULL) + (a->console != NULL) > 1) {
        cli_error("central-schema: --add-gateway, --add-reader and --add-console are "
                  "separate runs");
        return -1;
    }
    if (a->console == NULL && (a->reader != NULL) != (a->ndepts > 0)) {
        cli_error("central-schema: --add-reader ROLE goes with one or more --department NAME");
        return -1;
    }
    return 0;
}

/* schema_print - the SQL on standard output. 0 or 1. */
static int schema_print(const struct schema_args *a)
{
    char lit[1024], arr[8192], arrlit[16400];

    if (a->gateway != NULL) {
        if (pg_schema_literal(a->gateway, lit, sizeof(lit)) == NULL)
            goto too_long;
        printf("SELECT officialmail_add_gateway(%s);\n", lit);
    } else if (a->reader != NULL || a->console != NULL) {
        if (pg_schema_literal(a->reader != NULL ? a->reader : a->console, lit, sizeof(lit)) ==
                NULL ||
            pg_schema_array(a->depts, a->ndepts, arr, sizeof(arr)) == NULL ||
            pg_schema_literal(arr, arrlit, sizeof(arrlit)) == NULL)
            goto too_long;
        printf("SELECT officialmail_add_%s(%s, %s);\n", a->reader != NULL ? "reader" : "console",
               lit, arrlit);
    } else {
        fputs(pg_schema_sql, stdout);
    }
    return fflush(stdout) == 0 ? 0 : 1;
too_long:
    cli_error("central-schema: a name is too long");
    return 1;
}

/* schema_apply - the same, run on the database. 0 or 1. */
static int schema_apply(const struct schema_args *a)
{
    char err[512], arr[8192];
    struct pgstore *s = pgstore_open(a->conninfo != NULL ? a->conninfo : "", err, sizeof(err));
    const char *params[2] = {NULL, NULL};
    int rc;

    if (s == NULL) {
        cli_error("central-schema: %s", err);
        return 1;
    }
    if (a->gateway != NULL) {
        params[0] = a->gateway;
        rc = pgstore_exec_params(s, pg_schema_add_gateway_sql, 1, params);
    } else if (a->reader != NULL || a->console != NULL) {
        params[0] = a->reader != NULL ? a->reader : a->console;
        params[1] = pg_schema_array(a->depts, a->ndepts, arr, sizeof(arr));
        rc = params[1] != NULL
                 ? pgstore_exec_params(
                       s, a->reader != NULL ? pg_schema_add_reader_sql : pg_schema_add_console_sql,
                       2, params)
                 : -1;
    } else {
        rc = pgstore_exec(s, pg_schema_sql);
    }
    if (rc < 0)
        cli_error("central-schema: %s", pgstore_error(s));
    else if (params[0] != NULL)
        printf("role %s is ready; set its password with \\password in psql\n", params[0]);
    else
        printf("the central schema is in place (connected as %s)\n", pgstore_user(s));
    pgstore_close(s);
    return rc < 0 ? 1 : 0;
}

/* cmd_central_schema - parse, then print or apply. */
int cmd_central_schema(int argc, char **argv, const char *config)
{
    struct schema_args a;
    int rc;

    (void)config;
    memset(&a, 0, sizeof(a));
    rc = schema_args(&a, argc, argv);
    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_central_schema_usage, stdout);
        return rc > 0 ? 0 : EXIT_USAGE;
    }
    return a.create ? schema_apply(&a) : schema_print(&a);
}
