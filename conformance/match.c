/*
 * conformance/match.c - JSON subset comparison and the "@@" matchers of
 * expect.json, header matching, and validation of expectations. The
 * language is documented for case authors in conformance/README.md.
 */
#include "match.h"

#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DUMP_MAX 200

enum matcher {
	M_LITERAL, /* not a matcher: compare the string exactly */
	M_ANY,
	M_ABSENT,
	M_NULL,
	M_GUID,
	M_DATETIME,
	M_DATE_NOZ,
	M_STRING,
	M_NUMBER,
	M_NONEMPTY,
	M_RE,
	M_UNKNOWN,
};

static const struct {
	const char *name;
	enum matcher m;
} matchers[] = {
    {"@@any", M_ANY},       {"@@absent", M_ABSENT},     {"@@null", M_NULL},
    {"@@guid", M_GUID},     {"@@datetime", M_DATETIME}, {"@@date-noz", M_DATE_NOZ},
    {"@@string", M_STRING}, {"@@number", M_NUMBER},     {"@@nonempty", M_NONEMPTY},
};

static const char *const array_matcher_keys[] = {"@@contains", "@@length", "@@unordered"};

static bool fail(struct match_err *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* First failure wins, so a caller can run several checks and report one. */
static bool fail(struct match_err *err, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->msg[0])
		return false;
	snprintf(err->path, sizeof(err->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

void match_err_init(struct match_err *err)
{
	err->path[0] = '\0';
	err->msg[0] = '\0';
}

const char *match_dump(const json_t *v, char *buf, size_t size)
{
	char *s;
	size_t len;

	if (!v) {
		snprintf(buf, size, "(missing)");
		return buf;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s) {
		snprintf(buf, size, "(unprintable)");
		return buf;
	}
	len = strlen(s);
	if (len < size)
		memcpy(buf, s, len + 1);
	else
		snprintf(buf, size, "%.*s...", (int)(size - 4), s);
	free(s);
	return buf;
}

/* Paths in messages; a path too long for the buffer is cut, never overflowed. */
static void path_key(char *buf, size_t size, const char *path, const char *key)
{
	if (snprintf(buf, size, "%s.%s", path, key) >= (int)size)
		buf[size - 1] = '\0';
}

static void path_index(char *buf, size_t size, const char *path, size_t i)
{
	if (snprintf(buf, size, "%s[%zu]", path, i) >= (int)size)
		buf[size - 1] = '\0';
}

/* @lit gets the string to compare with (M_LITERAL) or the regex (M_RE). */
static enum matcher matcher_parse(const char *s, const char **lit)
{
	size_t i;

	*lit = s;
	if (strncmp(s, "@@", 2) != 0)
		return M_LITERAL;
	if (s[2] == '@') {
		*lit = s + 1;
		return M_LITERAL;
	}
	if (strncmp(s, "@@re:", 5) == 0) {
		*lit = s + 5;
		return M_RE;
	}
	for (i = 0; i < sizeof(matchers) / sizeof(matchers[0]); i++)
		if (strcmp(s, matchers[i].name) == 0)
			return matchers[i].m;
	return M_UNKNOWN;
}

static bool is_guid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isdigit((unsigned char)s[i]) &&
		           !(s[i] >= 'a' && s[i] <= 'f')) {
			return false;
		}
	}
	return true;
}

/* Two digits at @s no greater than @max (and no less than @min). */
static bool two_digits(const char *s, int min, int max)
{
	int v;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return false;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return v >= min && v <= max;
}

/* YYYY-MM-DDTHH:MM:SS, the 19 characters every date-time form starts with. */
static bool is_datetime_prefix(const char *s)
{
	if (strlen(s) < 19)
		return false;
	return two_digits(s, 0, 99) && two_digits(s + 2, 0, 99) && s[4] == '-' &&
	       two_digits(s + 5, 1, 12) && s[7] == '-' && two_digits(s + 8, 1, 31) &&
	       s[10] == 'T' && two_digits(s + 11, 0, 23) && s[13] == ':' &&
	       two_digits(s + 14, 0, 59) && s[16] == ':' && two_digits(s + 17, 0, 60);
}

static bool is_datetime(const char *s)
{
	if (!is_datetime_prefix(s))
		return false;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return s[0] == 'Z' && s[1] == '\0';
}

