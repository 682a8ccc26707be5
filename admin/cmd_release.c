/*
 * cmd_release - `officialmail release QUEUE_ID --reason TEXT`: let a held
 * message go through release_command (default `/usr/sbin/postsuper -H`,
 * the queue id added as its last argument, run without a shell), then
 * append a `released` review mark to each of its held records, naming
 * who ran the command and why (SPEC 11). The mark is written only when
 * the command succeeded; the log is checked first, so that a mistyped
 * queue id releases nothing.
 *
 * With --central (the gateway's own central_database role, the one that
 * ships), the same `released` marks are also appended to the central
 * log's review_marks, on the gateway's own chain, so that the central
 * console shows them. The records must have been shipped: that is
 * checked before anything is released.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "log_args.h"
#include "marks_pg.h"
#include "review.h"
#include "review_pg.h"
#include "store_pg.h"

const char cmd_release_usage[] =
    "usage: officialmail release [-c FILE] QUEUE_ID --reason TEXT [--database PATH]\n"
    "                            [--central]\n"
    "\n"
    "Release the held (quarantined) message QUEUE_ID: run release_command\n"
    "(default /usr/sbin/postsuper -H) with the queue id, then append a\n"
    "'released' review mark, with TEXT and the name of the user who ran this,\n"
    "to each of the message's held records in the violation log.\n"
    "\n"
    "  --reason TEXT    why (required; kept in the mark)\n"
    "  --database PATH  the violation log instead of the configuration's\n"
    "  --central        also append the marks to the central log (as the\n"
    "                   gateway's central_database role; the records must have\n"
    "                   been shipped, else nothing is released)\n"
    "\n"
    "Exit status: 0 released and marked, 1 no such held message, the command\n"
    "failed, or the log could not be read or written, 2 bad arguments.\n";

#define RELEASE_MAX_ARGS 32

struct release_ids {
    long long id[256];
    size_t n;
};

/* release_collect - the ids of the message's held records. */
static int release_collect(const struct record *r, const char *mark, void *arg)
{
    struct release_ids *ids = arg;

    if (ids->n < sizeof(ids->id) / sizeof(ids->id[0]))
        ids->id[ids->n++] = r->id;
    return 0;
}

