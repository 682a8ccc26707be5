/*
 * mproto - the MTA side of the milter protocol, for tests and benchmarks.
 *
 * Purpose: talk to a real milter over its socket the way Postfix does
 * (protocol version 6, every action and step offered, the milter's
 * macro lists honoured, no reply awaited where the milter asked for
 * none), and report every reply in a form tests can compare.
 *
 * Ownership: a struct mproto owns its socket and buffers.
 * Thread safety: one connection per thread.
 */
#ifndef OM_MPROTO_H
#define OM_MPROTO_H

#include <stddef.h>
#include <stdint.h>

struct mproto {
    int fd;
    uint32_t actions;  /* agreed */
    uint32_t protocol; /* agreed steps and no-reply flags */
    char *symlist[8];  /* macro names the milter asked for, per stage */
    int timeout_ms;
};

/* One reply: its command letter, and its text (reply code line, header...). */
struct mreply {
    char cmd;
    char text[2048];
};

/* mproto_connect - open SPEC ("inet:PORT@HOST" or "unix:/path") and negotiate. 0 or -1. */
int mproto_connect(struct mproto *m, const char *spec, int timeout_ms);

/* mproto_close - send QUIT and close; safe twice. */
void mproto_close(struct mproto *m);

/*
 * mproto_send - send command CMD with LEN bytes of DATA. 0 or -1.
 * mproto_recv - read one reply into R. 0, or -1 on EOF, error or timeout.
 */
int mproto_send(struct mproto *m, char cmd, const void *data, size_t len);
int mproto_recv(struct mproto *m, struct mreply *r);

/*
 * mproto_step - send CMD (DATA, LEN) and collect its replies into R (at
 * most MAX): none when the milter asked for no reply to this step,
 * otherwise every modification up to and including the final reply.
 * Returns the number of replies, or -1.
 */
int mproto_step(struct mproto *m, char cmd, const void *data, size_t len, struct mreply *r,
                int max);

/* mproto_skipped - 1 when the milter asked not to be sent step CMD. */
int mproto_skipped(const struct mproto *m, char cmd);

/*
 * mproto_macros - send the macros of STAGE (SMFIC_* letter) whose names
 * are in the milter's list for it (all of NAMES/VALUES when it gave none).
 */
int mproto_macros(struct mproto *m, char stage, const char *const *names, const char *const *values,
                  size_t n);

#endif
