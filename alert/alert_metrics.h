/*
 * alert_metrics - what `officialmail alert --metrics-listen ADDR` serves:
 * officialmail_alerts_sent_total{alert} (every configured alert rule
 * exported from the start at 0), failed rounds, records judged, the time
 * of the last good round; /healthz is 503 while the last round failed.
 *
 * Thread safety: the counters are atomics (prom.h); the last error is
 * guarded by a mutex (read by the server's thread).
 */
#ifndef OM_ALERT_METRICS_H
#define OM_ALERT_METRICS_H

#include "policy.h"

/* alert_metrics_start - serve LISTEN for the alert rules of P (kept until stopped). 0 or -1. */
int alert_metrics_start(const char *listen, const struct policy *p, char *err, size_t errlen);

/* alert_metrics_stop - stop serving; NULL-safe when never started. */
void alert_metrics_stop(void);

/* alert_metrics_sent - alert rule I sent an alert. */
void alert_metrics_sent(size_t i);

/* alert_metrics_round - a round ended, judging N records; ERR NULL when it succeeded. */
void alert_metrics_round(long n, const char *err);

#endif
