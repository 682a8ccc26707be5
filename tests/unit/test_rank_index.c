/* test_rank_index - string keys to ascending lists of ranks. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "rank_index.h"

START_TEST(keys_keep_their_ranks_in_order)
{
    struct rank_index *x = rank_index_new();
    const struct rank_list *l;

    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(rank_index_add(x, "jk.gov.in", 9, 3), 0);
    ck_assert_int_eq(rank_index_add(x, "gov.in", 6, 4), 0);
    ck_assert_int_eq(rank_index_add(x, "jk.gov.in", 9, 7), 0);
    l = rank_index_get(x, "jk.gov.in", 9);
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(l->n, 2);
    ck_assert_msg(l->v[0] == 3 && l->v[1] == 7, "got %zu, %zu", l->v[0], l->v[1]);
    l = rank_index_get(x, "gov.in", 6);
    ck_assert_msg(l != NULL && l->n == 1 && l->v[0] == 4, "gov.in: wrong list");
    ck_assert_ptr_null(rank_index_get(x, "jk.gov", 6)); /* a prefix of a key is not the key */
    ck_assert_ptr_null(rank_index_get(x, "in", 2));
    rank_index_free(x);
}
END_TEST

/* Many keys: the lists' array grows while earlier lists keep their ranks. */
START_TEST(many_keys)
{
    struct rank_index *x = rank_index_new();
    char key[32];

    for (size_t r = 0; r < 3000; r++) {
        int n = snprintf(key, sizeof(key), "k%zu", r % 1000);
        ck_assert_int_eq(rank_index_add(x, key, (size_t)n, r), 0);
    }
    for (size_t k = 0; k < 1000; k++) {
        int n = snprintf(key, sizeof(key), "k%zu", k);
        const struct rank_list *l = rank_index_get(x, key, (size_t)n);
        ck_assert_msg(l != NULL && l->n == 3 && l->v[0] == k && l->v[1] == k + 1000 &&
                          l->v[2] == k + 2000,
                      "%s: wrong list", key);
    }
    rank_index_free(x);
}
END_TEST

START_TEST(list_push_and_free)
{
    struct rank_list l = {0};

    for (size_t r = 0; r < 100; r++)
        ck_assert_int_eq(rank_list_push(&l, r * 2), 0);
    ck_assert_uint_eq(l.n, 100);
    ck_assert_uint_eq(l.v[99], 198);
    rank_list_free(&l);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_ptr_null(l.v);
}
END_TEST

static Suite *rank_index_suite(void)
{
    Suite *s = suite_create("rank_index");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, keys_keep_their_ranks_in_order);
    tcase_add_test(tc, many_keys);
    tcase_add_test(tc, list_push_and_free);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(rank_index_suite)
