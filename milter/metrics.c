/*
 * metrics - the milter's counters, histograms and health.
 *
 * Departments: violations by department are kept in a fixed table of
 * name slots claimed with compare-and-swap (no lock on the mail path);
 * the names are the configuration's, so the table is sized for a large
 * policy, and the departments past it are counted under "other".
 */
#include <config.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns.h"
#include "holder.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "prom.h"
#include "record.h"
#include "writer.h"

#define NACTIONS 6  /* accept, log, tag, quarantine, reject, tempfail */
#define NVACTIONS 5 /* log, tag, quarantine, reject, exempt */
#define DEPT_SLOTS 1024

static const enum om_action msg_actions[NACTIONS] = {
    ACTION_ACCEPT, ACTION_LOG, ACTION_TAG, ACTION_QUARANTINE, ACTION_REJECT, ACTION_TEMPFAIL};
static const char *const vaction_names[NVACTIONS] = {"log", "tag", "quarantine", "reject",
                                                     "exempt"};
static const char *const error_names[METRICS_ERR_COUNT] = {"memory", "log", "verdict",
                                                           "quarantine"};
static const double commit_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                       0.1,    0.25,  0.5,    1,     2.5,  5,     10};
static const double dns_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                    0.25,  0.5,    1,     2.5,  5,     10};

struct dept_slot {
    _Atomic(char *) name;
    struct prom_counter n;
};

static struct {
    atomic_int on;
    struct prom_counter messages[NACTIONS];
    struct prom_counter violations[RULE_COUNT][NVACTIONS];
    struct prom_counter refused, over_limit;
    struct prom_counter errors[METRICS_ERR_COUNT];
    struct prom_counter reloads_ok, reloads_failed;
    struct prom_counter log_errors;
    struct prom_counter dns[DNS_KINDS][DNS_STATUSES];
    struct prom_hist commit_seconds, dns_seconds;
    struct prom_gauge sessions, loaded_at;
    struct prom_counter sessions_total;
    struct dept_slot depts[DEPT_SLOTS];
    struct prom_counter dept_other;
    struct writer *w;
    struct metrics_http *http;
    char *listen; /* metrics_listen in force (NULL: off); a reload does not move it */
} m;

/* metrics_on - the hooks count only once metrics_start() ran. */
static inline int metrics_on(void)
{
    return atomic_load_explicit(&m.on, memory_order_relaxed);
}

/* metrics_message - by the message's action. */
void metrics_message(enum om_action a)
{
    if (!metrics_on())
        return;
    for (int i = 0; i < NACTIONS; i++)
        if (msg_actions[i] == a)
            prom_inc(&m.messages[i]);
}

/* metrics_dept - the counter of department NAME, claiming a slot on first sight. */
static struct prom_counter *metrics_dept(const char *name)
{
    size_t h = 5381;

    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    for (size_t k = 0; k < DEPT_SLOTS; k++) {
        struct dept_slot *s = &m.depts[(h + k) % DEPT_SLOTS];
        char *cur = atomic_load_explicit(&s->name, memory_order_acquire);
        if (cur == NULL) {
            char *mine = strdup(name);
            if (mine == NULL)
                return &m.dept_other;
            if (atomic_compare_exchange_strong(&s->name, &cur, mine))
                return &s->n;
            free(mine); /* another thread claimed it meanwhile: CUR is its name */
        }
        if (strcmp(cur, name) == 0)
            return &s->n;
    }
    return &m.dept_other;
}

/* metrics_committed - by rule and action, and by department. */
void metrics_committed(const struct record *r)
{
    if (!metrics_on())
        return;
    int rule = policy_rule_from_name(r->f[RF_RULE]);
    for (int a = 0; a < NVACTIONS && rule >= 0; a++)
        if (strcmp(r->f[RF_ACTION], vaction_names[a]) == 0)
            prom_inc(&m.violations[rule][a]);
    prom_inc(metrics_dept(r->f[RF_DEPARTMENT]));
}

/* metrics_refused - 550 at RCPT. */
void metrics_refused(void)
{
    if (metrics_on())
        prom_inc(&m.refused);
}

/* metrics_over_limit - 452 at RCPT. */
void metrics_over_limit(void)
{
    if (metrics_on())
        prom_inc(&m.over_limit);
}

/* metrics_internal_error - by kind. */
void metrics_internal_error(enum metrics_error k)
{
    if (metrics_on() && k < METRICS_ERR_COUNT)
        prom_inc(&m.errors[k]);
}

/* metrics_pinned - a reloaded metrics_listen other than the one in force: say it waits. */
static void metrics_pinned(void)
{
    struct policy *p = holder_get();
    const char *fresh = p != NULL ? p->metrics_listen : NULL;

    if ((fresh == NULL) != (m.listen == NULL) || (fresh != NULL && strcmp(fresh, m.listen) != 0))
        log_msg(LOG_WARNING, NULL, "metrics_listen changed; restart officialmail-milter to apply");
    policy_unref(p);
}

