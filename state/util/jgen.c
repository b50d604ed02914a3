/*
 * state/util/jgen.c - a jansson tree walked into yajl's generator (see
 * jgen.h for what is left to jansson, and why).
 */
#include "jgen.h"

#include <string.h>
#include <yajl/yajl_gen.h>

#include "buf.h"

static void print(void *ctx, const char *s, size_t n)
{
	buf_add(ctx, s, n);
}

/* Would jansson's dump take these @n bytes? Plain ASCII always; anything
 * else is judged by jansson's own UTF-8 check (json_stringn's, the one its
 * dump makes too). */
static bool dumpable(const char *s, size_t n)
{
	size_t plain = 0;
	json_t *v;

	while (plain < n && (unsigned char)s[plain] < 0x80)
		plain++;
	if (plain == n)
		return true;
	v = json_stringn(s, n);
	json_decref(v);
	return v != NULL;
}

static bool string(yajl_gen g, const char *s, size_t n)
{
	return dumpable(s, n) &&
	       yajl_gen_string(g, (const unsigned char *)s, n) == yajl_gen_status_ok;
}

/* A number as jansson writes it ("%lld", or its own way with reals). */
static bool number(yajl_gen g, const json_t *v)
{
	char text[128];
	size_t n = json_dumpb(v, text, sizeof(text), JSON_ENCODE_ANY);

	return n && n <= sizeof(text) &&
	       yajl_gen_number(g, text, n) == yajl_gen_status_ok;
}

static bool value(yajl_gen g, const json_t *v);

static bool object(yajl_gen g, const json_t *v)
{
	json_t *o = (json_t *)v; /* the iterator API takes no const */

	if (yajl_gen_map_open(g) != yajl_gen_status_ok)
		return false; /* deeper than yajl goes */
	for (void *it = json_object_iter(o); it; it = json_object_iter_next(o, it)) {
		if (!string(g, json_object_iter_key(it), json_object_iter_key_len(it)) ||
		    !value(g, json_object_iter_value(it)))
			return false;
	}
	return yajl_gen_map_close(g) == yajl_gen_status_ok;
}

static bool array(yajl_gen g, const json_t *v)
{
	size_t n = json_array_size(v);

	if (yajl_gen_array_open(g) != yajl_gen_status_ok)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!value(g, json_array_get(v, i)))
			return false;
	}
	return yajl_gen_array_close(g) == yajl_gen_status_ok;
}

static bool value(yajl_gen g, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return object(g, v);
	case JSON_ARRAY:
		return array(g, v);
	case JSON_STRING:
		return string(g, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
	case JSON_REAL:
		return number(g, v);
	case JSON_TRUE:
	case JSON_FALSE:
		return yajl_gen_bool(g, json_is_true(v)) == yajl_gen_status_ok;
	case JSON_NULL:
		return yajl_gen_null(g) == yajl_gen_status_ok;
	}
	return false;
}

bool jgen_compact(const json_t *v, struct buf *out)
{
	yajl_gen g;
	bool ok;

	if (!json_is_object(v) && !json_is_array(v))
		return false; /* json_dumps() writes containers only */
	g = yajl_gen_alloc(NULL);
	if (!g)
		return false;
	/* compact (no beautify), '/' as it is, no UTF-8 check of yajl's own:
	 * its defaults, which are json_dumps' choices */
	ok = yajl_gen_config(g, yajl_gen_print_callback, print, out) && value(g, v) &&
	     !out->failed;
	yajl_gen_free(g);
	return ok;
}
