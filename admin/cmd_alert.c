/*
 * cmd_alert - `officialmail alert`: the daemon that follows the violation
 * log and sends an alert when an alert rule's threshold is crossed
 * (SPEC 10).
 *
 * Each round judges every alert rule from its own cursor (alert/
 * alert_state.c: table alert_state of the local log); an alert is stored
 * as pending together with the cursor that passes its record, then sent
 * (mail, alert_command), then cleared: a restart neither misses nor
 * repeats one. A rule seen for the first time starts at the end of the
 * log (the past is the digests' business). Rounds run every --poll
 * seconds until SIGTERM or SIGINT; --once runs one round.
 *
 * With --central it follows the central log, keeping the same table in a
 * state file named for the reader role (and the gateway) and the
 * conninfo, so that two readers never share one: every gateway at once
 * (alert/alert_central.c: a cursor per gateway, alert/alert_follow.c), or
 * with --gateway NAME only NAME's records (one cursor, as locally).
 *
 * It stays in the foreground (systemd) and logs to standard error and
 * to syslog (facility mail).
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert_central.h"
#include "alert_metrics.h"
#include "alert_send.h"
#include "alert_state.h"
#include "cli.h"
#include "store_pg.h"

const char cmd_alert_usage[] =
    "usage: officialmail alert [-c FILE] [--once] [--poll SECONDS]\n"
    "                          [--central [--gateway NAME] [--state FILE]]\n"
    "                          [--metrics-listen HOST:PORT]\n"
    "\n"
    "Follow the violation log and send an alert when an alert rule's threshold\n"
    "is crossed: a mail (text and HTML) through sendmail_command to alert_to and\n"
    "the department's alert_to, and one JSON line on alert_command's input.\n"
    "An alert rule does not alert again within alert_interval. The place of each\n"
    "alert rule is kept in the log's database (table alert_state), so that a\n"
    "restart neither misses nor repeats an alert.\n"
    "\n"
    "  --once                   one round, then exit (0 when every alert went out)\n"
    "  --poll SECONDS           pause between rounds (default 10)\n"
    "  --metrics-listen ADDR    serve /metrics and /healthz on ADDR (HOST:PORT)\n"
    "  --central                follow the central log (central_read_database, else\n"
    "                           central_database): every gateway's records, counted\n"
    "                           together; the place kept in a state file\n"
    "  --gateway NAME           with --central: only this gateway's records\n"
    "  --state FILE             with --central: the state file (default: under\n"
    "                           " LOCALSTATEDIR "/lib/officialmail, named per reader)\n"
    "\n"
    "Exit status: 0 done, 1 the configuration or the log could not be read or an\n"
    "alert could not be sent (--once), 2 bad arguments.\n";

struct alert_run {
    struct policy *p;
    const char *config;
    struct store *store;
    struct alert_state *state;
    struct pgstore *pg;  /* --central: the central log (store is its base) */
    const char *gateway; /* local: gateway_name; --central: --gateway NAME, else NULL (all) */
    struct alert_follow *follow; /* --central, all gateways: the rule being judged */
    size_t rule;                 /* index of the alert rule being judged */
    char err[512];
};

static volatile sig_atomic_t alert_stop;

/* alert_on_signal - stop after the round. */
static void alert_on_signal(int sig)
{
    (void)sig;
    alert_stop = 1;
}

/* alert_say - a line on stderr and in syslog. */
static void alert_say(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void alert_say(int prio, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "officialmail alert: %s\n", msg);
    syslog(prio, "alert: %s", msg);
}

/*
 * alert_deliver - send what ROW holds pending, clearing each part once
 * it went out (so that a failure retries only what did not). 0 or -1.
 */
static int alert_deliver(struct alert_run *r, const char *name, struct alert_row *row)
{
    if (row->pending_mail != NULL) {
        if (alert_send_mail(r->p, row->pending_rcpts ? row->pending_rcpts : "", row->pending_mail,
                            r->err, sizeof(r->err)) < 0)
            return -1;
        free(row->pending_mail), free(row->pending_rcpts);
        row->pending_mail = row->pending_rcpts = NULL;
        if (alert_state_put(r->state, name, row) < 0)
            goto db;
    }
    if (row->pending_json != NULL) {
        if (alert_send_command(r->p, row->pending_json, r->err, sizeof(r->err)) < 0)
            return -1;
        free(row->pending_json);
        row->pending_json = NULL;
        if (alert_state_put(r->state, name, row) < 0)
            goto db;
    }
    return 0;
db:
    snprintf(r->err, sizeof(r->err), "%s", alert_state_error(r->state));
    return -1;
}

