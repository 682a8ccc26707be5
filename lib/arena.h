/*
 * arena - strings that are kept together and freed together.
 *
 * Purpose: a message's facts (the envelope arguments and the header
 * fields kept for the rules) are a dozen short strings that live exactly
 * as long as the message; one arena holds them in a few blocks, so that
 * a message costs a few allocations rather than one per string.
 *
 * Returns: arena_alloc() the bytes, arena_strndup() the copy, or NULL
 * when out of memory.
 *
 * Ownership: the arena owns every string it hands out until
 * arena_clear(); a string is never freed on its own (one replaced stays
 * until the arena is cleared).
 * Thread safety: an arena is used by one thread.
 */
#ifndef OM_ARENA_H
#define OM_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *blocks; /* the newest first */
    char *free;                 /* room left in the current block */
    size_t left;
};

/* arena_alloc - N bytes (not aligned: for text) owned by A, or NULL when out of memory. */
char *arena_alloc(struct arena *a, size_t n);

/* arena_strndup - a NUL-terminated copy of the N bytes at S, owned by A; NULL when out of memory.
 */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* arena_clear - free every string of A; A is empty again (and may be reused). */
void arena_clear(struct arena *a);

#endif
