/*
 * config_alert - the settings of alerts and metrics (SPEC 10):
 * metrics_listen, alert_rules, alert_to, alert_interval, alert_command.
 * (A department's alert_to is read with its other lists, config_depts.c.)
 *
 * Durations ("window", alert_interval) are a whole number with a unit,
 * s, m, h or d ("10m"), or an integer of seconds.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "config_util.h"

/* Longest window or interval: 31 days (the log is queried over it). */
#define ALERT_MAX_SECONDS (31L * 86400)

static const char *const alert_keys[] = {"name",      "rule",   "department", "action",
                                         "threshold", "window", NULL};
static const char *const record_actions[] = {"log", "tag", "quarantine", "reject", "exempt", NULL};
static const enum om_action record_action_values[] = {ACTION_LOG, ACTION_TAG, ACTION_QUARANTINE,
                                                      ACTION_REJECT, ACTION_EXEMPT};

/* cfg_duration_text - "10m" into seconds; -1 when not a duration. */
static long cfg_duration_text(const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    long unit = 1;

    if (end == v || n <= 0 || v[0] == '-' || v[0] == '+')
        return -1;
    if (strcmp(end, "s") == 0 || *end == '\0')
        unit = 1;
    else if (strcmp(end, "m") == 0)
        unit = 60;
    else if (strcmp(end, "h") == 0)
        unit = 3600;
    else if (strcmp(end, "d") == 0)
        unit = 86400;
    else
        return -1;
    if (n > ALERT_MAX_SECONDS / unit)
        return -1;
    return n * unit;
}

/* cfg_duration - setting S as seconds (string with a unit, or an integer); -1 reported. */
static long cfg_duration(struct cfg_ctx *c, const config_setting_t *s, char **text)
{
    char path[256], buf[32], q[CFG_QUOTE_SIZE];
    const char *v = buf;
    long secs;

    if (config_setting_type(s) == CONFIG_TYPE_INT)
        snprintf(buf, sizeof(buf), "%d", config_setting_get_int(s));
    else if ((v = cfg_nonempty(c, s)) == NULL)
        return -1;
    if ((secs = cfg_duration_text(v)) < 0) {
        cfg_report(c, CONFIG_ERROR, s,
                   "%s: %s is not a duration (a number and s, m, h or d, at most 31 days)",
                   cfg_path(s, path, sizeof(path)), cfg_quote(v, q, sizeof(q)));
        return -1;
    }
    if (text != NULL && (*text = strdup(v)) == NULL)
        return cfg_oom(c, s);
    return secs;
}

/* cfg_alert_dept - a rule's department must be one the log can hold. */
static int cfg_alert_dept(struct cfg_ctx *c, const config_setting_t *s, struct alert_rule *a)
{
    char q[CFG_QUOTE_SIZE];

    if (cfg_set_text(c, s, &a->department) < 0)
        return -1;
    for (size_t i = 0; i < c->p->ndepartments; i++)
        if (strcmp(c->p->departments[i].name, a->department) == 0)
            return 0;
    if (c->p->default_department != NULL && strcmp(c->p->default_department, a->department) == 0)
        return 0;
    cfg_report(c, CONFIG_ERROR, s, "alert_rules: no department named %s",
               cfg_quote(a->department, q, sizeof(q)));
    return -1;
}

/* cfg_alert_threshold - a positive integer. */
static int cfg_alert_threshold(struct cfg_ctx *c, const config_setting_t *s, struct alert_rule *a)
{
    char path[256];

    if (config_setting_type(s) != CONFIG_TYPE_INT || config_setting_get_int(s) < 1) {
        cfg_report(c, CONFIG_ERROR, s, "%s: expected a whole number of at least 1",
                   cfg_path(s, path, sizeof(path)));
        return -1;
    }
    a->threshold = config_setting_get_int(s);
    return 0;
}

/* cfg_alert_optional - the rule, department and action filters. */
static int cfg_alert_optional(struct cfg_ctx *c, const config_setting_t *g, struct alert_rule *a)
{
    const config_setting_t *s;
    char q[CFG_QUOTE_SIZE];
    int rc = 0, i;

    if ((s = config_setting_get_member(g, "rule")) != NULL) {
        const char *v = cfg_nonempty(c, s);
        if (v == NULL || (a->rule = policy_rule_from_name(v)) < 0) {
            if (v != NULL)
                cfg_report(c, CONFIG_ERROR, s, "alert_rules: no rule named %s",
                           cfg_quote(v, q, sizeof(q)));
            rc = -1;
        }
    }
    if ((s = config_setting_get_member(g, "department")) != NULL && cfg_alert_dept(c, s, a) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "action")) != NULL) {
        if ((i = cfg_enum(c, s, record_actions)) < 0)
            rc = -1;
        else
            a->action = (int)record_action_values[i];
    }
    return rc;
}

