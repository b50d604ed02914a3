/*
 * state/load/fixture_read.c - which users may wait as text, and the parse
 * that keeps them so (see fixture_read.h).
 */
#include "fixture_read.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../frozen.h"
#include "../model/model.h"
#include "../util/guid.h"
#include "../util/jparse.h"

/* tenants[i].users[j] */
static bool is_user_place(void *ctx, const char *const *keys, size_t depth)
{
	(void)ctx;
	return depth == 4 && keys[0] && !strcmp(keys[0], "tenants") && !keys[1] &&
	       keys[2] && !strcmp(keys[2], "users") && !keys[3];
}

/*
 * A user may wait as text when completing it later gives what completing it
 * now would (model_user_complete): it names its id and creation time (else
 * they are drawn from the id stream and the clock at load). Users that are
 * not objects, or lack what the loader requires, stay trees so the loader
 * reports them as before.
 */
static bool may_wait(const json_t *user)
{
	return json_is_object(user) &&
	       guid_valid(json_string_value(json_object_get(user, "id"))) &&
	       json_object_get(user, "createdDateTime") &&
	       json_is_string(json_object_get(user, "displayName")) &&
	       json_is_string(json_object_get(user, "userPrincipalName"));
}

/*
 * The user's text as given, or, when it carries a password, the text of the
 * user with that password hashed: secrets are never kept in clear, and the
 * hash is made once for every tenant and reset built from this document.
 */
static json_t *keep_user(void *ctx, json_t *user, const char *text, size_t len)
{
	json_t *frozen;
	char *hashed;

	(void)ctx;
	if (!may_wait(user))
		return json_incref(user);
	if (!json_object_get(json_object_get(user, "passwordProfile"), "password"))
		return state_frozen_new(text, len);
	if (model_user_hash_password(user))
		return NULL;
	hashed = json_dumps(user, JSON_COMPACT);
	frozen = hashed ? state_frozen_new(hashed, strlen(hashed)) : NULL;
	free(hashed);
	return frozen;
}

static const struct jparse_capture users_as_text = {is_user_place, keep_user, NULL};

json_t *fixture_read(const char *text, size_t len, json_error_t *jerr)
{
	return jparse(text, len, &users_as_text, jerr);
}

json_t *fixture_read_fd(int fd, json_error_t *jerr)
{
	return jparse_fd(fd, &users_as_text, jerr);
}
