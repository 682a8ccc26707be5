/*
 * ship_state - the shipped position file (ship_state.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ship_state.h"

int ship_state_read(const char *path, const char *gateway, long long *id, char *err, size_t errlen)
{
    char line[512], name[300];
    FILE *fp = fopen(path, "r");

    *id = 0;
    if (fp == NULL) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (fgets(line, sizeof(line), fp) == NULL ||
        sscanf(line, "gateway=%299s id=%lld", name, id) != 2 || *id < 0) {
        fclose(fp);
        snprintf(err, errlen, "%s: not a ship state (gateway=NAME id=N)", path);
        return -1;
    }
    fclose(fp);
    if (strcmp(name, gateway) != 0) {
        snprintf(err, errlen, "%s names gateway %s, not %s", path, name, gateway);
        return -1;
    }
    return 1;
}

/* ship_state_fail - ERR = WHAT PATH: errno; removes TMP; -1. */
static int ship_state_fail(const char *what, const char *path, const char *tmp, char *err,
                           size_t errlen)
{
    snprintf(err, errlen, "cannot %s %s: %s", what, path, strerror(errno));
    unlink(tmp);
    return -1;
}

int ship_state_write(const char *path, const char *gateway, long long id, char *err, size_t errlen)
{
    char tmp[4096];
    FILE *fp;
    int fd;

    /* Its own temporary name: a second ship of the same log must not rename this one's. */
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.new", path, (long)getpid()) >= sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
        if (fd >= 0)
            close(fd);
        return ship_state_fail("write", tmp, tmp, err, errlen);
    }
    fprintf(fp, "gateway=%s id=%lld\n", gateway, id);
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
        fclose(fp);
        return ship_state_fail("write", tmp, tmp, err, errlen);
    }
    if (fclose(fp) != 0)
        return ship_state_fail("write", tmp, tmp, err, errlen);
    if (rename(tmp, path) != 0)
        return ship_state_fail("rename into", path, tmp, err, errlen);
    return 0;
}
