/*
 * config_util - diagnostics and typed accessors of the configuration
 * loader (see config_util.h).
 *
 * Every accessor reports what is wrong with the setting's own file and
 * line and returns a failure value; callers keep going so that one run
 * of check-config shows every problem of the file.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "config_util.h"
#include "text.h"
#include "utf8.h"
#include "timefmt.h"

/* Size of one formatted diagnostic; longer ones end in "...". */
#define CFG_MSG_MAX 1024

/* cfg_file - the name to print for file name F of a setting (NULL: the main file). */
const char *cfg_file(struct cfg_ctx *c, const char *f, char *buf, size_t len)
{
    (void)buf;
    (void)len;
    /* An included file's name is the path it was opened by (config_include). */
    return f != NULL ? f : c->name;
}

/* Declared for the compiler's printf checks of every caller's format. */
static void cfg_vreport_at(struct cfg_ctx *c, enum config_severity sev, const char *file, int line,
                           const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* cfg_vreport_at - format and deliver one diagnostic. */
static void cfg_vreport_at(struct cfg_ctx *c, enum config_severity sev, const char *file, int line,
                           const char *fmt, va_list ap)
{
    char msg[CFG_MSG_MAX];
    int n;

    if (sev == CONFIG_ERROR)
        c->errors++;
    if (line > 0)
        n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
    else
        n = snprintf(msg, sizeof(msg), "%s: ", file);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(msg)) {
        int m = vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
        if (m < 0)
            return;
        n += m;
    }
    if ((size_t)n >= sizeof(msg)) /* cut: say so rather than hide it */
        memcpy(msg + sizeof(msg) - 4, "...", 4);
    if (c->report != NULL)
        c->report(c->arg, sev, msg);
}

/* cfg_report_at - report at FILE:LINE. */
void cfg_report_at(struct cfg_ctx *c, enum config_severity sev, const char *file, int line,
                   const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cfg_vreport_at(c, sev, file, line, fmt, ap);
    va_end(ap);
}

/* cfg_report - report at the place setting S was written. */
void cfg_report(struct cfg_ctx *c, enum config_severity sev, const config_setting_t *s,
                const char *fmt, ...)
{
    char buf[CFG_MSG_MAX];
    const char *file = cfg_file(c, config_setting_source_file(s), buf, sizeof(buf));
    va_list ap;

    va_start(ap, fmt);
    cfg_vreport_at(c, sev, file, (int)config_setting_source_line(s), fmt, ap);
    va_end(ap);
}

/* cfg_oom - report that memory ran out. */
int cfg_oom(struct cfg_ctx *c, const config_setting_t *s)
{
    if (!c->oom) {
        if (s != NULL)
            cfg_report(c, CONFIG_ERROR, s, "out of memory");
        else
            cfg_report_at(c, CONFIG_ERROR, c->name, 0, "out of memory");
    }
    c->oom = 1;
    c->errors++;
    return -1;
}