static bool regex_matches(const char *re, const char *s)
{
	regex_t rx;
	bool ok;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

static bool match_string(const char *exp, const json_t *act, const char *path,
                         struct match_err *err)
{
	char a[DUMP_MAX];
	const char *lit;
	const char *s = json_is_string(act) ? json_string_value(act) : NULL;
	enum matcher m = matcher_parse(exp, &lit);
	bool ok = false;

	if (m == M_ABSENT) {
		if (!act)
			return true;
		return fail(err, path, "expected no value (@@absent), got %s",
		            match_dump(act, a, sizeof(a)));
	}
	if (!act)
		return fail(err, path, "missing, expected \"%s\"", exp);
	switch (m) {
	case M_LITERAL:
		ok = s && strcmp(s, lit) == 0;
		break;
	case M_ANY:
		ok = true;
		break;
	case M_NULL:
		ok = json_is_null(act);
		break;
	case M_GUID:
		ok = s && is_guid(s);
		break;
	case M_DATETIME:
		ok = s && is_datetime(s);
		break;
	case M_DATE_NOZ:
		ok = s && strlen(s) == 19 && is_datetime_prefix(s);
		break;
	case M_STRING:
		ok = s != NULL;
		break;
	case M_NUMBER:
		ok = json_is_number(act);
		break;
	case M_NONEMPTY:
		ok = s && s[0] != '\0';
		break;
	case M_RE:
		ok = s && regex_matches(lit, s);
		break;
	case M_ABSENT:
	case M_UNKNOWN:
		break;
	}
	if (ok)
		return true;
	return fail(err, path, "expected \"%s\", got %s", exp,
	            match_dump(act, a, sizeof(a)));
}

static bool is_array_matcher(const json_t *exp)
{
	size_t i;

	if (!json_is_object(exp))
		return false;
	for (i = 0; i < sizeof(array_matcher_keys) / sizeof(array_matcher_keys[0]); i++)
		if (json_object_get(exp, array_matcher_keys[i]))
			return true;
	return false;
}

/* Kuhn's augmenting path: can expected element @i take some actual element? */
static bool augment(size_t i, size_t n, const bool *ok, size_t *owner, bool *seen)
{
	size_t j;

	for (j = 0; j < n; j++) {
		if (!ok[i * n + j] || seen[j])
			continue;
		seen[j] = true;
		if (owner[j] == n || augment(owner[j], n, ok, owner, seen)) {
			owner[j] = i;
			return true;
		}
	}
	return false;
}

/*
 * Greedy pairing would reject [{}, {"a":1}] against [{"a":1}, {"b":2}], so
 * pair expected and actual elements as a bipartite matching instead.
 */
static bool match_unordered(const json_t *exp, const json_t *act, const char *path,
                            struct match_err *err)
{
	char e[DUMP_MAX];
	size_t n = json_array_size(exp);
	size_t i, j;
	bool *ok = NULL;
	bool *seen = NULL;
	size_t *owner = NULL;
	bool res = false;

	if (json_array_size(act) != n)
		return fail(err, path, "@@unordered: expected %zu elements, got %zu", n,
		            json_array_size(act));
	if (n == 0)
		return true;
	ok = calloc(n * n, sizeof(*ok));
	seen = calloc(n, sizeof(*seen));
	owner = calloc(n, sizeof(*owner));
	if (!ok || !seen || !owner) {
		fail(err, path, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			ok[i * n + j] = match_json(json_array_get(exp, i),
			                           json_array_get(act, j), path, NULL);
	for (j = 0; j < n; j++)
		owner[j] = n;
	for (i = 0; i < n; i++) {
		memset(seen, 0, n * sizeof(*seen));
		if (!augment(i, n, ok, owner, seen)) {
			fail(err, path,
			     "@@unordered: no element left to match expected element "
			     "[%zu] %s",
			     i, match_dump(json_array_get(exp, i), e, sizeof(e)));
			goto out;
		}
	}
	res = true;
out:
	free(ok);
	free(seen);
	free(owner);
	return res;
}

static bool match_array_matcher(const json_t *exp, const json_t *act, const char *path,
                                struct match_err *err)
{
	char a[DUMP_MAX], e[DUMP_MAX];
	const json_t *len = json_object_get(exp, "@@length");
	const json_t *unordered = json_object_get(exp, "@@unordered");
	const json_t *contains = json_object_get(exp, "@@contains");
	size_t i, j, n = json_array_size(act);
	bool found;

	if (!json_is_array(act))
		return fail(err, path, "expected an array, got %s",
		            match_dump(act, a, sizeof(a)));
	if (len && (json_int_t)n != json_integer_value(len))
		return fail(err, path,
		            "@@length: expected %" JSON_INTEGER_FORMAT
		            " elements, got %zu",
		            json_integer_value(len), n);
	if (unordered && !match_unordered(unordered, act, path, err))
		return false;
	for (i = 0; contains && i < json_array_size(contains); i++) {
		found = false;
		for (j = 0; j < n && !found; j++)
			found = match_json(json_array_get(contains, i),
			                   json_array_get(act, j), path, NULL);
		if (!found)
			return fail(
			    err, path, "@@contains: none of the %zu elements matches %s",
			    n, match_dump(json_array_get(contains, i), e, sizeof(e)));
	}
	return true;
}

static bool in_key_list(const json_t *keys, const char *key)
{
	size_t i;

	for (i = 0; i < json_array_size(keys); i++)
		if (strcmp(json_string_value(json_array_get(keys, i)), key) == 0)
			return true;
	return false;
}

static bool match_key_set(const json_t *keys, const json_t *act, const char *path,
                          struct match_err *err)
{
	char sub[MATCH_PATH_MAX];
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)act, key, v)
	{
		if (!in_key_list(keys, key)) {
			path_key(sub, sizeof(sub), path, key);
			return fail(err, sub, "unexpected key (not in @@keys)");
		}
	}
	for (i = 0; i < json_array_size(keys); i++) {
		key = json_string_value(json_array_get(keys, i));
		if (!json_object_get(act, key)) {
			path_key(sub, sizeof(sub), path, key);
			return fail(err, sub, "missing, but listed in @@keys");
		}
	}
	return true;
}

/* "@@@x" in expect.json stands for a literal key or string "@@x". */
static const char *unescape_key(const char *key)
{
	return strncmp(key, "@@@", 3) == 0 ? key + 1 : key;
}

static bool match_object(const json_t *exp, const json_t *act, const char *path,
                         struct match_err *err)
{
	char sub[MATCH_PATH_MAX], a[DUMP_MAX];
	const json_t *keys = json_object_get(exp, "@@keys");
	const char *key, *akey;
	json_t *ev;

	if (!json_is_object(act))
		return fail(err, path, "expected an object, got %s",
		            match_dump(act, a, sizeof(a)));
	json_object_foreach((json_t *)exp, key, ev)
	{
		if (strcmp(key, "@@keys") == 0)
			continue;
		/* json_object_foreach() needs `key` itself to find the next member */
		akey = unescape_key(key);
		path_key(sub, sizeof(sub), path, akey);
		if (!match_json(ev, json_object_get(act, akey), sub, err))
			return false;
	}
	return !keys || match_key_set(keys, act, path, err);
}

static bool match_array(const json_t *exp, const json_t *act, const char *path,
                        struct match_err *err)
{
	char sub[MATCH_PATH_MAX], a[DUMP_MAX];
	size_t i, n = json_array_size(exp);

	if (!json_is_array(act))
		return fail(err, path, "expected an array, got %s",
		            match_dump(act, a, sizeof(a)));
	if (json_array_size(act) != n)
		return fail(err, path, "expected %zu elements, got %zu", n,
		            json_array_size(act));
	for (i = 0; i < n; i++) {
		path_index(sub, sizeof(sub), path, i);
		if (!match_json(json_array_get(exp, i), json_array_get(act, i), sub, err))
			return false;
	}
	return true;
}

static bool numbers_equal(const json_t *e, const json_t *a)
{
	if (json_is_integer(e) && json_is_integer(a))
		return json_integer_value(e) == json_integer_value(a);
	return json_number_value(e) == json_number_value(a);
}

bool match_json(const json_t *exp, const json_t *act, const char *path,
                struct match_err *err)
{
	char a[DUMP_MAX], e[DUMP_MAX];

	if (json_is_string(exp))
		return match_string(json_string_value(exp), act, path, err);
	if (!act)
		return fail(err, path, "missing, expected %s",
		            match_dump(exp, e, sizeof(e)));
	if (is_array_matcher(exp))
		return match_array_matcher(exp, act, path, err);
	if (json_is_object(exp))
		return match_object(exp, act, path, err);
	if (json_is_array(exp))
		return match_array(exp, act, path, err);
	if (json_is_number(exp) && json_is_number(act) && numbers_equal(exp, act))
		return true;
	if (json_typeof(exp) == json_typeof(act) && !json_is_number(exp))
		return true; /* true, false, null */
	return fail(err, path, "expected %s, got %s", match_dump(exp, e, sizeof(e)),
	            match_dump(act, a, sizeof(a)));
}

static bool validate(const json_t *exp, const char *path, bool member,
                     struct match_err *err);

static bool validate_string(const char *s, const char *path, bool member,
                            struct match_err *err)
{
	char msg[128];
	const char *lit;
	regex_t rx;
	int rc;

	switch (matcher_parse(s, &lit)) {
	case M_UNKNOWN:
		return fail(err, path, "bad expectation: unknown matcher \"%s\"", s);
	case M_ABSENT:
		if (!member)
			return fail(err, path,
			            "bad expectation: @@absent is only valid as an "
			            "object member");
		return true;
	case M_RE:
		rc = regcomp(&rx, lit, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &rx, msg, sizeof(msg));
			return fail(err, path, "bad expectation: regex \"%s\": %s", lit,
			            msg);
		}
		regfree(&rx);
		return true;
	default:
		return true;
	}
}

