/*
 * mproto - a milter protocol client (the MTA's side).
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmilter/mfdef.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mproto.h"

#define MPROTO_VERSION 6
/* Every action and step Postfix offers; the milter picks. */
#define MPROTO_ACTIONS 0x1ffu
#define MPROTO_STEPS                                                                               \
    (SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NORCPT | SMFIP_NOBODY | SMFIP_NOHDRS |  \
     SMFIP_NOEOH | SMFIP_NR_HDR | SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_SKIP | SMFIP_RCPT_REJ |   \
     SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_DATA |               \
     SMFIP_NR_UNKN | SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_HDR_LEADSPC)

static const char stage_cmd[] = {SMFIC_CONNECT, SMFIC_HELO,    SMFIC_MAIL, SMFIC_RCPT,
                                 SMFIC_DATA,    SMFIC_BODYEOB, SMFIC_EOH};

/* mproto_io - read or write exactly LEN bytes within the timeout. */
static int mproto_io(struct mproto *m, void *buf, size_t len, int writing)
{
    char *p = buf;

    while (len > 0) {
        struct pollfd pfd = {m->fd, writing ? POLLOUT : POLLIN, 0};
        int rc = poll(&pfd, 1, m->timeout_ms);
        if (rc <= 0)
            return -1;
        ssize_t n = writing ? send(m->fd, p, len, MSG_NOSIGNAL) : recv(m->fd, p, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* mproto_send - length, command letter, data. */
int mproto_send(struct mproto *m, char cmd, const void *data, size_t len)
{
    uint32_t n = htonl((uint32_t)len + 1);
    char *buf = malloc(len + 5);
    int rc;

    if (buf == NULL)
        return -1;
    memcpy(buf, &n, 4);
    buf[4] = cmd;
    if (len > 0)
        memcpy(buf + 5, data, len);
    rc = mproto_io(m, buf, len + 5, 1);
    free(buf);
    return rc;
}

/* mproto_packet - one raw packet: *CMD and a new buffer of *LEN data bytes. */
static int mproto_packet(struct mproto *m, char *cmd, char **data, size_t *len)
{
    uint32_t n;
    char *buf;

    if (mproto_io(m, &n, 4, 0) < 0)
        return -1;
    n = ntohl(n);
    if (n == 0 || n > 1u << 20 || (buf = malloc(n + 1)) == NULL)
        return -1;
    if (mproto_io(m, buf, n, 0) < 0) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *cmd = buf[0];
    memmove(buf, buf + 1, n);
    *data = buf;
    *len = n - 1;
    return 0;
}

/* mproto_recv - one reply; its data as text (NULs between fields as spaces). */
int mproto_recv(struct mproto *m, struct mreply *r)
{
    char *buf;
    size_t len;

    if (mproto_packet(m, &r->cmd, &buf, &len) < 0)
        return -1;
    while (len > 0 && buf[len - 1] == '\0')
        len--;
    if (len > sizeof(r->text) - 1)
        len = sizeof(r->text) - 1;
    for (size_t i = 0; i < len; i++)
        r->text[i] = buf[i] == '\0' ? ' ' : buf[i];
    r->text[len] = '\0';
    free(buf);
    return 0;
}

/* mproto_open - a connected socket for SPEC, or -1. */
static int mproto_open(const char *spec)
{
    int fd = -1;

    if (strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0) {
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", strchr(spec, ':') + 1);
        if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
            connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
            goto fail;
        return fd;
    }
    char port[16], host[256];
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (sscanf(spec, "inet%*[6]:%15[0-9]@%255s", port, host) != 2 &&
        sscanf(spec, "inet:%15[0-9]@%255s", port, host) != 2)
        return -1;
    if (getaddrinfo(host, port, &hints, &ai) != 0)
        return -1;
    if ((fd = socket(ai->ai_family, SOCK_STREAM, 0)) < 0 ||
        connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        freeaddrinfo(ai);
        goto fail;
    }
    freeaddrinfo(ai);
    /* A macro packet and its command go out back to back: no Nagle wait between. */
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
fail:
    if (fd >= 0)
        close(fd);
    return -1;
}

/* mproto_symlists - the macro lists that follow the negotiation reply. */
static void mproto_symlists(struct mproto *m, const char *p, size_t len)
{
    while (len >= 5) {
        uint32_t stage;
        memcpy(&stage, p, 4);
        stage = ntohl(stage);
        size_t slen = strnlen(p + 4, len - 4);
        if (stage < sizeof(m->symlist) / sizeof(m->symlist[0]) && m->symlist[stage] == NULL)
            m->symlist[stage] = strndup(p + 4, slen);
        p += 4 + slen + 1;
        len = len > 4 + slen + 1 ? len - (4 + slen + 1) : 0;
    }
}

/* mproto_connect - connect and agree on version, actions and steps. */
int mproto_connect(struct mproto *m, const char *spec, int timeout_ms)
{
    uint32_t offer[3] = {htonl(MPROTO_VERSION), htonl(MPROTO_ACTIONS), htonl(MPROTO_STEPS)};
    char cmd, *data;
    size_t len;

    memset(m, 0, sizeof(*m));
    m->timeout_ms = timeout_ms;
    if ((m->fd = mproto_open(spec)) < 0)
        return -1;
    if (mproto_send(m, SMFIC_OPTNEG, offer, sizeof(offer)) < 0 ||
        mproto_packet(m, &cmd, &data, &len) < 0)
        goto fail;
    if (cmd != SMFIC_OPTNEG || len < 12) {
        free(data);
        goto fail;
    }
    uint32_t got[3];
    memcpy(got, data, sizeof(got));
    m->actions = ntohl(got[1]);
    m->protocol = ntohl(got[2]);
    mproto_symlists(m, data + 12, len - 12);
    free(data);
    return 0;
fail:
    mproto_close(m);
    return -1;
}

/* mproto_close - QUIT, close, free the macro lists. */
void mproto_close(struct mproto *m)
{
    if (m->fd >= 0) {
        (void)mproto_send(m, SMFIC_QUIT, NULL, 0);
        close(m->fd);
    }
    m->fd = -1;
    for (size_t i = 0; i < sizeof(m->symlist) / sizeof(m->symlist[0]); i++) {
        free(m->symlist[i]);
        m->symlist[i] = NULL;
    }
}

/* mproto_noreply - 1 when the milter asked for no reply to CMD. */
static int mproto_noreply(const struct mproto *m, char cmd)
{
    switch (cmd) {
    case SMFIC_CONNECT:
        return (m->protocol & SMFIP_NR_CONN) != 0;
    case SMFIC_HELO:
        return (m->protocol & SMFIP_NR_HELO) != 0;
    case SMFIC_MAIL:
        return (m->protocol & SMFIP_NR_MAIL) != 0;
    case SMFIC_RCPT:
        return (m->protocol & SMFIP_NR_RCPT) != 0;
    case SMFIC_DATA:
        return (m->protocol & SMFIP_NR_DATA) != 0;
    case SMFIC_HEADER:
        return (m->protocol & SMFIP_NR_HDR) != 0;
    case SMFIC_EOH:
        return (m->protocol & SMFIP_NR_EOH) != 0;
    case SMFIC_BODY:
        return (m->protocol & SMFIP_NR_BODY) != 0;
    case SMFIC_UNKNOWN:
        return (m->protocol & SMFIP_NR_UNKN) != 0;
    case SMFIC_MACRO:
    case SMFIC_ABORT:
    case SMFIC_QUIT:
        return 1;
    }
    return 0;
}

/* mproto_skipped - steps the milter does not want at all. */
int mproto_skipped(const struct mproto *m, char cmd)
{
    switch (cmd) {
    case SMFIC_CONNECT:
        return (m->protocol & SMFIP_NOCONNECT) != 0;
    case SMFIC_HELO:
        return (m->protocol & SMFIP_NOHELO) != 0;
    case SMFIC_MAIL:
        return (m->protocol & SMFIP_NOMAIL) != 0;
    case SMFIC_RCPT:
        return (m->protocol & SMFIP_NORCPT) != 0;
    case SMFIC_DATA:
        return (m->protocol & SMFIP_NODATA) != 0;
    case SMFIC_HEADER:
        return (m->protocol & SMFIP_NOHDRS) != 0;
    case SMFIC_EOH:
        return (m->protocol & SMFIP_NOEOH) != 0;
    case SMFIC_BODY:
        return (m->protocol & SMFIP_NOBODY) != 0;
    case SMFIC_UNKNOWN:
        return (m->protocol & SMFIP_NOUNKNOWN) != 0;
    }
    return 0;
}

/* mproto_final - 1 for replies that end a step. */
static int mproto_final(char cmd)
{
    return strchr("acdrtys4f", cmd) != NULL;
}

/* mproto_step - send, then read replies up to the final one. */
int mproto_step(struct mproto *m, char cmd, const void *data, size_t len, struct mreply *r, int max)
{
    int n = 0;

    if (mproto_send(m, cmd, data, len) < 0)
        return -1;
    if (mproto_noreply(m, cmd))
        return 0;
    for (;;) {
        struct mreply tmp, *slot = n < max ? &r[n] : &tmp;
        if (mproto_recv(m, slot) < 0)
            return -1;
        if (slot->cmd == SMFIR_PROGRESS)
            continue;
        n += n < max;
        if (mproto_final(slot->cmd))
            return n;
    }
}

/* mproto_in_list - 1 when NAME is a word of LIST (NULL: everything). */
static int mproto_in_list(const char *list, const char *name)
{
    size_t n = strlen(name);

    if (list == NULL)
        return 1;
    for (const char *p = strstr(list, name); p != NULL; p = strstr(p + 1, name))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* mproto_macros - the wanted macros of one stage, in one packet. */
int mproto_macros(struct mproto *m, char stage, const char *const *names, const char *const *values,
                  size_t n)
{
    char buf[8192];
    size_t p = 1;
    const char *list = NULL;

    for (size_t i = 0; i < sizeof(stage_cmd); i++)
        if (stage_cmd[i] == stage)
            list = m->symlist[i];
    buf[0] = stage;
    for (size_t i = 0; i < n; i++) {
        if (!mproto_in_list(list, names[i]))
            continue;
        size_t a = strlen(names[i]) + 1, b = strlen(values[i]) + 1;
        if (p + a + b > sizeof(buf))
            return -1;
        memcpy(buf + p, names[i], a);
        memcpy(buf + p + a, values[i], b);
        p += a + b;
    }
    return mproto_send(m, SMFIC_MACRO, buf, p);
}
