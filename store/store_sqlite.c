/*
 * store_sqlite - the violation log in one SQLite database (WAL mode).
 *
 * Durability: WAL with synchronous=NORMAL. A committed transaction is in
 * the write-ahead log before the milter answers, so it survives a crash
 * or SIGKILL of the milter (SPEC 6; tests/milter/crash.sh); the log is
 * synced to disk at checkpoints, so a power failure can lose the last
 * few hundred milliseconds. synchronous=FULL would sync every commit:
 * measured here, ~3.5 ms each, which caps a single session at ~280
 * violating messages a second (BENCHMARKS.md).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Statements of the write path, prepared once: compiling SQL was most of
   the cost of a small transaction. */
enum store_stmt { ST_BEGIN, ST_COMMIT, ST_HEAD, ST_SET_HEAD, ST_COUNT };

struct store {
    sqlite3 *db;
    sqlite3_stmt *insert;
    sqlite3_stmt *stmt[ST_COUNT];
    char error[512];
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_HEAD] = "SELECT (SELECT value FROM meta WHERE key = 'head_id'),"
                " (SELECT value FROM meta WHERE key = 'head_hash')",
    [ST_SET_HEAD] = "UPDATE meta SET value = CASE key WHEN 'head_id' THEN ?1"
                    " WHEN 'head_hash' THEN ?2 ELSE CAST(value AS INTEGER) + ?3 END"
                    " WHERE key IN ('head_id', 'head_hash', 'count')",
};

/* Forward migrations: MIGRATIONS[i] takes schema version i to i + 1. */
static const char *const migrations[] = {
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE violations (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
    " queue_id TEXT NOT NULL, message_id TEXT NOT NULL, rule TEXT NOT NULL,"
    " reasons TEXT NOT NULL, action TEXT NOT NULL, intended_action TEXT NOT NULL,"
    " mode TEXT NOT NULL, exception_ticket TEXT NOT NULL, department TEXT NOT NULL,"
    " envelope_sender TEXT NOT NULL, header_from TEXT NOT NULL, address TEXT NOT NULL,"
    " recipients TEXT NOT NULL, client_ip TEXT NOT NULL, client_name TEXT NOT NULL,"
    " auth_user TEXT NOT NULL, spf TEXT NOT NULL, dkim TEXT NOT NULL, subject TEXT NOT NULL,"
    " gateway TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX violations_time ON violations (time);"
    "CREATE INDEX violations_department ON violations (department, time);"
    "CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
    " through_id INTEGER NOT NULL, removed INTEGER NOT NULL, last_hash TEXT NOT NULL);"
    "INSERT INTO meta VALUES ('schema_version', '0'), ('head_id', '0'),"
    " ('head_hash', '" ZERO_HASH "'), ('count', '0');",
};
#define SCHEMA_VERSION (int)(sizeof(migrations) / sizeof(migrations[0]))

/* store_fail - remember what went wrong; returns -1. */
static int store_fail(struct store *s, const char *what)
{
    snprintf(s->error, sizeof(s->error), "%s: %s", what, sqlite3_errmsg(s->db));
    return -1;
}

/* store_error - the last error. */
const char *store_error(const struct store *s)
{
    return s->error;
}

/* store_exec - run SQL with no result rows. */
static int store_exec(struct store *s, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    snprintf(s->error, sizeof(s->error), "%s", msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return -1;
}

/* store_rollback - undo the open transaction, keeping the first error; returns -1. */
static int store_rollback(struct store *s)
{
    (void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* store_meta - the integer value of meta KEY into *V. */
static int store_meta(struct store *s, const char *key, long long *v)
{
    sqlite3_stmt *st;
    int rc = -1;

    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return store_fail(s, "reading the log's head");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        rc = 0;
    } else {
        store_fail(s, "reading the log's head");
    }
    sqlite3_finalize(st);
    return rc;
}

/* store_schema_version - 0 for a new database. */
static int store_schema_version(struct store *s, long long *v)
{
    sqlite3_stmt *st;
    int exists;

    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE name = 'meta'", -1, &st,
                           NULL) != SQLITE_OK)
        return store_fail(s, "reading the schema");
    exists = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    *v = 0;
    return exists ? store_meta(s, "schema_version", v) : 0;
}

/* store_migrate - bring the schema to SCHEMA_VERSION, one step a transaction. */
static int store_migrate(struct store *s)
{
    long long v;
    char sql[128];

    if (store_schema_version(s, &v) < 0)
        return -1;
    if (v > SCHEMA_VERSION) {
        snprintf(s->error, sizeof(s->error),
                 "the database has schema version %lld, newer than this program's %d", v,
                 SCHEMA_VERSION);
        return -1;
    }
    for (; v < SCHEMA_VERSION; v++) {
        snprintf(sql, sizeof(sql), "UPDATE meta SET value = '%lld' WHERE key = 'schema_version';",
                 v + 1);
        if (store_exec(s, "BEGIN IMMEDIATE") < 0)
            return -1;
        if (store_exec(s, migrations[v]) < 0 || store_exec(s, sql) < 0 ||
            store_exec(s, "COMMIT") < 0)
            return store_rollback(s);
    }
    return 0;
}

/* store_create_file - make PATH with mode 0640 unless it exists. */
static int store_create_file(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);

    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

/* store_open - connect, set WAL and durability, migrate, prepare the insert. */
struct store *store_open(const char *path, enum store_mode mode, int busy_ms, char *err,
                         size_t errlen)
{
    struct store *s = calloc(1, sizeof(*s));
    int flags = mode == STORE_WRITE ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;

    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (mode == STORE_WRITE && store_create_file(path, err, errlen) < 0)
        goto fail_quiet;
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        store_fail(s, path);
        goto fail;
    }
    sqlite3_busy_timeout(s->db, busy_ms);
    if (mode == STORE_WRITE) {
        if (store_exec(s, "PRAGMA journal_mode=WAL") < 0 ||
            store_exec(s, "PRAGMA synchronous=NORMAL") < 0 || store_migrate(s) < 0)
            goto fail;
        static const char insert[] =
            "INSERT INTO violations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
            "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";
        if (sqlite3_prepare_v2(s->db, insert, -1, &s->insert, NULL) != SQLITE_OK) {
            store_fail(s, "preparing the insert");
            goto fail;
        }
    } else {
        long long v;
        if (store_schema_version(s, &v) < 0)
            goto fail;
        if (v == 0) {
            snprintf(s->error, sizeof(s->error), "%s is not an officialmail violation log", path);
            goto fail;
        }
    }
    return s;
fail:
    snprintf(err, errlen, "%s", s->error);
fail_quiet:
    store_close(s);
    return NULL;
}

