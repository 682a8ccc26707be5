/*
 * verdict_print - a verdict as the JSON of SPEC 7, or as text for a person.
 */
#include <config.h>

#include <stdio.h>

#include "cli.h"
#include "json.h"
#include "quote.h"

/* verdict_print_reasons - the reasons array, in SPEC order. */
static void verdict_print_reasons(FILE *fp, unsigned reasons)
{
    int first = 1;

    fputc('[', fp);
    for (unsigned i = 0; i < REASON_COUNT; i++) {
        if (!(reasons & (1u << i)))
            continue;
        if (!first)
            fputs(", ", fp);
        json_string(fp, verdict_reason_name(1u << i));
        first = 0;
    }
    fputc(']', fp);
}

/* verdict_print_violation_json - one violation object. */
static void verdict_print_violation_json(FILE *fp, const struct violation *v)
{
    fputc('{', fp);
    json_key(fp, "rule", 1);
    json_string(fp, policy_rule_name(v->rule));
    json_key(fp, "address", 0);
    json_string(fp, v->address);
    json_key(fp, "department", 0);
    json_string(fp, v->department);
    json_key(fp, "action", 0);
    json_string(fp, policy_action_name(v->action));
    json_key(fp, "intended_action", 0);
    json_string(fp, policy_action_name(v->intended));
    json_key(fp, "reasons", 0);
    verdict_print_reasons(fp, v->reasons);
    json_key(fp, "exception_ticket", 0);
    json_string(fp, v->action == ACTION_EXEMPT ? v->ticket : NULL);
    fputc('}', fp);
}

/* verdict_print_json - {"action", "recipients", "violations"} on one line. */
void verdict_print_json(FILE *fp, const struct verdict *v)
{
    fputc('{', fp);
    json_key(fp, "action", 1);
    json_string(fp, policy_action_name(v->action));
    if (v->error != NULL) { /* not judged: answered per on_internal_error */
        json_key(fp, "error", 0);
        json_string(fp, v->error);
    }
    json_key(fp, "recipients", 0);
    fputc('[', fp);
    for (size_t i = 0; i < v->nrcpts; i++) {
        fputs(i ? ", {" : "{", fp);
        json_key(fp, "address", 1);
        json_string(fp, v->rcpts[i].address);
        json_key(fp, "action", 0);
        json_string(fp, policy_action_name(v->rcpts[i].action));
        fputc('}', fp);
    }
    fputc(']', fp);
    json_key(fp, "violations", 0);
    fputc('[', fp);
    for (size_t i = 0; i < v->nv; i++) {
        if (i)
            fputs(", ", fp);
        verdict_print_violation_json(fp, &v->v[i]);
    }
    fputs("]}\n", fp);
}

/* verdict_print_text_reasons - "display-name, subject" or "-". */
static void verdict_print_text_reasons(FILE *fp, unsigned reasons)
{
    const char *sep = "";

    if (reasons == 0)
        fputc('-', fp);
    for (unsigned i = 0; i < REASON_COUNT; i++) {
        if (reasons & (1u << i)) {
            fprintf(fp, "%s%s", sep, verdict_reason_name(1u << i));
            sep = ", ";
        }
    }
}

/* verdict_print_reply - the SMTP reply of a refusal as it goes on the wire (ASCII). */
static void verdict_print_reply(FILE *fp, const struct policy *p, const struct violation *x)
{
    char text[1024], wire[1024];

    if (x->at_rcpt)
        snprintf(text, sizeof(text), "<%s>: %s (rule %s)", x->address, verdict_reply(p, x->rule),
                 policy_rule_name(x->rule));
    else if (x->action == ACTION_REJECT)
        snprintf(text, sizeof(text), "%s (rule %s)", verdict_reply(p, x->rule),
                 policy_rule_name(x->rule));
    else
        return;
    fprintf(fp, "     reply:      550 5.7.1 %s\n", quote_smtp(text, 0, wire, sizeof(wire)));
}

/* verdict_print_text - the decision, recipients and violations. */
void verdict_print_text(FILE *fp, const struct policy *p, const struct verdict *v)
{
    fprintf(fp, "decision: %s\n", policy_action_name(v->action));
    if (v->error != NULL)
        fprintf(fp, "not judged: %s (on_internal_error = %s)\n", v->error,
                p->on_internal_error == ON_ERROR_ACCEPT ? "accept" : "tempfail");
    fputs("recipients:\n", fp);
    for (size_t i = 0; i < v->nrcpts; i++)
        fprintf(fp, "  %-40s %s\n", v->rcpts[i].address, policy_action_name(v->rcpts[i].action));
    if (v->nv == 0) {
        fputs("violations: none\n", fp);
        return;
    }
    fputs("violations:\n", fp);
    for (size_t i = 0; i < v->nv; i++) {
        const struct violation *x = &v->v[i];
        fprintf(fp, "  %zu. %s: %s\n", i + 1, policy_rule_name(x->rule), x->address);
        fprintf(fp, "     department: %s\n", x->department);
        fputs("     reasons:    ", fp);
        verdict_print_text_reasons(fp, x->reasons);
        fprintf(fp, "\n     action:     %s", policy_action_name(x->action));
        if (x->action == ACTION_EXEMPT)
            fprintf(fp, " (exception %s)", x->ticket ? x->ticket : "without ticket");
        else if (x->action != x->intended)
            fprintf(fp, " (would be %s in enforce mode)", policy_action_name(x->intended));
        if (x->at_rcpt)
            fputs(", refused at RCPT", fp);
        fputc('\n', fp);
        verdict_print_reply(fp, p, x);
    }
}
