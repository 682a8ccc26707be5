/*
 * alert_render - the alert mail's parts and the JSON line.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_render.h"
#include "render.h"
#include "json.h"

#define TD "padding:4px 8px;border-bottom:1px solid #e5e7eb;"
#define TDN TD "text-align:right;white-space:nowrap;"

/* alert_duration - the largest whole unit. */
void alert_duration(char *out, size_t len, long s)
{
    if (s % 86400 == 0)
        snprintf(out, len, "%ldd", s / 86400);
    else if (s % 3600 == 0)
        snprintf(out, len, "%ldh", s / 3600);
    else if (s % 60 == 0)
        snprintf(out, len, "%ldm", s / 60);
    else
        snprintf(out, len, "%lds", s);
}

/* alert_until - one second after the last record: --until is exclusive. */
static void alert_until(const struct alert_hit *h, char *out)
{
    alert_format_stamp(h->last_time + 1, out);
}

/* alert_render_log_command - the filters of the rule over the window's records. */
void alert_render_log_command(struct dbuf *b, const struct alert_view *v)
{
    const struct alert_rule *a = v->h->rule;
    char until[ALERT_STAMP];
    struct dbuf safe;

    dbuf_init(&safe);
    dbuf_add(b, "officialmail ");
    if (v->config != NULL) {
        (void)dbuf_text(&safe, v->config, 0);
        dbuf_add(b, "-c ");
        digest_fmt_shell_quote(b, dbuf_str(&safe));
        dbuf_add(b, " ");
    }
    alert_until(v->h, until);
    dbuf_printf(b, "log%s --since %s --until %s", v->central ? " --central" : "", v->h->first,
                until);
    if (v->central && v->h->ngateways == 1) {
        dbuf_free(&safe);
        (void)dbuf_text(&safe, v->h->gateways[0].value, 0);
        dbuf_add(b, " --gateway ");
        digest_fmt_shell_quote(b, dbuf_str(&safe));
    }
    if (a->rule >= 0)
        dbuf_printf(b, " --rule %s", policy_rule_name((enum om_rule)a->rule));
    if (a->department != NULL) {
        dbuf_free(&safe);
        (void)dbuf_text(&safe, a->department, 0);
        dbuf_add(b, " --department ");
        digest_fmt_shell_quote(b, dbuf_str(&safe));
    }
    if (a->action >= 0)
        dbuf_printf(b, " --action %s", policy_action_name((enum om_action)a->action));
    if (dbuf_failed(&safe))
        dbuf_fail(b);
    dbuf_free(&safe);
}

/* alert_render_subject - short, the name made safe (the MIME layer encodes it). */
void alert_render_subject(struct dbuf *b, const struct alert_view *v)
{
    dbuf_add(b, "officialmail alert: ");
    (void)dbuf_text(b, v->h->rule->name, 120);
    dbuf_printf(b, ": %ld records in %s", v->h->count, v->h->rule->window_text);
}

/* alert_what - "rule R, department "D", action A" or "any rule..." (TEXT or HTML). */
static void alert_what(struct dbuf *b, const struct alert_rule *a, int html)
{
    dbuf_printf(b, "rule %s", a->rule >= 0 ? policy_rule_name((enum om_rule)a->rule) : "(any)");
    dbuf_add(b, ", department ");
    if (a->department == NULL)
        dbuf_add(b, "(any)");
    else if (html)
        dbuf_html(b, a->department, 0);
    else
        (void)dbuf_text(b, a->department, 0);
    dbuf_printf(b, ", action %s",
                a->action >= 0 ? policy_action_name((enum om_action)a->action) : "(any)");
}

/* alert_text_tops - "  COUNT  VALUE" lines under TITLE. */
static void alert_text_tops(struct dbuf *b, const char *title, const struct alert_top *t, size_t n)
{
    dbuf_printf(b, "\n%s\n", title);
    if (n == 0)
        dbuf_add(b, "  (none)\n");
    for (size_t i = 0; i < n; i++) {
        dbuf_printf(b, "  %6ld  ", t[i].count);
        (void)dbuf_text(b, t[i].value, 200);
        dbuf_add(b, "\n");
    }
}

