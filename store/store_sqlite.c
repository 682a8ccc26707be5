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
 *
 * Page size: a new log gets 2 KB pages (SQLite's default is 4 KB). Each
 * commit writes whole pages to the WAL (the records' leaf, the two
 * indexes' leaves, meta's) and checksums every byte: with half-size pages
 * a message's commit costs ~9,000 fewer instructions; the log is ~10%
 * larger and reading it costs the same (BENCHMARKS.md). An existing log
 * keeps its page size (SQLite cannot change it in WAL mode).
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

#include "chain.h"
#include "review_db.h"
#include "store.h"
#include "timefmt.h"

/* Statements of the write path, prepared once: compiling SQL was most of
   the cost of a small transaction. */
enum sqlite_stmt {
    ST_BEGIN,
    ST_COMMIT,
    ST_HEAD,
    ST_META_ROWIDS,
    ST_SET_META,
    ST_ADD_COUNT,
    ST_SET_HEAD3,
    ST_COUNT
};

/* The handle: the common part first (store.h), then the connection. */
struct store_sqlite {
    struct store base;
    sqlite3 *db;
    sqlite3_stmt *insert;
    sqlite3_stmt *stmt[ST_COUNT];
    /* The head this connection last committed, and the database's data
       version just after: while the version is the same at the start of
       the next transaction, no other connection has written since, and
       the head need not be read again (sqlite_head_cached). */
    struct chain_head head;
    unsigned head_version;
    int head_known;
    long long meta_rowid[3]; /* of head_id, head_hash and count in meta */
    long long count;         /* meta's count, known with the head */
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_HEAD] = "SELECT (SELECT value FROM meta WHERE key = 'head_id'),"
                " (SELECT value FROM meta WHERE key = 'head_hash')",
    [ST_META_ROWIDS] = "SELECT (SELECT rowid FROM meta WHERE key = 'head_id'),"
                       " (SELECT rowid FROM meta WHERE key = 'head_hash'),"
                       " (SELECT rowid FROM meta WHERE key = 'count'),"
                       " (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'count')",
    /* One row each: an UPDATE of several rows at once (key IN (...)) made
       SQLite build two temporary b-trees per commit. By rowid, found with
       the head (sqlite_head_cached), not through the key's index: a row of
       meta moves only in a commit, and any commit by another connection
       makes the writer look the head and its rows up again. */
    [ST_SET_META] = "UPDATE meta SET value = ?1 WHERE rowid = ?2",
    [ST_ADD_COUNT] = "UPDATE meta SET value = CAST(value AS INTEGER) + ?1"
                     " WHERE rowid = ?2",
    /* The three in one statement when their rows are adjacent, as they are
       in every log this program made: a range of rowids is updated in one
       pass (unlike IN), and one statement costs less than three. OR
       ROLLBACK: a statement that writes several rows and may fail half
       way gets a statement journal (a copy of meta's page), which a
       failure that ends the whole transaction does not need; any failure
       here does (sqlite_append rolls back). The new count is bound, not
       computed from the row: it is known with the head (sqlite_head_cached),
       and reading and casting the old value cost ~700 instructions. */
    [ST_SET_HEAD3] =
        "UPDATE OR ROLLBACK meta SET value = CASE rowid WHEN ?4 THEN ?1 WHEN ?5 THEN ?2"
        " ELSE ?3 END WHERE rowid BETWEEN ?6 AND ?6 + 2",
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
    " ('head_hash', '" CHAIN_ZERO_HASH "'), ('count', '0');",
};
#define SCHEMA_VERSION (int)(sizeof(migrations) / sizeof(migrations[0]))

/* sqlite_fail - remember what went wrong; returns -1. */
static int sqlite_fail(struct store_sqlite *s, const char *what)
{
    snprintf(s->base.error, sizeof(s->base.error), "%s: %s", what, sqlite3_errmsg(s->db));
    return -1;
}

