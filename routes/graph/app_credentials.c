/*
 * routes/graph/app_credentials.c - an application's credentials (identity.md
 * §3): addPassword (the secret's text is answered once, then only its hash
 * is kept), removePassword, addKey/removeKey with their proof-of-possession
 * JWT, and keyCredentials as PATCH /applications/{id} replaces them (the
 * certificate's thumbprint, subject and dates filled in, its DER kept
 * apart so "key" reads null). The token endpoint checks what is stored
 * here (routes/entra/login_client.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/model/model.h"
#include "../../state/state.h"
#include "../../state/util/b64.h"
#include "../../state/util/password.h"
#include "action_params.h"
#include "apps.h"
#include "permissions.h"

#define PROOF_AUDIENCE "00000002-0000-0000-c000-000000000000"
#define MSG_USAGE                                                                        \
	"The value for the property \"usage\" in one of your credentials is invalid. "   \
	"Acceptable values are Sign, Verify."

/* Entra-style client secret: 40 characters, "xxxNQ~" and 34 more. */
static void new_secret(char out[41])
{
	static const char alnum[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static const char more[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";
	unsigned char r[40];

	random_bytes(r, sizeof(r));
	for (size_t i = 0; i < 3; i++)
		out[i] = alnum[r[i] % (sizeof(alnum) - 1)];
	out[3] = (char)('0' + r[3] % 10);
	out[4] = 'Q';
	out[5] = '~';
	for (size_t i = 6; i < 40; i++)
		out[i] = more[r[i] % (sizeof(more) - 1)];
	out[40] = '\0';
}

static json_t *iso(int64_t ms)
{
	char s[TIME_ISO_LEN];

	time_format(ms, TIME_FRACTION_Z, s);
	return json_string(s);
}

/* @start plus two calendar years (the endDateTime Graph gives a new secret). */
static int64_t two_years_later(int64_t start)
{
	char s[TIME_ISO_LEN];
	int64_t ms;
	int year;

	time_format(start, TIME_SECONDS_Z, s);
	year =
	    (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	{
		char y[16];
		snprintf(y, sizeof(y), "%04d", (year + 2) % 10000);
		memcpy(s, y, 4);
	}
	if (!strncmp(s + 5, "02-29", 5))
		memcpy(s + 8, "28", 2);
	return time_parse_iso(s, &ms) ? start + 730LL * 86400 * 1000 : ms + start % 1000;
}

/* graphmock's map @name of @app, made when missing. Borrowed or NULL. */
static json_t *own_map(struct dobj *app, const char *name)
{
	json_t *m = json_object_get(state_dobj_json(app), name);

	if (json_is_object(m))
		return m;
	if (json_object_set_new(state_dobj_json(app), name, json_object()))
		return NULL;
	return json_object_get(state_dobj_json(app), name);
}

static json_t *collection(struct dobj *app, const char *name)
{
	json_t *a = json_object_get(state_dobj_json(app), name);

	if (json_is_array(a))
		return a;
	json_object_set_new(state_dobj_json(app), name, json_array());
	return json_object_get(state_dobj_json(app), name);
}

static int answer(struct call *c, const char *type, json_t *body)
{
	char ctx[400];

	snprintf(ctx, sizeof(ctx), "%s/%s/$metadata#microsoft.graph.%s", c->req->base_url,
	         c->req->version, type);
	if (!body || json_object_set_new(body, "@odata.context", json_string(ctx)))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	/* "@odata.context" first, as Graph writes it */
	{
		json_t *ordered = json_pack("{s:s}", "@odata.context", ctx);
		json_object_update(ordered, body);
		json_decref(body);
		body = ordered;
	}
	return resp_odata(c->resp, 200, body);
}

/* ---- passwords ---- */

static int time_field(struct call *c, const json_t *pc, const char *key, int64_t dflt,
                      int64_t *out)
{
	const json_t *v = json_object_get(pc, key);

	*out = dflt;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || time_parse_iso(json_string_value(v), out))
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid value specified for property '%s' of resource "
		                  "'PasswordCredential'.",
		                  key);
	return 0;
}

/* POST /applications/{id}/addPassword */
static int add_password(struct call *c)
{
	static const char *const params[] = {"passwordCredential", NULL};
	const json_t *pc = json_object_get(c->req->body, "passwordCredential");
	const json_t *name_v = json_object_get(pc, "displayName");
	const char *name = json_string_value(name_v);
	char secret[41], hint[4], key_id[GUID_STR_LEN + 1], hash[PASSWORD_HASH_LEN];
	struct dobj *app;
	int64_t start, end;
	json_t *stored, *hashes;

	if (action_params_check(c->resp, c->req->body, "addPassword", params, NULL))
		return -1;
	app = apps_path_object(c, DOBJ_APPLICATION, 0);
	if (!app)
		return -1;
	if (pc && !json_is_object(pc) && !json_is_null(pc))
		return resp_error(
		    c->resp, GERR_BAD_REQUEST,
		    "Invalid value specified for property 'passwordCredential'.");
	if (name_v && !json_is_string(name_v) && !json_is_null(name_v))
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid value specified for property 'displayName' of "
		                  "resource 'PasswordCredential'.");
	if (time_field(c, pc, "startDateTime", c->req->now_ms, &start) ||
	    time_field(c, pc, "endDateTime", two_years_later(start), &end))
		return -1;
	new_secret(secret);
	memcpy(hint, secret, 3);
	hint[3] = '\0';
	state_new_id(c->st, key_id);
	password_hash(secret, hash);
	stored = json_pack("{s:n, s:s?, s:o, s:s, s:s, s:n, s:o}", "customKeyIdentifier",
	                   "displayName", name, "endDateTime", iso(end), "hint", hint,
	                   "keyId", key_id, "secretText", "startDateTime", iso(start));
	hashes = own_map(app, MODEL_SECRET_HASHES);
	if (!stored || !hashes ||
	    json_object_set_new(hashes, key_id, json_string(hash)) ||
	    json_array_append(collection(app, "passwordCredentials"), stored)) {
		json_decref(stored);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	/* the answer is the only place the secret's text ever appears */
	json_object_set_new(stored, "secretText", json_string(secret));
	{
		json_t *out = json_deep_copy(stored);
		json_object_set_new(stored, "secretText", json_null());
		json_decref(stored);
		return answer(c, "passwordCredential", out);
	}
}

/* The index of credential @key_id in @list, or -1. */
static long find_key_id(const json_t *list, const char *key_id)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v)
	{
		const char *k = json_string_value(json_object_get(v, "keyId"));
		if (k && key_id && !strcasecmp(k, key_id))
			return (long)i;
	}
	return -1;
}