/* cfg_quote - S quoted for a message: never a control byte, never endless. */
const char *cfg_quote(const char *s, char *buf, size_t len)
{
    size_t o = 0, i;

    if (len < CFG_QUOTE_SIZE)
        return "\"...\"";
    buf[o++] = '"';
    for (i = 0; s[i] != '\0'; i++) {
        unsigned char ch = (unsigned char)s[i];
        /* Cut between characters (a message stays valid UTF-8), but
           never after more than one character's continuation bytes. */
        if (i >= CFG_QUOTE_MAX && ((ch & 0xc0) != 0x80 || i >= CFG_QUOTE_MAX + 3))
            break;
        if (ch == '"' || ch == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f) {
            o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
        } else {
            buf[o++] = (char)ch;
        }
    }
    if (s[i] != '\0') {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* cfg_type_name - the kind of value S holds, for "expected X, got Y". */
const char *cfg_type_name(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP:
        return "a group { }";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "an integer";
    case CONFIG_TYPE_FLOAT:
        return "a number";
    case CONFIG_TYPE_STRING:
        return "a string";
    case CONFIG_TYPE_BOOL:
        return "a boolean";
    case CONFIG_TYPE_ARRAY:
        return "an array [ ]";
    case CONFIG_TYPE_LIST:
        return "a list ( )";
    default:
        return "nothing";
    }
}

/* cfg_path - named ancestors of S joined by '.', list positions left out. */
const char *cfg_path(const config_setting_t *s, char *buf, size_t len)
{
    const char *names[16];
    size_t n = 0, o = 0;

    for (; s != NULL && !config_setting_is_root(s) && n < 16; s = config_setting_parent(s))
        if (config_setting_name(s) != NULL)
            names[n++] = config_setting_name(s);
    buf[0] = '\0';
    while (n > 0) {
        int w = snprintf(buf + o, len - o, "%s%s", o ? "." : "", names[--n]);
        if (w < 0 || (size_t)w >= len - o)
            break; /* a cut path still points the reader to the right line */
        o += (size_t)w;
    }
    return buf;
}

/* cfg_check_members - report the unknown members of group S. */
int cfg_check_members(struct cfg_ctx *c, const config_setting_t *s, const char *const *known,
                      const char *what)
{
    int unknown = 0, n = config_setting_length(s);
    char q[CFG_QUOTE_SIZE];

    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(m);
        size_t k;

        for (k = 0; known[k] != NULL; k++)
            if (name != NULL && strcmp(name, known[k]) == 0)
                break;
        if (known[k] != NULL)
            continue;
        cfg_report(c, CONFIG_ERROR, m, "unknown setting %s in %s",
                   cfg_quote(name ? name : "", q, sizeof(q)), what);
        unknown++;
    }
    return unknown;
}

/* cfg_string - the string S holds, or NULL reported. */
const char *cfg_string(struct cfg_ctx *c, const config_setting_t *s)
{
    char path[256];

    if (config_setting_type(s) == CONFIG_TYPE_STRING)
        return config_setting_get_string(s);
    cfg_report(c, CONFIG_ERROR, s, "%s: expected a string, got %s", cfg_path(s, path, sizeof(path)),
               cfg_type_name(s));
    return NULL;
}

/* cfg_nonempty - a string that is neither empty nor holds control bytes. */
const char *cfg_nonempty(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_string(c, s);
    char path[256];

    if (v == NULL)
        return NULL;
    if (v[0] == '\0') {
        cfg_report(c, CONFIG_ERROR, s, "%s: must not be empty", cfg_path(s, path, sizeof(path)));
        return NULL;
    }
    /* Values end up in log lines, headers and command lines. */
    for (const char *p = v; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            cfg_report(c, CONFIG_ERROR, s, "%s: control characters are not allowed",
                       cfg_path(s, path, sizeof(path)));
            return NULL;
        }
    }
    return v;
}

/*
 * cfg_text_bad - why text V cannot be held by every output, or NULL: a
 * control character (C0, DEL, C1, U+2028/U+2029 line breaks) or bytes
 * that are not UTF-8. Writes the offending character into WHAT.
 */
static const char *cfg_text_bad(const char *v, char *what, size_t len)
{
    for (size_t i = 0, n; v[i] != '\0'; i += n) {
        unsigned char ch = (unsigned char)v[i];
        unsigned long cp = ch;

        n = utf8_len(v + i, strnlen(v + i, 4));
        if (n == 0) {
            snprintf(what, len, "byte \\x%02x", ch);
            return "is not UTF-8";
        }
        if (n == 2)
            cp = ((ch & 0x1ful) << 6) | ((unsigned char)v[i + 1] & 0x3f);
        else if (n == 3)
            cp = ((ch & 0x0ful) << 12) | (((unsigned char)v[i + 1] & 0x3ful) << 6) |
                 ((unsigned char)v[i + 2] & 0x3f);
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029) {
            snprintf(what, len, "U+%04lX", cp);
            return "is a control character";
        }
    }
    return NULL;
}

