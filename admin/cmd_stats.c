/*
 * cmd_stats - `officialmail stats`: how many records match the filters,
 * per department, rule, action, day, week, sender, address or gateway,
 * with each group's share (SPEC 7, 5b).
 *
 * The counting is done here over store_query(), not in SQL, so that the
 * store stays a small backend-neutral interface (DESIGN "Where it goes
 * next"); the groups are few (departments, days), the records many.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "csv.h"
#include "json.h"
#include "log_args.h"
#include "strtab.h"
#include "table.h"
#include "timefmt.h"

const char cmd_stats_usage[] =
    "usage: officialmail stats [-c FILE] [--since DATE] [--until DATE]\n"
    "                          [--department NAME] [--rule RULE] [--action ACTION]\n"
    "                          [--sender ADDR] [--address ADDR] [--queue-id ID]\n"
    "                          [--message-id ID] [--gateway NAME]\n"
    "                          [--by department|rule|action|day|week|sender|\n"
    "                                address|gateway]\n"
    "                          [--format table|csv|json] [--database PATH]\n"
    "\n"
    "Count the records of the violation log that match every filter given\n"
    "(the filters of officialmail log), per group, with each group's share of\n"
    "them in percent. Groups come by count, largest first, then by name;\n"
    "days and weeks come in date order (UTC).\n"
    "\n"
    "  --by KEY           department (default), rule, action, day, week (the\n"
    "                     ISO 8601 week, YYYY-Www), sender (the envelope sender,\n"
    "                     <> for the null sender), address (the offending\n"
    "                     address) or gateway\n"
    "  --format FORMAT    table (default, with a total line; on a terminal cut\n"
    "                     to its width, piped whole), csv (RFC 4180) or json\n"
    "                     (one object per group and line)\n"
    "  --database PATH    read this database instead of the configuration's\n"
    "\n"
    "Exit status: 0 the counts were printed, 1 the configuration or the log could\n"
    "not be read, 2 bad arguments.\n";

static const struct option stats_options[] = {LOG_ARGS_FILTER_OPTIONS,
                                              {"format", required_argument, NULL, LOG_OPT_FORMAT},
                                              {"by", required_argument, NULL, LOG_OPT_BY},
                                              LOG_ARGS_COMMON_OPTIONS,
                                              {NULL, 0, NULL, 0}};

static const char *const stats_by_names[] = {"department", "rule",    "action",  "day",
                                             "sender",     "address", "gateway", "week"};

struct stats_group {
    const char *name; /* lent by the table of names */
    long long count;
};

struct stats {
    enum log_by by;
    struct strtab *names; /* group name -> index in groups */
    struct stats_group *groups;
    size_t n, cap;
    long long total;
    int failed; /* out of memory while counting */
};

/* stats_new_group - group NAME (LEN bytes) at index *IDX; 0 or -1. */
static int stats_new_group(struct stats *st, const char *name, size_t len, int *idx)
{
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        struct stats_group *g = realloc(st->groups, cap * sizeof(*g));
        if (g == NULL)
            return -1;
        st->groups = g;
        st->cap = cap;
    }
    *idx = (int)st->n;
    if (strtab_put(st->names, name, len, *idx) < 0)
        return -1;
    st->groups[st->n++] = (struct stats_group){strtab_get(st->names, name, len, idx), 0};
    return 0;
}

/*
 * stats_week - the ISO 8601 week "YYYY-Www" of STAMP ("YYYY-MM-DD..."),
 * into WEEK (16 bytes); the stamp itself when it is not a date.
 */
static const char *stats_week(const char *stamp, char week[16])
{
    char day[TIMEFMT_DAY_LEN];
    struct tm tm;
    time_t t;

    snprintf(day, sizeof(day), "%s", stamp);
    if (timefmt_parse(day, &t) < 0)
        return stamp;
    t += 12 * 60 * 60;
    if (gmtime_r(&t, &tm) == NULL || strftime(week, 16, "%G-W%V", &tm) == 0)
        return stamp;
    return week;
}

/* stats_key - the group of record R; WEEK is room for a week's name. */
static const char *stats_key(const struct stats *st, const struct record *r, char week[16])
{
    static const int field[] = {[LOG_BY_DEPARTMENT] = RF_DEPARTMENT,  [LOG_BY_RULE] = RF_RULE,
                                [LOG_BY_ACTION] = RF_ACTION,          [LOG_BY_DAY] = RF_TIME,
                                [LOG_BY_SENDER] = RF_ENVELOPE_SENDER, [LOG_BY_ADDRESS] = RF_ADDRESS,
                                [LOG_BY_GATEWAY] = RF_GATEWAY,        [LOG_BY_WEEK] = RF_TIME};
    const char *key = r->f[field[st->by]];

    if (st->by == LOG_BY_WEEK)
        return stats_week(key, week);
    if (st->by == LOG_BY_SENDER && *key == '\0')
        return "<>"; /* the null sender, as `log` shows it */
    return key;
}