/* alert_fire - store the alert as pending with the cursor past its record, then send it. */
static int alert_fire(const struct alert_hit *h, struct alert_row *row, void *arg)
{
    struct alert_run *r = arg;
    struct alert_view v = {h, r->p, r->config, r->gateway, r->pg != NULL};
    struct dbuf json, mail, rcpts;
    int rc = -1;

    dbuf_init(&json), dbuf_init(&mail), dbuf_init(&rcpts);
    if (alert_build(&v, &json, &mail, &rcpts, r->err, sizeof(r->err)) < 0)
        goto out;
    alert_row_clear(row);
    if (r->follow == NULL) { /* all gateways: alert_central set its fired time */
        row->cursor = h->last_id;
        row->last_alert = h->last_time;
    }
    row->pending_json = strdup(dbuf_str(&json));
    row->pending_mail = dbuf_len(&mail) ? strdup(dbuf_str(&mail)) : NULL;
    row->pending_rcpts = dbuf_len(&rcpts) ? strdup(dbuf_str(&rcpts)) : NULL;
    if (row->pending_json == NULL || (dbuf_len(&mail) && row->pending_mail == NULL) ||
        (dbuf_len(&rcpts) && row->pending_rcpts == NULL)) {
        snprintf(r->err, sizeof(r->err), "out of memory");
        goto out;
    }
    if ((r->follow != NULL ? alert_follow_put(r->state, h->rule->name, r->follow)
                           : alert_state_put(r->state, h->rule->name, row)) < 0) {
        snprintf(r->err, sizeof(r->err), "%s", alert_state_error(r->state));
        goto out;
    }
    alert_say(LOG_NOTICE, "%s: %ld records from %s to %s (threshold %ld in %s)", h->rule->name,
              h->count, h->first, h->last, h->rule->threshold, h->rule->window_text);
    if ((rc = alert_deliver(r, h->rule->name, row)) == 0)
        alert_metrics_sent(r->rule);
out:
    dbuf_free(&json), dbuf_free(&mail), dbuf_free(&rcpts);
    return rc;
}

/* alert_head - the last id of the log now (the central one: the gateway's). 0 or -1. */
static int alert_head(struct alert_run *r, long long *id)
{
    char hash[RECORD_HASH_HEX];

    if (r->pg == NULL)
        return alert_state_head(r->state, id);
    if (pgstore_resume(r->pg, r->gateway, id, hash) == 0)
        return 0;
    snprintf(r->err, sizeof(r->err), "the central log: %s", pgstore_error(r->pg));
    return -1;
}

/* alert_rule_round - one alert rule: its pending alert, then the new records. -1 on error. */
static long alert_rule_round(struct alert_run *r, const struct alert_rule *a)
{
    struct alert_row row;
    long total = 0, n;
    int found = alert_state_get(r->state, a->name, &row);

    if (found < 0)
        goto db;
    if (found == 0) { /* a new alert rule starts at the end of the log */
        if (alert_head(r, &row.cursor) < 0)
            return -1;
        if (alert_state_put(r->state, a->name, &row) < 0)
            goto db;
    }
    if ((row.pending_mail != NULL || row.pending_json != NULL) &&
        alert_deliver(r, a->name, &row) < 0) {
        alert_row_clear(&row);
        return -1;
    }
    do {
        if ((n = alert_eval(r->store, r->pg != NULL ? r->gateway : NULL, a, r->p->alert_interval,
                            &row, alert_fire, r, r->err, sizeof(r->err))) < 0) {
            alert_row_clear(&row);
            return -1;
        }
        total += n;
        if (n > 0 && alert_state_put(r->state, a->name, &row) < 0)
            goto db;
    } while (n >= 10000 && !alert_stop);
    alert_row_clear(&row);
    return total;
db:
    snprintf(r->err, sizeof(r->err), "%s", alert_state_error(r->state));
    alert_row_clear(&row);
    return -1;
}

