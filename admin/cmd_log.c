/*
 * cmd_log - `officialmail log`: the violation records that match the
 * filters, as a table for a person, CSV (RFC 4180) for a spreadsheet, or
 * JSON lines for other tools (SPEC 7).
 *
 * The log is read through a read-only connection (WAL: the milter's
 * writer is never blocked), and the output is spooled to a temporary
 * file when standard output is a pipe or a terminal, so that a reader
 * left paused in a pager does not hold its snapshot open while the
 * milter keeps writing.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "csv.h"
#include "json.h"
#include "log_args.h"
#include "record_fmt.h"
#include "table.h"

const char cmd_log_usage[] =
    "usage: officialmail log [-c FILE] [--since DATE] [--until DATE]\n"
    "                        [--department NAME] [--rule RULE] [--action ACTION]\n"
    "                        [--sender ADDR] [--address ADDR] [--queue-id ID]\n"
    "                        [--message-id ID] [--gateway NAME]\n"
    "                        [--format table|csv|json] [--database PATH]\n"
    "\n"
    "Print the records of the violation log that match every filter given,\n"
    "oldest first.\n"
    "\n"
    "  --since DATE       from DATE on: YYYY-MM-DD (from 00:00:00Z that day) or\n"
    "                     an ISO 8601 date-time in UTC (YYYY-MM-DDTHH:MM:SSZ)\n"
    "  --until DATE       before DATE: YYYY-MM-DD takes in the whole day;\n"
    "                     a date-time is exclusive\n"
    "  --department NAME  the department, exactly as the configuration or the log\n"
    "                     names it (an unknown name is an error)\n"
    "  --rule RULE        official-to-webmail, webmail-to-official,\n"
    "                     reply-to-webmail or spoofed-official\n"
    "  --action ACTION    log, tag, quarantine, reject or exempt\n"
    "  --sender ADDR      envelope sender or header From ('<>' is the null sender)\n"
    "  --address ADDR     the offending address\n"
    "  --queue-id ID      the MTA's queue id\n"
    "  --message-id ID    the Message-ID, with or without its angle brackets\n"
    "  --gateway NAME     the gateway that wrote the record (its gateway_name)\n"
    "  --format FORMAT    table (default; on a terminal cut to its width, at\n"
    "                     least 80 columns; piped or in a file, whole), csv\n"
    "                     (RFC 4180, every column; a value that begins with =,\n"
    "                     +, -, @, TAB or CR gets a leading ') or json (one\n"
    "                     object per line, every column; reasons an array)\n"
    "  --database PATH    read this database instead of the configuration's\n"
    "\n"
    "Addresses are compared normalised, as the log stores them.\n"
    "Exit status: 0 the records were printed (even none), 1 the configuration or\n"
    "the log could not be read, 2 bad arguments.\n";

static const struct option log_options[] = {LOG_ARGS_FILTER_OPTIONS,
                                            {"format", required_argument, NULL, LOG_OPT_FORMAT},
                                            LOG_ARGS_COMMON_OPTIONS,
                                            {NULL, 0, NULL, 0}};

/* The table's columns, in order. */
enum { TC_ID, TC_TIME, TC_DEPARTMENT, TC_RULE, TC_ACTION, TC_ADDRESS, TC_SENDER, TC_COUNT };

struct log_out {
    FILE *fp;
    enum log_format format;
    int whole;   /* a table not on a terminal: cells spooled, widths measured, never cut */
    int central; /* --central: ids are per gateway, so the id cell is GATEWAY:ID */
    int width[TC_COUNT];
    long long n;
};

static const char *const log_head[TC_COUNT] = {"id",     "time",    "department", "rule",
                                               "action", "address", "sender"};

/*
 * log_table_layout - the columns' widths for a line of COLUMNS: the fixed
 * ones hold their longest value (the time to the minute), the rule is cut
 * below 100 columns (its first word still tells the four apart), and the
 * department and both addresses share the rest.
 */
