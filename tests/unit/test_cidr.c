/* test_cidr - parsing and matching of internal_networks entries. */
#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "check_main.h"
#include "cidr.h"

/* What cidr_list_add answers for one text. */
static const struct {
    const char *text;
    int want; /* 0 accepted, -1 refused */
} add_cases[] = {
    {"10.0.0.0/8", 0},
    {"10.0.0.1", 0}, /* a bare address is a host */
    {"10.0.0.1/32", 0},
    {"0.0.0.0/0", 0},
    {"10.128.0.0/9", 0},
    {"192.168.1.128/25", 0},
    {"10.0.0.0/08", 0}, /* leading zero in the prefix: still a number */
    {"::1/128", 0},
    {"::1", 0},
    {"::/0", 0},
    {"fe80::/10", 0},
    {"2001:db8::/32", 0},
    {"::ffff:10.0.0.0/104", 0},
    {"::ffff:10.1.2.3", 0},
    {"10.0.0.1/8", -1}, /* host bits set below the prefix */
    {"10.128.0.0/8", -1},
    {"192.168.1.129/25", -1},
    {"fe80::1/10", -1},
    {"2001:db8::1/64", -1},
    {"10.0.0.0/33", -1},
    {"2001:db8::/129", -1},
    {"10.0.0.0/", -1},
    {"/8", -1},
    {"", -1},
    {"10.0.0.0/ 8", -1},
    {" 10.0.0.0/8", -1},
    {"10.0.0.0/8 ", -1},
    {"10.0.0.0/+8", -1},
    {"10.0.0.0/-8", -1},
    {"10.0.0.0/0008", -1},
    {"10.0.0.0/8/8", -1},
    {"10.0.0/8", -1},
    {"10.0.0.256", -1},
    {"localhost", -1},
    {"fe80::1%eth0", -1},
    {"[::1]", -1},
    {"::1/abc", -1},
};

START_TEST(add_table)
{
    struct cidr_list *l = cidr_list_new();
    int got;

    ck_assert_ptr_nonnull(l);
    got = cidr_list_add(l, add_cases[_i].text);
    ck_assert_msg(got == add_cases[_i].want, "cidr_list_add(\"%s\"): got %d, want %d",
                  add_cases[_i].text, got, add_cases[_i].want);
    ck_assert_msg(cidr_list_count(l) == (got == 0 ? 1u : 0u), "count after \"%s\": got %u",
                  add_cases[_i].text, cidr_list_count(l));
    cidr_list_free(l);
}
END_TEST

static const char *const match_list[] = {
    "127.0.0.0/8",           "::1/128",       "10.0.0.0/8", "192.168.1.128/25", "2001:db8:1::/48",
    "::ffff:172.16.0.0/108", "100.128.0.0/9",
};

/* What cidr_list_match answers for one client against match_list. */
static const struct {
    const char *ip;
    int want;
} match_cases[] = {
    {"127.0.0.1", 1},
    {"127.255.255.255", 1},
    {"128.0.0.1", 0},
    {"126.255.255.255", 0},
    {"::1", 1},
    {"::2", 0},
    {"0:0:0:0:0:0:0:1", 1},
    {"10.1.2.3", 1},
    {"::ffff:10.1.2.3", 1}, /* IPv4-mapped client: matched as IPv4 */
    {"::FFFF:10.1.2.3", 1},
    {"::ffff:a01:203", 1}, /* the same, in hex */
    {"::ffff:11.1.2.3", 0},
    {"::ffff:127.0.0.1", 1},
    {"::10.1.2.3", 0},        /* IPv4-compatible is not mapped */
    {"64:ff9b::10.1.2.3", 0}, /* NAT64 is not mapped either */
    {"192.168.1.127", 0},
    {"192.168.1.128", 1},
    {"192.168.1.255", 1},
    {"2001:db8:1:ffff::1", 1},
    {"2001:db8:2::1", 0},
    {"172.16.5.5", 1}, /* from the mapped entry ::ffff:172.16.0.0/108 = 172.16.0.0/12 */
    {"172.31.255.255", 1},
    {"172.32.0.1", 0},
    {"11.0.0.1", 0},
    {"100.127.255.255", 0}, /* a prefix that is not a whole number of bytes */
    {"100.128.0.1", 1},
    {"100.255.255.255", 1},
    {"garbage", -1},
    {"", -1},
    {"10.1.2.3/32", -1},
    {"[::1]", -1},
};

