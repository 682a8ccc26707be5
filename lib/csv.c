/*
 * csv - RFC 4180 fields with formula neutralisation.
 */
#include <config.h>

#include <string.h>

#include "csv.h"

/* csv_field - one RFC 4180 field; a formula's leading ' goes inside the quotes. */
void csv_field(FILE *fp, const char *v, int first)
{
    int formula = *v != '\0' && strchr("=+-@\t\r", *v) != NULL;
    int quote = strpbrk(v, ",\"\r\n") != NULL;

    if (!first)
        putc(',', fp);
    if (quote)
        putc('"', fp);
    if (formula)
        putc('\'', fp);
    for (; *v; v++) {
        if (*v == '"')
            putc('"', fp);
        putc(*v, fp);
    }
    if (quote)
        putc('"', fp);
}
