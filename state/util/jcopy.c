/*
 * state/util/jcopy.c - copies of stored JSON that share their scalars (see
 * jcopy.h).
 */
#include "jcopy.h"

static json_t *copy_object(const json_t *v)
{
	json_t *out = json_object();
	const char *key;
	size_t len;
	json_t *member;

	if (!out)
		return NULL;
	json_object_keylen_foreach((json_t *)v, key, len, member)
	{
		if (json_object_setn_new_nocheck(out, key, len, jcopy_shared(member))) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static json_t *copy_array(const json_t *v)
{
	json_t *out = json_array();
	size_t i;
	json_t *item;

	if (!out)
		return NULL;
	json_array_foreach((json_t *)v, i, item)
	{
		if (json_array_append_new(out, jcopy_shared(item))) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

json_t *jcopy_shared(const json_t *v)
{
	if (json_is_object(v))
		return copy_object(v);
	if (json_is_array(v))
		return copy_array(v);
	return json_incref((json_t *)v);
}
