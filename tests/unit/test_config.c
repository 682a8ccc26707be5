/*
 * test_config - the configuration loader: the SPEC reference config, the
 * defaults, one file per error case (exact "file:line:" and message),
 * the warnings, list files, dates, and inline (string) configurations.
 */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "config_load.h"

#define CONFIGS TEST_DATA_DIR "/configs/"
#define MSG_MAX 64

/* Every diagnostic of one load. */
struct msgs {
    char *text[MSG_MAX];
    enum config_severity sev[MSG_MAX];
    size_t n;
    unsigned errors, warnings;
};

/* collect - the report callback: keep each message. */
static void collect(void *arg, enum config_severity sev, const char *msg)
{
    struct msgs *m = arg;

    if (sev == CONFIG_ERROR)
        m->errors++;
    else
        m->warnings++;
    if (m->n < MSG_MAX) {
        m->sev[m->n] = sev;
        m->text[m->n] = strdup(msg);
        ck_assert_ptr_nonnull(m->text[m->n]);
        m->n++;
    }
}

/* msgs_clear - free the messages. */
static void msgs_clear(struct msgs *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->text[i]);
    memset(m, 0, sizeof(*m));
}

/* msgs_dump - all messages on one line, for "got" in failures (static buffer: tests only). */
static const char *msgs_dump(const struct msgs *m)
{
    static char buf[8192];
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < m->n && o < sizeof(buf) - 1; i++) {
        int w = snprintf(buf + o, sizeof(buf) - o, "%s[%s] ", m->sev[i] == CONFIG_ERROR ? "E" : "W",
                         m->text[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return m->n ? buf : "(no messages)";
}

/* msgs_find - 1 when a message of SEV starts with PREFIX and contains PART. */
static int msgs_find(const struct msgs *m, enum config_severity sev, const char *prefix,
                     const char *part)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->sev[i] == sev && strncmp(m->text[i], prefix, strlen(prefix)) == 0 &&
            strstr(m->text[i], part) != NULL)
            return 1;
    return 0;
}

/* utc - a UTC calendar time as time_t. */
static time_t utc(int y, int mo, int d)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    return timegm(&tm);
}

/* load - config_load of tests/data/configs/NAME. */
static struct policy *load(const char *name, time_t now, struct msgs *m)
{
    char path[512];

    snprintf(path, sizeof(path), "%s%s", CONFIGS, name);
    return config_load(path, now, collect, m);
}

/*
 * Each tests/data/configs/bad-*.conf names the errors it must produce in
 * lines "# error: FILE:LINE: PART" (FILE relative to that directory, LINE
 * left out where there is none): exactly these errors, no others. The
 * warn-*.conf files do the same with "# warning:" lines.
 */

/* expect_lines - the lines of CONF starting with TAG into WANT (at most MAX); their number. */
static int expect_lines(const char *conf, const char *tag, char want[][512], int max)
{
    char path[512], line[512];
    FILE *fp;
    int n = 0;

    snprintf(path, sizeof(path), "%s%s", CONFIGS, conf);
    fp = fopen(path, "r");
    ck_assert_msg(fp != NULL, "%s: cannot open", path);
    while (fgets(line, sizeof(line), fp) != NULL && n < max)
        if (strncmp(line, tag, strlen(tag)) == 0) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(want[n++], 512, "%s", line + strlen(tag));
        }
    ck_assert_int_eq(fclose(fp), 0);
    return n;
}

/* expect_check - load CONF at NOW; its "# error:"/"# warning:" lines must be what it reports. */
static void expect_check(const char *conf, time_t now, char *err, size_t errlen)
{
    char want[16][512], where[512];
    struct msgs m = {0};
    struct policy *p = load(conf, now, &m);
    int ne = expect_lines(conf, "# error: ", want, 16);
    int nw = expect_lines(conf, "# warning: ", want + ne, 16 - ne);
    int ok = (p == NULL) == (ne > 0) && ne + nw > 0 && m.errors == (unsigned)ne &&
             m.warnings == (unsigned)nw;

    for (int i = 0; i < ne + nw && ok; i++) {
        const char *part = strstr(want[i], ": ") + 2; /* after "FILE:LINE: " */
        snprintf(where, sizeof(where), "%s%.*s", CONFIGS, (int)(part - want[i]), want[i]);
        ok = msgs_find(&m, i < ne ? CONFIG_ERROR : CONFIG_WARNING, where, part);
    }
    if (!ok) {
        size_t o = strlen(err);
        snprintf(err + o, errlen - o, "\n%s: got %s%s, want %d error(s), %d warning(s)", conf,
                 p ? "a policy, " : "", msgs_dump(&m), ne, nw);
    }
    policy_unref(p);
    msgs_clear(&m);
}

