/*
 * conformance/csdl.c - response bodies against Graph's CSDL (csdl.h): where
 * the @odata.context says the body's type is, then each member, recursively,
 * against the generated tables of state/schema/. The first problem wins.
 */
#include "csdl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../state/schema/schema.h"

#define PATH_MAX_LEN 256
#define DEPTH_MAX    64
#define V1_MARK      "/v1.0/$metadata#"

struct check {
	char *msg;
	size_t len;
	bool failed;
};

static bool fail(struct check *ck, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct check *ck, const char *path, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	if (ck->failed)
		return false;
	ck->failed = true;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(ck->msg, ck->len, "%s: %s (Graph's v1.0 CSDL)", path, why);
	return false;
}

static void sub_path(char *out, const char *path, const char *key)
{
	snprintf(out, PATH_MAX_LEN, "%.180s.%.64s", path, key);
}

static void item_path(char *out, const char *path, size_t i)
{
	snprintf(out, PATH_MAX_LEN, "%.200s[%zu]", path, i);
}

/* ---- primitive values ---- */

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool is_guid(const char *s)
{
	static const int dash[] = {8, 13, 18, 23};

	if (strlen(s) != 36)
		return false;
	for (int i = 0, d = 0; i < 36; i++) {
		if (d < 4 && i == dash[d]) {
			if (s[i] != '-')
				return false;
			d++;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

static bool is_date(const char *s)
{
	return strlen(s) >= 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
	       s[7] == '-' && digits(s + 8, 2);
}

/* "hh:mm:ss" with an optional fraction of up to @frac digits; bytes used, or 0. */
static size_t time_part(const char *s, int frac)
{
	size_t n = 8;

	if (!(digits(s, 2) && s[2] == ':' && digits(s + 3, 2) && s[5] == ':' &&
	      digits(s + 6, 2)))
		return 0;
	if (s[8] == '.') {
		size_t f = 0;

		while (isdigit((unsigned char)s[9 + f]))
			f++;
		if (f < 1 || f > (size_t)frac)
			return 0;
		n = 9 + f;
	}
	return n;
}

/*
 * Graph's DateTimeOffset: "2024-05-01T10:22:31Z", "2021-02-15T16:14:59.8643039Z"
 * (at most 7 fractional digits: 100 ns ticks), or with a "+hh:mm" offset.
 */
static bool is_date_time(const char *s)
{
	const char *z;
	size_t t;

	if (!is_date(s) || s[10] != 'T')
		return false;
	t = time_part(s + 11, 7);
	if (!t)
		return false;
	z = s + 11 + t;
	if (!strcmp(z, "Z"))
		return true;
	return (z[0] == '+' || z[0] == '-') && digits(z + 1, 2) && z[3] == ':' &&
	       digits(z + 4, 2) && z[6] == '\0';
}

static bool is_duration(const char *s)
{
	if (*s == '-')
		s++;
	if (*s++ != 'P' || !*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && !strchr("DTHMS.", *s))
			return false;
	return true;
}

static bool is_base64(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("+/=-_", *s))
			return false;
	return true;
}

static bool int_in(const json_t *v, long long lo, long long hi)
{
	return json_is_integer(v) && json_integer_value(v) >= lo &&
	       json_integer_value(v) <= hi;
}

static bool enum_ok(const struct schema_type *t, const char *s)
{
	char one[128];

	if (!(t->flags & SCHEMA_TYPE_FLAGS))
		return schema_enum_member_find(t, s) &&
		       !strcmp(schema_enum_member_find(t, s)->name, s);
	/* Flags: "a,b" (OData writes members joined by commas). */
	while (*s) {
		size_t n = strcspn(s, ",");

		if (!n || n >= sizeof(one))
			return false;
		memcpy(one, s, n);
		one[n] = '\0';
		if (!schema_enum_member_find(t, one) ||
		    strcmp(schema_enum_member_find(t, one)->name, one))
			return false;
		s += n + (s[n] == ',');
	}
	return true;
}

static const char *edm_name(enum schema_edm e)
{
	static const char *const names[] = {
	    "",
	    "Edm.String",
	    "Edm.Boolean",
	    "Edm.Guid",
	    "Edm.DateTimeOffset",
	    "Edm.Date",
	    "Edm.TimeOfDay",
	    "Edm.Duration",
	    "Edm.Byte",
	    "Edm.SByte",
	    "Edm.Int16",
	    "Edm.Int32",
	    "Edm.Int64",
	    "Edm.Single",
	    "Edm.Double",
	    "Edm.Decimal",
	    "Edm.Binary",
	    "Edm.Stream",
	    "a complex type",
	    "an enum",
	    "an entity",
	};

	return (size_t)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}

static bool primitive_ok(enum schema_edm edm, const json_t *v)
{
	const char *s = json_string_value(v);

	switch (edm) {
	case SCHEMA_EDM_STRING:
	case SCHEMA_EDM_STREAM:
		return s != NULL;
	case SCHEMA_EDM_BOOLEAN:
		return json_is_boolean(v);
	case SCHEMA_EDM_GUID:
		return s && is_guid(s);
	case SCHEMA_EDM_DATE_TIME_OFFSET:
		return s && is_date_time(s);
	case SCHEMA_EDM_DATE:
		return s && is_date(s) && s[10] == '\0';
	case SCHEMA_EDM_TIME_OF_DAY:
		return s && time_part(s, 12) == strlen(s);
	case SCHEMA_EDM_DURATION:
		return s && is_duration(s);
	case SCHEMA_EDM_BYTE:
		return int_in(v, 0, 255);
	case SCHEMA_EDM_SBYTE:
		return int_in(v, -128, 127);
	case SCHEMA_EDM_INT16:
		return int_in(v, -32768, 32767);
	case SCHEMA_EDM_INT32:
		return int_in(v, -2147483647LL - 1, 2147483647LL);
	case SCHEMA_EDM_INT64:
		return json_is_integer(v);
	case SCHEMA_EDM_SINGLE:
	case SCHEMA_EDM_DOUBLE:
	case SCHEMA_EDM_DECIMAL:
		return json_is_number(v) ||
		       (s &&
		        (!strcmp(s, "NaN") || !strcmp(s, "INF") || !strcmp(s, "-INF")));
	case SCHEMA_EDM_BINARY:
		return s && is_base64(s);
	case SCHEMA_EDM_NONE:
	case SCHEMA_EDM_COMPLEX:
	case SCHEMA_EDM_ENUM:
	case SCHEMA_EDM_ENTITY:
		break;
	}
	return false;
}

/* ---- structured values ---- */

static bool check_object(struct check *ck, const json_t *obj,
                         const struct schema_type *declared, const char *path, int depth);

/* The type an object really has: its "@odata.type" (derived from @declared), or
 * @declared. */
static const struct schema_type *actual_type(struct check *ck, const json_t *obj,
                                             const struct schema_type *declared,
                                             const char *path)
{
	const json_t *at = json_object_get(obj, "@odata.type");
	const struct schema_type *t;
	char p[PATH_MAX_LEN];

	if (!at)
		return declared;
	sub_path(p, path, "@odata.type");
	if (!json_is_string(at) || json_string_value(at)[0] != '#')
		return fail(ck, p, "expected \"#microsoft.graph.<type>\""), NULL;
	t = schema_type_find(json_string_value(at));
	if (!t || strcmp(t->name, json_string_value(at) + 1))
		return fail(ck, p, "'%s' is not a type of the schema",
		            json_string_value(at)),
		       NULL;
	if (declared && !schema_type_is_a(t, declared))
		return fail(ck, p, "'%s' is not derived from the declared %s",
		            json_string_value(at), declared->name),
		       NULL;
	return t;
}

static bool check_single(struct check *ck, const json_t *v,
                         const struct schema_property *p, const char *path, int depth)
{
	if (json_is_null(v))
		return (p->flags & SCHEMA_PROP_NULLABLE) ||
		       fail(ck, path, "null, but %s is not nullable", p->name);
	switch (p->edm) {
	case SCHEMA_EDM_COMPLEX:
	case SCHEMA_EDM_ENTITY:
		if (!json_is_object(v))
			return fail(ck, path, "expected an object of %s", p->type_name);
		/* A navigation target graphmock's tables lack: only its shape. */
		return !p->type || check_object(ck, v, p->type, path, depth + 1);
	case SCHEMA_EDM_ENUM:
		if (!json_is_string(v) || !enum_ok(p->type, json_string_value(v)))
			return fail(ck, path, "expected a member of %s", p->type_name);
		return true;
	default:
		if (!primitive_ok(p->edm, v)) {
			char shown[96];
			char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			snprintf(shown, sizeof(shown), "%s", text ? text : "?");
			free(text);
			return fail(ck, path, "expected %s, got %s", edm_name(p->edm),
			            shown);
		}
		return true;
	}
}

static bool check_value(struct check *ck, const json_t *v,
                        const struct schema_property *p, const char *path, int depth)
{
	char ip[PATH_MAX_LEN];
	size_t i;
	json_t *e;

	if (!(p->flags & SCHEMA_PROP_COLLECTION))
		return check_single(ck, v, p, path, depth);
	/* A collection is never null itself; Nullable speaks of its elements. */
	if (!json_is_array(v))
		return fail(ck, path, "expected an array (Collection(%s))", p->type_name);
	json_array_foreach(v, i, e)
	{
		item_path(ip, path, i);
		if (!check_single(ck, e, p, ip, depth))
			return false;
	}
	return true;
}

/* Instance annotations Graph writes on objects; their values are checked where known. */
static bool annotation_ok(struct check *ck, const char *key, const json_t *v,
                          const char *path)
{
	if (!strcmp(key, "@odata.count"))
		return json_is_integer(v) || fail(ck, path, "expected an integer");
	if (!strcmp(key, "@odata.nextLink") || !strcmp(key, "@odata.deltaLink") ||
	    !strcmp(key, "@odata.context") || !strcmp(key, "@odata.id") ||
	    !strcmp(key, "@odata.etag"))
		return json_is_string(v) || fail(ck, path, "expected a string");
	/* a delta response's removed item or member (delta-query-overview) */
	if (!strcmp(key, "@removed")) {
		const char *r = json_string_value(json_object_get(v, "reason"));

		return (r && (!strcmp(r, "changed") || !strcmp(r, "deleted"))) ||
		       fail(ck, path,
		            "expected {\"reason\": \"changed\" or \"deleted\"}");
	}
	if (!strncmp(key, "@odata.", 7) || !strncmp(key, "@microsoft.graph.", 17))
		return true;
	return fail(ck, path, "unknown instance annotation");
}

static bool check_object(struct check *ck, const json_t *obj,
                         const struct schema_type *declared, const char *path, int depth)
{
	const struct schema_type *t;
	const struct schema_property *p;
	char mp[PATH_MAX_LEN];
	const char *key;
	json_t *v;

	if (depth > DEPTH_MAX)
		return fail(ck, path, "nested too deep");
	t = actual_type(ck, obj, declared, path);
	if (!t)
		return false;
	json_object_foreach((json_t *)obj, key, v)
	{
		sub_path(mp, path, key);
		if (key[0] == '@') {
			if (!annotation_ok(ck, key, v, mp))
				return false;
			continue;
		}
		if (strchr(key, '@'))
			continue; /* a property annotation: "members@odata.bind" */
		p = schema_property_find(t, key);
		if (!p)
			return fail(ck, mp, "not a property of %s", t->name);
		if (strcmp(p->name, key))
			return fail(ck, mp, "spelt '%s' in the schema", p->name);
		if (!check_value(ck, v, p, mp, depth))
			return false;
	}
	return true;
}

/* ---- where the @odata.context points ---- */

struct target {
	const struct schema_type *type;
	bool many;              /* the body is {"value": [...]} */
	bool strings;           /* Collection(Edm.String) */
	bool primitive;         /* another primitive collection: not checked further */
	enum schema_edm single; /* "Edm.Boolean": {"value": true}; 0 when not */
};

/* The Edm type @name names, or 0 (edm_name()'s table, read backwards). */
static enum schema_edm edm_named(const char *name)
{
	for (int e = SCHEMA_EDM_STRING; e <= SCHEMA_EDM_STREAM; e++)
		if (!strcmp(edm_name((enum schema_edm)e), name))
			return (enum schema_edm)e;
	return 0;
}

/* One segment of the context path, without its "(...)". */
static size_t seg_name(const char *s, size_t n, char *out, size_t size)
{
	size_t k = 0;

	while (k < n && s[k] != '(' && k + 1 < size) {
		out[k] = s[k];
		k++;
	}
	out[k] = '\0';
	return k;
}

static bool has_key(const char *s, size_t n)
{
	const char *open = memchr(s, '(', n);

	/* "users('id')" has a key; "users(id,displayName)" is a select list. */
	return open && (open[1] == '\'' || isdigit((unsigned char)open[1]));
}

static bool resolve(const char *ctx, struct target *tg, char *why, size_t len)
{
	size_t total = strlen(ctx), n;
	const char *s = ctx, *end = ctx + total;
	bool first = true, entity = false, coll = false;
	char name[160];

	memset(tg, 0, sizeof(*tg));
	if (total >= 8 && !strcmp(end - 8, "/$entity")) {
		end -= 8;
		entity = true;
	}
	if (edm_named(s)) { /* an action's or function's primitive result */
		tg->single = edm_named(s);
		return true;
	}
	if (!strncmp(s, "Collection(", 11)) {
		tg->many = true;
		tg->strings = !strcmp(s, "Collection(Edm.String)");
		tg->primitive = true;
		return true;
	}
	while (s < end) {
		const char *slash = memchr(s, '/', (size_t)(end - s));
		const struct schema_property *nav;
		const struct schema_source *src;

		n = slash ? (size_t)(slash - s) : (size_t)(end - s);
		seg_name(s, n, name, sizeof(name));
		src = first ? schema_source_find(name) : NULL;
		nav = first ? NULL : schema_property_find(tg->type, name);
		if (src && !strcmp(src->name, name)) {
			tg->type = src->type;
			coll = src->kind == SCHEMA_ENTITY_SET && !has_key(s, n);
		} else if (strchr(name, '.') && schema_type_find(name)) {
			tg->type = schema_type_find(name); /* a cast, or a type's name */
			if (first)
				coll = false;
		} else if (nav && (nav->flags & SCHEMA_PROP_NAVIGATION) &&
		           !strcmp(nav->name, name)) {
			tg->type = nav->type;
			coll = (nav->flags & SCHEMA_PROP_COLLECTION) && !has_key(s, n);
		} else {
			snprintf(why, len,
			         "'%s' in the @odata.context is not in the schema", name);
			return false;
		}
		if (!tg->type) {
			snprintf(why, len, "'%s' leads to a type the tables lack", name);
			return false;
		}
		first = false;
		s = slash ? slash + 1 : end;
	}
	tg->many = coll && !entity;
	return tg->type != NULL;
}

/* Does @body hold "value" and annotations only, as @what ("a collection
 * answer") does? */
static bool value_and_annotations(struct check *ck, const json_t *body, const char *path,
                                  const char *what)
{
	const char *key;
	json_t *e;

	json_object_foreach((json_t *)body, key, e)
	{
		char mp[PATH_MAX_LEN];

		sub_path(mp, path, key);
		if (strcmp(key, "value") &&
		    (key[0] != '@' || !annotation_ok(ck, key, e, mp)))
			return ck->failed ? false
			                  : fail(ck, mp, "not a member of %s", what);
	}
	return true;
}

static bool check_context_body(struct check *ck, const json_t *body, const char *path)
{
	const char *ctx = json_string_value(json_object_get(body, "@odata.context"));
	const char *mark = ctx ? strstr(ctx, V1_MARK) : NULL;
	char why[256], ip[PATH_MAX_LEN];
	struct target tg;
	const json_t *value;
	size_t i;
	json_t *e;

	if (!mark)
		return true; /* not Graph's v1.0 metadata: beta, or no OData body */
	if (!resolve(mark + strlen(V1_MARK), &tg, why, sizeof(why))) {
		char p[PATH_MAX_LEN];

		sub_path(p, path, "@odata.context");
		return fail(ck, p, "%s", why);
	}
	if (tg.single) {
		sub_path(ip, path, "value");
		snprintf(why, sizeof(why), "an %s answer", edm_name(tg.single));
		if (!value_and_annotations(ck, body, path, why))
			return false;
		if (!primitive_ok(tg.single, json_object_get(body, "value")))
			return fail(ck, ip, "expected %s", edm_name(tg.single));
		return true;
	}
	if (!tg.many)
		return check_object(ck, body, tg.type, path, 0);
	value = json_object_get(body, "value");
	sub_path(ip, path, "value");
	if (!json_is_array(value))
		return fail(ck, ip, "a collection answer needs a \"value\" array");
	if (!value_and_annotations(ck, body, path, "a collection answer"))
		return false;
	json_array_foreach(value, i, e)
	{
		char vp[PATH_MAX_LEN];

		item_path(vp, ip, i);
		if (tg.strings && !json_is_string(e))
			return fail(ck, vp, "expected Edm.String");
		if (!tg.primitive &&
		    (!json_is_object(e) || !check_object(ck, e, tg.type, vp, 0)))
			return ck->failed ? false : fail(ck, vp, "expected an object");
	}
	return true;
}

bool csdl_check_body(long status, const json_t *body, char *msg, size_t len)
{
	struct check ck = {msg, len, false};
	const json_t *responses = json_object_get(body, "responses");
	char p[PATH_MAX_LEN];
	size_t i;
	json_t *r;

	if (status < 200 || status > 299 || !json_is_object(body))
		return true;
	if (json_object_get(body, "@odata.context"))
		return check_context_body(&ck, body, "body");
	/* $batch: each entry's own body */
	json_array_foreach(responses, i, r)
	{
		const json_t *st = json_object_get(r, "status");
		const json_t *b = json_object_get(r, "body");

		snprintf(p, sizeof(p), "body.responses[%zu].body", i);
		if (json_is_integer(st) && json_integer_value(st) >= 200 &&
		    json_integer_value(st) <= 299 && json_is_object(b) &&
		    json_object_get(b, "@odata.context") &&
		    !check_context_body(&ck, b, p))
			return false;
	}
	return true;
}