/* POST /applications/{id}/removePassword */
static int remove_password(struct call *c)
{
	static const char *const params[] = {"keyId", NULL};
	const char *key_id = json_string_value(json_object_get(c->req->body, "keyId"));
	struct dobj *app;
	json_t *list;
	long at;

	if (action_params_check(c->resp, c->req->body, "removePassword", params, NULL))
		return -1;
	app = apps_path_object(c, DOBJ_APPLICATION, 0);
	if (!app)
		return -1;
	if (!guid_valid(key_id))
		return resp_error(
		    c->resp, GERR_REQUEST_BAD_REQUEST,
		    "Invalid value specified for property 'keyId' of resource "
		    "'Application'.");
	list = collection(app, "passwordCredentials");
	at = find_key_id(list, key_id);
	if (at < 0)
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "No password credential found with keyId '%s'.",
		                  key_id);
	json_object_del(json_object_get(state_dobj_json(app), MODEL_SECRET_HASHES),
	                json_string_value(
	                    json_object_get(json_array_get(list, (size_t)at), "keyId")));
	json_array_remove(list, (size_t)at);
	return resp_empty(c->resp, 204);
}

/* ---- keys ---- */

/*
 * A keyCredential as Graph stores it from @kc (type, usage, key: base64
 * DER): its keyId, thumbprint, subject and the certificate's dates; the
 * DER goes to *@der (new). NULL after a 400.
 */
