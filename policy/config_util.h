/*
 * config_util - the internals shared by the configuration loader's files
 * (config.c, config_lists.c, config_depts.c); not a public interface.
 *
 * Purpose: one load context (where messages go, how many errors were
 * seen, where relative paths are resolved), diagnostics carrying
 * "FILE:LINE:", and typed accessors that check a setting's type and
 * value and report what is wrong instead of failing silently. Every
 * checker reports its own errors and returns -1, so that the caller can
 * go on and report the next problem too.
 *
 * Returns: 0 / -1 (reported with file and line); cfg_check_members() a count.
 *
 * Ownership: strings a checker returns through a char ** are malloc'ed
 * and given to the caller; const char * results are lent by libconfig
 * and live as long as the config_t.
 * Thread safety: a context belongs to one load; nothing is static.
 */
#ifndef OM_CONFIG_UTIL_H
#define OM_CONFIG_UTIL_H

#include <libconfig.h>
#include <stddef.h>
#include <time.h>

#include "config_load.h"
#include "domain.h"
#include "policy.h"

/* Where a webmail domain came from, for the overlap warnings. */
struct cfg_origin {
    const char *file; /* lent: a list path in cfg_ctx.paths, or a config file name */
    int line;
};

struct cfg_ctx {
    config_report_fn report;
    void *arg;
    const char *name;           /* the main file as given (or the string's NAME) */
    const config_t *cfg;        /* to map libconfig's file names */
    char *base_dir;             /* for relative paths; NULL: the current directory */
    time_t now;                 /* clock for the expiry warnings */
    unsigned errors;            /* errors reported so far */
    int oom;                    /* an allocation failed: stop as soon as possible */
    struct policy *p;           /* the policy being filled */
    struct cfg_origin *origins; /* webmail set value -> origin */
    size_t norigins, corigins;
    char **paths; /* list file paths the origins point into */
    size_t npaths, cpaths;
};

/* Ceiling on the bytes of anything quoted back in a message, and the buffer cfg_quote needs. */
#define CFG_QUOTE_MAX 80
#define CFG_QUOTE_SIZE ((CFG_QUOTE_MAX + 3) * 4 + 8)

/* cfg_file - the file name to print for libconfig file name F (NULL: main). */
const char *cfg_file(struct cfg_ctx *c, const char *f, char *buf, size_t len);

