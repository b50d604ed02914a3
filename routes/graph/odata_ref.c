/*
 * routes/graph/odata_ref.c - parsing entity-reference URLs ("@odata.id",
 * "@odata.bind"). Graph resolves a reference by the trailing key alone, so
 * the host and the segments before the collection are not checked.
 */
#include "odata_ref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/error.h"

#define REF_URL_MAX 2048
#define DS_SUFFIX   "Microsoft.DirectoryServices."

const char *const odata_ref_directory_sets[] = {
    "directoryObjects", "users", "groups", "servicePrincipals", NULL,
};

static bool set_known(const char *s, size_t len, const char *const *sets)
{
	for (size_t i = 0; sets[i]; i++)
		if (strlen(sets[i]) == len && !strncasecmp(sets[i], s, len))
			return true;
	return false;
}

static int take_guid(const char *s, size_t len, char id[GUID_STR_LEN + 1])
{
	char buf[GUID_STR_LEN + 1];

	if (len != GUID_STR_LEN)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!guid_valid(buf))
		return -1;
	guid_lower(buf, id);
	return 0;
}

/* "<set>('<guid>')" or "<set>(<guid>)" as one segment of @len bytes. */
static int parse_key_segment(const char *s, size_t len, const char *const *sets,
                             char id[GUID_STR_LEN + 1])
{
	const char *open = memchr(s, '(', len);
	const char *key;
	size_t klen;

	if (!open || s[len - 1] != ')')
		return -1;
	if (!set_known(s, (size_t)(open - s), sets))
		return -1;
	key = open + 1;
	klen = (size_t)(s + len - 1 - key);
	if (klen >= 2 && key[0] == '\'' && key[klen - 1] == '\'') {
		key++;
		klen -= 2;
	}
	return take_guid(key, klen, id);
}

/* Start of the path: after "scheme://host", or @url itself when relative. */
static const char *path_start(const char *url)
{
	const char *p = strstr(url, "://");

	if (!p)
		return url;
	p = strchr(p + 3, '/');
	return p ? p : url + strlen(url);
}

int odata_ref_parse(const char *url, const char *const *sets, char id[GUID_STR_LEN + 1])
{
	const char *path, *end, *last, *prev;
	size_t len = url ? strlen(url) : 0;

	if (!len || len > REF_URL_MAX || strpbrk(url, "?# "))
		return -1;
	path = path_start(url);
	end = url + len;
	/* Drop a trailing type segment of the v2 directory URL shape. */
	last = end;
	while (last > path && last[-1] != '/')
		last--;
	if (last > path && (size_t)(end - last) > strlen(DS_SUFFIX) &&
	    !strncasecmp(last, DS_SUFFIX, strlen(DS_SUFFIX))) {
		end = last - 1;
		last = end;
		while (last > path && last[-1] != '/')
			last--;
	}
	if (last == end)
		return -1;
	if (end[-1] == ')')
		return parse_key_segment(last, (size_t)(end - last), sets, id);
	if (last == path)
		return -1;
	prev = last - 1;
	while (prev > path && prev[-1] != '/')
		prev--;
	if (!set_known(prev, (size_t)(last - 1 - prev), sets))
		return -1;
	return take_guid(last, (size_t)(end - last), id);
}

/*
 * The key of a reference to a known collection by a userPrincipalName
 * (".../users/bob@contoso.com", ".../users('bob@contoso.com')"), into @key.
 * 0, or -1 when @url is not such a reference.
 */
static int other_key(const char *url, const char *const *sets, char *key, size_t len)
{
	const char *path = path_start(url), *end = url + strlen(url), *last, *prev;
	size_t n;

	last = end;
	while (last > path && last[-1] != '/')
		last--;
	if (last == end || last == path || strpbrk(url, "?# "))
		return -1;
	if (end[-1] == ')') {
		const char *open = memchr(last, '(', (size_t)(end - last));

		if (!open || !set_known(last, (size_t)(open - last), sets))
			return -1;
		last = open + 1;
		end--;
		if (end - last >= 2 && *last == '\'' && end[-1] == '\'') {
			last++;
			end--;
		}
	} else {
		prev = last - 1;
		while (prev > path && prev[-1] != '/')
			prev--;
		if (!set_known(prev, (size_t)(last - 1 - prev), sets))
			return -1;
	}
	n = (size_t)(end - last);
	/* Only a userPrincipalName: other malformed keys stay "Invalid object
	 * identifier" (graph-spec §5.4 tells the two apart). */
	if (!n || n >= len || !memchr(last, '@', n))
		return -1;
	memcpy(key, last, n);
	key[n] = '\0';
	return 0;
}

static int invalid_value(struct resp *resp, const json_t *v)
{
	char *text;
	int rc;

	if (json_is_string(v))
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid object identifier '%s'.",
		                  json_string_value(v));
	text = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	rc = resp_error(resp, GERR_REQUEST_BAD_REQUEST, "Invalid object identifier '%s'.",
	                text ? text : "");
	free(text);
	return rc;
}

int odata_ref_body(const json_t *body, const char *const *sets, struct resp *resp,
                   char id[GUID_STR_LEN + 1])
{
	char key[REF_URL_MAX + 1];
	const char *name;
	json_t *v;

	json_object_foreach((json_t *)body, name, v)
	{
		/* other annotations ("@odata.type": "#microsoft.graph.referenceCreate"
		 * from an SDK's model) say nothing of the reference */
		if (name[0] != '@')
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Invalid object identifier '%s'.", name);
	}
	v = json_object_get(body, "@odata.id");
	if (json_is_string(v) && !odata_ref_parse(json_string_value(v), sets, id))
		return 0;
	/* A key that is no object id (a userPrincipalName): Graph's 404 quoting
	 * the key (microsoft-graph-docs#8637). */
	if (json_is_string(v) && !other_key(json_string_value(v), sets, key, sizeof(key)))
		return resp_not_found(resp, key);
	return invalid_value(resp, v);
}

int odata_ref_bind(const json_t *arr, const char *prop, const char *const *sets,
                   char (*ids)[GUID_STR_LEN + 1], size_t max, size_t *n,
                   struct resp *resp)
{
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "The property '%s' must be an array of reference URLs.",
		                  prop);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "The property '%s' must be an array of reference URLs.",
			    prop);
		if (*n >= max)
			return resp_error(
			    resp, GERR_REQUEST_BAD_REQUEST,
			    "A maximum of %zu references can be added in a single "
			    "request.",
			    max);
		if (odata_ref_parse(json_string_value(v), sets, ids[*n]))
			return invalid_value(resp, v);
		(*n)++;
	}
	return 0;
}
