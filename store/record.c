/*
 * record - violation records: fields, canonical form, hash, key=value.
 */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "utf8.h"
#include "timefmt.h"

const char *const record_field_names[RF_COUNT] = {"time",
                                                  "queue_id",
                                                  "message_id",
                                                  "rule",
                                                  "reasons",
                                                  "action",
                                                  "intended_action",
                                                  "mode",
                                                  "exception_ticket",
                                                  "department",
                                                  "envelope_sender",
                                                  "header_from",
                                                  "address",
                                                  "recipients",
                                                  "client_ip",
                                                  "client_name",
                                                  "auth_user",
                                                  "spf",
                                                  "dkim",
                                                  "subject",
                                                  "gateway"};

/* record_reasons - "a,b" of the reason bits into OUT. */
static const char *record_reasons(unsigned reasons, char *out, size_t len)
{
    size_t p = 0;

    out[0] = '\0';
    for (unsigned i = 0; i < REASON_COUNT && p < len; i++)
        if (reasons & (1u << i))
            p += (size_t)snprintf(out + p, len - p, "%s%s", p ? "," : "",
                                  verdict_reason_name(1u << i));
    return out;
}

/*
 * record_rcpts_size - room for the recipients joined by ",": the first
 * RECORD_MAX_RCPTS, then ",+N more". A message may have ten thousand,
 * and each of its records carries the list: in full, 5,000 refusals of
 * one message would write a gigabyte.
 */
static size_t record_rcpts_size(const struct verdict *vd)
{
    size_t n = vd->nrcpts < RECORD_MAX_RCPTS ? vd->nrcpts : RECORD_MAX_RCPTS;
    size_t len = 32;

    for (size_t i = 0; i < n; i++)
        len += strlen(vd->rcpts[i].address) + 1;
    return len;
}

/* record_rcpts_put - the list at P (record_rcpts_size() bytes). */
static void record_rcpts_put(const struct verdict *vd, char *p)
{
    size_t n = vd->nrcpts < RECORD_MAX_RCPTS ? vd->nrcpts : RECORD_MAX_RCPTS;

    *p = '\0';
    for (size_t i = 0; i < n; i++) { /* by hand: on the mail path, for every record */
        size_t alen = strlen(vd->rcpts[i].address);
        if (i)
            *p++ = ',';
        memcpy(p, vd->rcpts[i].address, alen + 1);
        p += alen;
    }
    if (n < vd->nrcpts)
        sprintf(p, ",+%zu more", vd->nrcpts - n);
}

/* record_subject - the subject as subject_logging wants it, in OUT. */
static const char *record_subject(enum om_subject_logging how, const char *subject,
                                  char out[RECORD_HASH_HEX])
{
    if (subject == NULL || how == SUBJECT_NONE)
        return "";
    if (how == SUBJECT_FULL)
        return subject;
    return chain_sha256_hex(subject, strlen(subject), out) == 0 ? out : "";
}

/*
 * record_fill_block - the fields VAL (NULL as "") and the recipients of VD
 * copied into one allocation: on the mail path, one malloc() and one
 * free() a record instead of one each per field.
 */
static int record_fill_block(struct record *r, const char *val[RF_COUNT], const struct verdict *vd)
{
    size_t len[RF_COUNT], total = record_rcpts_size(vd);
    char *p;

    for (int i = 0; i < RF_COUNT; i++) {
        len[i] = i == RF_RECIPIENTS || val[i] == NULL ? 0 : strlen(val[i]);
        total += len[i] + 1;
    }
    if ((r->block = p = malloc(total)) == NULL)
        return -1;
    for (int i = 0; i < RF_COUNT; i++) {
        if (i == RF_RECIPIENTS)
            continue;
        r->f[i] = p;
        memcpy(p, val[i] ? val[i] : "", len[i] + 1);
        p += len[i] + 1;
    }
    r->f[RF_RECIPIENTS] = p;
    record_rcpts_put(vd, p);
    return 0;
}

