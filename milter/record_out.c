/*
 * record_out - the violations of a verdict as records, handed to the
 * violation log's writer as one batch; each one's syslog line written
 * once the batch is committed.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "record.h"
#include "metrics.h"
#include "record_out.h"
#include "writer.h"

static struct writer *log_writer;

/* record_out_committed - a record's syslog line, once it is committed. */
static void record_out_committed(const struct record *r)
{
    static const char tag[] = "violation ";
    char line[8000];

    /* Made in place and handed over as it is: no second formatting pass over the line. */
    memcpy(line, tag, sizeof(tag) - 1);
    record_kv(r, line + sizeof(tag) - 1, sizeof(line) - (sizeof(tag) - 1));
    log_put(LOG_NOTICE, r->f[RF_QUEUE_ID], line);
    metrics_committed(r);
}

/* record_out_init - the violation log's writer (before threads). */
void record_out_init(struct writer *w)
{
    log_writer = w;
    if (w != NULL)
        writer_on_commit(w, record_out_committed);
}

/* record_out_context - what the records say of the message beyond the verdict. */
static struct record_context record_out_context(const struct conn_ctx *c, const struct msg_ctx *m)
{
    struct record_context rc = {.time = time(NULL),
                                .queue_id = m->queue_id,
                                .message_id = m->facts.message_id,
                                .client_ip = c->client_ip,
                                .client_name = c->client_name,
                                .auth_user = m->facts.smtp_auth_user,
                                .spf = verify_spf_text(m->verify),
                                .dkim = verify_dkim_text(m->verify),
                                .gateway = m->policy->gateway_name != NULL ? m->policy->gateway_name
                                                                           : policy_host_name(),
                                .subject_logging = m->policy->subject_logging};

    return rc;
}

/* record_out_batch - VD's violations (all, or the RCPT refusals) as one batch; WAIT for the commit.
 */
static int record_out_batch(const struct conn_ctx *c, const struct msg_ctx *m,
                            const struct verdict *vd, int rcpt_only, int wait)
{
    if (vd->nv == 0)
        return 0; /* most mail: nothing to allocate */
    struct record_context rc = record_out_context(c, m);
    struct record *recs = calloc(vd->nv, sizeof(*recs));
    size_t n = 0;

    if (recs == NULL)
        return -1;
    for (size_t i = 0; i < vd->nv; i++) {
        if (rcpt_only && !vd->v[i].at_rcpt)
            continue;
        if (record_fill(&recs[n], &rc, vd, &vd->v[i]) < 0) {
            /* Out of memory: none of them, and the message is answered per on_internal_error. */
            for (size_t k = 0; k < n; k++)
                record_clear(&recs[k]);
            free(recs);
            return -1;
        }
        n++;
    }
    if (n == 0) {
        free(recs);
        return 0;
    }
    uint64_t ticket = writer_submit(log_writer, recs, n, wait);
    if (ticket == 0)
        return -1;
    if (wait && writer_wait(log_writer, ticket, m->policy->database_timeout * 1000) < 0) {
        log_msg(LOG_ERR, m->queue_id, "the violation log did not commit within %d s",
                m->policy->database_timeout);
        return -1;
    }
    return 0;
}

/*
 * Records that may wait in the queue with their messages answered
 * (database_commit = background). Past it, or while the log cannot be
 * written, the answer waits as with before-answer (and is 451 when the
 * commit does not come): memory stays bounded, and an outage does not
 * pile up answered messages whose records a restart would lose.
 */
#define RECORD_OUT_BACKLOG 1000

/* record_out_wait - whether M's answer waits for its records. */
static int record_out_wait(const struct msg_ctx *m)
{
    size_t depth;
    int failing;

    if (m->policy->database_commit == COMMIT_BEFORE_ANSWER)
        return 1;
    writer_status(log_writer, &depth, &failing);
    return failing || depth >= RECORD_OUT_BACKLOG;
}

/* record_out_message - every violation of VD, waited for unless database_commit says background. */
int record_out_message(const struct conn_ctx *c, const struct msg_ctx *m, const struct verdict *vd)
{
    return record_out_batch(c, m, vd, 0, vd->nv > 0 && record_out_wait(m));
}

/* record_out_pending - RCPT refusals of a message that never ended. */
void record_out_pending(const struct conn_ctx *c, struct msg_ctx *m)
{
    struct message_facts f = {
        .client_ip = c->client_ip, .helo = c->helo, .now = m->started, .non_smtp = c->non_smtp};
    struct verdict v;

    if (m->nrcpt_v == 0)
        return;
    facts_view(&m->facts, &f);
    f.headers = NULL; /* judged again on the envelope alone: the same RCPT decisions */
    f.nheaders = 0;
    f.limit = NULL;
    if (verdict_judge(m->policy, &f, &v) < 0) {
        for (size_t i = 0; i < m->nrcpt_v; i++)
            log_msg(LOG_ERR, m->queue_id,
                    "out of memory: violation official-to-webmail "
                    "address=%s refused at RCPT not recorded in full",
                    m->rcpt_v[i].address);
    } else {
        /* No reply waits on these: they are queued, and committed with the next batch. */
        (void)record_out_batch(c, m, &v, 1, 0);
        verdict_clear(&v);
    }
    for (size_t i = 0; i < m->nrcpt_v; i++)
        violation_clear(&m->rcpt_v[i]);
    m->nrcpt_v = 0;
}