/* metrics_reload - success or failure; the load time of a good one. */
void metrics_reload(int ok)
{
    if (ok)
        metrics_pinned();
    if (!metrics_on())
        return;
    prom_inc(ok ? &m.reloads_ok : &m.reloads_failed);
    if (ok)
        prom_gauge_set(&m.loaded_at, (int64_t)time(NULL));
}

/* metrics_session - open connections. */
void metrics_session(int delta)
{
    if (!metrics_on())
        return;
    prom_gauge_add(&m.sessions, delta);
    if (delta > 0)
        prom_inc(&m.sessions_total);
}

/* metrics_dns - the resolver's observer. */
static void metrics_dns(enum dns_kind kind, enum dns_status st, double seconds)
{
    prom_inc(&m.dns[kind][st]);
    prom_observe(&m.dns_seconds, seconds);
}

/* metrics_commit - the writer's observer: latency of each attempt, and failures. */
static void metrics_commit(double seconds, int ok)
{
    prom_observe(&m.commit_seconds, seconds);
    if (!ok)
        prom_inc(&m.log_errors);
}

/* metrics_health - what /healthz says. */
static int metrics_health(void *arg, char *reason, size_t len)
{
    struct policy *p = holder_get();
    size_t depth;
    int failing;

    (void)arg;
    writer_status(m.w, &depth, &failing);
    if (p == NULL) {
        snprintf(reason, len, "policy not loaded");
        return 1;
    }
    policy_unref(p);
    if (failing) {
        snprintf(reason, len, "log writer failed");
        return 1;
    }
    if (depth > METRICS_QUEUE_HIGH_WATER) {
        snprintf(reason, len, "log queue above high-water mark (%zu records queued, mark %d)",
                 depth, METRICS_QUEUE_HIGH_WATER);
        return 1;
    }
    return 0;
}

/* metrics_render_mail - messages, violations, recipients, errors. */
static void metrics_render_mail(struct prom_out *o)
{
    char l[160];

    prom_head(o, "officialmail_messages_total", "counter",
              "Messages answered at end of message, by the message's action.");
    for (int i = 0; i < NACTIONS; i++) {
        snprintf(l, sizeof(l), "action=\"%s\"", policy_action_name(msg_actions[i]));
        prom_counter_line(o, "officialmail_messages_total", l, &m.messages[i]);
    }
    prom_head(o, "officialmail_violations_total", "counter",
              "Violation records committed to the log, by rule and action.");
    for (int r = 0; r < RULE_COUNT; r++)
        for (int a = 0; a < NVACTIONS; a++) {
            snprintf(l, sizeof(l), "rule=\"%s\",action=\"%s\"", policy_rule_name(r),
                     vaction_names[a]);
            prom_counter_line(o, "officialmail_violations_total", l, &m.violations[r][a]);
        }
    prom_head(o, "officialmail_department_violations_total", "counter",
              "Violation records committed to the log, by department.");
    for (size_t i = 0; i < DEPT_SLOTS; i++) {
        char *name = atomic_load_explicit(&m.depts[i].name, memory_order_acquire);
        if (name == NULL)
            continue;
        prom_printf(o, "officialmail_department_violations_total{department=\"");
        prom_label_value(o, name);
        prom_printf(o, "\"} %llu\n", (unsigned long long)atomic_load(&m.depts[i].n.v));
    }
    prom_counter_line(o, "officialmail_department_violations_total", "department=\"(other)\"",
                      &m.dept_other);
    prom_head(o, "officialmail_recipients_refused_total", "counter",
              "Recipients refused 550 at RCPT by the policy.");
    prom_counter_line(o, "officialmail_recipients_refused_total", NULL, &m.refused);
    prom_head(o, "officialmail_recipients_over_limit_total", "counter",
              "Recipients answered 452 past max_recipients.");
    prom_counter_line(o, "officialmail_recipients_over_limit_total", NULL, &m.over_limit);
    prom_head(o, "officialmail_internal_errors_total", "counter",
              "Replies per on_internal_error, by kind of error.");
    for (int k = 0; k < METRICS_ERR_COUNT; k++) {
        snprintf(l, sizeof(l), "kind=\"%s\"", error_names[k]);
        prom_counter_line(o, "officialmail_internal_errors_total", l, &m.errors[k]);
    }
}

