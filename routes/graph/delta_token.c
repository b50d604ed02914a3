/*
 * routes/graph/delta_token.c - delta tokens (delta.h): the state as compact
 * JSON, a checksum keyed with the tenant id, base64url around both.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/util/b64.h"
#include "delta.h"

#define TOKEN_MAX 8192

void delta_state_release(struct delta_state *s)
{
	for (size_t i = 0; i < s->nselect; i++)
		free(s->select[i]);
	s->nselect = 0;
}

/* FNV-1a over the payload and the tenant id: catches edits, not attackers. */
static uint64_t checksum(const char *text, size_t len, const char *tenant_id)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 0x100000001b3ULL;
	for (const char *p = tenant_id; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h;
}

static json_t *state_json(const struct delta_state *s)
{
	char epoch[17];
	json_t *sel = json_array(), *ids = json_array();

	for (size_t i = 0; sel && i < s->nselect; i++)
		json_array_append_new(sel, json_string(s->select[i]));
	for (size_t i = 0; ids && i < s->nids; i++)
		json_array_append_new(ids, json_string(s->ids[i]));
	snprintf(epoch, sizeof(epoch), "%016" PRIx64, s->epoch);
	json_t *j =
	    json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:i, s:o, s:o}", "v", 1,
	              "m", s->mode == DELTA_INITIAL ? "i" : "c", "e", epoch, "f",
	              (json_int_t)s->from, "t", (json_int_t)s->to, "a",
	              (json_int_t)s->after, "n", (json_int_t)s->issued_ms, "k",
	              state_dobj_kind_name(s->kind), "p", s->page, "s", sel, "d", ids);
	/* a group's members continued on the next page */
	if (j && s->member_seq &&
	    (json_object_set_new(j, "ms", json_integer((json_int_t)s->member_seq)) ||
	     json_object_set_new(j, "ma", json_string(s->member_after)))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

char *delta_token_encode(const struct delta_state *s, const char *tenant_id)
{
	json_t *j = state_json(s);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	char *signed_text = NULL, *out = NULL;
	size_t len;

	json_decref(j);
	if (!text)
		return NULL;
	len = strlen(text) + 18;
	signed_text = malloc(len);
	if (signed_text) {
		snprintf(signed_text, len, "%s.%016" PRIx64, text,
		         checksum(text, strlen(text), tenant_id));
		out = b64url_encode(signed_text, strlen(signed_text));
	}
	free(signed_text);
	free(text);
	return out;
}

static uint64_t u64_member(const json_t *j, const char *key, bool *ok)
{
	const json_t *v = json_object_get(j, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		*ok = false;
	return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}

/* The decoded JSON into @s. 0 or -1. */
static int state_from_json(const json_t *j, struct delta_state *s)
{
	const char *mode = json_string_value(json_object_get(j, "m"));
	const char *epoch = json_string_value(json_object_get(j, "e"));
	const json_t *sel = json_object_get(j, "s"), *ids = json_object_get(j, "d");
	int kind = state_dobj_kind_parse(json_string_value(json_object_get(j, "k")));
	json_int_t page = json_integer_value(json_object_get(j, "p"));
	bool ok = true;
	char *end;
	size_t i;
	json_t *v;

	if (json_integer_value(json_object_get(j, "v")) != 1 || !mode || !epoch ||
	    strlen(epoch) != 16 || kind < 0 || page < 1 || page > 999 ||
	    !json_is_array(sel) || json_array_size(sel) > DELTA_MAX_SELECT ||
	    !json_is_array(ids) || json_array_size(ids) > DELTA_MAX_IDS)
		return -1;
	s->mode = !strcmp(mode, "i") ? DELTA_INITIAL : DELTA_CHANGES;
	s->kind = (enum dobj_kind)kind;
	s->epoch = strtoull(epoch, &end, 16);
	s->from = u64_member(j, "f", &ok);
	s->to = u64_member(j, "t", &ok);
	s->after = u64_member(j, "a", &ok);
	s->issued_ms = (int64_t)u64_member(j, "n", &ok);
	s->page = (int)page;
	if (json_object_get(j, "ms")) {
		const char *after = json_string_value(json_object_get(j, "ma"));

		s->member_seq = u64_member(j, "ms", &ok);
		if (!after || (*after && !guid_valid(after)))
			return -1;
		snprintf(s->member_after, sizeof(s->member_after), "%s", after);
	}
	if (*end || !ok)
		return -1;
	json_array_foreach(sel, i, v)
	{
		if (!json_is_string(v))
			return -1;
		s->select[s->nselect] = strdup(json_string_value(v));
		if (!s->select[s->nselect])
			return -1;
		s->nselect++;
	}
	json_array_foreach(ids, i, v)
	{
		if (!guid_valid(json_string_value(v)))
			return -1;
		guid_lower(json_string_value(v), s->ids[s->nids++]);
	}
	return 0;
}

int delta_token_decode(const char *token, const char *tenant_id, struct delta_state *s)
{
	size_t len = strlen(token), n;
	unsigned char *raw;
	char *dot, *end;
	json_t *j = NULL;
	uint64_t sum;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (!len || len > TOKEN_MAX)
		return -1;
	raw = b64_decode(token, len, &n);
	if (!raw)
		return -1;
	dot = strrchr((char *)raw, '.');
	if (!dot || strlen(dot + 1) != 16 || strlen((char *)raw) != n)
		goto out;
	sum = strtoull(dot + 1, &end, 16);
	if (*end || sum != checksum((char *)raw, (size_t)(dot - (char *)raw), tenant_id))
		goto out;
	*dot = '\0';
	j = json_loads((char *)raw, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(j) && state_from_json(j, s) == 0)
		rc = 0;
out:
	if (rc)
		delta_state_release(s);
	json_decref(j);
	free(raw);
	return rc;
}