static void log_table_layout(int columns, int w[TC_COUNT])
{
    w[TC_ID] = 6;
    w[TC_TIME] = 16; /* "YYYY-MM-DD HH:MM" */
    w[TC_RULE] = columns >= 100 ? 19 : 12;
    w[TC_ACTION] = 10; /* "quarantine" */
    int flex = columns - (TC_COUNT - 1) - w[TC_ID] - w[TC_TIME] - w[TC_RULE] - w[TC_ACTION];
    w[TC_DEPARTMENT] = flex * 3 / 10;
    w[TC_ADDRESS] = (flex - w[TC_DEPARTMENT]) / 2;
    w[TC_SENDER] = flex - w[TC_DEPARTMENT] - w[TC_ADDRESS];
}

/* log_table_row - one line of cells; the id right-aligned, the last cell unpadded. */
static void log_table_row(FILE *fp, const int w[TC_COUNT], const char *const cell[TC_COUNT])
{
    fprintf(fp, "%*s", w[TC_ID], cell[TC_ID]);
    for (int i = 1; i < TC_COUNT; i++) {
        putc(' ', fp);
        table_cell(fp, *cell[i] ? cell[i] : "-", w[i], i < TC_COUNT - 1);
    }
    putc('\n', fp);
}

/*
 * log_table_spool - a row of a whole table, kept until every width is
 * known: its cells cleaned (no control character is left, so TAB and LF
 * can separate them), and the widths grown to hold them.
 */
static void log_table_spool(struct log_out *o, const char *const cell[TC_COUNT])
{
    for (int i = 0; i < TC_COUNT; i++) {
        const char *c = *cell[i] ? cell[i] : "-";
        int w = table_strwidth(c);
        if (w > o->width[i])
            o->width[i] = w;
        if (i > 0)
            putc('\t', o->fp);
        table_clean(o->fp, c);
    }
    putc('\n', o->fp);
}

/* log_print_table - one record as a table row. */
static int log_print_table(const struct record *r, void *arg)
{
    struct log_out *o = arg;
    char id[300], when[LOG_STAMP_LEN];

    if (o->central)
        snprintf(id, sizeof(id), "%.256s:%lld", r->f[RF_GATEWAY], r->id);
    else
        snprintf(id, sizeof(id), "%lld", r->id);
    snprintf(when, sizeof(when), "%.16s", r->f[RF_TIME]);
    if (strlen(when) > 10 && when[10] == 'T')
        when[10] = ' ';
    const char *cell[TC_COUNT] = {
        id,
        when,
        r->f[RF_DEPARTMENT],
        r->f[RF_RULE],
        r->f[RF_ACTION],
        r->f[RF_ADDRESS],
        *r->f[RF_ENVELOPE_SENDER] ? r->f[RF_ENVELOPE_SENDER] : "<>",
    };
    if (o->whole)
        log_table_spool(o, cell);
    else
        log_table_row(o->fp, o->width, cell);
    o->n++;
    return 0;
}

/* log_table_unspool - the whole table: the heading and the spooled rows at their widths. */
static int log_table_unspool(struct log_out *o)
{
    char *line = NULL, *cell[TC_COUNT];
    size_t cap = 0;
    ssize_t len;
    int rc = 0;

    log_table_row(stdout, o->width, log_head);
    if (fflush(o->fp) != 0 || fseek(o->fp, 0, SEEK_SET) != 0)
        rc = -1;
    while (rc == 0 && (len = getline(&line, &cap, o->fp)) > 0) {
        line[len - 1] = '\0';
        cell[0] = line;
        for (int i = 1; i < TC_COUNT; i++) {
            char *tab = cell[i - 1] != NULL ? strchr(cell[i - 1], '\t') : NULL;
            cell[i] = tab != NULL ? (*tab = '\0', tab + 1) : NULL;
        }
        if (cell[TC_COUNT - 1] == NULL) { /* only this program wrote the spool */
            rc = -1;
            break;
        }
        log_table_row(stdout, o->width, (const char *const *)cell);
    }
    free(line);
    if (ferror(o->fp))
        rc = -1;
    fclose(o->fp);
    printf("%lld record%s\n", o->n, o->n == 1 ? "" : "s");
    return fflush(stdout) == 0 ? rc : -1;
}

/* log_csv_header - the column names: id, the fields in order, prev_hash, hash. */
static void log_csv_header(FILE *fp)
{
    record_fmt_csv_header(fp);
}

