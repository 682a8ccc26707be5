/*
 * alert_render - an alert as people and programs read it: the mail's
 * subject, text/plain and text/html bodies (built like the digests, with
 * digest_buf's escaping and digest_mime's message), the JSON line for
 * alert_command (SPEC 10 Details), and the `officialmail log` command
 * that lists the records it counted.
 *
 * Every value from the log or the configuration (alert names,
 * departments, addresses) goes through dbuf_text() / dbuf_html() in the
 * mail and json_string() in the JSON line: shown, never obeyed.
 *
 * Ownership: a view borrows everything. Thread safety: reentrant.
 */
#ifndef OM_ALERT_RENDER_H
#define OM_ALERT_RENDER_H

#include "alert_window.h"
#include "buf.h"

struct alert_view {
    const struct alert_hit *h;
    const struct policy *p;
    const char *config;  /* -c as given, repeated in the log command; NULL: default */
    const char *gateway; /* where the records were written (the local log's gateway_name) */
    int central;         /* from the central log: the gateways are the records' (h->gateways) */
};

/* alert_render_subject - "officialmail alert: NAME: COUNT records in WINDOW". */
void alert_render_subject(struct dbuf *b, const struct alert_view *v);

/* alert_render_text - the text/plain body. */
void alert_render_text(struct dbuf *b, const struct alert_view *v);

/* alert_render_html - the text/html body (inline styles, no script, no image). */
void alert_render_html(struct dbuf *b, const struct alert_view *v);

/* alert_render_json - the one JSON line (with its LF) of alert_command. */
void alert_render_json(struct dbuf *b, const struct alert_view *v);

/* alert_render_log_command - the `officialmail log` command, raw (escape it to show it). */
void alert_render_log_command(struct dbuf *b, const struct alert_view *v);

/* alert_duration - SECONDS as "1h", "10m", "90s" into OUT. */
void alert_duration(char *out, size_t len, long seconds);

#endif