/* sqlite_exec - run SQL with no result rows. */
static int sqlite_exec(struct store_sqlite *s, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    snprintf(s->base.error, sizeof(s->base.error), "%s", msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return -1;
}

/* sqlite_rollback - undo the open transaction, keeping the first error; returns -1. */
static int sqlite_rollback(struct store_sqlite *s)
{
    (void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* sqlite_meta - the integer value of meta KEY into *V. */
static int sqlite_meta(struct store_sqlite *s, const char *key, long long *v)
{
    sqlite3_stmt *st;
    int rc = -1;

    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return sqlite_fail(s, "reading the log's head");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        rc = 0;
    } else {
        sqlite_fail(s, "reading the log's head");
    }
    sqlite3_finalize(st);
    return rc;
}

/* sqlite_schema_version - 0 for a new database. */
static int sqlite_schema_version(struct store_sqlite *s, long long *v)
{
    sqlite3_stmt *st;
    int exists;

    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE name = 'meta'", -1, &st,
                           NULL) != SQLITE_OK)
        return sqlite_fail(s, "reading the schema");
    exists = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    *v = 0;
    return exists ? sqlite_meta(s, "schema_version", v) : 0;
}

/* sqlite_migrate - bring the schema to SCHEMA_VERSION, one step a transaction. */
static int sqlite_migrate(struct store_sqlite *s)
{
    long long v;
    char sql[128];

    if (sqlite_schema_version(s, &v) < 0)
        return -1;
    if (v > SCHEMA_VERSION) {
        snprintf(s->base.error, sizeof(s->base.error),
                 "the database has schema version %lld, newer than this program's %d", v,
                 SCHEMA_VERSION);
        return -1;
    }
    for (; v < SCHEMA_VERSION; v++) {
        snprintf(sql, sizeof(sql), "UPDATE meta SET value = '%lld' WHERE key = 'schema_version';",
                 v + 1);
        if (sqlite_exec(s, "BEGIN IMMEDIATE") < 0)
            return -1;
        if (sqlite_exec(s, migrations[v]) < 0 || sqlite_exec(s, sql) < 0 ||
            sqlite_exec(s, "COMMIT") < 0)
            return sqlite_rollback(s);
    }
    return 0;
}

/* sqlite_create_file - make PATH with mode 0640 unless it exists. */
static int sqlite_create_file(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);

    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

static void sqlite_close(struct store *base);

/* store_sqlite_setup - see store.h. */
void store_sqlite_setup(void)
{
    /* SQLITE_MISUSE when SQLite is already initialised: then it stays as it is. */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* sqlite_open - connect, set WAL and durability, migrate, prepare the insert. */
static struct store *sqlite_open(const char *path, enum store_mode mode, int busy_ms, char *err,
                                 size_t errlen)
{
    struct store_sqlite *s = calloc(1, sizeof(*s));
    int flags = mode == STORE_WRITE ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;

    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.ops = &store_sqlite_ops;
    if (mode == STORE_WRITE && sqlite_create_file(path, err, errlen) < 0)
        goto fail_quiet;
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        sqlite_fail(s, path);
        goto fail;
    }
    sqlite3_busy_timeout(s->db, busy_ms);
    if (mode == STORE_WRITE) {
        if (sqlite_exec(s, "PRAGMA page_size=2048") < 0 ||
            sqlite_exec(s, "PRAGMA journal_mode=WAL") < 0 ||
            sqlite_exec(s, "PRAGMA synchronous=NORMAL") < 0 || sqlite_migrate(s) < 0)
            goto fail;
        static const char insert[] =
            "INSERT INTO violations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
            "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";
        if (sqlite3_prepare_v2(s->db, insert, -1, &s->insert, NULL) != SQLITE_OK) {
            sqlite_fail(s, "preparing the insert");
            goto fail;
        }
    } else {
        long long v;
        if (sqlite_schema_version(s, &v) < 0)
            goto fail;
        if (v == 0) {
            snprintf(s->base.error, sizeof(s->base.error),
                     "%s is not an officialmail violation log", path);
            goto fail;
        }
    }
    return &s->base;
fail:
    snprintf(err, errlen, "%s", s->base.error);
fail_quiet:
    sqlite_close(&s->base);
    return NULL;
}

/* sqlite_close - finalize and close. */
static void sqlite_close(struct store *base)
{
    struct store_sqlite *s = (struct store_sqlite *)base;

    if (s == NULL)
        return;
    sqlite3_finalize(s->insert);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s);
}

