/*
 * page_login - logging in and out.
 *
 * The login form has a CSRF token too: GET /login sets it in a cookie of
 * its own and in the form, and the POST must bring both, equal. Failed
 * logins are counted per user name and per address (auth.h); past the
 * limit a login is refused even with the right password, and every
 * failure and refusal goes to syslog (facility authpriv) as key=value.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "console.h"
#include "http.h"
#include "policy.h"
#include "tmpl.h"

/* login_log - "console: EVENT user=... address=..." to authpriv and stderr, values escaped. */
static void login_log(int prio, const char *event, const char *user, const char *client)
{
    char line[512];
    size_t pos = 0;

    pos += (size_t)snprintf(line, sizeof(line), "console: %s user=", event);
    if (record_escape(line, sizeof(line), &pos, user) < 0 || pos + 10 >= sizeof(line))
        return;
    pos += (size_t)snprintf(line + pos, sizeof(line) - pos, " address=");
    if (record_escape(line, sizeof(line), &pos, client) < 0)
        return;
    syslog(LOG_AUTHPRIV | prio, "%s", line);
    fprintf(stderr, "officialmail serve: %s\n", line);
}

/* login_form - the page, with MESSAGE above the form when not NULL. */
static int login_form(struct req *r, int status, const char *message)
{
    char token[SESSION_TOKEN];
    const char *old = r->cookie_login;

    /* A browser that has the cookie keeps it: a second tab, or a page fetched twice, still
       logs in. */
    if (old != NULL && strlen(old) == SESSION_TOKEN - 1 &&
        strspn(old, "0123456789abcdef") == SESSION_TOKEN - 1)
        memcpy(token, old, SESSION_TOKEN);
    else if (session_random_hex(token, 32) < 0)
        return req_error(r, 500, "No randomness for the form's token.");
    snprintf(r->set_cookie, sizeof(r->set_cookie),
             HTTP_LOGIN_COOKIE "=%s; Path=/login; HttpOnly; SameSite=Strict%s", token,
             r->c->https ? "; Secure" : "");
    dbuf_free(&r->body);
    layout_head(r, "Log in");
    if (message != NULL)
        tmpl_put(&r->body, "<p class=\"bad\" id=\"message\">%s</p>\n", message);
    tmpl_put(&r->body,
             "<form method=\"post\" action=\"/login\" id=\"login\">"
             "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
             "<p><label>User <input name=\"user\" id=\"user-name\" autocomplete=\"username\" "
             "required></label></p>"
             "<p><label>Password <input type=\"password\" name=\"password\" id=\"password\" "
             "autocomplete=\"current-password\" required></label></p>"
             "<p><button type=\"submit\" id=\"login-button\">Log in</button></p></form>\n",
             token);
    layout_foot(r);
    r->status = status;
    return status;
}

/* login_start - a session for U: the cookie, then the overview. */
static int login_start(struct req *r, const struct user *u)
{
    struct session s;

    if (session_create(r->c->sessions, u->name, u->role, (const char *const *)u->depts, u->ndepts,
                       session_now(), &s) < 0)
        return req_error(r, 500, "The session could not be made.");
    req_redirect(r, "/");
    snprintf(r->set_cookie, sizeof(r->set_cookie),
             HTTP_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", s.id,
             r->c->https ? "; Secure" : "");
    session_clear(&s);
    return 303;
}

/* login_post - check the token, the limits, the password. */
static int login_post(struct req *r, const char *cookie)
{
    static const char *const keys[] = {"csrf", "user", "password", NULL};
    const char *name = req_param(r, "user"), *pw = req_param(r, "password");
    const char *csrf = req_param(r, "csrf");
    char ukey[AUTH_NAME_MAX + 80], akey[80], err[256];
    long long now = session_now();
    struct user u;

    if (req_only(r, keys) < 0)
        return r->status;
    if (csrf == NULL || cookie == NULL || !session_token_eq(csrf, cookie))
        return req_error(r, 403,
                         "The login form's security token is missing or wrong; "
                         "reload the page and try again.");
    if (name == NULL || pw == NULL)
        return login_form(r, 400, "Give a user name and a password.");
    snprintf(ukey, sizeof(ukey), "user:%.64s", name);
    snprintf(akey, sizeof(akey), "addr:%s", r->client);
    if (ratelimit_blocked(r->c->limits, ukey, now) || ratelimit_blocked(r->c->limits, akey, now)) {
        login_log(LOG_WARNING, "login refused (too many failures)", name, r->client);
        return login_form(r, 429, "Too many failed logins: wait a few minutes and try again.");
    }
    int ok = users_login(r->c->policy->console_users, name, pw, &u, err, sizeof(err));
    if (ok < 0) {
        syslog(LOG_AUTHPRIV | LOG_ERR, "console: %s", err);
        fprintf(stderr, "officialmail serve: %s\n", err);
        return req_error(r, 500, "The users file cannot be read; see the server's log.");
    }
    if (ok == 0) {
        ratelimit_fail(r->c->limits, ukey, now);
        ratelimit_fail(r->c->limits, akey, now);
        login_log(LOG_NOTICE, "login failed", name, r->client);
        return login_form(r, 403, "Wrong user name or password.");
    }
    ratelimit_clear(r->c->limits, ukey);
    login_log(LOG_INFO, "login", name, r->client);
    int status = login_start(r, &u);
    user_clear(&u);
    return status;
}

/* page_login - GET: the form; POST: log in. */
int page_login(struct req *r)
{
    if (strcmp(r->method, "POST") == 0)
        return login_post(r, r->cookie_login);
    if (r->nparams > 0)
        return req_error(r, 400, "The login page takes no parameters.");
    return login_form(r, 200, NULL);
}

/* page_logout - end the session and expire the cookie. */
int page_logout(struct req *r)
{
    login_log(LOG_INFO, "logout", r->s->user, r->client);
    session_destroy(r->c->sessions, r->s->id);
    req_redirect(r, "/login");
    snprintf(r->set_cookie, sizeof(r->set_cookie),
             HTTP_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             r->c->https ? "; Secure" : "");
    return 303;
}
