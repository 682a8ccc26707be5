/*
 * table - fixed-width cells measured in terminal columns.
 */
#include <config.h>

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "table.h"
#include "utf8.h"

/* table_width - on a terminal its width, $COLUMNS, or 80, within bounds; else 0 (whole). */
int table_width(void)
{
    const char *env = getenv("COLUMNS");
    struct winsize ws;
    long w = TABLE_MIN_WIDTH;
    char *end;

    if (!isatty(STDOUT_FILENO))
        return 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        w = ws.ws_col;
    } else if (env != NULL && *env != '\0') {
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v > 0)
            w = v;
    }
    return w < TABLE_MIN_WIDTH ? TABLE_MIN_WIDTH : w > TABLE_MAX_WIDTH ? TABLE_MAX_WIDTH : (int)w;
}

/* table_decode - the code point at S, its length in *N; -1 (length 1: byte by byte) when
 * ill-formed. */
static long table_decode(const unsigned char *s, size_t *n)
{
    long cp = utf8_decode((const char *)s, UTF8_NUL_TERMINATED, n);

    if (cp < 0)
        *n = 1;
    return cp;
}

/* table_utf8_locale - 1 once LC_CTYPE is C.UTF-8, so that wcwidth() knows Unicode. */
static int table_utf8_locale(void)
{
    static int state = -1;

    if (state < 0)
        state = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
    return state;
}

/*
 * table_char_width - columns of code point CP, or -1 when it must print
 * as "?": controls (C0, DEL, C1: a terminal may take U+009B for an escape)
 * and the bidirectional overrides that would reorder the rest of a row.
 */
static int table_char_width(long cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
        (cp >= 0x2066 && cp <= 0x2069))
        return -1;
    if (cp < 0x7f)
        return 1;
    if (!table_utf8_locale())
        return 1;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? -1 : w;
}

/* table_put - print S up to ROOM columns; returns the columns printed. */
static int table_put(FILE *fp, const char *s, int room)
{
    const unsigned char *p = (const unsigned char *)s;
    int used = 0;
    size_t n;

    while (*p) {
        int w = table_char_width(table_decode(p, &n));
        if (used + (w < 0 ? 1 : w) > room)
            break;
        if (w < 0)
            putc('?', fp);
        else
            fwrite(p, 1, n, fp);
        used += w < 0 ? 1 : w;
        p += n;
    }
    return used;
}

/* table_clean - S with room for all of it. */
void table_clean(FILE *fp, const char *s)
{
    (void)table_put(fp, s, INT_MAX);
}

/* table_strwidth - the sum of the columns of every character. */
int table_strwidth(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int total = 0;
    size_t n;

    while (*p) {
        int w = table_char_width(table_decode(p, &n));
        total += w < 0 ? 1 : w;
        p += n;
    }
    return total;
}

/* table_cell - S cut to WIDTH columns with an ellipsis, padded when PAD. */
void table_cell(FILE *fp, const char *s, int width, int pad)
{
    int total = table_strwidth(s), used;

    if (total <= width) {
        used = table_put(fp, s, width);
    } else {
        used = table_put(fp, s, width - 1);
        fputs("\xe2\x80\xa6", fp); /* U+2026 HORIZONTAL ELLIPSIS */
        used++;
    }
    while (pad && used++ < width)
        putc(' ', fp);
}