/* alert_rule_round_all - one alert rule over every gateway of the central log. -1 on error. */
static long alert_rule_round_all(struct alert_run *r, const struct alert_rule *a)
{
    struct alert_follow f;
    long total = 0, n = -1;
    int found = alert_follow_get(r->state, a->name, &f);

    if (found < 0) {
        snprintf(r->err, sizeof(r->err), "%s", alert_state_error(r->state));
        return -1;
    }
    r->follow = &f;
    if (found == 0 && alert_central_start(r->pg, &f, r->err, sizeof(r->err)) < 0)
        goto out;
    if (found == 0 && alert_follow_put(r->state, a->name, &f) < 0)
        goto db; /* a new alert rule starts at the end of every gateway's records */
    if ((f.row.pending_mail != NULL || f.row.pending_json != NULL) &&
        alert_deliver(r, a->name, &f.row) < 0)
        goto out;
    do {
        if ((n = alert_central_eval(r->pg, a, r->p->alert_interval, &f, alert_fire, r, r->err,
                                    sizeof(r->err))) < 0)
            goto out;
        total += n;
        if (alert_follow_put(r->state, a->name, &f) < 0)
            goto db;
    } while (n >= ALERT_CENTRAL_BATCH && !alert_stop);
    goto out;
db:
    snprintf(r->err, sizeof(r->err), "%s", alert_state_error(r->state));
    n = -1;
out:
    r->follow = NULL;
    alert_follow_clear(&f);
    return n < 0 ? -1 : total;
}

/* alert_round - every alert rule once; 0, or -1 when one failed (the others still ran). */
static int alert_round(struct alert_run *r)
{
    long judged = 0;
    int rc = 0;

    for (r->rule = 0; r->rule < r->p->nalert_rules; r->rule++) {
        const struct alert_rule *a = &r->p->alert_rules[r->rule];
        long n = r->pg != NULL && r->gateway == NULL ? alert_rule_round_all(r, a)
                                                     : alert_rule_round(r, a);
        if (n < 0) {
            alert_say(LOG_ERR, "%s: %s", a->name, r->err);
            rc = -1;
        } else {
            judged += n;
        }
    }
    alert_metrics_round(judged, rc < 0 ? r->err : NULL);
    return rc;
}

/* alert_sleep - SECONDS, cut short by a signal. */
static void alert_sleep(long seconds)
{
    struct timespec ts = {seconds, 0};

    while (!alert_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

struct alert_opts {
    int once, central;
    long poll;
    const char *listen, *gateway, *state;
};

/* alert_parse_rest - no operand; --central, --gateway and --state agree. 0 or -1. */
static int alert_parse_rest(int argc, char **argv, const struct alert_opts *o)
{
    if (optind < argc) {
        cli_error("alert: unexpected argument %s", argv[optind]);
        return -1;
    }
    if (!o->central && (o->gateway != NULL || o->state != NULL)) {
        cli_error("alert: %s needs --central", o->gateway != NULL ? "--gateway" : "--state");
        return -1;
    }
    return 0;
}

/* alert_parse - the options; 0, 1 for --help, -1 on a bad one. */
static int alert_parse(int argc, char **argv, const char **config, struct alert_opts *o)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"once", no_argument, NULL, 'o'},
                                         {"central", no_argument, NULL, 'C'},
                                         {"gateway", required_argument, NULL, 'g'},
                                         {"state", required_argument, NULL, 's'},
                                         {"poll", required_argument, NULL, 'p'},
                                         {"metrics-listen", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    char *end;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            *config = optarg;
            break;
        case 'o':
            o->once = 1;
            break;
        case 'C':
            o->central = 1;
            break;
        case 'g':
            o->gateway = optarg;
            break;
        case 's':
            o->state = optarg;
            break;
        case 'm':
            o->listen = optarg;
            break;
        case 'p':
            o->poll = strtol(optarg, &end, 10);
            if (*end != '\0' || o->poll < 1 || o->poll > 3600) {
                cli_error("alert: --poll %s: expected 1 to 3600 seconds", optarg);
                return -1;
            }
            break;
        case 'h':
            return 1;
        case ':':
            cli_error("alert: %s needs a value", argv[optind - 1]);
            return -1;
        default:
            cli_error("alert: unknown option %s", argv[optind - 1]);
            return -1;
        }
    }
    return alert_parse_rest(argc, argv, o);
}

/* alert_name_part - S into OUT as a file name's part: [A-Za-z0-9.-], others as '_'. */
static void alert_name_part(char *out, size_t len, const char *s)
{
    size_t i = 0;

    for (; *s != '\0' && i + 1 < len && i < 64; s++)
        out[i++] = (isalnum((unsigned char)*s) || *s == '.' || *s == '-') ? *s : '_';
    out[i] = '\0';
}

/*
 * alert_state_path - the central state file: role, gateway (none: every
 * gateway) and a hash (FNV-1a) of the conninfo, so that two readers, or
 * one reader of two databases, keep apart.
 */
static void alert_state_path(char *out, size_t len, const char *user, const char *gateway,
                             const char *conninfo)
{
    char u[80], g[80];
    unsigned long h = 2166136261UL;

    for (const char *c = conninfo; *c != '\0'; c++)
        h = ((h ^ (unsigned char)*c) * 16777619UL) & 0xffffffffUL;
    alert_name_part(u, sizeof(u), user);
    g[0] = '-';
    alert_name_part(g + 1, sizeof(g) - 1, gateway != NULL ? gateway : "");
    snprintf(out, len, "%s/lib/officialmail/alert-central-%s%s-%08lx.db", LOCALSTATEDIR, u,
             gateway != NULL ? g : "", h);
}

