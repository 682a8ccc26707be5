/*
 * console - the review console's shared types (SPEC 11): the server's
 * state, one request being answered, and the pages' entry points.
 *
 * Every page is a function taking a struct req: it reads its parameters
 * (already checked to be UTF-8 and of a bounded size by http.c), builds
 * its role-limited filter with view_filter() (filter.c), and writes its
 * body through the template layer (tmpl.h), which escapes every value
 * unless told the text is markup. The role limit is applied by the
 * queries themselves (review.h), never by hiding links.
 *
 * Ownership: the server owns the struct console; a struct req lives for
 * one request. Thread safety: libmicrohttpd runs every request on its one
 * polling thread, so pages share the console's connections unlocked;
 * the session table has its own lock all the same.
 */
#ifndef OM_CONSOLE_H
#define OM_CONSOLE_H

#include <stddef.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "review.h"
#include "session.h"

struct policy;
struct pgstore;
struct store;

struct console {
    struct policy *policy;
    const char *config; /* -c as given, for the digest's log command */
    const char *db_path;
    struct review *rv;   /* the log, with the marks appended through it */
    struct store *store; /* the log read as the digest reads it */
    struct pgstore *pg;  /* the central log (store's connection), or NULL */
    struct sessions *sessions;
    struct ratelimit *limits;
    int https;    /* cookies get Secure */
    int central;  /* the central log: records are (gateway, id), marks per console role */
    int can_mark; /* the central log's role may append marks (always on a local log) */
};

#define REQ_MAX_PARAMS 24

struct req_param {
    char *key, *value;
};

struct req {
    struct console *c;
    const char *method; /* "GET" or "POST" */
    const char *path;
    const char *client; /* the peer's address, for the rate limit and syslog */
    struct req_param params[REQ_MAX_PARAMS];
    size_t nparams;
    struct session *s; /* the logged-in session (a copy), or NULL */
    const char *cookie_sid;
    const char *cookie_login; /* the login form's token cookie */
    /* The answer. */
    int status;
    struct dbuf body;
    const char *ctype;
    const char *csp; /* NULL: the pages' policy */
    char location[512];
    char set_cookie[256];
    char disposition[128];
};

/* req_param - the value of parameter KEY, or NULL. */
const char *req_param(const struct req *r, const char *key);

/* req_only - 0 when every parameter is one of KEYS (NULL-ended), else -1 after a 400 page. */
int req_only(struct req *r, const char *const *keys);

/* req_error - STATUS with a short page saying MESSAGE (escaped); returns STATUS. */
int req_error(struct req *r, int status, const char *message);

/* req_redirect - 303 to LOCATION (a path of ours); returns 303. */
int req_redirect(struct req *r, const char *location);

/* req_csrf_ok - 1 when the POST's csrf parameter is the session's token. */
int req_csrf_ok(const struct req *r);

/* --- the layout (layout.c) ------------------------------------------------ */

/* layout_head - the document's start, the navigation for R's user, and <h1>TITLE. */
void layout_head(struct req *r, const char *title);

/* layout_foot - the document's end. */
void layout_foot(struct req *r);

/* layout_css - the stylesheet (GET /style.css). */
int layout_css(struct req *r);

/* --- the filters (filter.c) ----------------------------------------------- */

#define VIEW_STAMP 32
#define VIEW_ADDR 400

/* A list's filters as the request gave them, checked, with the role limit. */
struct view {
    struct review_filter f;
    char since[VIEW_STAMP], until[VIEW_STAMP];
    char sender[VIEW_ADDR], address[VIEW_ADDR]; /* normalised as the log stores them */
    long long page;                             /* from 1 */
};

/*
 * view_filter - V from R's parameters (since, until, department, rule,
 * action, sender, address, queue_id, text, page) with R's user's role
 * limit. 0, or -1 after a 400 or 404 page (a bad value, or a department
 * the user may not see).
 */
int view_filter(struct req *r, struct view *v);

/* view_query - the filter parameters of V as a query string ("" or "a=b&c=d"), into B. */
void view_query(struct dbuf *b, const struct view *v, const char *skip);

/* view_dept_visible - 1 when R's user may see department NAME. */
int view_dept_visible(const struct req *r, const char *name);

/* view_limit - F = only R's user's departments (nothing else set). */
void view_limit(const struct req *r, struct review_filter *f);

/* --- the pages (one file each) -------------------------------------------- */

int page_login(struct req *r);
int page_logout(struct req *r);
int page_overview(struct req *r);
int page_records(struct req *r);
int page_record(struct req *r, long long id);
int page_mark(struct req *r, long long id);
int page_held(struct req *r);
int page_departments(struct req *r);
int page_department(struct req *r);
int page_verify(struct req *r);
int page_digest(struct req *r, int html_part);
int page_export(struct req *r, int json);

/* page_records_table - the records of V's page as a table (records, held, department pages). */
int page_records_table(struct req *r, const struct view *v, long long per_page, const char *base);

#endif
