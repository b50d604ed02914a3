/*
 * server/export_stream.c - the export as a sequence of pieces (see the
 * header). The text is compact JSON with one object per line in the big
 * arrays, so a state file stays readable with grep and diff.
 */
#include "export_stream.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../state/frozen.h"
#include "../state/load/export.h"
#include "../state/load/tenants.h"
#include "../state/state.h"
#include "core/jwriter.h"
#include "core/resp.h"

struct export_stream {
	struct state *st;
	struct tenant **tenants; /* referenced when the stream began */
	size_t n, next;
	json_t *templates; /* the gallery, referenced */
	int stage;         /* 0 head, 1 tenants, 2 tail, 3 done */
	FILE *sink;        /* export_stream_write(): text goes here as it grows */
	bool sink_failed;
};

/* Past this much text, export_stream_write() hands it to the file. */
#define SINK_CHUNK ((size_t)4 << 20)

static void flush(struct export_stream *es, struct buf *out, size_t at_least)
{
	if (!es->sink || out->len < at_least || out->failed)
		return;
	if (fwrite(out->data, 1, out->len, es->sink) != out->len)
		es->sink_failed = true;
	out->len = 0;
	out->data[0] = '\0';
}

struct export_stream *export_stream_new(struct state *st)
{
	struct export_stream *es = calloc(1, sizeof(*es));
	size_t n = 0;

	if (!es)
		return NULL;
	es->st = st;
	state_registry_read(st);
	es->tenants = malloc((HASH_COUNT(st->tenants) + 1) * sizeof(*es->tenants));
	if (es->tenants)
		for (struct tenant *t = st->tenants; t; t = t->hh.next) {
			state_tenant_get(t);
			es->tenants[n++] = t;
		}
	es->n = n;
	es->templates = json_incref(st->templates);
	state_registry_unlock(st);
	if (!es->tenants) {
		export_stream_free(es);
		return NULL;
	}
	return es;
}

void export_stream_free(struct export_stream *es)
{
	if (!es)
		return;
	for (size_t i = es->next; i < es->n; i++)
		state_tenant_put(es->tenants[i]);
	free(es->tenants);
	json_decref(es->templates);
	free(es);
}

/*
 * @v (a snapshot of tenant @t's export) with each element of its array
 * members on a line of its own. A user still frozen (state/frozen.h) is
 * written as its text with the defaults it lacks, as it will read once
 * used; the rare one that text cannot complete (state_export_frozen_user())
 * is parsed for its line and dropped again.
 */
static void write_tenant(struct export_stream *es, struct buf *out, struct tenant *t,
                         const json_t *v)
{
	const char *key;
	json_t *member;
	bool first = true;

	buf_addch(out, '{');
	json_object_foreach((json_t *)v, key, member)
	{
		if (!first)
			buf_addch(out, ',');
		first = false;
		const char *text;
		size_t len;
		if (state_frozen_text(member, &text, &len)) { /* an array's text */
			buf_addch(out, '\n');
			jwriter_key(out, key);
			buf_add(out, text, len);
			flush(es, out, SINK_CHUNK);
			continue;
		}
		if (!json_is_array(member)) {
			jwriter_key(out, key);
			jwriter_value(out, member);
			continue;
		}
		buf_addch(out, '\n');
		jwriter_key(out, key);
		buf_addch(out, '[');
		for (size_t i = 0; i < json_array_size(member); i++) {
			const json_t *item = json_array_get(member, i);
			json_t *thawed = NULL;

			buf_add(out, i ? ",\n" : "\n", i ? 2 : 1);
			if (!state_export_frozen_user(item, out)) { /* as text */
				flush(es, out, SINK_CHUNK);
				continue;
			}
			if (state_frozen_text(item, &(const char *){0}, &(size_t){0})) {
				thawed = state_frozen_thaw(es->st, t, DOBJ_USER, item);
				if (!thawed) {
					out->failed = true; /* out of memory: no 200 */
					break;
				}
				item = thawed;
			}
			jwriter_value(out, item);
			json_decref(thawed);
			flush(es, out, SINK_CHUNK);
		}
		buf_addch(out, ']');
	}
	buf_addch(out, '}');
}

/*
 * One tenant: a snapshot taken under its lock, rendered after it. Its own
 * requests wait only for the snapshot (their turn on the admin thread, as
 * t->busy says meanwhile), not for the rendering: a million users' text
 * takes seconds. A frozen user is completed outside the lock, which is safe:
 * completing one reads nothing of the tenant (it has its id and creation
 * time, and a password was hashed before it was kept: fixture_read.c).
 */
static int write_one(struct export_stream *es, struct buf *out)
{
	struct tenant *t = es->tenants[es->next];
	json_t *doc;

	atomic_fetch_add(&t->busy, 1); /* its requests wait elsewhere meanwhile */
	state_tenant_lock(t);
	doc = state_export_tenant_snapshot(t);
	state_tenant_unlock(t);
	atomic_fetch_sub(&t->busy, 1);
	if (doc) {
		if (es->next)
			buf_add(out, ",\n", 2);
		write_tenant(es, out, t, doc);
		/* Dropped under the lock again: it shares scalars with the store,
		 * and when this is the last reference, only the lock orders the free
		 * after the other threads' reads (jansson's decrement is release
		 * only; TSan reports it). A few hundred ms at a million users. */
		state_tenant_lock(t);
		json_decref(doc);
		state_tenant_unlock(t);
	}
	/* Done with it: its memory may go now if the registry let go of it. */
	state_tenant_put(t);
	es->tenants[es->next++] = NULL;
	return doc && !out->failed && !es->sink_failed ? 0 : -1;
}

int export_stream_write(struct export_stream *es, FILE *f, size_t *written)
{
	struct buf w;
	int more;
	long start = ftell(f);

	es->sink = f;
	do {
		buf_init(&w, RESP_TEXT_MAX);
		more = export_stream_next(es, &w);
		if (more >= 0)
			flush(es, &w, 0);
		buf_release(&w);
	} while (more > 0 && !es->sink_failed);
	es->sink = NULL;
	if (more < 0 || es->sink_failed || fflush(f))
		return -1;
	*written = (size_t)(ftell(f) - start);
	return 0;
}

int export_stream_next(struct export_stream *es, struct buf *out)
{
	switch (es->stage) {
	case 0:
		buf_addstr(out, "{\"tenants\":[\n");
		es->stage = es->n ? 1 : 2;
		break;
	case 1:
		if (write_one(es, out))
			return -1;
		if (es->next == es->n)
			es->stage = 2;
		break;
	case 2:
		buf_addstr(out, "\n],\n\"applicationTemplates\":");
		jwriter_value(out, es->templates);
		buf_addstr(out, "}\n");
		es->stage = 3;
		return out->failed ? -1 : 0;
	default:
		return 0;
	}
	return out->failed ? -1 : 1;
}