/* alert_open_central - the central log, the state file. 0 or -1 (said). */
static int alert_open_central(struct alert_run *r, const struct alert_opts *o)
{
    const char *conninfo =
        r->p->central_read_database != NULL ? r->p->central_read_database : r->p->central_database;
    char err[512], path[4096];

    if (conninfo == NULL) {
        cli_error("alert: --central: neither central_read_database nor central_database is set"
                  " in %s",
                  r->p->file);
        return -1;
    }
    if ((r->pg = pgstore_open(conninfo, err, sizeof(err))) == NULL) {
        cli_error("alert: %s", err);
        return -1;
    }
    r->store = pgstore_base(r->pg);
    if (o->state != NULL)
        snprintf(path, sizeof(path), "%s", o->state);
    else
        alert_state_path(path, sizeof(path), pgstore_user(r->pg), o->gateway, conninfo);
    if ((r->state = alert_state_open(path, 1, err, sizeof(err))) == NULL ||
        alert_follow_init(r->state, o->gateway != NULL ? o->gateway : "*", err, sizeof(err)) < 0) {
        cli_error("alert: state file %s: %s", path, err);
        return -1;
    }
    alert_say(LOG_INFO, "central log as %s, %s%s, state in %s", pgstore_user(r->pg),
              o->gateway != NULL ? "gateway " : "every gateway", o->gateway ? o->gateway : "",
              path);
    return 0;
}

/* alert_open - the log for reading, its alert_state for writing. 0 or -1 (said). */
static int alert_open(struct alert_run *r)
{
    char err[512];

    if ((r->store = store_open(r->p->database, STORE_READ, 5000, err, sizeof(err))) == NULL ||
        (r->state = alert_state_open(r->p->database, 0, err, sizeof(err))) == NULL) {
        cli_error("alert: violation log %s: %s", r->p->database, err);
        return -1;
    }
    return 0;
}

/* alert_signals - TERM and INT end the loop after the round. */
static void alert_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = alert_on_signal;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGTERM, &sa, NULL);
    (void)sigaction(SIGINT, &sa, NULL);
}

/*
 * alert_serve - the metrics server, its thread made with TERM and INT
 * blocked so that they reach the main thread and cut its sleep short.
 */
static int alert_serve(const char *listen, const struct policy *p)
{
    sigset_t term, old;
    char err[512];
    int rc;

    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigaddset(&term, SIGINT);
    pthread_sigmask(SIG_BLOCK, &term, &old);
    rc = alert_metrics_start(listen, p, err, sizeof(err));
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc < 0)
        cli_error("alert: cannot serve metrics: %s", err);
    return rc;
}

/* cmd_alert - parse, load, open, loop. */
int cmd_alert(int argc, char **argv, const char *config)
{
    struct alert_opts o = {.poll = 10};
    struct alert_run r = {0};
    int status = EXIT_USAGE, rc = alert_parse(argc, argv, &config, &o);

    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_alert_usage, stdout);
        return rc > 0 ? 0 : EXIT_USAGE;
    }
    status = EXIT_UNREADABLE;
    if ((r.p = cli_load_policy(config, time(NULL), 0, NULL)) == NULL)
        return status;
    r.config = config;
    openlog("officialmail", LOG_PID, LOG_MAIL);
    r.gateway = o.central ? o.gateway : r.p->gateway_name;
    if (o.central ? alert_open_central(&r, &o) < 0 : alert_open(&r) < 0)
        goto out;
    if (r.p->nalert_rules == 0)
        alert_say(LOG_WARNING, "no alert_rules in the configuration: nothing to watch");
    if (o.listen != NULL && alert_serve(o.listen, r.p) < 0)
        goto out;
    alert_signals();
    if (o.once) {
        status = alert_round(&r) == 0 ? 0 : EXIT_UNREADABLE;
        goto out;
    }
    alert_say(LOG_INFO, "following %s with %zu alert rules",
              o.central ? "the central log" : r.p->database, r.p->nalert_rules);
    while (!alert_stop) {
        (void)alert_round(&r); /* said and counted; retried next round */
        alert_sleep(o.poll);
    }
    alert_say(LOG_INFO, "stopped");
    status = 0;
out:
    alert_metrics_stop();
    alert_state_close(r.state);
    store_close(r.store);
    policy_unref(r.p);
    closelog();
    return status;
}
