/*
 * server/odata/odata_search.c - $search for directory objects: quoted
 * "property:term" clauses joined by upper-case AND / OR, matched as Graph's
 * tokenized prefix search (graph-spec §4.5).
 */
#include <stdlib.h>
#include <string.h>

#include "odata.h"
#include "odata_filter.h"
#include "odata_query.h"

struct search_clause {
	const struct odata_prop *prop;
	char *term;
	bool or_next; /* an OR (not AND) follows this clause */
};

struct odata_search {
	struct search_clause c[ODATA_SEARCH_MAX_TERM];
	size_t n;
};

void odata_search_free(struct odata_search *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->c[i].term);
	free(s);
}

static bool is_token_char(unsigned char c)
{
	/* Bytes >= 0x80 are part of UTF-8 letters: keep them inside tokens. */
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static int bad_search(struct odata_err *err, const char *text, const char *why)
{
	return odata_err_set(err, GERR_BAD_REQUEST,
	                     "Invalid $search value '%.200s%s': %s", text,
	                     strlen(text) > 200 ? "..." : "", why);
}

/* One "prop:term" clause starting at the opening quote @*s. */
static int parse_clause(struct odata_search *s, const char *text, const char **at,
                        const struct odata_entity *entity, struct odata_err *err)
{
	const char *p = *at + 1, *close = strchr(p, '"'), *colon;
	struct search_clause *c = &s->c[s->n];
	char name[129];
	size_t n;

	if (!close)
		return bad_search(err, text, "missing closing '\"'.");
	colon = memchr(p, ':', (size_t)(close - p));
	if (!colon)
		return bad_search(err, text,
		                  "each clause must look like \"property:value\".");
	n = (size_t)(colon - p);
	if (!n || n >= sizeof(name))
		return bad_search(err, text, "missing property name before ':'.");
	memcpy(name, p, n);
	name[n] = '\0';
	c->prop = odata_entity_prop(entity, name);
	if (!c->prop)
		return odata_err_set(err, GERR_BAD_REQUEST,
		                     "Could not find a property named '%s' on type '%s'.",
		                     name, odata_type_short(entity));
	if (!(c->prop->flags & OP_SEARCH))
		return odata_err_set(err, GERR_UNSUPPORTED_QUERY,
		                     "Unsupported or invalid search clause specified for "
		                     "property '%s' of resource '%s'.",
		                     c->prop->name,
		                     entity->type_name ? entity->type_name : "");
	n = (size_t)(close - colon - 1);
	c->term = malloc(n + 1);
	if (!c->term)
		return odata_err_set(err, GERR_INTERNAL, "Out of memory.");
	memcpy(c->term, colon + 1, n);
	c->term[n] = '\0';
	s->n++;
	if (!n || !is_token_char((unsigned char)c->term[0]))
		return bad_search(err, text, "empty search term.");
	*at = close + 1;
	return 0;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

struct odata_search *odata_search_parse(const char *text,
                                        const struct odata_entity *entity,
                                        struct odata_err *err)
{
	struct odata_search *s;
	const char *p = skip_ws(text);

	if (strlen(text) > ODATA_SEARCH_MAX_LEN) {
		bad_search(err, text, "too long.");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		odata_err_set(err, GERR_INTERNAL, "Out of memory.");
		return NULL;
	}
	for (;;) {
		if (*p != '"') {
			bad_search(err, text,
			           "clauses must be enclosed in double quotes.");
			goto out_free;
		}
		if (s->n == ODATA_SEARCH_MAX_TERM) {
			bad_search(err, text, "too many clauses.");
			goto out_free;
		}
		if (parse_clause(s, text, &p, entity, err))
			goto out_free;
		p = skip_ws(p);
		if (!*p)
			return s;
		if (!strncmp(p, "OR", 2) && strchr(" \"", p[2])) {
			s->c[s->n - 1].or_next = true;
		} else if (strncmp(p, "AND", 3) || !strchr(" \"", p[3])) {
			bad_search(err, text, "clauses must be joined by AND or OR.");
			goto out_free;
		}
		p = skip_ws(p + (s->c[s->n - 1].or_next ? 2 : 3));
	}
out_free:
	odata_search_free(s);
	return NULL;
}

/* Does some token of @v start with @term (itself possibly several tokens)? */
static bool token_prefix(const char *v, size_t vlen, const char *term)
{
	size_t i = 0;

	while (i < vlen) {
		size_t start, k = 0;

		while (i < vlen && !is_token_char((unsigned char)v[i]))
			i++;
		start = i;
		while (i < vlen && is_token_char((unsigned char)v[i]))
			i++;
		/* Match the term from this token on; punctuation in it matches any
		 * separator. */
		while (term[k] && start + k < vlen) {
			unsigned char a = (unsigned char)term[k],
			              b = (unsigned char)v[start + k];

			if (is_token_char(a) != is_token_char(b))
				break;
			if (is_token_char(a) &&
			    odata_strncasecmp((const char *)&a, (const char *)&b, 1))
				break;
			k++;
		}
		if (i > start && !term[k])
			return true;
	}
	return false;
}

static bool clause_match(const struct search_clause *c, const json_t *obj)
{
	const json_t *v = json_object_get(obj, c->prop->name);
	size_t i;

	if (json_is_string(v))
		return token_prefix(json_string_value(v), json_string_length(v), c->term);
	for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
		const json_t *e = json_array_get(v, i);

		if (json_is_string(e) &&
		    token_prefix(json_string_value(e), json_string_length(e), c->term))
			return true;
	}
	return false;
}

void odata_search_members(const struct odata_search *s, struct odata_members *m)
{
	for (size_t i = 0; s && i < s->n; i++)
		odata_members_add(m, s->c[i].prop ? s->c[i].prop->name : NULL);
}

bool odata_search_eval(const struct odata_search *s, const json_t *obj)
{
	bool group = true;
	size_t i;

	if (!s)
		return true;
	for (i = 0; i < s->n; i++) {
		group = group && clause_match(&s->c[i], obj);
		if (s->c[i].or_next || i + 1 == s->n) {
			if (group)
				return true;
			group = true;
		}
	}
	return false;
}
