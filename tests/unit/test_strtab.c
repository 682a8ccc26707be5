/* test_strtab - the string hash table: put, get, delete, growth. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "strtab.h"

START_TEST(put_get_first_wins)
{
    struct strtab *t = strtab_new();
    int v = -1;

    ck_assert_int_eq(strtab_put(t, "a@b", 3, 1), 1);
    ck_assert_int_eq(strtab_put(t, "a@b", 3, 2), 0);
    ck_assert_ptr_nonnull(strtab_get(t, "a@b", 3, &v));
    ck_assert_msg(v == 1, "got value %d, want 1 (first wins)", v);
    ck_assert_ptr_null(strtab_get(t, "a@c", 3, &v));
    ck_assert_ptr_null(strtab_get(t, "a@", 2, &v));
    strtab_free(t);
}
END_TEST

START_TEST(grow_and_delete)
{
    struct strtab *t = strtab_new();
    char key[32];
    int v;

    for (int i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof(key), "d%d.example", i);
        ck_assert_int_eq(strtab_put(t, key, (size_t)n, i), 1);
    }
    ck_assert_uint_eq(strtab_count(t), 20000);
    for (int i = 0; i < 20000; i += 2) {
        int n = snprintf(key, sizeof(key), "d%d.example", i);
        ck_assert_int_eq(strtab_del(t, key, (size_t)n), 1);
    }
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof(key), "d%d.example", i);
        const char *got = strtab_get(t, key, (size_t)n, &v);
        if (i % 2 == 0)
            ck_assert_msg(got == NULL, "got %s after delete, want absent", key);
        else
            ck_assert_msg(got != NULL && v == i, "got %p/%d for %s, want %d", (void *)got, v, key,
                          i);
    }
    ck_assert_uint_eq(strtab_count(t), 10000);
    /* Tombstones are reused: re-adding does not lose anything. */
    ck_assert_int_eq(strtab_put(t, "d0.example", 10, 7), 1);
    ck_assert_ptr_nonnull(strtab_get(t, "d0.example", 10, &v));
    ck_assert_int_eq(v, 7);
    strtab_free(t);
}
END_TEST

static int count_cb(const char *key, int value, void *arg)
{
    (void)key;
    (void)value;
    ++*(int *)arg;
    return 0;
}

START_TEST(foreach_visits_all)
{
    struct strtab *t = strtab_new();
    int n = 0;

    strtab_put(t, "x", 1, 0);
    strtab_put(t, "y", 1, 0);
    strtab_put(t, "z", 1, 0);
    strtab_del(t, "y", 1);
    strtab_foreach(t, count_cb, &n);
    ck_assert_int_eq(n, 2);
    strtab_free(t);
    strtab_free(NULL);
}
END_TEST

static Suite *strtab_suite(void)
{
    Suite *s = suite_create("strtab");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, put_get_first_wins);
    tcase_add_test(tc, grow_and_delete);
    tcase_add_test(tc, foreach_visits_all);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(strtab_suite)
