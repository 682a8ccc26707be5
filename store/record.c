/*
 * record - violation records and their escaped key=value form.
 */
#include <config.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "record.h"

/* record_subject - full text, SHA-256 hex, or nothing. */
const char *record_subject(enum om_subject_logging how, const char *subject, char *out,
                           size_t outlen)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    if (subject == NULL || how == SUBJECT_NONE || outlen == 0)
        return "";
    if (how == SUBJECT_FULL)
        return subject;
    if (outlen < 65 || EVP_Digest(subject, strlen(subject), md, &mdlen, EVP_sha256(), NULL) != 1)
        return "";
    for (unsigned i = 0; i < mdlen; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return out;
}

/* record_plain - 1 when V can stand unquoted: a non-empty run of safe ASCII. */
static int record_plain(const char *v)
{
    if (*v == '\0')
        return 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '\\' || *p == '=')
            return 0;
    return 1;
}

/* record_utf8_len - length of a valid UTF-8 sequence at S, or 0. */
static size_t record_utf8_len(const unsigned char *s)
{
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

    if (s[0] >= 0xf5)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* record_escape - append one value, quoted and escaped where needed. */
int record_escape(char *buf, size_t len, size_t *pos, const char *value)
{
    size_t p = *pos;
    const unsigned char *s = (const unsigned char *)(value ? value : "");

#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (p + 1 >= len)                                                                          \
            return -1;                                                                             \
        buf[p++] = (char)(c);                                                                      \
    } while (0)
    if (record_plain((const char *)s)) {
        for (; *s; s++)
            PUT(*s);
    } else {
        PUT('"');
        while (*s) {
            size_t n = *s >= 0x80 ? record_utf8_len(s) : 1;
            if (*s == '"' || *s == '\\') {
                PUT('\\');
                PUT(*s++);
            } else if (n == 0 || *s < 0x20 || *s == 0x7f) {
                if (p + 5 >= len)
                    return -1;
                p += (size_t)snprintf(buf + p, len - p, "\\x%02x", *s++);
            } else {
                for (size_t i = 0; i < n; i++)
                    PUT(*s++);
            }
        }
        PUT('"');
    }
#undef PUT
    buf[p] = '\0';
    *pos = p;
    return 0;
}

/* record_field - " key=value"; -1 when it does not fit. */
static int record_field(char *buf, size_t len, size_t *pos, const char *key, const char *value)
{
    size_t p = *pos;
    int n = snprintf(buf + p, len - p, "%s%s=", p ? " " : "", key);

    if (n < 0 || (size_t)n >= len - p)
        return -1;
    p += (size_t)n;
    if (record_escape(buf, len, &p, value) < 0)
        return -1;
    *pos = p;
    return 0;
}

/* record_reasons - "a,b" into OUT. */
static const char *record_reasons(unsigned reasons, char *out, size_t len)
{
    size_t p = 0;

    out[0] = '\0';
    for (unsigned i = 0; i < REASON_COUNT; i++)
        if (reasons & (1u << i))
            p += (size_t)snprintf(out + p, len - p, "%s%s", p ? "," : "",
                                  verdict_reason_name(1u << i));
    return out;
}

/* record_rcpts - the recipients joined by ",", cut with "+N more" past LEN. */
static const char *record_rcpts(const struct record *r, char *out, size_t len)
{
    size_t p = 0;

    out[0] = '\0';
    for (size_t i = 0; i < r->nrcpts; i++) {
        const char *a = r->rcpts[i].address;
        size_t need = strlen(a) + (p ? 1 : 0);
        if (p + need + 32 >= len) {
            snprintf(out + p, len - p, "%s+%zu more", p ? "," : "", r->nrcpts - i);
            break;
        }
        p += (size_t)snprintf(out + p, len - p, "%s%s", p ? "," : "", a);
    }
    return out;
}

/* record_kv - every field in a fixed order, cut cleanly when too long. */
char *record_kv(const struct record *r, char *buf, size_t len)
{
    char stamp[32], reasons[128], rcpts[2048];
    struct tm tm;
    size_t pos = 0;
    const size_t reserve = sizeof(" truncated=1");
    const struct violation *v = r->v;

    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&r->time, &tm));
    const char *fields[][2] = {
        {"rule", policy_rule_name(v->rule)},
        {"action", policy_action_name(v->action)},
        {"intended_action", policy_action_name(v->intended)},
        {"mode", policy_mode_name(v->mode)},
        {"department", v->department},
        {"address", v->address},
        {"reasons", record_reasons(v->reasons, reasons, sizeof(reasons))},
        {"exception_ticket", v->action == ACTION_EXEMPT && v->ticket ? v->ticket : ""},
        {"queue_id", r->queue_id},
        {"message_id", r->message_id},
        {"envelope_sender", r->envelope_sender},
        {"header_from", r->header_from},
        {"recipients", record_rcpts(r, rcpts, sizeof(rcpts))},
        {"client_ip", r->client_ip},
        {"client_name", r->client_name},
        {"auth_user", r->auth_user},
        {"spf", r->spf},
        {"dkim", r->dkim},
        {"subject", r->subject},
        {"gateway", r->gateway},
        {"time", stamp},
    };
    buf[0] = '\0';
    if (len <= reserve)
        return buf;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (record_field(buf, len - reserve, &pos, fields[i][0], fields[i][1]) < 0) {
            snprintf(buf + pos, len - pos, " truncated=1");
            break;
        }
    }
    return buf;
}
