/*
 * ship_state - the local copy of how far the central log goes: the last
 * id `officialmail ship` saw committed centrally, kept in the file of
 * the ship_state setting as "gateway=NAME id=N\n".
 *
 * Purpose: local `expire` must not remove a record the central log does
 * not hold yet (SPEC 9). The file is written only after a central
 * commit (a new file renamed into place, so a crash leaves the old or
 * the new one), so it can lag behind the central log, never run ahead.
 */
#ifndef OM_SHIP_STATE_H
#define OM_SHIP_STATE_H

#include <stddef.h>

/*
 * ship_state_read - the id in PATH for GATEWAY into *ID. 1 read, 0 no
 * such file (nothing shipped yet), -1 unreadable or another gateway's
 * (the reason in ERR).
 */
int ship_state_read(const char *path, const char *gateway, long long *id, char *err, size_t errlen);

/* ship_state_write - PATH = GATEWAY and ID, durably. 0, or -1 with the reason in ERR. */
int ship_state_write(const char *path, const char *gateway, long long id, char *err, size_t errlen);

#endif
