/*
 * cmd_release - `officialmail release QUEUE_ID --reason TEXT`: let a held
 * message go through release_command (default `/usr/sbin/postsuper -H`,
 * the queue id added as its last argument, run without a shell), then
 * append a `released` review mark to each of its held records, naming
 * who ran the command and why (SPEC 11). The mark is written only when
 * the command succeeded; the log is checked first, so that a mistyped
 * queue id releases nothing.
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
#include "review.h"

const char cmd_release_usage[] =
    "usage: officialmail release [-c FILE] QUEUE_ID --reason TEXT [--database PATH]\n"
    "\n"
    "Release the held (quarantined) message QUEUE_ID: run release_command\n"
    "(default /usr/sbin/postsuper -H) with the queue id, then append a\n"
    "'released' review mark, with TEXT and the name of the user who ran this,\n"
    "to each of the message's held records in the violation log.\n"
    "\n"
    "  --reason TEXT    why (required; kept in the mark)\n"
    "  --database PATH  the violation log instead of the configuration's\n"
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

/* release_mark - the marks, one per held record. */
static int release_mark(struct review *rv, const struct release_ids *ids, const char *reason)
{
    char who[160];

    release_who(who, sizeof(who));
    for (size_t i = 0; i < ids->n; i++)
        if (review_mark_add(rv, NULL, ids->id[i], "released", who, reason, (long long)time(NULL),
                            NULL) < 0)
            return -1;
    return 0;
}

/* release_do - find, release, mark. The exit status. */
static int release_do(const char *path, const char *command, const char *qid, const char *reason)
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
    else if (release_run(command, qid) == 0) {
        if (release_mark(rv, &ids, reason) < 0)
            cli_error("release: %s was released but the mark could not be written: %s", qid,
                      review_error(rv));
        else {
            printf("released %s; %zu record%s marked released\n", qid, ids.n,
                   ids.n == 1 ? "" : "s");
            status = 0;
        }
    }
    review_close(rv);
    return status;
}

/* cmd_release - parse, load, release. */
int cmd_release(int argc, char **argv, const char *config)
{
    static const struct option options[] = {{"config", required_argument, NULL, 'c'},
                                            {"reason", required_argument, NULL, 'r'},
                                            {"database", required_argument, NULL, 'd'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *reason = NULL, *database = NULL, *qid;
    int c;

    optind = 0; /* 0: glibc starts afresh, permuting NAME after the options */
    while ((c = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        if (c == 'c')
            config = optarg;
        else if (c == 'r')
            reason = optarg;
        else if (c == 'd')
            database = optarg;
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
    int status =
        release_do(database != NULL ? database : p->database, p->release_command, qid, reason);
    policy_unref(p);
    return status;
}
