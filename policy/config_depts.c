/*
 * config_depts - the structured settings of the configuration:
 * departments (and their lookup tables), rules and exceptions.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exc_index.h"
#include "config_util.h"

/* Longest SMTP reply text we accept: a reply line is at most 512 octets (RFC 5321 4.5.3.1.5). */
#define RULE_MESSAGE_MAX 400

static const char *const dept_keys[] = {
    "name",      "domains",  "addresses", "patterns", "private_addresses",
    "digest_to", "alert_to", "mode",      NULL};
static const char *const rule_keys[] = {"action", "message", NULL};
static const char *const exception_keys[] = {"sender", "recipient", "rules", "expires",
                                             "ticket", "reason",    NULL};
static const char *const mode_names[] = {"enforce", "monitor", NULL};
static const char *const action_names[] = {"reject", "quarantine", "tag", "log", NULL};
static const enum om_action action_values[] = {ACTION_REJECT, ACTION_QUARANTINE, ACTION_TAG,
                                               ACTION_LOG};

/* Which lookup table a department list feeds. */
enum dept_table { DEPT_DOMAINS, DEPT_ADDRESSES, DEPT_PRIVATE };

/* cfg_dept_name - check the name of department I (group G) against those before it. */
static int cfg_dept_name(struct cfg_ctx *c, const config_setting_t *list, const config_setting_t *g,
                         unsigned i, struct department *d)
{
    const config_setting_t *s = config_setting_get_member(g, "name");
    char q[CFG_QUOTE_SIZE], buf[1024];
    const char *name;

    if (s == NULL) {
        cfg_report(c, CONFIG_ERROR, g, "departments: a department needs a name");
        return -1;
    }
    if ((name = cfg_text(c, s)) == NULL)
        return -1;
    /* Names are compared ignoring case: "IT" and "it" in one log would mislead. */
    for (unsigned j = 0; j < i; j++) {
        const config_setting_t *o =
            config_setting_get_member(config_setting_get_elem(list, j), "name");
        const char *other = o != NULL ? config_setting_get_string(o) : NULL;

        if (other != NULL && strcasecmp(other, name) == 0) {
            cfg_report(c, CONFIG_ERROR, s, "duplicate department name %s (first at %s:%u)",
                       cfg_quote(name, q, sizeof(q)),
                       cfg_file(c, config_setting_source_file(o), buf, sizeof(buf)),
                       config_setting_source_line(o));
            return -1;
        }
    }
    d->name = strdup(name);
    return d->name == NULL ? cfg_oom(c, s) : 0;
}

/* cfg_dept_key - the normalised key of element TEXT for TABLE (a new string) or NULL. */
static char *cfg_dept_key(enum dept_table table, const char *text)
{
    char dom[DOMAIN_MAX];

    if (table == DEPT_DOMAINS)
        return cfg_domain_text(text, strlen(text), dom) < 0 ? NULL : strdup(dom);
    return cfg_address_text(text);
}

/* cfg_dept_check - warn when KEY of TABLE can never be used. */
static void cfg_dept_check(struct cfg_ctx *c, const config_setting_t *e, enum dept_table table,
                           const char *key, const struct department *d)
{
    const char *dom = table == DEPT_DOMAINS ? key : strrchr(key, '@') + 1;
    int official = domain_set_match(c->p->official, dom, NULL) != NULL;
    int webmail = !official && domain_set_match(c->p->webmail, dom, NULL) != NULL &&
                  domain_set_match(c->p->not_webmail, dom, NULL) == NULL;
    char q[CFG_QUOTE_SIZE], q2[CFG_QUOTE_SIZE];

    if (table == DEPT_DOMAINS && !official)
        cfg_report(c, CONFIG_WARNING, e,
                   "department %s: domain %s is not under any official domain",
                   cfg_quote(d->name, q, sizeof(q)), cfg_quote(key, q2, sizeof(q2)));
    else if (table == DEPT_ADDRESSES && !official)
        cfg_report(c, CONFIG_WARNING, e,
                   "department %s: address %s is not official; it never matches",
                   cfg_quote(d->name, q, sizeof(q)), cfg_quote(key, q2, sizeof(q2)));
    else if (table == DEPT_PRIVATE && !webmail)
        cfg_report(c, CONFIG_WARNING, e,
                   "department %s: private address %s is not a webmail address; it never matches",
                   cfg_quote(d->name, q, sizeof(q)), cfg_quote(key, q2, sizeof(q2)));
}