/*
 * sqlite_stmt - statement WHICH, prepared on first use and kept. Every
 * caller resets it after its step and binds all its parameters before
 * the next: no reset or clearing of bindings here (two calls a statement,
 * three statements a commit).
 */
static sqlite3_stmt *sqlite_stmt(struct store_sqlite *s, enum sqlite_stmt which)
{
    if (s->stmt[which] == NULL &&
        sqlite3_prepare_v2(s->db, stmt_sql[which], -1, &s->stmt[which], NULL) != SQLITE_OK) {
        sqlite_fail(s, "preparing a statement");
        return NULL;
    }
    return s->stmt[which];
}

/* sqlite_run - run statement WHICH to its end. 0 or -1. */
static int sqlite_run(struct store_sqlite *s, enum sqlite_stmt which, const char *what)
{
    sqlite3_stmt *st = sqlite_stmt(s, which);

    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : sqlite_fail(s, what);
    sqlite3_reset(st);
    return rc;
}

/* sqlite_head - the last id and hash of the chain. */
static int sqlite_head(struct store_sqlite *s, long long *id, char hash[RECORD_HASH_HEX])
{
    sqlite3_stmt *st = sqlite_stmt(s, ST_HEAD);
    int rc = -1;

    if (st == NULL)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
        sqlite3_column_bytes(st, 1) == RECORD_HASH_HEX - 1) {
        *id = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_text(st, 1), RECORD_HASH_HEX);
        rc = 0;
    } else {
        snprintf(s->base.error, sizeof(s->base.error), "the log's head is missing or malformed");
    }
    sqlite3_reset(st);
    return rc;
}

/* sqlite_insert - one chained record. */
static int sqlite_insert(struct store_sqlite *s, struct record *r)
{
    sqlite3_stmt *st = s->insert;

    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, r->id);
    for (int i = 0; i < RF_COUNT; i++)
        sqlite3_bind_text(st, i + 2, r->f[i] ? r->f[i] : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, RF_COUNT + 2, r->prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, RF_COUNT + 3, r->hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(s, "writing a record");
    return 0;
}

/* sqlite_set_meta - meta update WHICH of row ROWID, with ?1 = the text V or the integer N. */
static int sqlite_set_meta(struct store_sqlite *s, enum sqlite_stmt which, long long rowid,
                           const char *v, long long n)
{
    sqlite3_stmt *st = sqlite_stmt(s, which);

    if (st == NULL)
        return -1;
    if (v != NULL)
        sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, n);
    sqlite3_bind_int64(st, 2, rowid);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : sqlite_fail(s, "updating the log's head");
    sqlite3_reset(st);
    if (rc == 0 && sqlite3_changes(s->db) != 1) {
        snprintf(s->base.error, sizeof(s->base.error), "updating the log's head: meta has changed");
        rc = -1;
    }
    return rc;
}

/* sqlite_head_rows - the lowest of the three rows of the head when they are adjacent, else 0. */
static long long sqlite_head_rows(const struct store_sqlite *s)
{
    const long long *r = s->meta_rowid;
    long long lo = r[0] < r[1] ? r[0] : r[1];

    lo = r[2] < lo ? r[2] : lo;
    return lo > 0 && r[0] != r[1] && r[1] != r[2] && r[0] != r[2] && r[0] - lo <= 2 &&
                   r[1] - lo <= 2 && r[2] - lo <= 2
               ? lo
               : 0;
}

/* sqlite_set_head3 - the head and the count in one UPDATE of the rows from LO. */
static int sqlite_set_head3(struct store_sqlite *s, long long lo, long long id, const char *hash,
                            long long added)
{
    sqlite3_stmt *st = sqlite_stmt(s, ST_SET_HEAD3);

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, s->count + added);
    sqlite3_bind_int64(st, 4, s->meta_rowid[0]);
    sqlite3_bind_int64(st, 5, s->meta_rowid[1]);
    sqlite3_bind_int64(st, 6, lo);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : sqlite_fail(s, "updating the log's head");
    sqlite3_reset(st);
    if (rc == 0 && sqlite3_changes(s->db) != 3) {
        snprintf(s->base.error, sizeof(s->base.error), "updating the log's head: meta has changed");
        rc = -1;
    }
    return rc;
}

