/*
 * alert_send - the alert mail and alert_command.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert_send.h"
#include "mime.h"
#include "send.h"

/* alert_add_rcpts - the N addresses V into B (one a line), each once. */
static void alert_add_rcpts(struct dbuf *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *s = dbuf_str(b);
        size_t len = strlen(v[i]);
        int seen = 0;
        for (const char *l = s; *l != '\0' && !seen; l = strchr(l, '\n') + 1)
            seen = strncmp(l, v[i], len) == 0 && l[len] == '\n';
        if (!seen)
            dbuf_printf(b, "%s\n", v[i]);
    }
}

/* alert_rcpts - alert_to, then each department's alert_to (the rule's, else the records'). */
static void alert_rcpts(struct dbuf *b, const struct alert_view *v)
{
    const struct policy *p = v->p;
    const struct alert_hit *h = v->h;

    alert_add_rcpts(b, p->alert_to, p->nalert_to);
    for (size_t d = 0; d < p->ndepartments; d++) {
        int concerned = 0;
        if (h->rule->department != NULL)
            concerned = strcmp(h->rule->department, p->departments[d].name) == 0;
        for (size_t i = 0; i < h->ndepartments && !concerned; i++)
            concerned = strcmp(h->departments[i], p->departments[d].name) == 0;
        if (concerned)
            alert_add_rcpts(b, p->departments[d].alert_to, p->departments[d].nalert_to);
    }
}

/* alert_split - the lines of TEXT (modified in place) into a new vector; NULL when none. */
static char **alert_split(char *text, size_t *n)
{
    char **v = NULL;

    *n = 0;
    for (char *l = text; *l != '\0';) {
        char *end = strchr(l, '\n');
        char **nv = realloc(v, (*n + 1) * sizeof(*v));
        if (nv == NULL) {
            free(v);
            return NULL;
        }
        v = nv;
        v[(*n)++] = l;
        if (end == NULL)
            break;
        *end = '\0';
        l = end + 1;
    }
    return v;
}

/* alert_from - digest_from, else officialmail@ the first official domain (as the digests). */
static void alert_from(const struct policy *p, char *out, size_t len)
{
    if (p->digest_from != NULL)
        snprintf(out, len, "%s", p->digest_from);
    else
        snprintf(out, len, "officialmail@%s", p->nofficial ? p->official_domains[0] : "localhost");
}

/* alert_build - JSON, recipients, and the MIME message when there are any. */
int alert_build(const struct alert_view *v, struct dbuf *json, struct dbuf *mail,
                struct dbuf *rcpts, char *err, size_t errlen)
{
    struct dbuf subject, text, html;
    char *copy = NULL;
    char from[512];
    size_t n = 0;
    char **to = NULL;
    int rc = -1;

    dbuf_init(&subject), dbuf_init(&text), dbuf_init(&html);
    alert_render_json(json, v);
    alert_rcpts(rcpts, v);
    if (dbuf_len(rcpts) == 0) {
        rc = dbuf_failed(json) || dbuf_failed(rcpts) ? -1 : 0;
        goto out;
    }
    copy = strdup(dbuf_str(rcpts)); /* split in place */
    alert_render_subject(&subject, v);
    alert_render_text(&text, v);
    alert_render_html(&html, v);
    alert_from(v->p, from, sizeof(from));
    if (copy == NULL || (to = alert_split(copy, &n)) == NULL || dbuf_failed(&subject) ||
        dbuf_failed(&text) || dbuf_failed(&html)) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    struct digest_mail m = {.from = from,
                            .to = (const char *const *)to,
                            .nto = n,
                            .subject = dbuf_str(&subject),
                            .text = dbuf_str(&text),
                            .html = dbuf_str(&html),
                            .date = time(NULL),
                            .id_tag = "alert"};
    rc = digest_mime_build(mail, &m, err, errlen);
    if (rc == 0 && (dbuf_failed(json) || dbuf_failed(mail))) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
out:
    free(to);
    free(copy);
    dbuf_free(&subject), dbuf_free(&text), dbuf_free(&html);
    return rc;
}

/* alert_send_mail - recipients as arguments unless the command reads them (-t). */
int alert_send_mail(const struct policy *p, const char *rcpts, const char *mail, char *err,
                    size_t errlen)
{
    char *copy = strdup(rcpts);
    size_t n;
    char **to = copy != NULL ? alert_split(copy, &n) : NULL;
    int rc = -1;

    if (to == NULL)
        snprintf(err, errlen, "out of memory");
    else
        rc = digest_send_command(p->sendmail_command, (const char *const *)to, n, mail,
                                 strlen(mail), err, errlen);
    free(to);
    free(copy);
    return rc;
}

/* alert_send_command - split alert_command into words, feed it the line. */
int alert_send_command(const struct policy *p, const char *json, char *err, size_t errlen)
{
    size_t n = 0;
    char **argv;
    int rc;

    if (p->alert_command == NULL)
        return 0;
    if ((argv = digest_split_words(p->alert_command, 0, &n)) == NULL) {
        snprintf(err, errlen, "alert_command is empty (or out of memory)");
        return -1;
    }
    argv[n] = NULL;
    rc = digest_send_run(argv, json, strlen(json), err, errlen);
    digest_free_words(argv, n);
    return rc;
}
