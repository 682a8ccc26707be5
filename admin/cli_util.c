/*
 * cli_util - diagnostics and configuration loading for the subcommands.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "config_load.h"

/* cli_error - one error line on stderr. */
void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("officialmail: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

struct cli_report {
    int show_warnings;
    unsigned warnings;
};

/* cli_report - print a loader diagnostic; warnings say so after file:line. */
static void cli_report(void *arg, enum config_severity sev, const char *msg)
{
    struct cli_report *r = arg;

    if (sev == CONFIG_WARNING) {
        r->warnings++;
        if (r->show_warnings)
            fprintf(stderr, "warning: %s\n", msg);
        return;
    }
    fprintf(stderr, "%s\n", msg);
}

/* cli_load_policy - load the configuration, reporting on stderr. */
struct policy *cli_load_policy(const char *config, time_t now, int show_warnings,
                               unsigned *nwarnings)
{
    struct cli_report r = {show_warnings, 0};
    struct policy *p = config_load(config ? config : config_default_path(), now, cli_report, &r);

    if (nwarnings != NULL)
        *nwarnings = r.warnings;
    return p;
}