/* log_print_csv - one record as a CSV line ending in CRLF. */
static int log_print_csv(const struct record *r, void *arg)
{
    struct log_out *o = arg;

    record_fmt_csv(o->fp, r);
    o->n++;
    return 0;
}

/* log_print_json - one record as one JSON object on one line. */
static int log_print_json(const struct record *r, void *arg)
{
    struct log_out *o = arg;

    record_fmt_json(o->fp, r);
    o->n++;
    return 0;
}

/*
 * log_spool - where to write: standard output itself when it is a
 * regular file (writing there cannot stall), else an anonymous temporary
 * file copied out once the query is done (or standard output when none
 * can be made).
 */
static FILE *log_spool(void)
{
    struct stat st;
    FILE *fp;

    if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode))
        return stdout;
    fp = tmpfile();
    return fp != NULL ? fp : stdout;
}

/* log_unspool - copy SPOOL to standard output and close it; 0 or -1. */
static int log_unspool(FILE *spool)
{
    char buf[65536];
    size_t n;
    int rc = 0;

    if (spool == stdout)
        return fflush(stdout) == 0 ? 0 : -1;
    if (fflush(spool) != 0 || fseek(spool, 0, SEEK_SET) != 0)
        rc = -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof(buf), spool)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            rc = -1;
    if (ferror(spool))
        rc = -1;
    fclose(spool);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc;
}

/* log_run - query the log into O->fp in the chosen format. */
static int log_run(struct store *s, const struct store_filter *f, struct log_out *o)
{
    static int (*const print[])(const struct record *, void *) = {
        [LOG_FORMAT_TABLE] = log_print_table,
        [LOG_FORMAT_CSV] = log_print_csv,
        [LOG_FORMAT_JSON] = log_print_json,
    };

    if (o->format == LOG_FORMAT_TABLE && o->whole) {
        for (int i = 0; i < TC_COUNT; i++)
            o->width[i] = table_strwidth(log_head[i]);
    } else if (o->format == LOG_FORMAT_TABLE) {
        log_table_layout(table_width(), o->width);
        log_table_row(o->fp, o->width, log_head);
    } else if (o->format == LOG_FORMAT_CSV) {
        log_csv_header(o->fp);
    }
    if (store_query(s, f, print[o->format], o) < 0) {
        cli_error("log: %s", store_error(s));
        return -1;
    }
    if (o->format == LOG_FORMAT_TABLE && !o->whole)
        fprintf(o->fp, "%lld record%s\n", o->n, o->n == 1 ? "" : "s");
    return 0;
}

/* log_output - where the records go first: a spool for a whole table, else log_spool(). */
static int log_output(struct log_out *o)
{
    o->whole = o->format == LOG_FORMAT_TABLE && table_width() == 0;
    if (!o->whole) {
        o->fp = log_spool();
        return 0;
    }
    if ((o->fp = tmpfile()) == NULL) {
        cli_error("log: cannot make a temporary file for the table: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* cmd_log - parse, open read-only, print. */
int cmd_log(int argc, char **argv, const char *config)
{
    struct log_args a = {.cmd = "log", .config = config};
    struct log_out o = {0};
    struct store *s = NULL;
    int status = EXIT_USAGE, rc = log_args_parse(&a, argc, argv, log_options);

    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_log_usage, stdout);
        status = rc > 0 ? 0 : EXIT_USAGE;
        goto out;
    }
    status = EXIT_UNREADABLE;
    if ((s = log_args_open(&a, STORE_READ)) == NULL)
        goto out;
    if (log_args_department(&a, s) < 0) {
        status = EXIT_USAGE;
        goto out;
    }
    o.format = a.format;
    o.central = a.central;
    if (log_output(&o) < 0)
        goto out;
    rc = log_run(s, &a.filter, &o);
    store_close(s); /* the snapshot is released before the output is copied */
    s = NULL;
    if (rc < 0) {
        if (o.fp != stdout)
            fclose(o.fp);
        goto out;
    }
    if ((o.whole ? log_table_unspool(&o) : log_unspool(o.fp)) < 0) {
        cli_error("log: cannot write the output");
        goto out;
    }
    status = 0;
out:
    store_close(s);
    log_args_free(&a);
    return status;
}