/* name_cmp - qsort order of file names. */
static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(expect_configs)
{
    static char err[65536];
    DIR *d = opendir(CONFIGS);
    struct dirent *e;
    char *names[128];
    size_t n = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL && n < 128) {
        size_t len = strlen(e->d_name);
        if ((strncmp(e->d_name, "bad-", 4) == 0 || strncmp(e->d_name, "warn-", 5) == 0) &&
            len > 5 && strcmp(e->d_name + len - 5, ".conf") == 0)
            ck_assert_ptr_nonnull(names[n++] = strdup(e->d_name));
    }
    ck_assert_int_eq(closedir(d), 0);
    qsort(names, n, sizeof(names[0]), name_cmp);
    err[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        expect_check(names[i], utc(2027, 4, 1), err, sizeof(err));
        free(names[i]);
    }
    ck_assert_msg(n >= 28, "got %zu bad-*.conf and warn-*.conf files, want them all", n);
    ck_assert_msg(err[0] == '\0', "%zu files:%s", n, err);
}
END_TEST

/* check_reference_scalars - the top-level values of the SPEC example. */
static void check_reference_scalars(const struct policy *p)
{
    ck_assert_int_eq(p->mode, MODE_ENFORCE);
    ck_assert_str_eq(p->socket, "inet:8894@127.0.0.1");
    ck_assert_str_eq(p->database, "/var/lib/officialmail/violations.db");
    ck_assert_uint_eq(p->nofficial, 2);
    ck_assert_str_eq(p->official_domains[0], "jk.gov.in");
    ck_assert_str_eq(p->official_domains[1], "nic.in");
    ck_assert_uint_eq(p->nmarkers, 1);
    ck_assert_str_eq(p->markers[0].source, "(?i)\\b(secretary|commissioner|director|deputy "
                                           "commissioner|govt\\.?|government)\\b");
    ck_assert_int_eq(policy_pattern_match(&p->markers[0], "Deputy Commissioner, Srinagar", 29), 1);
    ck_assert_str_eq(p->default_department, "unassigned");
    ck_assert_uint_eq(p->ncompliance_digest_to, 1);
    ck_assert_str_eq(p->compliance_digest_to[0], "compliance@jk.gov.in");
    ck_assert_str_eq(p->digest_from, "officialmail@jk.gov.in");
    ck_assert_str_eq(p->sendmail_command, "/usr/sbin/sendmail -t -i");
    ck_assert_int_eq(p->subject_logging, SUBJECT_FULL);
    ck_assert_int_eq(p->database_commit, COMMIT_BEFORE_ANSWER); /* SPEC 6: the default */
    ck_assert_int_eq(p->on_dns_error, ON_ERROR_TEMPFAIL);
    ck_assert_int_eq(p->on_internal_error, ON_ERROR_TEMPFAIL);
    ck_assert_int_eq(p->rules[RULE_OFFICIAL_TO_WEBMAIL].action, ACTION_REJECT);
    ck_assert_str_eq(p->rules[RULE_OFFICIAL_TO_WEBMAIL].message,
                     "Official mail may not be sent to private webmail accounts");
    ck_assert_int_eq(p->rules[RULE_WEBMAIL_TO_OFFICIAL].action, ACTION_QUARANTINE);
    ck_assert_ptr_null(p->rules[RULE_WEBMAIL_TO_OFFICIAL].message);
    ck_assert_int_eq(p->rules[RULE_REPLY_TO_WEBMAIL].action, ACTION_QUARANTINE);
    ck_assert_int_eq(p->rules[RULE_SPOOFED_OFFICIAL].action, ACTION_REJECT);
}

