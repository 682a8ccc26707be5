/*
 * cmd_test - `officialmail test`: judge one message offline, exactly as
 * the milter would, and print the decision (SPEC 7).
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "auth_need.h"
#include "cli.h"
#include "dkim.h"
#include "dns.h"
#include "facts.h"
#include "message_file.h"
#include "spf.h"
#include "verify.h"
#include "timefmt.h"

const char cmd_test_usage[] =
    "usage: officialmail test [-c FILE] --mail-from ADDR --rcpt ADDR [--rcpt ADDR ...]\n"
    "                         [--client-ip IP] [--helo NAME] [--auth USER]\n"
    "                         [--spf RESULT] [--dkim DOMAIN=RESULT ...]\n"
    "                         [--now DATETIME] [--json] [MESSAGE_FILE | -]\n"
    "\n"
    "Judge one message as officialmail-milter would, without an MTA and without\n"
    "writing the violation log, and print the decision.\n"
    "\n"
    "  --mail-from ADDR   envelope sender; '<>' or '' is the null sender\n"
    "  --rcpt ADDR        envelope recipient (repeat for several)\n"
    "  --client-ip IP     SMTP client address (default 127.0.0.1, internal)\n"
    "  --helo NAME        HELO/EHLO name (its SPF result counts for the null sender)\n"
    "  --auth USER        SMTP AUTH login: the client is authenticated\n"
    "  --spf RESULT       SPF result of the envelope sender (of HELO for '<>'):\n"
    "                     pass, fail, softfail, neutral, none, temperror, permerror\n"
    "  --dkim D=RESULT    a DKIM signature with d=D and that result (repeatable)\n"
    "  --now DATETIME     the clock for exception expiry (ISO 8601, UTC)\n"
    "  --json             print one JSON object (the format other tools read)\n"
    "  MESSAGE_FILE       the RFC 5322 message; '-' reads standard input;\n"
    "                     without it the message has no header fields\n"
    "\n"
    "Without --spf and --dkim the results are looked up in DNS, as the milter does:\n"
    "SPF of the envelope sender (HELO for '<>') from --client-ip, and the DKIM\n"
    "signatures of the message file, when an official From comes from an external,\n"
    "unauthenticated client (within dns_timeout seconds).\n"
    "Exit status: 0 a decision was printed, 1 the configuration or the message\n"
    "could not be read, 2 bad arguments.\n";

struct test_args {
    const char *config;
    const char *mail_from;
    const char **rcpts;
    size_t nrcpts;
    const char *client_ip;
    const char *helo;
    const char *auth;
    enum auth_result spf;
    struct dkim_fact *dkim;
    size_t ndkim;
    char **dkim_domains;
    time_t now;
    int json;
    const char *file;
};

enum {
    OPT_MAIL_FROM = 256,
    OPT_RCPT,
    OPT_CLIENT_IP,
    OPT_HELO,
    OPT_AUTH,
    OPT_SPF,
    OPT_DKIM,
    OPT_NOW,
    OPT_JSON
};

static const struct option test_options[] = {{"config", required_argument, NULL, 'c'},
                                             {"mail-from", required_argument, NULL, OPT_MAIL_FROM},
                                             {"rcpt", required_argument, NULL, OPT_RCPT},
                                             {"client-ip", required_argument, NULL, OPT_CLIENT_IP},
                                             {"helo", required_argument, NULL, OPT_HELO},
                                             {"auth", required_argument, NULL, OPT_AUTH},
                                             {"spf", required_argument, NULL, OPT_SPF},
                                             {"dkim", required_argument, NULL, OPT_DKIM},
                                             {"now", required_argument, NULL, OPT_NOW},
                                             {"json", no_argument, NULL, OPT_JSON},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};

/* test_add_dkim - parse "DOMAIN=RESULT" into A->dkim. */
static int test_add_dkim(struct test_args *a, const char *arg)
{
    const char *eq = strrchr(arg, '=');
    int r;

    if (eq == NULL || eq == arg || (r = auth_result_from_name(eq + 1)) < 0) {
        cli_error("--dkim wants DOMAIN=RESULT with RESULT one of pass, fail, softfail, neutral, "
                  "none, temperror, permerror: '%s'",
                  arg);
        return -1;
    }
    struct dkim_fact *nd = realloc(a->dkim, (a->ndkim + 1) * sizeof(*nd));
    char **nn = nd ? realloc(a->dkim_domains, (a->ndkim + 1) * sizeof(*nn)) : NULL;
    if (nd != NULL)
        a->dkim = nd;
    if (nn != NULL)
        a->dkim_domains = nn;
    char *d = nn ? strndup(arg, (size_t)(eq - arg)) : NULL;
    if (d == NULL) {
        cli_error("out of memory");
        return -1;
    }
    a->dkim_domains[a->ndkim] = d;
    a->dkim[a->ndkim++] = (struct dkim_fact){d, (enum auth_result)r};
    return 0;
}

