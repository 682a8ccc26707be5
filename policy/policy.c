/*
 * policy - lifetime, defaults and names of the loaded policy.
 */
#include <config.h>

#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pattern_set.h"
#include "exc_index.h"
#include "policy.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

static const char *const rule_names[RULE_COUNT] = {"official-to-webmail", "webmail-to-official",
                                                   "reply-to-webmail", "spoofed-official"};

/* Default actions of the rules (SPEC 5a "Settings"). */
static const enum om_action rule_defaults[RULE_COUNT] = {ACTION_REJECT, ACTION_QUARANTINE,
                                                         ACTION_QUARANTINE, ACTION_REJECT};

/* policy_strdup_default - strdup that records failure in *FAILED. */
static char *policy_strdup_default(const char *s, int *failed)
{
    char *copy = strdup(s);

    if (copy == NULL)
        *failed = 1;
    return copy;
}

static char host_name[256] = "localhost";
static pthread_once_t host_name_once = PTHREAD_ONCE_INIT;

/* policy_host_lookup - fill host_name once. */
static void policy_host_lookup(void)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_flags = AI_CANONNAME}, *res = NULL;
    char name[256];

    if (gethostname(name, sizeof(name)) != 0 || name[0] == '\0')
        return;
    name[sizeof(name) - 1] = '\0'; /* gethostname() may leave a cut name unterminated */
    snprintf(host_name, sizeof(host_name), "%s", name);
    if (getaddrinfo(name, NULL, &hints, &res) == 0 && res != NULL && res->ai_canonname != NULL &&
        res->ai_canonname[0] != '\0')
        snprintf(host_name, sizeof(host_name), "%s", res->ai_canonname);
    if (res != NULL)
        freeaddrinfo(res);
}

/* policy_host_name - looked up on first use. */
const char *policy_host_name(void)
{
    pthread_once(&host_name_once, policy_host_lookup);
    return host_name;
}

/* policy_new - a policy holding the SPEC defaults. */
struct policy *policy_new(void)
{
    struct policy *p = calloc(1, sizeof(*p));
    int failed = 0;

    if (p == NULL)
        return NULL;
    p->refs = 1;
    p->mode = MODE_ENFORCE;
    p->socket = policy_strdup_default("unix:" RUNSTATEDIR "/officialmail/milter.sock", &failed);
    p->database = policy_strdup_default(LOCALSTATEDIR "/lib/officialmail/violations.db", &failed);
    p->default_department = policy_strdup_default("unassigned", &failed);
    p->sendmail_command = policy_strdup_default("/usr/sbin/sendmail -t -i", &failed);
    p->console_listen = policy_strdup_default("127.0.0.1:8025", &failed);
    p->console_users = policy_strdup_default(SYSCONFDIR "/officialmail/console-users", &failed);
    p->release_command = policy_strdup_default("/usr/sbin/postsuper -H", &failed);
    p->database_timeout = 5;
    p->database_commit = COMMIT_BEFORE_ANSWER;
    p->dns_timeout = 5;
    p->alert_interval = 3600;
    p->max_recipients = 10000;
    p->ship_batch = 1000;
    p->ship_state = policy_strdup_default(LOCALSTATEDIR "/lib/officialmail-ship/shipped", &failed);
    p->max_header_fields = 1000;
    p->subject_logging = SUBJECT_FULL;
    p->on_dns_error = ON_ERROR_TEMPFAIL;
    p->on_internal_error = ON_ERROR_TEMPFAIL;
    for (int r = 0; r < RULE_COUNT; r++)
        p->rules[r].action = rule_defaults[r];
    p->official = domain_set_new();
    p->webmail = domain_set_new();
    p->not_webmail = domain_set_new();
    p->dept_domains = domain_set_new();
    p->dept_addresses = strtab_new();
    p->private_owner = strtab_new();
    p->internal = cidr_list_new();
    char err[128];
    if (policy_pattern_compile(&p->display_word, "[\\p{L}\\p{M}\\p{N}.\\-@_+]+", err, sizeof(err)) <
        0)
        failed = 1;
    if (failed || !p->official || !p->webmail || !p->not_webmail || !p->dept_domains ||
        !p->dept_addresses || !p->private_owner || !p->internal) {
        policy_unref(p);
        return NULL;
    }
    return p;
}

