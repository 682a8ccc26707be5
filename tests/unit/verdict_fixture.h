/*
 * verdict_fixture - the policy the identity and verdict unit tests load:
 * the SPEC example with inline webmail domains, and knobs for the global
 * mode and on_dns_error.
 */
#ifndef OM_VERDICT_FIXTURE_H
#define OM_VERDICT_FIXTURE_H

#include <stdio.h>
#include <time.h>

#include "config_load.h"

static const char fixture_conf[] =
    "mode = \"%s\";\n"
    "official_domains = [ \"jk.gov.in\", \"nic.in\", \"it.nic.in\" ];\n"
    "webmail_domains = [ ];\n"
    "extra_webmail_domains = [ \"gmail.com\", \"yahoo.co.in\", \"outlook.com\", "
    "\"jk.gov.in.gmail.com\" ];\n"
    "not_webmail_domains = [ \"staff.outlook.com\" ];\n"
    "internal_networks = [ \"127.0.0.0/8\", \"::1/128\", \"10.0.0.0/8\" ];\n"
    "official_markers = [ "
    "\"(?i)\\\\b(secretary|commissioner|director|govt\\\\.?|government)\\\\b\" ];\n"
    "on_dns_error = \"%s\";\n"
    "departments = (\n"
    "  { name = \"Information Technology\"; domains = [ \"it.jk.gov.in\" ];\n"
    "    addresses = [ \"secy-it@jk.gov.in\" ]; patterns = [ "
    "\"^it-[a-z0-9.-]+@jk\\\\.gov\\\\.in$\" ];\n"
    "    private_addresses = [ \"secyit.home@gmail.com\" ]; },\n"
    "  { name = \"Power Development\"; domains = [ \"jpdcl.jk.gov.in\", \"kpdcl.jk.gov.in\" ];\n"
    "    mode = \"monitor\"; },\n"
    "  { name = \"Finance\"; domains = [ \"fin.jk.gov.in\" ]; patterns = [ \"^it-fin@\" ];\n"
    "    private_addresses = [ \"secyit.home@gmail.com\", \"fin.boss@yahoo.co.in\" ]; },\n"
    "  { name = \"Audit\"; domains = [ \"audit.fin.jk.gov.in\" ]; mode = \"enforce\"; }\n"
    ");\n"
    "rules = { webmail-to-official = { action = \"quarantine\"; };\n"
    "          reply-to-webmail = { action = \"tag\"; }; };\n"
    "exceptions = (\n"
    "  { sender = \"helpdesk@jk.gov.in\"; recipient = \"*\"; rules = [ \"official-to-webmail\" ];\n"
    "    expires = \"2027-03-31\"; ticket = \"CR-2211\"; },\n"
    "  { sender = \"@fin.jk.gov.in\"; recipient = \"@yahoo.co.in\"; ticket = \"CR-9\"; },\n"
    "  { sender = \"old@jk.gov.in\"; expires = \"2020-01-01\"; ticket = \"OLD-1\"; },\n"
    "  { sender = \"*\"; recipient = \"press@jk.gov.in\"; rules = [ \"webmail-to-official\" ];\n"
    "    ticket = \"PRESS\"; }\n"
    ");\n";

/* fixture_report - print loader diagnostics so a broken fixture is visible. */
static void fixture_report(void *arg, enum config_severity sev, const char *msg)
{
    (void)arg;
    if (sev == CONFIG_ERROR)
        fprintf(stderr, "fixture: %s\n", msg);
}

/* fixture_policy - the fixture with MODE and ON_DNS_ERROR filled in. */
static struct policy *fixture_policy(const char *mode, const char *on_dns_error)
{
    char text[sizeof(fixture_conf) + 64];

    snprintf(text, sizeof(text), fixture_conf, mode, on_dns_error);
    return config_load_string(text, "fixture.conf", time(NULL), fixture_report, NULL);
}

#endif
