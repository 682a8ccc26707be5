/*
 * trivial_milter - an accept-all libmilter milter: the floor the
 * benchmark measures officialmail-milter against (SPEC 8).
 *
 * Usage: trivial_milter [-l [-r DOMAIN,...]] SOCKET
 * Every callback accepts. Plain, it is the accept-all milter as one
 * writes it first: no negotiation, so the MTA sends every step (body
 * included) and waits for every reply. With -l (lean) it negotiates the
 * same protocol as officialmail-milter (no DATA or unknown steps, no
 * replies to header steps, the first body chunk answered "skip", the
 * same macros), so that the difference between the two is the policy's
 * cost alone. With -r it also does the one unavoidable thing of a
 * violation load: a recipient at one of the DOMAINs is refused at RCPT
 * with a 550 5.7.1 reply naming it, as officialmail-milter refuses it
 * (the lean milter knows the answer; officialmail-milter has to find it).
 */
#include <config.h>

#include <libmilter/mfapi.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static sfsistat tm_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
                             unsigned long f3, unsigned long *pf0, unsigned long *pf1,
                             unsigned long *pf2, unsigned long *pf3)
{
    (void)f2;
    (void)f3;
    *pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_QUARANTINE | SMFIF_SETSYMLIST);
    *pf1 = f1 & (SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_SKIP |
                 SMFIP_HDR_LEADSPC);
    *pf2 = *pf3 = 0;
    if (f0 & SMFIF_SETSYMLIST) {
        (void)smfi_setsymlist(ctx, SMFIM_CONNECT, "{daemon_port} {client_addr} {client_name}");
        (void)smfi_setsymlist(ctx, SMFIM_ENVFROM, "{auth_authen} {i}");
        (void)smfi_setsymlist(ctx, SMFIM_EOH, "{i}");
        (void)smfi_setsymlist(ctx, SMFIM_EOM, "{i}");
    }
    return SMFIS_CONTINUE;
}

static sfsistat tm_continue(SMFICTX *ctx)
{
    (void)ctx;
    return SMFIS_CONTINUE;
}

static sfsistat tm_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
    (void)host;
    (void)addr;
    return tm_continue(ctx);
}

static sfsistat tm_args(SMFICTX *ctx, char **argv)
{
    (void)argv;
    return tm_continue(ctx);
}

static sfsistat tm_helo(SMFICTX *ctx, char *helo)
{
    (void)helo;
    return tm_continue(ctx);
}

static int lean;
static const char *refuse_domains; /* "gmail.com,yahoo.co.in", or NULL */

/* tm_refused - 1 when RCPT (its angle brackets included) is at a refused domain. */
static int tm_refused(const char *rcpt)
{
    const char *at = strrchr(rcpt, '@'), *d = refuse_domains;
    size_t n;

    if (at == NULL || d == NULL)
        return 0;
    n = strcspn(at + 1, ">");
    while (*d != '\0') {
        size_t dl = strcspn(d, ",");
        if (dl == n && strncasecmp(at + 1, d, n) == 0)
            return 1;
        d += dl + (d[dl] == ',');
    }
    return 0;
}

/* tm_rcpt - refuse the recipients at -r's domains, with the text officialmail-milter gives. */
static sfsistat tm_rcpt(SMFICTX *ctx, char **argv)
{
    char text[512];

    if (!tm_refused(argv[0]))
        return SMFIS_CONTINUE;
    /* The reply names the recipient, so it is built per recipient (as officialmail's is). */
    size_t n = strlen(argv[0]);
    if (n + 80 > sizeof(text))
        return SMFIS_REJECT;
    memcpy(text, argv[0], n);
    memcpy(text + n, ": Official mail may not be sent to private webmail accounts", 60);
    if (smfi_setreply(ctx, "550", "5.7.1", text) != MI_SUCCESS)
        return SMFIS_TEMPFAIL;
    return SMFIS_REJECT;
}

static sfsistat tm_header(SMFICTX *ctx, char *name, char *value)
{
    (void)ctx;
    (void)name;
    (void)value;
    return lean ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat tm_eoh(SMFICTX *ctx)
{
    (void)ctx;
    return lean ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat tm_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
    (void)ctx;
    (void)chunk;
    (void)len;
    return lean ? SMFIS_SKIP : SMFIS_CONTINUE;
}

int main(int argc, char **argv)
{
    struct smfiDesc desc = {
        .xxfi_name = "trivial",
        .xxfi_version = SMFI_VERSION,
        .xxfi_flags = SMFIF_ADDHDRS | SMFIF_QUARANTINE | SMFIF_SETSYMLIST,
        .xxfi_connect = tm_connect,
        .xxfi_helo = tm_helo,
        .xxfi_envfrom = tm_args,
        .xxfi_envrcpt = tm_rcpt,
        .xxfi_header = tm_header,
        .xxfi_eoh = tm_eoh,
        .xxfi_body = tm_body,
        .xxfi_eom = tm_continue,
        .xxfi_abort = tm_continue,
        .xxfi_close = tm_continue,
        .xxfi_negotiate = tm_negotiate,
    };

    if (argc >= 3 && strcmp(argv[1], "-l") == 0) {
        lean = 1;
        argv++;
        argc--;
    }
    if (lean && argc == 4 && strcmp(argv[1], "-r") == 0) {
        refuse_domains = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: trivial_milter [-l [-r DOMAIN,...]] SOCKET\n");
        return 2;
    }
    if (!lean)
        desc.xxfi_negotiate = NULL;
    signal(SIGPIPE, SIG_IGN);
    if (smfi_register(desc) != MI_SUCCESS || smfi_setconn(argv[1]) != MI_SUCCESS ||
        smfi_opensocket(1) != MI_SUCCESS) {
        fprintf(stderr, "trivial_milter: cannot listen on %s\n", argv[1]);
        return 1;
    }
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
