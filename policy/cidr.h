/*
 * cidr - lists of IPv4/IPv6 networks (internal_networks).
 *
 * Purpose: decide whether a client address is internal. An IPv4-mapped
 * IPv6 client (::ffff:10.1.2.3) is matched as the IPv4 address (SPEC 5a).
 *
 * Returns: 0 / -1; the lookups 1 in / 0 not in / -1 not an address.
 *
 * Ownership: the list owns its entries.
 * Thread safety: building is single-threaded; matching is read-only.
 */
#ifndef OM_CIDR_H
#define OM_CIDR_H

struct cidr_list;

/* cidr_list_new - an empty list, or NULL when out of memory. */
struct cidr_list *cidr_list_new(void);

/* cidr_list_free - release L; NULL is a no-op. */
void cidr_list_free(struct cidr_list *l);

/*
 * cidr_list_add - add TEXT ("10.0.0.0/8", "::1/128", or a bare address
 * meaning a host). Host bits set below the prefix are an error, as in
 * Postfix's mynetworks. Returns 0, -1 when TEXT is not a CIDR, -2 when
 * out of memory.
 */
int cidr_list_add(struct cidr_list *l, const char *text);

/*
 * cidr_list_match - 1 when textual address IP is in L, 0 when not, -1
 * when IP is not an address.
 */
int cidr_list_match(const struct cidr_list *l, const char *ip);

/*
 * cidr_list_match_bytes - as cidr_list_match for FAMILY (AF_INET or
 * AF_INET6) and the address bytes ADDR (network order).
 */
int cidr_list_match_bytes(const struct cidr_list *l, int family, const void *addr);

/* cidr_list_count - number of entries. */
unsigned cidr_list_count(const struct cidr_list *l);

#endif