/* store_close - finalize and close. */
void store_close(struct store *s)
{
    if (s == NULL)
        return;
    sqlite3_finalize(s->insert);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s);
}

/* store_stmt - statement WHICH, prepared on first use and kept; reset. */
static sqlite3_stmt *store_stmt(struct store *s, enum store_stmt which)
{
    if (s->stmt[which] == NULL &&
        sqlite3_prepare_v2(s->db, stmt_sql[which], -1, &s->stmt[which], NULL) != SQLITE_OK) {
        store_fail(s, "preparing a statement");
        return NULL;
    }
    sqlite3_reset(s->stmt[which]);
    sqlite3_clear_bindings(s->stmt[which]);
    return s->stmt[which];
}

/* store_run - run statement WHICH to its end. 0 or -1. */
static int store_run(struct store *s, enum store_stmt which, const char *what)
{
    sqlite3_stmt *st = store_stmt(s, which);

    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, what);
    sqlite3_reset(st);
    return rc;
}

/* store_head - the last id and hash of the chain. */
static int store_head(struct store *s, long long *id, char hash[RECORD_HASH_HEX])
{
    sqlite3_stmt *st = store_stmt(s, ST_HEAD);
    int rc = -1;

    if (st == NULL)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
        sqlite3_column_bytes(st, 1) == RECORD_HASH_HEX - 1) {
        *id = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_text(st, 1), RECORD_HASH_HEX);
        rc = 0;
    } else {
        snprintf(s->error, sizeof(s->error), "the log's head is missing or malformed");
    }
    sqlite3_reset(st);
    return rc;
}

/* store_insert - one chained record. */
static int store_insert(struct store *s, struct record *r)
{
    sqlite3_stmt *st = s->insert;

    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, r->id);
    for (int i = 0; i < RF_COUNT; i++)
        sqlite3_bind_text(st, i + 2, r->f[i] ? r->f[i] : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, RF_COUNT + 2, r->prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, RF_COUNT + 3, r->hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return store_fail(s, "writing a record");
    return 0;
}

/* store_set_head - the new head in meta, and the count. */
static int store_set_head(struct store *s, long long id, const char *hash, long long added)
{
    sqlite3_stmt *st = store_stmt(s, ST_SET_HEAD);

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, added);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, "updating the log's head");
    sqlite3_reset(st);
    return rc;
}