/* sqlite_set_head - the new head in meta, and the count (when meta has one). */
static int sqlite_set_head(struct store_sqlite *s, long long id, const char *hash, long long added)
{
    long long lo = sqlite_head_rows(s);

    if (lo > 0)
        return sqlite_set_head3(s, lo, id, hash, added);
    if (sqlite_set_meta(s, ST_SET_META, s->meta_rowid[0], NULL, id) < 0 ||
        sqlite_set_meta(s, ST_SET_META, s->meta_rowid[1], hash, 0) < 0 ||
        (s->meta_rowid[2] != 0 &&
         sqlite_set_meta(s, ST_ADD_COUNT, s->meta_rowid[2], NULL, added) < 0))
        return -1;
    return 0;
}

/* sqlite_meta_rowids - where head_id, head_hash and count are in meta (0: absent). */
static int sqlite_meta_rowids(struct store_sqlite *s)
{
    sqlite3_stmt *st = sqlite_stmt(s, ST_META_ROWIDS);

    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : sqlite_fail(s, "reading the log's head");
    for (int i = 0; rc == 0 && i < 3; i++)
        s->meta_rowid[i] = sqlite3_column_int64(st, i);
    s->count = rc == 0 ? sqlite3_column_int64(st, 3) : 0;
    sqlite3_reset(st);
    return rc;
}

#ifdef OM_FAULT_HOOKS
/*
 * sqlite_fault - tests only (never in an installed binary): the second
 * record of a message whose queue id is $OFFICIALMAIL_FAULT_QUEUE_ID
 * fails to insert, as a full disk would make it fail, so that a test can
 * show that a message's records are committed together or not at all.
 */
static int sqlite_fault(struct store_sqlite *s, const struct record *recs, size_t i)
{
    const char *q = getenv("OFFICIALMAIL_FAULT_QUEUE_ID");

    if (q == NULL || i == 0 || strcmp(recs[i].f[RF_QUEUE_ID], q) != 0 ||
        strcmp(recs[i - 1].f[RF_QUEUE_ID], q) != 0)
        return 0;
    snprintf(s->base.error, sizeof(s->base.error), "writing a record: injected fault (queue id %s)",
             q);
    return 1;
}
#else
#define sqlite_fault(s, recs, i) 0
#endif

/* sqlite_data_version - the main database's data version (changes on every commit, any
 * connection's). */
static int sqlite_data_version(struct store_sqlite *s, unsigned *v)
{
#ifdef SQLITE_FCNTL_DATA_VERSION
    return sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, v) == SQLITE_OK ? 0 : -1;
#else
    (void)s;
    (void)v;
    return -1;
#endif
}

/*
 * sqlite_head_cached - the head, inside a write transaction: the one this
 * connection committed last when nothing was committed since (by anyone:
 * the data version moves with every commit, expire's included), else as
 * read from meta, with the rows of meta that hold it and the count (an
 * unchanged version also means they have not moved or changed).
 */
static int sqlite_head_cached(struct store_sqlite *s, struct chain_head *head)
{
    unsigned v;

    if (s->head_known && sqlite_data_version(s, &v) == 0 && v == s->head_version) {
        *head = s->head;
        return 0;
    }
    s->head_known = 0;
    if (sqlite_head(s, &head->id, head->hash) < 0)
        return -1;
    return sqlite_meta_rowids(s);
}

/* sqlite_head_keep - HEAD and ADDED records were just committed: remember them with the data
 * version. */
static void sqlite_head_keep(struct store_sqlite *s, const struct chain_head *head, long long added)
{
    s->head = *head;
    s->count += added;
    s->head_known = sqlite_data_version(s, &s->head_version) == 0;
}

/* sqlite_append_fail - roll back and forget the head; -1. */
static int sqlite_append_fail(struct store_sqlite *s)
{
    s->head_known = 0;
    return sqlite_rollback(s);
}

