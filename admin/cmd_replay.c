/*
 * cmd_replay - `officialmail replay`: what would this policy have done
 * with the mail in these mailboxes? (SPEC 12)
 *
 * Every message of every SOURCE (mailsource.h) is judged as `officialmail
 * test` judges one (replay_msg.h: the facts builder and verdict_judge()),
 * never writing the log. Counted: messages by the action the gateway
 * would have taken, violations by rule, by action and by department.
 * With --compare, every message is judged under both configurations and
 * those whose decision (the message's action or a recipient's) differs
 * are printed, before -> after. --json prints one object a message. A
 * malformed message is counted and named on standard error; the run goes
 * on. On a terminal, standard error carries a progress line.
 */
#include <config.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "mailsource.h"
#include "replay_msg.h"
#include "strtab.h"
#include "table.h"

const char cmd_replay_usage[] =
    "usage: officialmail replay [-c FILE] [--compare OTHER.conf] [--json] SOURCE...\n"
    "\n"
    "Judge every message of the mailboxes given, as officialmail test judges one,\n"
    "without writing the violation log, and count what the gateway would have done.\n"
    "\n"
    "  SOURCE             an mbox file, a Maildir, a message file (.eml), or a\n"
    "                     directory of them\n"
    "  --compare OTHER    judge under OTHER too and print each message whose\n"
    "                     decision differs (Message-ID, sender, recipients,\n"
    "                     before -> after)\n"
    "  --json             one JSON object a message instead of the counts\n"
    "\n"
    "Envelope: the sender from Return-Path (else From), the recipients from\n"
    "X-Original-To and Delivered-To (else To, Cc and Bcc). SPF and DKIM: from the\n"
    "Authentication-Results field of this gateway (gateway_name); without it\n"
    "spoofed-official is not judged, and such messages are counted.\n"
    "Exit status: 0 every source was read, 1 a configuration or a source could not\n"
    "be read, 2 bad arguments.\n";

enum { OPT_COMPARE = 256, OPT_JSON };

/* What one configuration would have done with the messages judged. */
struct replay_counts {
    size_t messages[ACTION_EXEMPT + 1];   /* by the message's action */
    size_t violations[ACTION_EXEMPT + 1]; /* by the violation's action */
    size_t rules[RULE_COUNT];
    struct strtab *dept_index; /* department name -> index in depts */
    char **depts;
    size_t *dept_counts;
    size_t ndepts;
    size_t not_judged; /* answered per on_internal_error (a limit, a pattern error) */
};

struct replay {
    struct policy *p[2]; /* -c, and --compare (or NULL) */
    const char *conf[2];
    struct replay_counts counts[2];
    int json;
    size_t messages, judged, malformed, unreadable, untrusted, differ;
    unsigned long long bytes;
    double started, shown;
    int progress; /* standard error is a terminal */
    time_t now;
};