/* test_add_rcpt - remember one --rcpt. */
static int test_add_rcpt(struct test_args *a, const char *arg)
{
    const char **nr = realloc(a->rcpts, (a->nrcpts + 1) * sizeof(*nr));

    if (nr == NULL) {
        cli_error("out of memory");
        return -1;
    }
    a->rcpts = nr;
    a->rcpts[a->nrcpts++] = arg;
    return 0;
}

/* test_is_ip - 1 when S is an IPv4 or IPv6 address. */
static int test_is_ip(const char *s)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* test_option - apply one option; -1 on a bad value. */
static int test_option(struct test_args *a, int c, const char *arg)
{
    int r;

    switch (c) {
    case 'c':
        a->config = arg;
        return 0;
    case OPT_MAIL_FROM:
        a->mail_from = arg;
        return 0;
    case OPT_RCPT:
        return test_add_rcpt(a, arg);
    case OPT_HELO:
        a->helo = arg;
        return 0;
    case OPT_AUTH:
        a->auth = arg;
        return 0;
    case OPT_JSON:
        a->json = 1;
        return 0;
    case OPT_DKIM:
        return test_add_dkim(a, arg);
    case OPT_CLIENT_IP:
        if (!test_is_ip(arg)) {
            cli_error("--client-ip wants an IPv4 or IPv6 address: '%s'", arg);
            return -1;
        }
        a->client_ip = arg;
        return 0;
    case OPT_SPF:
        if ((r = auth_result_from_name(arg)) < 0) {
            cli_error("--spf wants pass, fail, softfail, neutral, none, temperror or "
                      "permerror: '%s'",
                      arg);
            return -1;
        }
        a->spf = (enum auth_result)r;
        return 0;
    case OPT_NOW:
        if (timefmt_parse(arg, &a->now) < 0) {
            cli_error("--now wants an ISO 8601 date or date-time in UTC, such as "
                      "2027-03-31 or 2027-03-31T23:59:59Z: '%s'",
                      arg);
            return -1;
        }
        return 0;
    }
    return -1;
}

/* test_parse_args - the options into A; 0, 1 for --help, -1 on error. */
static int test_parse_args(int argc, char **argv, struct test_args *a)
{
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:h", test_options, NULL)) != -1) {
        if (c == 'h')
            return 1;
        if (c == '?' || c == ':') {
            cli_error("test: %s '%s' (see officialmail help test)",
                      c == ':' ? "option needs a value" : "unknown option", argv[optind - 1]);
            return -1;
        }
        if (test_option(a, c, optarg) < 0)
            return -1;
    }
    if (a->mail_from == NULL || a->nrcpts == 0) {
        cli_error("test: --mail-from and at least one --rcpt are required "
                  "(see officialmail help test)");
        return -1;
    }
    if (argc - optind > 1) {
        cli_error("test: one message file at most, got '%s' and '%s'", argv[optind],
                  argv[optind + 1]);
        return -1;
    }
    a->file = optind < argc ? argv[optind] : NULL;
    return 0;
}

/* test_read_message - the header fields of A->file (none without a file). */
static int test_read_message(const struct test_args *a, struct message_file *mf)
{
    char err[256];
    FILE *fp;
    int rc;

    if (a->file == NULL)
        return message_file_parse("", 0, mf);
    fp = strcmp(a->file, "-") == 0 ? stdin : fopen(a->file, "rb");
    if (fp == NULL) {
        cli_error("cannot read message %s: %s", a->file, strerror(errno));
        return -1;
    }
    rc = message_file_read(fp, mf, err, sizeof(err));
    if (rc < 0)
        cli_error("cannot read message %s: %s", a->file, err);
    if (fp != stdin)
        fclose(fp);
    return rc;
}

/* test_crlf - a copy of LEN bytes of S with every line ending in CRLF (the body DKIM hashes). */
static char *test_crlf(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(2 * len + 1);
    size_t o = 0;

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            out[o++] = '\r';
        out[o++] = s[i];
    }
    *out_len = o;
    return out;
}

/* test_feed - the message file's fields and body to VF; 0, or -1 when out of memory. */
static int test_feed(struct verify *vf, const struct policy *p, const struct message_facts *f,
                     const struct message_file *mf)
{
    size_t len;
    char *body;
    int rc;

    for (size_t i = 0; i < mf->nfields; i++)
        if (verify_header(vf, mf->fields[i].name, mf->fields[i].value, 1) < 0)
            return -1;
    rc = verify_eoh(vf, p, f, "officialmail-test");
    if (rc <= 0)
        return rc;
    if ((body = test_crlf(mf->body, mf->body_len, &len)) == NULL)
        return -1;
    (void)verify_body(vf, body, len);
    free(body);
    return 0;
}

