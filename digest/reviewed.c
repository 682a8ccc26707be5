/*
 * digest_reviewed - how many of each department's records of the period
 * carry a review mark, for the digests' "12 of 40 reviewed" (SPEC 11).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "data.h"
#include "review.h"

/* reviewed_dept - N reviewed for department KEY. */
static int reviewed_dept(const char *key, long long n, void *arg)
{
    struct digest_data *d = arg;

    for (size_t i = 0; i < d->ndepts; i++)
        if (strcmp(d->depts[i].name, key) == 0)
            d->depts[i].reviewed += n;
    d->all.reviewed += n;
    return 0;
}

/* digest_data_reviewed_in - the marks' counts for the period, from RV. */
int digest_data_reviewed_in(struct digest_data *d, struct review *rv, const char *gateway,
                            char *err, size_t errlen)
{
    int rc = review_reviewed(rv, d->period.since, d->period.until, gateway, reviewed_dept, d);

    if (rc < 0)
        snprintf(err, errlen, "%s", review_error(rv));
    return rc;
}

/* digest_data_reviewed - read the marks' counts for the period. */
int digest_data_reviewed(struct digest_data *d, const char *path, char *err, size_t errlen)
{
    struct review *rv = review_open(path, 0, 5000, err, errlen);
    int rc;

    if (rv == NULL)
        return -1;
    rc = digest_data_reviewed_in(d, rv, NULL, err, errlen);
    review_close(rv);
    return rc;
}
