/*
 * record_fmt - a record as CSV or JSON (record_fmt.h).
 */
#include <config.h>

#include <string.h>

#include "csv.h"
#include "json.h"
#include "record_fmt.h"

/* record_fmt_csv_header - the column names. */
void record_fmt_csv_header(FILE *fp)
{
    csv_field(fp, "id", 1);
    for (int i = 0; i < RF_COUNT; i++)
        csv_field(fp, record_field_names[i], 0);
    csv_field(fp, "prev_hash", 0);
    csv_field(fp, "hash", 0);
    fputs("\r\n", fp);
}

/* record_fmt_csv - one record as a CSV line ending in CRLF. */
void record_fmt_csv(FILE *fp, const struct record *r)
{
    fprintf(fp, "%lld", r->id);
    for (int i = 0; i < RF_COUNT; i++)
        csv_field(fp, r->f[i], 0);
    csv_field(fp, r->prev_hash, 0);
    csv_field(fp, r->hash, 0);
    fputs("\r\n", fp);
}

/*
 * record_fmt_reasons - the reasons field ("a,b" as stored) as the array
 * of `test --json`: ["a", "b"], [] when there are none.
 */
static void record_fmt_reasons(FILE *fp, const char *v)
{
    char name[128];

    putc('[', fp);
    for (int first = 1; *v != '\0'; first = 0) {
        size_t n = strcspn(v, ",");
        snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : sizeof(name) - 1), v);
        if (!first)
            fputs(", ", fp);
        json_string(fp, name);
        v += n + (v[n] == ',');
    }
    putc(']', fp);
}

/* record_fmt_json - one record as one JSON object on one line. */
void record_fmt_json(FILE *fp, const struct record *r)
{
    fprintf(fp, "{\"id\": %lld", r->id);
    for (int i = 0; i < RF_COUNT; i++) {
        const char *v = r->f[i];
        json_key(fp, record_field_names[i], 0);
        if (i == RF_REASONS)
            record_fmt_reasons(fp, v);
        else /* No covering exception is null, as in `test --json`. */
            json_string(fp, i == RF_EXCEPTION_TICKET && *v == '\0' ? NULL : v);
    }
    json_key(fp, "prev_hash", 0);
    json_string(fp, r->prev_hash);
    json_key(fp, "hash", 0);
    json_string(fp, r->hash);
    fputs("}\n", fp);
}