/* alert_one_gateway - the gateway of every record counted, or NULL (several; none known). */
static const char *alert_one_gateway(const struct alert_view *v)
{
    if (!v->central)
        return v->gateway;
    return v->h->ngateways == 1 ? v->h->gateways[0].value : NULL;
}

/* alert_where - "gateway G" or "N gateways (central log)" (TEXT or HTML). */
static void alert_where(struct dbuf *b, const struct alert_view *v, int html)
{
    const char *one = alert_one_gateway(v);

    if (one == NULL) {
        dbuf_printf(b, "%zu gateways", v->h->ngateways);
    } else {
        dbuf_add(b, "gateway ");
        if (html)
            dbuf_html(b, one, 0);
        else
            (void)dbuf_text(b, one, 0);
    }
    if (v->central)
        dbuf_add(b, " (central log)");
}

/* alert_gateways - "G1 (N1), G2 (N2)", every gateway of the records counted (TEXT or HTML). */
static void alert_gateways(struct dbuf *b, const struct alert_hit *h, int html)
{
    for (size_t i = 0; i < h->ngateways; i++) {
        dbuf_add(b, i ? ", " : "");
        if (html)
            dbuf_html(b, h->gateways[i].value, 0);
        else
            (void)dbuf_text(b, h->gateways[i].value, 0);
        dbuf_printf(b, " (%ld)", h->gateways[i].count);
    }
}

/* alert_render_text - what tripped, counts, tops, the command. */
void alert_render_text(struct dbuf *b, const struct alert_view *v)
{
    const struct alert_hit *h = v->h;
    char quiet[32];

    dbuf_add(b, "officialmail alert \"");
    (void)dbuf_text(b, h->rule->name, 0);
    dbuf_add(b, "\" on ");
    alert_where(b, v, 0);
    dbuf_printf(b, "\n\n%ld violation records (", h->count);
    alert_what(b, h->rule, 0);
    dbuf_printf(b, ")\nwithin %s: the threshold of %ld was reached.\n", h->rule->window_text,
                h->rule->threshold);
    dbuf_printf(b, "First record: %s\nLast record:  %s\n", h->first, h->last);
    if (v->central) {
        dbuf_add(b, "Gateways:     ");
        alert_gateways(b, h, 0);
        dbuf_add(b, "\n");
    }
    dbuf_add(b, "Departments:  ");
    for (size_t i = 0; i < h->ndepartments; i++) {
        dbuf_add(b, i ? ", " : "");
        (void)dbuf_text(b, h->departments[i], 0);
    }
    dbuf_add(b, "\n");
    alert_text_tops(b, "Top senders", h->senders, h->nsenders);
    alert_text_tops(b, "Top addresses", h->addresses, h->naddresses);
    dbuf_add(b, "\nThe records:\n  ");
    alert_render_log_command(b, v);
    alert_duration(quiet, sizeof(quiet), v->p->alert_interval);
    dbuf_printf(b,
                "\n\nThis alert is not sent again for the same alert rule within %s "
                "(alert_interval).\n",
                quiet);
}

/* alert_html_tops - a small table under TITLE. */
static void alert_html_tops(struct dbuf *b, const char *title, const struct alert_top *t, size_t n)
{
    dbuf_printf(b, "<h2 style=\"font-size:14px;margin:18px 0 6px 0;\">%s</h2>\n", title);
    if (n == 0) {
        dbuf_add(b, "<p>(none)</p>\n");
        return;
    }
    dbuf_add(b, "<table cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;"
                "font-size:13px;\">\n");
    for (size_t i = 0; i < n; i++) {
        dbuf_printf(b, "<tr><td style=\"" TDN "\">%ld</td><td style=\"" TD "\">", t[i].count);
        dbuf_html(b, t[i].value, 200);
        dbuf_add(b, "</td></tr>\n");
    }
    dbuf_add(b, "</table>\n");
}