/* replay_clock - seconds on the monotonic clock. */
static double replay_clock(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* replay_count_dept - one more violation for department NAME. 0 or -1. */
static int replay_count_dept(struct replay_counts *c, const char *name)
{
    int i;

    if (strtab_get(c->dept_index, name, strlen(name), &i) != NULL) {
        c->dept_counts[i]++;
        return 0;
    }
    char **nd = realloc(c->depts, (c->ndepts + 1) * sizeof(*nd));
    if (nd != NULL)
        c->depts = nd;
    size_t *nc = nd ? realloc(c->dept_counts, (c->ndepts + 1) * sizeof(*nc)) : NULL;
    if (nc != NULL)
        c->dept_counts = nc;
    if (nc == NULL || (c->depts[c->ndepts] = strdup(name)) == NULL ||
        strtab_put(c->dept_index, name, strlen(name), (int)c->ndepts) < 0)
        return -1;
    c->dept_counts[c->ndepts++] = 1;
    return 0;
}

/* replay_count - the verdict V into C. 0 or -1. */
static int replay_count(struct replay_counts *c, const struct verdict *v)
{
    c->messages[v->action]++;
    c->not_judged += v->error != NULL;
    for (size_t i = 0; i < v->nv; i++) {
        c->violations[v->v[i].action]++;
        c->rules[v->v[i].rule]++;
        if (replay_count_dept(c, v->v[i].department) < 0)
            return -1;
    }
    return 0;
}

/* replay_same - 1 when A and B decide the same: the message's action and each recipient's. */
static int replay_same(const struct verdict *a, const struct verdict *b)
{
    if (a->action != b->action || a->nrcpts != b->nrcpts)
        return 0;
    for (size_t i = 0; i < a->nrcpts; i++)
        if (a->rcpts[i].action != b->rcpts[i].action ||
            strcmp(a->rcpts[i].address, b->rcpts[i].address) != 0)
            return 0;
    return 1;
}

/* replay_decision - "reject" or, when recipients differ, "accept (x@gmail.com reject)". */
static void replay_decision(FILE *fp, const struct verdict *v, const struct verdict *other)
{
    const char *sep = " (";

    fputs(policy_action_name(v->action), fp);
    for (size_t i = 0; i < v->nrcpts; i++) {
        if (i < other->nrcpts && v->rcpts[i].action == other->rcpts[i].action)
            continue;
        fputs(sep, fp);
        table_clean(fp, v->rcpts[i].address);
        fprintf(fp, " %s", policy_action_name(v->rcpts[i].action));
        sep = ", ";
    }
    if (sep[0] == ',')
        fputc(')', fp);
}

/* replay_print_diff - one message whose decision differs, before -> after. */
static void replay_print_diff(const struct mailsource_msg *m, const struct replay_msg *rm,
                              const struct verdict *v, const struct verdict *w)
{
    table_clean(stdout, m->name);
    fputs(": Message-ID ", stdout);
    table_clean(stdout, rm->message_id ? rm->message_id : "(none)");
    fputs(", sender ", stdout);
    table_clean(stdout, v->envelope_sender[0] ? v->envelope_sender : "<>");
    fputs(", recipients ", stdout);
    for (size_t i = 0; i < v->nrcpts; i++) {
        if (i)
            fputc(',', stdout);
        table_clean(stdout, v->rcpts[i].address);
    }
    fputs(": ", stdout);
    replay_decision(stdout, v, w);
    fputs(" -> ", stdout);
    replay_decision(stdout, w, v);
    fputc('\n', stdout);
}

/* replay_verdict_json - V as `test --json` prints it, without its line break. */
static void replay_verdict_json(FILE *fp, const struct verdict *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);

    if (mem == NULL) {
        fputs("null", fp);
        return;
    }
    verdict_print_json(mem, v);
    if (fclose(mem) != 0 || buf == NULL) {
        free(buf);
        fputs("null", fp);
        return;
    }
    while (len > 0 && buf[len - 1] == '\n')
        len--;
    fwrite(buf, 1, len, fp);
    free(buf);
}

/* replay_print_json - one message as one JSON object (a malformed one with its reason). */
static void replay_print_json(const struct replay *r, const struct mailsource_msg *m,
                              const struct replay_msg *rm, const struct verdict *v,
                              const struct verdict *w, const char *malformed)
{
    fputc('{', stdout);
    json_key(stdout, "source", 1);
    json_string(stdout, m->name);
    if (malformed != NULL) {
        json_key(stdout, "malformed", 0);
        json_string(stdout, malformed);
        fputs("}\n", stdout);
        return;
    }
    json_key(stdout, "message_id", 0);
    json_string(stdout, rm->message_id);
    json_key(stdout, "envelope_sender", 0);
    json_string(stdout, v->envelope_sender);
    json_key(stdout, "spoofed_official_judged", 0);
    fputs(rm->trusted ? "true" : "false", stdout);
    json_key(stdout, "decision", 0);
    replay_verdict_json(stdout, v);
    if (r->p[1] != NULL) {
        json_key(stdout, "compare", 0);
        replay_verdict_json(stdout, w);
        json_key(stdout, "differs", 0);
        fputs(replay_same(v, w) ? "false" : "true", stdout);
    }
    fputs("}\n", stdout);
}

/* replay_progress - "N messages, R/s, M MB" on a terminal, at most 4 times a second. */
static void replay_progress(struct replay *r, int last)
{
    double t = replay_clock();

    if (!r->progress || (!last && t - r->shown < 0.25))
        return;
    r->shown = t;
    double dt = t - r->started > 1e-6 ? t - r->started : 1e-6;
    fprintf(stderr, "\r%zu messages, %.0f messages/s, %.1f MB%s", r->messages, r->messages / dt,
            (double)r->bytes / 1e6, last ? "\n" : "");
    fflush(stderr);
}

