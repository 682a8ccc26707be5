/*
 * config_console - the review console's settings (SPEC 11):
 * console_listen, console_cert, console_key, console_users and
 * release_command.
 *
 * console_listen is checked here for its form (an IPv4 address, or an
 * IPv6 one in brackets, and a port); whether plain HTTP may be served on
 * it (loopback only) is decided by `officialmail serve`, which knows
 * whether a certificate was given.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "config_util.h"

/* config_console_listen - split "ADDR:PORT" / "[ADDR6]:PORT": 0, or -1 when malformed. */
int config_console_listen(const char *v, char *addr, size_t addrlen, int *family, int *port)
{
    const char *colon;
    unsigned char buf[sizeof(struct in6_addr)];
    size_t alen;

    if (v[0] == '[') {
        const char *end = strchr(v, ']');
        if (end == NULL || end[1] != ':')
            return -1;
        alen = (size_t)(end - v - 1);
        colon = end + 1;
        v++;
        *family = AF_INET6;
    } else {
        if ((colon = strrchr(v, ':')) == NULL)
            return -1;
        alen = (size_t)(colon - v);
        *family = AF_INET;
    }
    if (alen == 0 || alen >= addrlen)
        return -1;
    memcpy(addr, v, alen);
    addr[alen] = '\0';
    if (inet_pton(*family, addr, buf) != 1)
        return -1;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || p < 1 || p > 65535)
        return -1;
    *port = (int)p;
    return 0;
}

/* cfg_console_listen - console_listen: "127.0.0.1:8080", "[::1]:8443", "0.0.0.0:443". */
static int cfg_console_listen(struct cfg_ctx *c, const config_setting_t *s)
{
    const char *v = cfg_nonempty(c, s);
    char addr[64], q[CFG_QUOTE_SIZE];
    int family, port;

    if (v == NULL)
        return -1;
    if (config_console_listen(v, addr, sizeof(addr), &family, &port) < 0) {
        cfg_report(c, CONFIG_ERROR, s,
                   "console_listen: %s is not ADDRESS:PORT (an IPv4 address, or an IPv6 one in "
                   "brackets)",
                   cfg_quote(v, q, sizeof(q)));
        return -1;
    }
    return cfg_set_string(c, s, &c->p->console_listen);
}

/* cfg_console_path - a file path setting, relative ones from the configuration's directory. */
static int cfg_console_path(struct cfg_ctx *c, const config_setting_t *s, char **dst)
{
    const char *v = cfg_nonempty(c, s);
    char *path;

    if (v == NULL)
        return -1;
    if ((path = cfg_resolve(c, v)) == NULL)
        return cfg_oom(c, s);
    free(*dst);
    *dst = path;
    return 0;
}

/* cfg_load_console - the console's settings that ROOT has. */
int cfg_load_console(struct cfg_ctx *c, const config_setting_t *root)
{
    const config_setting_t *s;
    int rc = 0;

    if ((s = config_setting_get_member(root, "console_listen")) != NULL)
        rc |= cfg_console_listen(c, s);
    if ((s = config_setting_get_member(root, "console_cert")) != NULL)
        rc |= cfg_console_path(c, s, &c->p->console_cert);
    if ((s = config_setting_get_member(root, "console_key")) != NULL)
        rc |= cfg_console_path(c, s, &c->p->console_key);
    if ((s = config_setting_get_member(root, "console_users")) != NULL)
        rc |= cfg_console_path(c, s, &c->p->console_users);
    if ((s = config_setting_get_member(root, "release_command")) != NULL)
        rc |= cfg_set_string(c, s, &c->p->release_command);
    if (rc == 0 && (c->p->console_cert == NULL) != (c->p->console_key == NULL)) {
        cfg_report(
            c, CONFIG_ERROR,
            config_setting_get_member(root, c->p->console_cert ? "console_cert" : "console_key"),
            "console_cert and console_key go together: set both (HTTPS) or neither");
        return -1;
    }
    return rc ? -1 : 0;
}