/* metrics_render_log - the violation log's writer. */
static void metrics_render_log(struct prom_out *o)
{
    size_t depth;
    int failing;

    writer_status(m.w, &depth, &failing);
    prom_head(o, "officialmail_log_queue_depth", "gauge",
              "Violation records queued for the log or being committed.");
    prom_value_line(o, "officialmail_log_queue_depth", NULL, (double)depth);
    prom_head(o, "officialmail_log_queue_high_water", "gauge",
              "Queued records above which /healthz answers 503.");
    prom_value_line(o, "officialmail_log_queue_high_water", NULL, METRICS_QUEUE_HIGH_WATER);
    prom_head(o, "officialmail_log_failing", "gauge",
              "1 while the violation log cannot be written (until a commit succeeds).");
    prom_value_line(o, "officialmail_log_failing", NULL, failing);
    prom_head(o, "officialmail_log_records_total", "counter",
              "Violation records committed since the start.");
    prom_value_line(o, "officialmail_log_records_total", NULL, (double)writer_committed(m.w));
    prom_head(o, "officialmail_log_commit_seconds", "histogram",
              "Time of each commit attempt of the violation log.");
    prom_hist_lines(o, "officialmail_log_commit_seconds", &m.commit_seconds);
    prom_head(o, "officialmail_log_errors_total", "counter",
              "Commit attempts of the violation log that failed.");
    prom_counter_line(o, "officialmail_log_errors_total", NULL, &m.log_errors);
}

/* metrics_render_dns - lookups by kind and result, and their latency. */
static void metrics_render_dns(struct prom_out *o)
{
    char l[96];

    prom_head(o, "officialmail_dns_lookups_total", "counter",
              "DNS queries of the SPF and DKIM checks, by kind and result.");
    for (int k = 0; k < DNS_KINDS; k++)
        for (int s = 0; s < DNS_STATUSES; s++) {
            snprintf(l, sizeof(l), "kind=\"%s\",result=\"%s\"", dns_kind_name(k),
                     dns_status_name(s));
            prom_counter_line(o, "officialmail_dns_lookups_total", l, &m.dns[k][s]);
        }
    prom_head(o, "officialmail_dns_seconds", "histogram", "Time of each DNS query.");
    prom_hist_lines(o, "officialmail_dns_seconds", &m.dns_seconds);
}

/* metrics_render - the whole exposition. */
static void metrics_render(void *arg, struct prom_out *o)
{
    char reason[256];

    (void)arg;
    metrics_render_mail(o);
    metrics_render_log(o);
    metrics_render_dns(o);
    prom_head(o, "officialmail_policy_reloads_total", "counter",
              "Configuration reloads (SIGHUP), by result.");
    prom_counter_line(o, "officialmail_policy_reloads_total", "result=\"success\"", &m.reloads_ok);
    prom_counter_line(o, "officialmail_policy_reloads_total", "result=\"failure\"",
                      &m.reloads_failed);
    prom_head(o, "officialmail_policy_loaded_timestamp_seconds", "gauge",
              "When the policy in force was loaded (Unix time).");
    prom_gauge_line(o, "officialmail_policy_loaded_timestamp_seconds", NULL, &m.loaded_at);
    prom_head(o, "officialmail_milter_sessions", "gauge", "Milter connections open now.");
    prom_gauge_line(o, "officialmail_milter_sessions", NULL, &m.sessions);
    prom_head(o, "officialmail_milter_sessions_total", "counter",
              "Milter connections opened since the start.");
    prom_counter_line(o, "officialmail_milter_sessions_total", NULL, &m.sessions_total);
    prom_head(o, "officialmail_healthy", "gauge", "1 when /healthz answers ok, else 0.");
    prom_value_line(o, "officialmail_healthy", NULL,
                    metrics_health(NULL, reason, sizeof(reason)) == 0);
    prom_head(o, "officialmail_build_info", "gauge", "The version of officialmail-milter.");
    prom_printf(o, "officialmail_build_info{version=\"");
    prom_label_value(o, PACKAGE_VERSION);
    prom_printf(o, "\"} 1\n");
}

/* metrics_start - counters on, observers in, the server up. */
int metrics_start(const char *listen, struct writer *w, char *err, size_t errlen)
{
    struct metrics_http_handlers h = {metrics_render, metrics_health, NULL};

    m.w = w;
    if ((m.listen = strdup(listen)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    prom_hist_init(&m.commit_seconds, commit_bounds, sizeof(commit_bounds) / sizeof(double));
    prom_hist_init(&m.dns_seconds, dns_bounds, sizeof(dns_bounds) / sizeof(double));
    prom_gauge_set(&m.loaded_at, (int64_t)time(NULL));
    dns_set_observer(metrics_dns);
    writer_on_attempt(w, metrics_commit);
    atomic_store(&m.on, 1);
    if ((m.http = metrics_http_start(listen, &h, err, errlen)) == NULL)
        return -1;
    return 0;
}

/* metrics_stop - the server down; the counters stay (nothing reads them). */
void metrics_stop(void)
{
    metrics_http_stop(m.http);
    m.http = NULL;
    free(m.listen);
    m.listen = NULL;
}
