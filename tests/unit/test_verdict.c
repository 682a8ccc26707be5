/*
 * test_verdict - the decision, case by case: each rule firing and not,
 * reasons, departments, modes, exceptions (live, expired, at RCPT),
 * DNS errors, precedence and per-recipient outcomes (SPEC 4, 5, 5a).
 *
 * Each case's verdict is printed in one compact line:
 *   ACTION | rcpt=action ... | rule address [department] action/intended (reasons) ticket [@rcpt] ;
 * ...
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "message_file.h"
#include "verdict.h"
#include "verdict_fixture.h"

struct vcase {
    const char *name;
    const char *mail_from;
    const char *rcpts[4];
    const char *headers;
    const char *ip; /* NULL: 127.0.0.1 (internal) */
    const char *auth;
    const char *helo;
    enum auth_result spf;
    const char *dkim; /* "domain=result" or NULL */
    const char *mode;
    const char *on_dns_error;
    const char *now; /* NULL: 2026-12-01T00:00:00Z */
    int non_smtp;
    const char *want;
};

#define IT "Information Technology"
#define EXT "192.0.2.10"

static const struct vcase cases[] = {
    {"o2w refused per recipient",
     "<secy-it@jk.gov.in>",
     {"<x@gmail.com>", "<y@jk.gov.in>"},
     NULL,
     .want = "reject | x@gmail.com=reject y@jk.gov.in=accept | official-to-webmail x@gmail.com "
             "[" IT "] reject/reject () - @rcpt"},
    {"o2w by From only refuses the message",
     "<bounce@lists.example.org>",
     {"<x@gmail.com>"},
     "From: a@jk.gov.in\n",
     .want = "reject | x@gmail.com=reject | official-to-webmail x@gmail.com [unassigned] "
             "reject/reject () -"},
    {"o2w by auth login",
     "<x@example.org>",
     {"<y@yahoo.co.in>"},
     NULL,
     .auth = "it-ops@jk.gov.in",
     .want = "reject | y@yahoo.co.in=reject | official-to-webmail y@yahoo.co.in [" IT "] "
             "reject/reject () -"},
    {"official to external is fine",
     "<secy-it@jk.gov.in>",
     {"<a@example.org>"},
     NULL,
     .want = "accept | a@example.org=accept |"},
    {"bounce from mailer-daemon is not correspondence",
     "<>",
     {"<x@gmail.com>"},
     "From: MAILER-DAEMON@jk.gov.in\n",
     .want = "accept | x@gmail.com=accept |"},
    {"multipart/report is not correspondence",
     "<>",
     {"<x@gmail.com>"},
     "From: a@jk.gov.in\nContent-Type: multipart/report; report-type=delivery-status\n",
     .want = "accept | x@gmail.com=accept |"},
    {"null sender alone is not a bounce",
     "<>",
     {"<x@gmail.com>"},
     "From: a@jk.gov.in\nContent-Type: text/plain\n",
     .want = "reject | x@gmail.com=reject | official-to-webmail x@gmail.com [unassigned] "
             "reject/reject () -"},
    {"department monitor mode logs",
     "<a@kpdcl.jk.gov.in>",
     {"<x@gmail.com>"},
     NULL,
     .want = "log | x@gmail.com=accept | official-to-webmail x@gmail.com [Power Development] "
             "log/reject () -"},
    {"global monitor mode logs",
     "<secy-it@jk.gov.in>",
     {"<x@gmail.com>"},
     NULL,
     .mode = "monitor",
     .want = "log | x@gmail.com=accept | official-to-webmail x@gmail.com [" IT "] log/reject () -"},
    {"department enforce under global monitor",
     "<a@audit.fin.jk.gov.in>",
     {"<x@gmail.com>"},
     NULL,
     .mode = "monitor",
     .want = "reject | x@gmail.com=reject | official-to-webmail x@gmail.com [Audit] "
             "reject/reject () - @rcpt"},
    {"exception live on its last second",
     "<helpdesk@jk.gov.in>",
     {"<c@gmail.com>"},
     NULL,
     .now = "2027-03-31T23:59:59Z",
     .want = "accept | c@gmail.com=accept | official-to-webmail c@gmail.com [unassigned] "
             "exempt/reject () CR-2211"},
    {"exception lapsed the next day",
     "<helpdesk@jk.gov.in>",
     {"<c@gmail.com>"},
     NULL,
     .now = "2027-04-01T00:00:00Z",
     .want = "reject | c@gmail.com=reject | official-to-webmail c@gmail.com [unassigned] "
             "reject/reject () - @rcpt"},
    {"exception by domain on both sides",
     "<a@fin.jk.gov.in>",
     {"<b@yahoo.co.in>", "<c@gmail.com>"},
     NULL,
     .want = "reject | b@yahoo.co.in=accept c@gmail.com=reject | official-to-webmail "
             "b@yahoo.co.in [Finance] exempt/reject () CR-9 ; official-to-webmail c@gmail.com "
             "[Finance] reject/reject () - @rcpt"},
    {"expired exception is ignored",
     "<old@jk.gov.in>",
     {"<x@gmail.com>"},
     NULL,
     .want = "reject | x@gmail.com=reject | official-to-webmail x@gmail.com [unassigned] "
             "reject/reject () - @rcpt"},
    {"exception at RCPT sees the envelope sender only",
     "<boss@jk.gov.in>",
     {"<x@gmail.com>"},
     "From: helpdesk@jk.gov.in\n",
     .want = "reject | x@gmail.com=reject | official-to-webmail x@gmail.com [unassigned] "
             "reject/reject () - @rcpt"},
    {"exception by From when nothing is refused at RCPT (monitor)",
     "<boss@jk.gov.in>",
     {"<x@gmail.com>"},
     "From: helpdesk@jk.gov.in\n",
     .mode = "monitor",
     .want = "accept | x@gmail.com=accept | official-to-webmail x@gmail.com [unassigned] "
             "exempt/reject () CR-2211"},
    {"exception by From when not at RCPT",
     "<bounce@example.org>",
     {"<x@gmail.com>"},
     "From: helpdesk@jk.gov.in\n",
     .want = "accept | x@gmail.com=accept | official-to-webmail x@gmail.com [unassigned] "
             "exempt/reject () CR-2211"},
    {"wto known private address",
     "<secyit.home@gmail.com>",
     {"<a@fin.jk.gov.in>"},
     "From: Ravi <secyit.home@gmail.com>\nSubject: hello\n",
     .want = "quarantine | a@fin.jk.gov.in=quarantine | webmail-to-official secyit.home@gmail.com "
             "[" IT "] quarantine/quarantine (known-private-address) -"},
    {"wto display name, one violation per department",
     "<x@gmail.com>",
     {"<a@it.jk.gov.in>", "<b@fin.jk.gov.in>", "<c@it.jk.gov.in>"},
     "From: \"Secretary IT\" <x@gmail.com>\n",
     .want = "quarantine | a@it.jk.gov.in=quarantine b@fin.jk.gov.in=quarantine "
             "c@it.jk.gov.in=quarantine | webmail-to-official x@gmail.com [" IT "] "
             "quarantine/quarantine (display-name) - ; webmail-to-official x@gmail.com [Finance] "
             "quarantine/quarantine (display-name) -"},
    {"wto encoded subject",
     "<x@gmail.com>",
     {"<a@jk.gov.in>"},
     "From: x@gmail.com\nSubject: =?UTF-8?B?R292ZXJubWVudCBvcmRlcg==?=\n",
     .want = "quarantine | a@jk.gov.in=quarantine | webmail-to-official x@gmail.com [unassigned] "
             "quarantine/quarantine (subject) -"},
    {"wto official domain in display name",
     "<x@gmail.com>",
     {"<a@jk.gov.in>"},
     "From: \"jk.gov.in desk\" <x@gmail.com>\n",
     .want = "quarantine | a@jk.gov.in=quarantine | webmail-to-official x@gmail.com [unassigned] "
             "quarantine/quarantine (display-name-official-domain) -"},
    {"wto official address in display name",
     "<x@gmail.com>",
     {"<a@jk.gov.in>"},
     "From: \"for secy@it.jk.gov.in.\" <x@gmail.com>\n",
     .want = "quarantine | a@jk.gov.in=quarantine | webmail-to-official x@gmail.com [unassigned] "
             "quarantine/quarantine (display-name-official-domain) -"},
    {"lookalike domain in display name is not official",
     "<x@gmail.com>",
     {"<a@jk.gov.in>"},
     "From: \"notjk.gov.in\" <x@gmail.com>\n",
     .want = "accept | a@jk.gov.in=accept |"},
    {"citizen mail is accepted",
     "<citizen@gmail.com>",
     {"<a@jk.gov.in>"},
     "From: Ram Kumar <citizen@gmail.com>\nSubject: Water supply in our ward\n",
     .want = "accept | a@jk.gov.in=accept |"},
    {"comment counts as display name",
     "<x@gmail.com>",
     {"<a@jk.gov.in>"},
     "From: x@gmail.com (Deputy Director)\n",
     .want = "quarantine | a@jk.gov.in=quarantine | webmail-to-official x@gmail.com [unassigned] "
             "quarantine/quarantine (display-name) -"},
    {"every reason in order",
     "<fin.boss@yahoo.co.in>",
     {"<a@jk.gov.in>"},
     "Subject: Govt. order\nFrom: \"Director jk.gov.in\" <fin.boss@yahoo.co.in>\n",
     .want = "quarantine | a@jk.gov.in=quarantine | webmail-to-official fin.boss@yahoo.co.in "
             "[Finance] quarantine/quarantine (known-private-address, display-name, "
             "display-name-official-domain, subject) -"},
    {"the listed candidate is the offender",
     "<z@outlook.com>",
     {"<a@jk.gov.in>"},
     "From: a@gmail.com, fin.boss@yahoo.co.in\nSubject: government\n",
     .want = "quarantine | a@jk.gov.in=quarantine | webmail-to-official fin.boss@yahoo.co.in "
             "[Finance] quarantine/quarantine (known-private-address, subject) -"},
    {"exception recipient matches any recipient",
     "<x@gmail.com>",
     {"<press@jk.gov.in>", "<a@it.jk.gov.in>"},
     "From: Secretary <x@gmail.com>\n",
     .want = "accept | press@jk.gov.in=accept a@it.jk.gov.in=accept | webmail-to-official "
             "x@gmail.com [unassigned] exempt/quarantine (display-name) PRESS ; "
             "webmail-to-official x@gmail.com [" IT "] exempt/quarantine (display-name) PRESS"},
    {"reply-to and followup-to webmail",
     "<secy-it@jk.gov.in>",
     {"<d@example.org>"},
     "From: secy-it@jk.gov.in\nReply-To: a@gmail.com, \"b\" <A@GMAIL.COM>\n"
     "Mail-Followup-To: c@outlook.com\n",
     .want = "tag | d@example.org=tag | reply-to-webmail a@gmail.com [" IT "] tag/tag () - ; "
             "reply-to-webmail c@outlook.com [" IT "] tag/tag () -"},
    {"reply-to external is fine",
     "<secy-it@jk.gov.in>",
     {"<d@example.org>"},
     "From: secy-it@jk.gov.in\nReply-To: x@example.org\n",
     .want = "accept | d@example.org=accept |"},
    {"spoofed official from outside",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_FAIL,
     .want = "reject | b@jk.gov.in=reject | spoofed-official a@jk.gov.in [unassigned] "
             "reject/reject () -"},
    {"aligned spf pass",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_PASS,
     .want = "accept | b@jk.gov.in=accept |"},
    {"spf pass under another official entry",
     "<a@nic.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_PASS,
     .want = "reject | b@jk.gov.in=reject | spoofed-official a@jk.gov.in [unassigned] "
             "reject/reject () -"},
    {"aligned dkim pass from a subdomain",
     "<x@example.org>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_FAIL,
     .dkim = "it.jk.gov.in=pass",
     .want = "accept | b@jk.gov.in=accept |"},
    {"dkim pass under another entry",
     "<x@example.org>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .dkim = "nic.in=pass",
     .want = "reject | b@jk.gov.in=reject | spoofed-official a@jk.gov.in [unassigned] "
             "reject/reject () -"},
    {"internal client is not judged",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     "10.1.2.3",
     .spf = AUTH_FAIL,
     .want = "accept | b@jk.gov.in=accept |"},
    {"ipv4-mapped internal client",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     "::ffff:10.1.2.3",
     .spf = AUTH_FAIL,
     .want = "accept | b@jk.gov.in=accept |"},
    {"authenticated client is not judged",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .auth = "someone",
     .spf = AUTH_FAIL,
     .want = "accept | b@jk.gov.in=accept |"},
    {"null sender with aligned helo pass",
     "<>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .helo = "mail.jk.gov.in",
     .spf = AUTH_PASS,
     .want = "accept | b@jk.gov.in=accept |"},
    {"dns error answers tempfail",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_TEMPERROR,
     .want = "tempfail | b@jk.gov.in=tempfail |"},
    {"dns error accepted",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_TEMPERROR,
     .on_dns_error = "accept",
     .want = "accept | b@jk.gov.in=accept |"},
    {"dns error rejected",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_TEMPERROR,
     .on_dns_error = "reject",
     .want = "reject | b@jk.gov.in=reject | spoofed-official a@jk.gov.in [unassigned] "
             "reject/reject (dns-error) -"},
    {"dns error in a monitored department",
     "<a@kpdcl.jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@kpdcl.jk.gov.in\n",
     EXT,
     .spf = AUTH_TEMPERROR,
     .want = "log | b@jk.gov.in=accept | spoofed-official a@kpdcl.jk.gov.in [Power Development] "
             "log/reject (dns-error) -"},
    /* SPEC 5b: accept drops the undecidable check in every mode, monitor too. */
    {"dns error accepted in a monitored department records nothing",
     "<a@kpdcl.jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@kpdcl.jk.gov.in\n",
     EXT,
     .spf = AUTH_TEMPERROR,
     .on_dns_error = "accept",
     .want = "accept | b@jk.gov.in=accept |"},
    {"dns error accepted under a global monitor records nothing",
     "<a@jk.gov.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_TEMPERROR,
     .mode = "monitor",
     .on_dns_error = "accept",
     .want = "accept | b@jk.gov.in=accept |"},
    {"dkim temperror aligned is undecidable",
     "<x@example.org>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_FAIL,
     .dkim = "jk.gov.in=temperror",
     .want = "tempfail | b@jk.gov.in=tempfail |"},
    {"unaligned temperror decides",
     "<a@nic.in>",
     {"<b@jk.gov.in>"},
     "From: a@jk.gov.in\n",
     EXT,
     .spf = AUTH_TEMPERROR,
     .want = "reject | b@jk.gov.in=reject | spoofed-official a@jk.gov.in [unassigned] "
             "reject/reject () -"},
    {"tempfail keeps the RCPT refusals",
     "<secy-it@jk.gov.in>",
     {"<x@gmail.com>", "<b@jk.gov.in>"},
     "From: secy-it@jk.gov.in\n",
     EXT,
     .spf = AUTH_TEMPERROR,
     .want = "tempfail | x@gmail.com=reject b@jk.gov.in=tempfail | official-to-webmail "
             "x@gmail.com [" IT "] reject/reject () - @rcpt"},
    {"quarantine outranks tag",
     "<x@gmail.com>",
     {"<a@jk.gov.in>", "<y@example.org>"},
     "From: Secretary <secy-it@jk.gov.in>\nReply-To: z@gmail.com\n",
     .want = "quarantine | a@jk.gov.in=quarantine y@example.org=quarantine | webmail-to-official "
             "x@gmail.com [unassigned] quarantine/quarantine (display-name) - ; reply-to-webmail "
             "z@gmail.com [" IT "] tag/tag () -"},
    {"rcpt refusal leaves the other copies to the other actions",
     "<secy-it@jk.gov.in>",
     {"<x@gmail.com>", "<b@jk.gov.in>"},
     "From: secy-it@jk.gov.in\nReply-To: z@gmail.com\n",
     .want =
         "reject | x@gmail.com=reject b@jk.gov.in=tag | official-to-webmail x@gmail.com "
         "[" IT "] reject/reject () - @rcpt ; reply-to-webmail z@gmail.com [" IT "] tag/tag () -"},
    {"non-smtp mail is refused whole",
     "<secy-it@jk.gov.in>",
     {"<x@gmail.com>", "<b@jk.gov.in>"},
     NULL,
     .non_smtp = 1,
     .want = "reject | x@gmail.com=reject b@jk.gov.in=reject | official-to-webmail x@gmail.com "
             "[" IT "] reject/reject () -"},
    {"a recipient given twice counts once",
     "<secy-it@jk.gov.in>",
     {"<x@gmail.com>", "<X@Gmail.COM.>", "<b@jk.gov.in>"},
     NULL,
     .want = "reject | x@gmail.com=reject b@jk.gov.in=accept | official-to-webmail x@gmail.com "
             "[" IT "] reject/reject () - @rcpt"},
    {"invalid domain is external",
     "<secy-it@jk.gov.in>",
     {"<x@gmail..com>"},
     NULL,
     .want = "accept | x@gmail..com=accept |"},
    {"quoted local part with an official domain",
     "<secy-it@jk.gov.in>",
     {"<\"x@jk.gov.in\"@gmail.com>"},
     NULL,
     .want = "reject | \"x@jk.gov.in\"@gmail.com=reject | official-to-webmail "
             "\"x@jk.gov.in\"@gmail.com [" IT "] reject/reject () - @rcpt"},
    {"every From field counts",
     "<citizen@example.org>",
     {"<y@gmail.com>"},
     "From: a@example.org\nFrom: b@jk.gov.in\n",
     .want = "reject | y@gmail.com=reject | official-to-webmail y@gmail.com [unassigned] "
             "reject/reject () -"},
    {"every Subject counts",
     "<x@gmail.com>",
     {"<a@jk.gov.in>"},
     "From: x@gmail.com\nSubject: hello\nSubject: Government order\n",
     .want = "quarantine | a@jk.gov.in=quarantine | webmail-to-official x@gmail.com [unassigned] "
             "quarantine/quarantine (subject) -"},
    {"spoofed once per distinct From",
     "<x@example.org>",
     {"<c@jk.gov.in>"},
     "From: a@jk.gov.in, A@JK.GOV.IN, b@it.jk.gov.in\n",
     EXT,
     .want = "reject | c@jk.gov.in=reject | spoofed-official a@jk.gov.in [unassigned] "
             "reject/reject () - ; spoofed-official b@it.jk.gov.in [" IT "] reject/reject () -"},
    {"an exception for every rule",
     "<a@fin.jk.gov.in>",
     {"<q@yahoo.co.in>"},
     "From: a@fin.jk.gov.in\n",
     EXT,
     .want = "accept | q@yahoo.co.in=accept | official-to-webmail q@yahoo.co.in [Finance] "
             "exempt/reject () CR-9 ; spoofed-official a@fin.jk.gov.in [Finance] exempt/reject () "
             "CR-9"},
};