/* check_reference_departments - the two departments of the SPEC example. */
static void check_reference_departments(const struct policy *p)
{
    const struct department *it = &p->departments[0], *pw = &p->departments[1];
    const char *subject = "it-helpdesk@jk.gov.in";

    ck_assert_uint_eq(p->ndepartments, 2);
    ck_assert_str_eq(it->name, "Information Technology");
    ck_assert_uint_eq(it->ndomains, 1);
    ck_assert_str_eq(it->domains[0], "it.jk.gov.in");
    ck_assert_uint_eq(it->naddresses, 1);
    ck_assert_str_eq(it->addresses[0], "secy-it@jk.gov.in");
    ck_assert_uint_eq(it->npatterns, 1);
    ck_assert_int_eq(policy_pattern_match(&it->patterns[0], subject, strlen(subject)), 1);
    ck_assert_uint_eq(it->nprivate, 1);
    ck_assert_str_eq(it->private_addresses[0], "secyit.home@gmail.com");
    ck_assert_uint_eq(it->ndigest_to, 1);
    ck_assert_str_eq(it->digest_to[0], "ciso.it@jk.gov.in");
    ck_assert_int_eq(it->mode, MODE_UNSET);
    ck_assert_str_eq(pw->name, "Power Development");
    ck_assert_uint_eq(pw->ndomains, 2);
    ck_assert_str_eq(pw->domains[1], "kpdcl.jk.gov.in");
    ck_assert_uint_eq(pw->naddresses + pw->npatterns + pw->nprivate, 0);
    ck_assert_str_eq(pw->digest_to[0], "iso.power@jk.gov.in");
    ck_assert_int_eq(pw->mode, MODE_MONITOR);
}

/* check_reference_exception - the one exception of the SPEC example. */
static void check_reference_exception(const struct policy *p)
{
    const struct exception *x = &p->exceptions[0];

    ck_assert_uint_eq(p->nexceptions, 1);
    ck_assert_int_eq(x->sender.any, 0);
    ck_assert_str_eq(x->sender.address, "helpdesk@jk.gov.in");
    ck_assert_ptr_null(x->sender.domain);
    ck_assert_int_eq(x->recipient.any, 1);
    ck_assert_uint_eq(x->rules, 1u << RULE_OFFICIAL_TO_WEBMAIL);
    ck_assert_int_eq(x->has_expires, 1);
    ck_assert_str_eq(x->expires_text, "2027-03-31");
    ck_assert_msg(x->expires_end == utc(2027, 4, 1), "expires_end: got %lld, want %lld",
                  (long long)x->expires_end, (long long)utc(2027, 4, 1));
    ck_assert_str_eq(x->ticket, "CR-2211");
    ck_assert_str_eq(x->reason, "citizen helpdesk replies to citizens");
    ck_assert_str_eq(x->file, CONFIGS "reference.conf");
    ck_assert_int_eq(x->line, 41);
}

START_TEST(reference_loads)
{
    struct msgs m = {0};
    struct policy *p = load("reference.conf", utc(2027, 1, 1), &m);

    ck_assert_msg(p != NULL && m.n == 0, "got %s, want a policy and no messages", msgs_dump(&m));
    ck_assert_str_eq(p->file, CONFIGS "reference.conf");
    check_reference_scalars(p);
    check_reference_departments(p);
    check_reference_exception(p);
    policy_unref(p);
    msgs_clear(&m);
}
END_TEST

/* Lookups on the reference policy: set, key, want value (-1: absent). */
/* clang-format off */
static const struct {
    int table; /* 0 official 1 webmail 2 dept_domains 3 dept_addresses 4 private_owner 5 internal */
    const char *key;
    int want;
} lookup_cases[] = {
    {0, "jk.gov.in", 0}, {0, "mail.nic.in", 1}, {0, "evil-jk.gov.in", -1},
    {1, "gmail.com", 1}, {1, "mail.yahoo.co.in", 1}, {1, "ymail.com", 1},
    {1, "live.com", 1}, {1, "example-webmail.test", 1}, {1, "jk.gov.in", -1},
    {1, "googlemail.com", 1}, {1, "pm.me", 1}, {2, "x.it.jk.gov.in", 0},
    {2, "kpdcl.jk.gov.in", 1}, {2, "jpdcl.jk.gov.in", 1}, {2, "jk.gov.in", -1},
    {3, "secy-it@jk.gov.in", 0}, {3, "other@jk.gov.in", -1}, {4, "secyit.home@gmail.com", 0},
    {4, "someone@gmail.com", -1}, {5, "10.20.30.40", 1}, {5, "::1", 1},
    {5, "192.0.2.1", -1}, {5, "::ffff:127.0.0.1", 1},
};
/* clang-format on */