/* cfg_dept_put - enter KEY for department INDEX into TABLE, the first department keeping it. */
static int cfg_dept_put(struct cfg_ctx *c, const config_setting_t *e, enum dept_table table,
                        const char *key, int index)
{
    struct policy *p = c->p;
    char q[CFG_QUOTE_SIZE], q2[CFG_QUOTE_SIZE];
    int rc, owner = -1;

    if (table == DEPT_DOMAINS) {
        rc = domain_set_add(p->dept_domains, key, index);
        if (rc == 0)
            domain_set_contains(p->dept_domains, key, &owner);
    } else {
        struct strtab *t = table == DEPT_ADDRESSES ? p->dept_addresses : p->private_owner;
        rc = strtab_put(t, key, strlen(key), index);
        if (rc == 0)
            strtab_get(t, key, strlen(key), &owner);
    }
    if (rc < 0)
        return cfg_oom(c, e);
    if (rc == 0 && owner != index && owner >= 0)
        cfg_report(c, CONFIG_WARNING, e,
                   "%s %s is also listed by department %s, which keeps it (first in file order)",
                   table == DEPT_DOMAINS     ? "domain"
                   : table == DEPT_ADDRESSES ? "address"
                                             : "private address",
                   cfg_quote(key, q, sizeof(q)),
                   cfg_quote(p->departments[owner].name, q2, sizeof(q2)));
    return 0;
}

/* cfg_dept_tables - enter the valid elements of list S of department INDEX into TABLE. */
static int cfg_dept_tables(struct cfg_ctx *c, const config_setting_t *s, enum dept_table table,
                           int index)
{
    const struct department *d = &c->p->departments[index];
    int n;

    if (s == NULL || !config_setting_is_aggregate(s) || d->name == NULL)
        return 0; /* absent, or already reported */
    n = config_setting_length(s);
    for (int i = 0; i < n && !c->oom; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *text = config_setting_get_string(e);
        char *key = text != NULL ? cfg_dept_key(table, text) : NULL;

        if (key == NULL)
            continue; /* reported by cfg_domains / cfg_addresses */
        cfg_dept_check(c, e, table, key, d);
        if (cfg_dept_put(c, e, table, key, index) < 0) {
            free(key);
            return -1;
        }
        free(key);
    }
    return 0;
}

/* cfg_dept_lists - the list settings of department D (group G). */
static int cfg_dept_lists(struct cfg_ctx *c, const config_setting_t *g, struct department *d)
{
    const config_setting_t *s;
    int rc = 0;

    if ((s = config_setting_get_member(g, "domains")) != NULL &&
        cfg_domains(c, s, &d->domains, &d->ndomains) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "addresses")) != NULL &&
        cfg_addresses(c, s, 1, &d->addresses, &d->naddresses) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "patterns")) != NULL &&
        cfg_patterns(c, s, &d->patterns, &d->npatterns) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "private_addresses")) != NULL &&
        cfg_addresses(c, s, 1, &d->private_addresses, &d->nprivate) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "digest_to")) != NULL &&
        cfg_addresses(c, s, 0, &d->digest_to, &d->ndigest_to) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "alert_to")) != NULL &&
        cfg_addresses(c, s, 0, &d->alert_to, &d->nalert_to) < 0)
        rc = -1;
    return rc;
}

