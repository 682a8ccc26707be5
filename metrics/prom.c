/*
 * prom - lock-free metrics and their text exposition.
 */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prom.h"
#include "utf8.h"

/* prom_hist_init - zeroed buckets over BOUNDS. */
void prom_hist_init(struct prom_hist *h, const double *bounds, size_t nbounds)
{
    h->bounds = bounds;
    h->nbounds = nbounds > PROM_BUCKETS_MAX ? PROM_BUCKETS_MAX : nbounds;
    for (size_t i = 0; i <= PROM_BUCKETS_MAX; i++)
        atomic_init(&h->bucket[i], 0);
    atomic_init(&h->sum_ns, 0);
    atomic_init(&h->count, 0);
}

/* prom_observe - the first bucket whose bound holds SECONDS, the sum, the count. */
void prom_observe(struct prom_hist *h, double seconds)
{
    size_t i = 0;

    if (!(seconds >= 0))
        seconds = 0; /* a NaN or a clock oddity must not poison the sum */
    while (i < h->nbounds && seconds > h->bounds[i])
        i++;
    atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, (uint64_t)(seconds * 1e9), memory_order_relaxed);
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
}

/* prom_now - monotonic seconds. */
double prom_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* prom_out_init - empty. */
void prom_out_init(struct prom_out *o)
{
    memset(o, 0, sizeof(*o));
}

/* prom_out_free - the buffer. */
void prom_out_free(struct prom_out *o)
{
    free(o->s);
    prom_out_init(o);
}

/* prom_reserve - room for N more bytes and a NUL; 0 or -1 (sticky). */
static int prom_reserve(struct prom_out *o, size_t n)
{
    if (o->failed)
        return -1;
    if (o->len + n + 1 <= o->cap)
        return 0;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->len + n + 1)
        cap *= 2;
    char *s = realloc(o->s, cap);
    if (s == NULL) {
        o->failed = 1;
        return -1;
    }
    o->s = s;
    o->cap = cap;
    return 0;
}

/* prom_addn - N bytes of S. */
static void prom_addn(struct prom_out *o, const char *s, size_t n)
{
    if (prom_reserve(o, n) < 0)
        return;
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

/* prom_printf - formatted, our literals only. */
void prom_printf(struct prom_out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || prom_reserve(o, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(o->s + o->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    o->len += (size_t)n;
}

/* prom_head - HELP and TYPE. */
void prom_head(struct prom_out *o, const char *name, const char *type, const char *help)
{
    prom_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* prom_label_value - escaped, valid UTF-8. */
void prom_label_value(struct prom_out *o, const char *v)
{
    size_t len = strlen(v);

    for (size_t i = 0; i < len;) {
        size_t n = utf8_len(v + i, len - i);
        if (n == 0) {
            prom_addn(o, "\xef\xbf\xbd", 3);
            i++;
        } else if (v[i] == '\\') {
            prom_addn(o, "\\\\", 2);
            i++;
        } else if (v[i] == '"') {
            prom_addn(o, "\\\"", 2);
            i++;
        } else if (v[i] == '\n') {
            prom_addn(o, "\\n", 2);
            i++;
        } else {
            prom_addn(o, v + i, n);
            i += n;
        }
    }
}

/* prom_name - NAME and {LABELS} when there are any. */
static void prom_name(struct prom_out *o, const char *name, const char *labels)
{
    if (labels != NULL && labels[0] != '\0')
        prom_printf(o, "%s{%s} ", name, labels);
    else
        prom_printf(o, "%s ", name);
}

/* prom_counter_line - one counter sample. */
void prom_counter_line(struct prom_out *o, const char *name, const char *labels,
                       const struct prom_counter *c)
{
    prom_name(o, name, labels);
    prom_printf(o, "%llu\n", (unsigned long long)atomic_load_explicit(&c->v, memory_order_relaxed));
}

/* prom_gauge_line - one gauge sample. */
void prom_gauge_line(struct prom_out *o, const char *name, const char *labels,
                     const struct prom_gauge *g)
{
    prom_name(o, name, labels);
    prom_printf(o, "%lld\n", (long long)atomic_load_explicit(&g->v, memory_order_relaxed));
}

/* prom_value_line - a value computed now; whole numbers printed as such. */
void prom_value_line(struct prom_out *o, const char *name, const char *labels, double v)
{
    prom_name(o, name, labels);
    if (v == floor(v) && fabs(v) < 1e15)
        prom_printf(o, "%.0f\n", v);
    else
        prom_printf(o, "%.9g\n", v);
}

/* prom_hist_lines - cumulative buckets, le as Prometheus prints them. */
void prom_hist_lines(struct prom_out *o, const char *name, const struct prom_hist *h)
{
    uint64_t cum = 0;

    for (size_t i = 0; i <= h->nbounds; i++) {
        cum += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
        if (i < h->nbounds)
            prom_printf(o, "%s_bucket{le=\"%g\"} %llu\n", name, h->bounds[i],
                        (unsigned long long)cum);
        else
            prom_printf(o, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cum);
    }
    prom_printf(o, "%s_sum %.9f\n", name,
                (double)atomic_load_explicit(&h->sum_ns, memory_order_relaxed) / 1e9);
    /* The count is the +Inf bucket, so that the two always agree. */
    prom_printf(o, "%s_count %llu\n", name, (unsigned long long)cum);
}
