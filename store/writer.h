/*
 * writer - the one thread that writes violation records, in batches.
 *
 * Purpose: the milter's threads hand over the records of a message and
 * wait (bounded) until they are committed before answering end of
 * message; everything queued is committed in one transaction (group
 * commit). The writer thread commits what nobody waits for and retries
 * failures; a waiting session that finds nobody committing commits the
 * queue itself, which spares two thread switches a message when the log
 * is not busy (measured: the difference between 0.81 and 0.9 of a
 * trivial milter's throughput on two cores).
 * When the database cannot be written (disk full, locked, unwritable),
 * records stay queued and the writer retries with a growing pause,
 * saying in the log when it fails and when it recovers; waiters give up
 * at their timeout, and the milter answers per on_internal_error.
 *
 * Returns: 0 / -1; writer_submit() a ticket, 0 when out of memory.
 *
 * Ownership: writer_submit() takes the records (their strings) over.
 * Thread safety: every function may be called from any thread.
 */
#ifndef OM_WRITER_H
#define OM_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct writer;

/* Messages of the writer (errors and recoveries); PRIORITY as syslog(3). */
typedef void (*writer_log_fn)(int priority, const char *msg);

/* Told of each record once its transaction committed (id and hash set). */
typedef void (*writer_record_fn)(const struct record *r);

/*
 * writer_new - open the database at PATH for writing and start the
 * thread. A database that cannot be opened yet is logged and tried again
 * at every batch. NULL only when the thread cannot start (ERR says why).
 */
struct writer *writer_new(const char *path, writer_log_fn log, char *err, size_t errlen);

/*
 * writer_on_commit - FN is called for every record after its commit, in
 * the committing thread, before any waiter is woken: a record's syslog
 * line is written once, and never for a record that was not committed
 * (SPEC 5b). Set it before the first writer_submit().
 */
void writer_on_commit(struct writer *w, writer_record_fn fn);

/*
 * writer_submit - queue N records (taken over, the array too: allocate it
 * with malloc). WILL_WAIT: the caller calls writer_wait() next, which
 * commits in the caller's thread when nobody else is committing; else
 * the writer thread is woken. Returns the ticket to wait for, or 0 when
 * out of memory (the records are then freed).
 */
uint64_t writer_submit(struct writer *w, struct record *recs, size_t n, int will_wait);

/*
 * writer_wait - wait until TICKET is committed: 0; -1 when TIMEOUT_MS
 * passed first (the batch is then withdrawn if the writer has not taken
 * it yet, so that a retried message is not recorded twice).
 */
int writer_wait(struct writer *w, uint64_t ticket, int timeout_ms);

/* writer_committed - records committed since the start (for tests and logs). */
uint64_t writer_committed(struct writer *w);

/*
 * writer_flush - wait until what is queued is committed, for at most
 * TIMEOUT_MS; the writer goes on (used at exit while sessions may still
 * hold it).
 */
void writer_flush(struct writer *w, int timeout_ms);

/*
 * writer_free - commit what is queued (trying for at most TIMEOUT_MS),
 * stop the thread, close the database; NULL ok.
 */
void writer_free(struct writer *w, int timeout_ms);

#endif
