/*
 * state/model/model_secrets.c - secrets at rest: user passwords and
 * application client secrets become salted hashes (state/util/password.h)
 * the moment they are stored, and certificates move out of the rendered
 * keyCredentials into graphmock's own property.
 */
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "../util/password.h"
#include "model_internal.h"

int model_user_hash_password(json_t *user)
{
	json_t *profile = json_object_get(user, "passwordProfile");
	const char *clear = json_string_value(json_object_get(profile, "password"));
	char hash[PASSWORD_HASH_LEN];

	if (!clear)
		return 0;
	password_hash(clear, hash);
	if (json_object_set_new(user, MODEL_PASSWORD_HASH, json_string(hash)))
		return -1;
	return json_object_del(profile, "password") ? -1 : 0;
}

/* A version-4-shaped GUID from SHA-256(@app_id "|" @what "|" @index). */
static void derived_key_id(const char *app_id, const char *what, size_t index,
                           char out[GUID_STR_LEN + 1])
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	char text[160];
	int n =
	    snprintf(text, sizeof(text), "%s|%s|%zu", app_id ? app_id : "", what, index);

	sha256_init(&ctx);
	sha256_update(&ctx, (size_t)(n > 0 ? n : 0), (const uint8_t *)text);
	sha256_digest(&ctx, sizeof(d), d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x40);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	snprintf(out, GUID_STR_LEN + 1,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11],
	         d[12], d[13], d[14], d[15]);
}

/* The key id of credential @c, given one when it has none. Borrowed or NULL. */
static const char *key_id_of(json_t *c, const char *app_id, const char *what, size_t i)
{
	char id[GUID_STR_LEN + 1];

	if (!json_is_string(json_object_get(c, "keyId"))) {
		derived_key_id(app_id, what, i, id);
		if (json_object_set_new(c, "keyId", json_string(id)))
			return NULL;
	}
	return json_string_value(json_object_get(c, "keyId"));
}

/* graphmock's map @name of @app, made when missing. Borrowed or NULL. */
static json_t *own_map(json_t *app, const char *name)
{
	json_t *m = json_object_get(app, name);

	if (json_is_object(m))
		return m;
	if (json_object_set_new(app, name, json_object()))
		return NULL;
	return json_object_get(app, name);
}

static int hash_password_credential(json_t *app, json_t *c, size_t i)
{
	const char *app_id = json_string_value(json_object_get(app, "appId"));
	const char *clear = json_string_value(json_object_get(c, "secretText"));
	char hash[PASSWORD_HASH_LEN], hint[4];
	const char *kid;
	json_t *map;

	if (!clear)
		return 0;
	kid = key_id_of(c, app_id, "password", i);
	map = own_map(app, MODEL_SECRET_HASHES);
	if (!kid || !map)
		return -1;
	password_hash(clear, hash);
	snprintf(hint, sizeof(hint), "%s", clear);
	if (json_object_set_new(map, kid, json_string(hash)) ||
	    json_object_set_new(c, "hint", json_string(hint)) ||
	    json_object_set_new(c, "secretText", json_null()))
		return -1;
	return model_default(c, "customKeyIdentifier", json_null()) |
	       model_default(c, "displayName", json_null());
}

static int move_key(json_t *app, json_t *c, size_t i)
{
	const char *app_id = json_string_value(json_object_get(app, "appId"));
	json_t *key = json_object_get(c, "key");
	const char *kid;
	json_t *map;

	if (!json_is_string(key))
		return 0;
	kid = key_id_of(c, app_id, "key", i);
	map = own_map(app, MODEL_KEYS);
	if (!kid || !map || json_object_set(map, kid, key))
		return -1;
	return json_object_set_new(c, "key", json_null());
}

int model_application_hash_secrets(json_t *app)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(app, "passwordCredentials"), i, c)
	{
		if (json_is_object(c) && hash_password_credential(app, c, i))
			return -1;
	}
	json_array_foreach(json_object_get(app, "keyCredentials"), i, c)
	{
		if (json_is_object(c) && move_key(app, c, i))
			return -1;
	}
	return 0;
}

int model_fixture_hash_secrets(json_t *doc)
{
	size_t i, j;
	json_t *t, *o;

	json_array_foreach(json_object_get(doc, "tenants"), i, t)
	{
		json_array_foreach(json_object_get(t, "users"), j, o)
		{
			if (json_is_object(o) && model_user_hash_password(o))
				return -1;
		}
		json_array_foreach(json_object_get(t, "applications"), j, o)
		{
			if (json_is_object(o) && model_application_hash_secrets(o))
				return -1;
		}
	}
	return 0;
}