static bool validate_elements(const json_t *arr, const char *path, struct match_err *err)
{
	char sub[MATCH_PATH_MAX];
	size_t i;

	for (i = 0; i < json_array_size(arr); i++) {
		path_index(sub, sizeof(sub), path, i);
		if (!validate(json_array_get(arr, i), sub, false, err))
			return false;
	}
	return true;
}

static bool validate_array_matcher(const json_t *exp, const char *path,
                                   struct match_err *err)
{
	char sub[MATCH_PATH_MAX];
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)exp, key, v)
	{
		path_key(sub, sizeof(sub), path, key);
		if (strcmp(key, "@@length") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 0)
				return fail(
				    err, sub,
				    "bad expectation: @@length takes an integer >= 0");
		} else if (strcmp(key, "@@contains") == 0 ||
		           strcmp(key, "@@unordered") == 0) {
			if (!json_is_array(v))
				return fail(err, sub,
				            "bad expectation: %s takes an array", key);
			if (!validate_elements(v, sub, err))
				return false;
		} else {
			return fail(err, sub,
			            "bad expectation: only @@contains, @@length and "
			            "@@unordered may be combined in an array matcher");
		}
	}
	return true;
}

static bool validate_object(const json_t *exp, const char *path, struct match_err *err)
{
	char sub[MATCH_PATH_MAX];
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)exp, key, v)
	{
		path_key(sub, sizeof(sub), path, key);
		if (strcmp(key, "@@keys") == 0) {
			for (i = 0; json_is_array(v) && i < json_array_size(v); i++)
				if (!json_is_string(json_array_get(v, i)))
					break;
			if (!json_is_array(v) || i < json_array_size(v))
				return fail(
				    err, sub,
				    "bad expectation: @@keys takes an array of strings");
			continue;
		}
		if (strncmp(key, "@@", 2) == 0 && key[2] != '@')
			return fail(err, sub,
			            "bad expectation: unknown matcher key \"%s\"", key);
		if (!validate(v, sub, true, err))
			return false;
	}
	return true;
}

