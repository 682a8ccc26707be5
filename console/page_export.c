/*
 * page_export - GET /records.csv and /records.json: every record of the
 * filtered list (the same filters and the same role limit as the page),
 * in the formats of `officialmail log --format csv|json`, from the same
 * renderer (record_fmt.h): CSV per RFC 4180 with formulas neutralised,
 * JSON one object a line.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "console.h"
#include "record_fmt.h"

static const char *const export_keys[] = {"since",  "until",   "department", "rule", "action",
                                          "sender", "address", "queue_id",   "text", NULL};

struct export_out {
    FILE *fp;
    int json;
};

/* export_row - one record. */
static int export_row(const struct record *rec, const char *mark, void *arg)
{
    struct export_out *o = arg;

    if (o->json)
        record_fmt_json(o->fp, rec);
    else
        record_fmt_csv(o->fp, rec);
    return ferror(o->fp) ? -1 : 0;
}

/* page_export - the whole filtered list, newest first as the page lists it. */
int page_export(struct req *r, int json)
{
    struct view v;
    struct export_out o = {.json = json};
    char *buf = NULL;
    size_t len = 0;
    long long total;

    if (req_only(r, export_keys) < 0 || view_filter(r, &v) < 0)
        return r->status;
    if ((o.fp = open_memstream(&buf, &len)) == NULL)
        return req_error(r, 500, "Out of memory.");
    if (!json)
        record_fmt_csv_header(o.fp);
    int rc = review_list(r->c->rv, &v.f, 0, 0, export_row, &o, &total);
    if (fclose(o.fp) != 0 || rc < 0) {
        free(buf);
        return req_error(r, 500, "The log could not be read.");
    }
    dbuf_addn(&r->body, buf, len);
    free(buf);
    r->ctype = json ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8";
    snprintf(r->disposition, sizeof(r->disposition),
             "attachment; filename=\"officialmail-records.%s\"", json ? "json" : "csv");
    return 200;
}
