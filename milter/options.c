/*
 * options - parse the milter's command line.
 */
#include <config.h>

#include <stdio.h>
#include <unistd.h>

#include "config_load.h"
#include "options.h"

static const char usage[] =
    "usage: officialmail-milter [-f] [-n] [-c FILE] [-p SOCKET] [-u USER] [-P PIDFILE]\n"
    "       officialmail-milter -V\n"
    "  -c FILE    configuration (default %s)\n"
    "  -p SOCKET  listen on SOCKET (unix:/path or inet:PORT@HOST), overriding 'socket'\n"
    "  -f         stay in the foreground and log to standard error\n"
    "  -n         check the configuration and exit (0 usable, 1 errors)\n"
    "  -u USER    run as USER after opening the socket\n"
    "  -P FILE    write the process id to FILE\n"
    "  -V         print the version and exit\n";

/* options_parse - getopt over the SPEC's options. */
int options_parse(int argc, char **argv, struct options *o)
{
    int c;

    *o = (struct options){.config = config_default_path()};
    opterr = 0;
    while ((c = getopt(argc, argv, ":c:p:fnu:P:Vh")) != -1) {
        switch (c) {
        case 'c':
            o->config = optarg;
            break;
        case 'p':
            o->socket = optarg;
            break;
        case 'f':
            o->foreground = 1;
            break;
        case 'n':
            o->check_only = 1;
            break;
        case 'u':
            o->user = optarg;
            break;
        case 'P':
            o->pidfile = optarg;
            break;
        case 'V':
            printf("officialmail-milter %s\n", PACKAGE_VERSION);
            return 1;
        case 'h':
            printf(usage, config_default_path());
            return 1;
        default:
            fprintf(stderr, "officialmail-milter: %s -%c\n",
                    c == ':' ? "option needs a value:" : "unknown option", optopt);
            fprintf(stderr, usage, config_default_path());
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "officialmail-milter: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}
