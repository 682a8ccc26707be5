/*
 * fuzz_message - a whole message through the header splitter and the
 * decision: every parser on the path of an untrusted message (header
 * fields, address lists, encoded words, IDNA) and the rules over them.
 * The first line of the input is the envelope: "MAIL RCPT RCPT ...".
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_load.h"
#include "message_file.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf[] =
    "official_domains = [ \"jk.gov.in\", \"nic.in\" ];\n"
    "webmail_domains = [ ];\n"
    "extra_webmail_domains = [ \"gmail.com\", \"yahoo.co.in\" ];\n"
    "official_markers = [ \"(?i)\\\\b(secretary|govt)\\\\b\" ];\n"
    "departments = ( { name = \"IT\"; domains = [ \"it.jk.gov.in\" ];\n"
    "  patterns = [ \"^it-\" ]; private_addresses = [ \"a@gmail.com\" ]; } );\n"
    "exceptions = ( { sender = \"@nic.in\"; recipient = \"*\"; ticket = \"T\"; } );\n";

static void quiet(void *arg, enum config_severity sev, const char *msg)
{
    (void)arg;
    (void)sev;
    (void)msg;
}

/* fuzz_envelope - split the first line into up to 8 envelope words. */
static size_t fuzz_envelope(char *line, const char **words, size_t max)
{
    size_t n = 0;

    for (char *w = strtok(line, " "); w != NULL && n < max; w = strtok(NULL, " "))
        words[n++] = w;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct policy *p;
    const char *words[8] = {"<>"};
    struct message_file mf;
    struct verdict v;

    if (p == NULL && (p = config_load_string(conf, "fuzz.conf", 0, quiet, NULL)) == NULL)
        abort();
    const uint8_t *nl = memchr(data, '\n', size);
    size_t first = nl ? (size_t)(nl - data) : size;
    char *line = strndup((const char *)data, first);
    if (line == NULL)
        return 0;
    size_t n = fuzz_envelope(line, words, 8);
    const uint8_t *rest = nl ? nl + 1 : data + size;
    if (message_file_parse((const char *)rest, size - (size_t)(rest - data), &mf) == 0) {
        struct message_facts f = {.mail_from = words[0],
                                  .rcpts = words + 1,
                                  .nrcpts = n > 1 ? n - 1 : 0,
                                  .client_ip = "192.0.2.1",
                                  .helo = "mail.jk.gov.in",
                                  .headers = mf.fields,
                                  .nheaders = mf.nfields,
                                  .spf = AUTH_TEMPERROR};
        if (verdict_judge(p, &f, &v) == 0)
            verdict_clear(&v);
        message_file_free(&mf);
    }
    free(line);
    return 0;
}