/* sqlite_append - chain and insert N records in one transaction. */
static int sqlite_append(struct store *base, struct record *recs, size_t n)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct chain_head head;

    if (n == 0)
        return 0;
    if (sqlite_run(s, ST_BEGIN, "starting a transaction") < 0)
        return -1;
    if (sqlite_head_cached(s, &head) < 0)
        return sqlite_append_fail(s);
    for (size_t i = 0; i < n; i++) {
        if (record_link(&head, &recs[i]) < 0) {
            snprintf(s->base.error, sizeof(s->base.error), "out of memory hashing a record");
            return sqlite_append_fail(s);
        }
        if (sqlite_fault(s, recs, i) || sqlite_insert(s, &recs[i]) < 0)
            return sqlite_append_fail(s);
    }
    if (sqlite_set_head(s, head.id, head.hash, (long long)n) < 0 ||
        sqlite_run(s, ST_COMMIT, "committing") < 0)
        return sqlite_append_fail(s);
    sqlite_head_keep(s, &head, (long long)n);
    return 0;
}

/* store_sqlite_row - a violations row (SELECT * order) into R (fields owned). */
int store_sqlite_row(sqlite3_stmt *st, struct record *r)
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
 * sqlite_where - append " AND clause" for each filter set. Every clause
 * names its one parameter by number (?N, N = its place in the list), so
 * that a value used twice is bound once; the values are only ever bound,
 * never written into the SQL. BINDS[N - 1] gets the value, or NULL.
 */
#define STORE_FILTERS 11
static void sqlite_where(char *sql, size_t len, const struct store_filter *f,
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

/* sqlite_query - the matching records in id order. */
static int sqlite_query(struct store *base, const struct store_filter *f, store_record_fn *fn,
                        void *arg)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    char sql[1024] = "SELECT * FROM violations WHERE 1";
    const char *binds[STORE_FILTERS];
    int rc = 0, step;
    sqlite3_stmt *st;

    sqlite_where(sql, sizeof(sql), f, binds);
    strncat(sql, " ORDER BY id", sizeof(sql) - strlen(sql) - 1);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sqlite_fail(s, "querying the log");
    for (int i = 0; i < STORE_FILTERS; i++)
        if (binds[i] != NULL)
            sqlite3_bind_text(st, i + 1, binds[i], -1, SQLITE_STATIC);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct record r;
        if (store_sqlite_row(st, &r) < 0) {
            snprintf(s->base.error, sizeof(s->base.error), "out of memory reading the log");
            rc = -1;
            break;
        }
        rc = fn(&r, arg) != 0 ? 1 : 0;
        record_clear(&r);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqlite_fail(s, "reading the log");
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* sqlite_departments - the distinct names, through the department index. */
static int sqlite_departments(struct store *base, store_name_fn *fn, void *arg)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    sqlite3_stmt *st;
    int step, rc = 0;

    if (sqlite3_prepare_v2(s->db, "SELECT DISTINCT department FROM violations ORDER BY department",
                           -1, &st, NULL) != SQLITE_OK)
        return sqlite_fail(s, "listing the departments");
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        rc = fn(v != NULL ? (const char *)v : "", arg) != 0;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqlite_fail(s, "listing the departments");
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* sqlite_checkpoint - where the chain starts: after the last expire, or at the beginning. */
static int sqlite_checkpoint(struct store_sqlite *s, long long *through, char hash[RECORD_HASH_HEX],
                             long long *expired)
{
    sqlite3_stmt *st;
    int rc = 0;

    *through = 0;
    *expired = 0;
    memcpy(hash, CHAIN_ZERO_HASH, RECORD_HASH_HEX);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT through_id, last_hash, (SELECT SUM(removed) FROM checkpoints) "
                           "FROM checkpoints ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sqlite_fail(s, "reading the checkpoints");
    if (sqlite3_step(st) == SQLITE_ROW) {
        *through = sqlite3_column_int64(st, 0);
        const unsigned char *h = sqlite3_column_text(st, 1);
        snprintf(hash, RECORD_HASH_HEX, "%s", h ? (const char *)h : "");
        *expired = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return rc;
}

/* sqlite_verify_cb - one record of the walk. */
static int sqlite_verify_cb(const struct record *r, void *arg)
{
    struct chain_row row = record_row(r);

    return chain_walk_row(arg, &row, r->prev_hash, r->hash) != 0;
}

/* sqlite_verify - walk the chain from the last checkpoint to the head. */
static int sqlite_verify(struct store *base, struct chain_verify_result *res)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct chain_walk w;
    struct store_filter all = {0};
    struct chain_head head;
    long long through;
    char prev[RECORD_HASH_HEX];

    memset(res, 0, sizeof(*res));
    /* One read transaction: the walk sees one state even while the milter writes. */
    if (sqlite_exec(s, "BEGIN") < 0)
        return -1;
    if (sqlite_checkpoint(s, &through, prev, &res->expired) < 0 ||
        sqlite_head(s, &head.id, head.hash) < 0)
        return sqlite_rollback(s);
    chain_walk_start(&w, res, through, prev);
    if (sqlite_query(base, &all, sqlite_verify_cb, &w) < 0)
        return sqlite_rollback(s);
    (void)sqlite_exec(s, "COMMIT");
    return chain_walk_end(&w, &head);
}

/* sqlite_prefix - how many records precede id KEEP_FROM, and the last one's hash. */
static int sqlite_prefix(struct store_sqlite *s, long long keep_from, long long *n,
                         char hash[RECORD_HASH_HEX])
{
    sqlite3_stmt *st;
    int rc = -1;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT COUNT(*), (SELECT hash FROM violations WHERE id = ?1 - 1) "
                           "FROM violations WHERE id < ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return sqlite_fail(s, "counting expired records");
    sqlite3_bind_int64(st, 1, keep_from);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        const unsigned char *h = sqlite3_column_text(st, 1);
        snprintf(hash, RECORD_HASH_HEX, "%s", h ? (const char *)h : "");
        rc = 0;
    } else {
        sqlite_fail(s, "counting expired records");
    }
    sqlite3_finalize(st);
    return rc;
}