/* alert_render_html - the same, for mail clients. */
void alert_render_html(struct dbuf *b, const struct alert_view *v)
{
    const struct alert_hit *h = v->h;
    struct dbuf cmd;

    dbuf_add(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                "officialmail alert</title></head>\n<body style=\"font-family:Arial,Helvetica,"
                "sans-serif;color:#1f2937;\">\n<h2 style=\"font-size:18px;color:#b42318;\">"
                "Alert: ");
    dbuf_html(b, h->rule->name, 0);
    dbuf_add(b, "</h2>\n<p>On ");
    alert_where(b, v, 1);
    dbuf_printf(b, ": <b>%ld</b> violation records (", h->count);
    alert_what(b, h->rule, 1);
    dbuf_add(b, ") within ");
    dbuf_html(b, h->rule->window_text, 0);
    dbuf_printf(b,
                ", threshold %ld.</p>\n<p>First record %s, last record %s.</p>\n<p>Departments: ",
                h->rule->threshold, h->first, h->last);
    for (size_t i = 0; i < h->ndepartments; i++) {
        dbuf_add(b, i ? ", " : "");
        dbuf_html(b, h->departments[i], 0);
    }
    dbuf_add(b, "</p>\n");
    if (v->central) {
        dbuf_add(b, "<p>Gateways: ");
        alert_gateways(b, h, 1);
        dbuf_add(b, "</p>\n");
    }
    alert_html_tops(b, "Top senders", h->senders, h->nsenders);
    alert_html_tops(b, "Top addresses", h->addresses, h->naddresses);
    dbuf_init(&cmd);
    alert_render_log_command(&cmd, v);
    dbuf_add(b, "<h2 style=\"font-size:14px;margin:18px 0 6px 0;\">The records</h2>\n"
                "<div style=\"background:#f3f4f6;padding:8px;\"><code>");
    dbuf_html(b, dbuf_str(&cmd), 0);
    dbuf_add(b, "</code></div>\n</body></html>\n");
    if (dbuf_failed(&cmd))
        dbuf_fail(b);
    dbuf_free(&cmd);
}

/* alert_json_tops - [{KEY: A, "count": N}, ...] */
static void alert_json_tops(FILE *fp, const char *key, const struct alert_top *t, size_t n)
{
    fputc('[', fp);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", {" : "{", fp);
        json_key(fp, key, 1);
        json_string(fp, t[i].value);
        json_key(fp, "count", 0);
        fprintf(fp, "%ld}", t[i].count);
    }
    fputc(']', fp);
}

/* alert_render_json - SPEC 10's fields, in its order (gateways after gateway), top_addresses. */
void alert_render_json(struct dbuf *b, const struct alert_view *v)
{
    const struct alert_hit *h = v->h;
    const struct alert_rule *a = h->rule;
    char *s = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&s, &len);
    struct dbuf cmd;

    if (fp == NULL) {
        dbuf_fail(b);
        return;
    }
    dbuf_init(&cmd);
    alert_render_log_command(&cmd, v);
    fputc('{', fp);
    json_key(fp, "alert", 1), json_string(fp, a->name);
    json_key(fp, "rule", 0);
    json_string(fp, a->rule >= 0 ? policy_rule_name((enum om_rule)a->rule) : NULL);
    json_key(fp, "department", 0), json_string(fp, a->department);
    json_key(fp, "action", 0);
    json_string(fp, a->action >= 0 ? policy_action_name((enum om_action)a->action) : NULL);
    json_key(fp, "count", 0), fprintf(fp, "%ld", h->count);
    json_key(fp, "threshold", 0), fprintf(fp, "%ld", a->threshold);
    json_key(fp, "window", 0), json_string(fp, a->window_text);
    json_key(fp, "first", 0), json_string(fp, h->first);
    json_key(fp, "last", 0), json_string(fp, h->last);
    json_key(fp, "gateway", 0), json_string(fp, alert_one_gateway(v));
    if (v->central)
        json_key(fp, "gateways", 0), alert_json_tops(fp, "name", h->gateways, h->ngateways);
    json_key(fp, "top_senders", 0), alert_json_tops(fp, "address", h->senders, h->nsenders);
    json_key(fp, "top_addresses", 0);
    alert_json_tops(fp, "address", h->addresses, h->naddresses);
    json_key(fp, "log_command", 0), json_string(fp, dbuf_str(&cmd));
    fputs("}\n", fp);
    if (fclose(fp) != 0 || dbuf_failed(&cmd))
        dbuf_fail(b);
    else
        dbuf_addn(b, s, len);
    free(s);
    dbuf_free(&cmd);
}
