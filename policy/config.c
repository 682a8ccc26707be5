/*
 * config - load and validate the configuration (see config_load.h).
 *
 * The file is parsed by libconfig; every setting is then checked in a
 * fixed order (scalars, official domains, webmail lists, networks,
 * markers, departments, rules, exceptions) so that later checks can use
 * what earlier ones built (a department domain is warned about when no
 * official domain covers it). Checks go on after an error: one run
 * reports every problem of the file.
 *
 * @include: expanded before libconfig parses (config_include.c): an
 * absolute name is that file, a relative one is relative to the
 * directory of the file that includes it, whatever the process's working
 * directory (the daemon runs in /). In a string (config_load_string),
 * relative includes and list files are opened from the current directory.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_include.h"
#include "config_util.h"
#include "pattern_set.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

static const char *const top_keys[] = {"mode",
                                       "socket",
                                       "database",
                                       "database_timeout",
                                       "database_commit",
                                       "dns_timeout",
                                       "max_recipients",
                                       "max_header_fields",
                                       "official_domains",
                                       "webmail_domains",
                                       "extra_webmail_domains",
                                       "not_webmail_domains",
                                       "internal_networks",
                                       "official_markers",
                                       "default_department",
                                       "compliance_digest_to",
                                       "digest_from",
                                       "sendmail_command",
                                       "gateway_name",
                                       "central_database",
                                       "central_read_database",
                                       "ship_batch",
                                       "ship_state",
                                       "subject_logging",
                                       "on_dns_error",
                                       "on_internal_error",
                                       "departments",
                                       "rules",
                                       "exceptions",
                                       "metrics_listen",
                                       "alert_rules",
                                       "alert_to",
                                       "alert_interval",
                                       "alert_command",
                                       "console_listen",
                                       "console_cert",
                                       "console_key",
                                       "console_users",
                                       "release_command",
                                       NULL};

/* config_default_path - where the configuration is when -c is not given. */
const char *config_default_path(void)
{
    return SYSCONFDIR "/officialmail/officialmail.conf";
}

/* cfg_mode - mode: "enforce" or "monitor". */
static int cfg_mode(struct cfg_ctx *c, const config_setting_t *s)
{
    static const char *const names[] = {"enforce", "monitor", NULL};
    int v = cfg_enum(c, s, names);

    if (v < 0)
        return -1;
    c->p->mode = v == 0 ? MODE_ENFORCE : MODE_MONITOR;
    return 0;
}