#ifdef OM_FAULT_HOOKS
/*
 * store_fault - tests only (never in an installed binary): the second
 * record of a message whose queue id is $OFFICIALMAIL_FAULT_QUEUE_ID
 * fails to insert, as a full disk would make it fail, so that a test can
 * show that a message's records are committed together or not at all.
 */
static int store_fault(struct store *s, const struct record *recs, size_t i)
{
    const char *q = getenv("OFFICIALMAIL_FAULT_QUEUE_ID");

    if (q == NULL || i == 0 || strcmp(recs[i].f[RF_QUEUE_ID], q) != 0 ||
        strcmp(recs[i - 1].f[RF_QUEUE_ID], q) != 0)
        return 0;
    snprintf(s->error, sizeof(s->error), "writing a record: injected fault (queue id %s)", q);
    return 1;
}
#else
#define store_fault(s, recs, i) 0
#endif

/* store_append - chain and insert N records in one transaction. */
int store_append(struct store *s, struct record *recs, size_t n)
{
    long long id;
    char prev[RECORD_HASH_HEX];

    if (n == 0)
        return 0;
    if (store_run(s, ST_BEGIN, "starting a transaction") < 0)
        return -1;
    if (store_head(s, &id, prev) < 0)
        return store_rollback(s);
    for (size_t i = 0; i < n; i++) {
        struct record *r = &recs[i];
        r->id = ++id;
        memcpy(r->prev_hash, prev, RECORD_HASH_HEX);
        if (record_hash(r, prev, r->hash) < 0) {
            snprintf(s->error, sizeof(s->error), "out of memory hashing a record");
            return store_rollback(s);
        }
        if (store_fault(s, recs, i) || store_insert(s, r) < 0)
            return store_rollback(s);
        memcpy(prev, r->hash, RECORD_HASH_HEX);
    }
    if (store_set_head(s, id, prev, (long long)n) < 0 || store_run(s, ST_COMMIT, "committing") < 0)
        return store_rollback(s);
    return 0;
}

/* store_row - a violations row (SELECT * order) into R (fields owned). */
static int store_row(sqlite3_stmt *st, struct record *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    for (int i = 0; i < RF_COUNT; i++) {
        const unsigned char *v = sqlite3_column_text(st, i + 1);
        if ((r->f[i] = strdup(v ? (const char *)v : "")) == NULL) {
            record_clear(r);
            return -1;
        }
    }
    const unsigned char *p = sqlite3_column_text(st, RF_COUNT + 1);
    const unsigned char *h = sqlite3_column_text(st, RF_COUNT + 2);
    snprintf(r->prev_hash, sizeof(r->prev_hash), "%s", p ? (const char *)p : "");
    snprintf(r->hash, sizeof(r->hash), "%s", h ? (const char *)h : "");
    return 0;
}

/*
 * store_where - append " AND clause" for each filter set. Every clause
 * names its one parameter by number (?N, N = its place in the list), so
 * that a value used twice is bound once; the values are only ever bound,
 * never written into the SQL. BINDS[N - 1] gets the value, or NULL.
 */
#define STORE_FILTERS 11
static void store_where(char *sql, size_t len, const struct store_filter *f,
                        const char *binds[STORE_FILTERS])
{
    const struct {
        const char *value, *clause;
    } parts[STORE_FILTERS] = {
        {f->since, " AND time >= ?1"},
        {f->until, " AND time < ?2"},
        {f->department, " AND department = ?3"},
        {f->rule, " AND rule = ?4"},
        {f->action, " AND action = ?5"},
        {f->address, " AND address = ?6"},
        {f->sender, " AND (envelope_sender = ?7 OR header_from = ?7)"},
        {f->queue_id, " AND queue_id = ?8"},
        /* A Message-ID is stored as received, in its angle brackets. */
        {f->message_id, " AND (message_id = ?9 OR message_id = '<' || ?9 || '>')"},
        {f->gateway, " AND gateway = ?10"},
        {f->after_id, " AND id > CAST(?11 AS INTEGER)"},
    };

    for (size_t i = 0; i < STORE_FILTERS; i++) {
        binds[i] = parts[i].value;
        if (parts[i].value != NULL)
            strncat(sql, parts[i].clause, len - strlen(sql) - 1);
    }
}

