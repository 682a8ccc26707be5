/*
 * config_include - @include, done before libconfig parses (internal to
 * the configuration loader).
 *
 * Purpose: SPEC 5b: `@include "/abs/path.conf"` reads that path, and a
 * relative name is relative to the directory of the file that includes
 * it. libconfig 1.5 (Debian 12) prefixes one include_dir to every name,
 * absolute ones too, and has no include hook (config_set_include_func
 * came with 1.7). So the loader expands each @include itself, exactly
 * where libconfig's scanner would see one (at the start of a line,
 * outside comments and strings), into one text that libconfig parses,
 * and keeps for every line of that text the file and line it came from:
 * cfg_include_fix() puts them back into the parsed settings, so that
 * every message still says FILE:LINE of the file the user wrote.
 *
 * Returns: 0 / -1 (reported with file and line).
 *
 * Ownership: a struct cfg_text owns its text, line map and file names
 * (cfg_include_free); settings fixed by it point into its file names.
 * Thread safety: one load at a time per struct cfg_text.
 */
#ifndef OM_CONFIG_INCLUDE_H
#define OM_CONFIG_INCLUDE_H

#include <libconfig.h>
#include <stddef.h>

#include "config_util.h"

/* libconfig's own limit of include nesting. */
#define CFG_INCLUDE_DEPTH 10

struct cfg_text_line {
    unsigned file; /* index into cfg_text.files */
    unsigned line; /* 1-based line of that file */
};

struct cfg_text {
    char *text; /* the expanded configuration, NUL-terminated */
    size_t len, cap;
    struct cfg_text_line *lines; /* the origin of each line of TEXT */
    size_t nlines, clines;
    char **files; /* files[0] is NULL: the main file (cfg_ctx.name); the others as opened */
    size_t nfiles, cfiles;
    int at_bol; /* the next byte of TEXT starts a line */
    int oom;
};

/*
 * cfg_include_expand - the main file's LEN bytes of SRC with every
 * @include replaced by the expanded file it names (relative names
 * resolved against DIR, the main file's directory; NULL: the current
 * one). Problems are reported with the including file's name and line.
 * Returns 0, or -1 (reported) with T still to be freed.
 */
int cfg_include_expand(struct cfg_ctx *c, const char *src, size_t len, const char *dir,
                       struct cfg_text *t);

/* cfg_include_fix - give every setting under ROOT the file and line its text came from. */
void cfg_include_fix(const struct cfg_text *t, config_setting_t *root);

/* cfg_include_where - the file (NULL: main) and line of line LINE of the expanded text. */
const char *cfg_include_where(const struct cfg_text *t, int line, int *file_line);

/* cfg_include_free - free what T owns. */
void cfg_include_free(struct cfg_text *t);

#endif