/* policy_ref - one more holder of P. */
struct policy *policy_ref(struct policy *p)
{
    __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
    return p;
}

/* policy_free_strv - free N strings of V and V. */
static void policy_free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* policy_free_department - free what one department owns. */
static void policy_free_department(struct department *d)
{
    free(d->name);
    policy_free_strv(d->domains, d->ndomains);
    policy_free_strv(d->addresses, d->naddresses);
    for (size_t i = 0; i < d->npatterns; i++)
        policy_pattern_clear(&d->patterns[i]);
    free(d->patterns);
    policy_free_strv(d->private_addresses, d->nprivate);
    policy_free_strv(d->digest_to, d->ndigest_to);
    policy_free_strv(d->alert_to, d->nalert_to);
}

/* policy_free_exception - free what one exception owns. */
static void policy_free_exception(struct exception *e)
{
    free(e->sender.domain);
    free(e->sender.address);
    free(e->recipient.domain);
    free(e->recipient.address);
    free(e->expires_text);
    free(e->ticket);
    free(e->reason);
    free(e->file);
}

/* policy_free - free P and everything it owns. */
static void policy_free(struct policy *p)
{
    free(p->file);
    free(p->socket);
    free(p->database);
    policy_free_strv(p->official_domains, p->nofficial);
    domain_set_free(p->official);
    domain_set_free(p->webmail);
    domain_set_free(p->not_webmail);
    cidr_list_free(p->internal);
    for (size_t i = 0; i < p->nmarkers; i++)
        policy_pattern_clear(&p->markers[i]);
    free(p->markers);
    free(p->default_department);
    policy_free_strv(p->compliance_digest_to, p->ncompliance_digest_to);
    free(p->digest_from);
    free(p->sendmail_command);
    free(p->gateway_name);
    free(p->metrics_listen);
    for (size_t i = 0; i < p->nalert_rules; i++) {
        free(p->alert_rules[i].name);
        free(p->alert_rules[i].department);
        free(p->alert_rules[i].window_text);
    }
    free(p->alert_rules);
    policy_free_strv(p->alert_to, p->nalert_to);
    free(p->alert_command);
    free(p->console_listen);
    free(p->console_cert);
    free(p->console_key);
    free(p->console_users);
    free(p->release_command);
    free(p->central_database);
    free(p->central_read_database);
    free(p->ship_state);
    for (size_t i = 0; i < p->ndepartments; i++)
        policy_free_department(&p->departments[i]);
    free(p->departments);
    domain_set_free(p->dept_domains);
    strtab_free(p->dept_addresses);
    strtab_free(p->private_owner);
    for (int r = 0; r < RULE_COUNT; r++)
        free(p->rules[r].message);
    for (size_t i = 0; i < p->nexceptions; i++)
        policy_free_exception(&p->exceptions[i]);
    free(p->exceptions);
    exc_index_free(p->exc_index);
    policy_pattern_clear(&p->display_word);
    pattern_set_free(p->sets);
    free(p);
}

/* policy_unref - drop one holder; the last frees. */
void policy_unref(struct policy *p)
{
    if (p == NULL)
        return;
    if (__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0)
        policy_free(p);
}

/* policy_rule_name - the configuration name of rule R. */
const char *policy_rule_name(enum om_rule r)
{
    return (unsigned)r < RULE_COUNT ? rule_names[r] : "unknown";
}

/* policy_rule_from_name - the rule called NAME, or -1. */
int policy_rule_from_name(const char *name)
{
    for (int r = 0; r < RULE_COUNT; r++)
        if (strcmp(name, rule_names[r]) == 0)
            return r;
    return -1;
}

