/*
 * mail - a digest rendered, wrapped in MIME, and its file name.
 */
#include <config.h>

#include <stdio.h>

#include "mail.h"
#include "utf8.h"

/* digest_message - text, HTML and Subject, then the MIME message. */
int digest_message(struct dbuf *msg, const struct digest_view *v, const struct digest_envelope *e,
                   char *err, size_t errlen)
{
    struct dbuf text, html, subject;
    char tag[64];
    int rc = -1;

    dbuf_init(&text), dbuf_init(&html), dbuf_init(&subject);
    digest_render_text(&text, v);
    digest_render_html(&html, v);
    digest_subject(&subject, v);
    if (v->dept != NULL)
        snprintf(tag, sizeof(tag), "%s.d%d", v->d->period.label, v->dept->config_index + 1);
    else
        snprintf(tag, sizeof(tag), "%s.compliance", v->d->period.label);
    struct digest_mail m = {e->from,         e->to,           e->nto, dbuf_str(&subject),
                            dbuf_str(&text), dbuf_str(&html), e->now, tag};
    if (dbuf_failed(&text) || dbuf_failed(&html) || dbuf_failed(&subject))
        snprintf(err, errlen, "out of memory");
    else if (digest_mime_build(msg, &m, err, errlen) == 0)
        rc = 0;
    dbuf_free(&text), dbuf_free(&html), dbuf_free(&subject);
    return rc;
}

/*
 * digest_fold - the ASCII letter a Latin-1 letter (U+00C0 to U+00FF) at P
 * is read as in a file name ("Forêts" -> "forets"), or 0; *N its length.
 */
static char digest_fold(const char *p, size_t *n)
{
    static const char latin1[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
                                 "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
    long cp = utf8_decode(p, UTF8_NUL_TERMINATED, n);

    if (cp < 0xc0 || cp > 0xff)
        return 0;
    return latin1[cp - 0xc0] != '_' ? latin1[cp - 0xc0] : 0;
}

/* digest_slug - a file-name-safe form of NAME: lowercase ASCII letters and digits, '-' between. */
static void digest_slug(const char *name, char *out, size_t len)
{
    const char *p = name;
    size_t o = 0, n;

    for (; *p != '\0' && o + 1 < len && o < 40; p++) {
        char c = *p, f = digest_fold(p, &n);
        if (f != 0)
            c = f, p += n - 1;
        else if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
        else if (o > 0 && out[o - 1] != '-')
            out[o++] = '-';
    }
    while (o > 0 && out[o - 1] == '-')
        o--;
    out[o] = '\0';
    if (o == 0)
        snprintf(out, len, "department");
}

/* digest_file_name - the period's label (blanks as '_'), the department's number and slug. */
void digest_file_name(const char *label, const struct digest_dept *dp, char *out, size_t len)
{
    char lab[64], slug[48];
    size_t i = 0;

    for (const char *p = label; *p != '\0' && i + 1 < sizeof(lab); p++)
        lab[i++] = (*p == ' ') ? '_' : *p;
    lab[i] = '\0';
    if (dp == NULL) {
        snprintf(out, len, "%s-compliance.eml", lab);
        return;
    }
    digest_slug(dp->name, slug, sizeof(slug));
    snprintf(out, len, "%s-%02d-%s.eml", lab, dp->config_index + 1, slug);
}
