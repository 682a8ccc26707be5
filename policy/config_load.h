/*
 * config_load - load and validate the configuration file (SPEC section 3).
 *
 * Purpose: read a libconfig file (with @include), check every setting's
 * name, type and value, and build a struct policy. Every problem is
 * reported as "FILE:LINE: message" through the caller's report function;
 * unknown settings, wrong types, bad regexes, bad CIDRs and bad dates are
 * errors. Warnings (expired exceptions, exceptions that never lapse,
 * domains both official and webmail, a private address listed by several
 * departments, not_webmail_domains that remove nothing) are reported but
 * do not stop loading. Relative paths of webmail list files are resolved
 * against the directory of the configuration file.
 *
 * Returns: a new policy, or NULL with every problem reported.
 *
 * Ownership: the returned policy belongs to the caller (policy_unref).
 * Thread safety: reentrant; call from one thread per load.
 */
#ifndef OM_CONFIG_LOAD_H
#define OM_CONFIG_LOAD_H

#include <time.h>

#include "policy.h"

enum config_severity { CONFIG_ERROR, CONFIG_WARNING };

/* Receives one diagnostic, "FILE:LINE: text" (no trailing newline). */
typedef void (*config_report_fn)(void *arg, enum config_severity sev, const char *msg);

/*
 * config_load - load FILE. NOW is the clock for "expired" warnings.
 * Returns the policy, or NULL when at least one error was reported.
 */
struct policy *config_load(const char *file, time_t now, config_report_fn report, void *arg);

/*
 * config_load_string - as config_load for TEXT, named NAME in messages,
 * with @include and list files resolved against the current directory.
 * Used by the fuzz target and unit tests.
 */
struct policy *config_load_string(const char *text, const char *name, time_t now,
                                  config_report_fn report, void *arg);

/* The compiled-in default configuration file path. */
const char *config_default_path(void);

#endif
