/*
 * chain - the hash chain: canonical form, link, verify (no SQL).
 */
#include <config.h>

#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"

/* The digest, looked up once: OpenSSL 3 otherwise looks SHA-256 up in its
   provider store on every EVP_DigestInit_ex(), ~2,300 instructions a
   record on the mail path (the hashing itself is ~18,000). */
static const EVP_MD *chain_md;
static pthread_once_t chain_md_once = PTHREAD_ONCE_INIT;

/* chain_md_init - fetch SHA-256 (kept for the life of the process). */
static void chain_md_init(void)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    chain_md = EVP_MD_fetch(NULL, "SHA256", NULL);
#endif
    if (chain_md == NULL)
        chain_md = EVP_sha256();
}

/* chain_digest - HEX = SHA-256 of A (ALEN bytes) then B (BLEN bytes). 0 or -1. */
static int chain_digest(const void *a, size_t alen, const void *b, size_t blen,
                        char hex[CHAIN_HASH_HEX])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx;
    int ok;

    if (pthread_once(&chain_md_once, chain_md_init) != 0 || (ctx = EVP_MD_CTX_new()) == NULL)
        return -1;
    ok = EVP_DigestInit_ex(ctx, chain_md, NULL) == 1 && EVP_DigestUpdate(ctx, a, alen) == 1 &&
         (blen == 0 || EVP_DigestUpdate(ctx, b, blen) == 1) &&
         EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return -1;
    /* By table: this runs for every record on the mail path (no printf there). */
    for (unsigned i = 0; i < mdlen; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * mdlen] = '\0';
    return 0;
}

/* chain_sha256_hex - the digest in lowercase hex. */
int chain_sha256_hex(const void *data, size_t len, char hex[CHAIN_HASH_HEX])
{
    return chain_digest(data, len, NULL, 0, hex);
}