/* store_query - the matching records in id order. */
int store_query(struct store *s, const struct store_filter *f,
                int (*fn)(const struct record *r, void *arg), void *arg)
{
    char sql[1024] = "SELECT * FROM violations WHERE 1";
    const char *binds[STORE_FILTERS];
    int rc = 0, step;
    sqlite3_stmt *st;

    store_where(sql, sizeof(sql), f, binds);
    strncat(sql, " ORDER BY id", sizeof(sql) - strlen(sql) - 1);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, "querying the log");
    for (int i = 0; i < STORE_FILTERS; i++)
        if (binds[i] != NULL)
            sqlite3_bind_text(st, i + 1, binds[i], -1, SQLITE_STATIC);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct record r;
        if (store_row(st, &r) < 0) {
            snprintf(s->error, sizeof(s->error), "out of memory reading the log");
            rc = -1;
            break;
        }
        rc = fn(&r, arg) != 0 ? 1 : 0;
        record_clear(&r);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(s, "reading the log");
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* store_departments - the distinct names, through the department index. */
int store_departments(struct store *s, int (*fn)(const char *name, void *arg), void *arg)
{
    sqlite3_stmt *st;
    int step, rc = 0;

    if (sqlite3_prepare_v2(s->db, "SELECT DISTINCT department FROM violations ORDER BY department",
                           -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, "listing the departments");
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        rc = fn(v != NULL ? (const char *)v : "", arg) != 0;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(s, "listing the departments");
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* store_checkpoint - where the chain starts: after the last expire, or at the beginning. */
static int store_checkpoint(struct store *s, long long *through, char hash[RECORD_HASH_HEX],
                            long long *expired)
{
    sqlite3_stmt *st;
    int rc = 0;

    *through = 0;
    *expired = 0;
    memcpy(hash, ZERO_HASH, RECORD_HASH_HEX);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT through_id, last_hash, (SELECT SUM(removed) FROM checkpoints) "
                           "FROM checkpoints ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, "reading the checkpoints");
    if (sqlite3_step(st) == SQLITE_ROW) {
        *through = sqlite3_column_int64(st, 0);
        const unsigned char *h = sqlite3_column_text(st, 1);
        snprintf(hash, RECORD_HASH_HEX, "%s", h ? (const char *)h : "");
        *expired = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return rc;
}

/* store_verify_one - check R against the expected id and previous hash. */
static int store_verify_one(const struct record *r, long long want_id, const char *prev,
                            struct store_verify_result *res)
{
    char hash[RECORD_HASH_HEX];

    res->bad_id = r->id;
    if (r->id < want_id) {
        snprintf(res->problem, sizeof(res->problem), "its id is out of sequence (expected %lld)",
                 want_id);
        return 1;
    }
    if (r->id > want_id) {
        /* The first bad record is the first one absent, as for the newest (store_verify_head). */
        res->bad_id = want_id;
        if (r->id == want_id + 1)
            snprintf(res->problem, sizeof(res->problem),
                     "missing: no record has this id (the chain resumes at id %lld)", r->id);
        else
            snprintf(res->problem, sizeof(res->problem),
                     "missing: ids %lld to %lld are absent (the chain resumes at id %lld)", want_id,
                     r->id - 1, r->id);
        return 1;
    }
    if (strcmp(r->prev_hash, prev) != 0) {
        snprintf(res->problem, sizeof(res->problem),
                 "its prev_hash does not match the hash of the record before it "
                 "(a record was changed, removed, inserted or reordered)");
        return 1;
    }
    if (record_hash(r, prev, hash) < 0)
        return -1;
    if (strcmp(hash, r->hash) != 0) {
        snprintf(res->problem, sizeof(res->problem),
                 "its hash does not match its contents (the record was edited or forged)");
        return 1;
    }
    res->bad_id = 0;
    return 0;
}

struct verify_walk {
    struct store_verify_result *res;
    long long want_id;
    char prev[RECORD_HASH_HEX];
    int status;
};

/* store_verify_cb - one record of the walk. */
static int store_verify_cb(const struct record *r, void *arg)
{
    struct verify_walk *w = arg;

    w->status = store_verify_one(r, w->want_id, w->prev, w->res);
    if (w->status != 0)
        return 1;
    if (w->res->first_id == 0)
        w->res->first_id = r->id;
    w->res->last_id = r->id;
    w->res->records++;
    w->want_id = r->id + 1;
    memcpy(w->prev, r->hash, RECORD_HASH_HEX);
    return 0;
}

/* store_verify_head - check where the walk ended against the head kept in meta. */
static int store_verify_head(struct store_verify_result *res, long long through, long long head_id,
                             const char *head_hash, const char *last_hash)
{
    long long last = res->last_id ? res->last_id : through;

    if (last == head_id && strcmp(head_hash, last_hash) == 0)
        return 0;
    if (last > head_id) {
        /* Correctly chained records past the head were not written by store_append. */
        res->bad_id = head_id + 1;
        snprintf(res->problem, sizeof(res->problem),
                 "it lies past the log's head (id %lld): added outside officialmail", head_id);
    } else if (last < head_id) {
        res->bad_id = last + 1;
        snprintf(res->problem, sizeof(res->problem),
                 "missing: the log's head says it ends at id %lld", head_id);
    } else {
        res->bad_id = last;
        snprintf(res->problem, sizeof(res->problem),
                 "its hash is not the log's head hash (the newest record was replaced)");
    }
    return 1;
}

/* store_verify - walk the chain from the last checkpoint to the head. */
int store_verify(struct store *s, struct store_verify_result *res)
{
    struct verify_walk w = {.res = res};
    struct store_filter all = {0};
    long long through, head_id;
    char head_hash[RECORD_HASH_HEX];

    memset(res, 0, sizeof(*res));
    /* One read transaction: the walk sees one state even while the milter writes. */
    if (store_exec(s, "BEGIN") < 0)
        return -1;
    if (store_checkpoint(s, &through, w.prev, &res->expired) < 0 ||
        store_head(s, &head_id, head_hash) < 0)
        return store_rollback(s);
    w.want_id = through + 1;
    if (store_query(s, &all, store_verify_cb, &w) < 0)
        return store_rollback(s);
    (void)store_exec(s, "COMMIT");
    memcpy(res->head_hash, head_hash, RECORD_HASH_HEX);
    if (w.status != 0)
        return w.status < 0 ? -1 : 1;
    return store_verify_head(res, through, head_id, head_hash, w.prev);
}

/* store_prefix - how many records precede id KEEP_FROM, and the last one's hash. */
static int store_prefix(struct store *s, long long keep_from, long long *n,
                        char hash[RECORD_HASH_HEX])
{
    sqlite3_stmt *st;
    int rc = -1;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT COUNT(*), (SELECT hash FROM violations WHERE id = ?1 - 1) "
                           "FROM violations WHERE id < ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, "counting expired records");
    sqlite3_bind_int64(st, 1, keep_from);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        const unsigned char *h = sqlite3_column_text(st, 1);
        snprintf(hash, RECORD_HASH_HEX, "%s", h ? (const char *)h : "");
        rc = 0;
    } else {
        store_fail(s, "counting expired records");
    }
    sqlite3_finalize(st);
    return rc;
}

/* store_keep_from - the first id to keep: the first record at or after BEFORE. */
static int store_keep_from(struct store *s, const char *before, long long head_id, long long *id)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(s->db, "SELECT MIN(id) FROM violations WHERE time >= ?", -1, &st,
                           NULL) != SQLITE_OK)
        return store_fail(s, "finding expired records");
    sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    *id = step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
              ? sqlite3_column_int64(st, 0)
              : head_id + 1;
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : store_fail(s, "finding expired records");
}

