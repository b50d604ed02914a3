/*
 * state/grant.h - sign-ins in progress: authorization codes (issued by the
 * sign-in page, redeemed once at the token endpoint) and device codes
 * (issued by /devicecode, approved or declined by a person or
 * /_mock/devicecode, polled for at the token endpoint). Each record is a
 * JSON object of the flow's own making, kept until well after it expires
 * so a late poll still learns "expired" rather than "unknown".
 * Server-wide, under st->grant_lock (a leaf: see state.h); every function
 * takes it itself and hands out copies, never stored pointers.
 */
#ifndef GRAPHMOCK_STATE_GRANT_H
#define GRAPHMOCK_STATE_GRANT_H

#include <jansson.h>
#include <stdint.h>

#include "state.h"

#define GRANT_MAX     10000           /* records kept at most */
#define GRANT_KEEP_MS (3600 * 1000LL) /* kept this long after they expire */

enum grant_kind {
	GRANT_CODE,   /* an authorization code */
	GRANT_DEVICE, /* a device code, also found by its user code */
};

struct grant {
	char *key;          /* the code or device_code (owned) */
	char user_code[16]; /* device codes: what the person types */
	enum grant_kind kind;
	int64_t expires_ms; /* mock clock */
	json_t *data;       /* owned */
	UT_hash_handle hh;
};

/*
 * state_grant_put() - record @data (steals) under @key, expiring at
 * @expires_ms; @user_code for device codes (else NULL). Drops records long
 * expired. 0, or -1 when @key exists, GRANT_MAX is reached, or OOM.
 */
int state_grant_put(struct state *st, enum grant_kind kind, const char *key,
                    const char *user_code, int64_t expires_ms, json_t *data);

/*
 * state_grant_get() - a copy of the record @key of @kind, or NULL; its
 * expiry in *@expires_ms. New reference.
 */
json_t *state_grant_get(struct state *st, enum grant_kind kind, const char *key,
                        int64_t *expires_ms);

/* state_grant_by_user_code() - the same for a device code's user code (any case). */
json_t *state_grant_by_user_code(struct state *st, const char *user_code,
                                 int64_t *expires_ms, char *key_out, size_t key_len);

/*
 * state_grant_update() - set every member of @patch (borrowed) on record
 * @key when its member @field still equals @expected (a compare-and-set, so
 * two redemptions of one code cannot both win; @field NULL: always).
 * 0 when updated, 1 when @field differed, -1 when there is no such record.
 */
int state_grant_update(struct state *st, enum grant_kind kind, const char *key,
                       const char *field, const char *expected, const json_t *patch);

/* state_grants_clear() - forget every record (reset, release). */
void state_grants_clear(struct state *st);

#endif