/*
 * test_lookups - SPF and DKIM from DNS into F, as the milter would; *VF
 * owns the results F points at. 0, or -1 (reported) when they cannot be had.
 */
static int test_lookups(const struct policy *p, struct message_facts *f,
                        const struct message_file *mf, struct verify **vf, int json)
{
    char err[256] = "out of memory";

    if (!auth_need_client(p, f->client_ip, f->smtp_auth_user))
        return 0; /* never judged as spoofing: nothing to look up */
    if (dns_start() < 0 || spf_start(err, sizeof(err)) < 0 || dkim_start(err, sizeof(err)) < 0)
        goto fail;
    if ((*vf = verify_new()) == NULL || test_feed(*vf, p, f, mf) < 0 || verify_eom(*vf, p, f) < 0)
        goto fail;
    if (!json && verify_judged(*vf))
        printf("Authentication-Results: %s\n", verify_results(*vf));
    return 0;
fail:
    cli_error("cannot check SPF and DKIM: %s", err);
    return -1;
}

/*
 * test_facts - the envelope and the header fields into F, as the milter
 * gathers them (one space after the colon dropped, as it asks the MTA);
 * 0, or -1 (reported) when out of memory.
 */
static int test_facts(struct facts *f, const struct test_args *a, const char *mail_from,
                      const struct message_file *mf)
{
    size_t refused = 0;

    if (facts_set_sender(f, mail_from, a->auth) < 0)
        goto oom;
    for (size_t i = 0; i < a->nrcpts; i++) {
        int rc = facts_add_rcpt(f, a->rcpts[i]);
        if (rc < 0)
            goto oom;
        refused += rc > 0;
    }
    if (refused > 0)
        fprintf(stderr,
                "officialmail: %zu recipients past max_recipients (%zu) would be refused "
                "452 4.5.3 and are not judged\n",
                refused, f->max_rcpts);
    for (size_t i = 0; i < mf->nfields; i++) {
        const char *value = mf->fields[i].value;
        if (facts_add_header(f, mf->fields[i].name, value[0] == ' ' ? value + 1 : value) < 0)
            goto oom;
    }
    return 0;
oom:
    cli_error("cannot gather the message's facts: out of memory");
    return -1;
}

/* test_free_args - free what the option parsing allocated. */
static void test_free_args(struct test_args *a)
{
    for (size_t i = 0; i < a->ndkim; i++)
        free(a->dkim_domains[i]);
    free(a->dkim_domains);
    free(a->dkim);
    free(a->rcpts);
}

/* cmd_test - parse, load, judge, print. */
int cmd_test(int argc, char **argv, const char *config)
{
    struct test_args a = {.config = config, .client_ip = "127.0.0.1", .now = time(NULL)};
    struct message_file mf = {0};
    struct facts facts = {0};
    struct verdict v = {0};
    struct verify *vf = NULL;
    struct policy *p = NULL;
    int status = EXIT_USAGE, rc = test_parse_args(argc, argv, &a);

    if (rc != 0) {
        if (rc > 0)
            fputs(cmd_test_usage, stdout);
        status = rc > 0 ? 0 : EXIT_USAGE;
        goto out;
    }
    status = EXIT_UNREADABLE;
    if ((p = cli_load_policy(a.config, a.now, 0, NULL)) == NULL)
        goto out;
    if (test_read_message(&a, &mf) < 0)
        goto out;
    const char *mail_from = strcmp(a.mail_from, "") == 0 ? "<>" : a.mail_from;
    struct message_facts f = {.client_ip = a.client_ip,
                              .helo = a.helo,
                              .spf = a.spf,
                              .dkim = a.dkim,
                              .ndkim = a.ndkim,
                              .now = a.now};
    facts_init(&facts, p);
    if (test_facts(&facts, &a, mail_from, &mf) < 0)
        goto out;
    facts_view(&facts, &f);
    /* Given results replace the lookups (SPEC 7). */
    if (a.spf == AUTH_UNKNOWN && a.ndkim == 0 && f.limit == NULL &&
        test_lookups(p, &f, &mf, &vf, a.json) < 0)
        goto out;
    if (verdict_judge(p, &f, &v) < 0) {
        cli_error("cannot judge the message: out of memory");
        goto out;
    }
    if (a.json)
        verdict_print_json(stdout, &v);
    else
        verdict_print_text(stdout, p, &v);
    status = fflush(stdout) == 0 ? 0 : EXIT_UNREADABLE;
out:
    verdict_clear(&v);
    verify_free(vf);
    dkim_stop();
    spf_stop();
    dns_stop();
    message_file_free(&mf);
    facts_clear(&facts);
    policy_unref(p);
    test_free_args(&a);
    return status;
}