static json_t *key_entry(struct call *c, const json_t *kc, char **der)
{
	const char *type = json_string_value(json_object_get(kc, "type"));
	const char *usage = json_string_value(json_object_get(kc, "usage"));
	const char *key = json_string_value(json_object_get(kc, "key"));
	const char *name = json_string_value(json_object_get(kc, "displayName"));
	const char *key_id = json_string_value(json_object_get(kc, "keyId"));
	char id[GUID_STR_LEN + 1];
	struct svc_cert cert;
	int64_t start, end;

	if (!usage || (strcmp(usage, "Verify") && strcmp(usage, "Sign"))) {
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST, MSG_USAGE);
		return NULL;
	}
	if (!type || strcmp(type, "AsymmetricX509Cert")) {
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		           "Invalid value specified for property 'type' of resource "
		           "'KeyCredential': graphmock keeps AsymmetricX509Cert keys.");
		return NULL;
	}
	if (!key || c->svc->cert_describe(c->svc->ctx, key, &cert)) {
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		           "Invalid value specified for property 'key' of resource "
		           "'KeyCredential': not a base64 X.509 certificate.");
		return NULL;
	}
	if (key_id && guid_valid(key_id))
		guid_lower(key_id, id);
	else
		state_new_id(c->st, id);
	if (time_field(c, kc, "startDateTime", cert.not_before_ms, &start) ||
	    time_field(c, kc, "endDateTime", cert.not_after_ms, &end))
		return NULL;
	*der = strdup(key);
	return json_pack("{s:s, s:s, s:o, s:n, s:s, s:o, s:s, s:s}",
	                 "customKeyIdentifier", cert.sha1_b64, "displayName",
	                 name ? name : cert.subject, "endDateTime", iso(end), "key",
	                 "keyId", id, "startDateTime", iso(start), "type", type, "usage",
	                 usage);
}

/* The payload of compact JWT @token, not verified (the signature is checked apart). */
static json_t *jwt_payload(const char *token)
{
	const char *d1 = strchr(token, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	unsigned char *raw;
	json_t *v;
	size_t n;

	if (!d2)
		return NULL;
	raw = b64_decode(d1 + 1, (size_t)(d2 - d1 - 1), &n);
	v = raw ? json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL) : NULL;
	free(raw);
	return v;
}

/*
 * The proof of possession addKey and removeKey need (Graph:
 * application-addkey): a JWT signed by one of the app's valid certificates,
 * aud 00000002-0000-0000-c000-000000000000, iss the application's object
 * id, lifetime at most 10 minutes and current. 0, or -1 after Graph's 401.
 */
static int check_proof(struct call *c, const struct dobj *app, const char *proof)
{
	json_t *keys = json_object_get(state_dobj_json(app), MODEL_KEYS), *claims;
	const char *aud, *iss;
	int64_t now = c->req->now_ms / 1000, nbf, exp;
	bool signed_ok = false;
	size_t i;
	json_t *kc;

	if (!proof || !*proof)
		return resp_error_code(c->resp, 401, "Authentication_MissingOrMalformed",
		                       "Access Token missing or malformed.");
	claims = jwt_payload(proof);
	aud = json_string_value(json_object_get(claims, "aud"));
	iss = json_string_value(json_object_get(claims, "iss"));
	nbf = json_integer_value(json_object_get(claims, "nbf"));
	exp = json_integer_value(json_object_get(claims, "exp"));
	json_array_foreach(json_object_get(state_dobj_json(app), "keyCredentials"), i, kc)
	{
		const char *id = json_string_value(json_object_get(kc, "keyId"));
		const char *der = json_string_value(json_object_get(keys, id ? id : ""));
		const char *end = json_string_value(json_object_get(kc, "endDateTime"));
		int64_t end_ms = INT64_MAX;

		if (end)
			time_parse_iso(end, &end_ms);
		if (der && end_ms > c->req->now_ms &&
		    c->svc->jws_verify(c->svc->ctx, proof, der) == SVC_JWS_OK)
			signed_ok = true;
	}
	if (signed_ok && aud && !strcmp(aud, PROOF_AUDIENCE) && iss &&
	    !strcasecmp(iss, app->id) && nbf <= now + 300 && now < exp &&
	    exp - nbf <= 600) {
		json_decref(claims);
		return 0;
	}
	json_decref(claims);
	return resp_error_code(c->resp, 401, "Authentication_MissingOrMalformed",
	                       "Access Token missing or malformed.");
}

