/*
 * test_store - the violation log: schema, chained appends, queries,
 * verification of intact and tampered chains, expiry with a checkpoint,
 * and the record's canonical form, hash and key=value line.
 */
#include <config.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "store.h"

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

static char dir[64], db[128];

/* setup - a fresh directory per test, with the database path in it. */
static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/test_store.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/log.db", dir);
}

/* teardown - remove the database, its WAL files and the directory. */
static void teardown(void)
{
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[160];

    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* open_write - the test database opened for writing. */
static struct store *open_write(void)
{
    char err[256];
    struct store *s = store_open(db, STORE_WRITE, 1000, err, sizeof(err));

    ck_assert_msg(s != NULL, "store_open: %s", err);
    return s;
}

/* rec - a record with the fields the tests filter on; the others "". */
static void rec(struct record *r, const char *time, const char *dept, const char *rule,
                const char *action, const char *sender, const char *from, const char *address)
{
    memset(r, 0, sizeof(*r));
    for (int i = 0; i < RF_COUNT; i++)
        r->f[i] = strdup("");
    const struct {
        int f;
        const char *v;
    } set[] = {{RF_TIME, time},      {RF_DEPARTMENT, dept},        {RF_RULE, rule},
               {RF_ACTION, action},  {RF_ENVELOPE_SENDER, sender}, {RF_HEADER_FROM, from},
               {RF_ADDRESS, address}};
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        free(r->f[set[i].f]);
        r->f[set[i].f] = strdup(set[i].v);
    }
}

/* The log most tests start from: five records over five days. */
static const char *const days[] = {"2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z",
                                   "2026-03-03T10:00:00Z", "2026-03-04T10:00:00Z",
                                   "2026-03-05T23:59:59Z"};

/* fill - append the five records, in batches of 3 and 2; R receives them. */
static void fill(struct store *s, struct record r[5])
{
    rec(&r[0], days[0], "IT", "official-to-webmail", "reject", "a@it.gov", "a@it.gov",
        "x@gmail.com");
    rec(&r[1], days[1], "Finance", "webmail-to-official", "tag", "y@gmail.com", "y@gmail.com",
        "y@gmail.com");
    rec(&r[2], days[2], "IT", "spoofed-official", "quarantine", "", "b@it.gov", "b@it.gov");
    rec(&r[3], days[3], "Health", "official-to-webmail", "exempt", "c@h.gov", "c@h.gov",
        "x@gmail.com");
    rec(&r[4], days[4], "IT", "reply-to-webmail", "log", "a@it.gov", "z@it.gov", "w@yahoo.com");
    ck_assert_int_eq(store_append(s, r, 3), 0);
    ck_assert_int_eq(store_append(s, r + 3, 2), 0);
}

/* clear - free the five records. */
static void clear(struct record r[5])
{
    for (int i = 0; i < 5; i++)
        record_clear(&r[i]);
}

/* sql - run SQL on the test database from outside the store (as a tamperer would). */
static void sql(const char *text)
{
    sqlite3 *h;
    char *msg = NULL;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, text, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", text, msg);
    sqlite3_close(h);
}