START_TEST(match_table)
{
    struct cidr_list *l = cidr_list_new();
    int got;

    ck_assert_ptr_nonnull(l);
    for (size_t k = 0; k < sizeof(match_list) / sizeof(match_list[0]); k++)
        ck_assert_msg(cidr_list_add(l, match_list[k]) == 0, "add %s", match_list[k]);
    ck_assert_uint_eq(cidr_list_count(l), sizeof(match_list) / sizeof(match_list[0]));
    got = cidr_list_match(l, match_cases[_i].ip);
    ck_assert_msg(got == match_cases[_i].want, "cidr_list_match(\"%s\"): got %d, want %d",
                  match_cases[_i].ip, got, match_cases[_i].want);
    cidr_list_free(l);
}
END_TEST

START_TEST(prefix_zero_stays_in_family)
{
    struct cidr_list *v4 = cidr_list_new(), *v6 = cidr_list_new();

    ck_assert_int_eq(cidr_list_add(v4, "0.0.0.0/0"), 0);
    ck_assert_int_eq(cidr_list_add(v6, "::/0"), 0);
    ck_assert_msg(cidr_list_match(v4, "203.0.113.9") == 1, "0.0.0.0/0 vs IPv4: want 1");
    ck_assert_msg(cidr_list_match(v4, "2001:db8::9") == 0, "0.0.0.0/0 vs IPv6: want 0");
    ck_assert_msg(cidr_list_match(v4, "::ffff:203.0.113.9") == 1, "0.0.0.0/0 vs mapped: want 1");
    ck_assert_msg(cidr_list_match(v6, "2001:db8::9") == 1, "::/0 vs IPv6: want 1");
    ck_assert_msg(cidr_list_match(v6, "203.0.113.9") == 0, "::/0 vs IPv4: want 0");
    cidr_list_free(v4);
    cidr_list_free(v6);
}
END_TEST

START_TEST(match_bytes)
{
    struct cidr_list *l = cidr_list_new();
    unsigned char a4[4], a6[16];

    ck_assert_int_eq(cidr_list_add(l, "10.0.0.0/8"), 0);
    ck_assert_int_eq(inet_pton(AF_INET, "10.9.8.7", a4), 1);
    ck_assert_int_eq(cidr_list_match_bytes(l, AF_INET, a4), 1);
    ck_assert_int_eq(inet_pton(AF_INET6, "::ffff:10.9.8.7", a6), 1);
    ck_assert_int_eq(cidr_list_match_bytes(l, AF_INET6, a6), 1);
    ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::1", a6), 1);
    ck_assert_int_eq(cidr_list_match_bytes(l, AF_INET6, a6), 0);
    ck_assert_int_eq(cidr_list_match_bytes(l, AF_UNIX, a6), -1);
    cidr_list_free(l);
}
END_TEST

START_TEST(empty_and_free)
{
    struct cidr_list *l = cidr_list_new();

    ck_assert_uint_eq(cidr_list_count(l), 0);
    ck_assert_int_eq(cidr_list_match(l, "127.0.0.1"), 0);
    ck_assert_int_eq(cidr_list_match(l, "nope"), -1);
    cidr_list_free(l);
    cidr_list_free(NULL);
}
END_TEST

START_TEST(many_entries)
{
    struct cidr_list *l = cidr_list_new();
    char text[32];

    /* Past the first growth of the vector. */
    for (int i = 0; i < 300; i++) {
        snprintf(text, sizeof(text), "10.%d.%d.0/24", i / 256, i % 256);
        ck_assert_int_eq(cidr_list_add(l, text), 0);
    }
    ck_assert_uint_eq(cidr_list_count(l), 300);
    ck_assert_int_eq(cidr_list_match(l, "10.1.43.7"), 1); /* entry 299 */
    ck_assert_int_eq(cidr_list_match(l, "10.1.44.7"), 0);
    cidr_list_free(l);
}
END_TEST

/* cidr_suite - every cidr test. */
static Suite *cidr_suite(void)
{
    Suite *s = suite_create("cidr");
    TCase *tc = tcase_create("cidr");

    tcase_add_loop_test(tc, add_table, 0, sizeof(add_cases) / sizeof(add_cases[0]));
    tcase_add_loop_test(tc, match_table, 0, sizeof(match_cases) / sizeof(match_cases[0]));
    tcase_add_test(tc, prefix_zero_stays_in_family);
    tcase_add_test(tc, match_bytes);
    tcase_add_test(tc, empty_and_free);
    tcase_add_test(tc, many_entries);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(cidr_suite)