/* record_fill - copy every field; "" for what is not known. */
int record_fill(struct record *r, const struct record_context *c, const struct verdict *vd,
                const struct violation *v)
{
    char stamp[32], reasons[128], subject[RECORD_HASH_HEX];

    memset(r, 0, sizeof(*r));
    if (timefmt_iso8601(c->time, stamp) < 0)
        stamp[0] = '\0';
    const char *val[RF_COUNT] = {
        [RF_TIME] = stamp,
        [RF_QUEUE_ID] = c->queue_id,
        [RF_MESSAGE_ID] = c->message_id,
        [RF_RULE] = policy_rule_name(v->rule),
        [RF_REASONS] = record_reasons(v->reasons, reasons, sizeof(reasons)),
        [RF_ACTION] = policy_action_name(v->action),
        [RF_INTENDED_ACTION] = policy_action_name(v->intended),
        [RF_MODE] = policy_mode_name(v->mode),
        [RF_EXCEPTION_TICKET] = v->action == ACTION_EXEMPT ? v->ticket : NULL,
        [RF_DEPARTMENT] = v->department,
        [RF_ENVELOPE_SENDER] = vd->envelope_sender,
        [RF_HEADER_FROM] = vd->header_from,
        [RF_ADDRESS] = v->address,
        [RF_CLIENT_IP] = c->client_ip,
        [RF_CLIENT_NAME] = c->client_name,
        [RF_AUTH_USER] = c->auth_user,
        [RF_SPF] = c->spf,
        [RF_DKIM] = c->dkim,
        [RF_SUBJECT] = record_subject(c->subject_logging, vd->subject, subject),
        [RF_GATEWAY] = c->gateway,
    };
    return record_fill_block(r, val, vd);
}

/* record_clear - free the fields. */
void record_clear(struct record *r)
{
    if (r->block != NULL)
        free(r->block);
    else
        for (int i = 0; i < RF_COUNT; i++)
            free(r->f[i]);
    memset(r, 0, sizeof(*r));
}

/* record_row - R as the chain sees it: its id and its fields, in order. */
struct chain_row record_row(const struct record *r)
{
    return (struct chain_row){
        .id = r->id, .names = record_field_names, .values = r->f, .n = RF_COUNT};
}

/* record_link - R becomes the next record after HEAD. */
int record_link(struct chain_head *head, struct record *r)
{
    struct chain_row row = record_row(r);

    if (chain_link(head, &row, r->prev_hash, r->hash) < 0)
        return -1;
    r->id = row.id;
    return 0;
}

/* record_canonical - the chain's serialisation of R. */
char *record_canonical(const struct record *r)
{
    struct chain_row row = record_row(r);

    return chain_canonical(&row);
}

/* record_hash - the chain's hash of R after PREV. */
int record_hash(const struct record *r, const char *prev, char hex[RECORD_HASH_HEX])
{
    struct chain_row row = record_row(r);

    return chain_hash(&row, prev, hex);
}

/* What record_escape does with each byte. */
enum kv_class {
    KV_PLAIN, /* copied; the value may stay bare */
    KV_QUOTE, /* copied, in quotes (space, =) */
    KV_SLASH, /* " and \ : a backslash before */
    KV_HEX,   /* control bytes: \xNN */
    KV_UTF8,  /* a lead byte: copied when the character is well formed, else \xNN */
    KV_END,   /* the NUL */
};

/* The class of every byte value, and the length of every field's name (kv_init). */
static unsigned char kv_class[256];
static size_t kv_name_len[RF_COUNT];
static pthread_once_t kv_once = PTHREAD_ONCE_INIT;

/* kv_init - fill kv_class and kv_name_len. */
static void kv_init(void)
{
    for (int c = 0; c < 256; c++)
        kv_class[c] = c == 0                  ? KV_END
                      : c >= 0x80             ? KV_UTF8
                      : c < 0x20 || c == 0x7f ? KV_HEX
                      : c == '"' || c == '\\' ? KV_SLASH
                      : c == ' ' || c == '='  ? KV_QUOTE
                                              : KV_PLAIN;
    for (int i = 0; i < RF_COUNT; i++)
        kv_name_len[i] = strlen(record_field_names[i]);
}

/* record_escaped_len - the length of S escaped (record_escape_rest), quotes not counted. */
static size_t record_escaped_len(const unsigned char *s)
{
    size_t n = 0, k;

    for (; *s; s++) {
        switch (kv_class[*s]) {
        case KV_SLASH:
            n += 2;
            break;
        case KV_PLAIN:
        case KV_QUOTE:
            n++;
            break;
        case KV_UTF8:
            if ((k = utf8_len((const char *)s, UTF8_NUL_TERMINATED)) != 0) {
                n += k;
                s += k - 1;
                break;
            }
            /* fall through */
        default:
            n += 4;
        }
    }
    return n;
}

