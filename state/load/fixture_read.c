/*
 * state/load/fixture_read.c - which users may wait as text, and the parse
 * that keeps them so (see fixture_read.h).
 */
#include "fixture_read.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../frozen.h"
#include "../model/model.h"
#include "../model/model_value.h"
#include "../schema/schema_fit.h"
#include "../util/guid.h"
#include "../util/hash.h"
#include "../util/jparse.h"

/* tenants[i].<@member>[j] */
static bool is_place(const char *const *keys, size_t depth, const char *member)
{
	return depth == 4 && keys[0] && !strcmp(keys[0], "tenants") && !keys[1] &&
	       keys[2] && !strcmp(keys[2], member) && !keys[3];
}

/*
 * One parse's user type and the properties its members' keys named lately:
 * a million users repeat a dozen keys, and a lookup by folded name cost
 * more than the rest of the check.
 */
#define KEY_SLOTS 64
#define KEY_MAX   31

struct user_keys {
	const struct schema_type *user;
	bool in_user; /* the object being read is a user */
	bool as_tree; /* ... and one the loader must judge as a tree (user_member) */
	bool deep;    /* ... or one with literals deeper down to judge once built */
	struct {
		char key[KEY_MAX + 1];
		size_t len; /* 0: empty slot */
		const struct schema_property *p;
		bool deep; /* model_value_deep(p) */
	} slot[KEY_SLOTS];
};

/* The property @key names, and in @deep whether a value of it holds
 * literals to check further down (model_value_deep). */
static const struct schema_property *user_prop(struct user_keys *uk, const char *key,
                                               size_t len, bool *deep)
{
	const struct schema_property *p;
	uint32_t h;

	if (len == 0 || len > KEY_MAX) {
		p = schema_property_find_len(uk->user, key, len);
		*deep = p && model_value_deep(p);
		return p;
	}
	HASH_JEN(key, len, h);
	h %= KEY_SLOTS;
	if (uk->slot[h].len != len || memcmp(uk->slot[h].key, key, len)) {
		memcpy(uk->slot[h].key, key, len);
		uk->slot[h].len = len;
		uk->slot[h].p = p = schema_property_find_len(uk->user, key, len);
		uk->slot[h].deep = p && model_value_deep(p);
	}
	*deep = uk->slot[h].deep;
	return uk->slot[h].p;
}

/* Kept as text: users, memberships, app role assignments. A user's members
 * are judged as they come (user_member below). */
static bool is_kept_place(void *ctx, const char *const *keys, size_t depth)
{
	struct user_keys *uk = ctx;
	bool user = is_place(keys, depth, "users");

	if (!user && !is_place(keys, depth, "memberships") &&
	    !is_place(keys, depth, "appRoleAssignments"))
		return false;
	uk->in_user = user;
	uk->as_tree = uk->deep = false;
	return true;
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
 * jparse_capture.member: does each member of a user that the CSDL declares
 * hold a value of the kind its type takes (state/schema/schema_fit.h), and
 * a string the literal (state/model/model_value.h)? A user that does not
 * stays a tree, for the loader to refuse naming the member
 * (state/load/fixture.c judges trees alike). An object or a collection with
 * literals inside (a license's skuId) is judged once the user is built
 * (keep_user).
 */
static void user_member(void *ctx, const char *key, size_t len, char kind,
                        const char *value, size_t value_len)
{
	struct user_keys *uk = ctx;
	const struct schema_property *p;
	bool deep;

	if (!uk->in_user || uk->as_tree || memchr(key, '@', len)) /* annotations */
		return;
	p = user_prop(uk, key, len, &deep);
	if (!p)
		return;
	if (!schema_kind_fits(p, schema_json_kind_of_text(&kind)))
		uk->as_tree = true;
	else if (value && !model_value_fits(p, value, value_len))
		uk->as_tree = true;
	else if ((kind == '[' || kind == '{') && deep)
		uk->deep = true;
}

/* Do @user's members with literals deeper down hold what their types take?
 * Else the user stays a tree, for the loader to refuse naming the member. */
static bool deep_members_fit(const struct user_keys *uk, const json_t *user)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)user, key, v)
	{
		const struct schema_property *p =
		    strchr(key, '@') ? NULL : schema_property_find(uk->user, key);

		if (p && model_value_deep(p) && !model_property_fits(p, v))
			return false;
	}
	return true;
}

/*
 * The user's text as given, or, when it carries a password, the text of the
 * user with that password hashed: secrets are never kept in clear, and the
 * hash is made once for every tenant and reset built from this document.
 * @some is the user with only the members may_wait() reads built (kept_as_text
 * below); a user that must stay a tree is built whole from its text, which
 * the parse checked whole already.
 */
static json_t *keep_user(const struct user_keys *uk, const json_t *some, const char *text,
                         size_t len)
{
	json_error_t jerr;
	json_t *user, *frozen = NULL;
	char *hashed;
	bool judged = !uk->as_tree; /* whole, while it was parsed */
	bool password =
	    json_object_get(json_object_get(some, "passwordProfile"), "password") != NULL;

	if (judged && !uk->deep && may_wait(some) && !password)
		return state_frozen_new(text, len);
	user = jparse_trusted(text, len, &jerr);
	if (!user || !judged || !may_wait(user) ||
	    (uk->deep && !deep_members_fit(uk, user)))
		return user;
	if (!password) { /* judged deeper down now: as text after all */
		json_decref(user);
		return state_frozen_new(text, len);
	}
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
	(void)depth;
	if (!strcmp(keys[2], "users"))
		return keep_user(ctx, some, text, len);
	return state_frozen_new(text, len);
}

/* What keep_user() reads of a user: the rest is checked, never built. */
static const char *const read_of_user[] = {
    "id", "createdDateTime", "displayName", "userPrincipalName", "passwordProfile", NULL,
};

/* The capture, its context the parse's own struct user_keys. */
static struct jparse_capture kept_as_text(struct user_keys *uk)
{
	memset(uk, 0, sizeof(*uk));
	uk->user = schema_type_find("user");
	return (struct jparse_capture){is_kept_place, keep, uk, read_of_user,
	                               user_member};
}

json_t *fixture_read(const char *text, size_t len, json_error_t *jerr)
{
	struct user_keys uk;
	struct jparse_capture cap = kept_as_text(&uk);

	return jparse(text, len, &cap, jerr);
}

json_t *fixture_read_fd(int fd, json_error_t *jerr)
{
	struct user_keys uk;
	struct jparse_capture cap = kept_as_text(&uk);

	return jparse_fd(fd, &cap, jerr);
}