START_TEST(reference_lookups)
{
    struct msgs m = {0};
    struct policy *p = load("reference.conf", utc(2027, 1, 1), &m);
    const char *k = lookup_cases[_i].key;
    int got = -1, v = -1;

    ck_assert_ptr_nonnull(p);
    switch (lookup_cases[_i].table) {
    case 0:
        got = domain_set_match(p->official, k, &v) ? v : -1;
        break;
    case 1:
        got = domain_set_match(p->webmail, k, &v) ? 1 : -1;
        break;
    case 2:
        got = domain_set_match(p->dept_domains, k, &v) ? v : -1;
        break;
    case 3:
        got = strtab_get(p->dept_addresses, k, strlen(k), &v) ? v : -1;
        break;
    case 4:
        got = strtab_get(p->private_owner, k, strlen(k), &v) ? v : -1;
        break;
    default:
        got = cidr_list_match(p->internal, k) == 1 ? 1 : -1;
    }
    ck_assert_msg(got == lookup_cases[_i].want, "table %d, %s: got %d, want %d",
                  lookup_cases[_i].table, k, got, lookup_cases[_i].want);
    policy_unref(p);
    msgs_clear(&m);
}
END_TEST

START_TEST(reference_expired_warning)
{
    struct msgs m = {0};
    struct policy *p = load("reference.conf", utc(2027, 4, 1), &m);

    ck_assert_msg(p != NULL, "got NULL (%s), want a policy", msgs_dump(&m));
    ck_assert_msg(m.warnings == 1 && m.errors == 0, "got %s, want one warning", msgs_dump(&m));
    ck_assert_msg(
        msgs_find(&m, CONFIG_WARNING, CONFIGS "reference.conf:42: ", "expired on 2027-03-31"),
        "got %s, want the expiry warning at line 42", msgs_dump(&m));
    /* An expired exception is still loaded: the verdict ignores it by date. */
    ck_assert_uint_eq(p->nexceptions, 1);
    policy_unref(p);
    msgs_clear(&m);
    /* The last second of the expiry day is still inside it. */
    p = load("reference.conf", utc(2027, 4, 1) - 1, &m);
    ck_assert_msg(p != NULL && m.n == 0, "at 2027-03-31T23:59:59Z: got %s, want nothing",
                  msgs_dump(&m));
    policy_unref(p);
    msgs_clear(&m);
}
END_TEST

START_TEST(defaults_when_absent)
{
    struct msgs m = {0};
    struct policy *p = load("minimal.conf", utc(2027, 1, 1), &m);

    ck_assert_msg(p != NULL && m.n == 0, "got %s, want a policy and no messages", msgs_dump(&m));
    ck_assert_int_eq(p->mode, MODE_ENFORCE);
    ck_assert_str_eq(p->socket, "unix:" RUNSTATEDIR "/officialmail/milter.sock");
    ck_assert_str_eq(p->database, LOCALSTATEDIR "/lib/officialmail/violations.db");
    ck_assert_str_eq(p->official_domains[0], "jk.gov.in"); /* "JK.Gov.In." normalised */
    ck_assert_str_eq(p->official_domains[1], "nic.in");    /* "*.nic.in" means nic.in */
    ck_assert_int_eq(cidr_list_count(p->internal), 2);
    ck_assert_int_eq(cidr_list_match(p->internal, "127.1.2.3"), 1);
    ck_assert_int_eq(cidr_list_match(p->internal, "::1"), 1);
    ck_assert_int_eq(cidr_list_match(p->internal, "10.0.0.1"), 0);
    ck_assert_uint_eq(p->nmarkers + p->ncompliance_digest_to, 0);
    ck_assert_str_eq(p->default_department, "unassigned");
    ck_assert_ptr_null(p->digest_from);
    ck_assert_str_eq(p->sendmail_command, "/usr/sbin/sendmail -t -i");
    ck_assert_int_eq(p->subject_logging, SUBJECT_FULL);
    ck_assert_int_eq(p->on_dns_error + p->on_internal_error, 2 * ON_ERROR_TEMPFAIL);
    for (int r = 0; r < RULE_COUNT; r++) /* the actions of the SPEC example */
        ck_assert_int_eq(p->rules[r].action,
                         r == RULE_OFFICIAL_TO_WEBMAIL || r == RULE_SPOOFED_OFFICIAL
                             ? ACTION_REJECT
                             : ACTION_QUARANTINE);
    ck_assert_uint_eq(p->ndepartments + p->nexceptions, 0);
    ck_assert_uint_eq(domain_set_count(p->webmail), 11);
    ck_assert_uint_eq(domain_set_count(p->not_webmail), 0);
    policy_unref(p);
    msgs_clear(&m);
}
END_TEST

