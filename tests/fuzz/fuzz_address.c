/*
 * fuzz_address - libFuzzer target for the address and text parsers.
 *
 * The input is fed whole to every entry point: as a header value
 * (mailbox_list_parse, then addr_normalize of each mailbox), as an
 * envelope path and a configuration address (up to its first NUL), and
 * as unstructured text. Beyond the sanitizers it checks the contracts
 * that callers rely on: decoded text is valid UTF-8, display names are
 * trimmed and collapsed, the cap holds, and a normalised configuration
 * address normalises to itself. Everything is freed, so LeakSanitizer
 * sees any leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "text.h"

#define FUZZ_MAX 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(ok) check_at((ok), __LINE__)

/* check_at - abort (a crash libFuzzer reports) when a contract is broken. */
static void check_at(int ok, int line)
{
    if (!ok) {
        fprintf(stderr, "fuzz_address.c:%d: contract broken\n", line);
        abort();
    }
}

/* valid_utf8 - whether S is well-formed UTF-8 (text_utf8_repair changes nothing). */
static int valid_utf8(const char *s)
{
    char *r = text_utf8_repair(s, strlen(s));
    int ok = r != NULL && strcmp(r, s) == 0;

    free(r);
    return ok;
}

/* check_display - a display name is NULL, or non-empty valid UTF-8 with single inner spaces. */
static void check_display(const char *d)
{
    size_t n;

    if (d == NULL)
        return;
    n = strlen(d);
    check(n > 0 && d[0] != ' ' && d[n - 1] != ' ' && strstr(d, "  ") == NULL);
    check(strpbrk(d, "\t\r\n") == NULL && valid_utf8(d));
}

/* fuzz_header - the input as a header value. */
static void fuzz_header(const char *s, size_t size)
{
    struct mailbox_list l = {0};
    char dom[DOMAIN_MAX];
    size_t i;

    if (mailbox_list_parse(s, size, FUZZ_MAX, &l) == 0) {
        check(l.n <= FUZZ_MAX);
        for (i = 0; i < l.n; i++) {
            int ok = -1;
            char *norm;
            check(l.v[i].local != NULL);
            check(l.v[i].local[0] != '\0' || (l.v[i].domain && l.v[i].domain[0] != '\0'));
            check_display(l.v[i].display);
            norm = addr_normalize(&l.v[i], &ok, dom);
            check(norm != NULL && (ok == 0 || ok == 1));
            check(!ok || (strchr(norm, '@') != NULL && strlen(dom) < DOMAIN_MAX));
            free(norm);
        }
    }
    mailbox_list_free(&l);
}

/* fuzz_path - the input (up to a NUL) as an envelope path and a configuration address. */
static void fuzz_path(const char *s)
{
    struct mailbox m;
    int is_null = -1, ok;
    char *norm, *again;

    if (envelope_parse(s, &m, &is_null) == 0) {
        check(is_null == 0 || is_null == 1);
        check(m.local != NULL && m.display == NULL);
        norm = addr_normalize(&m, &ok, NULL);
        check(norm != NULL);
        free(norm);
        mailbox_clear(&m);
    }
    norm = addr_normalize_text(s);
    if (norm != NULL) {
        again = addr_normalize_text(norm);
        check(again != NULL && strcmp(again, norm) == 0);
        free(again);
    }
    free(norm);
}

/* LLVMFuzzerTestOneInput - one input through every parser. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), *t;

    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    fuzz_header(s, size);
    fuzz_path(s);
    t = text_decode_unstructured(s, size);
    check(t != NULL && valid_utf8(t));
    free(t);
    t = text_unfold(s, size);
    check(t != NULL && strpbrk(t, "\r\n") == NULL);
    free(t);
    free(s);
    return 0;
}