/* format_verdict - the compact line of V, in a new string. */
static char *format_verdict(const struct verdict *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    fprintf(fp, "%s |", policy_action_name(v->action));
    for (size_t i = 0; i < v->nrcpts; i++)
        fprintf(fp, " %s=%s", v->rcpts[i].address, policy_action_name(v->rcpts[i].action));
    fputs(" |", fp);
    for (size_t i = 0; i < v->nv; i++) {
        const struct violation *x = &v->v[i];
        const char *sep = "";
        fprintf(fp, "%s %s %s [%s] %s/%s (", i ? " ;" : "", policy_rule_name(x->rule), x->address,
                x->department, policy_action_name(x->action), policy_action_name(x->intended));
        for (unsigned r = 0; r < REASON_COUNT; r++)
            if (x->reasons & (1u << r)) {
                fprintf(fp, "%s%s", sep, verdict_reason_name(1u << r));
                sep = ", ";
            }
        fprintf(fp, ") %s%s", x->ticket ? x->ticket : "-", x->at_rcpt ? " @rcpt" : "");
    }
    fclose(fp);
    return buf;
}

/* parse_time - the fixed clocks of the table. */
static time_t parse_time(const char *s)
{
    struct tm tm = {0};

    ck_assert_ptr_nonnull(strptime(s ? s : "2026-12-01T00:00:00Z", "%Y-%m-%dT%H:%M:%SZ", &tm));
    return timegm(&tm);
}

