/*
 * digest_send - where a finished digest goes: into the configured
 * sendmail_command, or into a file of --output DIR.
 *
 * The command is split into words at blanks and run with execvp(),
 * never through a shell, so that nothing in the configuration or in a
 * message is ever interpreted as shell syntax. The message is its
 * standard input; its exit status decides success. When the command has
 * no -t (recipients from the headers), the recipients are added as
 * arguments after "--", refusing any that starts with '-'.
 *
 * Files are written under a temporary name (mode 0640: digests hold
 * addresses and subjects) and renamed into place, so that a reader never
 * sees half a message.
 *
 * Returns: 0 / -1 (with the reason in ERR); digest_split_words() a new
 * vector, or NULL.
 *
 * Thread safety: digest_send_command() changes SIGPIPE's disposition
 * while it writes (restored after); the command is single-threaded.
 */
#ifndef OM_DIGEST_SEND_H
#define OM_DIGEST_SEND_H

#include <stddef.h>

/*
 * digest_send_command - run COMMAND with MSG (LEN bytes) on its standard
 * input. 0 when it exited 0, else -1 with the reason in ERR (ERRLEN).
 */
int digest_send_command(const char *command, const char *const *rcpts, size_t nrcpts,
                        const char *msg, size_t len, char *err, size_t errlen);

/*
 * digest_write_file - write MSG (LEN bytes) to DIR/NAME, replacing a
 * file of that name. 0, or -1 with the reason in ERR.
 */
int digest_write_file(const char *dir, const char *name, const char *msg, size_t len, char *err,
                      size_t errlen);

/*
 * digest_split_words - the words of COMMAND (split at blanks) into a new
 * NULL-terminated vector with room for EXTRA more entries; *N gets the
 * count. NULL when there are no words or out of memory. Free with
 * digest_free_words(), which frees the N words and the vector (not what
 * the caller added after them).
 */
char **digest_split_words(const char *command, size_t extra, size_t *n);

/* digest_free_words - free the first N words of WORDS and the vector; NULL ok. */
void digest_free_words(char **words, size_t n);

#endif
