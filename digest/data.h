/*
 * digest_data - what the digests say, gathered from the violation log in
 * one pass: per department (and for the whole organisation) the counts
 * of the period and of the previous one, by rule and by action, per day,
 * the senders and addresses with most violations and the period's
 * events; the exceptions that lapsed or lapse soon; whether the log's
 * hash chain verified.
 *
 * Departments are the configured ones in file order, then
 * default_department (the unassigned events), then any name the log
 * holds that the configuration no longer has (a department renamed or
 * removed), so that no event is left out of the compliance digest.
 *
 * Returns: 0 / -1 (with the reason in ERR); digest_lapse_applies() 1 / 0;
 * digest_data_rank() a count.
 *
 * Ownership: a struct digest_data owns everything it points to except
 * the policy, which it borrows (digest_data_free()).
 * Thread safety: none needed (the command is single-threaded).
 */
#ifndef OM_DIGEST_DATA_H
#define OM_DIGEST_DATA_H

#include <stddef.h>

#include "period.h"
#include "policy.h"
#include "store.h"

#define DIGEST_TOP 10        /* senders and addresses listed */
#define DIGEST_MAX_EVENTS 50 /* events listed, the rest counted */
#define DIGEST_LAPSE_DAYS 14 /* exceptions lapsing within this many days are listed */

/* Actions as the log records them, strongest first, then anything else. */
enum digest_action { DA_REJECT, DA_QUARANTINE, DA_TAG, DA_LOG, DA_EXEMPT, DA_OTHER, DA_COUNT };
#define DIGEST_RULES (RULE_COUNT + 1) /* the four rules, then anything else */

/* Where a department of the digest comes from (digest_dept.config_index when negative). */
#define DIGEST_DEPT_DEFAULT (-1) /* default_department: the unassigned events */
#define DIGEST_DEPT_UNKNOWN (-2) /* in the log, no longer in the configuration */
#define DIGEST_DEPT_ALL (-3)     /* the whole organisation */

/* Applies to every department: an exception whose sender is "*". */
#define DIGEST_LAPSE_ANY (-2)

struct digest_top {
    char *key;
    long long n;
};

struct digest_event {
    long long id;
    char *time, *sender, *address, *rule, *action, *subject, *ticket;
};

struct digest_counts {
    long long total;
    long long by_rule[DIGEST_RULES];
    long long by_action[DA_COUNT];
};

struct digest_tally;

struct digest_dept {
    char *name;
    int config_index; /* index in policy->departments, or DIGEST_DEPT_* */
    struct digest_counts cur, prev;
    long long reviewed; /* records of the period with a reviewer's mark (digest_data_reviewed) */
    long long *per_day; /* period.ndays counts */
    struct digest_top top_senders[DIGEST_TOP], top_addresses[DIGEST_TOP];
    size_t ntop_senders, ntop_addresses;
    struct digest_event *events; /* the first DIGEST_MAX_EVENTS of the period */
    size_t nevents;
    struct digest_tally *senders, *addresses; /* while gathering */
};

struct digest_lapse {
    const struct exception *x;
    int lapsed;     /* 1: lapsed since the period began; 0: lapses within DIGEST_LAPSE_DAYS */
    long long days; /* days since it lapsed, or until it lapses (rounded up) */
    int dept;       /* the sender's department index, DIGEST_DEPT_DEFAULT, or DIGEST_LAPSE_ANY */
};

struct digest_chain {
    int status; /* 0 verified, 1 broken, -1 could not be checked */
    struct chain_verify_result res;
    char error[256]; /* when -1 */
};

struct digest_data {
    const struct policy *policy; /* borrowed */
    struct digest_period period;
    time_t now;
    struct digest_dept *depts;
    size_t ndepts;
    size_t default_index; /* the default_department's entry in depts */
    struct digest_dept all;
    struct digest_lapse *lapses;
    size_t nlapses;
    struct digest_chain chain;
    struct strtab *names; /* department name -> index in depts, while gathering */
};

/*
 * digest_data_gather - read the period and the previous one from S (only
 * GATEWAY's records when not NULL) and check the hash chain, at time NOW.
 * 0, or -1 with the reason in ERR (ERRLEN bytes); D is to be freed
 * either way.
 */
int digest_data_gather(struct digest_data *d, const struct policy *p, struct store *s,
                       const struct digest_period *per, const char *gateway, time_t now, char *err,
                       size_t errlen);

/*
 * digest_data_reviewed - each department's records of the period that
 * carry a review mark (reviewed, false-positive, escalated), read from
 * the marks of the log at PATH (none when it has no marks table). 0, or
 * -1 with the reason in ERR (digest_reviewed.c).
 */
int digest_data_reviewed(struct digest_data *d, const char *path, char *err, size_t errlen);

/*
 * digest_data_reviewed_in - the same from the open log RV (the central
 * log's marks through review_pg.h), only GATEWAY's records when not NULL.
 */
struct review;
int digest_data_reviewed_in(struct digest_data *d, struct review *rv, const char *gateway,
                            char *err, size_t errlen);

/* digest_data_free - release what D owns. */
void digest_data_free(struct digest_data *d);

/*
 * digest_data_rank - ORDER (room for d->ndepts) = the departments other
 * than the default one, most violations in the period first, ties by
 * name. Returns how many.
 */
size_t digest_data_rank(const struct digest_data *d, size_t *order);

/* digest_lapse_applies - 1 when lapse L belongs in the digest of DP (every one for the compliance
 * digest). */
int digest_lapse_applies(const struct digest_lapse *l, const struct digest_dept *dp);

/* digest_action_name, digest_rule_name - the names a count is shown under. */
const char *digest_action_name(int a);
const char *digest_rule_name(int r);

#endif