START_TEST(verdict_table)
{
    const struct vcase *c = &cases[_i];
    struct policy *p = fixture_policy(c->mode ? c->mode : "enforce",
                                      c->on_dns_error ? c->on_dns_error : "tempfail");
    struct message_file mf;
    struct dkim_fact dkim;
    char dkim_domain[128] = "";
    struct verdict v;
    size_t nrcpts = 0;

    ck_assert_ptr_nonnull(p);
    while (nrcpts < 4 && c->rcpts[nrcpts] != NULL)
        nrcpts++;
    const char *h = c->headers ? c->headers : "";
    ck_assert_int_eq(message_file_parse(h, strlen(h), &mf), 0);
    if (c->dkim != NULL) {
        const char *eq = strchr(c->dkim, '=');
        snprintf(dkim_domain, sizeof(dkim_domain), "%.*s", (int)(eq - c->dkim), c->dkim);
        dkim = (struct dkim_fact){dkim_domain, (enum auth_result)auth_result_from_name(eq + 1)};
    }
    struct message_facts f = {.mail_from = c->mail_from,
                              .rcpts = c->rcpts,
                              .nrcpts = nrcpts,
                              .client_ip = c->ip ? c->ip : "127.0.0.1",
                              .helo = c->helo,
                              .smtp_auth_user = c->auth,
                              .headers = mf.fields,
                              .nheaders = mf.nfields,
                              .spf = c->spf,
                              .dkim = &dkim,
                              .ndkim = c->dkim ? 1 : 0,
                              .now = parse_time(c->now),
                              .non_smtp = c->non_smtp};
    ck_assert_int_eq(verdict_judge(p, &f, &v), 0);
    char *got = format_verdict(&v);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s:\n  got  %s\n  want %s", c->name, got, c->want);
    free(got);
    verdict_clear(&v);
    message_file_free(&mf);
    policy_unref(p);
}
END_TEST

