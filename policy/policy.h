/*
 * policy - the loaded, validated configuration the decision works from.
 *
 * Purpose: one immutable object holding everything SPEC section 3
 * configures, in the forms lookups need (domain sets, compiled PCRE2
 * patterns, address tables). Built by config_load() (config.h), read by
 * verdict_judge() (verdict.h), shared by the milter's threads.
 *
 * Returns: 0 / -1; pattern lookups 1 match / 0 none / -1 matching error; the
 * name lookups the value, or -1 when unknown.
 *
 * Ownership: a policy owns everything it points to. It is reference
 * counted: policy_ref() before use from another thread, policy_unref()
 * after; the last unref frees it (SIGHUP swaps in a new one while
 * messages still hold the old).
 * Thread safety: immutable after config_load(); refcount is atomic.
 */
#ifndef OM_POLICY_H
#define OM_POLICY_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <time.h>

#include "cidr.h"
#include "domain_set.h"
#include "strtab.h"

enum om_rule {
    RULE_OFFICIAL_TO_WEBMAIL,
    RULE_WEBMAIL_TO_OFFICIAL,
    RULE_REPLY_TO_WEBMAIL,
    RULE_SPOOFED_OFFICIAL,
    RULE_COUNT
};

/* Ordered weakest to strongest where it matters (LOG < TAG < ...). */
enum om_action {
    ACTION_ACCEPT,
    ACTION_LOG,
    ACTION_TAG,
    ACTION_QUARANTINE,
    ACTION_REJECT,
    ACTION_TEMPFAIL,
    ACTION_EXEMPT
};

enum om_mode { MODE_UNSET, MODE_ENFORCE, MODE_MONITOR };

enum om_on_error { ON_ERROR_TEMPFAIL, ON_ERROR_ACCEPT, ON_ERROR_REJECT };

enum om_subject_logging { SUBJECT_FULL, SUBJECT_HASH, SUBJECT_NONE };
/* When a message's records are committed (SPEC 6): before its end-of-message
   answer, or by the writer thread after it, within a second while the log
   can be written. */
enum om_database_commit { COMMIT_BEFORE_ANSWER, COMMIT_BACKGROUND };

/* A compiled PCRE2 pattern with the text it came from. */
struct pattern {
    char *source;
    char *where; /* "file:line" it was written at, for errors; NULL when unknown */
    pcre2_code *code;
    /* A literal every match starts with ("^dept-..." patterns), or "". */
    char prefix[32];
    size_t prefix_len;
};

struct department {
    char *name;
    char **domains; /* normalised */
    size_t ndomains;
    char **addresses; /* normalised */
    size_t naddresses;
    struct pattern *patterns;
    size_t npatterns;
    char **private_addresses; /* normalised */
    size_t nprivate;
    char **digest_to;
    size_t ndigest_to;
    char **alert_to; /* alerts about this department also go here (SPEC 10) */
    size_t nalert_to;
    enum om_mode mode; /* MODE_UNSET: the global mode applies */
};

/*
 * An alert rule (SPEC 10): when the records matching rule, department and
 * action (each optional) within WINDOW seconds reach THRESHOLD, alert.
 */
struct alert_rule {
    char *name;
    int rule;          /* enum om_rule, or -1: any */
    char *department;  /* NULL: any */
    int action;        /* enum om_action of a record (LOG...REJECT, EXEMPT), or -1: any */
    long threshold;    /* at least 1 */
    long window;       /* seconds */
    char *window_text; /* as written ("10m") */
};

struct rule_conf {
    enum om_action action; /* LOG, TAG, QUARANTINE or REJECT */
    char *message;         /* reply text, or NULL for the default */
};

/* Match side of an exception: "*", an exact address, or "@domain". */
struct exception_match {
    int any;       /* "*" */
    char *domain;  /* normalised, for "@domain" (that domain and below) */
    char *address; /* normalised exact address */
};

struct exception {
    struct exception_match sender;
    struct exception_match recipient;
    unsigned rules; /* bit (1u << rule); all bits when "rules" absent */
    int has_expires;
    time_t expires_end; /* first second after the expiry date (UTC) */
    char *expires_text; /* "YYYY-MM-DD" as written, or NULL */
    char *ticket;       /* may be NULL */
    char *reason;       /* may be NULL */
    char *file;         /* where it was written, for warnings */
    int line;
};

struct pattern_set;
struct exc_index;

struct policy {
    char *file; /* the configuration file it was loaded from */
    enum om_mode mode;
    char *socket;
    char *database;
    int database_timeout; /* seconds an end-of-message reply waits for its records */
    enum om_database_commit database_commit;
    int dns_timeout;          /* seconds all the SPF and DKIM lookups of one message may take */
    size_t max_recipients;    /* a message's recipients past it are refused 452 (facts.h) */
    size_t max_header_fields; /* From/Sender/Reply-To/...: more cannot be judged (facts.h) */

