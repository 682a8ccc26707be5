/*
 * prom - counters, gauges and histograms kept without locks, and their
 * Prometheus text exposition (format 0.0.4).
 *
 * Purpose: the mail path counts with one relaxed atomic add (C11
 * atomics, no lock, no system call), so that counting never makes a
 * milter callback wait; a scrape reads the values in another thread.
 * A scrape may see a histogram's buckets and count a few observations
 * apart (each value is read on its own); Prometheus tolerates that, and
 * the next scrape is consistent again.
 *
 * Names and label values: names are our own literals; label values that
 * come from data (department names, versions) go through
 * prom_label_value(), which escapes '\', '"' and line feeds as the text
 * format requires, so that no value can end its label or line.
 *
 * Ownership: a struct prom_out owns its buffer (prom_out_free()).
 * Thread safety: prom_inc/add/set/observe from any thread; a prom_out is
 * one thread's.
 */
#ifndef OM_PROM_H
#define OM_PROM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Most bucket bounds a histogram may have. */
#define PROM_BUCKETS_MAX 16

struct prom_counter {
    _Atomic uint64_t v;
};

struct prom_gauge {
    _Atomic int64_t v;
};

struct prom_hist {
    const double *bounds; /* upper bounds, increasing; +Inf is implicit */
    size_t nbounds;
    _Atomic uint64_t bucket[PROM_BUCKETS_MAX + 1]; /* per bucket (not cumulative); last: +Inf */
    _Atomic uint64_t sum_ns;                       /* sum of the observations, nanoseconds */
    _Atomic uint64_t count;
};

/* prom_inc - add one. */
static inline void prom_inc(struct prom_counter *c)
{
    atomic_fetch_add_explicit(&c->v, 1, memory_order_relaxed);
}

/* prom_add - add N. */
static inline void prom_add(struct prom_counter *c, uint64_t n)
{
    atomic_fetch_add_explicit(&c->v, n, memory_order_relaxed);
}

/* prom_gauge_add - add D (negative: subtract). */
static inline void prom_gauge_add(struct prom_gauge *g, int64_t d)
{
    atomic_fetch_add_explicit(&g->v, d, memory_order_relaxed);
}

/* prom_gauge_set - set to V. */
static inline void prom_gauge_set(struct prom_gauge *g, int64_t v)
{
    atomic_store_explicit(&g->v, v, memory_order_relaxed);
}

/* prom_hist_init - H empty, with NBOUNDS (at most PROM_BUCKETS_MAX) BOUNDS (kept, not copied). */
void prom_hist_init(struct prom_hist *h, const double *bounds, size_t nbounds);

/* prom_observe - one observation of SECONDS. */
void prom_observe(struct prom_hist *h, double seconds);

/* prom_now - CLOCK_MONOTONIC in seconds, for timing what is observed. */
double prom_now(void);

/* The exposition text being built; its error is sticky (out of memory). */
struct prom_out {
    char *s;
    size_t len, cap;
    int failed;
};

/* prom_out_init - an empty text. */
void prom_out_init(struct prom_out *o);

/* prom_out_free - release O's memory. */
void prom_out_free(struct prom_out *o);

/* prom_printf - append our own formatted text. */
void prom_printf(struct prom_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* prom_head - the "# HELP" and "# TYPE" lines of metric NAME. */
void prom_head(struct prom_out *o, const char *name, const char *type, const char *help);

/*
 * prom_label_value - append V escaped as a label value (without the
 * quotes): '\' as "\\", '"' as "\"", LF as "\n"; bytes that are not
 * UTF-8 become U+FFFD, as the format requires UTF-8.
 */
void prom_label_value(struct prom_out *o, const char *v);

/* prom_counter_line - "NAME{LABELS} VALUE" (LABELS preformatted, NULL or "" for none). */
void prom_counter_line(struct prom_out *o, const char *name, const char *labels,
                       const struct prom_counter *c);

/* prom_gauge_line - as prom_counter_line for a gauge. */
void prom_gauge_line(struct prom_out *o, const char *name, const char *labels,
                     const struct prom_gauge *g);

/* prom_value_line - "NAME{LABELS} V" for a value computed at scrape time. */
void prom_value_line(struct prom_out *o, const char *name, const char *labels, double v);

/* prom_hist_lines - the _bucket (cumulative), _sum and _count lines of H. */
void prom_hist_lines(struct prom_out *o, const char *name, const struct prom_hist *h);

#endif
