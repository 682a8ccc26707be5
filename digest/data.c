/*
 * digest_data - one pass over the log for every digest of the run.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "identity.h"
#include "strtab.h"

/* Counting table of keys (senders, addresses): strtab maps a key to its slot. */
struct digest_tally {
    struct strtab *index;
    struct digest_top *v;
    size_t n, cap;
};

static const char *const action_names[DA_COUNT] = {"reject", "quarantine", "tag",
                                                   "log",    "exempt",     "other"};

/* digest_action_name - "other" past the known ones. */
const char *digest_action_name(int a)
{
    return a >= 0 && a < DA_COUNT ? action_names[a] : "other";
}

/* digest_rule_name - the rule's name, "other" for a value the log holds that we do not know. */
const char *digest_rule_name(int r)
{
    return r >= 0 && r < RULE_COUNT ? policy_rule_name((enum om_rule)r) : "other";
}

/* data_action - the action slot of a logged action name. */
static int data_action(const char *s)
{
    for (int a = 0; a < DA_OTHER; a++)
        if (strcmp(action_names[a], s) == 0)
            return a;
    return DA_OTHER;
}

/* data_rule - the rule slot of a logged rule name. */
static int data_rule(const char *s)
{
    int r = policy_rule_from_name(s);

    return r >= 0 ? r : RULE_COUNT;
}

/* tally_new - an empty counting table, or NULL. */
static struct digest_tally *tally_new(void)
{
    struct digest_tally *t = calloc(1, sizeof(*t));

    if (t != NULL && (t->index = strtab_new()) == NULL) {
        free(t);
        t = NULL;
    }
    return t;
}

/* tally_free - the table and its keys; NULL ok. */
static void tally_free(struct digest_tally *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].key);
    free(t->v);
    strtab_free(t->index);
    free(t);
}

/* tally_add - count KEY once more; 0 or -1 (out of memory). */
static int tally_add(struct digest_tally *t, const char *key)
{
    size_t len = strlen(key);
    int slot;

    if (strtab_get(t->index, key, len, &slot) != NULL) {
        t->v[slot].n++;
        return 0;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct digest_top *nv = realloc(t->v, cap * sizeof(*nv));
        if (nv == NULL)
            return -1;
        t->v = nv;
        t->cap = cap;
    }
    if ((t->v[t->n].key = strdup(key)) == NULL)
        return -1;
    if (strtab_put(t->index, key, len, (int)t->n) < 0) {
        free(t->v[t->n].key);
        return -1;
    }
    t->v[t->n++].n = 1;
    return 0;
}

