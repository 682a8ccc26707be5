/*
 * replay_main - run a libFuzzer target without libFuzzer: every file
 * named on the command line, or found (regular files, in name order) in
 * a directory named there, is passed once to LLVMFuzzerTestOneInput.
 * make check links it with each target and replays the seed corpora
 * under the sanitizers of the build.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* replay_file - pass the contents of PATH to the target; -1 when unreadable. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL, *p;
    size_t n = 0, cap = 0, k;
    int rc = -1;

    errno = 0;
    if (f == NULL)
        goto out;
    do {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            if ((p = realloc(buf, cap)) == NULL)
                goto out;
            buf = p;
        }
        k = fread(buf + n, 1, cap - n, f);
        n += k;
    } while (k > 0);
    if (ferror(f))
        goto out;
    LLVMFuzzerTestOneInput(buf, n);
    rc = 0;
out:
    if (rc < 0)
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno ? errno : EIO));
    if (f != NULL)
        fclose(f);
    free(buf);
    return rc;
}

/* replay_dir - replay every regular file of directory DIR; adds to *COUNT. */
static int replay_dir(const char *dir, size_t *count)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort), i, rc = 0;

    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (i = 0; i < n; i++) {
        struct stat st;
        size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
        char *path = malloc(len);
        if (path == NULL) {
            rc = -1;
        } else {
            snprintf(path, len, "%s/%s", dir, names[i]->d_name);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                if (replay_file(path) < 0)
                    rc = -1;
                else
                    (*count)++;
            }
            free(path);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* main - replay each argument; exit 1 when one cannot be read. */
int main(int argc, char **argv)
{
    size_t count = 0;
    int i, rc = 0;

    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) < 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (replay_dir(argv[i], &count) < 0)
                rc = 1;
        } else if (replay_file(argv[i]) < 0) {
            rc = 1;
        } else {
            count++;
        }
    }
    printf("replayed %zu inputs\n", count);
    return rc;
}
