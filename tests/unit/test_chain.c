/*
 * test_chain - the hash chain on its own (store/chain.c), over a table
 * that is not the violation log: two fields, as a second hash-chained
 * table (review marks) would have. Linking, the canonical form, and the
 * walk naming the first bad row for each kind of tampering.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "check_main.h"

#define NROWS 4
static const char *const names[] = {"who", "mark"};

struct stored {
    char *values[2];
    struct chain_row row;
    char prev[CHAIN_HASH_HEX], hash[CHAIN_HASH_HEX];
};

static char v[NROWS][2][24];
static struct stored rows[NROWS];
static struct chain_head head;

/* build - NROWS rows linked from the start of a chain. */
static void build(void)
{
    head.id = 0;
    snprintf(head.hash, sizeof(head.hash), "%s", CHAIN_ZERO_HASH);
    for (int i = 0; i < NROWS; i++) {
        snprintf(v[i][0], sizeof(v[i][0]), "user%d", i);
        snprintf(v[i][1], sizeof(v[i][1]), "seen %d", i);
        rows[i].values[0] = v[i][0];
        rows[i].values[1] = v[i][1];
        rows[i].row = (struct chain_row){.names = names, .values = rows[i].values, .n = 2};
        ck_assert_int_eq(chain_link(&head, &rows[i].row, rows[i].prev, rows[i].hash), 0);
    }
}

/* walk - verify rows FROM..NROWS-1 after checkpoint THROUGH; RES gets the findings. */
static int walk(int from, long long through, const char *hash, struct chain_verify_result *res)
{
    struct chain_walk w;

    memset(res, 0, sizeof(*res));
    chain_walk_start(&w, res, through, hash);
    for (int i = from; i < NROWS; i++)
        if (chain_walk_row(&w, &rows[i].row, rows[i].prev, rows[i].hash) != 0)
            break;
    return chain_walk_end(&w, &head);
}

START_TEST(link_and_canonical)
{
    char *c;

    build();
    ck_assert_int_eq(head.id, NROWS);
    ck_assert_str_eq(head.hash, rows[NROWS - 1].hash);
    ck_assert_str_eq(rows[0].prev, CHAIN_ZERO_HASH);
    for (int i = 1; i < NROWS; i++) {
        ck_assert_int_eq(rows[i].row.id, i + 1);
        ck_assert_str_eq(rows[i].prev, rows[i - 1].hash);
    }
    c = chain_canonical(&rows[0].row);
    ck_assert_str_eq(c, "id=1:1\nwho=5:user0\nmark=6:seen 0\n");
    free(c);
}
END_TEST

/* The hash is SHA-256 of PREV and the canonical form, whatever the row's size
   (chain_hash serialises into a fixed buffer when the row fits, else allocates). */
START_TEST(hash_any_size)
{
    static const size_t sizes[] = {0, 1, 3990, 4000, 4010, 4020, 4030, 4040, 4050, 4096, 10000};
    char *value = malloc(10001), *vals[2], want[CHAIN_HASH_HEX], got[CHAIN_HASH_HEX];

    ck_assert_ptr_nonnull(value);
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        memset(value, 'x', sizes[k]);
        value[sizes[k]] = '\0';
        vals[0] = "someone";
        vals[1] = value;
        struct chain_row row = {.id = 1234567, .names = names, .values = vals, .n = 2};
        char *canon = chain_canonical(&row);
        size_t clen = strlen(canon);
        char *all = malloc(64 + clen);
        ck_assert_ptr_nonnull(all);
        memcpy(all, CHAIN_ZERO_HASH, 64);
        memcpy(all + 64, canon, clen);
        ck_assert_int_eq(chain_sha256_hex(all, 64 + clen, want), 0);
        ck_assert_int_eq(chain_hash(&row, CHAIN_ZERO_HASH, got), 0);
        ck_assert_msg(strcmp(got, want) == 0, "value of %zu bytes", sizes[k]);
        free(all);
        free(canon);
    }
    free(value);
}
END_TEST

START_TEST(intact_and_checkpoint)
{
    struct chain_verify_result res;

    build();
    ck_assert_int_eq(walk(0, 0, CHAIN_ZERO_HASH, &res), 0);
    ck_assert_int_eq(res.records, NROWS);
    ck_assert_int_eq(res.first_id, 1);
    ck_assert_int_eq(res.last_id, NROWS);
    ck_assert_str_eq(res.head_hash, head.hash);
    /* The first two rows expired: the walk starts on the checkpoint's hash. */
    ck_assert_int_eq(walk(2, 2, rows[1].hash, &res), 0);
    ck_assert_int_eq(res.records, NROWS - 2);
    ck_assert_int_eq(res.first_id, 3);
}
END_TEST

/* The kinds of tampering, each on a fresh chain, and the row each names. */
static const struct {
    const char *what;
    int row;   /* row changed */
    int field; /* value changed, or -1 */
    int drop;  /* 1: the row is removed instead */
    long long bad_id;
    const char *problem;
} tamper[] = {
    {"edited value", 2, 1, 0, 3, "its hash does not match its contents"},
    {"removed row", 1, -1, 1, 2, "missing: no record has this id"},
    {"removed newest row", 3, -1, 1, 4, "missing: the log's head says it ends at id 4"},
};

START_TEST(tampering)
{
    struct chain_verify_result res;
    struct chain_walk w;

    build();
    memset(&res, 0, sizeof(res));
    if (tamper[_i].drop) {
        chain_walk_start(&w, &res, 0, CHAIN_ZERO_HASH);
        for (int i = 0; i < NROWS; i++)
            if (i != tamper[_i].row &&
                chain_walk_row(&w, &rows[i].row, rows[i].prev, rows[i].hash) != 0)
                break;
        ck_assert_int_eq(chain_walk_end(&w, &head), 1);
    } else {
        snprintf(v[tamper[_i].row][tamper[_i].field], sizeof(v[0][0]), "forged");
        ck_assert_int_eq(walk(0, 0, CHAIN_ZERO_HASH, &res), 1);
    }
    ck_assert_msg(res.bad_id == tamper[_i].bad_id, "%s: got bad id %lld, want %lld",
                  tamper[_i].what, res.bad_id, tamper[_i].bad_id);
    ck_assert_msg(strncmp(res.problem, tamper[_i].problem, strlen(tamper[_i].problem)) == 0,
                  "%s: got \"%s\", want \"%s...\"", tamper[_i].what, res.problem,
                  tamper[_i].problem);
}
END_TEST

START_TEST(head_replaced)
{
    struct chain_verify_result res;

    build();
    snprintf(head.hash, sizeof(head.hash), "%s", rows[0].hash);
    ck_assert_int_eq(walk(0, 0, CHAIN_ZERO_HASH, &res), 1);
    ck_assert_int_eq(res.bad_id, NROWS);
}
END_TEST

static Suite *chain_suite(void)
{
    Suite *s = suite_create("chain");
    TCase *tc = tcase_create("chain");

    tcase_add_test(tc, link_and_canonical);
    tcase_add_test(tc, hash_any_size);
    tcase_add_test(tc, intact_and_checkpoint);
    tcase_add_loop_test(tc, tampering, 0, (int)(sizeof(tamper) / sizeof(tamper[0])));
    tcase_add_test(tc, head_replaced);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(chain_suite)
