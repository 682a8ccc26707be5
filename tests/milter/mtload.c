/*
 * mtload - a milter protocol load generator (the MTA's side).
 *
 * Usage: mtload -s SOCKET [-n MESSAGES] [-c CONNECTIONS] [-t SECONDS]
 *               [-k MESSAGES_PER_CONNECTION] [-m mix|violating|clean|refuse]
 *               [-a ACKFILE] [-q QUEUEID_PREFIX]
 *
 * C threads each open milter connections and drive messages through
 * connect, helo, mail, rcpt x3, 15 headers, eoh, body (when the milter
 * wants it) and end of message, as Postfix does; the messages are drawn
 * in turn from a mix (clean official mail, official mail to webmail, a
 * citizen writing from webmail, an impersonation, a spoofed official
 * sender). Bounded by count and by time. Prints messages per second and
 * the latency (MAIL FROM to the end-of-message reply) at p50, p99 and
 * max. With -a, each acknowledged end of message is appended to ACKFILE
 * as "QUEUEID REPLY" the moment its reply arrives (for crash tests).
 *
 * The connect step carries {daemon_port} 25, as an MTA's smtpd does
 * (without it a milter takes the session for mail submitted without
 * SMTP). Refused recipients are counted. Two loads are checked, so that
 * a benchmark never reports a figure for a load that did not happen:
 * "-m refuse" (official mail from one of 500 departments, found by
 * address, pattern or domain, to one webmail and two official
 * recipients: the webmail one must be refused at RCPT, the message
 * accepted) and "-m clean" (official mail between departments, and a
 * citizen's mail: every recipient accepted). A run of either in which a
 * message was answered otherwise prints valid=no and exits 3.
 */
#include <config.h>

#include <libmilter/mfdef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mproto.h"

struct sample {
    const char *client, *from, *rcpt[3], *hfrom, *subject, *replyto;
};