/* release_run - COMMAND (split on blanks) with QUEUE_ID added, no shell. 0 when it exits 0. */
static int release_run(const char *command, const char *queue_id)
{
    char *copy = strdup(command), *argv[RELEASE_MAX_ARGS + 2], *save = NULL;
    int argc = 0, st;
    pid_t pid;

    if (copy == NULL)
        return -1;
    for (char *t = strtok_r(copy, " \t", &save); t && argc < RELEASE_MAX_ARGS;
         t = strtok_r(NULL, " \t", &save))
        argv[argc++] = t;
    argv[argc++] = (char *)queue_id;
    argv[argc] = NULL;
    fflush(NULL);
    if (argc < 2 || (pid = fork()) < 0) {
        free(copy);
        return cli_error("release: cannot run %s: %s", command, strerror(errno)), -1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "officialmail: release: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free(copy);
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    cli_error("release: %s %s failed (%s %d); nothing was marked", command, queue_id,
              WIFEXITED(st) ? "exit status" : "signal",
              WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    return -1;
}

/* release_who - the user who ran the command, and who they were before sudo. */
static void release_who(char *out, size_t len)
{
    const struct passwd *pw = getpwuid(getuid());
    const char *sudo = getenv("SUDO_USER");

    snprintf(out, len, "%s", pw != NULL ? pw->pw_name : "unknown");
    if (getuid() == 0 && sudo != NULL && sudo[0] != '\0')
        snprintf(out, len, "%.60s (via sudo by %.60s)", pw != NULL ? pw->pw_name : "root", sudo);
    else if (pw == NULL)
        snprintf(out, len, "uid %u", (unsigned)getuid());
}

/* The central log, with --central: the gateway's connection and name. */
struct release_central {
    struct pgstore *pg;
    const char *gateway;
};

/*
 * release_mark - the marks, one per held record, locally and with
 * --central centrally. 0, -1 when a local mark failed, 1 when a central
 * one did (said).
 */
static int release_mark(struct review *rv, const struct release_central *c,
                        const struct release_ids *ids, const char *reason)
{
    char who[160], err[512];
    long long now = (long long)time(NULL);

    release_who(who, sizeof(who));
    for (size_t i = 0; i < ids->n; i++)
        if (review_mark_add(rv, NULL, ids->id[i], "released", who, reason, now, NULL) < 0)
            return -1;
    for (size_t i = 0; c->pg != NULL && i < ids->n; i++)
        if (marks_pg_add(c->pg, c->gateway, ids->id[i], "released", who, reason, now, NULL, err,
                         sizeof(err)) < 0) {
            cli_error("release: released and marked in the local log, but the central log "
                      "refused the mark: %s",
                      err);
            return 1;
        }
    return 0;
}

/* release_central_check - every held record is on the central log already. 0 or -1 (said). */
static int release_central_check(const struct release_central *c, const struct release_ids *ids)
{
    struct review *crv = review_pg_open(c->pg);
    struct review_filter f = {.gateway = c->gateway};
    struct record r;
    int found = crv != NULL ? 1 : -1;

    if (crv == NULL)
        cli_error("release: out of memory");
    for (size_t i = 0; found == 1 && i < ids->n; i++)
        if ((found = review_get(crv, &f, ids->id[i], &r)) == 1)
            record_clear(&r);
        else if (found == 0)
            cli_error("release: record %lld of %s is not on the central log yet (run "
                      "officialmail ship --once first); nothing was released",
                      ids->id[i], c->gateway);
        else
            cli_error("release: the central log: %s", review_error(crv));
    review_close(crv);
    return found == 1 ? 0 : -1;
}

/* release_do - find, release, mark. The exit status. */
static int release_do(const char *path, const char *command, const char *qid, const char *reason,
                      const struct release_central *c)
{
    struct review_filter f = {.queue_id = qid, .action = "quarantine"};
    struct release_ids ids = {.n = 0};
    char err[512], user[300];
    long long total;
    struct review *rv = review_open(path, 1, 15000, err, sizeof(err));
    int status = EXIT_UNREADABLE;

    if (rv == NULL) {
        log_args_user(user, sizeof(user));
        cli_error("release: cannot open the violation log %s for writing as user %s: %s", path,
                  user, err);
        return EXIT_UNREADABLE;
    }
    if (review_list(rv, &f, 0, 0, release_collect, &ids, &total) < 0)
        cli_error("release: %s", review_error(rv));
    else if (ids.n == 0)
        cli_error("release: the log has no held message with queue id %s", qid);
    else if ((c->pg == NULL || release_central_check(c, &ids) == 0) &&
             release_run(command, qid) == 0) {
        int marked = release_mark(rv, c, &ids, reason);
        if (marked < 0)
            cli_error("release: %s was released but the mark could not be written: %s", qid,
                      review_error(rv));
        else if (marked == 0) {
            printf("released %s; %zu record%s marked released\n", qid, ids.n,
                   ids.n == 1 ? "" : "s");
            status = 0;
        }
    }
    review_close(rv);
    return status;
}

/* release_central_open - with --central, the gateway's central connection into C. 0 or -1. */
static int release_central_open(const struct policy *p, struct release_central *c)
{
    char err[512];

    if (p->central_database == NULL) {
        cli_error("release: --central: central_database is not set in %s", p->file);
        return -1;
    }
    c->gateway = p->gateway_name;
    if ((c->pg = pgstore_open(p->central_database, err, sizeof(err))) == NULL) {
        cli_error("release: %s", err);
        return -1;
    }
    return 0;
}

/* cmd_release - parse, load, release. */
int cmd_release(int argc, char **argv, const char *config)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},   {"reason", required_argument, NULL, 'r'},
        {"database", required_argument, NULL, 'd'}, {"central", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *reason = NULL, *database = NULL, *qid;
    struct release_central central = {NULL, NULL};
    int c, want_central = 0;

    optind = 0; /* 0: glibc starts afresh, permuting NAME after the options */
    while ((c = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        if (c == 'c')
            config = optarg;
        else if (c == 'r')
            reason = optarg;
        else if (c == 'd')
            database = optarg;
        else if (c == 'C')
            want_central = 1;
        else if (c == 'h')
            return fputs(cmd_release_usage, stdout), 0;
        else
            return fputs(cmd_release_usage, stderr), EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return cli_error("release: give one QUEUE_ID"), EXIT_USAGE;
    qid = argv[optind];
    if (qid[0] == '\0' || strlen(qid) > 64 ||
        strspn(qid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
            strlen(qid))
        return cli_error("release: a queue id is letters and digits"), EXIT_USAGE;
    if (reason == NULL || reason[0] == '\0')
        return cli_error("release: --reason TEXT is required"), EXIT_USAGE;
    struct policy *p = cli_load_policy(config, time(NULL), 0, NULL);
    if (p == NULL)
        return EXIT_UNREADABLE;
    int status = EXIT_UNREADABLE;
    if (!want_central || release_central_open(p, &central) == 0)
        status = release_do(database != NULL ? database : p->database, p->release_command, qid,
                            reason, &central);
    pgstore_close(central.pg);
    policy_unref(p);
    return status;
}
