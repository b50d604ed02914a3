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

/* tenants[i].<@member>[j] */
static bool is_place(const char *const *keys, size_t depth, const char *member)
{
	return depth == 4 && keys[0] && !strcmp(keys[0], "tenants") && !keys[1] &&
	       keys[2] && !strcmp(keys[2], member) && !keys[3];
}

static bool is_kept_place(void *ctx, const char *const *keys, size_t depth)
{
	(void)ctx;
	return is_place(keys, depth, "users") || is_place(keys, depth, "memberships") ||
	       is_place(keys, depth, "appRoleAssignments");
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
 * @some is the user with only the members may_wait() reads built (kept_as_text
 * below); a user that must stay a tree is built whole from its text, which
 * the parse checked whole already.
 */
static json_t *keep_user(const json_t *some, const char *text, size_t len)
{
	json_error_t jerr;
	json_t *user, *frozen = NULL;
	char *hashed;

	if (may_wait(some) &&
	    !json_object_get(json_object_get(some, "passwordProfile"), "password"))
		return state_frozen_new(text, len);
	user = jparse_trusted(text, len, &jerr);
	if (!user || !may_wait(user))
		return user;
	if (!model_user_hash_password(user)) {
		hashed = json_dumps(user, JSON_COMPACT);
		frozen = hashed ? state_frozen_new(hashed, strlen(hashed)) : NULL;
		free(hashed);
	}
	json_decref(user);
	return frozen;
}

/*
 * A membership or an app role assignment is kept as its text too: ~100
 * bytes against ~600 as a tree, and a million-user fixture has 400,000 of
 * them. The loader parses each one alone when it builds the edge.
 */
static json_t *keep(void *ctx, const char *const *keys, size_t depth, json_t *some,
                    const char *text, size_t len)
{
	(void)ctx;
	(void)depth;
	if (!strcmp(keys[2], "users"))
		return keep_user(some, text, len);
	return state_frozen_new(text, len);
}

/* What keep_user() reads of a user: the rest is checked, never built. */
static const char *const read_of_user[] = {
    "id", "createdDateTime", "displayName", "userPrincipalName", "passwordProfile", NULL,
};

static const struct jparse_capture kept_as_text = {is_kept_place, keep, NULL,
                                                   read_of_user};

json_t *fixture_read(const char *text, size_t len, json_error_t *jerr)
{
	return jparse(text, len, &kept_as_text, jerr);
}

json_t *fixture_read_fd(int fd, json_error_t *jerr)
{
	return jparse_fd(fd, &kept_as_text, jerr);
}
