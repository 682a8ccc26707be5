/*
 * fuzz_config - libFuzzer target for the configuration loader.
 *
 * The input, as a NUL-terminated copy, is loaded with config_load_string
 * (named "fuzz.conf", at a fixed clock). Beyond the sanitizers it checks
 * the loader's contracts: NULL exactly when an error was reported, no
 * message carrying a control character (they go to syslog), and a policy
 * that holds what the decision code relies on (at least one official
 * domain, every department named, table values that index departments,
 * exceptions covering some rule).
 *
 * Files: inputs holding "@include" anywhere are skipped. libconfig opens
 * an included file itself, with no way for us to refuse a FIFO (open
 * blocks) or /dev/zero (endless input), so such an input could hang the
 * fuzzer in code that is not ours. List files named by webmail_domains
 * need no filter: the loader opens them non-blocking, refuses anything
 * but a regular file, and caps line length, error count and size, which
 * is also what protects the milter's reload from the same mistakes.
 * Without webmail_domains the shipped list is read from PKGDATADIR (an
 * error where it is not installed, which the contracts allow).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_load.h"

/* Clock of every load: 2027-01-01T00:00:00Z, so expiry warnings are stable. */
#define FUZZ_NOW ((time_t)1798761600)

/* Inputs past this size only slow the fuzzer down; configurations are small. */
#define FUZZ_MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * __lsan_default_suppressions - LeakSanitizer's hook for built-in
 * suppressions. libconfig 1.5 leaks the string token its scanner holds
 * when a syntax error follows it: 'a "x";' leaks 64 bytes (strbuf_append)
 * and 'a ""b;' one byte (libconfig_yylex), with libconfig alone. That is
 * not ours to fix; any leak made elsewhere is still reported.
 */
const char *__lsan_default_suppressions(void)
{
    return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

#define check(ok) check_at((ok), __LINE__)

/* check_at - abort (a crash libFuzzer reports) when a contract is broken. */
static void check_at(int ok, int line)
{
    if (!ok) {
        fprintf(stderr, "fuzz_config.c:%d: contract broken\n", line);
        abort();
    }
}

/* What the report callback saw. */
struct seen {
    unsigned errors;
};

/* discard - the report callback: check each message, keep only the count. */
static void discard(void *arg, enum config_severity sev, const char *msg)
{
    struct seen *s = arg;

    check(msg != NULL && msg[0] != '\0');
    for (const char *p = msg; *p != '\0'; p++)
        check((unsigned char)*p >= 0x20 && *p != 0x7f);
    if (sev == CONFIG_ERROR)
        s->errors++;
}

/* check_value_cb - every table value names a department. */
static int check_value_cb(const char *key, int value, void *arg)
{
    const struct policy *p = arg;

    check(key != NULL && value >= 0 && (size_t)value < p->ndepartments);
    return 0;
}

/* check_policy - the invariants the decision code relies on. */
static void check_policy(const struct policy *p)
{
    const unsigned all = (1u << RULE_COUNT) - 1;

    check(p->nofficial >= 1 && domain_set_count(p->official) == p->nofficial);
    for (size_t i = 0; i < p->nofficial; i++) {
        int v = -1;
        check(domain_set_contains(p->official, p->official_domains[i], &v) && (size_t)v == i);
    }
    for (size_t i = 0; i < p->ndepartments; i++)
        check(p->departments[i].name != NULL && p->departments[i].name[0] != '\0');
    domain_set_foreach(p->dept_domains, check_value_cb, (void *)p);
    strtab_foreach(p->dept_addresses, check_value_cb, (void *)p);
    strtab_foreach(p->private_owner, check_value_cb, (void *)p);
    for (size_t i = 0; i < p->nmarkers; i++)
        check(p->markers[i].code != NULL && p->markers[i].source != NULL);
    for (int r = 0; r < RULE_COUNT; r++)
        check(p->rules[r].action >= ACTION_LOG && p->rules[r].action <= ACTION_REJECT);
    for (size_t i = 0; i < p->nexceptions; i++) {
        const struct exception *x = &p->exceptions[i];
        check(x->rules != 0 && (x->rules & ~all) == 0 && x->file != NULL);
        check(x->sender.any + (x->sender.domain != NULL) + (x->sender.address != NULL) == 1);
        check(x->recipient.any + (x->recipient.domain != NULL) + (x->recipient.address != NULL) ==
              1);
    }
    check(p->socket != NULL && p->database != NULL && p->default_department != NULL);
}

/* LLVMFuzzerTestOneInput - load DATA as a configuration. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen seen = {0};
    struct policy *p;
    char *text;

    if (size > FUZZ_MAX_INPUT || memmem(data, size, "@include", 8) != NULL)
        return 0;
    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    p = config_load_string(text, "fuzz.conf", FUZZ_NOW, discard, &seen);
    check((p == NULL) == (seen.errors > 0));
    if (p != NULL)
        check_policy(p);
    policy_unref(p);
    free(text);
    return 0;
}