/* cfg_department - department INDEX from group G of list LIST. */
static int cfg_department(struct cfg_ctx *c, const config_setting_t *list,
                          const config_setting_t *g, int index)
{
    struct department *d = &c->p->departments[index];
    const config_setting_t *s;
    int rc = 0, m;

    if (cfg_check_members(c, g, dept_keys, "a department") > 0)
        rc = -1;
    if (cfg_dept_name(c, list, g, (unsigned)index, d) < 0)
        rc = -1;
    if (cfg_dept_lists(c, g, d) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "mode")) != NULL) {
        if ((m = cfg_enum(c, s, mode_names)) < 0)
            rc = -1;
        else
            d->mode = m == 0 ? MODE_ENFORCE : MODE_MONITOR;
    }
    if (c->oom)
        return -1;
    cfg_dept_tables(c, config_setting_get_member(g, "domains"), DEPT_DOMAINS, index);
    cfg_dept_tables(c, config_setting_get_member(g, "addresses"), DEPT_ADDRESSES, index);
    cfg_dept_tables(c, config_setting_get_member(g, "private_addresses"), DEPT_PRIVATE, index);
    return rc;
}

/* One element of a list of groups: I, its place in file order, at ELEM. */
typedef int (*cfg_group_fn)(struct cfg_ctx *c, const config_setting_t *list,
                            const config_setting_t *g, int i, void *elem);

/* cfg_group_list - list NAME of ROOT into *LIST: its length, 0 when absent, -1 when no list. */
static int cfg_group_list(struct cfg_ctx *c, const config_setting_t *root, const char *name,
                          const char *key, const config_setting_t **list)
{
    const config_setting_t *s = config_setting_get_member(root, name);

    *list = s;
    if (s == NULL)
        return 0;
    if (!config_setting_is_list(s)) {
        cfg_report(c, CONFIG_ERROR, s, "%s: expected a list ( { %s = ...; }, ... ), got %s", name,
                   key, cfg_type_name(s));
        return -1;
    }
    return config_setting_length(s);
}

/*
 * cfg_each_group - FN over each element of LIST (NAME, shaped "{ KEY =
 * ...; }"), the elements being SIZE bytes each from BASE. Every element
 * takes its place (*COUNT), so that indices follow the file.
 */
static int cfg_each_group(struct cfg_ctx *c, const config_setting_t *list, const char *name,
                          const char *key, char *base, size_t size, size_t *count, cfg_group_fn fn)
{
    int rc = 0, n = config_setting_length(list);

    for (int i = 0; i < n && !c->oom; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        (*count)++;
        if (!config_setting_is_group(g)) {
            cfg_report(c, CONFIG_ERROR, g, "%s: expected a group { %s = ...; }, got %s", name, key,
                       cfg_type_name(g));
            rc = -1;
            continue;
        }
        if (fn(c, list, g, i, base + (size_t)i * size) < 0)
            rc = -1;
    }
    return rc;
}

/* cfg_department_elem - cfg_department() as a cfg_group_fn. */
static int cfg_department_elem(struct cfg_ctx *c, const config_setting_t *list,
                               const config_setting_t *g, int i, void *elem)
{
    (void)elem;
    return cfg_department(c, list, g, i);
}

/* cfg_load_departments - the departments list, in file order. */
int cfg_load_departments(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s;
    int n = cfg_group_list(c, root, "departments", "name", &s);

    if (n <= 0)
        return n;
    /* Allocated first: a department's checks look at the ones before it. */
    if ((c->p->departments = calloc((size_t)n, sizeof(struct department))) == NULL)
        return cfg_oom(c, s);
    return cfg_each_group(c, s, "departments", "name", (char *)c->p->departments,
                          sizeof(struct department), &c->p->ndepartments, cfg_department_elem);
}

/*
 * cfg_rule_message - the reply text of a rule: printable UTF-8, bounded.
 * SMTP replies are ASCII: a warning says that other characters go out
 * as '?' (the log and `officialmail test --json` keep them).
 */
