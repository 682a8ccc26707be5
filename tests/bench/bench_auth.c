/*
 * bench_auth - the cost per message of SPF and DKIM verification with a
 * warm DNS cache: the whole path the milter takes for a judged message
 * (fields kept, end-of-header decision, body to DKIM, both checks at the
 * end of the message) against an authoritative server on loopback that
 * answers from memory (tests/bench/run-auth.sh starts NSD in a namespace).
 *
 * Usage: bench_auth CONFIG SIGNED_MESSAGE N
 * Prints microseconds per message for: SPF and DKIM, SPF alone, DKIM
 * alone, and a message that needs neither (an internal client).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_load.h"
#include "dkim.h"
#include "dns.h"
#include "message_file.h"
#include "spf.h"
#include "verify.h"

/* A case: the envelope that makes SPF, DKIM, both or neither needed. */
struct bench_case {
    const char *name, *client, *mail_from;
    int signed_msg;
    enum auth_result want_spf;
    size_t want_dkim; /* passing signatures expected */
};

/* bench_report - loader messages to stderr. */
static void bench_report(void *arg, enum config_severity sev, const char *msg)
{
    (void)arg;
    (void)sev;
    fprintf(stderr, "%s\n", msg);
}

/* The body as the MTA sends it: CRLF line ends. */
struct bench_body {
    char *text;
    size_t len;
};

/* bench_crlf - MF's body with CRLF line ends into B; -1 when out of memory. */
static int bench_crlf(const struct message_file *mf, struct bench_body *b)
{
    b->len = 0;
    if ((b->text = malloc(2 * mf->body_len + 1)) == NULL)
        return -1;
    for (size_t i = 0; i < mf->body_len; i++) {
        if (mf->body[i] == '\n' && (i == 0 || mf->body[i - 1] != '\r'))
            b->text[b->len++] = '\r';
        b->text[b->len++] = mf->body[i];
    }
    return 0;
}

/* bench_one - one message through verify; -1 when the results are not the expected ones. */
static int bench_one(const struct policy *p, const struct bench_case *c,
                     const struct message_file *mf, const struct bench_body *body)
{
    const char *rcpts[] = {"<accounts@jk.gov.in>"};
    struct message_facts f = {.mail_from = c->mail_from,
                              .rcpts = rcpts,
                              .nrcpts = 1,
                              .client_ip = c->client,
                              .helo = "relay.example.net",
                              .headers = mf->fields,
                              .nheaders = mf->nfields};
    struct verify *vf = verify_new();
    int rc = -1;

    if (vf == NULL)
        return -1;
    for (size_t i = 0; i < mf->nfields; i++)
        if (c->signed_msg || strcmp(mf->fields[i].name, "DKIM-Signature") != 0)
            (void)verify_header(vf, mf->fields[i].name, mf->fields[i].value, 1);
    if (verify_eoh(vf, p, &f, "bench") > 0)
        (void)verify_body(vf, body->text, body->len);
    if (verify_eom(vf, p, &f) == 0 && f.spf == c->want_spf && f.ndkim == c->want_dkim &&
        (f.ndkim == 0 || f.dkim[0].result == AUTH_PASS))
        rc = 0;
    verify_free(vf);
    return rc;
}

/* bench_run - N messages of case C; microseconds per message, or -1. */
static double bench_run(const struct policy *p, const struct bench_case *c,
                        const struct message_file *mf, const struct bench_body *body, long n)
{
    struct timespec t0, t1;

    (void)bench_one(p, c, mf, body); /* the first one fills whatever warms up */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++)
        if (bench_one(p, c, mf, body) < 0) {
            fprintf(stderr, "bench_auth: %s: unexpected results at message %ld\n", c->name, i);
            return -1;
        }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) /
           (double)n;
}

int main(int argc, char **argv)
{
    static const struct bench_case cases[] = {
        {"SPF + DKIM (pass, pass)", "192.0.2.10", "<commissioner@jk.gov.in>", 1, AUTH_PASS, 1},
        {"SPF alone (pass)", "192.0.2.10", "<commissioner@jk.gov.in>", 0, AUTH_PASS, 0},
        {"DKIM alone (pass)", "192.0.2.10", "<bounce@example.net>", 1, AUTH_UNKNOWN, 1},
        {"neither (internal client)", "10.0.0.5", "<commissioner@jk.gov.in>", 1, AUTH_UNKNOWN, 0},
    };
    struct message_file mf = {0};
    struct bench_body body = {NULL, 0};
    char err[256] = "out of memory";
    struct policy *p;
    FILE *fp;
    int rc = 1;

    if (argc != 4 || atol(argv[3]) <= 0) {
        fprintf(stderr, "usage: bench_auth CONFIG SIGNED_MESSAGE N\n");
        return 2;
    }
    if ((p = config_load(argv[1], time(NULL), bench_report, NULL)) == NULL)
        return 1;
    if ((fp = fopen(argv[2], "rb")) == NULL || message_file_read(fp, &mf, err, sizeof(err)) < 0 ||
        bench_crlf(&mf, &body) < 0 || dns_start() < 0 || spf_start(err, sizeof(err)) < 0 ||
        dkim_start(err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_auth: %s\n", err);
        goto out;
    }
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double us = bench_run(p, &cases[i], &mf, &body, atol(argv[3]));
        if (us < 0)
            goto out;
        printf("%-28s %8.1f us/message (%s messages)\n", cases[i].name, us, argv[3]);
    }
    rc = 0;
out:
    if (fp != NULL)
        fclose(fp);
    message_file_free(&mf);
    free(body.text);
    dkim_stop();
    spf_stop();
    dns_stop();
    policy_unref(p);
    return rc;
}
