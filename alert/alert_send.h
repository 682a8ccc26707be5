/*
 * alert_send - an alert made into what leaves the gateway: the mail
 * (digest_mime's multipart/alternative message, sent through
 * sendmail_command) to alert_to and the departments' alert_to, and the
 * JSON line on alert_command's standard input. Both commands are run
 * without a shell (digest_send.c).
 *
 * Ownership: the caller's buffers. Thread safety: reentrant.
 */
#ifndef OM_ALERT_SEND_H
#define OM_ALERT_SEND_H

#include "alert_render.h"

/*
 * alert_build - the JSON line into JSON; when the alert has recipients,
 * the mail into MAIL and its recipients (one a line) into RCPTS. 0, or
 * -1 with ERR.
 */
int alert_build(const struct alert_view *v, struct dbuf *json, struct dbuf *mail,
                struct dbuf *rcpts, char *err, size_t errlen);

/* alert_send_mail - MAIL to RCPTS (one a line) through sendmail_command. 0 or -1 with ERR. */
int alert_send_mail(const struct policy *p, const char *rcpts, const char *mail, char *err,
                    size_t errlen);

/* alert_send_command - JSON on alert_command's standard input. 0 or -1 with ERR. */
int alert_send_command(const struct policy *p, const char *json, char *err, size_t errlen);

#endif