static bool validate(const json_t *exp, const char *path, bool member,
                     struct match_err *err)
{
	if (json_is_string(exp))
		return validate_string(json_string_value(exp), path, member, err);
	if (is_array_matcher(exp))
		return validate_array_matcher(exp, path, err);
	if (json_is_object(exp))
		return validate_object(exp, path, err);
	if (json_is_array(exp))
		return validate_elements(exp, path, err);
	return true;
}

bool match_validate(const json_t *exp, const char *path, struct match_err *err)
{
	return validate(exp, path, false, err);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

bool match_validate_headers(const json_t *exp, struct match_err *err)
{
	char sub[MATCH_PATH_MAX];
	const char *key;
	json_t *v;

	if (!json_is_object(exp))
		return fail(err, "headers", "bad expectation: headers must be an object");
	json_object_foreach((json_t *)exp, key, v)
	{
		path_key(sub, sizeof(sub), "headers", key);
		lower(sub);
		if (!json_is_string(v))
			return fail(err, sub,
			            "bad expectation: header values must be strings");
		if (!validate_string(json_string_value(v), sub, true, err))
			return false;
	}
	return true;
}

bool match_headers(const json_t *exp, const json_t *act, struct match_err *err)
{
	char sub[MATCH_PATH_MAX];
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)exp, key, v)
	{
		path_key(sub, sizeof(sub), "headers", key);
		lower(sub);
		if (!match_json(v, json_object_get(act, sub + strlen("headers.")), sub,
		                err))
			return false;
	}
	return true;
}
