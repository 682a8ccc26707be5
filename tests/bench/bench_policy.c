/*
 * bench_policy - how long loading the policy and judging a message take.
 *
 * Usage: bench_policy CONFIG [ITERATIONS]
 * Loads CONFIG five times (prints the best and the mean), then judges a
 * mix of five messages (clean official mail, official to webmail, a
 * citizen writing from webmail, an impersonation, a spoof) ITERATIONS
 * times in all (default 200,000; stopped after 20 s whatever the count),
 * and prints microseconds per message, messages per second and the peak
 * resident memory. A benchmark, not a test: it prints figures.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "config_load.h"
#include "message_file.h"
#include "verdict.h"

struct sample {
    const char *name, *from, *rcpts[3], *headers, *ip;
};

static const struct sample mix[] = {
    {"clean official",
     "<deputy@d7.jk.gov.in>",
     {"<a@d8.jk.gov.in>", "<b@x9.d9.jk.gov.in>"},
     "From: Deputy <deputy@d7.jk.gov.in>\nTo: a@d8.jk.gov.in\nSubject: Budget estimates\n"
     "Message-ID: <1@d7.jk.gov.in>\nDate: Mon, 30 Nov 2026 10:00:00 +0530\n",
     "10.0.0.5"},
    {"official to webmail",
     "<secy12@jk.gov.in>",
     {"<contractor@gmail.com>", "<a@d3.jk.gov.in>"},
     "From: Secretary <secy12@jk.gov.in>\nTo: contractor@gmail.com\nSubject: Tender\n",
     "10.0.0.6"},
    {"citizen from webmail",
     "<ram@gmail.com>",
     {"<grievances@jk.gov.in>"},
     "From: Ram Kumar <ram@gmail.com>\nTo: grievances@jk.gov.in\nSubject: Water supply\n",
     "203.0.113.9"},
    {"impersonation",
     "<officer17.home@gmail.com>",
     {"<a@d17.jk.gov.in>"},
     "From: =?UTF-8?B?U2VjcmV0YXJ5MTcgSVQ=?= <officer17.home@gmail.com>\n"
     "To: a@d17.jk.gov.in\nSubject: =?UTF-8?Q?Govt17_order?=\n",
     "203.0.113.10"},
    {"spoof",
     "<commissioner@jk.gov.in>",
     {"<accounts@d1.jk.gov.in>"},
     "From: Commissioner <commissioner@jk.gov.in>\nReply-To: x@webmail77.example\n"
     "Subject: Urgent payment\n",
     "198.51.100.7"},
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

static void report(void *arg, enum config_severity sev, const char *msg)
{
    (void)arg;
    if (sev == CONFIG_ERROR)
        fprintf(stderr, "%s\n", msg);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* bench_load - load CONF five times; returns the last policy. */
static struct policy *bench_load(const char *conf)
{
    struct policy *p = NULL;
    double best = 1e9, sum = 0;

    for (int i = 0; i < 5; i++) {
        double t0 = now_s();
        policy_unref(p);
        p = config_load(conf, time(NULL), report, NULL);
        double dt = now_s() - t0;
        if (p == NULL)
            return NULL;
        sum += dt;
        best = dt < best ? dt : best;
    }
    printf("load: %zu webmail domains, %zu departments, %zu markers, %zu exceptions\n",
           domain_set_count(p->webmail), p->ndepartments, p->nmarkers, p->nexceptions);
    printf("load: best %.1f ms, mean %.1f ms\n", best * 1e3, sum / 5 * 1e3);
    return p;
}

int main(int argc, char **argv)
{
    struct message_file mf[NMIX];
    struct rusage ru;
    long iterations = argc > 2 ? atol(argv[2]) : 200000, done = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_policy CONFIG [ITERATIONS]\n");
        return 2;
    }
    struct policy *p = bench_load(argv[1]);
    if (p == NULL)
        return 1;
    for (size_t i = 0; i < NMIX; i++)
        if (message_file_parse(mix[i].headers, strlen(mix[i].headers), &mf[i]) < 0)
            return 1;
    double t0 = now_s(), deadline = t0 + 20;
    for (; done < iterations && (done % 1000 != 0 || now_s() < deadline); done++) {
        const struct sample *s = &mix[done % NMIX];
        size_t n = s->rcpts[1] ? 2 : 1;
        struct message_facts f = {.mail_from = s->from,
                                  .rcpts = s->rcpts,
                                  .nrcpts = n,
                                  .client_ip = s->ip,
                                  .headers = mf[done % NMIX].fields,
                                  .nheaders = mf[done % NMIX].nfields,
                                  .spf = AUTH_FAIL,
                                  .now = 1796083200};
        struct verdict v;
        if (verdict_judge(p, &f, &v) < 0)
            return 1;
        verdict_clear(&v);
    }
    double dt = now_s() - t0;
    printf("judge: %ld messages in %.2f s: %.2f us per message, %.0f messages/s\n", done, dt,
           dt / (double)done * 1e6, (double)done / dt);
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory: %.1f MiB\n", (double)ru.ru_maxrss / 1024);
    for (size_t i = 0; i < NMIX; i++)
        message_file_free(&mf[i]);
    policy_unref(p);
    return 0;
}