/* cfg_report_at - report "FILE:LINE: text" (LINE 0: "FILE: text"); errors are counted. */
void cfg_report_at(struct cfg_ctx *c, enum config_severity sev, const char *file, int line,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* cfg_report - report at the file and line of setting S. */
void cfg_report(struct cfg_ctx *c, enum config_severity sev, const config_setting_t *s,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* cfg_oom - report that memory ran out (at S when not NULL); returns -1. */
int cfg_oom(struct cfg_ctx *c, const config_setting_t *s);

/* cfg_quote - S in double quotes, control bytes escaped, cut to CFG_QUOTE_MAX. */
const char *cfg_quote(const char *s, char *buf, size_t len);

/* cfg_type_name - "a string", "an array"... for the type of S. */
const char *cfg_type_name(const config_setting_t *s);

/* cfg_path - a human path of S ("departments.[2].name") for messages. */
const char *cfg_path(const config_setting_t *s, char *buf, size_t len);

/*
 * cfg_check_members - report every member of group S whose name is not
 * in KNOWN (NULL-terminated). WHAT names the group in messages.
 * Returns the number of unknown members.
 */
int cfg_check_members(struct cfg_ctx *c, const config_setting_t *s, const char *const *known,
                      const char *what);

/* cfg_string - the value of string setting S, or NULL (reported) when S is not a string. */
const char *cfg_string(struct cfg_ctx *c, const config_setting_t *s);

/* cfg_nonempty - as cfg_string, also refusing "" and control characters. */
const char *cfg_nonempty(struct cfg_ctx *c, const config_setting_t *s);

/*
 * cfg_text - as cfg_nonempty, for the texts that go into headers, replies
 * and log lines (names, messages, tickets, reasons): any printable UTF-8,
 * '"' and '\\' included; control characters and bytes that are not UTF-8
 * are reported with the setting's file:line.
 */
const char *cfg_text(struct cfg_ctx *c, const config_setting_t *s);

/* cfg_set_text - replace *DST with a copy of S's text (cfg_text). 0 or -1. */
int cfg_set_text(struct cfg_ctx *c, const config_setting_t *s, char **dst);

/* cfg_set_string - replace *DST with a copy of S's non-empty string. 0 or -1. */
int cfg_set_string(struct cfg_ctx *c, const config_setting_t *s, char **dst);

/* cfg_string_list - 1 when S is an array or a list of strings only (reported when not). */
int cfg_string_list(struct cfg_ctx *c, const config_setting_t *s);

/*
 * cfg_enum - the value of string setting S among NAMES (NULL-terminated),
 * returned as its index, or -1 (reported).
 */
int cfg_enum(struct cfg_ctx *c, const config_setting_t *s, const char *const *names);

/*
 * cfg_domain - normalise domain TEXT of setting S into OUT (DOMAIN_MAX),
 * "*.d" and ".d" meaning "d". 0, or -1 reported as an invalid domain.
 */
int cfg_domain(struct cfg_ctx *c, const config_setting_t *s, const char *text, char *out);

/* cfg_domain_text - as cfg_domain without reporting: 0 or -1. */
int cfg_domain_text(const char *text, size_t len, char *out);

/* cfg_address_text - the normalised form of address TEXT (a new string), or NULL. */
char *cfg_address_text(const char *text);

/*
 * cfg_address - the normalised form of address TEXT of setting S (a new
 * string), or NULL reported as an invalid address (or out of memory).
 */
char *cfg_address(struct cfg_ctx *c, const config_setting_t *s, const char *text);

/* cfg_strv_push - append S (taken) to *V of *N entries; 0, or -1 (S freed). */
int cfg_strv_push(char ***v, size_t *n, char *s);

/*
 * cfg_domains - every element of string list S normalised as a domain,
 * appended to *V (count *N); duplicates warned about and skipped. 0 or -1.
 */
int cfg_domains(struct cfg_ctx *c, const config_setting_t *s, char ***v, size_t *n);

/* cfg_addresses - as cfg_domains for addresses (normalised when NORM, else as written). */
int cfg_addresses(struct cfg_ctx *c, const config_setting_t *s, int norm, char ***v, size_t *n);

/* cfg_patterns - compile every element of S into *V (count *N). 0 or -1. */
int cfg_patterns(struct cfg_ctx *c, const config_setting_t *s, struct pattern **v, size_t *n);

/* cfg_resolve - PATH resolved against the base directory (a new string), or NULL. */
char *cfg_resolve(struct cfg_ctx *c, const char *path);

/*
 * cfg_date - parse "YYYY-MM-DD" (a real calendar date) into the first
 * second of the next day, UTC. 0 or -1.
 */
int cfg_date(const char *text, time_t *end);

/* Loaders of config_lists.c. */
int cfg_load_official(struct cfg_ctx *c, const config_setting_t *root);
int cfg_load_webmail(struct cfg_ctx *c, const config_setting_t *root);
int cfg_load_networks(struct cfg_ctx *c, const config_setting_t *root);
int cfg_load_list_file(struct cfg_ctx *c, const config_setting_t *s, const char *path);

/* Loaders of config_depts.c. */
int cfg_load_departments(struct cfg_ctx *c, const config_setting_t *root);
int cfg_load_rules(struct cfg_ctx *c, const config_setting_t *root);
int cfg_load_exceptions(struct cfg_ctx *c, const config_setting_t *root);

#endif