static const struct sample mix[] = {
    {"10.0.0.5",
     "<deputy@d7.jk.gov.in>",
     {"<a@d8.jk.gov.in>", "<b@x9.d9.jk.gov.in>", "<c@nic.in>"},
     "Deputy Secretary <deputy@d7.jk.gov.in>",
     "Budget estimates for 2027",
     NULL},
    {"10.0.0.6",
     "<secy12@jk.gov.in>",
     {"<contractor@gmail.com>", "<a@d3.jk.gov.in>", "<b@d4.jk.gov.in>"},
     "Secretary <secy12@jk.gov.in>",
     "Tender documents",
     NULL},
    {"203.0.113.9",
     "<ram@gmail.com>",
     {"<grievances@jk.gov.in>", "<b@d5.jk.gov.in>", "<c@d6.jk.gov.in>"},
     "Ram Kumar <ram@gmail.com>",
     "Water supply in our ward",
     NULL},
    {"203.0.113.10",
     "<officer17.home@gmail.com>",
     {"<a@d17.jk.gov.in>", "<b@d18.jk.gov.in>", "<c@jk.gov.in>"},
     "=?UTF-8?B?U2VjcmV0YXJ5IElU?= <officer17.home@gmail.com>",
     "=?UTF-8?Q?Government_order?=",
     NULL},
    /* The envelope sender is not under jk.gov.in: no SPF lookup can align (no DNS). */
    {"198.51.100.7",
     "<billing@relay.example.net>",
     {"<accounts@d1.jk.gov.in>", "<b@d2.jk.gov.in>", "<c@d3.jk.gov.in>"},
     "Commissioner <commissioner@jk.gov.in>",
     "Urgent payment",
     "x@gmail.com"},
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

/*
 * The refuse load: '#' stands for a department number (the message's
 * number modulo 500), so that the senders' departments are found in turn
 * by exact address, by pattern and by domain, as on a real gateway.
 */
static const struct sample refuse[] = {
    {"10.0.0.6",
     "<secy#@jk.gov.in>",
     {"<contractor@gmail.com>", "<a@d#.jk.gov.in>", "<b@x#.d#.jk.gov.in>"},
     "Secretary <secy#@jk.gov.in>",
     "Tender documents",
     NULL},
    {"10.0.0.7",
     "<dept#-clerk@jk.gov.in>",
     {"<a@d#.jk.gov.in>", "<vendor#@gmail.com>", "<c@nic.in>"},
     "Section Officer <dept#-clerk@jk.gov.in>",
     "Re: supply order",
     NULL},
    {"10.0.0.8",
     "<deputy@d#.jk.gov.in>",
     {"<a@d#.jk.gov.in>", "<b@nic.in>", "<consultant@yahoo.co.in>"},
     "Deputy Director <deputy@d#.jk.gov.in>",
     "Minutes of the meeting",
     NULL},
};

/* The clean load: official mail between departments, and a citizen's mail. */
static const struct sample clean[] = {
    {"10.0.0.5",
     "<deputy@d#.jk.gov.in>",
     {"<a@d#.jk.gov.in>", "<b@x#.d#.jk.gov.in>", "<c@nic.in>"},
     "Deputy Secretary <deputy@d#.jk.gov.in>",
     "Budget estimates for 2027",
     NULL},
    {"10.0.0.9",
     "<dept#-accounts@jk.gov.in>",
     {"<secy#@jk.gov.in>", "<a@d#.jk.gov.in>", "<b@nic.in>"},
     "Accounts Officer <dept#-accounts@jk.gov.in>",
     "Monthly statement",
     NULL},
    {"203.0.113.9",
     "<ram@gmail.com>",
     {"<grievances@jk.gov.in>", "<b@d#.jk.gov.in>", "<c@d#.jk.gov.in>"},
     "Ram Kumar <ram@gmail.com>",
     "Water supply in our ward",
     NULL},
};

/* One message's strings, '#' filled in. */
struct filled {
    struct sample s;
    char buf[8][160];
};

struct load {
    const char *spec;
    long messages;
    int per_conn;
    int which; /* 0 mix, 1 violating only, 2 clean only, 3 refuse */
    double deadline;
    const char *qprefix;
    FILE *ack;
    pthread_mutex_t lock;
    long next, done, errors, replies[8];
    long refused;    /* recipients refused at RCPT */
    long unexpected; /* messages of a checked load answered otherwise */
    double *lat;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* load_take - the number of the next message to send, or -1 when done. */
static long load_take(struct load *l)
{
    long k = -1;

    pthread_mutex_lock(&l->lock);
    if (l->next < l->messages && now_s() < l->deadline)
        k = l->next++;
    pthread_mutex_unlock(&l->lock);
    return k;
}

/* load_fill1 - template T with every '#' replaced by DEPT, into BUF (or T itself). */
static const char *load_fill1(const char *t, long dept, char *buf, size_t len)
{
    size_t o = 0;

    if (t == NULL || strchr(t, '#') == NULL)
        return t;
    for (; *t != '\0' && o + 8 < len; t++) {
        if (*t == '#')
            o += (size_t)snprintf(buf + o, len - o, "%ld", dept);
        else
            buf[o++] = *t;
    }
    buf[o] = '\0';
    return buf;
}

/* load_sample - the sample message K under the chosen mix, its '#'s filled into F. */
static const struct sample *load_sample(const struct load *l, long k, struct filled *f)
{
    static const int violating[] = {1, 3, 4};
    const struct sample *s;
    long dept = (k / 3) % 500;

    if (l->which == 1)
        return &mix[violating[k % 3]];
    if (l->which == 0)
        return &mix[k % NMIX];
    s = l->which == 2 ? &clean[k % 3] : &refuse[k % 3];
    f->s = *s;
    f->s.from = load_fill1(s->from, dept, f->buf[0], sizeof(f->buf[0]));
    for (int i = 0; i < 3; i++)
        f->s.rcpt[i] = load_fill1(s->rcpt[i], dept, f->buf[1 + i], sizeof(f->buf[0]));
    f->s.hfrom = load_fill1(s->hfrom, dept, f->buf[4], sizeof(f->buf[0]));
    return &f->s;
}

/* load_header - one header field step. */
static int load_header(struct mproto *m, const char *name, const char *value)
{
    char buf[4096];
    struct mreply r[4];
    size_t n = strlen(name) + 1, v = strlen(value) + 1;

    if (n + v > sizeof(buf))
        return -1;
    memcpy(buf, name, n);
    memcpy(buf + n, value, v);
    if (mproto_skipped(m, SMFIC_HEADER))
        return 0;
    return mproto_step(m, SMFIC_HEADER, buf, n + v, r, 4) < 0 ? -1 : 0;
}

/* load_headers - the 15 header fields of a realistic message. */
static int load_headers(struct mproto *m, const struct sample *s, long k)
{
    char mid[128], to[512];
    static const char dkim[] =
        "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=sel1; t=1796000000; "
        "h=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; "
        "b=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR5c2Dnl9Vc0LHBQ/"
        "Ys4VJcFT7ja2V9lqvZBA9XfSX3mzxUaNyPSH/EUeCmzq+EyAGN5S5vK+oK6z6vJTq4Z3Dj4AMD1wqVgQp";
    const char *names[15] = {"Received",     "Received",       "Received",
                             "Date",         "From",           "To",
                             "Cc",           "Subject",        "Message-ID",
                             "MIME-Version", "Content-Type",   "Content-Transfer-Encoding",
                             "X-Mailer",     "DKIM-Signature", s->replyto ? "Reply-To" : "List-Id"};
    snprintf(mid, sizeof(mid), "<load-%ld@%s>", k, strchr(s->from, '@') + 1);
    snprintf(to, sizeof(to), "%s, %s", s->rcpt[0], s->rcpt[1]);
    const char *values[15] = {
        "from mail.example.net (mail.example.net [198.51.100.1]) by mx1.example.net with ESMTPS "
        "id 4XyZ1abc for <a@jk.gov.in>; Mon, 30 Nov 2026 10:00:00 +0530",
        "from client.example.net (client.example.net [203.0.113.77]) by mail.example.net with "
        "ESMTPSA id 77aa; Mon, 30 Nov 2026 09:59:58 +0530",
        "by client.example.net (Postfix, from userid 1000) id 1234; Mon, 30 Nov 2026 09:59:57",
        "Mon, 30 Nov 2026 10:00:00 +0530",
        s->hfrom,
        to,
        s->rcpt[2],
        s->subject,
        mid,
        "1.0",
        "text/plain; charset=UTF-8",
        "quoted-printable",
        "Load 1.0",
        dkim,
        s->replyto ? s->replyto : "<announcements.jk.gov.in>"};
    for (int i = 0; i < 15; i++)
        if (load_header(m, names[i], values[i]) < 0)
            return -1;
    return 0;
}

/* load_body - about 5 KB of body, when the milter asked for it. */
static int load_body(struct mproto *m)
{
    char body[5120];
    struct mreply r[4];

    if (mproto_skipped(m, SMFIC_BODY))
        return 0;
    for (size_t i = 0; i < sizeof(body); i++)
        body[i] = (i % 72 == 71) ? '\n' : (char)('a' + i % 26);
    return mproto_step(m, SMFIC_BODY, body, sizeof(body), r, 4) < 0 ? -1 : 0;
}

/* load_kind - what the final reply of end of message says: an index into replies[]. */
static int load_kind(const struct mreply *r, int n)
{
    int quarantined = 0;

    for (int i = 0; i < n - 1; i++)
        quarantined |= r[i].cmd == 'q';
    const struct mreply *f = &r[n - 1];
    if (f->cmd == 'y')
        return f->text[0] == '5' ? 2 : 3;
    if (f->cmd == 'r')
        return 2;
    if (f->cmd == 't')
        return 3;
    return quarantined ? 1 : 0;
}

/* load_open - a new milter connection for sample S. */
static int load_open(struct load *l, struct mproto *m, const struct sample *s)
{
    const char *mn[] = {"{daemon_name}", "{client_addr}", "{client_name}", "{daemon_port}"};
    const char *mv[] = {"mtload", s->client, "client.example.net", "25"};
    char data[256];
    struct mreply r[4];

    if (mproto_connect(m, l->spec, 10000) < 0)
        return -1;
    int n = snprintf(data, sizeof(data), "client.example.net%c4%c%c%s", 0, 0, 25, s->client);
    if (mproto_macros(m, SMFIC_CONNECT, mn, mv, 4) < 0 ||
        mproto_step(m, SMFIC_CONNECT, data, (size_t)n + 1, r, 4) < 0 ||
        mproto_step(m, SMFIC_HELO, "client.example.net", 19, r, 4) < 0) {
        mproto_close(m);
        return -1;
    }
    return 0;
}

/* load_final - the last reply of a step (NUL when it had none). */
static char load_final(const struct mreply *r, int n)
{
    return n > 0 ? r[n - 1].cmd : '\0';
}

/* load_message - one message on an open connection; its reply kind in *KIND. */
static int load_message(struct load *l, struct mproto *m, const struct sample *s, long k, int *kind,
                        int *refused_out)
{
    struct mreply r[16];
    char qid[64];
    int n, refused = 0;
    const char *mn[] = {"{i}"}, *mv[] = {qid};

    snprintf(qid, sizeof(qid), "%s%06lX", l->qprefix, k);
    if (mproto_step(m, SMFIC_MAIL, s->from, strlen(s->from) + 1, r, 16) < 0)
        return -1;
    for (int i = 0; i < 3; i++) {
        if ((n = mproto_step(m, SMFIC_RCPT, s->rcpt[i], strlen(s->rcpt[i]) + 1, r, 16)) < 0)
            return -1;
        refused += load_final(r, n) == 'y' || load_final(r, n) == 'r';
    }
    *refused_out = refused;
    if (refused == 3) { /* the MTA sends no data for a message without recipients */
        *kind = 2;
        return mproto_step(m, SMFIC_ABORT, NULL, 0, r, 16) < 0 ? -1 : 0;
    }
    if (load_headers(m, s, k) < 0 || mproto_step(m, SMFIC_EOH, NULL, 0, r, 16) < 0 ||
        load_body(m) < 0 || mproto_macros(m, SMFIC_BODYEOB, mn, mv, 1) < 0 ||
        (n = mproto_step(m, SMFIC_BODYEOB, NULL, 0, r, 16)) <= 0)
        return -1;
    *kind = load_kind(r, n);
    if (l->ack != NULL) {
        pthread_mutex_lock(&l->lock);
        fprintf(l->ack, "%s %c%s\n", qid, r[n - 1].cmd, r[n - 1].cmd == 'y' ? r[n - 1].text : "");
        fflush(l->ack);
        pthread_mutex_unlock(&l->lock);
    }
    return 0;
}

/* load_worker - connections and messages until the count or the time is used up. */
static void *load_worker(void *arg)
{
    struct load *l = arg;
    struct mproto m;
    long k;

    struct filled fill;

    while ((k = load_take(l)) >= 0) {
        const struct sample *s = load_sample(l, k, &fill);
        if (load_open(l, &m, s) < 0) {
            pthread_mutex_lock(&l->lock);
            l->errors++;
            pthread_mutex_unlock(&l->lock);
            continue;
        }
        for (int i = 0; i < l->per_conn && k >= 0; i++) {
            int kind = 0, refused = 0;
            double t0 = now_s();
            int rc = load_message(l, &m, s, k, &kind, &refused);
            double dt = now_s() - t0;
            pthread_mutex_lock(&l->lock);
            if (rc < 0) {
                l->errors++;
            } else {
                l->lat[l->done++] = dt;
                l->replies[kind]++;
                l->refused += refused;
                /* refuse: one recipient refused, the message accepted; clean: all accepted. */
                if ((l->which == 3 && (refused != 1 || kind != 0)) ||
                    (l->which == 2 && (refused != 0 || kind != 0)))
                    l->unexpected++;
            }
            pthread_mutex_unlock(&l->lock);
            if (rc < 0)
                break;
            if (i + 1 < l->per_conn && (k = load_take(l)) >= 0)
                s = load_sample(l, k, &fill);
        }
        mproto_close(&m);
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* load_report - the summary line of a run of DT seconds; 1 when a checked load was not as
 * described. */
static int load_report(struct load *l, double dt)
{
    qsort(l->lat, (size_t)l->done, sizeof(double), cmp_double);
    double p50 = l->done ? l->lat[l->done / 2] : 0, p99 = l->done ? l->lat[l->done * 99 / 100] : 0;
    double max = l->done ? l->lat[l->done - 1] : 0;
    printf("messages=%ld errors=%ld seconds=%.3f rate=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f "
           "accepted=%ld quarantined=%ld rejected=%ld tempfailed=%ld refused_rcpts=%ld",
           l->done, l->errors, dt, l->done / dt, p50 * 1e3, p99 * 1e3, max * 1e3, l->replies[0],
           l->replies[1], l->replies[2], l->replies[3], l->refused);
    /* A checked load that did not happen as described is no figure. */
    int invalid = (l->which == 2 || l->which == 3) && (l->unexpected > 0 || l->done == 0);
    if (l->which == 2 || l->which == 3)
        printf(" unexpected=%ld valid=%s", l->unexpected, invalid ? "no" : "yes");
    printf("\n");
    return invalid;
}

int main(int argc, char **argv)
{
    struct load l = {.messages = 1000, .per_conn = 1, .qprefix = "L"};
    int conns = 1, seconds = 60, c;
    const char *ackfile = NULL;

    while ((c = getopt(argc, argv, "s:n:c:t:k:m:a:q:")) != -1) {
        switch (c) {
        case 's':
            l.spec = optarg;
            break;
        case 'n':
            l.messages = atol(optarg);
            break;
        case 'c':
            conns = atoi(optarg);
            break;
        case 't':
            seconds = atoi(optarg);
            break;
        case 'k':
            l.per_conn = atoi(optarg);
            break;
        case 'm':
            l.which = strcmp(optarg, "violating") == 0 ? 1
                      : strcmp(optarg, "clean") == 0   ? 2
                      : strcmp(optarg, "refuse") == 0  ? 3
                                                       : 0;
            break;
        case 'a':
            ackfile = optarg;
            break;
        case 'q':
            l.qprefix = optarg;
            break;
        default:
            return 2;
        }
    }
    if (l.spec == NULL || conns < 1 || conns > 256 || l.messages < 1 || l.per_conn < 1) {
        fprintf(stderr, "usage: mtload -s SOCKET [-n N] [-c CONNS] [-t SECONDS] [-k PER_CONN] "
                        "[-m mix|violating|clean|refuse] [-a ACKFILE] [-q PREFIX]\n");
        return 2;
    }
    if (ackfile != NULL && (l.ack = fopen(ackfile, "a")) == NULL) {
        perror(ackfile);
        return 2;
    }
    l.lat = calloc((size_t)l.messages, sizeof(double));
    pthread_mutex_init(&l.lock, NULL);
    pthread_t *t = calloc((size_t)conns, sizeof(*t));
    if (l.lat == NULL || t == NULL)
        return 1;
    double t0 = now_s();
    l.deadline = t0 + seconds;
    for (int i = 0; i < conns; i++)
        pthread_create(&t[i], NULL, load_worker, &l);
    for (int i = 0; i < conns; i++)
        pthread_join(t[i], NULL);
    int invalid = load_report(&l, now_s() - t0);
    if (l.ack != NULL)
        fclose(l.ack);
    free(l.lat);
    free(t);
    return l.errors > 0 ? 1 : invalid ? 3 : 0;
}
