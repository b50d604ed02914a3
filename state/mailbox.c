/*
 * state/mailbox.c - the per-tenant outbox: storing, finding and listing the
 * invitation emails, delayed visibility, export and import.
 */
#include "mailbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void state_mail_remove(struct tenant *t, struct mail_message *m)
{
	HASH_DEL(t->mailbox, m);
	json_decref(m->obj);
	free(m);
}

void state_mailbox_clear(struct tenant *t)
{
	struct mail_message *m, *tmp;

	HASH_ITER(hh, t->mailbox, m, tmp) state_mail_remove(t, m);
}

struct mail_message *state_mail_add(struct state *st, struct tenant *t, json_t *obj,
                                    int64_t visible_at_ms)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	struct mail_message *m, *check;

	if (!guid_valid(id))
		goto out_put_obj;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto out_put_obj;
	guid_lower(id, m->id);
	HASH_FIND_STR(t->mailbox, m->id, check);
	if (check) {
		free(m);
		goto out_put_obj;
	}
	m->seq = ++t->mail_seq;
	m->visible_at_ms = visible_at_ms;
	m->obj = obj;
	HASH_ADD_STR(t->mailbox, id, m);
	HASH_FIND_STR(t->mailbox, m->id, check);
	if (check != m) {
		free(m);
		goto out_put_obj;
	}
	/* uthash keeps insertion order, so the head is the oldest message. */
	while (HASH_COUNT(t->mailbox) > MAILBOX_MAX)
		state_mail_remove(t, t->mailbox);
	(void)st;
	return m;

out_put_obj:
	json_decref(obj);
	return NULL;
}

bool state_mail_visible(const struct state *st, const struct mail_message *m)
{
	return state_now_ms(st) >= m->visible_at_ms;
}

struct mail_message *state_mail_find(struct state *st, struct tenant *t, const char *id)
{
	char key[GUID_STR_LEN + 1];
	struct mail_message *m;

	if (!guid_valid(id))
		return NULL;
	guid_lower(id, key);
	HASH_FIND_STR(t->mailbox, key, m);
	return m && state_mail_visible(st, m) ? m : NULL;
}

int state_mail_list(struct state *st, struct tenant *t, struct mail_message ***out,
                    size_t *n)
{
	size_t cap = HASH_COUNT(t->mailbox), k = 0;
	struct mail_message **arr;

	*out = NULL;
	*n = 0;
	if (!cap)
		return 0;
	arr = malloc(cap * sizeof(*arr));
	if (!arr)
		return -1;
	for (struct mail_message *m = t->mailbox; m; m = m->hh.next)
		if (state_mail_visible(st, m))
			arr[k++] = m;
	for (size_t i = 0; i < k / 2; i++) {
		struct mail_message *tmp = arr[i];
		arr[i] = arr[k - 1 - i];
		arr[k - 1 - i] = tmp;
	}
	*out = arr;
	*n = k;
	return 0;
}

static bool list_has(const json_t *list, const char *addr)
{
	size_t i;
	json_t *r;

	json_array_foreach(list, i, r)
	{
		const char *a = json_string_value(json_object_get(r, "address"));
		if (a && !strcasecmp(a, addr))
			return true;
	}
	return false;
}

bool state_mail_addressed_to(const struct mail_message *m, const char *addr)
{
	return list_has(json_object_get(m->obj, "to"), addr) ||
	       list_has(json_object_get(m->obj, "cc"), addr);
}

json_t *state_mailbox_export(const struct tenant *t)
{
	json_t *arr = json_array();

	for (struct mail_message *m = t->mailbox; arr && m; m = m->hh.next)
		if (json_array_append_new(arr, json_pack("{s:O, s:I, s:b}", "message",
		                                         m->obj, "visibleAtMs",
		                                         (json_int_t)m->visible_at_ms,
		                                         "read", m->read))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

int state_mailbox_load(struct state *st, struct tenant *t, const json_t *arr,
                       const char *path, char *err, size_t errlen)
{
	size_t i;
	json_t *item;

	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "%s.mailbox: must be an array", path);
		return -1;
	}
	json_array_foreach(arr, i, item)
	{
		json_t *msg = json_object_get(item, "message");
		json_t *vis = json_object_get(item, "visibleAtMs");
		json_t *read = json_object_get(item, "read");
		struct mail_message *m;

		if (!json_is_object(item)) {
			snprintf(err, errlen, "%s.mailbox[%zu]: must be an object", path,
			         i);
			return -1;
		}
		if (!json_is_object(msg) ||
		    !guid_valid(json_string_value(json_object_get(msg, "id")))) {
			snprintf(err, errlen,
			         "%s.mailbox[%zu].message: must be an object with a GUID "
			         "\"id\"",
			         path, i);
			return -1;
		}
		if (vis && !json_is_integer(vis)) {
			snprintf(err, errlen,
			         "%s.mailbox[%zu].visibleAtMs: must be an integer", path,
			         i);
			return -1;
		}
		if (read && !json_is_boolean(read)) {
			snprintf(err, errlen, "%s.mailbox[%zu].read: must be a boolean",
			         path, i);
			return -1;
		}
		m = state_mail_add(st, t, json_deep_copy(msg),
		                   vis ? json_integer_value(vis) : 0);
		if (!m) {
			snprintf(
			    err, errlen,
			    "%s.mailbox[%zu].message.id: duplicate id or out of memory",
			    path, i);
			return -1;
		}
		m->read = json_is_true(read);
	}
	return 0;
}