/* replay_bad - a malformed message or an unreadable source: counted and named. */
static void replay_bad(struct replay *r, const struct mailsource_msg *m, const char *why)
{
    if (m->error != NULL)
        r->unreadable++;
    else
        r->malformed++;
    if (r->json && m->error == NULL)
        replay_print_json(r, m, NULL, NULL, NULL, why);
    if (r->progress)
        fputc('\n', stderr);
    fputs("officialmail: replay: ", stderr);
    table_clean(stderr, m->name);
    fputs(": ", stderr);
    table_clean(stderr, why);
    fputs(m->error != NULL ? "\n" : " (not judged)\n", stderr);
}

/* replay_one - judge one message under each configuration; -1 stops the walk (out of memory). */
static int replay_one(const struct mailsource_msg *m, void *arg)
{
    struct replay *r = arg;
    struct replay_msg rm;
    struct verdict v[2] = {{0}, {0}};
    int rc = -1;

    if (m->error != NULL) {
        replay_bad(r, m, m->error);
        return 0;
    }
    r->messages++;
    r->bytes += m->len;
    if (replay_msg_read(&rm, m->data, m->len, r->p[0]->gateway_name) < 0)
        goto oom;
    if (rm.malformed != NULL) {
        replay_bad(r, m, rm.malformed);
        replay_msg_clear(&rm);
        replay_progress(r, 0);
        return 0;
    }
    for (int k = 0; k < 2 && r->p[k] != NULL; k++)
        if (replay_msg_judge(&rm, r->p[k], r->now, &v[k]) < 0 ||
            replay_count(&r->counts[k], &v[k]) < 0)
            goto oom;
    r->judged++;
    r->untrusted += !rm.trusted;
    int differs = r->p[1] != NULL && !replay_same(&v[0], &v[1]);
    r->differ += differs;
    if (r->json)
        replay_print_json(r, m, &rm, &v[0], &v[1], NULL);
    else if (differs)
        replay_print_diff(m, &rm, &v[0], &v[1]);
    replay_progress(r, 0);
    rc = 0;
oom:
    if (rc < 0)
        cli_error("replay: out of memory at %s", m->name);
    verdict_clear(&v[0]);
    verdict_clear(&v[1]);
    replay_msg_clear(&rm);
    return rc;
}

/* replay_row - one count line of the summary: NAME, then one column a configuration. */
static void replay_row(const struct replay *r, const char *name, size_t a, size_t b)
{
    fputs("  ", stdout);
    table_cell(stdout, name, 32, 1);
    printf(" %10zu", a);
    if (r->p[1] != NULL)
        printf(" %10zu", b);
    fputc('\n', stdout);
}

/* replay_dept_count - the count of department NAME in C (0 when it has none). */
static size_t replay_dept_count(const struct replay_counts *c, const char *name)
{
    int i;

    return strtab_get(c->dept_index, name, strlen(name), &i) != NULL ? c->dept_counts[i] : 0;
}

/* replay_summary_depts - violations by department, of either configuration. */
static void replay_summary_depts(const struct replay *r)
{
    const struct replay_counts *a = &r->counts[0], *b = &r->counts[1];

    puts("violations by department:");
    for (size_t i = 0; i < a->ndepts; i++)
        replay_row(r, a->depts[i], a->dept_counts[i], replay_dept_count(b, a->depts[i]));
    for (size_t i = 0; r->p[1] != NULL && i < b->ndepts; i++)
        if (replay_dept_count(a, b->depts[i]) == 0)
            replay_row(r, b->depts[i], 0, b->dept_counts[i]);
}

