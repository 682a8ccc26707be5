/*
 * domain - normalisation (case, trailing dot, IDNA) and label-boundary
 * comparison of domain names.
 *
 * Plain ASCII names take a fast path (no allocation); names with a
 * non-ASCII byte or an "xn--" label go through libidn2 with UTS #46
 * non-transitional processing and without STD3 rules, so that '_' is
 * allowed in a label (SPEC 5a) and A-labels are checked, not trusted.
 */
#include <config.h>

#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

#define LABEL_MAX 63

/* domain_ascii_char - 1 for the bytes an ASCII label may hold. */
static int domain_ascii_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* domain_check_labels - 0 when every label of lowercase D is well formed. */
static int domain_check_labels(const char *d, int *has_alabel)
{
    size_t label = 0;

    *has_alabel = 0;
    for (const char *p = d;; p++) {
        if (*p == '.' || *p == '\0') {
            if (label == 0 || label > LABEL_MAX)
                return -1;
            if (label >= 4 && strncmp(p - label, "xn--", 4) == 0)
                *has_alabel = 1;
            if (*p == '\0')
                return 0;
            label = 0;
            continue;
        }
        if (!domain_ascii_char((unsigned char)*p))
            return -1;
        label++;
    }
}

/* domain_idna - convert D (NUL-terminated) with libidn2 into OUT. */
static int domain_idna(const char *d, char *out)
{
    char *ascii = NULL;
    int has_alabel, rc = -1;

    if (idn2_lookup_u8((const uint8_t *)d, (uint8_t **)&ascii, IDN2_NONTRANSITIONAL) != IDN2_OK)
        return -1;
    size_t n = strlen(ascii);
    if (n > 0 && n < DOMAIN_MAX) {
        for (size_t i = 0; i < n; i++)
            out[i] = (ascii[i] >= 'A' && ascii[i] <= 'Z') ? ascii[i] + 32 : ascii[i];
        out[n] = '\0';
        rc = domain_check_labels(out, &has_alabel);
    }
    idn2_free(ascii);
    return rc;
}

/* domain_normalize - lowercase A-label form of IN without trailing dot. */
int domain_normalize(const char *in, size_t len, char *out)
{
    int non_ascii = 0, has_alabel;

    if (len > 0 && in[len - 1] == '.')
        len--; /* one trailing dot is the root; a second is an empty label */
    if (len == 0 || len >= DOMAIN_MAX * 4)
        return -1;
    if (memchr(in, '\0', len) != NULL)
        return -1;
    for (size_t i = 0; i < len; i++)
        non_ascii |= (unsigned char)in[i] >= 0x80;
    if (!non_ascii) {
        if (len >= DOMAIN_MAX)
            return -1;
        for (size_t i = 0; i < len; i++)
            out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? in[i] + 32 : in[i];
        out[len] = '\0';
        if (domain_check_labels(out, &has_alabel) < 0)
            return -1;
        if (!has_alabel)
            return 0;
    }
    char *copy = strndup(in, len);
    if (copy == NULL)
        return -1;
    int rc = domain_idna(copy, out);
    free(copy);
    return rc;
}

/* domain_is_under - equal, or a subdomain on a label boundary. */
int domain_is_under(const char *d, const char *parent)
{
    size_t dl = strlen(d), pl = strlen(parent);

    if (dl < pl || memcmp(d + dl - pl, parent, pl) != 0)
        return 0;
    return dl == pl || d[dl - pl - 1] == '.';
}

/* domain_parent - D without its first label, or NULL. */
const char *domain_parent(const char *d)
{
    const char *dot = strchr(d, '.');

    return dot != NULL ? dot + 1 : NULL;
}
