/*
 * req - a request's parameters and the answers every page gives the
 * same way (errors, redirects, the CSRF check).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "console.h"
#include "tmpl.h"

/* req_param - KEY's value, or NULL. */
const char *req_param(const struct req *r, const char *key)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].key, key) == 0)
            return r->params[i].value;
    return NULL;
}

/* req_only - refuse parameters the page does not know (a 400, never ignored). */
int req_only(struct req *r, const char *const *keys)
{
    for (size_t i = 0; i < r->nparams; i++) {
        size_t k = 0;
        while (keys[k] != NULL && strcmp(keys[k], r->params[i].key) != 0)
            k++;
        if (keys[k] == NULL) {
            char msg[128];
            snprintf(msg, sizeof(msg), "Unknown parameter \"%.40s\".", r->params[i].key);
            req_error(r, 400, msg);
            return -1;
        }
    }
    return 0;
}

/* req_error - a short page; the message is escaped like every value. */
int req_error(struct req *r, int status, const char *message)
{
    const char *title = status == 400   ? "Bad request"
                        : status == 403 ? "Forbidden"
                        : status == 404 ? "Not found"
                        : status == 405 ? "Method not allowed"
                        : status == 429 ? "Too many attempts"
                                        : "Error";

    dbuf_free(&r->body);
    r->status = status;
    r->ctype = "text/html; charset=utf-8";
    r->location[0] = '\0';
    tmpl_put(&r->body,
             "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<title>%s</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\n"
             "<body><main><h1>%d %s</h1><p>%s</p><p><a href=\"/\">Back to the overview</a></p>"
             "</main></body></html>\n",
             title, status, title, message);
    return status;
}

/* req_redirect - 303 See Other. */
int req_redirect(struct req *r, const char *location)
{
    dbuf_free(&r->body);
    r->status = 303;
    snprintf(r->location, sizeof(r->location), "%s", location);
    r->ctype = "text/html; charset=utf-8";
    tmpl_put(&r->body, "<!DOCTYPE html>\n<title>See other</title><a href=\"%s\">%s</a>\n", location,
             location);
    return 303;
}

/* req_csrf_ok - the form's token against the session's. */
int req_csrf_ok(const struct req *r)
{
    const char *t = req_param(r, "csrf");

    return r->s != NULL && t != NULL && session_token_eq(t, r->s->csrf);
}
