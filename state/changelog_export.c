/*
 * state/changelog_export.c - the change log in the state export and back:
 * epoch, positions and entries, so delta tokens stay valid across a save
 * and load (state/changelog.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changelog.h"
#include "changelog_internal.h"

static json_t *change_export(const struct change *c)
{
	char at[TIME_ISO_LEN];
	json_t *j, *props;

	time_format(c->at_ms, TIME_FRACTION_Z, at);
	j = json_pack("{s:I, s:s, s:s, s:s, s:s}", "seq", (json_int_t)c->seq, "at", at,
	              "op", changelog_op_names[c->op], "kind",
	              state_dobj_kind_name(c->kind), "id", c->id);
	if (!j)
		return NULL;
	if (changelog_member_op(c->op) &&
	    (json_object_set_new(j, "memberKind",
	                         json_string(state_dobj_kind_name(c->member_kind))) ||
	     json_object_set_new(j, "memberId", json_string(c->member_id))))
		goto out_free;
	if (c->op != CHANGE_UPDATED)
		return j;
	if (c->all_props)
		return json_object_set_new(j, "allProperties", json_true()) ? NULL : j;
	props = json_array();
	if (json_object_set_new(j, "properties", props))
		goto out_free;
	for (size_t i = 0; i < c->nprops; i++)
		if (json_array_append_new(props, json_string(c->props[i])))
			goto out_free;
	return j;

out_free:
	json_decref(j);
	return NULL;
}

json_t *state_changelog_export(const struct tenant *t)
{
	const struct changelog *log = t->changes;
	char epoch[17];
	json_t *out, *arr;

	if (!log || !log->used)
		return NULL;
	snprintf(epoch, sizeof(epoch), "%016llx", (unsigned long long)log->epoch);
	arr = json_array();
	out = json_pack("{s:s, s:I, s:I, s:I, s:o}", "epoch", epoch, "lastSeq",
	                (json_int_t)log->last_seq, "floorSeq", (json_int_t)log->floor_seq,
	                "maxEntries", (json_int_t)log->max_entries, "entries", arr);
	if (!out)
		return NULL;
	for (size_t i = 0; i < log->n; i++)
		if (json_array_append_new(arr, change_export(&log->v[i]))) {
			json_decref(out);
			return NULL;
		}
	return out;
}

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
	snprintf(err, errlen, "%s.changeLog%s", path, what);
	return -1;
}

static int parse_op(const char *s, enum change_op *op)
{
	for (size_t i = 0; i < CHANGE_OP_COUNT; i++)
		if (s && !strcmp(s, changelog_op_names[i])) {
			*op = (enum change_op)i;
			return 0;
		}
	return -1;
}

/* One entry of the export into @c (zeroed first). 0 or -1. */
static int change_load(const json_t *j, uint64_t after, struct change *c)
{
	const json_t *props = json_object_get(j, "properties");
	const char *id = json_string_value(json_object_get(j, "id"));
	const char *mid = json_string_value(json_object_get(j, "memberId"));
	json_int_t seq = json_integer_value(json_object_get(j, "seq"));
	int kind = state_dobj_kind_parse(json_string_value(json_object_get(j, "kind")));

	memset(c, 0, sizeof(*c));
	if (seq <= 0 || (uint64_t)seq <= after || !guid_valid(id) || kind < 0 ||
	    parse_op(json_string_value(json_object_get(j, "op")), &c->op) ||
	    time_parse_iso(json_string_value(json_object_get(j, "at")), &c->at_ms))
		return -1;
	c->seq = (uint64_t)seq;
	c->kind = (enum dobj_kind)kind;
	guid_lower(id, c->id);
	if (changelog_member_op(c->op)) {
		int mk = state_dobj_kind_parse(
		    json_string_value(json_object_get(j, "memberKind")));
		if (mk < 0 || !guid_valid(mid))
			return -1;
		c->member_kind = (enum dobj_kind)mk;
		guid_lower(mid, c->member_id);
	}
	c->all_props = json_is_true(json_object_get(j, "allProperties"));
	if (c->op == CHANGE_UPDATED && !c->all_props) {
		const char *names[256];
		size_t n = 0, i;
		json_t *p;

		if (!json_is_array(props) || json_array_size(props) > 256)
			return -1;
		json_array_foreach(props, i, p)
		{
			if (!json_is_string(p))
				return -1;
			names[n++] = json_string_value(p);
		}
		return changelog_props_set(c, names, n);
	}
	return 0;
}

int state_changelog_load(struct state *st, struct tenant *t, const json_t *j,
                         const char *path, char *err, size_t errlen)
{
	const char *epoch = json_string_value(json_object_get(j, "epoch"));
	const json_t *arr = json_object_get(j, "entries");
	json_int_t last = json_integer_value(json_object_get(j, "lastSeq"));
	json_int_t floor = json_integer_value(json_object_get(j, "floorSeq"));
	json_int_t max = json_integer_value(json_object_get(j, "maxEntries"));
	struct changelog *log;
	char *end;
	size_t i;
	json_t *e;

	if (!j)
		return 0;
	if (!json_is_object(j) || !epoch || strlen(epoch) != 16 || !json_is_array(arr) ||
	    last < 0 || floor < 0 || floor > last || max < CHANGELOG_MIN_MAX)
		return fail(err, errlen, path,
		            ": must be {\"epoch\": 16 hex digits, \"lastSeq\", "
		            "\"floorSeq\", \"maxEntries\", \"entries\": [...]}");
	log = state_changelog(st, t);
	if (!log)
		return fail(err, errlen, path, ": out of memory");
	log->epoch = strtoull(epoch, &end, 16);
	if (*end)
		return fail(err, errlen, path, ".epoch: must be 16 hex digits");
	log->floor_seq = (uint64_t)floor;
	log->max_entries = (size_t)max;
	json_array_foreach(arr, i, e)
	{
		struct change c;
		char what[64];

		if (change_load(e, log->n ? log->v[log->n - 1].seq : log->floor_seq,
		                &c) ||
		    (uint64_t)c.seq > (uint64_t)last) {
			snprintf(what, sizeof(what), ".entries[%zu]: bad entry", i);
			return fail(err, errlen, path, what);
		}
		if (changelog_grow((void **)&log->v, log->n, &log->cap,
		                   sizeof(*log->v))) {
			changelog_change_release(&c);
			return fail(err, errlen, path, ": out of memory");
		}
		log->v[log->n++] = c;
	}
	log->last_seq = (uint64_t)last;
	return 0;
}
