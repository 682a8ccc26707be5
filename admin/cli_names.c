/*
 * cli_names - an unknown department, rule or action named on the command
 * line is an error that says so, with the nearest known name (SPEC 5b):
 * a filter that matches nothing must not look like a quiet week.
 *
 * "Nearest" is case-insensitive (ASCII letters): the same name in other
 * case, else the one name the argument begins, else the smallest edit
 * distance (Levenshtein, over bytes) when it is at most a third of the
 * longer name's length, so that "finance" finds "Finance" and
 * "Informaton Technology" finds "Information Technology" while "Nobody"
 * finds nothing.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define NAMES_MAX_LEN 256  /* longer names are compared by prefix only */
#define NAMES_LIST_MAX 400 /* bytes of known names listed when none is near */

/* names_lower - ASCII lowercase of C. */
static int names_lower(unsigned char c)
{
    return tolower(c);
}

/* names_distance - the case-insensitive edit distance of A and B (each under NAMES_MAX_LEN). */
static size_t names_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[NAMES_MAX_LEN + 1];

    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost =
                names_lower((unsigned char)a[i - 1]) != names_lower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* names_prefix - 1 when ARG (non-empty) begins NAME, ignoring case. */
static int names_prefix(const char *arg, const char *name)
{
    size_t n = strlen(arg);

    return n > 0 && strlen(name) > n && strncasecmp(arg, name, n) == 0;
}

/* cli_nearest_name - the known name ARG most likely meant, or NULL. */
const char *cli_nearest_name(const char *arg, const char *const *names, size_t n)
{
    const char *best = NULL, *prefixed = NULL;
    size_t best_d = (size_t)-1, la = strlen(arg), nprefixed = 0;

    for (size_t i = 0; i < n; i++)
        if (strcasecmp(arg, names[i]) == 0)
            return names[i];
    for (size_t i = 0; i < n; i++)
        if (names_prefix(arg, names[i]))
            prefixed = names[i], nprefixed++;
    if (nprefixed == 1)
        return prefixed;
    if (la >= NAMES_MAX_LEN)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t ln = strlen(names[i]);
        if (ln >= NAMES_MAX_LEN)
            continue;
        size_t d = names_distance(arg, la, names[i], ln);
        size_t longer = la > ln ? la : ln;
        if (d * 3 <= longer && d < best_d)
            best = names[i], best_d = d;
    }
    return best;
}

/* names_list - "a", "b", ... into BUF, cut with ", ..." past NAMES_LIST_MAX. */
static void names_list(char *buf, size_t len, const char *const *names, size_t n)
{
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && o < len; i++) {
        int w = snprintf(buf + o, len - o, "%s\"%s\"", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= len - o || o + (size_t)w > NAMES_LIST_MAX) {
            snprintf(buf + o, len - o, ", ...");
            return;
        }
        o += (size_t)w;
    }
}

/* cli_check_name - 0 when ARG is one of NAMES; else the message and -1. */
int cli_check_name(const char *cmd, const char *what, const char *arg, const char *const *names,
                   size_t n)
{
    char list[NAMES_LIST_MAX + 64];
    const char *near;

    for (size_t i = 0; i < n; i++)
        if (strcmp(arg, names[i]) == 0)
            return 0;
    if ((near = cli_nearest_name(arg, names, n)) != NULL) {
        cli_error("%s: no %s named \"%s\"; did you mean \"%s\"?", cmd, what, arg, near);
    } else if (n == 0) {
        cli_error("%s: no %s named \"%s\" (there are none yet)", cmd, what, arg);
    } else {
        names_list(list, sizeof(list), names, n);
        cli_error("%s: no %s named \"%s\" (known: %s)", cmd, what, arg, list);
    }
    return -1;
}
