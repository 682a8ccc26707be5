/*
 * fuzz_auth - untrusted input through the SPF and DKIM wrappers: the
 * envelope checked before it reaches libspf2 (CVE-2021-20314: nothing
 * reaches it unchecked), and header fields and body handed to
 * libopendkim, its DKIM-Signature parser among them. A deadline already
 * past makes every lookup fail at once: no query leaves the process.
 * The first line of the input is "CLIENT_IP HELO MAIL_FROM" ("-" for
 * none); the rest is the message.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim.h"
#include "dns.h"
#include "spf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_word - the next blank-separated word of *P, or NULL for "-" and none. */
static const char *fuzz_word(char **p)
{
    char *w = *p, *end;

    while (*w == ' ')
        w++;
    if (*w == '\0')
        return NULL;
    end = strchr(w, ' ');
    if (end != NULL)
        *end++ = '\0';
    *p = end != NULL ? end : w + strlen(w);
    return strcmp(w, "-") == 0 ? NULL : w;
}

/* fuzz_all - every signature is wanted (the milter's filter is exercised elsewhere). */
static int fuzz_all(void *arg, const char *d)
{
    (void)arg;
    return d != NULL;
}

/* fuzz_dkim - TEXT split into fields (folding kept) and body, through a verifier. */
static void fuzz_dkim(char *text, const struct timespec *spent)
{
    struct dkim_verifier *v = dkim_verifier_new("fuzz", fuzz_all, NULL);
    const struct dkim_fact *facts;
    size_t n;
    char *p = text;

    if (v == NULL)
        return;
    while (*p != '\0' && *p != '\n') {
        char *end = p, *colon = strchr(p, ':');
        while ((end = strchr(end, '\n')) != NULL && (end[1] == ' ' || end[1] == '\t'))
            end++;
        char *next = end != NULL ? end + 1 : p + strlen(p);
        if (end != NULL)
            *end = '\0';
        if (colon != NULL && colon < next) {
            *colon = '\0';
            (void)dkim_verifier_header(v, p, colon + 1);
        }
        p = next;
    }
    if (dkim_verifier_eoh(v) > 0) {
        if (*p == '\n')
            p++;
        (void)dkim_verifier_body(v, p, strlen(p));
        (void)dkim_verifier_finish(v, spent, &facts, &n);
    }
    dkim_verifier_free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int started; /* once per process: the fuzzer runs one input at a time */
    struct timespec spent;
    char err[256], why[512], id[400];
    char *text = malloc(size + 1), *p;

    if (text == NULL)
        return 0;
    if (!started) {
        if (dns_start() < 0 || spf_start(err, sizeof(err)) < 0 || dkim_start(err, sizeof(err)) < 0)
            abort();
        started = 1;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    dns_deadline(&spent, -1);
    p = strchr(text, '\n');
    if (p != NULL)
        *p++ = '\0';
    char *line = text;
    const char *ip = fuzz_word(&line), *helo = fuzz_word(&line), *from = fuzz_word(&line);
    (void)spf_identity(helo, from, id, sizeof(id));
    (void)spf_check(ip, helo, from != NULL ? from : "<>", &spent, why, sizeof(why));
    if (p != NULL)
        fuzz_dkim(p, &spent);
    free(text);
    return 0;
}
