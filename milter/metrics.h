/*
 * metrics - what officialmail-milter counts (SPEC 10), and its
 * /metrics and /healthz (served by metrics/http.c on metrics_listen).
 *
 * Purpose: every hook is one call from the mail path and costs one
 * relaxed atomic add (or a few, for a histogram): no lock, no system
 * call, so that counting never makes a callback wait. When
 * metrics_listen is not set nothing is served and the hooks return at
 * once (metrics_start() was never called).
 *
 * Label values are fixed sets (actions, rules, DNS kinds and results,
 * error kinds), each combination exported from the start at 0.
 *
 * Thread safety: hooks from any thread; start/stop from the main thread.
 */
#ifndef OM_MILTER_METRICS_H
#define OM_MILTER_METRICS_H

#include "policy.h"

struct record;
struct writer;

/* What an internal error was: the label of officialmail_internal_errors_total. */
enum metrics_error {
    METRICS_ERR_MEMORY,     /* out of memory, a fact of the message lost */
    METRICS_ERR_LOG,        /* the violation records were not committed in time */
    METRICS_ERR_VERDICT,    /* the message could not be judged (a limit, a pattern error) */
    METRICS_ERR_QUARANTINE, /* the MTA refused the quarantine */
    METRICS_ERR_COUNT
};

/* Records queued above which /healthz says unhealthy. */
#define METRICS_QUEUE_HIGH_WATER 5000

/*
 * metrics_start - count from now on and serve LISTEN ("HOST:PORT");
 * W is the violation log's writer (its queue and failures). 0, or -1
 * with the reason in ERR.
 */
int metrics_start(const char *listen, struct writer *w, char *err, size_t errlen);

/* metrics_stop - stop serving (at exit). */
void metrics_stop(void);

/* metrics_message - one message answered at end of message with action A (test --json's). */
void metrics_message(enum om_action a);

/* metrics_committed - one violation record committed (its rule and action). */
void metrics_committed(const struct record *r);

/* metrics_refused - one recipient refused 550 at RCPT by the policy. */
void metrics_refused(void);

/* metrics_over_limit - one recipient answered 452 past max_recipients. */
void metrics_over_limit(void);

/* metrics_internal_error - one reply per on_internal_error, of kind K. */
void metrics_internal_error(enum metrics_error k);

/* metrics_reload - one SIGHUP reload, OK or not (the policy's load time when OK). */
void metrics_reload(int ok);

/* metrics_session - a milter connection opened (+1) or closed (-1). */
void metrics_session(int delta);

#endif