/* cfg_port_ok - 1 for a decimal TCP port 1..65535 of LEN bytes. */
static int cfg_port_ok(const char *s, size_t len)
{
    unsigned long v = 0;

    if (len == 0 || len > 5)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

/* cfg_socket_ok - 1 for the socket forms libmilter accepts and we document. */
static int cfg_socket_ok(const char *v)
{
    const char *rest, *at;

    if (strncmp(v, "unix:", 5) == 0 || strncmp(v, "local:", 6) == 0) {
        rest = strchr(v, ':') + 1;
        /* Absolute (the daemon runs in /) and short enough for sun_path. */
        return rest[0] == '/' && strlen(rest) < 108;
    }
    if (strncmp(v, "inet:", 5) == 0 || strncmp(v, "inet6:", 6) == 0) {
        rest = strchr(v, ':') + 1;
        at = strchr(rest, '@');
        if (at == NULL)
            return cfg_port_ok(rest, strlen(rest)); /* every address of the host */
        return cfg_port_ok(rest, (size_t)(at - rest)) && at[1] != '\0' &&
               strpbrk(at + 1, " \t@") == NULL;
    }
    return 0;
}

/* cfg_socket - socket: "inet:PORT@HOST", "inet6:PORT@HOST", "unix:/path", "local:/path". */
static int cfg_socket(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_nonempty(c, s);
    char q[CFG_QUOTE_SIZE];

    if (v == NULL)
        return -1;
    if (!cfg_socket_ok(v)) {
        cfg_report(c, CONFIG_ERROR, s,
                   "socket: invalid %s (expected \"inet:PORT@HOST\", \"inet6:PORT@HOST\", "
                   "\"unix:/path\" or \"local:/path\")",
                   cfg_quote(v, q, sizeof(q)));
        return -1;
    }
    return cfg_set_string(c, s, &c->p->socket);
}

/* cfg_database - database: a path, relative ones from the configuration's directory. */
static int cfg_database(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_nonempty(c, s);
    char *path;

    if (v == NULL)
        return -1;
    path = cfg_resolve(c, v);
    if (path == NULL)
        return cfg_oom(c, s);
    free(c->p->database);
    c->p->database = path;
    return 0;
}

/* cfg_database_timeout - database_timeout: seconds an answer waits for its records (1-300). */
static int cfg_database_timeout(struct cfg_ctx *c, const config_setting_t *s)
{
    if (config_setting_type(s) != CONFIG_TYPE_INT) {
        cfg_report(c, CONFIG_ERROR, s, "database_timeout must be a whole number of seconds");
        return -1;
    }
    int v = config_setting_get_int(s);
    if (v < 1 || v > 300) {
        cfg_report(c, CONFIG_ERROR, s, "database_timeout must be between 1 and 300 seconds, not %d",
                   v);
        return -1;
    }
    c->p->database_timeout = v;
    return 0;
}

/* cfg_database_commit - database_commit: "before-answer" or "background". */
static int cfg_database_commit(struct cfg_ctx *c, const config_setting_t *s)
{
    static const char *const names[] = {"before-answer", "background", NULL};
    static const enum om_database_commit values[] = {COMMIT_BEFORE_ANSWER, COMMIT_BACKGROUND};
    int v = cfg_enum(c, s, names);

    if (v < 0)
        return -1;
    c->p->database_commit = values[v];
    return 0;
}

/* cfg_dns_timeout - dns_timeout: seconds the lookups of one message may take (1-60). */
static int cfg_dns_timeout(struct cfg_ctx *c, const config_setting_t *s)
{
    if (config_setting_type(s) != CONFIG_TYPE_INT) {
        cfg_report(c, CONFIG_ERROR, s, "dns_timeout must be a whole number of seconds");
        return -1;
    }
    int v = config_setting_get_int(s);
    /* Bounded: the MTA waits for the milter's answer (Postfix: milter_content_timeout). */
    if (v < 1 || v > 60) {
        cfg_report(c, CONFIG_ERROR, s, "dns_timeout must be between 1 and 60 seconds, not %d", v);
        return -1;
    }
    c->p->dns_timeout = v;
    return 0;
}

/* cfg_limit - a whole number from 1 to MAX into *OUT. */
static int cfg_limit(struct cfg_ctx *c, const config_setting_t *s, const char *name, int max,
                     size_t *out)
{
    int v = config_setting_get_int(s);

    if (config_setting_type(s) != CONFIG_TYPE_INT || v < 1 || v > max) {
        cfg_report(c, CONFIG_ERROR, s, "%s must be a whole number from 1 to %d", name, max);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

/* cfg_max_recipients - max_recipients: past it a recipient is refused 452 (1-1,000,000). */
static int cfg_max_recipients(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_limit(c, s, "max_recipients", 1000000, &c->p->max_recipients);
}

/* cfg_max_header_fields - max_header_fields: the fields that name addresses or markers. */
static int cfg_max_header_fields(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_limit(c, s, "max_header_fields", 100000, &c->p->max_header_fields);
}

/* cfg_default_department - default_department: a name (any printable UTF-8). */
static int cfg_default_department(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_set_text(c, s, &c->p->default_department);
}

/* cfg_digest_from - digest_from: one address, kept as written. */
static int cfg_digest_from(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_nonempty(c, s);
    char *norm;

    if (v == NULL)
        return -1;
    norm = cfg_address(c, s, v);
    if (norm == NULL)
        return -1;
    free(norm);
    return cfg_set_string(c, s, &c->p->digest_from);
}

/* cfg_compliance - compliance_digest_to: addresses, kept as written. */
static int cfg_compliance(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_addresses(c, s, 0, &c->p->compliance_digest_to, &c->p->ncompliance_digest_to);
}

/* cfg_sendmail - sendmail_command: a command line (split on blanks, no shell). */
static int cfg_sendmail(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_set_string(c, s, &c->p->sendmail_command);
}

/*
 * cfg_gateway_name - gateway_name: a host name (letters, digits, '.',
 * '-', '_'), so that it is one token as the authserv-id of an
 * Authentication-Results line (RFC 8601) and in every output.
 */
static int cfg_gateway_name(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_nonempty(c, s);
    char q[CFG_QUOTE_SIZE];

    if (v == NULL)
        return -1;
    if (strlen(v) > 253 || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789.-_") != strlen(v)) {
        cfg_report(c, CONFIG_ERROR, s,
                   "gateway_name: %s is not a host name (letters, digits, '.', '-' and '_', "
                   "at most 253)",
                   cfg_quote(v, q, sizeof(q)));
        return -1;
    }
    return cfg_set_string(c, s, &c->p->gateway_name);
}

/* cfg_has_password - whether libpq conninfo V carries a password (a key or a URI's user:pass@). */
static int cfg_has_password(const char *v)
{
    const char *u = strstr(v, "://"), *at, *colon;

    if (strcasestr(v, "password") != NULL)
        return 1;
    if (u == NULL)
        return 0;
    u += 3;
    at = strchr(u, '@');
    colon = strchr(u, ':');
    return at != NULL && colon != NULL && colon < at;
}

/*
 * cfg_conninfo - central_database, central_read_database: a libpq
 * conninfo string. A password has no place in it (SPEC 9): the shipping
 * user's ~/.pgpass or PGPASSFILE holds it, so the configuration, which
 * the milter reads too, never does.
 */
static int cfg_conninfo(struct cfg_ctx *c, const config_setting_t *s, char **out)
{
    const char *v = cfg_nonempty(c, s);

    if (v == NULL)
        return -1;
    if (cfg_has_password(v)) {
        cfg_report(c, CONFIG_ERROR, s,
                   "%s: no password in the configuration; put it in the shipping user's "
                   "~/.pgpass or PGPASSFILE",
                   config_setting_name(s));
        return -1;
    }
    return cfg_set_string(c, s, out);
}

/* cfg_central - central_database: where `officialmail ship` sends the log. */
static int cfg_central(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_conninfo(c, s, &c->p->central_database);
}

/* cfg_central_read - central_read_database: what `--central` reads (default central_database). */
static int cfg_central_read(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_conninfo(c, s, &c->p->central_read_database);
}

/* cfg_ship_batch - ship_batch: records per central transaction (1-100,000). */
static int cfg_ship_batch(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_limit(c, s, "ship_batch", 100000, &c->p->ship_batch);
}

/*
 * cfg_ship_state - ship_state: the file where `ship` keeps the last id
 * the central log committed, for local `expire`; relative to the
 * configuration's directory, like database.
 */
static int cfg_ship_state(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_nonempty(c, s);
    char *path;

    if (v == NULL)
        return -1;
    if ((path = cfg_resolve(c, v)) == NULL)
        return cfg_oom(c, s);
    free(c->p->ship_state);
    c->p->ship_state = path;
    return 0;
}

/* cfg_subject - subject_logging: "full", "hash" or "none". */
static int cfg_subject(struct cfg_ctx *c, const config_setting_t *s)
{
    static const char *const names[] = {"full", "hash", "none", NULL};
    static const enum om_subject_logging values[] = {SUBJECT_FULL, SUBJECT_HASH, SUBJECT_NONE};
    int v = cfg_enum(c, s, names);

    if (v < 0)
        return -1;
    c->p->subject_logging = values[v];
    return 0;
}

/* cfg_dns_error - on_dns_error: "tempfail", "accept" or "reject". */
static int cfg_dns_error(struct cfg_ctx *c, const config_setting_t *s)
{
    static const char *const names[] = {"tempfail", "accept", "reject", NULL};
    static const enum om_on_error values[] = {ON_ERROR_TEMPFAIL, ON_ERROR_ACCEPT, ON_ERROR_REJECT};
    int v = cfg_enum(c, s, names);

    if (v < 0)
        return -1;
    c->p->on_dns_error = values[v];
    return 0;
}

/* cfg_internal_error - on_internal_error: "tempfail" or "accept" (never a silent reject). */
static int cfg_internal_error(struct cfg_ctx *c, const config_setting_t *s)
{
    static const char *const names[] = {"tempfail", "accept", NULL};
    int v = cfg_enum(c, s, names);

    if (v < 0)
        return -1;
    c->p->on_internal_error = v == 0 ? ON_ERROR_TEMPFAIL : ON_ERROR_ACCEPT;
    return 0;
}

/* cfg_markers - official_markers: PCRE2 patterns (none by default). */
static int cfg_markers(struct cfg_ctx *c, const config_setting_t *s)
{
    return cfg_patterns(c, s, &c->p->markers, &c->p->nmarkers);
}

/* A setting checked on its own: its name and its checker. */
struct cfg_simple {
    const char *name;
    int (*fn)(struct cfg_ctx *c, const config_setting_t *s);
};

static const struct cfg_simple simple_settings[] = {
    {"mode", cfg_mode},
    {"socket", cfg_socket},
    {"database", cfg_database},
    {"database_timeout", cfg_database_timeout},
    {"database_commit", cfg_database_commit},
    {"dns_timeout", cfg_dns_timeout},
    {"max_recipients", cfg_max_recipients},
    {"max_header_fields", cfg_max_header_fields},
    {"default_department", cfg_default_department},
    {"compliance_digest_to", cfg_compliance},
    {"digest_from", cfg_digest_from},
    {"sendmail_command", cfg_sendmail},
    {"gateway_name", cfg_gateway_name},
    {"central_database", cfg_central},
    {"central_read_database", cfg_central_read},
    {"ship_batch", cfg_ship_batch},
    {"ship_state", cfg_ship_state},
    {"subject_logging", cfg_subject},
    {"on_dns_error", cfg_dns_error},
    {"on_internal_error", cfg_internal_error},
    {"official_markers", cfg_markers},
};

/* cfg_fill - check every setting of ROOT into c->p. */
static void cfg_fill(struct cfg_ctx *c, const config_setting_t *root)
{
    cfg_check_members(c, root, top_keys, "the configuration");
    for (size_t i = 0; i < sizeof(simple_settings) / sizeof(simple_settings[0]) && !c->oom; i++) {
        const config_setting_t *s = config_setting_get_member(root, simple_settings[i].name);
        if (s != NULL)
            simple_settings[i].fn(c, s);
    }
    /* Order matters below: each step may look at what the previous ones built. */
    if (!c->oom)
        cfg_load_official(c, root);
    if (!c->oom)
        cfg_load_webmail(c, root);
    if (!c->oom)
        cfg_load_networks(c, root);
    if (!c->oom)
        cfg_load_departments(c, root);
    if (!c->oom)
        cfg_load_rules(c, root);
    if (!c->oom)
        cfg_load_exceptions(c, root);
    if (!c->oom)
        cfg_load_alerts(c, root);
    if (!c->oom)
        cfg_load_console(c, root);
}

/* cfg_build - the policy of parsed configuration CFG, or NULL after errors. */
static struct policy *cfg_build(struct cfg_ctx *c, const config_t *cfg)
{
    struct policy *p = policy_new();

    if (p == NULL) {
        cfg_oom(c, NULL);
        return NULL;
    }
    c->p = p;
    c->cfg = cfg;
    p->file = strdup(c->name);
    if (p->file == NULL)
        cfg_oom(c, NULL);
    else
        cfg_fill(c, config_root_setting(cfg));
    /* The default is this host's name, once the settings are known good. */
    if (c->errors == 0 && p->gateway_name == NULL &&
        (p->gateway_name = strdup(policy_host_name())) == NULL)
        cfg_oom(c, NULL);
    /* Patterns matched as sets, once the policy holds them all (SPEC 8). */
    if (c->errors == 0 && pattern_set_build(p) < 0)
        cfg_oom(c, NULL);
    c->p = NULL;
    if (c->errors > 0) {
        policy_unref(p);
        return NULL;
    }
    return p;
}

/* cfg_parse_error - report libconfig's one syntax error, at the line of the file it came from. */
static void cfg_parse_error(struct cfg_ctx *c, const config_t *cfg, const struct cfg_text *t)
{
    const char *text = config_error_text(cfg), *file;
    int line;

    file = cfg_include_where(t, config_error_line(cfg), &line);
    cfg_report_at(c, CONFIG_ERROR, file != NULL ? file : c->name, line, "%s",
                  text != NULL ? text : "syntax error");
}

/* cfg_parse - the main file's LEN bytes of TEXT, its @includes expanded, parsed and checked. */
static struct policy *cfg_parse(struct cfg_ctx *c, const char *text, size_t len)
{
    struct policy *p = NULL;
    struct cfg_text t;
    config_t cfg;

    if (cfg_include_expand(c, text, len, c->base_dir, &t) == 0) {
        config_init(&cfg);
        /* Every @include is expanded above: one that libconfig still saw would fail to open. */
        config_set_include_dir(&cfg, "/dev/null");
        if (config_read_string(&cfg, t.text) == CONFIG_TRUE) {
            cfg_include_fix(&t, config_root_setting(&cfg));
            p = cfg_build(c, &cfg);
        } else {
            cfg_parse_error(c, &cfg, &t);
        }
        config_destroy(&cfg);
    }
    cfg_include_free(&t);
    return p;
}

/* cfg_ctx_init - a fresh context for one load. */
static void cfg_ctx_init(struct cfg_ctx *c, const char *name, time_t now, config_report_fn report,
                         void *arg)
{
    memset(c, 0, sizeof(*c));
    c->name = name;
    c->now = now;
    c->report = report;
    c->arg = arg;
}

/* cfg_ctx_clear - free what the context owns. */
static void cfg_ctx_clear(struct cfg_ctx *c)
{
    for (size_t i = 0; i < c->npaths; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c->origins);
    free(c->base_dir);
}

/* cfg_base_dir - the directory of FILE, or NULL (c->base_dir) for the current one. 0 or -1. */
static int cfg_base_dir(struct cfg_ctx *c, const char *file)
{
    const char *slash = strrchr(file, '/');

    if (slash == NULL)
        return 0;
    c->base_dir = slash == file ? strdup("/") : strndup(file, (size_t)(slash - file));
    return c->base_dir == NULL ? -1 : 0;
}

/* cfg_open - FILE opened for reading; only a regular file will do. NULL reported. */
static FILE *cfg_open(struct cfg_ctx *c, const char *file)
{
    char ebuf[128];
    struct stat st;
    FILE *fp = NULL;
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY), err;

    if (fd < 0)
        goto fail;
    if (fstat(fd, &st) < 0)
        goto fail;
    if (!S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        goto fail;
    }
    fp = fdopen(fd, "r");
    if (fp == NULL)
        goto fail;
    return fp;
fail:
    err = errno;
    if (fd >= 0)
        close(fd);
    cfg_report_at(c, CONFIG_ERROR, file, 0, "cannot read: %s",
                  err == EINVAL ? "not a regular file" : strerror_r(err, ebuf, sizeof(ebuf)));
    return NULL;
}

/* cfg_slurp - the whole of FP (FILE, for messages) in a new NUL-terminated buffer, or NULL. */
static char *cfg_slurp(struct cfg_ctx *c, const char *file, FILE *fp, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, n;

    *len = 0;
    do {
        if (*len + 4096 + 1 > cap) {
            char *b = realloc(buf, cap = cap ? 2 * cap : 8192);
            if (b == NULL) {
                free(buf);
                cfg_oom(c, NULL);
                return NULL;
            }
            buf = b;
        }
        n = fread(buf + *len, 1, cap - *len - 1, fp);
        *len += n;
    } while (n > 0);
    if (ferror(fp)) {
        free(buf);
        cfg_report_at(c, CONFIG_ERROR, file, 0, "cannot read: read error");
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}

/* config_load - load configuration file FILE. */
struct policy *config_load(const char *file, time_t now, config_report_fn report, void *arg)
{
    struct cfg_ctx c;
    struct policy *p = NULL;
    char *text = NULL;
    size_t len;
    FILE *fp;

    cfg_ctx_init(&c, file, now, report, arg);
    if (cfg_base_dir(&c, file) < 0) {
        cfg_oom(&c, NULL);
        goto out;
    }
    if ((fp = cfg_open(&c, file)) == NULL)
        goto out;
    text = cfg_slurp(&c, file, fp, &len);
    (void)fclose(fp); /* read-only, and every byte is read: nothing can be lost */
    if (text != NULL)
        p = cfg_parse(&c, text, len);
out:
    free(text);
    cfg_ctx_clear(&c);
    return p;
}

/* config_load_string - load configuration TEXT, called NAME in messages. */
struct policy *config_load_string(const char *text, const char *name, time_t now,
                                  config_report_fn report, void *arg)
{
    struct cfg_ctx c;
    struct policy *p;

    /* No base directory: a relative @include or list is relative to the current one. */
    cfg_ctx_init(&c, name != NULL ? name : "(string)", now, report, arg);
    p = cfg_parse(&c, text, strlen(text));
    cfg_ctx_clear(&c);
    return p;
}
