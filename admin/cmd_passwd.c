/*
 * cmd_passwd - `officialmail passwd NAME --role compliance|department
 * [--department NAME]...`: add a console user or change one, in the
 * console_users file (SPEC 11).
 *
 * The password is read from the terminal without echo (twice), or as
 * one line from standard input when that is not a terminal, so that a
 * script can set it; it is hashed with yescrypt (crypt(3)) and never
 * stored or printed.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"

const char cmd_passwd_usage[] =
    "usage: officialmail passwd [-c FILE] NAME --role compliance|department\n"
    "                           [--department NAME]... [--users FILE]\n"
    "\n"
    "Add console user NAME, or replace its password, role and departments, in\n"
    "the console_users file. A compliance user sees every record; a department\n"
    "user only the records of the departments given (at least one, each named\n"
    "as in the configuration). The password is asked twice on the terminal, or\n"
    "read as one line from standard input when that is not a terminal.\n"
    "\n"
    "  --users FILE   this file instead of console_users\n"
    "\n"
    "Exit status: 0 done, 1 the configuration or the file could not be read or\n"
    "written, 2 bad arguments (an unknown department among them).\n";

#define PASSWD_MAX 1024
#define PASSWD_MAX_DEPTS 64

/* passwd_read_line - one line from FP into BUF without its newline. 0, or -1 at EOF. */
static int passwd_read_line(FILE *fp, char *buf, size_t len)
{
    if (fgets(buf, (int)len, fp) == NULL)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

/* passwd_prompt - PROMPT on the terminal, read without echo. */
static int passwd_prompt(const char *prompt, char *buf, size_t len)
{
    struct termios old, quiet;
    int rc;

    fputs(prompt, stderr);
    if (tcgetattr(STDIN_FILENO, &old) < 0)
        return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    rc = passwd_read_line(stdin, buf, len);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return rc;
}

/* passwd_get - the new password into PW. 0, or -1 after saying why. */
static int passwd_get(char *pw, size_t len)
{
    char again[PASSWD_MAX];

    if (!isatty(STDIN_FILENO)) {
        if (passwd_read_line(stdin, pw, len) < 0 || pw[0] == '\0')
            return cli_error("passwd: no password on standard input"), -1;
        return 0;
    }
    if (passwd_prompt("New password: ", pw, len) < 0 ||
        passwd_prompt("Again: ", again, sizeof(again)) < 0)
        return cli_error("passwd: no password read"), -1;
    int same = strcmp(pw, again) == 0;
    memset(again, 0, sizeof(again));
    if (!same)
        return cli_error("passwd: the two passwords differ"), -1;
    if (pw[0] == '\0')
        return cli_error("passwd: an empty password is refused"), -1;
    return 0;
}

/* passwd_departments - each --department known to the configuration. */
static int passwd_departments(const struct policy *p, char **depts, size_t n)
{
    const char **names = calloc(p->ndepartments + 1, sizeof(char *));
    int rc = 0;

    if (names == NULL)
        return -1;
    for (size_t i = 0; i < p->ndepartments; i++)
        names[i] = p->departments[i].name;
    names[p->ndepartments] = p->default_department;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = cli_check_name("passwd", "department", depts[i], names, p->ndepartments + 1);
    free(names);
    return rc;
}

/* passwd_store - hash PW and write U's line. */
static int passwd_store(struct user *u, const char *path, const char *pw)
{
    char err[512];

    if ((u->hash = auth_hash(pw, err, sizeof(err))) == NULL ||
        users_set(path, u, err, sizeof(err)) < 0) {
        cli_error("passwd: %s", err);
        return EXIT_UNREADABLE;
    }
    printf("%s user %s written to %s\n", u->role == ROLE_COMPLIANCE ? "compliance" : "department",
           u->name, path);
    return 0;
}

/* cmd_passwd - parse, check, ask, write. */
int cmd_passwd(int argc, char **argv, const char *config)
{
    static const struct option options[] = {{"config", required_argument, NULL, 'c'},
                                            {"role", required_argument, NULL, 'r'},
                                            {"department", required_argument, NULL, 'd'},
                                            {"users", required_argument, NULL, 'u'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    char *depts[PASSWD_MAX_DEPTS], pw[PASSWD_MAX];
    struct user u = {0};
    const char *role = NULL, *users = NULL;
    size_t nd = 0;
    int c, status = EXIT_USAGE;

    optind = 0; /* 0: glibc starts afresh, permuting NAME after the options */
    while ((c = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        if (c == 'c')
            config = optarg;
        else if (c == 'r')
            role = optarg;
        else if (c == 'u')
            users = optarg;
        else if (c == 'd' && nd < PASSWD_MAX_DEPTS)
            depts[nd++] = optarg;
        else if (c == 'h')
            return fputs(cmd_passwd_usage, stdout), 0;
        else
            return fputs(cmd_passwd_usage, stderr), EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return cli_error("passwd: give one user NAME"), EXIT_USAGE;
    if (!auth_name_ok(argv[optind]))
        return cli_error("passwd: a user name is 1 to 64 of A-Z a-z 0-9 . _ @ -"), EXIT_USAGE;
    if (role == NULL || (strcmp(role, "compliance") != 0 && strcmp(role, "department") != 0))
        return cli_error("passwd: --role compliance or --role department"), EXIT_USAGE;
    u.role = strcmp(role, "compliance") == 0 ? ROLE_COMPLIANCE : ROLE_DEPARTMENT;
    if ((u.role == ROLE_DEPARTMENT) != (nd > 0))
        return cli_error("passwd: a department user needs --department, a compliance user has "
                         "none"),
               EXIT_USAGE;
    struct policy *p = cli_load_policy(config, time(NULL), 0, NULL);
    if (p == NULL)
        return EXIT_UNREADABLE;
    if (passwd_departments(p, depts, nd) == 0) {
        status = EXIT_UNREADABLE;
        u.name = argv[optind];
        u.depts = depts;
        u.ndepts = nd;
        if (passwd_get(pw, sizeof(pw)) == 0)
            status = passwd_store(&u, users != NULL ? users : p->console_users, pw);
        free(u.hash);
    }
    memset(pw, 0, sizeof(pw));
    policy_unref(p);
    return status;
}