/* cfg_text - a non-empty printable UTF-8 text: a name, message, ticket or reason. */
const char *cfg_text(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_string(c, s), *why;
    char path[256], what[32];

    if (v == NULL)
        return NULL;
    if (v[0] == '\0') {
        cfg_report(c, CONFIG_ERROR, s, "%s: must not be empty", cfg_path(s, path, sizeof(path)));
        return NULL;
    }
    if ((why = cfg_text_bad(v, what, sizeof(what))) != NULL) {
        /* Headers, SMTP replies and log lines are lines: no escape could hold it in all. */
        cfg_report(c, CONFIG_ERROR, s, "%s: %s %s; names and texts must be printable UTF-8",
                   cfg_path(s, path, sizeof(path)), what, why);
        return NULL;
    }
    return v;
}

/* cfg_set_text - replace *DST with a copy of S's text (cfg_text). 0 or -1. */
int cfg_set_text(struct cfg_ctx *c, const config_setting_t *s, char **dst)
{
    const char *v = cfg_text(c, s);
    char *copy;

    if (v == NULL)
        return -1;
    if ((copy = strdup(v)) == NULL)
        return cfg_oom(c, s);
    free(*dst);
    *dst = copy;
    return 0;
}

/* cfg_set_string - replace *DST with a copy of S's value. */
int cfg_set_string(struct cfg_ctx *c, const config_setting_t *s, char **dst)
{
    const char *v = cfg_nonempty(c, s);
    char *copy;

    if (v == NULL)
        return -1;
    copy = strdup(v);
    if (copy == NULL)
        return cfg_oom(c, s);
    free(*dst);
    *dst = copy;
    return 0;
}

/* cfg_string_list - 1 when S is an array or list of strings only. */
int cfg_string_list(struct cfg_ctx *c, const config_setting_t *s)
{
    char path[256];
    int ok = 1, n;

    if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
        cfg_report(c, CONFIG_ERROR, s, "%s: expected an array of strings [ \"...\" ], got %s",
                   cfg_path(s, path, sizeof(path)), cfg_type_name(s));
        return 0;
    }
    n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            cfg_report(c, CONFIG_ERROR, e, "%s: expected strings only, got %s",
                       cfg_path(s, path, sizeof(path)), cfg_type_name(e));
            ok = 0;
        }
    }
    return ok;
}

/* cfg_enum - the index of S's value in NAMES. */
int cfg_enum(struct cfg_ctx *c, const config_setting_t *s, const char *const *names)
{
    const char *v = cfg_string(c, s);
    char path[256], q[CFG_QUOTE_SIZE], allowed[256];
    size_t o = 0;

    if (v == NULL)
        return -1;
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    allowed[0] = '\0';
    for (int i = 0; names[i] != NULL; i++) {
        int w = snprintf(allowed + o, sizeof(allowed) - o, "%s\"%s\"", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= sizeof(allowed) - o)
            break;
        o += (size_t)w;
    }
    cfg_report(c, CONFIG_ERROR, s, "%s: %s is not one of %s", cfg_path(s, path, sizeof(path)),
               cfg_quote(v, q, sizeof(q)), allowed);
    return -1;
}

/* cfg_domain_text - normalise TEXT (LEN bytes), "*.d" and ".d" meaning d. */
int cfg_domain_text(const char *text, size_t len, char *out)
{
    if (len >= 2 && text[0] == '*' && text[1] == '.') {
        text += 2;
        len -= 2;
    } else if (len >= 1 && text[0] == '.') {
        text += 1;
        len -= 1;
    }
    if (len == 0)
        return -1;
    return domain_normalize(text, len, out);
}