/* policy_action_name - the name of action A in JSON and the log. */
const char *policy_action_name(enum om_action a)
{
    static const char *const names[] = {"accept", "log",      "tag",   "quarantine",
                                        "reject", "tempfail", "exempt"};

    return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "unknown";
}

/* policy_mode_name - "enforce" or "monitor". */
const char *policy_mode_name(enum om_mode m)
{
    return m == MODE_MONITOR ? "monitor" : "enforce";
}

/* policy_literal - the literal character at *P (a plain one or "\\."), or 0. */
static char policy_literal(const char **p)
{
    const char *s = *p;

    if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
        *s == '@' || *s == '_' || *s == '-') {
        *p = s + 1;
        return *s;
    }
    if (s[0] == '\\' && s[1] != '\0' && strchr(".-@_+", s[1]) != NULL) {
        *p = s + 2;
        return s[1];
    }
    return 0;
}

/*
 * policy_pattern_prefix - when SOURCE is "^" and literal characters with
 * no alternation anywhere, every match starts with those characters:
 * remember them, so that hundreds of department patterns cost a memcmp
 * each on an address they cannot match, not a PCRE2 call.
 */
static void policy_pattern_prefix(struct pattern *pat, const char *source)
{
    const char *p = source + 1;

    pat->prefix_len = 0;
    if (source[0] != '^' || strchr(source, '|') != NULL)
        return;
    while (pat->prefix_len < sizeof(pat->prefix) - 1) {
        const char *next = p;
        char c = policy_literal(&next);
        if (c == 0)
            break;
        /* A quantified character is not certain to be there. */
        if (*next == '*' || *next == '?' || *next == '{' || *next == '+')
            break;
        pat->prefix[pat->prefix_len++] = c;
        p = next;
    }
    pat->prefix[pat->prefix_len] = '\0';
}

