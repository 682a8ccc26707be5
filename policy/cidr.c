/*
 * cidr - lists of IPv4/IPv6 networks with a linear match.
 *
 * internal_networks holds a handful of entries, so a vector scanned in
 * order is both the simplest and the fastest structure. Every entry is
 * stored in its own family; IPv4-mapped IPv6 entries (::ffff:a.b.c.d/N
 * with N >= 96) are stored as the IPv4 network they denote, and mapped
 * clients are matched as IPv4, so the two spellings never disagree.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cidr.h"

/* Longest text we accept: an IPv6 address in dotted form plus "/128". */
#define CIDR_TEXT_MAX (INET6_ADDRSTRLEN + 4)

struct cidr_entry {
    int family;             /* AF_INET or AF_INET6 */
    unsigned prefix;        /* 0..32 or 0..128 */
    unsigned char addr[16]; /* network order, host bits zero */
};

struct cidr_list {
    struct cidr_entry *v;
    unsigned n;
    unsigned cap;
};

/* The 96-bit prefix of IPv4-mapped IPv6 addresses (RFC 4291 2.5.5.2). */
static const unsigned char cidr_v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* cidr_list_new - an empty list. */
struct cidr_list *cidr_list_new(void)
{
    return calloc(1, sizeof(struct cidr_list));
}

/* cidr_list_free - release L and its entries. */
void cidr_list_free(struct cidr_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    free(l);
}

/* cidr_parse_prefix - decimal prefix length S (1-3 digits) up to MAX. */
static int cidr_parse_prefix(const char *s, unsigned max, unsigned *out)
{
    unsigned v = 0;
    size_t n = strlen(s);

    /* No sign, no blanks, no empty string: only what a person writes. */
    if (n == 0 || n > 3)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* cidr_host_bits_clear - 1 when no bit of ADDR (LEN bytes) at or after bit PREFIX is set. */
static int cidr_host_bits_clear(const unsigned char *addr, unsigned len, unsigned prefix)
{
    for (unsigned bit = prefix; bit < len * 8; bit++)
        if (addr[bit / 8] & (0x80u >> (bit % 8)))
            return 0;
    return 1;
}

/* cidr_unmap - turn a v4-mapped IPv6 entry E (prefix >= 96) into IPv4. */
static void cidr_unmap(struct cidr_entry *e)
{
    if (e->family != AF_INET6 || e->prefix < 96 ||
        memcmp(e->addr, cidr_v4mapped, sizeof(cidr_v4mapped)) != 0)
        return;
    memmove(e->addr, e->addr + 12, 4);
    memset(e->addr + 4, 0, 12);
    e->family = AF_INET;
    e->prefix -= 96;
}

/* cidr_parse - parse TEXT into E; 0 or -1. */
static int cidr_parse(const char *text, struct cidr_entry *e)
{
    char buf[CIDR_TEXT_MAX + 1];
    char *slash;
    size_t len = strlen(text);
    unsigned bytes;

    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, text, len + 1);
    slash = strchr(buf, '/');
    if (slash != NULL)
        *slash = '\0';
    memset(e, 0, sizeof(*e));
    if (inet_pton(AF_INET, buf, e->addr) == 1) {
        e->family = AF_INET;
        bytes = 4;
    } else if (inet_pton(AF_INET6, buf, e->addr) == 1) {
        e->family = AF_INET6;
        bytes = 16;
    } else {
        return -1;
    }
    e->prefix = bytes * 8; /* a bare address is a host */
    if (slash != NULL && cidr_parse_prefix(slash + 1, bytes * 8, &e->prefix) < 0)
        return -1;
    if (!cidr_host_bits_clear(e->addr, bytes, e->prefix))
        return -1;
    cidr_unmap(e);
    return 0;
}

/* cidr_list_add - parse TEXT and append it to L. */
int cidr_list_add(struct cidr_list *l, const char *text)
{
    struct cidr_entry e;

    if (cidr_parse(text, &e) < 0)
        return -1;
    if (l->n == l->cap) {
        unsigned cap = l->cap ? l->cap * 2 : 8;
        struct cidr_entry *v;

        if (cap < l->cap || cap > (unsigned)-1 / sizeof(*v))
            return -2;
        v = realloc(l->v, cap * sizeof(*v));
        if (v == NULL)
            return -2;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = e;
    return 0;
}

/* cidr_entry_match - 1 when the first E->prefix bits of ADDR equal E's. */
static int cidr_entry_match(const struct cidr_entry *e, const unsigned char *addr)
{
    unsigned full = e->prefix / 8, rest = e->prefix % 8;

    if (memcmp(e->addr, addr, full) != 0)
        return 0;
    if (rest == 0)
        return 1;
    unsigned char mask = (unsigned char)(0xffu << (8 - rest));
    return (e->addr[full] & mask) == (addr[full] & mask);
}

/* cidr_list_match_bytes - match address bytes ADDR of FAMILY. */
int cidr_list_match_bytes(const struct cidr_list *l, int family, const void *addr)
{
    const unsigned char *a = addr;

    if (family == AF_INET6 && memcmp(a, cidr_v4mapped, sizeof(cidr_v4mapped)) == 0) {
        family = AF_INET; /* ::ffff:10.1.2.3 is the IPv4 client 10.1.2.3 (SPEC 5a) */
        a += 12;
    }
    if (family != AF_INET && family != AF_INET6)
        return -1;
    for (unsigned i = 0; i < l->n; i++)
        if (l->v[i].family == family && cidr_entry_match(&l->v[i], a))
            return 1;
    return 0;
}

/* cidr_list_match - match textual address IP. */
int cidr_list_match(const struct cidr_list *l, const char *ip)
{
    unsigned char addr[16];

    if (inet_pton(AF_INET, ip, addr) == 1)
        return cidr_list_match_bytes(l, AF_INET, addr);
    if (inet_pton(AF_INET6, ip, addr) == 1)
        return cidr_list_match_bytes(l, AF_INET6, addr);
    return -1;
}

/* cidr_list_count - number of entries. */
unsigned cidr_list_count(const struct cidr_list *l)
{
    return l->n;
}