/* cfg_domain - normalise domain TEXT written at S, reporting failure. */
int cfg_domain(struct cfg_ctx *c, const config_setting_t *s, const char *text, char *out)
{
    char path[256], q[CFG_QUOTE_SIZE];

    if (cfg_domain_text(text, strlen(text), out) == 0)
        return 0;
    cfg_report(c, CONFIG_ERROR, s, "%s: invalid domain %s", cfg_path(s, path, sizeof(path)),
               cfg_quote(text, q, sizeof(q)));
    return -1;
}

/* cfg_address_ok - 1 when normalised address A has a local part and a valid domain. */
static int cfg_address_ok(const char *a)
{
    const char *at = strrchr(a, '@');
    char dom[DOMAIN_MAX];

    if (at == NULL || at == a)
        return 0;
    if (domain_normalize(at + 1, strlen(at + 1), dom) < 0)
        return 0;
    return strcmp(dom, at + 1) == 0; /* the normaliser gave back an as-received form */
}

/*
 * cfg_address_plain - 1 when TEXT is a bare local@domain: no display
 * name, brackets, comments or list separators outside a quoted local
 * part, and no control characters anywhere.
 */
static int cfg_address_plain(const char *text)
{
    int quoted = 0;

    if (text[0] == '\0')
        return 0;
    for (const char *p = text; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
        if (quoted && *p == '\\' && p[1] != '\0')
            p++;
        else if (*p == '"')
            quoted = !quoted;
        else if (!quoted && strchr(" <>,;()[]:", *p) != NULL)
            return 0;
    }
    return !quoted;
}

/* cfg_address_text - the normalised form of configured address TEXT, or NULL. */
char *cfg_address_text(const char *text)
{
    char *norm;

    if (!cfg_address_plain(text))
        return NULL;
    norm = addr_normalize_text(text);
    if (norm != NULL && !cfg_address_ok(norm)) {
        free(norm);
        norm = NULL;
    }
    return norm;
}

/* cfg_address - normalise address TEXT written at S, reporting failure. */
char *cfg_address(struct cfg_ctx *c, const config_setting_t *s, const char *text)
{
    char path[256], q[CFG_QUOTE_SIZE];
    char *norm = cfg_address_text(text);

    if (norm == NULL)
        cfg_report(c, CONFIG_ERROR, s, "%s: invalid address %s", cfg_path(s, path, sizeof(path)),
                   cfg_quote(text, q, sizeof(q)));
    return norm;
}