/*
 * record_escape_rest - S (the value from its first byte that is not
 * plain) escaped at OUT, which has room for 4 bytes for each of S's;
 * the end of what was written.
 */
static char *record_escape_rest(char *out, const unsigned char *s)
{
    static const char digits[] = "0123456789abcdef";

    for (;;) {
        unsigned char c = *s;
        size_t n;
        switch (kv_class[c]) {
        case KV_END:
            return out;
        case KV_SLASH:
            *out++ = '\\';
            /* fall through */
        case KV_PLAIN:
        case KV_QUOTE:
            *out++ = (char)c;
            s++;
            break;
        case KV_UTF8:
            if ((n = utf8_len((const char *)s, UTF8_NUL_TERMINATED)) != 0) {
                memcpy(out, s, n);
                out += n;
                s += n;
                break;
            }
            /* fall through */
        default:
            out[0] = '\\';
            out[1] = 'x';
            out[2] = digits[c >> 4];
            out[3] = digits[c & 15];
            out += 4;
            s++;
        }
    }
}

/* record_escape_value - record_escape, kv_class made. */
static int record_escape_value(char *buf, size_t len, size_t *pos, const char *value)
{
    const unsigned char *s = (const unsigned char *)(value ? value : "");
    size_t p = *pos, plain = 0;

    while (kv_class[s[plain]] == KV_PLAIN)
        plain++;
    if (plain > 0 && s[plain] == '\0') {
        if (plain >= len - p)
            return -1;
        memcpy(buf + p, s, plain);
        p += plain;
    } else {
        /* Each byte left becomes 4 at most (\xNN); counted exactly only when that may not fit. */
        size_t rest = strlen((const char *)s + plain), room = len - p;
        if (room < plain + 3 ||
            ((room - plain - 3) / 4 < rest && record_escaped_len(s + plain) > room - plain - 3))
            return -1;
        buf[p++] = '"';
        memcpy(buf + p, s, plain);
        p = (size_t)(record_escape_rest(buf + p + plain, s + plain) - buf);
        buf[p++] = '"';
    }
    buf[p] = '\0';
    *pos = p;
    return 0;
}

/*
 * record_escape - append one value, quoted and escaped where needed.
 * One pass over the plain run that most values are whole, a copy, and
 * the rest byte by byte: every violation's syslog line is made on the
 * mail path.
 */
int record_escape(char *buf, size_t len, size_t *pos, const char *value)
{
    pthread_once(&kv_once, kv_init);
    return record_escape_value(buf, len, pos, value);
}

/* record_field - " key=value"; -1 when it does not fit. */
static int record_field(char *buf, size_t len, size_t *pos, int field, const char *value)
{
    size_t p = *pos, klen = kv_name_len[field];

    if (p + (p ? 1 : 0) + klen + 1 >= len)
        return -1;
    if (p)
        buf[p++] = ' ';
    memcpy(buf + p, record_field_names[field], klen);
    p += klen;
    buf[p++] = '=';
    if (record_escape_value(buf, len, &p, value) < 0)
        return -1;
    *pos = p;
    return 0;
}

/* record_kv - every field in order; the recipients cut past 2,000 bytes. */
char *record_kv(const struct record *r, char *buf, size_t len)
{
    const size_t reserve = sizeof(" truncated=1");
    char rcpts[2048];
    size_t pos = 0;

    buf[0] = '\0';
    if (len <= reserve)
        return buf;
    pthread_once(&kv_once, kv_init);
    for (int i = 0; i < RF_COUNT; i++) {
        const char *v = r->f[i] ? r->f[i] : "";
        if (i == RF_RECIPIENTS && strlen(v) >= sizeof(rcpts) - 32) {
            /* The database keeps them all; a syslog line keeps the first ones. */
            const char *cut = v + sizeof(rcpts) - 32;
            while (cut > v && *cut != ',')
                cut--;
            size_t n = 1;
            for (const char *p = cut; *p; p++)
                n += *p == ',';
            snprintf(rcpts, sizeof(rcpts), "%.*s,+%zu more", (int)(cut - v), v, n - 1);
            v = rcpts;
        }
        if (record_field(buf, len - reserve, &pos, i, v) < 0) {
            snprintf(buf + pos, len - pos, " truncated=1");
            break;
        }
    }
    return buf;
}
