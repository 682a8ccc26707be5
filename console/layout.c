/*
 * layout - the frame every page shares (head, navigation, foot) and the
 * one stylesheet. No script, no external asset: the Content-Security-
 * Policy allows styles from this origin only.
 */
#include <config.h>

#include <string.h>

#include "console.h"
#include "tmpl.h"

static const char stylesheet[] =
    "body{font-family:sans-serif;margin:0;color:#1a1a1a;background:#fafafa}\n"
    "header{background:#1d3557;color:#fff;padding:.5em 1em;display:flex;flex-wrap:wrap;"
    "gap:1em;align-items:center}\n"
    "header a{color:#fff}header form{margin-left:auto}\n"
    "main{padding:1em;max-width:80em}\n"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;"
    "text-align:left;vertical-align:top}th{background:#eee}\n"
    "td.n{text-align:right}dl.rec dt{font-weight:bold}dl.rec dd{margin:0 0 .4em 1em;"
    "word-break:break-all}\n"
    ".filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end}.filters label{display:flex;"
    "flex-direction:column;font-size:.85em}\n"
    ".ok{color:#1b5e20}.bad{color:#b71c1c;font-weight:bold}.mark{font-weight:bold}\n"
    "iframe{width:100%;height:40em;border:1px solid #ccc}pre{white-space:pre-wrap}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:1em}.cards section{background:#fff;border:1px solid "
    "#ddd;padding:.5em 1em}\n"
    "@media print{header,form,.filters,nav.pages{display:none}body{background:#fff}}\n";

/* layout_css - GET /style.css. */
int layout_css(struct req *r)
{
    dbuf_add(&r->body, stylesheet);
    r->ctype = "text/css; charset=utf-8";
    return 200;
}

/* layout_head - doctype, title, navigation, the user and the logout form. */
void layout_head(struct req *r, const char *title)
{
    r->ctype = "text/html; charset=utf-8";
    tmpl_put(&r->body,
             "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width\">"
             "<title>%s - officialmail</title><link rel=\"stylesheet\" href=\"/style.css\">"
             "</head>\n<body><header><strong>officialmail</strong>"
             "<a href=\"/\">Overview</a><a href=\"/records\">Records</a>"
             "<a href=\"/held\">Held</a><a href=\"/departments\">Departments</a>"
             "<a href=\"/digest\">Digest</a><a href=\"/verify\">Verification</a>",
             title);
    if (r->s != NULL)
        tmpl_put(&r->body,
                 "<form method=\"post\" action=\"/logout\"><span id=\"user\">%s (%s)</span> "
                 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                 "<button type=\"submit\" id=\"logout\">Log out</button></form>",
                 r->s->user, r->s->role == ROLE_COMPLIANCE ? "compliance" : "department",
                 r->s->csrf);
    tmpl_put(&r->body, "</header>\n<main><h1>%s</h1>\n", title);
}

/* layout_foot - the end. */
void layout_foot(struct req *r)
{
    tmpl_put(&r->body, "</main></body></html>\n");
}
