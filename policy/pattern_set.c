/*
 * pattern_set - department patterns indexed by a required literal, markers
 * combined into one alternation.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "pattern_set.h"
#include "rank_index.h"

#define PS_MAX_LITERAL 31 /* key lengths are remembered as bits of a 32-bit mask */

/* One department pattern, in file order (its index in entries[] is its rank). */
struct ps_entry {
    const struct pattern *pat;
    int dept;
};

struct pattern_set {
    struct ps_entry *entries;
    size_t nentries;
    struct rank_index *prefixes, *suffixes; /* literal -> ranks of the patterns needing it */
    unsigned prefix_lens, suffix_lens;      /* bit L: some literal is L bytes long */
    struct rank_list plain; /* patterns without a literal: tried for every address */
    struct pattern combined;
    int has_combined;
};

/* ps_literal_char - 1 for a character a pattern means literally when unescaped. */
static int ps_literal_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' ||
           c == '_' || c == '-';
}

/*
 * ps_suffix - the literal every match of SOURCE ends with, when SOURCE is
 * a plain pattern ending in "$": no alternation, no group options, no
 * escapes but of . - @ _ +; the literal is the run of characters before
 * the "$" that no quantifier follows. Its length, 0 when none.
 */
static size_t ps_suffix(const char *source, char *out)
{
    size_t n = strlen(source), run = 0;

    if (n < 2 || source[n - 1] != '$' || strchr(source, '|') != NULL ||
        strstr(source, "(?") != NULL || strstr(source, "(*") != NULL)
        return 0;
    for (size_t i = 0; i + 1 < n; i++) {
        char c = source[i], lit = 0;
        if (c == '\\') {
            if (source[i + 1] == '\0' || strchr(".-@_+", source[i + 1]) == NULL)
                return 0; /* \d, \x{..}, \Q...: not worth understanding here */
            lit = source[++i];
        } else if (ps_literal_char(c)) {
            lit = c;
        }
        char next = source[i + 1];
        if (lit == 0 || next == '*' || next == '?' || next == '+' || next == '{') {
            run = 0; /* not a literal, or one a quantifier makes uncertain */
            continue;
        }
        if (run == PS_MAX_LITERAL) { /* keep the last ones */
            memmove(out, out + 1, PS_MAX_LITERAL - 1);
            run--;
        }
        out[run++] = lit;
    }
    /* A '$' escaped as "\$" is a literal dollar, not the end. */
    return n >= 2 && source[n - 2] == '\\' ? 0 : run;
}

/* ps_index - file pattern rank R under literal KEY (LEN bytes) of X. */
static int ps_index(struct rank_index *x, unsigned *lens, const char *key, size_t len, size_t r)
{
    *lens |= 1u << len;
    return rank_index_add(x, key, len, r);
}

/* ps_build_departments - rank every department pattern and index it. */
static int ps_build_departments(const struct policy *p, struct pattern_set *s)
{
    size_t total = 0, r = 0;

    for (size_t i = 0; i < p->ndepartments; i++)
        total += p->departments[i].npatterns;
    s->entries = calloc(total ? total : 1, sizeof(*s->entries));
    if (s->entries == NULL)
        return -1;
    for (size_t i = 0; i < p->ndepartments; i++) {
        for (size_t j = 0; j < p->departments[i].npatterns; j++, r++) {
            const struct pattern *pat = &p->departments[i].patterns[j];
            char suffix[PS_MAX_LITERAL + 1];
            size_t sl;
            int rc;
            s->entries[r] = (struct ps_entry){pat, (int)i};
            if (pat->prefix_len > 0 && pat->prefix_len <= PS_MAX_LITERAL)
                rc = ps_index(s->prefixes, &s->prefix_lens, pat->prefix, pat->prefix_len, r);
            else if ((sl = ps_suffix(pat->source, suffix)) > 0)
                rc = ps_index(s->suffixes, &s->suffix_lens, suffix, sl, r);
            else
                rc = rank_list_push(&s->plain, r);
            if (rc < 0)
                return -1;
        }
    }
    s->nentries = total;
    return 0;
}

/*
 * ps_combinable - 1 when marker SOURCE means the same inside an
 * alternation: nothing that names or numbers groups, no comments (a
 * "(?x)" comment would swallow the closing parenthesis), no verbs.
 */
