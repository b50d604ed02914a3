/*
 * state/model/model_user.c - the stored user: defaults a member user gets when a
 * fixture or POST /users leaves them out (graph-spec §3).
 */
#include "model_internal.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/jtext.h"

/*
 * "Member", one string shared by every user of every tenant given the default.
 * Nothing changes a string in place, and the string is made immortal as
 * jansson's own true/false/null are (refcount (size_t)-1: json_incref and
 * json_decref leave it alone), so threads of different tenants never write
 * its count; jansson's atomic increments would still race with the plain read
 * of the count json_incref makes first. It lives as long as the process.
 */
static json_t *member_type(void)
{
	static _Atomic(json_t *) shared;
	json_t *v = atomic_load(&shared), *none = NULL;

	if (!v) {
		v = json_string("Member");
		if (!v)
			return NULL;
		v->refcount = (size_t)-1;
		if (!atomic_compare_exchange_strong(&shared, &none, v)) {
			v->refcount = 1;
			json_decref(v); /* another thread made it first */
			v = none;
		}
	}
	return v;
}

/*
 * The defaults of a user, in the order they are added, each as its JSON
 * text: model_user_complete() makes trees of them and
 * model_user_complete_text() writes them as they are, so a user reads the
 * same either way. createdDateTime's (no text) is the clock's time.
 */
static const struct {
	const char *key;
	const char *text;
} user_defaults[] = {
    {"accountEnabled", "true"},    {"userType", "\"Member\""},
    {"businessPhones", "[]"},      {"otherMails", "[]"},
    {"proxyAddresses", "[]"},      {"identities", "[]"},
    {"createdDateTime", NULL},     {"creationType", "null"},
    {"externalUserState", "null"}, {"externalUserStateChangeDateTime", "null"},
};

#define N_USER_DEFAULTS (sizeof(user_defaults) / sizeof(user_defaults[0]))

/* The tree of default @i (new reference, NULL on OOM). */
static json_t *user_default(struct state *st, size_t i)
{
	switch (user_defaults[i].text ? user_defaults[i].text[0] : 'c') {
	case 't':
		return json_true();
	case '"':
		return member_type();
	case '[':
		return json_array();
	case 'n':
		return json_null();
	default:
		return model_timestamp(st);
	}
}

int model_user_complete(struct state *st, struct tenant *t, json_t *obj)
{
	int rc = 0;

	rc |= model_ensure_id(st, t, obj);
	for (size_t i = 0; i < N_USER_DEFAULTS; i++)
		rc |= MODEL_DEFAULT(obj, user_defaults[i].key, user_default(st, i));
	rc |= model_user_hash_password(obj);
	return rc ? -1 : 0;
}

/* Is @v (@len bytes of JSON text) a string holding a GUID in lower case? */
static bool lower_guid_text(const char *v, size_t len)
{
	if (len != GUID_STR_LEN + 2 || v[0] != '"' || v[len - 1] != '"')
		return false;
	for (size_t i = 1; i + 1 < len; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') ||
		      v[i] == '-'))
			return false;
	return true;
}

static bool has_text(const char *s, size_t len, const char *what)
{
	size_t n = strlen(what);

	for (const char *p = s; (p = memchr(p, what[0], len - (size_t)(p - s))); p++)
		if ((size_t)(s + len - p) >= n && !memcmp(p, what, n))
			return true;
	return false;
}

int model_user_complete_text(const char *text, size_t len, struct buf *out)
{
	bool seen[N_USER_DEFAULTS] = {false}, has_id = false;
	struct jtext_member m;
	size_t pos = 0, close = 0;
	int more;

	while ((more = jtext_member_next(text, len, &pos, &m)) == 1) {
		if (memchr(m.key, '\\', m.key_len))
			return -1; /* a key spelled with escapes: left to the parser */
		if (m.key_len == 2 && !memcmp(m.key, "id", 2)) {
			if (!lower_guid_text(m.value, m.value_len))
				return -1; /* stored in lower case: the tree does that */
			has_id = true;
		} else if (m.key_len == 15 && !memcmp(m.key, "passwordProfile", 15) &&
		           has_text(m.value, m.value_len, "\"password\"")) {
			return -1; /* a clear password, to be hashed (never, once kept) */
		}
		for (size_t i = 0; i < N_USER_DEFAULTS; i++)
			if (strlen(user_defaults[i].key) == m.key_len &&
			    !memcmp(user_defaults[i].key, m.key, m.key_len))
				seen[i] = true;
		close = pos;
	}
	if (more < 0 || !has_id)
		return -1;
	for (size_t i = 0; i < N_USER_DEFAULTS; i++)
		if (!seen[i] && !user_defaults[i].text)
			return -1; /* made of the clock: only the tree does that */
	/* The members as they are, then the missing defaults, then the end. */
	buf_add(out, text, close);
	for (size_t i = 0; i < N_USER_DEFAULTS; i++)
		if (!seen[i]) {
			buf_add(out, ",\"", 2);
			buf_addstr(out, user_defaults[i].key);
			buf_add(out, "\":", 2);
			buf_addstr(out, user_defaults[i].text);
		}
	buf_addch(out, '}');
	return 0;
}

struct dobj *model_user_manager(struct state *st, struct tenant *t,
                                const struct dobj *user)
{
	const char *id =
	    json_string_value(json_object_get(state_dobj_json(user), MODEL_MANAGER_KEY));
	char key[GUID_STR_LEN + 1];
	struct dobj *m;

	if (!id || !guid_valid(id))
		return NULL;
	guid_lower(id, key);
	HASH_FIND_STR(t->objects, key, m);
	/* A manager deleted since is simply gone, as with group owners. */
	if (!m || m->kind != DOBJ_USER || !state_dobj_visible(st, m))
		return NULL;
	return m;
}

int model_user_set_manager(struct dobj *user, const struct dobj *manager)
{
	if (!manager) {
		json_object_del(state_dobj_json(user), MODEL_MANAGER_KEY);
		return 0;
	}
	return json_object_set_new(state_dobj_json(user), MODEL_MANAGER_KEY,
	                           json_string(manager->id));
}

struct dobj *model_user_upn_holder(struct tenant *t, const char *upn,
                                   const struct dobj *self)
{
	struct dobj *const *hits;
	size_t n;

	if (!upn)
		return NULL;
	hits = state_dobj_lookup(t, IDX_UPN, upn, &n);
	for (size_t i = 0; i < n; i++)
		if (hits[i] != self && hits[i]->kind == DOBJ_USER)
			return hits[i];
	return NULL;
}