    char **official_domains; /* normalised, file order */
    size_t nofficial;
    struct domain_set *official;    /* value: index in official_domains */
    struct domain_set *webmail;     /* lists + extra_webmail_domains */
    struct domain_set *not_webmail; /* not_webmail_domains */
    struct cidr_list *internal;
    struct pattern *markers;
    size_t nmarkers;

    char *default_department;
    char **compliance_digest_to;
    size_t ncompliance_digest_to;
    char *digest_from;
    char *sendmail_command;
    char *gateway_name; /* records' gateway, the authserv-id; set by the loader */
    /* The review console (SPEC 11; config_console.c). */
    char *console_listen; /* "ADDR:PORT" */
    char *console_cert;   /* PEM files, both or neither */
    char *console_key;
    char *console_users;         /* name:hash:role[:dept,dept] lines */
    char *release_command;       /* run with the queue id added; no shell */
    char *central_database;      /* libpq conninfo `ship` writes to, or NULL (SPEC 9) */
    char *central_read_database; /* what `--central` reads; NULL: central_database */
    size_t ship_batch;           /* records per central transaction */
    char *ship_state;            /* the last id shipped, kept for local expire */
    enum om_subject_logging subject_logging;
    enum om_on_error on_dns_error;      /* TEMPFAIL, ACCEPT or REJECT */
    enum om_on_error on_internal_error; /* TEMPFAIL or ACCEPT */

    struct department *departments;
    size_t ndepartments;
    /* Lookup tables built from the departments (values: department index). */
    struct domain_set *dept_domains; /* longest "domains" entry wins */
    struct strtab *dept_addresses;   /* exact "addresses" */
    struct strtab *private_owner;    /* "private_addresses", first wins */

    struct rule_conf rules[RULE_COUNT];
    struct exception *exceptions;
    size_t nexceptions;
    struct exc_index *exc_index; /* by sender side (exc_index.h); NULL when none */

    /* Alerts and metrics (SPEC 10; policy/config_alert.c). */
    char *metrics_listen; /* "HOST:PORT", or NULL: no metrics served */
    struct alert_rule *alert_rules;
    size_t nalert_rules;
    char **alert_to;
    size_t nalert_to;
    long alert_interval; /* seconds an alert rule stays quiet after alerting */
    char *alert_command; /* run without a shell, one JSON line per alert; NULL: none */
    /* A "word" of a display name (SPEC 5a), compiled once per policy. */
    struct pattern display_word;

    /* The department patterns indexed, the markers combined (pattern_set.h). */
    struct pattern_set *sets;

    int refs;
};

/* policy_new - an empty policy with the SPEC defaults, refs 1; NULL on OOM. */
struct policy *policy_new(void);

/* policy_ref - take a reference; returns P. */
struct policy *policy_ref(struct policy *p);

/*
 * policy_host_name - this host's fully qualified name (getaddrinfo()'s
 * canonical name of gethostname(), else gethostname() itself, else
 * "localhost"): the default gateway_name. Looked up once a process, so
 * that a reload never waits on DNS; thread-safe.
 */
const char *policy_host_name(void);

/* policy_unref - drop a reference, freeing P with the last; NULL ok. */
void policy_unref(struct policy *p);

/* Names as they appear in the configuration, the log and JSON. */
const char *policy_rule_name(enum om_rule r);
int policy_rule_from_name(const char *name); /* -1 when unknown */
const char *policy_action_name(enum om_action a);
const char *policy_mode_name(enum om_mode m);

/*
 * policy_pattern_match - 1 when PAT matches UTF-8 text S (LEN bytes),
 * 0 when not, -1 on a matching error (resource limits). A failure is
 * also remembered for the calling thread (see policy_pattern_failure).
 */
int policy_pattern_match(const struct pattern *pat, const char *s, size_t len);

/*
 * policy_pattern_find - the first match of PAT in S (LEN bytes) at or
 * after START: 1 with *MSTART and *MEND set, 0 when none, -1 on a
 * matching error (remembered as by policy_pattern_match).
 */
int policy_pattern_find(const struct pattern *pat, const char *s, size_t len, size_t start,
                        size_t *mstart, size_t *mend);

/*
 * policy_pattern_failure - like errno for pattern matching: whether a
 * match of this thread ended in an error since the last reset, and then
 * what (the pattern, where it was written, PCRE2's message) in BUF. The
 * decision resets it before judging a message and reads it when the
 * judging fails, so that an error is reported, never taken for "no match".
 */
int policy_pattern_failure(char *buf, size_t len);

/* policy_pattern_failure_reset - forget this thread's last matching error. */
void policy_pattern_failure_reset(void);

/*
 * policy_pattern_compile - compile SOURCE with UTF and UCP (JIT where
 * available) into PAT. Returns 0, or -1 with a message in ERR (ERRLEN).
 */
int policy_pattern_compile(struct pattern *pat, const char *source, char *err, size_t errlen);

/*
 * policy_match_data - the calling thread's PCRE2 match data (16 pairs),
 * owned by the thread and freed when it exits; NULL when out of memory.
 */
pcre2_match_data *policy_match_data(void);

/* policy_pattern_clear - free PAT's code and source. */
void policy_pattern_clear(struct pattern *pat);

#endif
