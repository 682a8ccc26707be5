/*
 * alert_window - what an alert rule's window is made of: the matching
 * records it keeps (time, sender, address, department, gateway), read
 * through store_query() with the rule's filter, and the alert built from
 * a run of them (counts, tops, departments, gateways). Shared by the
 * local and --gateway window (alert_eval.c) and the all-gateways one of
 * the central log (alert_central.c).
 *
 * Ownership: entries own their strings; a hit borrows the rule and the
 * entries, and owns the arrays freed by alert_hit_free().
 * Thread safety: reentrant.
 */
#ifndef OM_ALERT_WINDOW_H
#define OM_ALERT_WINDOW_H

#include <stddef.h>
#include <time.h>

#include "policy.h"
#include "store.h"

#define ALERT_TOP 5
#define ALERT_STAMP 32

/* An address (or gateway) and how many of the window's records name it. */
struct alert_top {
    const char *value;
    long count;
};

/* One alert: what tripped, over which records. */
struct alert_hit {
    const struct alert_rule *rule;
    long count;
    char first[ALERT_STAMP], last[ALERT_STAMP]; /* times of the first and last record counted */
    long long last_id;
    time_t last_time;
    struct alert_top senders[ALERT_TOP], addresses[ALERT_TOP];
    size_t nsenders, naddresses;
    const char **departments; /* distinct, of the records counted */
    size_t ndepartments;
    struct alert_top *gateways; /* every gateway of the records counted, by name */
    size_t ngateways;
};

/* What the window keeps of a record. */
struct alert_entry {
    long long id;
    time_t t;
    char *stamp, *sender, *address, *department, *gateway;
    int fresh; /* not judged before (alert_central.c) */
};

struct alert_entries {
    struct alert_entry *v;
    size_t n, cap, max; /* max: stop reading after that many (0: no limit) */
    long long upto;     /* stop at an id above it (0: no limit) */
    int oom;
};

/* alert_entries_add - keep what R says (a store_query callback); 1 stops the query. */
int alert_entries_add(const struct record *r, void *arg);

/* alert_entries_free - every kept string and the array. */
void alert_entries_free(struct alert_entries *e);

/* alert_entries_read - the records of filter F into E; -1 with ERR. */
int alert_entries_read(struct store *s, const struct store_filter *f, struct alert_entries *e,
                       char *err, size_t errlen);

/* alert_rule_filter - the records rule A counts. */
struct store_filter alert_rule_filter(const struct alert_rule *a);

/* alert_hit_fill - the hit of rule A over W[FROM..TO]; -1 when out of memory (nothing held). */
int alert_hit_fill(struct alert_hit *h, const struct alert_rule *a, const struct alert_entry *w,
                   size_t from, size_t to);

/* alert_hit_free - the arrays of H. */
void alert_hit_free(struct alert_hit *h);

/* alert_parse_stamp - a record time "YYYY-MM-DDTHH:MM:SSZ" as time_t; -1 when malformed. */
time_t alert_parse_stamp(const char *stamp);

/* alert_format_stamp - T as a record time into OUT (ALERT_STAMP bytes). */
void alert_format_stamp(time_t t, char *out);

#endif
