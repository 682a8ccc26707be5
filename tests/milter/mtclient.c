/*
 * mtclient - drive a milter through a script, as an MTA would, and print
 * every reply; the milter tests compare what it prints.
 *
 * Usage: mtclient SOCKET [SCRIPT]   (the script on standard input without SCRIPT)
 *
 * Script lines (one command each; '#' comments; \r \n \t \\ \xNN escapes):
 *   connect NAME IP        a new SMTP connection ({daemon_port} sent)
 *   connect-local NAME IP  mail without SMTP (Postfix's cleanup: no {daemon_port})
 *   auth USER              {auth_authen} for the next MAIL FROM
 *   queue-id ID            {i} for the next end of message
 *   macro STEP NAME VALUE  one macro for the next STEP (mail, rcpt, eoh, eom)
 *   helo NAME | mail ADDR | rcpt ADDR | header NAME: VALUE | eoh | body TEXT
 *   eom | abort | quit
 *   message FILE           the header fields of FILE (as written after the
 *                          colon, folding kept), eoh, and its body with CRLF
 *                          line ends in chunks of 65535 bytes, as Postfix
 *                          sends them
 *   rcpts N LOCAL DOMAIN   N recipients LOCALi@DOMAIN
 *   bigheader NAME BYTES   one header field of that many bytes
 *   raw TEXT               bytes straight onto the socket (protocol garbage)
 *   sleep MS
 * Like an MTA, it sends header values with the space after the colon when
 * the milter asked for SMFIP_HDR_LEADSPC, and no more body chunks once the
 * milter answered one with "skip".
 * Output: one line per reply, "STEP: REPLY"; "STEP: error" when the
 * milter closed the connection or did not answer within 10 s.
 */
#include <config.h>

#include <libmilter/mfdef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mproto.h"

struct session {
    const char *spec;
    struct mproto m;
    int open;
    char auth[256];
    char qid[64];
    int failed;
    int skip_body; /* the milter answered a body chunk "skip" */
};

