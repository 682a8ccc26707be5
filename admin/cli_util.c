/*
 * cli_util - diagnostics, configuration loading and time parsing for the
 * subcommands.
 */
#include <config.h>

#include <ctype.h>
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

/* cli_digits - parse exactly N digits at *S into *OUT, advancing *S. */
static int cli_digits(const char **s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return -1;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return 0;
}

/* cli_parse_clock - "HH:MM[:SS]" with an optional "Z" into TM. */
static int cli_parse_clock(const char *s, struct tm *tm)
{
    if (cli_digits(&s, 2, &tm->tm_hour) < 0 || *s++ != ':' || cli_digits(&s, 2, &tm->tm_min) < 0)
        return -1;
    if (*s == ':' && (s++, cli_digits(&s, 2, &tm->tm_sec) < 0))
        return -1;
    if (*s == 'Z' || *s == 'z')
        s++;
    if (*s != '\0' || tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60)
        return -1;
    return 0;
}

/* cli_parse_time - an ISO 8601 UTC date or date-time; the date must exist. */
int cli_parse_time(const char *s, time_t *out)
{
    struct tm tm = {0}, check;
    int y, mo, d;

    if (cli_digits(&s, 4, &y) < 0 || *s++ != '-' || cli_digits(&s, 2, &mo) < 0 || *s++ != '-' ||
        cli_digits(&s, 2, &d) < 0)
        return -1;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        if (cli_parse_clock(s + 1, &tm) < 0)
            return -1;
    } else if (*s != '\0') {
        return -1;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    *out = timegm(&tm);
    /* timegm() normalises 2027-02-30 to March: refuse dates that moved. */
    if (gmtime_r(out, &check) == NULL || check.tm_year != y - 1900 || check.tm_mon != mo - 1 ||
        check.tm_mday != d || mo < 1 || mo > 12)
        return -1;
    return 0;
}