START_TEST(overlap_first_department_wins)
{
    struct msgs m = {0};
    struct policy *p = load("warn-overlap.conf", utc(2027, 4, 1), &m);
    int v = -1;

    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(domain_set_match(p->dept_domains, "a.it.jk.gov.in", &v));
    ck_assert_msg(v == 0, "it.jk.gov.in: got department %d, want 0", v);
    ck_assert_ptr_nonnull(strtab_get(p->private_owner, "it.head@yahoo.com", 17, &v));
    ck_assert_msg(v == 0, "it.head@yahoo.com: got department %d, want 0", v);
    ck_assert_int_eq(domain_set_contains(p->not_webmail, "corp.example.org", NULL), 1);
    ck_assert_ptr_nonnull(domain_set_match(p->official, "gmail.com", NULL));
    ck_assert_int_eq(p->exceptions[1].sender.domain != NULL, 1);
    ck_assert_str_eq(p->exceptions[1].sender.domain, "jk.gov.in");
    ck_assert_str_eq(p->exceptions[1].recipient.domain, "rediffmail.com");
    ck_assert_int_eq(p->exceptions[1].has_expires, 0);
    ck_assert_uint_eq(p->exceptions[1].rules, (1u << RULE_COUNT) - 1);
    ck_assert_int_eq(p->exceptions[2].sender.any, 1);
    policy_unref(p);
    msgs_clear(&m);
}
END_TEST

START_TEST(include_file)
{
    struct msgs m = {0};
    struct policy *p = load("include-main.conf", utc(2027, 1, 1), &m);

    ck_assert_msg(p != NULL && m.n == 0, "got %s, want a policy", msgs_dump(&m));
    ck_assert_uint_eq(p->ndepartments, 1);
    ck_assert_str_eq(p->departments[0].name, "Information Technology");
    ck_assert_str_eq(p->database, CONFIGS "violations.db");
    policy_unref(p);
    msgs_clear(&m);
}
END_TEST

START_TEST(missing_config_file)
{
    struct msgs m = {0};

    ck_assert_ptr_null(load("no-such.conf", 0, &m));
    ck_assert_msg(m.errors == 1 && msgs_find(&m, CONFIG_ERROR, CONFIGS "no-such.conf: ",
                                             "cannot read: No such file or directory"),
                  "got %s", msgs_dump(&m));
    msgs_clear(&m);
    ck_assert_ptr_null(config_load(TEST_DATA_DIR, 0, collect, &m));
    ck_assert_msg(msgs_find(&m, CONFIG_ERROR, TEST_DATA_DIR ": ", "Is a directory"), "got %s",
                  msgs_dump(&m));
    msgs_clear(&m);
    /* No callback: errors are still errors. */
    ck_assert_ptr_null(config_load(CONFIGS "bad-mode.conf", 0, NULL, NULL));
}
END_TEST

START_TEST(default_path)
{
    ck_assert_str_eq(config_default_path(), SYSCONFDIR "/officialmail/officialmail.conf");
}
END_TEST

/* inline - load TEXT (official_domains and an empty list set after it) as "inline.conf". */
static struct policy *inline_load(const char *text, time_t now, struct msgs *m)
{
    char buf[4096];
    int n = snprintf(buf, sizeof(buf),
                     "%s\nofficial_domains = [ \"jk.gov.in\" ];\nwebmail_domains = [ ];\n", text);

    ck_assert_msg(n > 0 && (size_t)n < sizeof(buf), "inline case too long: %s", text);
    return config_load_string(buf, "inline.conf", now, collect, m);
}

/* inline_case - run one line of inline-cases.txt; a failure is appended to ERR. */
static void inline_case(int lineno, char *line, char *err, size_t errlen)
{
    char *want = line, *part = strchr(line, '\t'), *text;
    struct msgs m = {0};
    struct policy *p;
    int ok;

    ck_assert_msg(part != NULL && (text = strchr(part + 1, '\t')) != NULL,
                  "inline-cases.txt:%d: want three fields", lineno);
    *part++ = '\0';
    *text++ = '\0';
    p = inline_load(text, utc(2027, 1, 1), &m);
    if (strcmp(want, "ok") == 0)
        ok = p != NULL && m.n == 0;
    else if (strcmp(want, "warning") == 0)
        ok = p != NULL && m.n == 1 && msgs_find(&m, CONFIG_WARNING, "inline.conf:1: ", part);
    else
        ok = p == NULL && m.n == 1 && msgs_find(&m, CONFIG_ERROR, "inline.conf:1: ", part);
    if (!ok) {
        size_t o = strlen(err);
        snprintf(err + o, errlen - o, "\ninline-cases.txt:%d: %s: got %s, want %s \"%s\"", lineno,
                 text, msgs_dump(&m), want, part);
    }
    policy_unref(p);
    msgs_clear(&m);
}