/* sqlite_keep_from - the first id to keep: the first record at or after BEFORE. */
static int sqlite_keep_from(struct store_sqlite *s, const char *before, long long head_id,
                            long long *id)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(s->db, "SELECT MIN(id) FROM violations WHERE time >= ?", -1, &st,
                           NULL) != SQLITE_OK)
        return sqlite_fail(s, "finding expired records");
    sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    *id = step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
              ? sqlite3_column_int64(st, 0)
              : head_id + 1;
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : sqlite_fail(s, "finding expired records");
}

/* sqlite_expire - remove a prefix of the chain, leaving a checkpoint. */
static int sqlite_expire(struct store *base, const char *before, long long *removed)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    long long head_id, keep_from;
    char head_hash[RECORD_HASH_HEX], last[RECORD_HASH_HEX], sql[512], stamp[32];
    time_t now = time(NULL);

    *removed = 0;
    if (sqlite_exec(s, "BEGIN IMMEDIATE") < 0)
        return -1;
    if (sqlite_head(s, &head_id, head_hash) < 0 ||
        sqlite_keep_from(s, before, head_id, &keep_from) < 0 ||
        sqlite_prefix(s, keep_from, removed, last) < 0)
        return sqlite_rollback(s);
    if (*removed == 0)
        return sqlite_exec(s, "COMMIT");
    if (timefmt_iso8601(now, stamp) < 0)
        stamp[0] = '\0';
    snprintf(sql, sizeof(sql),
             "DELETE FROM violations WHERE id < %lld;"
             "INSERT INTO checkpoints (time, through_id, removed, last_hash)"
             " VALUES ('%s', %lld, %lld, '%s');"
             "UPDATE meta SET value = CAST(value AS INTEGER) - %lld WHERE key = 'count';",
             keep_from, stamp, keep_from - 1, *removed, last, *removed);
    if (sqlite_exec(s, sql) < 0 || sqlite_exec(s, "COMMIT") < 0)
        return sqlite_rollback(s);
    return 0;
}

/* sqlite_claims - a path that no other backend claims is a SQLite file. */
static int sqlite_claims(const char *path)
{
    (void)path;
    return 1;
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .claims = sqlite_claims,
    .open = sqlite_open,
    .close = sqlite_close,
    .append = sqlite_append,
    .query = sqlite_query,
    .departments = sqlite_departments,
    .verify = sqlite_verify,
    .expire = sqlite_expire,
};