/* POST /applications/{id}/addKey */
static int add_key(struct call *c)
{
	static const char *const params[] = {"keyCredential", "passwordCredential",
	                                     "proof", NULL};
	const json_t *kc = json_object_get(c->req->body, "keyCredential");
	struct dobj *app;
	char *der = NULL;
	json_t *entry, *map;
	int rc;

	if (action_params_check(c->resp, c->req->body, "addKey", params, NULL))
		return -1;
	app = apps_path_object(c, DOBJ_APPLICATION, 0);
	if (!app ||
	    check_proof(c, app,
	                json_string_value(json_object_get(c->req->body, "proof"))))
		return -1;
	if (!json_is_object(kc))
		return resp_error(
		    c->resp, GERR_BAD_REQUEST,
		    "Property keyCredential value is required but is empty or "
		    "missing.");
	entry = key_entry(c, kc, &der);
	if (!entry)
		return -1;
	map = own_map(app, MODEL_KEYS);
	if (!der || !map ||
	    json_object_set_new(map, json_string_value(json_object_get(entry, "keyId")),
	                        json_string(der)) ||
	    json_array_append(collection(app, "keyCredentials"), entry)) {
		free(der);
		json_decref(entry);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	free(der);
	rc = answer(c, "keyCredential", json_deep_copy(entry));
	json_decref(entry);
	return rc;
}

/* POST /applications/{id}/removeKey */
static int remove_key(struct call *c)
{
	static const char *const params[] = {"keyId", "proof", NULL};
	const char *key_id = json_string_value(json_object_get(c->req->body, "keyId"));
	struct dobj *app;
	json_t *list;
	long at;

	if (action_params_check(c->resp, c->req->body, "removeKey", params, NULL))
		return -1;
	app = apps_path_object(c, DOBJ_APPLICATION, 0);
	if (!app ||
	    check_proof(c, app,
	                json_string_value(json_object_get(c->req->body, "proof"))))
		return -1;
	list = collection(app, "keyCredentials");
	at = find_key_id(list, key_id);
	if (at < 0)
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "No key credential found with keyId '%s'.",
		                  key_id ? key_id : "");
	json_object_del(json_object_get(state_dobj_json(app), MODEL_KEYS),
	                json_string_value(
	                    json_object_get(json_array_get(list, (size_t)at), "keyId")));
	json_array_remove(list, (size_t)at);
	return resp_empty(c->resp, 204);
}

int app_credentials_patch_keys(struct call *c, struct dobj *app, json_t *patch)
{
	json_t *list = json_object_get(patch, "keyCredentials");
	json_t *old = json_object_get(state_dobj_json(app), MODEL_KEYS);
	json_t *keys = json_object(), *fresh = json_array();
	size_t i;
	json_t *kc;

	if (!list || json_is_null(list)) {
		json_decref(keys);
		json_decref(fresh);
		return 0;
	}
	/* PATCH replaces the collection: re-sent keys keep their certificate */
	json_array_foreach(list, i, kc)
	{
		const char *id = json_string_value(json_object_get(kc, "keyId"));
		const json_t *key = json_object_get(kc, "key");
		const char *der = json_string_value(json_object_get(old, id ? id : ""));
		char *fresh_der = NULL;
		json_t *entry;

		if ((!key || json_is_null(key)) && der) {
			entry = json_deep_copy(kc);
			json_object_set_new(entry, "key", json_null());
			json_object_set_new(keys, id, json_string(der));
		} else {
			entry = key_entry(c, kc, &fresh_der);
			if (!entry)
				goto out_fail;
			json_object_set_new(
			    keys, json_string_value(json_object_get(entry, "keyId")),
			    json_string(fresh_der ? fresh_der : ""));
			free(fresh_der);
		}
		json_array_append_new(fresh, entry);
	}
	json_object_set_new(patch, "keyCredentials", fresh);
	json_object_set_new(state_dobj_json(app), MODEL_KEYS, keys);
	return 0;

out_fail:
	json_decref(keys);
	json_decref(fresh);
	return -1;
}

#define ACTION(path, fn)                                                                 \
	{                                                                                \
		"POST", path, fn, ROUTE_JSON_BODY | ROUTE_APPID_KEY, NULL,               \
		    &PERMS_APP_WRITE                                                     \
	}

const struct route app_credential_routes[] = {
    {"POST", "/applications/{id}/addPassword", add_password,
     ROUTE_JSON_BODY | ROUTE_OPTIONAL_BODY | ROUTE_APPID_KEY, NULL, &PERMS_APP_WRITE},
    ACTION("/applications/{id}/removePassword", remove_password),
    ACTION("/applications/{id}/addKey", add_key),
    ACTION("/applications/{id}/removeKey", remove_key),
    {0},
};
