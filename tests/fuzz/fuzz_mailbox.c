/*
 * fuzz_mailbox - the mailbox reader of `officialmail replay`: mbox text
 * split into messages, each message's header section found, its envelope
 * and Authentication-Results read (replay_msg.c), and the message judged
 * by the same decision as the milter's. Every byte is untrusted: a
 * mailbox is whatever was delivered.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_load.h"
#include "mailsource.h"
#include "replay_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf[] = "official_domains = [ \"jk.gov.in\" ];\n"
                           "webmail_domains = [ ];\n"
                           "extra_webmail_domains = [ \"gmail.com\" ];\n"
                           "official_markers = [ \"(?i)\\\\bsecretary\\\\b\", \"govt\" ];\n"
                           "gateway_name = \"mx.jk.gov.in\";\n"
                           "departments = ( { name = \"IT\"; patterns = [ \"^it-\" ]; } );\n";

static struct policy *pol;

static void quiet(void *arg, enum config_severity sev, const char *msg)
{
    (void)arg;
    (void)sev;
    (void)msg;
}

/* fuzz_one - one message of the mbox: read, and judged when well formed. */
static int fuzz_one(const struct mailsource_msg *m, void *arg)
{
    struct replay_msg rm;
    struct verdict v;
    int ended;

    (void)arg;
    if (mailsource_header_len(m->data, m->len, &ended) > m->len)
        abort();
    if (replay_msg_read(&rm, m->data, m->len, pol->gateway_name) < 0)
        return 0;
    if (rm.malformed == NULL && replay_msg_judge(&rm, pol, 0, &v) == 0)
        verdict_clear(&v);
    replay_msg_clear(&rm);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (pol == NULL && (pol = config_load_string(conf, "fuzz.conf", 0, quiet, NULL)) == NULL)
        abort();
    /* A copy of exactly SIZE bytes: the reader must not look past the end. */
    char *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    (void)mailsource_mbox("fuzz.mbox", copy, size, fuzz_one, NULL);
    free(copy);
    return 0;
}