/* replay_summary - the counts (two columns with --compare: before, after). */
static void replay_summary(const struct replay *r)
{
    const struct replay_counts *a = &r->counts[0], *b = &r->counts[1];
    static const enum om_action msg_actions[] = {ACTION_ACCEPT,     ACTION_LOG,    ACTION_TAG,
                                                 ACTION_QUARANTINE, ACTION_REJECT, ACTION_TEMPFAIL};
    static const enum om_action v_actions[] = {ACTION_LOG, ACTION_TAG, ACTION_QUARANTINE,
                                               ACTION_REJECT, ACTION_EXEMPT};

    printf("messages: %zu read, %zu judged, %zu malformed", r->messages, r->judged, r->malformed);
    if (r->unreadable > 0)
        printf(", %zu sources unreadable", r->unreadable);
    printf("\nspoofed-official not judged (no Authentication-Results of %s): %zu messages\n",
           r->p[0]->gateway_name, r->untrusted);
    if (r->p[1] != NULL) {
        printf("decisions that differ: %zu\n", r->differ);
        printf("  %-32s %10s %10s\n", "", "before", "after");
    }
    puts("messages by action:");
    for (size_t i = 0; i < sizeof(msg_actions) / sizeof(msg_actions[0]); i++)
        replay_row(r, policy_action_name(msg_actions[i]), a->messages[msg_actions[i]],
                   b->messages[msg_actions[i]]);
    replay_row(r, "not judged (on_internal_error)", a->not_judged, b->not_judged);
    puts("violations by rule:");
    for (int i = 0; i < RULE_COUNT; i++)
        replay_row(r, policy_rule_name((enum om_rule)i), a->rules[i], b->rules[i]);
    puts("violations by action:");
    for (size_t i = 0; i < sizeof(v_actions) / sizeof(v_actions[0]); i++)
        replay_row(r, policy_action_name(v_actions[i]), a->violations[v_actions[i]],
                   b->violations[v_actions[i]]);
    replay_summary_depts(r);
}

/* replay_counts_clear - free a configuration's counts. */
static void replay_counts_clear(struct replay_counts *c)
{
    for (size_t i = 0; i < c->ndepts; i++)
        free(c->depts[i]);
    free(c->depts);
    free(c->dept_counts);
    strtab_free(c->dept_index);
}

/* replay_parse_args - options into R; the first SOURCE's index, 0 for --help, -1 on error. */
static int replay_parse_args(int argc, char **argv, struct replay *r)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"compare", required_argument, NULL, OPT_COMPARE},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            r->conf[0] = optarg;
            break;
        case OPT_COMPARE:
            r->conf[1] = optarg;
            break;
        case OPT_JSON:
            r->json = 1;
            break;
        case 'h':
            return 0;
        default:
            cli_error("replay: %s '%s' (see officialmail help replay)",
                      c == ':' ? "option needs a value" : "unknown option", argv[optind - 1]);
            return -1;
        }
    }
    if (optind >= argc) {
        cli_error("replay: no SOURCE given (see officialmail help replay)");
        return -1;
    }
    return optind;
}

/* cmd_replay - load, walk every source, print. */
int cmd_replay(int argc, char **argv, const char *config)
{
    struct replay r = {.conf = {config, NULL}, .now = time(NULL)};
    int status = EXIT_USAGE, first = replay_parse_args(argc, argv, &r);

    if (first <= 0) {
        if (first == 0)
            fputs(cmd_replay_usage, stdout);
        return first == 0 ? 0 : EXIT_USAGE;
    }
    status = EXIT_UNREADABLE;
    for (int k = 0; k < 2; k++) {
        if (k == 1 && r.conf[1] == NULL)
            break;
        if ((r.p[k] = cli_load_policy(r.conf[k], r.now, 0, NULL)) == NULL ||
            (r.counts[k].dept_index = strtab_new()) == NULL)
            goto out;
    }
    if (r.p[1] == NULL && (r.counts[1].dept_index = strtab_new()) == NULL)
        goto out;
    r.progress = isatty(STDERR_FILENO);
    r.started = replay_clock();
    for (int i = first; i < argc; i++)
        if (mailsource_walk(argv[i], replay_one, &r) != 0)
            goto out;
    replay_progress(&r, 1);
    if (!r.json)
        replay_summary(&r);
    status = fflush(stdout) == 0 && r.unreadable == 0 ? 0 : EXIT_UNREADABLE;
out:
    for (int k = 0; k < 2; k++) {
        replay_counts_clear(&r.counts[k]);
        policy_unref(r.p[k]);
    }
    return status;
}