/* sql_text - the first column of the first row of QUERY, in OUT. */
static const char *sql_text(const char *query, char *out, size_t len)
{
    sqlite3 *h;
    sqlite3_stmt *st;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, query, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

START_TEST(schema_created)
{
    struct store *s = open_write();
    char v[128];
    struct stat st;

    store_close(s);
    ck_assert_str_eq(sql_text("SELECT value FROM meta WHERE key = 'schema_version'", v, sizeof(v)),
                     "1");
    ck_assert_str_eq(sql_text("SELECT value FROM meta WHERE key = 'head_hash'", v, sizeof(v)),
                     ZEROS);
    ck_assert_str_eq(sql_text("PRAGMA journal_mode", v, sizeof(v)), "wal");
    ck_assert_str_eq(sql_text("PRAGMA page_size", v, sizeof(v)), "2048"); /* a new log's */
    ck_assert_str_eq(sql_text("SELECT group_concat(name, ' ') FROM (SELECT name FROM "
                              "sqlite_master WHERE type = 'table' ORDER BY name)",
                              v, sizeof(v)),
                     "checkpoints meta violations");
    ck_assert_int_eq(stat(db, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777 & ~0640, 0); /* never readable by others */
    /* Opening again migrates nothing. */
    store_close(open_write());
    ck_assert_str_eq(sql_text("SELECT count(*) FROM meta", v, sizeof(v)), "4");
}
END_TEST

START_TEST(open_refuses)
{
    char err[256] = "";

    /* Reading never creates a database. */
    ck_assert_ptr_null(store_open(db, STORE_READ, 100, err, sizeof(err)));
    ck_assert_int_ne(access(db, F_OK), 0);
    /* A SQLite file that is not a log is refused, not taken for an empty log. */
    sql("CREATE TABLE other (x)");
    ck_assert_ptr_null(store_open(db, STORE_READ, 100, err, sizeof(err)));
    ck_assert_msg(strstr(err, "not an officialmail violation log") != NULL, "got %s", err);
}
END_TEST

START_TEST(append_chains)
{
    struct store *s = open_write();
    struct record r[5];
    char hash[RECORD_HASH_HEX], v[128];

    fill(s, r);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(r[i].id, i + 1);
        ck_assert_str_eq(r[i].prev_hash, i == 0 ? ZEROS : r[i - 1].hash);
        ck_assert_int_eq(record_hash(&r[i], r[i].prev_hash, hash), 0);
        ck_assert_str_eq(r[i].hash, hash);
    }
    store_close(s);
    ck_assert_str_eq(sql_text("SELECT value FROM meta WHERE key = 'head_id'", v, sizeof(v)), "5");
    ck_assert_str_eq(sql_text("SELECT value FROM meta WHERE key = 'count'", v, sizeof(v)), "5");
    ck_assert_str_eq(sql_text("SELECT value FROM meta WHERE key = 'head_hash'", v, sizeof(v)),
                     r[4].hash);
    ck_assert_str_eq(sql_text("SELECT hash FROM violations WHERE id = 3", v, sizeof(v)), r[2].hash);
    clear(r);
}
END_TEST

/*
 * A writer keeps the head it committed for its next transaction: another
 * connection's appends, and a change of meta from outside, must be seen.
 */
START_TEST(append_sees_other_writers)
{
    struct store *a = open_write(), *b = open_write();
    struct record r[5];
    char v[128];

    fill(a, r); /* records 1 to 5, by A */
    record_clear(&r[0]);
    rec(&r[0], days[0], "IT", "official-to-webmail", "reject", "a@it.gov", "a@it.gov", "6@x");
    ck_assert_int_eq(store_append(b, &r[0], 1), 0);
    ck_assert_int_eq(r[0].id, 6);
    ck_assert_str_eq(r[0].prev_hash, r[4].hash);
    record_clear(&r[1]);
    rec(&r[1], days[1], "IT", "official-to-webmail", "reject", "a@it.gov", "a@it.gov", "7@x");
    ck_assert_int_eq(store_append(a, &r[1], 1), 0); /* A after B: on B's record */
    ck_assert_int_eq(r[1].id, 7);
    ck_assert_str_eq(r[1].prev_hash, r[0].hash);
    /* From outside, a new head in a new row of meta: A must take the head
       and where it is from meta, not from its memory. */
    sql("DELETE FROM meta WHERE key = 'head_hash';"
        "INSERT INTO meta VALUES ('head_hash', '" ZEROS "')");
    record_clear(&r[2]);
    rec(&r[2], days[2], "IT", "official-to-webmail", "reject", "a@it.gov", "a@it.gov", "8@x");
    ck_assert_int_eq(store_append(a, &r[2], 1), 0);
    ck_assert_int_eq(r[2].id, 8);
    ck_assert_str_eq(r[2].prev_hash, ZEROS);
    store_close(a);
    store_close(b);
    ck_assert_str_eq(sql_text("SELECT value FROM meta WHERE key = 'count'", v, sizeof(v)), "8");
    ck_assert_str_eq(sql_text("SELECT value FROM meta WHERE key = 'head_hash'", v, sizeof(v)),
                     r[2].hash);
    clear(r);
}
END_TEST

/* collect - append "ID," of each record to the string ARG. */
static int collect(const struct record *r, void *arg)
{
    char *out = arg;

    snprintf(out + strlen(out), 64, "%lld,", r->id);
    return 0;
}

/* stop_after_two - collect, stopping the query after two records. */
static int stop_after_two(const struct record *r, void *arg)
{
    collect(r, arg);
    return r->id >= 2;
}

static const struct {
    struct store_filter f;
    const char *want;
} query_cases[] = {
    {{0}, "1,2,3,4,5,"},
    {{.since = "2026-03-02T10:00:00Z"}, "2,3,4,5,"}, /* since is inclusive */
    {{.until = "2026-03-02T10:00:00Z"}, "1,"},       /* until is exclusive */
    {{.since = "2026-03-02T00:00:00Z", .until = "2026-03-04T00:00:00Z"}, "2,3,"},
    {{.until = "2026-03-06T00:00:00Z", .since = "2026-03-05T00:00:00Z"}, "5,"},
    {{.department = "IT"}, "1,3,5,"},
    {{.department = "it"}, ""}, /* names are exact */
    {{.rule = "official-to-webmail"}, "1,4,"},
    {{.action = "exempt"}, "4,"},
    {{.after_id = "3"}, "4,5,"}, /* a cursor: the ids after it */
    {{.after_id = "0", .department = "IT"}, "1,3,5,"},
    {{.sender = "a@it.gov"}, "1,5,"},
    {{.sender = "b@it.gov"}, "3,"}, /* the header From counts too */
    {{.sender = ""}, "3,"},         /* the null sender */
    {{.address = "x@gmail.com"}, "1,4,"},
    {{.department = "IT", .sender = "a@it.gov", .address = "w@yahoo.com"}, "5,"},
    {{.rule = "official-to-webmail", .action = "reject", .since = "2026-03-01T10:00:01Z"}, ""},
};

START_TEST(query_filters)
{
    struct store *s = open_write();
    struct record r[5];
    char got[256] = "";

    fill(s, r);
    ck_assert_int_eq(store_query(s, &query_cases[_i].f, collect, got), 0);
    ck_assert_msg(strcmp(got, query_cases[_i].want) == 0, "case %d: got %s, want %s", _i, got,
                  query_cases[_i].want);
    store_close(s);
    clear(r);
}
END_TEST

START_TEST(query_stops)
{
    struct store *s = open_write();
    struct store_filter all = {0};
    struct record r[5];
    char got[256] = "";

    fill(s, r);
    ck_assert_int_eq(store_query(s, &all, stop_after_two, got), 0);
    ck_assert_str_eq(got, "1,2,");
    store_close(s);
    clear(r);
}
END_TEST

/* verify_db - store_verify on a fresh read-only connection. */
static int verify_db(struct chain_verify_result *res)
{
    char err[256];
    struct store *s = store_open(db, STORE_READ, 1000, err, sizeof(err));
    int rc;

    ck_assert_msg(s != NULL, "store_open: %s", err);
    rc = store_verify(s, res);
    store_close(s);
    return rc;
}

START_TEST(verify_intact)
{
    struct store *s = open_write();
    struct chain_verify_result res;
    struct record r[5];

    ck_assert_int_eq(store_verify(s, &res), 0); /* an empty log is intact */
    ck_assert_int_eq(res.records, 0);
    fill(s, r);
    store_close(s);
    ck_assert_int_eq(verify_db(&res), 0);
    ck_assert_int_eq(res.records, 5);
    ck_assert_int_eq(res.first_id, 1);
    ck_assert_int_eq(res.last_id, 5);
    ck_assert_int_eq(res.bad_id, 0);
    ck_assert_int_eq(res.expired, 0);
    ck_assert_str_eq(res.head_hash, r[4].hash);
    clear(r);
}
END_TEST

/* A log made with another page size (SQLite's default) keeps it, and is written and verified. */
START_TEST(old_page_size_kept)
{
    struct chain_verify_result res;
    struct record r[5];
    char v[128];

    sql("PRAGMA page_size = 4096; CREATE TABLE made_elsewhere (a)");
    struct store *s = open_write();
    fill(s, r);
    store_close(s);
    ck_assert_str_eq(sql_text("PRAGMA page_size", v, sizeof(v)), "4096");
    ck_assert_int_eq(verify_db(&res), 0);
    ck_assert_int_eq(res.records, 5);
    clear(r);
}
END_TEST

/* Tampering, each on a fresh log, and the first bad id verify names. */
static const struct {
    const char *sql;
    long long bad_id;
    const char *problem; /* a part of the message */
} tamper_cases[] = {
    {"UPDATE violations SET department = 'Finance' WHERE id = 3", 3, "edited"},
    {"UPDATE violations SET time = '2026-03-03T10:00:01Z' WHERE id = 3", 3, "edited"},
    {"DELETE FROM violations WHERE id = 3", 3, "missing"},
    {"DELETE FROM violations WHERE id IN (2, 3)", 2, "ids 2 to 3"},
    {"DELETE FROM violations WHERE id = 1", 1, "missing"},
    {"DELETE FROM violations WHERE id = 5", 5, "head"},
    {"UPDATE violations SET id = 0 WHERE id = 2; UPDATE violations SET id = 2 WHERE id = 3;"
     "UPDATE violations SET id = 3 WHERE id = 0",
     2, "prev_hash"},
    {"INSERT INTO violations SELECT 6, time, queue_id, message_id, rule, reasons, action,"
     " intended_action, mode, exception_ticket, department, envelope_sender, header_from, address,"
     " recipients, client_ip, client_name, auth_user, spf, dkim, subject, gateway, hash, 'x'"
     " FROM violations WHERE id = 5",
     6, "forged"},
    {"UPDATE meta SET value = '4' WHERE key = 'head_id'", 5, "past the log's head"},
    {"UPDATE meta SET value = '" ZEROS "' WHERE key = 'head_hash'", 5, "replaced"},
};

START_TEST(verify_tampered)
{
    struct store *s = open_write();
    struct chain_verify_result res;
    struct record r[5];

    fill(s, r);
    store_close(s);
    sql(tamper_cases[_i].sql);
    ck_assert_int_eq(verify_db(&res), 1);
    ck_assert_msg(res.bad_id == tamper_cases[_i].bad_id, "%s: got id %lld, want %lld",
                  tamper_cases[_i].sql, res.bad_id, tamper_cases[_i].bad_id);
    ck_assert_msg(strstr(res.problem, tamper_cases[_i].problem) != NULL, "%s: got '%s'",
                  tamper_cases[_i].sql, res.problem);
    clear(r);
}
END_TEST

START_TEST(verify_forged_past_head)
{
    struct store *s = open_write();
    struct chain_verify_result res;
    struct record r[5], forged;
    char stmt[1024];

    fill(s, r);
    store_close(s);
    /* A record chained correctly on the head, but added behind the store's back. */
    rec(&forged, days[4], "IT", "official-to-webmail", "log", "f@it.gov", "f@it.gov", "f@x.com");
    forged.id = 6;
    ck_assert_int_eq(record_hash(&forged, r[4].hash, forged.hash), 0);
    snprintf(stmt, sizeof(stmt),
             "INSERT INTO violations VALUES (6, '%s', '', '', 'official-to-webmail', '', 'log', '',"
             " '', '', 'IT', 'f@it.gov', 'f@it.gov', 'f@x.com', '', '', '', '', '', '', '', '',"
             " '%s', '%s')",
             days[4], r[4].hash, forged.hash);
    sql(stmt);
    ck_assert_int_eq(verify_db(&res), 1);
    ck_assert_int_eq(res.bad_id, 6);
    ck_assert_msg(strstr(res.problem, "past the log's head") != NULL, "got '%s'", res.problem);
    record_clear(&forged);
    clear(r);
}
END_TEST

START_TEST(expire_checkpoint)
{
    struct store *s = open_write();
    struct chain_verify_result res;
    struct record r[5], more;
    long long removed = -1;
    char v[128];

    fill(s, r);
    ck_assert_int_eq(store_expire(s, "2026-03-01T00:00:00Z", &removed), 0);
    ck_assert_int_eq(removed, 0); /* nothing that old */
    ck_assert_int_eq(store_expire(s, "2026-03-03T10:00:00Z", &removed), 0);
    ck_assert_int_eq(removed, 2);
    ck_assert_int_eq(store_verify(s, &res), 0);
    ck_assert_int_eq(res.records, 3);
    ck_assert_int_eq(res.first_id, 3);
    ck_assert_int_eq(res.expired, 2);
    /* The chain goes on from the head; a second expire adds a checkpoint. */
    rec(&more, "2026-03-06T00:00:00Z", "IT", "official-to-webmail", "log", "", "", "q@gmail.com");
    ck_assert_int_eq(store_append(s, &more, 1), 0);
    ck_assert_int_eq(more.id, 6);
    ck_assert_str_eq(more.prev_hash, r[4].hash);
    ck_assert_int_eq(store_expire(s, "2026-03-05T00:00:00Z", &removed), 0);
    ck_assert_int_eq(removed, 2);
    ck_assert_int_eq(store_verify(s, &res), 0);
    ck_assert_int_eq(res.first_id, 5);
    ck_assert_int_eq(res.expired, 4);
    store_close(s);
    ck_assert_str_eq(
        sql_text("SELECT last_hash FROM checkpoints ORDER BY id DESC LIMIT 1", v, sizeof(v)),
        r[3].hash);
    ck_assert_str_eq(sql_text("SELECT value FROM meta WHERE key = 'count'", v, sizeof(v)), "2");
    /* Removing the first record kept is still seen. */
    sql("DELETE FROM violations WHERE id = 5");
    ck_assert_int_eq(verify_db(&res), 1);
    ck_assert_int_eq(res.bad_id, 5);
    record_clear(&more);
    clear(r);
}
END_TEST

/* known - the record whose canonical form and hash are written out below. */
static void known(struct record *r)
{
    rec(r, "2026-03-02T08:15:00Z", "Finance", "official-to-webmail", "reject", "", "",
        "x@gmail.com");
    r->id = 42;
    free(r->f[RF_INTENDED_ACTION]);
    r->f[RF_INTENDED_ACTION] = strdup("reject");
    free(r->f[RF_MODE]);
    r->f[RF_MODE] = strdup("enforce");
    free(r->f[RF_SUBJECT]);
    r->f[RF_SUBJECT] = strdup("caf\xc3\xa9\n"); /* lengths are in bytes */
    free(r->f[RF_GATEWAY]);
    r->f[RF_GATEWAY] = strdup("mx1");
}

START_TEST(canonical_form)
{
    struct record r;
    char hash[RECORD_HASH_HEX];
    char *c;

    known(&r);
    c = record_canonical(&r);
    ck_assert_str_eq(c, "id=2:42\ntime=20:2026-03-02T08:15:00Z\nqueue_id=0:\nmessage_id=0:\n"
                        "rule=19:official-to-webmail\nreasons=0:\naction=6:reject\n"
                        "intended_action=6:reject\nmode=7:enforce\nexception_ticket=0:\n"
                        "department=7:Finance\nenvelope_sender=0:\nheader_from=0:\n"
                        "address=11:x@gmail.com\nrecipients=0:\nclient_ip=0:\nclient_name=0:\n"
                        "auth_user=0:\nspf=0:\ndkim=0:\nsubject=6:caf\xc3\xa9\n\ngateway=3:mx1\n");
    /* printf '%064d' 0 and that text, through sha256sum. */
    ck_assert_int_eq(record_hash(&r, ZEROS, hash), 0);
    ck_assert_str_eq(hash, "a6f0828353867c5529a6ec5b4f6697e74ebf839ac93ef1df2c0e7eb8ea77962d");
    free(c);
    record_clear(&r);
}
END_TEST

/* record_fill: every field copied (into one allocation), "" for what is unknown, the
   recipients listed up to RECORD_MAX_RCPTS; record_clear frees it. */
START_TEST(fill_fields)
{
    static char addr[RECORD_MAX_RCPTS + 2][32];
    struct rcpt_verdict rv[RECORD_MAX_RCPTS + 2];
    struct violation v = {.rule = RULE_OFFICIAL_TO_WEBMAIL,
                          .address = "x@gmail.com",
                          .department = "Finance",
                          .intended = ACTION_REJECT,
                          .action = ACTION_EXEMPT,
                          .mode = MODE_ENFORCE,
                          .ticket = "T-7"};
    struct verdict vd = {.rcpts = rv,
                         .nrcpts = 2,
                         .envelope_sender = "a@fin.gov",
                         .header_from = "",
                         .subject = "Tender"};
    struct record_context c = {.time = 1772439300, /* 2026-03-02T08:15:00Z */
                               .queue_id = "4XyZ1q",
                               .client_ip = "192.0.2.1",
                               .gateway = "mx1",
                               .subject_logging = SUBJECT_FULL};
    struct record r;
    char want[64];

    for (int i = 0; i < RECORD_MAX_RCPTS + 2; i++) {
        snprintf(addr[i], sizeof(addr[i]), "r%d@x", i);
        rv[i] = (struct rcpt_verdict){.address = addr[i], .action = ACTION_REJECT};
    }
    ck_assert_int_eq(record_fill(&r, &c, &vd, &v), 0);
    ck_assert_str_eq(r.f[RF_TIME], "2026-03-02T08:15:00Z");
    ck_assert_str_eq(r.f[RF_QUEUE_ID], "4XyZ1q");
    ck_assert_str_eq(r.f[RF_MESSAGE_ID], "");
    ck_assert_str_eq(r.f[RF_RULE], "official-to-webmail");
    ck_assert_str_eq(r.f[RF_ACTION], "exempt");
    ck_assert_str_eq(r.f[RF_INTENDED_ACTION], "reject");
    ck_assert_str_eq(r.f[RF_EXCEPTION_TICKET], "T-7");
    ck_assert_str_eq(r.f[RF_DEPARTMENT], "Finance");
    ck_assert_str_eq(r.f[RF_ENVELOPE_SENDER], "a@fin.gov");
    ck_assert_str_eq(r.f[RF_ADDRESS], "x@gmail.com");
    ck_assert_str_eq(r.f[RF_RECIPIENTS], "r0@x,r1@x");
    ck_assert_str_eq(r.f[RF_AUTH_USER], "");
    ck_assert_str_eq(r.f[RF_SUBJECT], "Tender");
    ck_assert_str_eq(r.f[RF_GATEWAY], "mx1");
    record_clear(&r);
    ck_assert_ptr_null(r.f[RF_TIME]);
    vd.nrcpts = RECORD_MAX_RCPTS + 2;
    ck_assert_int_eq(record_fill(&r, &c, &vd, &v), 0);
    snprintf(want, sizeof(want), "r%d@x,+2 more", RECORD_MAX_RCPTS - 1);
    size_t len = strlen(r.f[RF_RECIPIENTS]);
    ck_assert_uint_gt(len, strlen(want));
    ck_assert_str_eq(r.f[RF_RECIPIENTS] + len - strlen(want), want);
    ck_assert_str_eq(r.f[RF_GATEWAY], "mx1");
    record_clear(&r);
}
END_TEST

START_TEST(kv_escaping)
{
    struct record r;
    char buf[2048], small[64];

    known(&r);
    free(r.f[RF_SUBJECT]);
    r.f[RF_SUBJECT] = strdup("say \"hi\"\\ \r\nforged=1 \xff");
    free(r.f[RF_DEPARTMENT]);
    r.f[RF_DEPARTMENT] = strdup("Forêts a=b");
    record_kv(&r, buf, sizeof(buf));
    ck_assert_msg(strstr(buf, " subject=\"say \\\"hi\\\"\\\\ \\x0d\\x0aforged=1 \\xff\" ") != NULL,
                  "got %s", buf);
    ck_assert_msg(strstr(buf, " department=\"Forêts a=b\" ") != NULL, "got %s", buf);
    ck_assert_msg(strncmp(buf, "time=2026-03-02T08:15:00Z queue_id=\"\" ", 38) == 0, "got %s", buf);
    ck_assert_ptr_null(strchr(buf, '\n'));
    /* A line too short for every field ends with truncated=1, cut between fields. */
    record_kv(&r, small, sizeof(small));
    ck_assert_msg(strlen(small) < sizeof(small) && strstr(small, " truncated=1") != NULL, "got %s",
                  small);
    record_clear(&r);
}
END_TEST

/* store_suite - every case on a fresh database. */
static Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, schema_created);
    tcase_add_test(tc, open_refuses);
    tcase_add_test(tc, append_chains);
    tcase_add_test(tc, append_sees_other_writers);
    tcase_add_test(tc, old_page_size_kept);
    tcase_add_loop_test(tc, query_filters, 0, sizeof(query_cases) / sizeof(query_cases[0]));
    tcase_add_test(tc, query_stops);
    tcase_add_test(tc, verify_intact);
    tcase_add_loop_test(tc, verify_tampered, 0, sizeof(tamper_cases) / sizeof(tamper_cases[0]));
    tcase_add_test(tc, verify_forged_past_head);
    tcase_add_test(tc, expire_checkpoint);
    tcase_add_test(tc, canonical_form);
    tcase_add_test(tc, kv_escaping);
    tcase_add_test(tc, fill_fields);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(store_suite)
