/*
 * logsink - a stand-in for /dev/log in the tests: bind a unix datagram
 * socket at PATH and print every datagram as one line on standard output,
 * as the milter sends it ("<PRI>Mmm dd hh:mm:ss officialmail[PID]: TEXT").
 *
 * Usage: logsink PATH   (the milter is pointed at PATH with
 * OFFICIALMAIL_TEST_SYSLOG). Stops on SIGTERM, or after 10 minutes at the
 * latest, so that a test that forgets it cannot leave it running.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    char buf[65536];
    int fd;

    if (argc != 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
        fprintf(stderr, "usage: logsink PATH (shorter than %zu bytes)\n", sizeof(sun.sun_path));
        return 2;
    }
    memcpy(sun.sun_path, argv[1], strlen(argv[1]) + 1);
    (void)unlink(argv[1]);
    if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
        perror("logsink");
        return 1;
    }
    alarm(600);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
        if (n < 0) {
            perror("logsink: recv");
            return 1;
        }
        buf[n] = '\0';
        printf("%s\n", buf);
    }
}
