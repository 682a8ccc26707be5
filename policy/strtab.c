/*
 * strtab - open-addressing hash table from strings to ints.
 *
 * Linear probing over a power-of-two array kept at most half full, with
 * tombstones for removal; FNV-1a hashing. Keys are stored NUL-terminated.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strtab.h"

struct slot {
    char *key; /* NULL: empty; TOMBSTONE: removed */
    size_t len;
    uint32_t hash;
    int value;
};

struct strtab {
    struct slot *slots;
    size_t cap;  /* power of two */
    size_t used; /* live keys */
    size_t dead; /* tombstones */
};

static char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

/* strtab_hash - FNV-1a over LEN bytes of KEY. */
static uint32_t strtab_hash(const char *key, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 16777619u;
    }
    return h;
}

/* strtab_new - an empty table with room for a few keys. */
struct strtab *strtab_new(void)
{
    struct strtab *t = calloc(1, sizeof(*t));

    if (t == NULL)
        return NULL;
    t->cap = 16;
    t->slots = calloc(t->cap, sizeof(*t->slots));
    if (t->slots == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

/* strtab_free - free keys, slots and table. */
void strtab_free(struct strtab *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].key != NULL && t->slots[i].key != TOMBSTONE)
            free(t->slots[i].key);
    free(t->slots);
    free(t);
}

/* strtab_find - index of KEY's slot, or of the slot to insert it into. */
static size_t strtab_find(const struct strtab *t, const char *key, size_t len, uint32_t h,
                          int *found)
{
    size_t mask = t->cap - 1, i = h & mask, insert = SIZE_MAX;

    for (;;) {
        const struct slot *s = &t->slots[i];
        if (s->key == NULL) {
            *found = 0;
            return insert != SIZE_MAX ? insert : i;
        }
        if (s->key == TOMBSTONE) {
            if (insert == SIZE_MAX)
                insert = i;
        } else if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & mask;
    }
}

/* strtab_grow - rehash into twice the room (dropping tombstones). */
static int strtab_grow(struct strtab *t)
{
    size_t ncap = t->cap * 2;
    struct slot *old = t->slots, *nslots = calloc(ncap, sizeof(*nslots));

    if (nslots == NULL)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (old[i].key == NULL || old[i].key == TOMBSTONE)
            continue;
        size_t j = old[i].hash & (ncap - 1);
        while (nslots[j].key != NULL)
            j = (j + 1) & (ncap - 1);
        nslots[j] = old[i];
    }
    free(old);
    t->slots = nslots;
    t->cap = ncap;
    t->dead = 0;
    return 0;
}

/* strtab_put - insert KEY unless present; the first value wins. */
int strtab_put(struct strtab *t, const char *key, size_t len, int value)
{
    uint32_t h = strtab_hash(key, len);
    int found;
    size_t i;

    if ((t->used + t->dead + 1) * 2 > t->cap && strtab_grow(t) < 0)
        return -1;
    i = strtab_find(t, key, len, h, &found);
    if (found)
        return 0;
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    if (t->slots[i].key == TOMBSTONE)
        t->dead--;
    t->slots[i] = (struct slot){copy, len, h, value};
    t->used++;
    return 1;
}

/* strtab_get - look KEY up. */
const char *strtab_get(const struct strtab *t, const char *key, size_t len, int *value)
{
    int found;
    size_t i = strtab_find(t, key, len, strtab_hash(key, len), &found);

    if (!found)
        return NULL;
    if (value != NULL)
        *value = t->slots[i].value;
    return t->slots[i].key;
}

/* strtab_del - remove KEY, leaving a tombstone so probes still work. */
int strtab_del(struct strtab *t, const char *key, size_t len)
{
    int found;
    size_t i = strtab_find(t, key, len, strtab_hash(key, len), &found);

    if (!found)
        return 0;
    free(t->slots[i].key);
    t->slots[i].key = TOMBSTONE;
    t->used--;
    t->dead++;
    return 1;
}

/* strtab_count - number of live keys. */
size_t strtab_count(const struct strtab *t)
{
    return t->used;
}

/* strtab_foreach - visit live keys until FN returns non-zero. */
int strtab_foreach(const struct strtab *t, int (*fn)(const char *key, int value, void *arg),
                   void *arg)
{
    for (size_t i = 0; i < t->cap; i++) {
        const struct slot *s = &t->slots[i];
        if (s->key == NULL || s->key == TOMBSTONE)
            continue;
        int rc = fn(s->key, s->value, arg);
        if (rc != 0)
            return rc;
    }
    return 0;
}
