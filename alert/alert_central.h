/*
 * alert_central - an alert rule judged over every gateway of the central
 * log at once (`officialmail alert --central` without --gateway): the
 * windows count the matching records of all gateways together by their
 * `time`, so that a campaign spread over several MX gateways trips one
 * alert.
 *
 * Each gateway's records have their own ids, so the rule keeps a cursor
 * per gateway (alert_follow.h). A round reads, per gateway, the matching
 * records after its cursor (NEW; a gateway without a cursor, one that
 * appeared later, from its first record), then every matching record of
 * the gateways seen whose time lies within a window of a new one, and
 * judges each window that holds a new record: gateways ship late and out
 * of step, so a new record may complete a window that ends in an older
 * gateway's records. A window that alerted is remembered by its record
 * time (alert_follow_fired): a window ending within alert_interval of one
 * that alerted, before or after it, does not alert again. The cursors
 * move only at the end of the round; an alert fired during it is stored
 * with its fired time, so that a crash repeats the round without
 * repeating the alert.
 *
 * Ownership: borrows everything. Thread safety: as the pgstore.
 */
#ifndef OM_ALERT_CENTRAL_H
#define OM_ALERT_CENTRAL_H

#include <stddef.h>

#include "alert_eval.h"
#include "alert_follow.h"

struct pgstore;

/* How many new records a round reads at most (over all gateways). */
#define ALERT_CENTRAL_BATCH 10000

/*
 * alert_central_start - F's cursors at the end of every gateway's
 * records (an alert rule seen for the first time starts there). 0, or
 * -1 with ERR.
 */
int alert_central_start(struct pgstore *pg, struct alert_follow *f, char *err, size_t errlen);

/*
 * alert_central_eval - one round of rule A (alert_interval INTERVAL
 * seconds) from F's cursors; FIRE is called for each alert with &F->row,
 * F's fired times and last_alert already holding it (FIRE stores F).
 * Then F's cursors move past the records judged. Returns the number of
 * new records judged, or -1 with ERR (F's cursors unmoved).
 */
long alert_central_eval(struct pgstore *pg, const struct alert_rule *a, long interval,
                        struct alert_follow *f, alert_fire_fn fire, void *arg, char *err,
                        size_t errlen);

#endif