/* unescape - \r \n \t \\ \xNN in place; returns the length. */
static size_t unescape(char *s)
{
    char *w = s;

    for (char *r = s; *r; r++) {
        if (*r != '\\' || r[1] == '\0') {
            *w++ = *r;
            continue;
        }
        r++;
        if (*r == 'r')
            *w++ = '\r';
        else if (*r == 'n')
            *w++ = '\n';
        else if (*r == 't')
            *w++ = '\t';
        else if (*r == 'x' && r[1] && r[2]) {
            char hex[3] = {r[1], r[2], 0};
            *w++ = (char)strtol(hex, NULL, 16);
            r += 2;
        } else
            *w++ = *r;
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* show - print the replies of one step. */
static void show(const char *step, const struct mreply *r, int n)
{
    static const struct {
        char cmd;
        const char *name;
    } names[] = {{'a', "accept"},   {'c', "continue"},  {'d', "discard"},   {'r', "reject"},
                 {'t', "tempfail"}, {'y', "reply"},     {'h', "addheader"}, {'q', "quarantine"},
                 {'s', "skip"},     {'i', "insheader"}, {'m', "chgheader"}, {'+', "addrcpt"},
                 {'-', "delrcpt"},  {'e', "chgfrom"}};

    for (int i = 0; i < n; i++) {
        const char *name = "unknown";
        for (size_t j = 0; j < sizeof(names) / sizeof(names[0]); j++)
            if (names[j].cmd == r[i].cmd)
                name = names[j].name;
        printf("%s: %s%s%s\n", step, name, r[i].text[0] ? " " : "", r[i].text);
    }
}

/* step - send one command and show its replies. */
static void step(struct session *s, const char *label, char cmd, const void *data, size_t len)
{
    struct mreply r[64];

    if (!s->open)
        return;
    if (mproto_skipped(&s->m, cmd))
        return;
    if (cmd == SMFIC_BODY && s->skip_body)
        return;
    int n = mproto_step(&s->m, cmd, data, len, r, 64);
    if (n < 0) {
        printf("%s: error\n", label);
        s->failed = 1;
        mproto_close(&s->m);
        s->open = 0;
        return;
    }
    show(label, r, n);
    if (cmd == SMFIC_BODY && n > 0 && r[n - 1].cmd == 's')
        s->skip_body = 1;
}

/* cmd_connect - open a session and send the connection facts. */
static void cmd_connect(struct session *s, char *args, int smtp)
{
    char name[256] = "localhost", ip[64] = "127.0.0.1", data[512];
    const char *mn[] = {"{daemon_name}", "{client_addr}", "{client_name}", "{daemon_port}"};
    const char *mv[] = {"officialmail-test", ip, name, "25"};

    if (s->open)
        mproto_close(&s->m);
    sscanf(args, "%255s %63s", name, ip);
    if (mproto_connect(&s->m, s->spec, 10000) < 0) {
        printf("connect: error\n");
        s->failed = 1;
        return;
    }
    s->open = 1;
    if (mproto_macros(&s->m, SMFIC_CONNECT, mn, mv, smtp ? 4 : 3) < 0)
        return;
    int n = snprintf(data, sizeof(data), "%s%c%c%c%c%s", name, 0, strchr(ip, ':') ? '6' : '4', 0,
                     25, ip);
    step(s, "connect", SMFIC_CONNECT, data, (size_t)n + 1);
}

/* cmd_mail - MAIL FROM with the {auth_authen} macro when set. */
static void cmd_mail(struct session *s, char *arg)
{
    const char *mn[] = {"{auth_authen}"}, *mv[] = {s->auth};
    char label[512];

    s->skip_body = 0;
    if (s->open && s->auth[0] != '\0')
        (void)mproto_macros(&s->m, SMFIC_MAIL, mn, mv, 1);
    snprintf(label, sizeof(label), "mail %s", arg);
    step(s, label, SMFIC_MAIL, arg, strlen(arg) + 1);
}

/* cmd_header - "Name: value" as the two strings of the protocol. */
static void cmd_header(struct session *s, char *arg, size_t len)
{
    char *colon = memchr(arg, ':', len);
    char label[300];

    if (colon == NULL)
        return;
    *colon = '\0';
    char *value = colon + 1;
    while (*value == ' ')
        value++;
    /* The space after the colon, as an MTA keeps it for SMFIP_HDR_LEADSPC. */
    size_t sp = (s->m.protocol & SMFIP_HDR_LEADSPC) ? 1 : 0;
    snprintf(label, sizeof(label), "header %.200s", arg);
    size_t nlen = strlen(arg) + 1, vlen = len - (size_t)(value - arg) + 1;
    char *data = malloc(nlen + sp + vlen);
    if (data == NULL)
        return;
    memcpy(data, arg, nlen);
    data[nlen] = ' ';
    memcpy(data + nlen + sp, value, vlen);
    step(s, label, SMFIC_HEADER, data, nlen + sp + vlen);
    free(data);
}

/* send_field - one field of a message file: NAME, VALUE (VLEN bytes) as after the colon. */
static void send_field(struct session *s, const char *name, size_t nlen, const char *value,
                       size_t vlen)
{
    char *data = malloc(nlen + vlen + 2), label[300];
    size_t o = nlen + 1;

    if (data == NULL)
        return;
    memcpy(data, name, nlen);
    data[nlen] = '\0';
    if (!(s->m.protocol & SMFIP_HDR_LEADSPC) && vlen > 0 && value[0] == ' ') {
        value++; /* without LEADSPC the MTA drops the one space */
        vlen--;
    }
    for (size_t i = 0; i < vlen; i++) /* folding as Postfix keeps it: LF only */
        if (!(value[i] == '\r' && i + 1 < vlen && value[i + 1] == '\n'))
            data[o++] = value[i];
    data[o++] = '\0';
    snprintf(label, sizeof(label), "header %.*s", (int)(nlen > 200 ? 200 : nlen), name);
    step(s, label, SMFIC_HEADER, data, o);
    free(data);
}

/* send_body - TEXT with CRLF line ends, in chunks of at most 65535 bytes. */
static void send_body(struct session *s, const char *text)
{
    size_t cap = 65535, n = 0;
    char *chunk = malloc(cap + 1);

    for (const char *p = text; chunk != NULL && *p != '\0' && s->open; p++) {
        if (*p == '\n' && (p == text || p[-1] != '\r'))
            chunk[n++] = '\r';
        chunk[n++] = *p;
        if (n >= cap - 1 || p[1] == '\0') {
            step(s, "body", SMFIC_BODY, chunk, n);
            n = 0;
        }
    }
    free(chunk);
}

/* cmd_message - FILE's fields, end of header, body. */
static void cmd_message(struct session *s, const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *text = NULL;
    size_t cap = 0;
    ssize_t n = fp ? getdelim(&text, &cap, '\0', fp) : -1;

    if (fp != NULL)
        fclose(fp);
    if (n < 0) {
        fprintf(stderr, "mtclient: cannot read %s\n", path);
        s->failed = 1;
        free(text);
        return;
    }
    const char *p = text;
    while (*p != '\0' && *p != '\n' && !(p[0] == '\r' && p[1] == '\n')) {
        const char *colon = strchr(p, ':'), *end = p;
        while ((end = strchr(end, '\n')) != NULL && (end[1] == ' ' || end[1] == '\t'))
            end++;
        end = end ? end : p + strlen(p);
        size_t vlen = colon && colon < end ? (size_t)(end - colon - 1) : 0;
        if (vlen > 0 && colon[vlen] == '\r')
            vlen--;
        if (colon != NULL && colon < end)
            send_field(s, p, (size_t)(colon - p), colon + 1, vlen);
        p = *end ? end + 1 : end;
    }
    step(s, "eoh", SMFIC_EOH, NULL, 0);
    send_body(s, *p == '\r' ? p + 2 : *p == '\n' ? p + 1 : p);
    free(text);
}

/* cmd_bigheader - one field of BYTES bytes. */
static void cmd_bigheader(struct session *s, char *args)
{
    char name[128];
    size_t bytes;

    if (sscanf(args, "%127s %zu", name, &bytes) != 2)
        return;
    size_t nlen = strlen(name) + 1;
    char *data = malloc(nlen + bytes + 1);
    if (data == NULL)
        return;
    memcpy(data, name, nlen);
    memset(data + nlen, 'x', bytes);
    data[nlen + bytes] = '\0';
    step(s, "bigheader", SMFIC_HEADER, data, nlen + bytes + 1);
    free(data);
}

/* cmd_rcpts - N recipients LOCALi@DOMAIN, replies summarised. */
static void cmd_rcpts(struct session *s, char *args)
{
    char local[128], domain[128], addr[300];
    int n, refused = 0, accepted = 0;
    struct mreply r[8];

    if (sscanf(args, "%d %127s %127s", &n, local, domain) != 3 || !s->open)
        return;
    for (int i = 0; i < n && s->open; i++) {
        int len = snprintf(addr, sizeof(addr), "<%s%d@%s>", local, i, domain);
        int k = mproto_step(&s->m, SMFIC_RCPT, addr, (size_t)len + 1, r, 8);
        if (k < 0) {
            printf("rcpts: error\n");
            s->failed = 1;
            s->open = 0;
            return;
        }
        if (k > 0 && (r[k - 1].cmd == 'y' || r[k - 1].cmd == 'r'))
            refused++;
        else
            accepted++;
    }
    printf("rcpts: %d accepted, %d refused\n", accepted, refused);
}

/* cmd_eom - end of message with {i}. */
static void cmd_eom(struct session *s)
{
    const char *mn[] = {"{i}"}, *mv[] = {s->qid};

    if (s->open && s->qid[0] != '\0')
        (void)mproto_macros(&s->m, SMFIC_BODYEOB, mn, mv, 1);
    step(s, "eom", SMFIC_BODYEOB, NULL, 0);
}

/* cmd_macro - "STEP NAME VALUE": one macro sent now, before the next STEP. */
static void cmd_macro(struct session *s, const char *arg)
{
    static const struct {
        const char *step;
        char cmd;
    } steps[] = {
        {"mail", SMFIC_MAIL}, {"rcpt", SMFIC_RCPT}, {"eoh", SMFIC_EOH}, {"eom", SMFIC_BODYEOB}};
    char step[16], name[64], value[256];

    if (sscanf(arg, "%15s %63s %255s", step, name, value) == 3)
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
            if (strcmp(step, steps[i].step) == 0) {
                const char *mn[] = {name}, *mv[] = {value};
                if (s->open)
                    (void)mproto_macros(&s->m, steps[i].cmd, mn, mv, 1);
                return;
            }
    fprintf(stderr, "mtclient: macro STEP NAME VALUE (STEP mail, rcpt, eoh or eom): '%s'\n", arg);
    s->failed = 1;
}

/* run_line - one script line. */
static void run_line(struct session *s, char *line)
{
    char *arg = strchr(line, ' ');
    size_t alen = 0;

    if (arg != NULL) {
        *arg++ = '\0';
        alen = unescape(arg);
    } else {
        arg = line + strlen(line);
    }
    if (strcmp(line, "connect") == 0)
        cmd_connect(s, arg, 1);
    else if (strcmp(line, "connect-local") == 0)
        cmd_connect(s, arg, 0);
    else if (strcmp(line, "auth") == 0)
        snprintf(s->auth, sizeof(s->auth), "%s", arg);
    else if (strcmp(line, "queue-id") == 0)
        snprintf(s->qid, sizeof(s->qid), "%s", arg);
    else if (strcmp(line, "macro") == 0)
        cmd_macro(s, arg);
    else if (strcmp(line, "helo") == 0)
        step(s, "helo", SMFIC_HELO, arg, alen + 1);
    else if (strcmp(line, "mail") == 0)
        cmd_mail(s, arg);
    else if (strcmp(line, "rcpt") == 0) {
        char label[512];
        snprintf(label, sizeof(label), "rcpt %s", arg);
        step(s, label, SMFIC_RCPT, arg, alen + 1);
    } else if (strcmp(line, "header") == 0)
        cmd_header(s, arg, alen);
    else if (strcmp(line, "bigheader") == 0)
        cmd_bigheader(s, arg);
    else if (strcmp(line, "message") == 0)
        cmd_message(s, arg);
    else if (strcmp(line, "rcpts") == 0)
        cmd_rcpts(s, arg);
    else if (strcmp(line, "eoh") == 0)
        step(s, "eoh", SMFIC_EOH, NULL, 0);
    else if (strcmp(line, "body") == 0)
        step(s, "body", SMFIC_BODY, arg, alen);
    else if (strcmp(line, "eom") == 0)
        cmd_eom(s);
    else if (strcmp(line, "abort") == 0)
        step(s, "abort", SMFIC_ABORT, NULL, 0);
    else if (strcmp(line, "quit") == 0) {
        if (s->open)
            mproto_close(&s->m);
        s->open = 0;
    } else if (strcmp(line, "raw") == 0) {
        if (s->open && write(s->m.fd, arg, alen) != (ssize_t)alen)
            printf("raw: error\n");
    } else if (strcmp(line, "sleep") == 0) {
        struct timespec ts = {atoi(arg) / 1000, (atoi(arg) % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    } else if (line[0] != '\0' && line[0] != '#') {
        fprintf(stderr, "mtclient: unknown command '%s'\n", line);
        s->failed = 1;
    }
}

int main(int argc, char **argv)
{
    struct session s = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (argc < 2) {
        fprintf(stderr, "usage: mtclient SOCKET [SCRIPT]\n");
        return 2;
    }
    s.spec = argv[1];
    FILE *fp = argc > 2 ? fopen(argv[2], "r") : stdin;
    if (fp == NULL) {
        perror(argv[2]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    while ((n = getline(&line, &cap, fp)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        run_line(&s, line);
    }
    if (s.open)
        mproto_close(&s.m);
    free(line);
    if (fp != stdin)
        fclose(fp);
    return s.failed ? 1 : 0;
}