static int cfg_rule_message(struct cfg_ctx *c, const config_setting_t *s, struct rule_conf *r)
{
    const char *v = cfg_text(c, s);
    char path[256];

    if (v == NULL)
        return -1;
    if (strlen(v) > RULE_MESSAGE_MAX) {
        cfg_report(c, CONFIG_ERROR, s, "%s: longer than %d bytes", cfg_path(s, path, sizeof(path)),
                   RULE_MESSAGE_MAX);
        return -1;
    }
    for (const char *p = v; *p != '\0'; p++) {
        if ((unsigned char)*p > 0x7e) {
            cfg_report(c, CONFIG_WARNING, s,
                       "%s: SMTP replies are ASCII; each other character is sent as '?'",
                       cfg_path(s, path, sizeof(path)));
            break;
        }
    }
    return cfg_set_text(c, s, &r->message);
}

/* cfg_rule - one member of the rules group. */
static int cfg_rule(struct cfg_ctx *c, const config_setting_t *g)
{
    const char *name = config_setting_name(g);
    int r = name != NULL ? policy_rule_from_name(name) : -1, a, rc = 0;
    char q[CFG_QUOTE_SIZE], what[128];
    const config_setting_t *s;

    if (r < 0) {
        cfg_report(c, CONFIG_ERROR, g,
                   "unknown rule %s in rules (official-to-webmail, webmail-to-official, "
                   "reply-to-webmail, spoofed-official)",
                   cfg_quote(name != NULL ? name : "", q, sizeof(q)));
        return -1;
    }
    if (!config_setting_is_group(g)) {
        cfg_report(c, CONFIG_ERROR, g, "rules.%s: expected a group { action = ...; }, got %s", name,
                   cfg_type_name(g));
        return -1;
    }
    snprintf(what, sizeof(what), "rule %s", name);
    if (cfg_check_members(c, g, rule_keys, what) > 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "action")) != NULL) {
        if ((a = cfg_enum(c, s, action_names)) < 0)
            rc = -1;
        else
            c->p->rules[r].action = action_values[a];
    }
    if ((s = config_setting_get_member(g, "message")) != NULL &&
        cfg_rule_message(c, s, &c->p->rules[r]) < 0)
        rc = -1;
    return rc;
}

/* cfg_load_rules - the rules group; rules left out keep their defaults. */
int cfg_load_rules(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "rules");
    int rc = 0, n;

    if (s == NULL)
        return 0;
    if (!config_setting_is_group(s)) {
        cfg_report(c, CONFIG_ERROR, s,
                   "rules: expected a group { official-to-webmail = ...; }, got %s",
                   cfg_type_name(s));
        return -1;
    }
    n = config_setting_length(s);
    for (int i = 0; i < n && !c->oom; i++)
        if (cfg_rule(c, config_setting_get_elem(s, (unsigned)i)) < 0)
            rc = -1;
    return rc;
}

/* cfg_exception_match - "*", "@domain" or an exact address into M. */
static int cfg_exception_match(struct cfg_ctx *c, const config_setting_t *s,
                               struct exception_match *m)
{
    const char *v = cfg_nonempty(c, s);
    char dom[DOMAIN_MAX];

    if (v == NULL)
        return -1;
    if (strcmp(v, "*") == 0) {
        m->any = 1;
        return 0;
    }
    if (v[0] == '@') {
        if (cfg_domain(c, s, v + 1, dom) < 0)
            return -1;
        m->domain = strdup(dom);
        return m->domain == NULL ? cfg_oom(c, s) : 0;
    }
    m->address = cfg_address(c, s, v);
    return m->address == NULL ? -1 : 0;
}

/* cfg_exception_rules - the "rules" array of an exception as a bit set. */
static int cfg_exception_rules(struct cfg_ctx *c, const config_setting_t *s, unsigned *bits)
{
    char q[CFG_QUOTE_SIZE];
    int rc = 0, n;

    if (!cfg_string_list(c, s))
        return -1;
    n = config_setting_length(s);
    if (n == 0) {
        cfg_report(c, CONFIG_ERROR, s,
                   "exceptions.rules: empty (leave rules out to cover every rule)");
        return -1;
    }
    *bits = 0;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_get_string(e);
        int r = policy_rule_from_name(name);

        if (r < 0) {
            cfg_report(c, CONFIG_ERROR, e, "exceptions.rules: unknown rule %s",
                       cfg_quote(name, q, sizeof(q)));
            rc = -1;
            continue;
        }
        *bits |= 1u << r;
    }
    return rc;
}