/* cfg_strv_push - append S to the string vector *V. */
int cfg_strv_push(char ***v, size_t *n, char *s)
{
    char **nv;

    /* Grow by one: configuration lists are short, and exact sizes keep policy.c's free simple. */
    nv = realloc(*v, (*n + 1) * sizeof(**v));
    if (nv == NULL) {
        free(s);
        return -1;
    }
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

/* cfg_strv_has - 1 when S is among the N strings of V. */
static int cfg_strv_has(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* cfg_push_unique - append S unless already listed (warned at E). 0 or -1. */
static int cfg_push_unique(struct cfg_ctx *c, const config_setting_t *e, char ***v, size_t *n,
                           char *s)
{
    char path[256], q[CFG_QUOTE_SIZE];

    if (cfg_strv_has(*v, *n, s)) {
        cfg_report(c, CONFIG_WARNING, e, "%s: %s is listed twice",
                   cfg_path(config_setting_parent(e), path, sizeof(path)),
                   cfg_quote(s, q, sizeof(q)));
        free(s);
        return 0;
    }
    if (cfg_strv_push(v, n, s) < 0)
        return cfg_oom(c, e);
    return 0;
}

/* cfg_domains - normalise every domain of string list S into *V. */
int cfg_domains(struct cfg_ctx *c, const config_setting_t *s, char ***v, size_t *n)
{
    char dom[DOMAIN_MAX];
    int rc = 0, len;

    if (!cfg_string_list(c, s))
        return -1;
    len = config_setting_length(s);
    for (int i = 0; i < len && !c->oom; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        char *copy;

        if (cfg_domain(c, e, config_setting_get_string(e), dom) < 0) {
            rc = -1;
            continue;
        }
        copy = strdup(dom);
        if (copy == NULL || cfg_push_unique(c, e, v, n, copy) < 0)
            return cfg_oom(c, e);
    }
    return rc;
}

/* cfg_addresses - check every address of string list S into *V. */
int cfg_addresses(struct cfg_ctx *c, const config_setting_t *s, int norm, char ***v, size_t *n)
{
    int rc = 0, len;

    if (!cfg_string_list(c, s))
        return -1;
    len = config_setting_length(s);
    for (int i = 0; i < len && !c->oom; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *text = config_setting_get_string(e);
        char *a = cfg_address(c, e, text);

        if (a == NULL) {
            rc = -1;
            continue;
        }
        if (!norm) { /* recipients of digests: checked, kept as the administrator wrote them */
            free(a);
            a = strdup(text);
        }
        if (a == NULL || cfg_push_unique(c, e, v, n, a) < 0)
            return cfg_oom(c, e);
    }
    return rc;
}

/* cfg_patterns - compile every pattern of string list S into *V. */
int cfg_patterns(struct cfg_ctx *c, const config_setting_t *s, struct pattern **v, size_t *n)
{
    char path[256], q[CFG_QUOTE_SIZE], err[300];
    int rc = 0, len;

    if (!cfg_string_list(c, s))
        return -1;
    len = config_setting_length(s);
    for (int i = 0; i < len && !c->oom; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *src = config_setting_get_string(e);
        struct pattern *nv = realloc(*v, (*n + 1) * sizeof(**v));

        if (nv == NULL)
            return cfg_oom(c, e);
        *v = nv;
        if (src[0] == '\0') { /* it would match every address and every subject */
            cfg_report(c, CONFIG_ERROR, e, "%s: an empty pattern matches everything",
                       cfg_path(s, path, sizeof(path)));
            rc = -1;
            continue;
        }
        if (policy_pattern_compile(&nv[*n], src, err, sizeof(err)) < 0) {
            cfg_report(c, CONFIG_ERROR, e, "%s: bad regular expression %s: %s",
                       cfg_path(s, path, sizeof(path)), cfg_quote(src, q, sizeof(q)), err);
            rc = -1;
            continue;
        }
        /* Where it was written, for the error that names it at match time. */
        char where[CFG_MSG_MAX + 16];
        snprintf(where, sizeof(where), "%s:%d",
                 cfg_file(c, config_setting_source_file(e), path, sizeof(path)),
                 (int)config_setting_source_line(e));
        if ((nv[*n].where = strdup(where)) == NULL) {
            policy_pattern_clear(&nv[*n]);
            return cfg_oom(c, e);
        }
        (*n)++;
    }
    return rc;
}

/* cfg_resolve - PATH, relative ones taken from the base directory. */
char *cfg_resolve(struct cfg_ctx *c, const char *path)
{
    size_t bl, pl;
    char *out;

    if (path[0] == '/' || c->base_dir == NULL)
        return strdup(path);
    bl = strlen(c->base_dir);
    pl = strlen(path);
    out = malloc(bl + pl + 2);
    if (out == NULL)
        return NULL;
    memcpy(out, c->base_dir, bl);
    out[bl] = '/';
    memcpy(out + bl + 1, path, pl + 1);
    return out;
}

/* cfg_date - "YYYY-MM-DD" (from 1970) to the first second after that day, UTC. */
int cfg_date(const char *text, time_t *end)
{
    time_t day;

    if (strlen(text) != TIMEFMT_DAY_LEN - 1 || timefmt_parse(text, &day) < 0 || day < 0)
        return -1;
    *end = day + 86400;
    return 0;
}