/* chain_decimal - the decimal digits of V at OUT (room for 20); their count. */
static size_t chain_decimal(unsigned long long v, char *out)
{
    char tmp[24];
    size_t n = 0;

    /* Most lengths have one or two digits: those without the loop (22 a record). */
    if (v < 10) {
        out[0] = (char)('0' + v);
        return 1;
    }
    if (v < 100) {
        out[0] = (char)('0' + v / 10);
        out[1] = (char)('0' + v % 10);
        return 2;
    }
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* chain_put - NAME=LEN:VALUE\n at OUT (room checked by the caller); bytes written. */
static size_t chain_put(char *out, const char *name, size_t nlen, const char *value, size_t vlen)
{
    size_t o = nlen;

    memcpy(out, name, nlen);
    out[o++] = '=';
    o += chain_decimal(vlen, out + o);
    out[o++] = ':';
    memcpy(out + o, value, vlen);
    o += vlen;
    out[o++] = '\n';
    return o;
}

/* The most NAME=LEN:VALUE\n adds beyond the name and the value (a 20-digit length). */
#define CHAIN_PUT_EXTRA 24

/* chain_canonical_size - room for ROW's serialisation, its NUL included. */
static size_t chain_canonical_size(const struct chain_row *row)
{
    size_t total = 2 + 21 + CHAIN_PUT_EXTRA + 1;

    for (size_t i = 0; i < row->n; i++)
        total +=
            strlen(row->names[i]) + (row->values[i] ? strlen(row->values[i]) : 0) + CHAIN_PUT_EXTRA;
    return total;
}

/*
 * chain_canonical_put - ROW's serialisation and a NUL at BUF, which has
 * room for CAP bytes; its length, or SIZE_MAX when it does not fit. One
 * pass, each length taken once: this runs for every record on the mail
 * path.
 */
static size_t chain_canonical_put(const struct chain_row *row, char *buf, size_t cap)
{
    char id[24];
    size_t idlen, o = 0;

    if (row->id < 0) {
        id[0] = '-';
        idlen = 1 + chain_decimal(-(unsigned long long)row->id, id + 1);
    } else {
        idlen = chain_decimal((unsigned long long)row->id, id);
    }
    if (cap < 2 + idlen + CHAIN_PUT_EXTRA + 1)
        return SIZE_MAX;
    o += chain_put(buf + o, "id", 2, id, idlen);
    for (size_t i = 0; i < row->n; i++) {
        const char *v = row->values[i] ? row->values[i] : "";
        size_t nlen = strlen(row->names[i]), vlen = strlen(v);
        if (cap - o < nlen + vlen + CHAIN_PUT_EXTRA + 1)
            return SIZE_MAX;
        o += chain_put(buf + o, row->names[i], nlen, v, vlen);
    }
    buf[o] = '\0';
    return o;
}

/*
 * chain_canonical - "name=length:value\n" for the id and every field,
 * written by hand into one buffer sized first: this runs for every
 * record on the mail path, where formatted printing cost more than the
 * SHA-256 it feeds.
 */
char *chain_canonical(const struct chain_row *row)
{
    size_t size = chain_canonical_size(row);
    char *buf = malloc(size);

    if (buf != NULL)
        chain_canonical_put(row, buf, size);
    return buf;
}

/* chain_hash - SHA-256 over PREV and the canonical serialisation. */
int chain_hash(const struct chain_row *row, const char *prev, char hex[CHAIN_HASH_HEX])
{
    /* On the stack when it fits (a record is usually under 1 KB): no
       allocation and no copy of PREV in front of it. */
    char local[4096];
    char *buf = local;
    size_t len = chain_canonical_put(row, local, sizeof(local));
    int rc;

    if (len == SIZE_MAX) {
        if ((buf = chain_canonical(row)) == NULL)
            return -1;
        len = strlen(buf);
    }
    rc = chain_digest(prev, strlen(prev), buf, len, hex);
    if (buf != local)
        free(buf);
    return rc;
}

/* chain_link - the next id, the head's hash as PREV, then the row's own. */
int chain_link(struct chain_head *head, struct chain_row *row, char prev[CHAIN_HASH_HEX],
               char hash[CHAIN_HASH_HEX])
{
    row->id = head->id + 1;
    memcpy(prev, head->hash, CHAIN_HASH_HEX);
    if (chain_hash(row, prev, hash) < 0)
        return -1;
    head->id = row->id;
    memcpy(head->hash, hash, CHAIN_HASH_HEX);
    return 0;
}

/* chain_walk_start - expect the row after THROUGH, chained on HASH. */
void chain_walk_start(struct chain_walk *w, struct chain_verify_result *res, long long through,
                      const char *hash)
{
    long long expired = res->expired;

    memset(res, 0, sizeof(*res));
    res->expired = expired;
    memset(w, 0, sizeof(*w));
    w->res = res;
    w->through = through;
    w->want_id = through + 1;
    snprintf(w->prev, sizeof(w->prev), "%s", hash);
}

/* chain_walk_gap - ROW's id is past the one expected: the first absent one is bad. */
static int chain_walk_gap(struct chain_verify_result *res, long long want_id, long long id)
{
    /* The first bad record is the first one absent, as for the newest (chain_walk_end). */
    res->bad_id = want_id;
    if (id == want_id + 1)
        snprintf(res->problem, sizeof(res->problem),
                 "missing: no record has this id (the chain resumes at id %lld)", id);
    else
        snprintf(res->problem, sizeof(res->problem),
                 "missing: ids %lld to %lld are absent (the chain resumes at id %lld)", want_id,
                 id - 1, id);
    return 1;
}

/* chain_walk_check - ROW against the expected id and previous hash. */
static int chain_walk_check(struct chain_walk *w, const struct chain_row *row,
                            const char *prev_hash, const char *hash)
{
    struct chain_verify_result *res = w->res;
    char want[CHAIN_HASH_HEX];

    res->bad_id = row->id;
    if (row->id < w->want_id) {
        snprintf(res->problem, sizeof(res->problem), "its id is out of sequence (expected %lld)",
                 w->want_id);
        return 1;
    }
    if (row->id > w->want_id)
        return chain_walk_gap(res, w->want_id, row->id);
    if (strcmp(prev_hash, w->prev) != 0) {
        snprintf(res->problem, sizeof(res->problem),
                 "its prev_hash does not match the hash of the record before it "
                 "(a record was changed, removed, inserted or reordered)");
        return 1;
    }
    if (chain_hash(row, w->prev, want) < 0)
        return -1;
    if (strcmp(want, hash) != 0) {
        snprintf(res->problem, sizeof(res->problem),
                 "its hash does not match its contents (the record was edited or forged)");
        return 1;
    }
    res->bad_id = 0;
    return 0;
}

/* chain_walk_row - check one row; on success it becomes the previous one. */
int chain_walk_row(struct chain_walk *w, const struct chain_row *row, const char *prev_hash,
                   const char *hash)
{
    w->status = chain_walk_check(w, row, prev_hash, hash);
    if (w->status != 0)
        return w->status;
    if (w->res->first_id == 0)
        w->res->first_id = row->id;
    w->res->last_id = row->id;
    w->res->records++;
    w->want_id = row->id + 1;
    snprintf(w->prev, sizeof(w->prev), "%s", hash);
    return 0;
}

/* chain_walk_end - the walk's status, or the last row walked against the head kept apart. */
int chain_walk_end(struct chain_walk *w, const struct chain_head *head)
{
    struct chain_verify_result *res = w->res;
    long long last = res->last_id ? res->last_id : w->through;

    memcpy(res->head_hash, head->hash, CHAIN_HASH_HEX);
    if (w->status != 0)
        return w->status;
    if (last == head->id && strcmp(head->hash, w->prev) == 0)
        return 0;
    if (last > head->id) {
        /* Correctly chained rows past the head were not written by chain_link. */
        res->bad_id = head->id + 1;
        snprintf(res->problem, sizeof(res->problem),
                 "it lies past the log's head (id %lld): added outside officialmail", head->id);
    } else if (last < head->id) {
        res->bad_id = last + 1;
        snprintf(res->problem, sizeof(res->problem),
                 "missing: the log's head says it ends at id %lld", head->id);
    } else {
        res->bad_id = last;
        snprintf(res->problem, sizeof(res->problem),
                 "its hash is not the log's head hash (the newest record was replaced)");
    }
    return 1;
}