static int ps_combinable(const char *source)
{
    static const char *const bad[] = {"#",   "(*",  "\\g", "\\k", "(?P", "(?|",
                                      "(?'", "(?R", "(?&", "(?(", "\\c", "\\Q"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (strstr(source, bad[i]) != NULL)
            return 0;
    for (const char *q = source; (q = strchr(q, '\\')) != NULL && q[1] != '\0'; q += 2)
        if (q[1] >= '1' && q[1] <= '9')
            return 0; /* a back reference by number */
    for (const char *q = source; (q = strstr(q, "(?")) != NULL; q += 2) {
        char c = q[2];
        if ((c >= '0' && c <= '9') || c == '+' || (c == '-' && q[3] >= '0' && q[3] <= '9') ||
            (c == '<' && q[3] != '=' && q[3] != '!'))
            return 0; /* a subroutine call or a named group */
    }
    return 1;
}

/* ps_build_markers - the markers as one alternation, when they can be. */
static int ps_build_markers(const struct policy *p, struct pattern_set *s)
{
    size_t len = 1;
    char err[256];

    if (p->nmarkers < 2)
        return 0;
    for (size_t i = 0; i < p->nmarkers; i++) {
        if (!ps_combinable(p->markers[i].source))
            return 0;
        len += strlen(p->markers[i].source) + 5;
    }
    char *src = malloc(len), *o = src;
    if (src == NULL)
        return -1;
    for (size_t i = 0; i < p->nmarkers; i++) {
        size_t n = strlen(p->markers[i].source);
        memcpy(o, i ? "|(?:" : "(?:", i ? 4 : 3);
        o += i ? 4 : 3;
        memcpy(o, p->markers[i].source, n);
        o += n;
        *o++ = ')';
    }
    *o = '\0';
    /* A set that does not compile (a size limit) is simply not used. */
    s->has_combined = policy_pattern_compile(&s->combined, src, err, sizeof(err)) == 0;
    free(src);
    return 0;
}

/* pattern_set_build - index P's department patterns and combine its markers. */
int pattern_set_build(struct policy *p)
{
    struct pattern_set *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return -1;
    s->prefixes = rank_index_new();
    s->suffixes = rank_index_new();
    if (s->prefixes == NULL || s->suffixes == NULL || ps_build_departments(p, s) < 0 ||
        ps_build_markers(p, s) < 0) {
        pattern_set_free(s);
        return -1;
    }
    pattern_set_free(p->sets);
    p->sets = s;
    return 0;
}

/* pattern_set_free - everything the set owns. */
void pattern_set_free(struct pattern_set *s)
{
    if (s == NULL)
        return;
    rank_list_free(&s->plain);
    free(s->entries);
    rank_index_free(s->prefixes);
    rank_index_free(s->suffixes);
    if (s->has_combined)
        policy_pattern_clear(&s->combined);
    free(s);
}

/* The lists an address meets: one per literal length present, and the plain one. */
#define PS_MAX_LISTS (2 * (PS_MAX_LITERAL + 1) + 1)

/* ps_candidates - the lists of the literals NORM has, into L; their count. */
static size_t ps_candidates(const struct pattern_set *s, const char *norm, size_t len,
                            const struct rank_list **l)
{
    size_t n = 0;

    for (size_t k = 1; k <= PS_MAX_LITERAL && k <= len; k++) {
        if ((s->prefix_lens & (1u << k)) && (l[n] = rank_index_get(s->prefixes, norm, k)) != NULL)
            n++;
        if ((s->suffix_lens & (1u << k)) &&
            (l[n] = rank_index_get(s->suffixes, norm + len - k, k)) != NULL)
            n++;
    }
    if (s->plain.n > 0)
        l[n++] = &s->plain;
    return n;
}

/* ps_department_slow - every pattern in file order (a policy without sets). */
static int ps_department_slow(const struct policy *p, const char *norm, size_t len, int *dept)
{
    for (size_t i = 0; i < p->ndepartments; i++) {
        for (size_t j = 0; j < p->departments[i].npatterns; j++) {
            int rc = policy_pattern_match(&p->departments[i].patterns[j], norm, len);
            if (rc != 0) {
                *dept = (int)i;
                return rc;
            }
        }
    }
    return 0;
}

/* pattern_set_department - the candidates merged in file order, tried until one matches. */
int pattern_set_department(const struct policy *p, const char *norm, size_t len, int *dept)
{
    const struct pattern_set *s = p->sets;
    const struct rank_list *l[PS_MAX_LISTS];
    size_t pos[PS_MAX_LISTS] = {0}, n;

    /* PCRE2's "$" also matches before a final newline, which a suffix lookup would miss. */
    if (s == NULL || (len > 0 && norm[len - 1] == '\n'))
        return ps_department_slow(p, norm, len, dept);
    n = ps_candidates(s, norm, len, l);
    for (;;) {
        size_t best = n, rank = 0;
        for (size_t i = 0; i < n; i++)
            if (pos[i] < l[i]->n && (best == n || l[i]->v[pos[i]] < rank))
                best = i, rank = l[i]->v[pos[i]];
        if (best == n)
            return 0;
        pos[best]++;
        int rc = policy_pattern_match(s->entries[rank].pat, norm, len);
        if (rc != 0) {
            *dept = s->entries[rank].dept;
            return rc;
        }
    }
}

/* ps_any_marker_slow - every marker in turn: the first match, else the first error. */
static int ps_any_marker_slow(const struct policy *p, const char *s, size_t len)
{
    int failed = 0;

    for (size_t i = 0; i < p->nmarkers; i++) {
        int rc = policy_pattern_match(&p->markers[i], s, len);
        if (rc == 1)
            return 1;
        failed |= rc < 0;
    }
    return failed ? -1 : 0;
}

/* ps_combined_match - the alternation on S: 1, 0, or -1 (not remembered: the caller retries). */
static int ps_combined_match(const struct pattern_set *set, const char *s, size_t len)
{
    pcre2_match_data *md = policy_match_data();
    int rc;

    if (md == NULL)
        return -1;
    rc = pcre2_match(set->combined.code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    if (rc >= 0)
        return 1;
    /* Text that is not UTF-8 matches no marker, as policy_pattern_match() says. */
    if (rc == PCRE2_ERROR_NOMATCH || (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21))
        return 0;
    return -1;
}

/* pattern_set_any_marker - the combined markers first; one by one when it cannot say. */
int pattern_set_any_marker(const struct policy *p, const char *s, size_t len)
{
    const struct pattern_set *set = p->sets;

    if (set != NULL && set->has_combined) {
        int rc = ps_combined_match(set, s, len);
        if (rc >= 0)
            return rc;
    }
    return ps_any_marker_slow(p, s, len);
}

/* pattern_set_combined - whether the markers are combined. */
int pattern_set_combined(const struct policy *p)
{
    return p->sets != NULL && p->sets->has_combined;
}