/* cfg_alert_rule - one element of alert_rules: name, threshold, window required. */
static int cfg_alert_rule(struct cfg_ctx *c, const config_setting_t *g, struct alert_rule *a)
{
    const char *req[] = {"name", "threshold", "window"};
    const config_setting_t *s;
    int rc = 0;

    a->rule = -1;
    a->action = -1;
    if (!config_setting_is_group(g)) {
        cfg_report(c, CONFIG_ERROR, g,
                   "alert_rules: expected { name = ...; threshold = ...; "
                   "window = ...; }");
        return -1;
    }
    if (cfg_check_members(c, g, alert_keys, "an alert rule") > 0)
        rc = -1;
    for (size_t i = 0; i < 3; i++)
        if (config_setting_get_member(g, req[i]) == NULL) {
            cfg_report(c, CONFIG_ERROR, g, "alert_rules: an alert rule needs %s", req[i]);
            rc = -1;
        }
    if ((s = config_setting_get_member(g, "name")) != NULL && cfg_set_text(c, s, &a->name) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "threshold")) != NULL && cfg_alert_threshold(c, s, a) < 0)
        rc = -1;
    if ((s = config_setting_get_member(g, "window")) != NULL &&
        (a->window = cfg_duration(c, s, &a->window_text)) < 0)
        rc = -1;
    if (cfg_alert_optional(c, g, a) < 0)
        rc = -1;
    return rc;
}

/* cfg_alert_rules - the list, names unique (the cursor keeps state per name). */
static int cfg_alert_rules(struct cfg_ctx *c, const config_setting_t *s)
{
    char q[CFG_QUOTE_SIZE];
    int rc = 0, n;

    if (!config_setting_is_list(s) && !config_setting_is_array(s)) {
        cfg_report(c, CONFIG_ERROR, s, "alert_rules: expected a list ( { name = ...; }, ... )");
        return -1;
    }
    n = config_setting_length(s);
    if (n == 0)
        return 0;
    if ((c->p->alert_rules = calloc((size_t)n, sizeof(struct alert_rule))) == NULL)
        return cfg_oom(c, s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
        struct alert_rule *a = &c->p->alert_rules[c->p->nalert_rules++];
        if (cfg_alert_rule(c, g, a) < 0) {
            rc = -1;
            continue;
        }
        for (int k = 0; k < i; k++)
            if (c->p->alert_rules[k].name != NULL &&
                strcmp(c->p->alert_rules[k].name, a->name) == 0) {
                cfg_report(c, CONFIG_ERROR, g, "alert_rules: two alert rules named %s",
                           cfg_quote(a->name, q, sizeof(q)));
                rc = -1;
            }
    }
    return rc;
}

/* cfg_metrics_listen - "HOST:PORT" or "[V6]:PORT"; resolved when the listener starts. */
static int cfg_metrics_listen(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_nonempty(c, s);
    const char *colon = v != NULL ? strrchr(v, ':') : NULL;
    char q[CFG_QUOTE_SIZE];

    if (v == NULL)
        return -1;
    if (colon == NULL || colon == v || colon[1] == '\0' ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1) || atol(colon + 1) < 1 ||
        atol(colon + 1) > 65535 || strchr(v, ' ') != NULL) {
        cfg_report(c, CONFIG_ERROR, s,
                   "metrics_listen: %s is not HOST:PORT (\"127.0.0.1:9794\", \"[::1]:9794\")",
                   cfg_quote(v, q, sizeof(q)));
        return -1;
    }
    return cfg_set_string(c, s, &c->p->metrics_listen);
}

/* cfg_load_alerts - every setting of SPEC 10 present in ROOT. */
int cfg_load_alerts(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s;
    int rc = 0;

    if ((s = config_setting_get_member(root, "metrics_listen")) != NULL &&
        cfg_metrics_listen(c, s) < 0)
        rc = -1;
    if ((s = config_setting_get_member(root, "alert_rules")) != NULL && cfg_alert_rules(c, s) < 0)
        rc = -1;
    if ((s = config_setting_get_member(root, "alert_to")) != NULL &&
        cfg_addresses(c, s, 0, &c->p->alert_to, &c->p->nalert_to) < 0)
        rc = -1;
    if ((s = config_setting_get_member(root, "alert_interval")) != NULL &&
        (c->p->alert_interval = cfg_duration(c, s, NULL)) < 0)
        rc = -1;
    if ((s = config_setting_get_member(root, "alert_command")) != NULL &&
        cfg_set_string(c, s, &c->p->alert_command) < 0)
        rc = -1;
    return rc;
}