/* top_cmp - most first, then by key so that the order is stable across runs. */
static int top_cmp(const void *a, const void *b)
{
    const struct digest_top *x = a, *y = b;

    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* tally_top - move the DIGEST_TOP largest counts of T into OUT (*N); T is freed. */
static void tally_top(struct digest_tally *t, struct digest_top *out, size_t *n)
{
    *n = 0;
    if (t == NULL)
        return;
    if (t->n > 0) /* qsort's array may not be NULL, even for no elements */
        qsort(t->v, t->n, sizeof(*t->v), top_cmp);
    for (size_t i = 0; i < t->n && i < DIGEST_TOP; i++) {
        out[(*n)++] = t->v[i];
        t->v[i].key = NULL; /* given to OUT */
    }
    tally_free(t);
}

/* data_dept_init - entry DP named NAME; 0 or -1 (out of memory). */
static int data_dept_init(struct digest_dept *dp, const char *name, int config_index, int ndays)
{
    memset(dp, 0, sizeof(*dp));
    dp->config_index = config_index;
    dp->name = strdup(name);
    dp->per_day = calloc((size_t)ndays, sizeof(*dp->per_day));
    dp->senders = tally_new();
    dp->addresses = tally_new();
    return dp->name && dp->per_day && dp->senders && dp->addresses ? 0 : -1;
}

/* data_event_free - the strings of E. */
static void data_event_free(struct digest_event *e)
{
    free(e->time), free(e->sender), free(e->address), free(e->rule);
    free(e->action), free(e->subject), free(e->ticket);
}

/* data_dept_free - what DP owns. */
static void data_dept_free(struct digest_dept *dp)
{
    free(dp->name);
    free(dp->per_day);
    for (size_t i = 0; i < dp->ntop_senders; i++)
        free(dp->top_senders[i].key);
    for (size_t i = 0; i < dp->ntop_addresses; i++)
        free(dp->top_addresses[i].key);
    for (size_t i = 0; i < dp->nevents; i++)
        data_event_free(&dp->events[i]);
    free(dp->events);
    tally_free(dp->senders);
    tally_free(dp->addresses);
}

/* data_add_dept - append a department entry; its index, or -1. */
static int data_add_dept(struct digest_data *d, const char *name, int config_index)
{
    struct digest_dept *nd = realloc(d->depts, (d->ndepts + 1) * sizeof(*nd));

    if (nd == NULL)
        return -1;
    d->depts = nd;
    if (data_dept_init(&nd[d->ndepts], name, config_index, d->period.ndays) < 0) {
        data_dept_free(&nd[d->ndepts]);
        return -1;
    }
    /* 0: a configured name equal to default_department keeps its first entry. */
    if (strtab_put(d->names, name, strlen(name), (int)d->ndepts) < 0) {
        data_dept_free(&nd[d->ndepts]);
        return -1;
    }
    return (int)d->ndepts++;
}

/* data_sender - who sent it, as a digest names senders: envelope, else From, else "<>". */
static const char *data_sender(const struct record *r)
{
    if (r->f[RF_ENVELOPE_SENDER][0] != '\0')
        return r->f[RF_ENVELOPE_SENDER];
    if (r->f[RF_HEADER_FROM][0] != '\0')
        return r->f[RF_HEADER_FROM];
    return "<>";
}

/* data_keep_event - copy R into DP's event list (the first DIGEST_MAX_EVENTS). */
static int data_keep_event(struct digest_dept *dp, const struct record *r)
{
    struct digest_event *e;

    if (dp->nevents == DIGEST_MAX_EVENTS)
        return 0;
    if (dp->events == NULL && (dp->events = calloc(DIGEST_MAX_EVENTS, sizeof(*e))) == NULL)
        return -1;
    e = &dp->events[dp->nevents++];
    e->id = r->id;
    e->time = strdup(r->f[RF_TIME]);
    e->sender = strdup(data_sender(r));
    e->address = strdup(r->f[RF_ADDRESS]);
    e->rule = strdup(r->f[RF_RULE]);
    e->action = strdup(r->f[RF_ACTION]);
    e->subject = strdup(r->f[RF_SUBJECT]);
    e->ticket = strdup(r->f[RF_EXCEPTION_TICKET]);
    return e->time && e->sender && e->address && e->rule && e->action && e->subject && e->ticket
               ? 0
               : -1;
}

/* data_count - add R to DP: CUR says which period; events only for a department (not "all"). */
static int data_count(const struct digest_data *d, struct digest_dept *dp, const struct record *r,
                      int cur)
{
    struct digest_counts *c = cur ? &dp->cur : &dp->prev;
    int day;

    c->total++;
    c->by_rule[data_rule(r->f[RF_RULE])]++;
    c->by_action[data_action(r->f[RF_ACTION])]++;
    if (!cur)
        return 0;
    if ((day = digest_day_index(&d->period, r->f[RF_TIME])) >= 0)
        dp->per_day[day]++;
    if (tally_add(dp->senders, data_sender(r)) < 0 ||
        tally_add(dp->addresses, r->f[RF_ADDRESS][0] ? r->f[RF_ADDRESS] : "<>") < 0)
        return -1;
    return dp == &d->all ? 0 : data_keep_event(dp, r);
}

/* data_record - store_query() callback: one record of the two periods. */
static int data_record(const struct record *r, void *arg)
{
    struct digest_data *d = arg;
    const char *name = r->f[RF_DEPARTMENT];
    int cur = strcmp(r->f[RF_TIME], d->period.since) >= 0, i;

    if (strtab_get(d->names, name, strlen(name), &i) == NULL &&
        (i = data_add_dept(d, name, DIGEST_DEPT_UNKNOWN)) < 0)
        return -1;
    if (data_count(d, &d->depts[i], r, cur) < 0 || data_count(d, &d->all, r, cur) < 0)
        return -1;
    return 0;
}

/* data_lapse_dept - the department an exception's sender belongs to. */
static int data_lapse_dept(const struct policy *p, const struct exception *x)
{
    const char *at;
    int dept;

    /* A pattern that cannot be evaluated leaves the default department:
       this only says whose digest lists the lapse. */
    if (x->sender.any)
        return DIGEST_LAPSE_ANY;
    if (x->sender.domain != NULL) {
        if (identity_department(p, "", x->sender.domain, &dept) < 0)
            dept = -1;
    } else if (x->sender.address != NULL && (at = strrchr(x->sender.address, '@')) != NULL) {
        if (identity_department(p, x->sender.address, at + 1, &dept) < 0)
            dept = -1;
        if (dept < 0) /* a webmail sender: the department listing it as private */
            dept = identity_private_owner(p, x->sender.address);
    } else
        dept = -1;
    return dept >= 0 ? dept : DIGEST_DEPT_DEFAULT;
}

/* data_lapses - the exceptions that lapsed since the period began or lapse within 14 days. */
static int data_lapses(struct digest_data *d)
{
    const struct policy *p = d->policy;
    time_t horizon = d->now + (time_t)DIGEST_LAPSE_DAYS * DIGEST_DAY;

    for (size_t i = 0; i < p->nexceptions; i++) {
        const struct exception *x = &p->exceptions[i];
        struct digest_lapse *nl;

        if (!x->has_expires || x->expires_end <= d->period.start || x->expires_end > horizon)
            continue;
        if ((nl = realloc(d->lapses, (d->nlapses + 1) * sizeof(*nl))) == NULL)
            return -1;
        d->lapses = nl;
        nl = &nl[d->nlapses++];
        nl->x = x;
        nl->lapsed = x->expires_end <= d->now;
        nl->days = nl->lapsed ? (d->now - x->expires_end) / DIGEST_DAY
                              : (x->expires_end - d->now + DIGEST_DAY - 1) / DIGEST_DAY;
        nl->dept = data_lapse_dept(p, x);
    }
    return 0;
}

/* data_setup - the configured departments and the default one, before the records. */
static int data_setup(struct digest_data *d)
{
    const struct policy *p = d->policy;
    int i;

    if ((d->names = strtab_new()) == NULL)
        return -1;
    if (data_dept_init(&d->all, "", DIGEST_DEPT_ALL, d->period.ndays) < 0)
        return -1;
    for (size_t k = 0; k < p->ndepartments; k++)
        if (data_add_dept(d, p->departments[k].name, (int)k) < 0)
            return -1;
    if (strtab_get(d->names, p->default_department, strlen(p->default_department), &i) == NULL &&
        (i = data_add_dept(d, p->default_department, DIGEST_DEPT_DEFAULT)) < 0)
        return -1;
    d->default_index = (size_t)i;
    return 0;
}

/* data_finish - the top lists of every department, once all records are in. */
static void data_finish(struct digest_data *d)
{
    for (size_t i = 0; i <= d->ndepts; i++) {
        struct digest_dept *dp = i < d->ndepts ? &d->depts[i] : &d->all;
        tally_top(dp->senders, dp->top_senders, &dp->ntop_senders);
        tally_top(dp->addresses, dp->top_addresses, &dp->ntop_addresses);
        dp->senders = dp->addresses = NULL;
    }
}

/* data_chain - verify the hash chain now, so that the digest can say whether it held. */
static void data_chain(struct digest_data *d, struct store *s)
{
    d->chain.status = store_verify(s, &d->chain.res);
    if (d->chain.status < 0)
        snprintf(d->chain.error, sizeof(d->chain.error), "%s", store_error(s));
}

/* digest_data_gather - departments, records, lapses, chain. */
int digest_data_gather(struct digest_data *d, const struct policy *p, struct store *s,
                       const struct digest_period *per, const char *gateway, time_t now, char *err,
                       size_t errlen)
{
    struct store_filter f = {.since = per->prev_since, .until = per->until, .gateway = gateway};

    memset(d, 0, sizeof(*d));
    d->policy = p;
    d->period = *per;
    d->now = now;
    if (data_setup(d) < 0 || data_lapses(d) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (store_query(s, &f, data_record, d) < 0) {
        snprintf(err, errlen, "cannot read the violation log: %s", store_error(s));
        return -1;
    }
    data_finish(d);
    data_chain(d, s);
    return 0;
}

/* digest_data_free - every department, the lapses, the name index. */
void digest_data_free(struct digest_data *d)
{
    for (size_t i = 0; i < d->ndepts; i++)
        data_dept_free(&d->depts[i]);
    free(d->depts);
    data_dept_free(&d->all);
    free(d->lapses);
    strtab_free(d->names);
    memset(d, 0, sizeof(*d));
}

/* rank_cmp - by violations in the period, then name; CTX is the department array. */
static int rank_cmp(const void *a, const void *b, void *ctx)
{
    const struct digest_dept *v = ctx, *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];

    if (x->cur.total != y->cur.total)
        return x->cur.total > y->cur.total ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* digest_data_rank - the compliance table's order. */
size_t digest_data_rank(const struct digest_data *d, size_t *order)
{
    size_t n = 0;

    for (size_t i = 0; i < d->ndepts; i++)
        if (i != d->default_index)
            order[n++] = i;
    qsort_r(order, n, sizeof(*order), rank_cmp, d->depts);
    return n;
}

/* digest_lapse_applies - the compliance digest takes all; a department its own and "*". */
int digest_lapse_applies(const struct digest_lapse *l, const struct digest_dept *dp)
{
    if (dp == NULL || dp->config_index == DIGEST_DEPT_ALL)
        return 1;
    return l->dept == DIGEST_LAPSE_ANY || l->dept == dp->config_index;
}