/* policy_pattern_compile - UTF + UCP, JIT when the library has it. */
int policy_pattern_compile(struct pattern *pat, const char *source, char *err, size_t errlen)
{
    int code;
    PCRE2_SIZE offset;
    PCRE2_UCHAR msg[256];

    memset(pat, 0, sizeof(*pat));
    pat->code = pcre2_compile((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                              &code, &offset, NULL);
    if (pat->code == NULL) {
        pcre2_get_error_message(code, msg, sizeof(msg));
        snprintf(err, errlen, "%s at offset %zu", (char *)msg, (size_t)offset);
        return -1;
    }
    policy_pattern_prefix(pat, source);
    /* JIT is an optimisation: without it the interpreter gives the same answers. */
    (void)pcre2_jit_compile(pat->code, PCRE2_JIT_COMPLETE);
    pat->source = strdup(source);
    if (pat->source == NULL) {
        pcre2_code_free(pat->code);
        pat->code = NULL;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/*
 * Match data is per thread, made once: a message's addresses meet
 * hundreds of department patterns, and an allocation per match showed as
 * a quarter of the time of a judgement.
 */
static pthread_key_t match_data_key;
static pthread_once_t match_data_once = PTHREAD_ONCE_INIT;

/* policy_match_data_free - thread exit: free that thread's match data. */
static void policy_match_data_free(void *md)
{
    pcre2_match_data_free(md);
}

/* policy_match_data_key - create the key once per process. */
static void policy_match_data_key(void)
{
    if (pthread_key_create(&match_data_key, policy_match_data_free) != 0)
        abort(); /* only when the process is out of keys at start-up */
}

/* policy_match_data - this thread's match data, or NULL when out of memory. */
pcre2_match_data *policy_match_data(void)
{
    pcre2_match_data *md;

    pthread_once(&match_data_once, policy_match_data_key);
    md = pthread_getspecific(match_data_key);
    if (md == NULL) {
        /* 16 pairs: enough for any caller that reads the whole match. */
        md = pcre2_match_data_create(16, NULL);
        if (md != NULL && pthread_setspecific(match_data_key, md) != 0) {
            pcre2_match_data_free(md);
            md = NULL;
        }
    }
    return md;
}

/*
 * The last matching error of this thread. The policy that owns the
 * pattern outlives the judging of a message, which is where it is read.
 */
static __thread const struct pattern *failed_pattern;
static __thread int failed_code;

/* policy_pattern_failed - remember that PAT ended in error CODE; -1. */
static int policy_pattern_failed(const struct pattern *pat, int code)
{
    if (failed_pattern == NULL) { /* the first error is the one to report */
        failed_pattern = pat;
        failed_code = code;
    }
    return -1;
}

/* policy_pattern_failure - describe this thread's last matching error. */
int policy_pattern_failure(char *buf, size_t len)
{
    PCRE2_UCHAR msg[160];

    if (failed_pattern == NULL)
        return 0;
    if (failed_code == 0)
        snprintf((char *)msg, sizeof(msg), "out of memory for match data");
    else if (pcre2_get_error_message(failed_code, msg, sizeof(msg)) < 0)
        snprintf((char *)msg, sizeof(msg), "PCRE2 error %d", failed_code);
    snprintf(buf, len, "pattern \"%s\"%s%s%s could not be evaluated: %s", failed_pattern->source,
             failed_pattern->where ? " (" : "", failed_pattern->where ? failed_pattern->where : "",
             failed_pattern->where ? ")" : "", (char *)msg);
    return 1;
}

/* policy_pattern_failure_reset - forget the last error. */
void policy_pattern_failure_reset(void)
{
    failed_pattern = NULL;
    failed_code = 0;
}

/* policy_pattern_run - one pcre2_match from START; the JIT's stack limit retried without it. */
static int policy_pattern_run(const struct pattern *pat, const char *s, size_t len, size_t start,
                              pcre2_match_data *md)
{
    int rc = pcre2_match(pat->code, (PCRE2_SPTR)s, len, start, 0, md, NULL);

    /* The JIT's small stack gives out first on long texts: the interpreter,
       with its heap limit, decides those. */
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(pat->code, (PCRE2_SPTR)s, len, start, PCRE2_NO_JIT, md, NULL);
    /* Bytes that are not UTF-8 (a local part may hold any) match nothing. */
    if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        rc = PCRE2_ERROR_NOMATCH;
    return rc;
}

/* policy_pattern_match - match PAT against UTF-8 text S. */
int policy_pattern_match(const struct pattern *pat, const char *s, size_t len)
{
    pcre2_match_data *md;
    int rc;

    if (pat->prefix_len > 0 && (len < pat->prefix_len || s[0] != pat->prefix[0] ||
                                memcmp(s, pat->prefix, pat->prefix_len) != 0))
        return 0;
    if ((md = policy_match_data()) == NULL)
        return policy_pattern_failed(pat, 0);
    rc = policy_pattern_run(pat, s, len, 0, md);
    if (rc >= 0)
        return 1;
    return rc == PCRE2_ERROR_NOMATCH ? 0 : policy_pattern_failed(pat, rc);
}

/* policy_pattern_find - the first match at or after START. */
int policy_pattern_find(const struct pattern *pat, const char *s, size_t len, size_t start,
                        size_t *mstart, size_t *mend)
{
    pcre2_match_data *md;
    int rc;

    if ((md = policy_match_data()) == NULL)
        return policy_pattern_failed(pat, 0);
    rc = policy_pattern_run(pat, s, len, start, md);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return policy_pattern_failed(pat, rc);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    *mstart = ov[0];
    *mend = ov[1];
    return 1;
}

/* policy_pattern_clear - free PAT's code and source. */
void policy_pattern_clear(struct pattern *pat)
{
    pcre2_code_free(pat->code);
    free(pat->source);
    free(pat->where);
    pat->code = NULL;
    pat->source = NULL;
    pat->where = NULL;
}