START_TEST(inline_cases_file)
{
    FILE *fp = fopen(CONFIGS "inline-cases.txt", "r");
    static char err[65536];
    char line[1024];
    int lineno = 0, cases = 0;

    ck_assert_ptr_nonnull(fp);
    err[0] = '\0';
    while (fgets(line, sizeof(line), fp) != NULL) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        inline_case(lineno, line, err, sizeof(err));
        cases++;
    }
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_msg(cases >= 40, "got %d cases, want the whole file", cases);
    ck_assert_msg(err[0] == '\0', "%d cases:%s", cases, err);
}
END_TEST

/* Expiry dates: the first second after the day, or invalid. */
/* clang-format off */
static const struct {
    const char *text;
    int y, m, d; /* the day after; y == 0: invalid */
} date_cases[] = {
    {"2027-03-31", 2027, 4, 1}, {"2028-02-29", 2028, 3, 1}, {"2027-02-28", 2027, 3, 1},
    {"2027-12-31", 2028, 1, 1}, {"2000-02-29", 2000, 3, 1}, {"1970-01-01", 1970, 1, 2},
    {"2400-02-29", 2400, 3, 1}, {"2027-02-29", 0, 0, 0}, {"2100-02-29", 0, 0, 0},
    {"2027-04-31", 0, 0, 0}, {"2027-02-30", 0, 0, 0}, {"2027-13-01", 0, 0, 0},
    {"2027-00-10", 0, 0, 0}, {"2027-01-00", 0, 0, 0}, {"2027-3-31", 0, 0, 0},
    {"2027-03-31 ", 0, 0, 0}, {"2027/03/31", 0, 0, 0}, {"27-03-31", 0, 0, 0},
    {"", 0, 0, 0}, {"2027-03-31T00:00:00Z", 0, 0, 0}, {"1969-12-31", 0, 0, 0},
    {"+027-03-31", 0, 0, 0}, {"2027-03-3a", 0, 0, 0},
};
/* clang-format on */

START_TEST(date_table)
{
    struct msgs m = {0};
    char text[256];
    struct policy *p;

    snprintf(text, sizeof(text), "exceptions = ( { ticket = \"D\"; expires = \"%s\"; } );",
             date_cases[_i].text);
    p = inline_load(text, 0, &m);
    if (date_cases[_i].y == 0) {
        ck_assert_msg(p == NULL && msgs_find(&m, CONFIG_ERROR, "inline.conf:1: ", "invalid date"),
                      "%s: got %s, want invalid date", date_cases[_i].text, msgs_dump(&m));
    } else {
        time_t want = utc(date_cases[_i].y, date_cases[_i].m, date_cases[_i].d);
        ck_assert_msg(p != NULL, "%s: got %s, want a policy", date_cases[_i].text, msgs_dump(&m));
        ck_assert_msg(p->exceptions[0].expires_end == want, "%s: got %lld, want %lld",
                      date_cases[_i].text, (long long)p->exceptions[0].expires_end,
                      (long long)want);
    }
    policy_unref(p);
    msgs_clear(&m);
}
END_TEST

/* write_file - create DIR/NAME holding TEXT (LEN bytes); the path goes to OUT. */
static void write_file(const char *dir, const char *name, const char *text, size_t len, char *out,
                       size_t outlen)
{
    FILE *fp;

    snprintf(out, outlen, "%s/%s", dir, name);
    fp = fopen(out, "w");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
}

/* load_list - an inline configuration whose only list is PATH. */
static struct policy *load_list(const char *path, struct msgs *m)
{
    char text[1024];

    snprintf(text, sizeof(text),
             "official_domains = [ \"jk.gov.in\" ];\n"
             "webmail_domains = [ \"%s\" ];\n",
             path);
    return config_load_string(text, "lists.conf", 0, collect, m);
}

