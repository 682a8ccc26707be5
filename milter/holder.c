/*
 * holder - current policy and messages in flight.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_load.h"
#include "holder.h"
#include "log.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle;
static struct policy *current;
static char *config_file;
static char *pinned_socket;   /* the settings that only a restart changes: */
static char *pinned_database; /* their values in force */
static int in_flight;
static int stopping;

/* holder_init - install the policy loaded at start. */
int holder_init(struct policy *p, const char *file)
{
    pthread_condattr_t attr;
    int rc = -1;

    /* The drain's deadline is on the monotonic clock: a clock step cannot stretch it. */
    if (pthread_condattr_init(&attr) != 0)
        return -1;
    if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
        pthread_cond_init(&idle, &attr) == 0)
        rc = 0;
    pthread_condattr_destroy(&attr);
    pthread_mutex_lock(&lock);
    current = p;
    free(config_file);
    config_file = strdup(file);
    pthread_mutex_unlock(&lock);
    return config_file != NULL ? rc : -1;
}

/* holder_get - reference the policy in force. */
struct policy *holder_get(void)
{
    struct policy *p;

    pthread_mutex_lock(&lock);
    p = policy_ref(current);
    pthread_mutex_unlock(&lock);
    return p;
}

/* holder_pin - remember SOCKET (NULL: given by -p) and DATABASE as in force. */
void holder_pin(const char *socket, const char *database)
{
    free(pinned_socket);
    free(pinned_database);
    pinned_socket = socket != NULL ? strdup(socket) : NULL;
    pinned_database = database != NULL ? strdup(database) : NULL;
}

/* holder_changed - NAME's new value FRESH differs from PINNED: say that it waits. */
static void holder_changed(const char *name, const char *pinned, const char *fresh)
{
    if (pinned != NULL && fresh != NULL && strcmp(pinned, fresh) != 0)
        log_msg(LOG_WARNING, NULL, "%s changed; restart officialmail-milter to apply", name);
}

/* holder_report - log one diagnostic of the loader. */
static void holder_report(void *arg, enum config_severity sev, const char *msg)
{
    (void)arg;
    log_msg(sev == CONFIG_ERROR ? LOG_ERR : LOG_WARNING, NULL, "%s", msg);
}

/* holder_reload - load beside the old policy, swap when it is good. */
int holder_reload(void)
{
    /* Loading happens outside the lock: messages keep being judged meanwhile. */
    struct policy *fresh = config_load(config_file, time(NULL), holder_report, NULL);
    struct policy *old;

    if (fresh == NULL) {
        log_msg(LOG_ERR, NULL, "configuration %s not reloaded: the policy in force stays",
                config_file);
        return -1;
    }
    pthread_mutex_lock(&lock);
    old = current;
    current = fresh;
    pthread_mutex_unlock(&lock);
    policy_unref(old); /* freed now, or by the last message holding it */
    log_msg(LOG_INFO, NULL, "configuration reloaded from %s", config_file);
    /* The listening socket and the open log stay what they were. */
    holder_changed("socket", pinned_socket, fresh->socket);
    holder_changed("database", pinned_database, fresh->database);
    return 0;
}

/* holder_message_begin - count a message in. */
void holder_message_begin(void)
{
    pthread_mutex_lock(&lock);
    in_flight++;
    pthread_mutex_unlock(&lock);
}

/* holder_message_end - count a message out; wake a waiting shutdown. */
void holder_message_end(void)
{
    pthread_mutex_lock(&lock);
    if (--in_flight == 0)
        pthread_cond_broadcast(&idle);
    pthread_mutex_unlock(&lock);
}

/* holder_stop_accepting - refuse new work from now on. */
void holder_stop_accepting(void)
{
    __atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
}

/* holder_accepting - 0 once shutting down. */
int holder_accepting(void)
{
    return !__atomic_load_n(&stopping, __ATOMIC_ACQUIRE);
}

/* holder_drain - wait for the messages in flight, bounded. */
int holder_drain(int timeout)
{
    struct timespec until;
    int left;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout;
    pthread_mutex_lock(&lock);
    while (in_flight > 0)
        if (pthread_cond_timedwait(&idle, &lock, &until) == ETIMEDOUT)
            break;
    left = in_flight;
    pthread_mutex_unlock(&lock);
    return left;
}

/* holder_shutdown - release the policy in force. */
void holder_shutdown(void)
{
    pthread_mutex_lock(&lock);
    policy_unref(current);
    current = NULL;
    free(config_file);
    config_file = NULL;
    pthread_mutex_unlock(&lock);
    holder_pin(NULL, NULL);
}
