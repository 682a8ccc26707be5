/*
 * alert_metrics - the alert daemon's counters and health.
 */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert_metrics.h"
#include "http.h"
#include "prom.h"

static struct {
    const struct policy *p;
    struct prom_counter *sent; /* one per alert rule */
    struct prom_counter failed_rounds, judged;
    struct prom_gauge last_ok;
    pthread_mutex_t lock;
    char last_error[256]; /* "" when the last round succeeded */
    struct metrics_http *http;
} am = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* alert_metrics_render - the exposition. */
static void alert_metrics_render(void *arg, struct prom_out *o)
{
    (void)arg;
    prom_head(o, "officialmail_alerts_sent_total", "counter", "Alerts sent, by alert rule.");
    for (size_t i = 0; i < am.p->nalert_rules; i++) {
        prom_printf(o, "officialmail_alerts_sent_total{alert=\"");
        prom_label_value(o, am.p->alert_rules[i].name);
        prom_printf(o, "\"} %llu\n", (unsigned long long)atomic_load(&am.sent[i].v));
    }
    prom_head(o, "officialmail_alert_failed_rounds_total", "counter",
              "Rounds that could not read the log or deliver an alert.");
    prom_counter_line(o, "officialmail_alert_failed_rounds_total", NULL, &am.failed_rounds);
    prom_head(o, "officialmail_alert_records_judged_total", "counter",
              "Records read after the alert rules' cursors.");
    prom_counter_line(o, "officialmail_alert_records_judged_total", NULL, &am.judged);
    prom_head(o, "officialmail_alert_last_success_timestamp_seconds", "gauge",
              "When the last round succeeded (Unix time; 0: never).");
    prom_gauge_line(o, "officialmail_alert_last_success_timestamp_seconds", NULL, &am.last_ok);
    prom_head(o, "officialmail_build_info", "gauge", "The version of officialmail.");
    prom_printf(o, "officialmail_build_info{version=\"");
    prom_label_value(o, PACKAGE_VERSION);
    prom_printf(o, "\"} 1\n");
}

/* alert_metrics_health - unhealthy while the last round failed. */
static int alert_metrics_health(void *arg, char *reason, size_t len)
{
    int bad;

    (void)arg;
    pthread_mutex_lock(&am.lock);
    bad = am.last_error[0] != '\0';
    if (bad)
        snprintf(reason, len, "last round failed: %s", am.last_error);
    pthread_mutex_unlock(&am.lock);
    return bad;
}

/* alert_metrics_start - counters for P's rules, the server. */
int alert_metrics_start(const char *listen, const struct policy *p, char *err, size_t errlen)
{
    struct metrics_http_handlers h = {alert_metrics_render, alert_metrics_health, NULL};

    am.p = p;
    if ((am.sent = calloc(p->nalert_rules ? p->nalert_rules : 1, sizeof(*am.sent))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if ((am.http = metrics_http_start(listen, &h, err, errlen)) == NULL)
        return -1;
    return 0;
}

/* alert_metrics_stop - the server down, the counters freed. */
void alert_metrics_stop(void)
{
    metrics_http_stop(am.http);
    am.http = NULL;
    free(am.sent);
    am.sent = NULL;
}

/* alert_metrics_sent - one more for rule I. */
void alert_metrics_sent(size_t i)
{
    if (am.sent != NULL)
        prom_inc(&am.sent[i]);
}

/* alert_metrics_round - the outcome of a round. */
void alert_metrics_round(long n, const char *err)
{
    if (am.sent == NULL)
        return;
    if (n > 0)
        prom_add(&am.judged, (uint64_t)n);
    if (err != NULL)
        prom_inc(&am.failed_rounds);
    else
        prom_gauge_set(&am.last_ok, (int64_t)time(NULL));
    pthread_mutex_lock(&am.lock);
    snprintf(am.last_error, sizeof(am.last_error), "%s", err != NULL ? err : "");
    pthread_mutex_unlock(&am.lock);
}