/* store_expire - remove a prefix of the chain, leaving a checkpoint. */
int store_expire(struct store *s, const char *before, long long *removed)
{
    long long head_id, keep_from;
    char head_hash[RECORD_HASH_HEX], last[RECORD_HASH_HEX], sql[512], stamp[32];
    time_t now = time(NULL);
    struct tm tm;

    *removed = 0;
    if (store_exec(s, "BEGIN IMMEDIATE") < 0)
        return -1;
    if (store_head(s, &head_id, head_hash) < 0 ||
        store_keep_from(s, before, head_id, &keep_from) < 0 ||
        store_prefix(s, keep_from, removed, last) < 0)
        return store_rollback(s);
    if (*removed == 0)
        return store_exec(s, "COMMIT");
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    snprintf(sql, sizeof(sql),
             "DELETE FROM violations WHERE id < %lld;"
             "INSERT INTO checkpoints (time, through_id, removed, last_hash)"
             " VALUES ('%s', %lld, %lld, '%s');"
             "UPDATE meta SET value = CAST(value AS INTEGER) - %lld WHERE key = 'count';",
             keep_from, stamp, keep_from - 1, *removed, last, *removed);
    if (store_exec(s, sql) < 0 || store_exec(s, "COMMIT") < 0)
        return store_rollback(s);
    return 0;
}