/* tmpdir - a fresh directory for one test's files. */
static void tmpdir(char *dir, size_t len)
{
    snprintf(dir, len, "/tmp/test_config.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

START_TEST(list_file_format)
{
    static const char list[] = "# comment\r\n\r\n  gmail.com  \r\n\tYahoo.COM\t# trailing\n"
                               "*.ymail.com\n.live.com\nb\xc3\xbc"
                               "cher.example\n"
                               "   # indented comment\nlast.example";
    static const char *const want[] = {
        "gmail.com", "yahoo.com", "ymail.com", "live.com", "xn--bcher-kva.example", "last.example"};
    char dir[64], path[128];
    struct msgs m = {0};
    struct policy *p;

    tmpdir(dir, sizeof(dir));
    write_file(dir, "list.txt", list, sizeof(list) - 1, path, sizeof(path));
    p = load_list(path, &m);
    ck_assert_msg(p != NULL && m.n == 0, "got %s, want a policy", msgs_dump(&m));
    ck_assert_uint_eq(domain_set_count(p->webmail), sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_msg(domain_set_contains(p->webmail, want[i], NULL),
                      "%s: got absent, want present", want[i]);
    policy_unref(p);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(list_file_errors_capped)
{
    char dir[64], path[128], big[4096], want[256];
    struct msgs m = {0};
    size_t o = 0;

    tmpdir(dir, sizeof(dir));
    for (int i = 0; i < 30; i++)
        o += (size_t)snprintf(big + o, sizeof(big) - o, "bad..domain%d\n", i);
    write_file(dir, "bad.txt", big, o, path, sizeof(path));
    ck_assert_ptr_null(load_list(path, &m));
    ck_assert_msg(m.errors == 11, "got %u errors (%s), want 10 and \"too many\"", m.errors,
                  msgs_dump(&m));
    snprintf(want, sizeof(want), "%s:10: ", path);
    ck_assert_msg(msgs_find(&m, CONFIG_ERROR, want, "too many errors"), "got %s", msgs_dump(&m));
    msgs_clear(&m);
    unlink(path);
    memset(big, 'a', sizeof(big));
    write_file(dir, "long.txt", big, sizeof(big), path, sizeof(path));
    ck_assert_ptr_null(load_list(path, &m));
    snprintf(want, sizeof(want), "%s:1: ", path);
    ck_assert_msg(m.errors == 1 && msgs_find(&m, CONFIG_ERROR, want, "line longer than"), "got %s",
                  msgs_dump(&m));
    msgs_clear(&m);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(list_not_regular_file)
{
    char dir[64], fifo[128];
    struct msgs m = {0};

    tmpdir(dir, sizeof(dir));
    snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    /* A FIFO nobody writes to must not hang the load. */
    ck_assert_ptr_null(load_list(fifo, &m));
    ck_assert_msg(msgs_find(&m, CONFIG_ERROR, "lists.conf:2: ", "not a regular file"), "got %s",
                  msgs_dump(&m));
    msgs_clear(&m);
    ck_assert_ptr_null(load_list("/dev/zero", &m));
    ck_assert_msg(msgs_find(&m, CONFIG_ERROR, "lists.conf:2: ", "not a regular file"), "got %s",
                  msgs_dump(&m));
    msgs_clear(&m);
    ck_assert_ptr_null(load_list(dir, &m));
    ck_assert_msg(msgs_find(&m, CONFIG_ERROR, "lists.conf:2: ", "Is a directory"), "got %s",
                  msgs_dump(&m));
    msgs_clear(&m);
    unlink(fifo);
    rmdir(dir);
}
END_TEST

START_TEST(list_5000_domains_fast)
{
    char dir[64], path[128];
    char *big = malloc(5000 * 40);
    struct msgs m = {0};
    struct timespec t0, t1;
    size_t o = 0;
    struct policy *p;
    double ms;

    ck_assert_ptr_nonnull(big);
    for (int i = 0; i < 5000; i++)
        o += (size_t)snprintf(big + o, 40, "webmail-provider-%04d.example # %d\n", i, i);
    tmpdir(dir, sizeof(dir));
    write_file(dir, "big.txt", big, o, path, sizeof(path));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    p = load_list(path, &m);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    ck_assert_msg(p != NULL && m.n == 0, "got %s", msgs_dump(&m));
    ck_assert_uint_eq(domain_set_count(p->webmail), 5000);
    /* Milliseconds in an optimised build; the bound leaves room for sanitizers. */
    ck_assert_msg(ms < 1000.0, "5,000 domains: got %.1f ms, want well under a second", ms);
    printf("test_config: 5,000-domain list loaded in %.1f ms\n", ms);
    policy_unref(p);
    free(big);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(string_include_and_name)
{
    struct msgs m = {0};
    struct policy *p;

    p = inline_load("@include \"" CONFIGS "include-departments.inc\"", 0, &m);
    ck_assert_msg(p != NULL && p->ndepartments == 1, "got %s, want the included department",
                  msgs_dump(&m));
    policy_unref(p);
    p = inline_load("@include \"" CONFIGS "bad-include.inc\"", 0, &m);
    ck_assert_msg(p == NULL && msgs_find(&m, CONFIG_ERROR, CONFIGS "bad-include.inc:5: ", "digest"),
                  "got %s, want the included file named", msgs_dump(&m));
    msgs_clear(&m);
    ck_assert_ptr_null(config_load_string("mode = \"x\";", NULL, 0, collect, &m));
    ck_assert_msg(msgs_find(&m, CONFIG_ERROR, "(string):1: ", "is not one of") &&
                      msgs_find(&m, CONFIG_ERROR, "(string): ", "official_domains is required"),
                  "got %s", msgs_dump(&m));
    msgs_clear(&m);
}
END_TEST

START_TEST(long_values_quoted_bounded)
{
    char text[4096];
    struct msgs m = {0};
    size_t o;

    /* UTF-8 continuation bytes without a lead byte, far past the quoting limit. */
    o = (size_t)snprintf(text, sizeof(text), "extra_webmail_domains = [ \"x");
    memset(text + o, 0x9e, 2000);
    snprintf(text + o + 2000, sizeof(text) - o - 2000, "\" ];");
    ck_assert_ptr_null(inline_load(text, 0, &m));
    ck_assert_msg(m.n == 1 && strlen(m.text[0]) < 300 && strstr(m.text[0], "...\"") != NULL,
                  "got %zu messages, the first %zu bytes long", m.n, m.n ? strlen(m.text[0]) : 0);
    msgs_clear(&m);
}
END_TEST

START_TEST(inline_values)
{
    struct msgs m = {0};
    struct policy *p = inline_load(
        "internal_networks = [ ];\nofficial_markers = [ ];\nextra_webmail_domains = "
        "[ \"*.Mail.Example\" ];\nexceptions = ( { recipient = \"@Gmail.COM.\"; "
        "sender = \"Boss@JK.gov.in\"; expires = \"2030-01-01\"; } );\n"
        "departments = ( { name = \"IT\"; mode = \"enforce\"; } );\nmode = \"monitor\";",
        0, &m);

    ck_assert_msg(p != NULL && m.n == 0, "got %s, want a policy", msgs_dump(&m));
    ck_assert_uint_eq(cidr_list_count(p->internal), 0); /* [ ]: no network is internal */
    ck_assert_int_eq(domain_set_contains(p->webmail, "mail.example", NULL), 1);
    ck_assert_str_eq(p->exceptions[0].recipient.domain, "gmail.com");
    ck_assert_str_eq(p->exceptions[0].sender.address, "boss@jk.gov.in");
    ck_assert_int_eq(p->mode, MODE_MONITOR);
    ck_assert_int_eq(p->departments[0].mode, MODE_ENFORCE);
    ck_assert_str_eq(p->file, "inline.conf");
    policy_unref(p);
}
END_TEST

/* inline_tests - the string-mode tests of the suite. */
static void inline_tests(TCase *tc)
{
    tcase_add_test(tc, inline_cases_file);
    tcase_add_loop_test(tc, date_table, 0, sizeof(date_cases) / sizeof(date_cases[0]));
    tcase_add_test(tc, list_file_format);
    tcase_add_test(tc, list_file_errors_capped);
    tcase_add_test(tc, list_not_regular_file);
    tcase_add_test(tc, list_5000_domains_fast);
    tcase_add_test(tc, string_include_and_name);
    tcase_add_test(tc, long_values_quoted_bounded);
    tcase_add_test(tc, inline_values);
}

/* config_suite - every configuration test. */
static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *files = tcase_create("files"), *inl = tcase_create("inline");

    tcase_add_test(files, reference_loads);
    tcase_add_loop_test(files, reference_lookups, 0,
                        sizeof(lookup_cases) / sizeof(lookup_cases[0]));
    tcase_add_test(files, reference_expired_warning);
    tcase_add_test(files, defaults_when_absent);
    tcase_add_test(files, expect_configs);
    tcase_add_test(files, overlap_first_department_wins);
    tcase_add_test(files, include_file);
    tcase_add_test(files, missing_config_file);
    tcase_add_test(files, default_path);
    suite_add_tcase(s, files);
    inline_tests(inl);
    tcase_set_timeout(inl, 30);
    suite_add_tcase(s, inl);
    return s;
}

CHECK_MAIN(config_suite)
