/*
 * cmd_ship - `officialmail ship [--once]`: ship the local violation log
 * to the central PostgreSQL log (SPEC 9).
 *
 * Exactly once without a cursor of its own: where to resume is what the
 * central log holds for this gateway (its highest id, or the last
 * expire's checkpoint), read at every (re)connection, and each batch is
 * one central transaction. So a SIGKILL before a commit leaves the
 * batch for the next start, one after it leaves nothing to resend. A
 * record that is there already with the same hash is skipped (another
 * `ship` raced this one); one with another hash stops shipping with
 * `conflict: ...`. The local copy of the position (ship_state.h) is
 * written after each commit, for local `expire`.
 *
 * It stays in the foreground (systemd), logs to syslog (facility mail)
 * and to standard error, and while the central database is unreachable
 * retries with a doubling wait, saying so once per change of state.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "cli.h"
#include "log_args.h"
#include "ship_state.h"
#include "store_pg.h"

const char cmd_ship_usage[] =
    "usage: officialmail ship [-c FILE] [--once] [--database PATH]\n"
    "\n"
    "Ship the violation log to the central PostgreSQL log (central_database),\n"
    "ship_batch records per transaction, resuming after the highest id the\n"
    "central log holds for this gateway (gateway_name). It runs in the\n"
    "foreground and follows the log; the password comes from ~/.pgpass or\n"
    "PGPASSFILE. While the central database is down it retries with backoff.\n"
    "A record already there with another hash stops it with\n"
    "  conflict: gateway=NAME id=N central=HASH local=HASH\n"
    "\n"
    "  --once             ship what is there now, then exit\n"
    "  --database PATH    ship this local log instead of the configuration's\n"
    "\n"
    "SIGTERM stops it between two batches; SIGHUP is ignored (restart it to apply\n"
    "a changed configuration).\n"
    "Exit status: 0 all shipped (--once) or stopped by a signal, 1 an error\n"
    "or a conflict, 2 bad arguments.\n";

#define SHIP_BACKOFF_MAX 8 /* seconds between tries while the central database is down */
#define SHIP_POLL_MS 500   /* how often a caught-up ship looks for new records */

static volatile sig_atomic_t ship_stop;

/* ship_on_signal - SIGTERM or SIGINT: stop between two batches. */
static void ship_on_signal(int sig)
{
    (void)sig;
    ship_stop = 1;
}

struct ship {
    const struct policy *p;
    const char *path; /* the local log */
    int once;
    struct store *local;
    struct pgstore *central;
    int down;         /* the central database was found unreachable */
    unsigned backoff; /* seconds of the next wait while down */
    long long cursor; /* the highest id the central log holds */
    long long shipped;
    int oom; /* a record could not be copied */
    struct record *recs;
    size_t n;
};