/* stats_add - count record R in its group; non-zero stops the query (out of memory). */
static int stats_add(const struct record *r, void *arg)
{
    struct stats *st = arg;
    char week[16];
    const char *key = stats_key(st, r, week);
    size_t len = st->by == LOG_BY_DAY ? strnlen(key, 10) : strlen(key); /* "YYYY-MM-DD" */
    int idx;

    if (strtab_get(st->names, key, len, &idx) == NULL && stats_new_group(st, key, len, &idx) < 0) {
        st->failed = 1;
        return 1;
    }
    st->groups[idx].count++;
    st->total++;
    return 0;
}

/* stats_by_count - largest count first, then by name. */
static int stats_by_count(const void *a, const void *b)
{
    const struct stats_group *x = a, *y = b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* stats_by_name - by name: "YYYY-MM-DD" sorts by date. */
static int stats_by_name(const void *a, const void *b)
{
    return strcmp(((const struct stats_group *)a)->name, ((const struct stats_group *)b)->name);
}

/* stats_share - G's share of the total in percent. */
static double stats_share(const struct stats *st, const struct stats_group *g)
{
    return st->total ? 100.0 * (double)g->count / (double)st->total : 0.0;
}

/* stats_table - aligned columns and a total line; long names cut to fit. */
static void stats_table(FILE *fp, const struct stats *st)
{
    char total[24];
    int cw = snprintf(total, sizeof(total), "%lld", st->total);
    int nw = (int)strlen(stats_by_names[st->by]);

    cw = cw < 5 ? 5 : cw;
    for (size_t i = 0; i < st->n; i++) {
        int w = table_strwidth(*st->groups[i].name ? st->groups[i].name : "(none)");
        nw = w > nw ? w : nw;
    }
    int columns = table_width(), room = columns - cw - 9; /* " COUNT  SHARE%" */
    nw = columns > 0 && nw > room ? room : nw;            /* cut only on a terminal */
    table_cell(fp, stats_by_names[st->by], nw, 1);
    fprintf(fp, " %*s  share\n", cw, "count");
    for (size_t i = 0; i < st->n; i++) {
        const struct stats_group *g = &st->groups[i];
        table_cell(fp, *g->name ? g->name : "(none)", nw, 1);
        fprintf(fp, " %*lld %5.1f%%\n", cw, g->count, stats_share(st, g));
    }
    table_cell(fp, "total", nw, 1);
    fprintf(fp, st->total ? " %*s 100.0%%\n" : " %*s      -\n", cw, total);
}

/* stats_print - the groups in FORMAT; CSV and JSON carry no total (it is their sum). */
static void stats_print(FILE *fp, const struct stats *st, enum log_format format)
{
    const char *key = stats_by_names[st->by];

    if (format == LOG_FORMAT_TABLE) {
        stats_table(fp, st);
        return;
    }
    if (format == LOG_FORMAT_CSV)
        fprintf(fp, "%s,count,share\r\n", key);
    for (size_t i = 0; i < st->n; i++) {
        const struct stats_group *g = &st->groups[i];
        if (format == LOG_FORMAT_CSV) {
            csv_field(fp, g->name, 1);
            fprintf(fp, ",%lld,%.1f\r\n", g->count, stats_share(st, g));
        } else {
            putc('{', fp);
            json_key(fp, key, 1);
            json_string(fp, g->name);
            fprintf(fp, ", \"count\": %lld, \"share\": %.1f}\n", g->count, stats_share(st, g));
        }
    }
}

/* cmd_stats - parse, count, sort, print. */
int cmd_stats(int argc, char **argv, const char *config)
{
    struct log_args a = {.cmd = "stats", .config = config};
    struct stats st = {0};
    struct store *s = NULL;
    int status = EXIT_USAGE, rc = log_args_parse(&a, argc, argv, stats_options);

    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_stats_usage, stdout);
        status = rc > 0 ? 0 : EXIT_USAGE;
        goto out;
    }
    status = EXIT_UNREADABLE;
    st.by = a.by;
    if ((st.names = strtab_new()) == NULL) {
        cli_error("stats: out of memory");
        goto out;
    }
    if ((s = log_args_open(&a, STORE_READ)) == NULL)
        goto out;
    if (log_args_department(&a, s) < 0) {
        status = EXIT_USAGE;
        goto out;
    }
    if (store_query(s, &a.filter, stats_add, &st) < 0) {
        cli_error("stats: %s", store_error(s));
        goto out;
    }
    if (st.failed) {
        cli_error("stats: out of memory");
        goto out;
    }
    if (st.n > 0)
        qsort(st.groups, st.n, sizeof(*st.groups),
              st.by == LOG_BY_DAY || st.by == LOG_BY_WEEK ? stats_by_name : stats_by_count);
    stats_print(stdout, &st, a.format);
    status = fflush(stdout) == 0 ? 0 : EXIT_UNREADABLE;
out:
    store_close(s);
    free(st.groups);
    strtab_free(st.names);
    log_args_free(&a);
    return status;
}
