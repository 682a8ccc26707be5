/*
 * arena - bump allocation of strings in blocks freed at once.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct arena_block {
    struct arena_block *next;
    char data[];
};

/*
 * A block is a malloc() request of at most this many bytes: glibc keeps
 * freed chunks up to 1,032 bytes in its per-thread cache, where larger
 * ones go through the bins (and consolidate the heap).
 */
#define ARENA_BLOCK 1024
#define ARENA_DATA (ARENA_BLOCK - sizeof(struct arena_block))

/* arena_block_new - a block with room for N bytes, linked into A. */
static struct arena_block *arena_block_new(struct arena *a, size_t n)
{
    struct arena_block *b;

    if (n > SIZE_MAX - sizeof(*b) || (b = malloc(sizeof(*b) + n)) == NULL)
        return NULL;
    b->next = a->blocks;
    a->blocks = b;
    return b;
}

/* arena_alloc - from the current block, a new one, or (long) a block of its own. */
char *arena_alloc(struct arena *a, size_t n)
{
    char *p;

    if (n > a->left || a->free == NULL) { /* no room, or no block yet */
        struct arena_block *b;
        if (n > ARENA_DATA) /* a long string: its own block; the current one stays current */
            return (b = arena_block_new(a, n)) != NULL ? b->data : NULL;
        if ((b = arena_block_new(a, ARENA_DATA)) == NULL)
            return NULL;
        a->free = b->data;
        a->left = ARENA_DATA;
    }
    p = a->free;
    a->free += n;
    a->left -= n;
    return p;
}

/* arena_strndup - N bytes and a NUL from arena_alloc(). */
char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = n < SIZE_MAX ? arena_alloc(a, n + 1) : NULL;

    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* arena_clear - every block. */
void arena_clear(struct arena *a)
{
    struct arena_block *b = a->blocks;

    while (b != NULL) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    memset(a, 0, sizeof(*a));
}
