/* test_exc_index - the exceptions' sender index: candidates, never a miss. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "domain.h"
#include "exc_index.h"

/* test_addr - an address of the decision with NORM and DOMAIN. */
static struct addr test_addr(char *norm, const char *domain)
{
    struct addr a = {.norm = norm, .dept = -1};

    a.domain = domain;
    a.domain_ok = domain[0] != '\0';
    return a;
}

static int bit(const unsigned char *bits, size_t i)
{
    return (bits[i / 8] >> (i % 8)) & 1;
}

START_TEST(marks_address_domains_and_any)
{
    struct exception e[6] = {0};
    unsigned char bits[1] = {0};

    e[0].sender.domain = "jk.gov.in";
    e[1].sender.address = "a@x.jk.gov.in";
    e[2].sender.any = 1;
    e[3].sender.domain = "other.in";
    e[4].sender.address = "b@x.jk.gov.in";
    e[5].sender.domain = "x.jk.gov.in";
    struct exc_index *x = exc_index_build(e, 6);
    ck_assert_ptr_nonnull(x);
    struct addr a = test_addr("a@x.jk.gov.in", "x.jk.gov.in");
    exc_index_mark(x, &a, bits);
    ck_assert_msg(bits[0] == ((1u << 0) | (1u << 1) | (1u << 5)), "marked %#x", bits[0]);
    exc_index_mark_any(x, bits);
    ck_assert(bit(bits, 2));
    ck_assert(!bit(bits, 3) && !bit(bits, 4));
    /* "xjk.gov.in" is not under "jk.gov.in": labels, not strings. */
    bits[0] = 0;
    struct addr b = test_addr("c@xjk.gov.in", "xjk.gov.in");
    exc_index_mark(x, &b, bits);
    ck_assert_msg(bits[0] == 0, "marked %#x", bits[0]);
    exc_index_free(x);
}
END_TEST

/* covers - the verdict's own sender test, written out. */
static int covers(const struct exception_match *m, const struct addr *a)
{
    if (m->any)
        return 1;
    if (m->address != NULL)
        return strcmp(m->address, a->norm) == 0;
    return m->domain != NULL && a->domain_ok && domain_is_under(a->domain, m->domain);
}

START_TEST(marks_exactly_the_true_matches)
{
    enum { N = 300 };
    static struct exception e[N];
    static char names[N][64];
    static const char *const doms[] = {"gov.in",         "jk.gov.in",    "d1.jk.gov.in",
                                       "x.d1.jk.gov.in", "mail.example", "in"};
    const size_t ndoms = sizeof(doms) / sizeof(doms[0]);

    memset(e, 0, sizeof(e));
    for (size_t i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "u%zu@%s", i % 7, doms[i % ndoms]);
        if (i % 11 == 0)
            e[i].sender.any = 1;
        else if (i % 2 == 0)
            e[i].sender.address = names[i];
        else
            e[i].sender.domain = (char *)doms[(i / 2) % ndoms];
    }
    struct exc_index *x = exc_index_build(e, N);
    ck_assert_ptr_nonnull(x);
    for (size_t k = 0; k < 7 * ndoms; k++) {
        unsigned char bits[(N + 7) / 8] = {0};
        char norm[64];
        snprintf(norm, sizeof(norm), "u%zu@%s", k % 7, doms[k % ndoms]);
        struct addr a = test_addr(norm, doms[k % ndoms]);
        exc_index_mark(x, &a, bits);
        exc_index_mark_any(x, bits);
        for (size_t i = 0; i < N; i++)
            ck_assert_msg(bit(bits, i) == covers(&e[i].sender, &a), "%s, exception %zu: %d", norm,
                          i, bit(bits, i));
    }
    exc_index_free(x);
}
END_TEST

static Suite *exc_index_suite(void)
{
    Suite *s = suite_create("exc_index");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, marks_address_domains_and_any);
    tcase_add_test(tc, marks_exactly_the_true_matches);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(exc_index_suite)