/* cfg_exception_expires - the expiry date of exception X, with its warnings. */
static int cfg_exception_expires(struct cfg_ctx *c, const config_setting_t *g, struct exception *x)
{
    const config_setting_t *s = config_setting_get_member(g, "expires");
    char q[CFG_QUOTE_SIZE];
    const char *v;

    if (s == NULL) {
        cfg_report(c, CONFIG_WARNING, g, "exception%s%s never lapses (no expires date)",
                   x->ticket ? " " : "", x->ticket ? cfg_quote(x->ticket, q, sizeof(q)) : "");
        return 0;
    }
    if ((v = cfg_string(c, s)) == NULL)
        return -1;
    if (cfg_date(v, &x->expires_end) < 0) {
        cfg_report(
            c, CONFIG_ERROR, s,
            "exceptions.expires: invalid date %s (expected YYYY-MM-DD, a real calendar date)",
            cfg_quote(v, q, sizeof(q)));
        return -1;
    }
    x->has_expires = 1;
    if ((x->expires_text = strdup(v)) == NULL)
        return cfg_oom(c, s);
    if (x->expires_end <= c->now)
        cfg_report(c, CONFIG_WARNING, s, "exception%s%s expired on %s; it is ignored",
                   x->ticket ? " " : "", x->ticket ? cfg_quote(x->ticket, q, sizeof(q)) : "", v);
    return 0;
}

/* cfg_exception - one exception from group G into X. */
static int cfg_exception(struct cfg_ctx *c, const config_setting_t *g, struct exception *x)
{
    const config_setting_t *s;
    char buf[1024];
    int rc = 0;

    x->sender.any = x->recipient.any = 0;
    x->rules = (1u << RULE_COUNT) - 1;
    x->line = (int)config_setting_source_line(g);
    x->file = strdup(cfg_file(c, config_setting_source_file(g), buf, sizeof(buf)));
    if (x->file == NULL)
        return cfg_oom(c, g);
    if (cfg_check_members(c, g, exception_keys, "an exception") > 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "sender")) == NULL)
        x->sender.any = 1;
    else if (cfg_exception_match(c, s, &x->sender) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "recipient")) == NULL)
        x->recipient.any = 1;
    else if (cfg_exception_match(c, s, &x->recipient) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "rules")) != NULL &&
        cfg_exception_rules(c, s, &x->rules) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "ticket")) != NULL && cfg_set_text(c, s, &x->ticket) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "reason")) != NULL && cfg_set_text(c, s, &x->reason) < 0)
        rc = -1;
    if (cfg_exception_expires(c, g, x) < 0)
        rc = -1;
    return rc;
}

/* cfg_exception_elem - cfg_exception() as a cfg_group_fn. */
static int cfg_exception_elem(struct cfg_ctx *c, const config_setting_t *list,
                              const config_setting_t *g, int i, void *elem)
{
    (void)list;
    (void)i;
    return cfg_exception(c, g, elem);
}

/* cfg_load_exceptions - the exceptions list, in file order (the first gives the ticket). */
int cfg_load_exceptions(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s;
    int n = cfg_group_list(c, root, "exceptions", "sender", &s);

    if (n <= 0)
        return n;
    if ((c->p->exceptions = calloc((size_t)n, sizeof(struct exception))) == NULL)
        return cfg_oom(c, s);
    if (cfg_each_group(c, s, "exceptions", "sender", (char *)c->p->exceptions,
                       sizeof(struct exception), &c->p->nexceptions, cfg_exception_elem) < 0)
        return -1;
    if ((c->p->exc_index = exc_index_build(c->p->exceptions, c->p->nexceptions)) == NULL)
        return cfg_oom(c, s);
    return 0;
}