/* The RCPT-time decision agrees with the whole verdict. */
START_TEST(rcpt_time_decision)
{
    struct policy *p = fixture_policy("enforce", "tempfail");
    struct violation v;
    char err[256];
    time_t now = parse_time(NULL);

    ck_assert_int_eq(
        verdict_rcpt(p, "<secy-it@jk.gov.in>", "<x@gmail.com>", now, 0, &v, err, sizeof(err)), 1);
    ck_assert_str_eq(v.address, "x@gmail.com");
    ck_assert_str_eq(v.department, IT);
    violation_clear(&v);
    ck_assert_int_eq(
        verdict_rcpt(p, "<secy-it@jk.gov.in>", "<y@jk.gov.in>", now, 0, &v, err, sizeof(err)), 0);
    ck_assert_int_eq(
        verdict_rcpt(p, "<helpdesk@jk.gov.in>", "<c@gmail.com>", now, 0, &v, err, sizeof(err)), 0);
    ck_assert_int_eq(
        verdict_rcpt(p, "<a@kpdcl.jk.gov.in>", "<c@gmail.com>", now, 0, &v, err, sizeof(err)), 0);
    ck_assert_int_eq(
        verdict_rcpt(p, "<secy-it@jk.gov.in>", "<x@gmail.com>", now, 1, &v, err, sizeof(err)), 0);
    ck_assert_int_eq(
        verdict_rcpt(p, "<x@example.org>", "<x@gmail.com>", now, 0, &v, err, sizeof(err)), 0);
    ck_assert_str_eq(verdict_reply(p, RULE_OFFICIAL_TO_WEBMAIL),
                     "Official mail may not be sent to private webmail accounts");
    policy_unref(p);
}
END_TEST

static Suite *verdict_suite(void)
{
    Suite *s = suite_create("verdict");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, verdict_table, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_test(tc, rcpt_time_decision);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(verdict_suite)