/* ship_say - one line to syslog and standard error, starting with the gateway. */
static void ship_say(const struct ship *sh, int prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ship_say(const struct ship *sh, int prio, const char *fmt, ...)
{
    char msg[1024], line[1200];
    size_t pos = 0;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    line[0] = '\0';
    strcpy(line, "gateway=");
    pos = strlen(line);
    if (record_escape(line, sizeof(line), &pos, sh->p->gateway_name) < 0)
        pos = strlen(line);
    snprintf(line + pos, sizeof(line) - pos, " %s", msg);
    syslog(prio, "%s", line);
    fprintf(stderr, "officialmail ship: %s\n", line);
}

/* ship_sleep_ms - wait MS milliseconds, or less when a signal asks to stop. */
static void ship_sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

    while (!ship_stop && nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* ship_clear - free the batch. */
static void ship_clear(struct ship *sh)
{
    for (size_t i = 0; i < sh->n; i++)
        record_clear(&sh->recs[i]);
    sh->n = 0;
}

/* ship_copy - DST = a copy of SRC (fields owned). 0 or -1. */
static int ship_copy(struct record *dst, const struct record *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->id = src->id;
    for (int i = 0; i < RF_COUNT; i++)
        if ((dst->f[i] = strdup(src->f[i])) == NULL) {
            record_clear(dst);
            return -1;
        }
    memcpy(dst->prev_hash, src->prev_hash, sizeof(dst->prev_hash));
    memcpy(dst->hash, src->hash, sizeof(dst->hash));
    return 0;
}

/* ship_take - one local record into the batch; stops the query when the batch is full. */
static int ship_take(const struct record *r, void *arg)
{
    struct ship *sh = arg;

    if (ship_copy(&sh->recs[sh->n], r) < 0) {
        sh->oom = 1;
        return 1;
    }
    sh->n++;
    return sh->n >= sh->p->ship_batch;
}

/* ship_read - the next batch after AFTER from the local log. 0 or -1. */
static int ship_read(struct ship *sh, long long after)
{
    char id[32];
    struct store_filter f = {.after_id = id};

    snprintf(id, sizeof(id), "%lld", after);
    ship_clear(sh);
    sh->oom = 0;
    if (store_query(sh->local, &f, ship_take, sh) < 0 || sh->oom) {
        ship_say(sh, LOG_ERR, "reading the local log %s: %s", sh->path,
                 sh->oom ? "out of memory" : store_error(sh->local));
        return -1;
    }
    return 0;
}

/* ship_went_down - the central database is unreachable: say so once, drop the connection. */
static void ship_went_down(struct ship *sh, const char *why)
{
    if (!sh->down)
        ship_say(sh, LOG_WARNING, "central database unreachable, retrying with backoff: %s", why);
    sh->down = 1;
    pgstore_close(sh->central);
    sh->central = NULL;
}

/* ship_find_local - the local record ID into the batch's first slot; 1 found, 0 not, -1 error. */
static int ship_find_local(struct ship *sh, long long id)
{
    if (ship_read(sh, id - 1) < 0)
        return -1;
    return sh->n > 0 && sh->recs[0].id == id;
}

/*
 * ship_check_resume - the central log's last record of this gateway is
 * the local one of that id (when the local log still has it): a log
 * rebuilt, or a second gateway of the same name, stops here.
 * 0 fits, 1 conflict (said), -1 error.
 */
static int ship_check_resume(struct ship *sh, const char *hash)
{
    int rc;

    if (sh->cursor == 0)
        return 0;
    if ((rc = ship_find_local(sh, sh->cursor)) <= 0)
        return rc;
    if (strcmp(sh->recs[0].hash, hash) == 0)
        return 0;
    ship_say(sh, LOG_ERR, "conflict: gateway=%s id=%lld central=%s local=%s", sh->p->gateway_name,
             sh->cursor, hash, sh->recs[0].hash);
    return 1;
}

/* ship_note - the local copy of the position, after a central commit. */
static int ship_note(struct ship *sh)
{
    char err[512];

    if (ship_state_write(sh->p->ship_state, sh->p->gateway_name, sh->cursor, err, sizeof(err)) == 0)
        return 0;
    ship_say(sh, LOG_ERR, "%s", err);
    return -1;
}

/*
 * ship_connect - connect and read where to resume. 0 connected, 1 the
 * database is unreachable (said once), -1 a fatal error (said).
 */
static int ship_connect(struct ship *sh)
{
    char err[512], hash[RECORD_HASH_HEX];
    int rc;

    if ((sh->central = pgstore_open(sh->p->central_database, err, sizeof(err))) == NULL) {
        ship_went_down(sh, err);
        return 1;
    }
    /* RLS compares gateway with current_user: shipping as another role cannot work. */
    if (strcmp(pgstore_user(sh->central), sh->p->gateway_name) != 0) {
        ship_say(sh, LOG_ERR,
                 "connected as role %s: a gateway ships as the role named as its gateway_name",
                 pgstore_user(sh->central));
        return -1;
    }
    if (pgstore_resume(sh->central, sh->p->gateway_name, &sh->cursor, hash) < 0) {
        if (pgstore_lost(sh->central)) {
            ship_went_down(sh, pgstore_error(sh->central));
            return 1;
        }
        ship_say(sh, LOG_ERR, "%s", pgstore_error(sh->central));
        return -1;
    }
    if ((rc = ship_check_resume(sh, hash)) != 0)
        return -1;
    ship_say(sh, LOG_INFO, "%s central database as %s; resuming after id=%lld",
             sh->down ? "reached the" : "connected to the", pgstore_user(sh->central), sh->cursor);
    sh->down = 0;
    sh->backoff = 1;
    return ship_note(sh);
}

/* ship_conflict - a record already there with another hash: say which, stop. */
static int ship_conflict(struct ship *sh, const struct pg_conflict *c)
{
    char gw[300];
    size_t pos = 0;

    if (record_escape(gw, sizeof(gw), &pos, c->gateway) < 0)
        snprintf(gw, sizeof(gw), "?");
    ship_say(sh, LOG_ERR, "conflict: gateway=%s id=%lld central=%s local=%s", gw, c->id, c->central,
             c->local);
    return -1;
}

/* ship_own - every record of the batch is this gateway's (RLS would refuse it anyway). */
static int ship_own(struct ship *sh)
{
    for (size_t i = 0; i < sh->n; i++)
        if (strcmp(sh->recs[i].f[RF_GATEWAY], sh->p->gateway_name) != 0) {
            ship_say(sh, LOG_ERR,
                     "record id=%lld was written by another gateway_name; "
                     "a log is shipped under the name it was written with",
                     sh->recs[i].id);
            return -1;
        }
    return 0;
}

/*
 * ship_batch - read and ship one batch. 1 shipped some, 0 nothing to
 * ship, 2 the central database went away, -1 fatal (said).
 */
static int ship_batch(struct ship *sh)
{
    struct pg_conflict c;
    int rc;

    if (ship_read(sh, sh->cursor) < 0)
        return -1;
    if (sh->n == 0)
        return 0;
    if (ship_own(sh) < 0)
        return -1;
    rc = pgstore_ship(sh->central, sh->recs, sh->n, &c);
    if (rc > 0)
        return ship_conflict(sh, &c);
    if (rc < 0) {
        if (!pgstore_lost(sh->central)) {
            ship_say(sh, LOG_ERR, "%s", pgstore_error(sh->central));
            return -1;
        }
        ship_went_down(sh, pgstore_error(sh->central));
        return 2;
    }
    sh->cursor = sh->recs[sh->n - 1].id;
    sh->shipped += (long long)sh->n;
    return ship_note(sh) < 0 ? -1 : 1;
}

/* ship_wait_down - one wait while the central database is down; doubles the next. */
static void ship_wait_down(struct ship *sh)
{
    ship_sleep_ms((long)sh->backoff * 1000);
    if (sh->backoff < SHIP_BACKOFF_MAX)
        sh->backoff *= 2;
}

/* ship_run - the loop: connect, ship, follow. 0 done or stopped, 1 error. */
static int ship_run(struct ship *sh)
{
    int rc;

    sh->backoff = 1;
    while (!ship_stop) {
        if (sh->central == NULL) {
            rc = ship_connect(sh);
            if (rc < 0)
                return 1;
            if (rc > 0) {
                if (sh->once)
                    return 1;
                ship_wait_down(sh);
                continue;
            }
        }
        rc = ship_batch(sh);
        if (rc < 0)
            return 1;
        if (rc == 2 && sh->once)
            return 1;
        if (rc == 0) {
            if (sh->once)
                return 0;
            ship_sleep_ms(SHIP_POLL_MS);
        }
    }
    return 0;
}

/* ship_args - the options; 0, 1 for --help, -1 bad. */
static int ship_args(int argc, char **argv, const char **config, const char **database, int *once)
{
    static const struct option options[] = {{"once", no_argument, NULL, 'o'},
                                            {"config", required_argument, NULL, 'c'},
                                            {"database", required_argument, NULL, 'd'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:h", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            *once = 1;
            break;
        case 'c':
            *config = optarg;
            break;
        case 'd':
            *database = optarg;
            break;
        case 'h':
            return 1;
        default:
            cli_error("ship: %s '%s' (see officialmail help ship)",
                      c == ':' ? "option needs a value" : "unknown option", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        cli_error("ship: unexpected argument '%s' (see officialmail help ship)", argv[optind]);
        return -1;
    }
    return 0;
}

/*
 * ship_signals - SIGTERM and SIGINT stop it between batches; SIGPIPE is an
 * error return; SIGHUP is ignored (a changed configuration, central
 * credentials included, applies at the next start: systemctl restart).
 */
static void ship_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = ship_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
}

/* ship_start - the configuration's checks, the local log and the batch. 0 or -1 (said). */
static int ship_start(struct ship *sh, const char *database)
{
    if (sh->p->central_database == NULL) {
        cli_error("ship: central_database is not set in %s", sh->p->file);
        return -1;
    }
    sh->path = database != NULL ? database : sh->p->database;
    if ((sh->local = log_open_path("ship", sh->path, STORE_READ)) == NULL)
        return -1;
    if ((sh->recs = calloc(sh->p->ship_batch, sizeof(*sh->recs))) == NULL) {
        cli_error("ship: out of memory");
        return -1;
    }
    return 0;
}

/* cmd_ship - parse, start, ship until done (--once) or stopped. */
int cmd_ship(int argc, char **argv, const char *config)
{
    struct ship sh;
    const char *database = NULL;
    struct policy *p = NULL;
    int once = 0, status = EXIT_USAGE, rc = ship_args(argc, argv, &config, &database, &once);

    memset(&sh, 0, sizeof(sh));
    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_ship_usage, stdout);
        return rc > 0 ? 0 : EXIT_USAGE;
    }
    status = 1;
    if ((p = cli_load_policy(config, time(NULL), 0, NULL)) == NULL)
        return 1;
    sh.p = p;
    sh.once = once;
    if (ship_start(&sh, database) == 0) {
        ship_signals();
        openlog("officialmail-ship", LOG_PID, LOG_MAIL);
        status = ship_run(&sh);
        if (once && status == 0)
            printf("shipped %lld record%s; the central log holds ids up to %lld\n", sh.shipped,
                   sh.shipped == 1 ? "" : "s", sh.cursor);
        closelog();
    }
    ship_clear(&sh);
    free(sh.recs);
    pgstore_close(sh.central);
    store_close(sh.local);
    policy_unref(p);
    return status;
}
