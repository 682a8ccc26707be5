/* test_prom - the Prometheus exposition: label values escaped, histograms cumulative, counters. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "prom.h"

static const struct {
    const char *in, *want;
} label_cases[] = {
    {"Information Technology", "Information Technology"},
    {"Health & Family Welfare \"HFW\"", "Health & Family Welfare \\\"HFW\\\""},
    {"back\\slash", "back\\\\slash"},
    {"two\nlines", "two\\nlines"},
    {"} 1\nofficialmail_forged 2", "} 1\\nofficialmail_forged 2"},
    {"Caf\xc3\xa9 \xe0\xa4\xb8", "Caf\xc3\xa9 \xe0\xa4\xb8"},
    {"bad \xff byte", "bad \xef\xbf\xbd byte"},
    {"", ""},
};

START_TEST(label_table)
{
    struct prom_out o;

    prom_out_init(&o);
    prom_label_value(&o, label_cases[_i].in);
    ck_assert_msg(!o.failed, "out of memory");
    ck_assert_msg(strcmp(o.s ? o.s : "", label_cases[_i].want) == 0, "got %s, want %s",
                  o.s ? o.s : "", label_cases[_i].want);
    prom_out_free(&o);
}
END_TEST

START_TEST(histogram)
{
    static const double bounds[] = {0.001, 0.01, 0.1};
    struct prom_hist h;
    struct prom_out o;

    prom_hist_init(&h, bounds, 3);
    prom_observe(&h, 0.0005); /* first bucket */
    prom_observe(&h, 0.001);  /* a bound is inclusive (le) */
    prom_observe(&h, 0.05);
    prom_observe(&h, 3.0);  /* +Inf only */
    prom_observe(&h, -1.0); /* a clock oddity counts as 0 */
    prom_out_init(&o);
    prom_hist_lines(&o, "x_seconds", &h);
    ck_assert_str_eq(o.s, "x_seconds_bucket{le=\"0.001\"} 3\n"
                          "x_seconds_bucket{le=\"0.01\"} 3\n"
                          "x_seconds_bucket{le=\"0.1\"} 4\n"
                          "x_seconds_bucket{le=\"+Inf\"} 5\n"
                          "x_seconds_sum 3.051500000\n"
                          "x_seconds_count 5\n");
    prom_out_free(&o);
}
END_TEST

START_TEST(lines)
{
    struct prom_counter c = {0};
    struct prom_gauge g = {0};
    struct prom_out o;

    for (int i = 0; i < 1000; i++)
        prom_inc(&c);
    prom_add(&c, 5);
    prom_gauge_add(&g, 3);
    prom_gauge_add(&g, -5);
    prom_out_init(&o);
    prom_head(&o, "a_total", "counter", "What a counts.");
    prom_counter_line(&o, "a_total", "k=\"v\"", &c);
    prom_gauge_line(&o, "b", NULL, &g);
    prom_value_line(&o, "c", "", 1796649975.0);
    prom_value_line(&o, "d", NULL, 0.25);
    ck_assert_str_eq(o.s, "# HELP a_total What a counts.\n# TYPE a_total counter\n"
                          "a_total{k=\"v\"} 1005\nb -2\nc 1796649975\nd 0.25\n");
    prom_out_free(&o);
}
END_TEST

static Suite *prom_suite(void)
{
    Suite *s = suite_create("prom");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, label_table, 0, sizeof(label_cases) / sizeof(label_cases[0]));
    tcase_add_test(tc, histogram);
    tcase_add_test(tc, lines);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(prom_suite)
