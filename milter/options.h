/*
 * options - the command line of officialmail-milter (SPEC section 2).
 *
 * Returns: 0 / -1 (message printed); options_parse() 1 when it printed what
 * was asked (exit 0).
 */
#ifndef OM_OPTIONS_H
#define OM_OPTIONS_H

struct options {
    const char *config;  /* -c */
    const char *socket;  /* -p, overrides the configuration's socket */
    int foreground;      /* -f */
    int check_only;      /* -n */
    const char *user;    /* -u */
    const char *pidfile; /* -P */
};

/*
 * options_parse - fill O from ARGV. Returns 0 to run, 1 when -V or -h
 * printed what was asked (exit 0), -1 on a bad argument (message printed;
 * exit 2).
 */
int options_parse(int argc, char **argv, struct options *o);

#endif
