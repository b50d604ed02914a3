/*
 * server/odata/odata_util.c - small helpers the OData engine shares: the deferred
 * error record, allocation-free ASCII case-insensitive string matching,
 * DateTimeOffset parsing, and schema look-ups.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/req.h"
#include "../core/resp.h"
#include "odata.h"
#include "odata_util.h"

int odata_err_set(struct odata_err *err, enum gerr kind, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->msg[0])
		return -1;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (!err->msg[0])
		err->msg[0] = ' ';
	return -1;
}

static inline int fold(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int odata_strcasecmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && fold(*x) == fold(*y)) {
		x++;
		y++;
	}
	return fold(*x) - fold(*y);
}

int odata_strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = fold(x[i]) - fold(y[i]);

		if (d || !x[i])
			return d;
	}
	return 0;
}

static bool mem_eq_ci(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return false;
	}
	return true;
}

bool odata_starts_with_ci(const char *s, size_t slen, const char *pre, size_t plen)
{
	return plen <= slen && mem_eq_ci(s, pre, plen);
}

bool odata_ends_with_ci(const char *s, size_t slen, const char *suf, size_t sufl)
{
	return sufl <= slen && mem_eq_ci(s + slen - sufl, suf, sufl);
}

bool odata_contains_ci(const char *s, size_t slen, const char *needle, size_t nlen)
{
	size_t i;

	if (nlen > slen)
		return false;
	for (i = 0; i + nlen <= slen; i++) {
		if (mem_eq_ci(s + i, needle, nlen))
			return true;
	}
	return false;
}

const char *odata_type_short(const struct odata_entity *entity)
{
	const char *t = entity && entity->odata_type ? entity->odata_type : "";

	return *t == '#' ? t + 1 : t;
}

bool odata_is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

const struct odata_prop *odata_entity_prop(const struct odata_entity *entity,
                                           const char *name)
{
	const struct odata_prop *p;

	if (!entity || !entity->props || !name)
		return NULL;
	for (p = entity->props; p->name; p++) {
		if (!odata_strcasecmp(p->name, name))
			return p;
	}
	return NULL;
}

const char *odata_edm_type(enum odata_type type)
{
	switch (type) {
	case ODATA_STRING:
		return "Edm.String";
	case ODATA_BOOL:
		return "Edm.Boolean";
	case ODATA_INT:
		return "Edm.Int32";
	case ODATA_DATETIME:
		return "Edm.DateTimeOffset";
	case ODATA_GUID:
		return "Edm.Guid";
	case ODATA_STRING_COLLECTION:
		return "Collection(Edm.String)";
	case ODATA_OBJECT:
		return "microsoft.graph.complexType";
	case ODATA_OBJECT_COLLECTION:
		return "Collection(microsoft.graph.complexType)";
	}
	return "Edm.String";
}

bool odata_metadata_none(const struct req *req)
{
	const char *accept = req ? req_header(req, "accept") : NULL;
	const char *p;

	for (p = accept; p && (p = strstr(p, "odata.metadata")); p += 14) {
		const char *v = p + 14;

		while (*v == ' ')
			v++;
		if (*v++ != '=')
			continue;
		while (*v == ' ')
			v++;
		if (!odata_strncasecmp(v, "none", 4))
			return true;
	}
	return false;
}

/* Control information metadata=none keeps (OData JSON 4.01 §3.1.3). */
static bool kept(const char *key)
{
	return !strcmp(key, "@odata.nextLink") || !strcmp(key, "@odata.count") ||
	       !strcmp(key, "@odata.deltaLink");
}

void odata_strip_metadata(json_t *body)
{
	const char *key;
	json_t *v;
	void *tmp;
	size_t i;

	if (json_is_array(body)) {
		json_array_foreach(body, i, v) odata_strip_metadata(v);
		return;
	}
	json_object_foreach_safe(body, tmp, key, v)
	{
		if (!strncmp(key, "@odata.", 7) && !kept(key))
			json_object_del(body, key);
		else
			odata_strip_metadata(v);
	}
}

int odata_respond_body(const struct req *req, struct resp *resp, unsigned status,
                       json_t *body)
{
	if (!body)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	if (odata_metadata_none(req))
		odata_strip_metadata(body);
	return resp_odata(resp, status, body);
}
