/*
 * routes/graph/delta.c - delta queries (delta-query-overview, user-delta,
 * group-delta, serviceprincipal-delta, application-delta): GET
 * /{users,groups,servicePrincipals,applications}/delta in all four
 * spellings, a first sync paged through every object, then rounds of what
 * the tenant's change log (state/changelog.h) says changed since the token:
 * new and changed objects, "@removed" for deleted ones, members@delta for
 * groups. Tokens are delta.h's. docs/change-tracking.md lists the choices.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/changelog.h"
#include "../../state/deleted.h"
#include "../../state/util/buf.h"
#include "delta.h"
#include "entities.h"
#include "permissions.h"

#define DEFAULT_PAGE    200 /* "200 or fewer records" per users/delta page */
#define MSG_UNSUPPORTED "Unsupported Query."
#define MSG_BAD_TOKEN   "Badly formed token."
#define MSG_EXPIRED                                                                      \
	"The sync state generation is not found. The delta token is expired and data "   \
	"must be synchronized again."
#define MSG_RESYNC                                                                       \
	"The delta token is no longer valid, and the app must reset the sync state."

static const char *const sets[DOBJ_KIND_COUNT] = {
    [DOBJ_USER] = "users",
    [DOBJ_GROUP] = "groups",
    [DOBJ_SERVICE_PRINCIPAL] = "servicePrincipals",
    [DOBJ_APPLICATION] = "applications",
};

static const char *const odata_types[DOBJ_KIND_COUNT] = {
    [DOBJ_USER] = "#microsoft.graph.user",
    [DOBJ_GROUP] = "#microsoft.graph.group",
    [DOBJ_SERVICE_PRINCIPAL] = "#microsoft.graph.servicePrincipal",
    [DOBJ_APPLICATION] = "#microsoft.graph.application",
};

/* What one request asks, before the token says the rest. */
struct delta_req {
	const char *deltatoken; /* NULL, "" (first sync), "latest" or a token */
	const char *skiptoken;
	const char *select;
	const char *filter;
	const char *top;
	bool minimal; /* Prefer: return=minimal */
};

/* ---- request parsing ---- */

static int unsupported(struct call *c)
{
	return resp_error(c->resp, GERR_UNSUPPORTED_QUERY, MSG_UNSUPPORTED);
}

/* The first case-insensitive occurrence of @needle in @hay, or NULL. */
static const char *ci_find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return hay;
	return NULL;
}

static bool prefer_has(const struct req *req, const char *what)
{
	return ci_find(req_header(req, "prefer"), what) != NULL;
}

/* Prefer: odata.maxpagesize=N, 0 when absent. */
static int prefer_page(const struct req *req)
{
	const char *at = ci_find(req_header(req, "prefer"), "odata.maxpagesize=");
	long n;

	if (!at)
		return 0;
	n = strtol(at + 18, NULL, 10);
	return n >= 1 && n <= 999 ? (int)n : 0;
}

static int parse_options(struct call *c, struct delta_req *r)
{
	const struct req *req = c->req;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < req->nquery; i++) {
		const char *name = req->query[i].name;
		const char *v = req->query[i].value ? req->query[i].value : "";
		const char **slot = NULL;

		if (!name || name[0] != '$')
			continue;
		if (!strcasecmp(name, "$deltatoken"))
			slot = &r->deltatoken;
		else if (!strcasecmp(name, "$skiptoken"))
			slot = &r->skiptoken;
		else if (!strcasecmp(name, "$select"))
			slot = &r->select;
		else if (!strcasecmp(name, "$filter"))
			slot = &r->filter;
		else if (!strcasecmp(name, "$top"))
			slot = &r->top;
		else if (!strcasecmp(name, "$expand") || !strcasecmp(name, "$orderby") ||
		         !strcasecmp(name, "$count") || !strcasecmp(name, "$search") ||
		         !strcasecmp(name, "$skip"))
			return unsupported(c);
		else
			return resp_error(c->resp, GERR_BAD_REQUEST,
			                  "Query option '%.64s' is not supported.", name);
		if (*slot)
			return resp_error(
			    c->resp, GERR_BAD_REQUEST,
			    "Query option '%.64s' was specified more than once, "
			    "but it must be specified at most once.",
			    name);
		*slot = v;
	}
	/* "Delta queries with both $select and $skiptoken aren't supported." */
	if ((r->skiptoken && (r->select || r->deltatoken)))
		return unsupported(c);
	r->minimal = prefer_has(req, "return=minimal");
	return 0;
}

/* $select: names of the type (and "members" on groups). */
static int parse_select(struct call *c, const char *v, struct delta_state *s)
{
	const struct odata_entity *entity = entity_for_kind(s->kind);
	const char *p = v;

	delta_state_release(s);
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char name[128];
		const struct odata_prop *prop;

		while (n && (*p == ' ')) {
			p++;
			n--;
		}
		while (n && p[n - 1] == ' ')
			n--;
		if (!n || n >= sizeof(name) || s->nselect == DELTA_MAX_SELECT)
			return resp_error(c->resp, GERR_BAD_REQUEST,
			                  "Syntax error in $select.");
		memcpy(name, p, n);
		name[n] = '\0';
		prop = odata_entity_prop(entity, name);
		if (!prop && !(s->kind == DOBJ_GROUP && !strcasecmp(name, "members")))
			return resp_error(
			    c->resp, GERR_BAD_REQUEST,
			    "Could not find a property named '%s' on type '%s'.", name,
			    entity->odata_type + 1);
		s->select[s->nselect] = strdup(prop ? prop->name : "members");
		if (!s->select[s->nselect])
			return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
		s->nselect++;
		p = end ? end + 1 : p + strlen(p);
	}
	return 0;
}

/* After spaces, @word (any case) followed by a space or the end. */
static bool word_at(const char **p, const char *word)
{
	size_t n = strlen(word);

	while (**p == ' ')
		(*p)++;
	if (strncasecmp(*p, word, n) || ((*p)[n] && (*p)[n] != ' '))
		return false;
	*p += n;
	return true;
}

/* "id eq 'x' or id eq 'y' ...", the only filter delta takes. 0 or -1 (answered). */
static int parse_filter(struct call *c, const char *v, struct delta_state *s)
{
	const char *p = v;

	s->nids = 0;
	for (;;) {
		char id[GUID_STR_LEN + 1];
		bool quoted;

		if (!word_at(&p, "id") || !word_at(&p, "eq"))
			return unsupported(c);
		while (*p == ' ')
			p++;
		quoted = *p == '\'';
		p += quoted;
		if (strlen(p) < GUID_STR_LEN)
			return unsupported(c);
		memcpy(id, p, GUID_STR_LEN);
		id[GUID_STR_LEN] = '\0';
		p += GUID_STR_LEN;
		if (!guid_valid(id) || (quoted && *p++ != '\'') ||
		    s->nids == DELTA_MAX_IDS)
			return unsupported(c);
		guid_lower(id, s->ids[s->nids++]);
		while (*p == ' ')
			p++;
		if (!*p)
			return 0;
		if (!word_at(&p, "or"))
			return unsupported(c);
	}
}

/* ---- answers ---- */

static int token_error(struct call *c, unsigned status, const char *code, const char *msg)
{
	return resp_error_code(c->resp, status, code, "%s", msg);
}

/* 410 with a Location for the first sync again (delta-query-overview). */
static int resync(struct call *c)
{
	resp_error_code(c->resp, 410, "resyncRequired", MSG_RESYNC);
	resp_header(c->resp, "Location", "%s%s?$deltatoken=", c->req->base_url,
	            c->req->path);
	return -1;
}

/* "<base><path as called>?$skiptoken=T" or "$deltatoken=T". NULL on OOM. */
static json_t *link_for(struct call *c, const struct delta_state *s, const char *param)
{
	char *token = delta_token_encode(s, c->tenant->id);
	struct buf b;
	json_t *out;

	if (!token)
		return NULL;
	buf_init(&b, 1 << 16);
	buf_addf(&b, "%s%s?%s=%s", c->req->base_url, c->req->path, param, token);
	free(token);
	out = b.failed ? NULL : json_string(b.data);
	buf_release(&b);
	return out;
}

/* "@odata.context": "<base>/<v>/$metadata#users" or "...#users(a,b)". */
static json_t *context(struct call *c, const struct delta_state *s, bool with_select)
{
	struct buf b;
	json_t *out;

	buf_init(&b, 1 << 14);
	buf_addf(&b, "%s/%s/$metadata#%s", c->req->base_url, c->req->version,
	         sets[s->kind]);
	if (with_select && s->nselect) {
		buf_addstr(&b, "(");
		for (size_t i = 0; i < s->nselect; i++)
			buf_addf(&b, "%s%s", i ? "," : "", s->select[i]);
		buf_addstr(&b, ")");
	}
	out = b.failed ? NULL : json_string(b.data);
	buf_release(&b);
	return out;
}

static bool selects(const struct delta_state *s, const char *name)
{
	for (size_t i = 0; i < s->nselect; i++)
		if (!strcmp(s->select[i], name))
			return true;
	return false;
}

static bool wants_members(const struct delta_state *s)
{
	return s->kind == DOBJ_GROUP && (!s->nselect || selects(s, "members"));
}

static bool id_wanted(const struct delta_state *s, const char *id)
{
	if (!s->nids)
		return true;
	for (size_t i = 0; i < s->nids; i++)
		if (!strcmp(s->ids[i], id))
			return true;
	return false;
}

/*
 * The object's selected (or default) properties that have ever been set,
 * then "id" last, as Graph's delta pages show them. With @only (minimal),
 * just those names. New reference or NULL.
 */
static json_t *render_object(const struct delta_state *s, const struct dobj *d,
                             char *const *only, size_t nonly)
{
	struct odata_query q;
	char *names[DELTA_MAX_SELECT];
	size_t n = 0;
	json_t *proj, *out;
	const char *key;
	json_t *v;

	memset(&q, 0, sizeof(q));
	q.entity = entity_for_kind(d->kind);
	for (size_t i = 0; i < s->nselect; i++)
		if (strcmp(s->select[i], "members"))
			names[n++] = s->select[i];
	q.select = names;
	q.nselect = n;
	if (s->nselect && !n)
		q.nselect = 0, q.select = NULL; /* only "members": the default set */
	proj = odata_project(&q, q.entity, d->obj, false);
	out = json_object();
	if (!proj || !out) {
		json_decref(proj);
		json_decref(out);
		return NULL;
	}
	json_object_foreach(proj, key, v)
	{
		/* never set: left out; minimal: only what changed (null included) */
		bool keep = json_object_get(d->obj, key) != NULL;

		if (only) {
			keep = false;
			for (size_t i = 0; i < nonly; i++)
				keep |= !strcmp(only[i], key);
		}
		if (keep && strcmp(key, "id"))
			json_object_set(out, key, v);
	}
	json_decref(proj);
	json_object_set_new(out, "id", json_string(d->id));
	return out;
}

static json_t *member_ref(enum dobj_kind kind, const char *id, bool removed)
{
	json_t *m = json_pack("{s:s, s:s}", "@odata.type", odata_types[kind], "id", id);

	if (m && removed)
		json_object_set_new(m, "@removed",
		                    json_pack("{s:s}", "reason", "deleted"));
	return m;
}

static json_t *removed_item(const char *id, const char *reason)
{
	return json_pack("{s:s, s:{s:s}}", "id", id, "@removed", "reason", reason);
}

/* ---- the first sync ---- */

static int dobj_seq_cmp(const void *a, const void *b)
{
	const struct dobj *x = *(struct dobj *const *)a, *y = *(struct dobj *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Every object of the kind past @after, in insertion order, up to a page. */
static int initial_page(struct call *c, struct delta_state *s, json_t *value, bool *more)
{
	size_t cap = state_dobj_count(c->tenant, s->kind), n = 0;
	struct dobj **objs = calloc(cap + 1, sizeof(*objs));
	int rc = 0;

	*more = false;
	if (!objs)
		return -1;
	for (struct dobj *d = state_dobj_first(c->tenant, s->kind); d;
	     d = state_dobj_next(d))
		if (d->seq > s->after && id_wanted(s, d->id))
			objs[n++] = d;
	qsort(objs, n, sizeof(*objs), dobj_seq_cmp);
	for (size_t i = 0; i < n && !rc; i++) {
		json_t *item;

		if (json_array_size(value) == (size_t)s->page) {
			*more = true;
			break;
		}
		item = render_object(s, objs[i], NULL, 0);
		if (item && wants_members(s) && objs[i]->members) {
			json_t *ms = json_array();
			for (struct dobj_link *l = objs[i]->members; ms && l;
			     l = l->hh.next)
				json_array_append_new(
				    ms, member_ref(l->obj->kind, l->id, false));
			json_object_set_new(item, "members@delta", ms);
		}
		rc = json_array_append_new(value, item);
		s->after = objs[i]->seq;
	}
	free(objs);
	return rc;
}

/* ---- rounds of changes ---- */

struct member_change {
	char id[GUID_STR_LEN + 1];
	enum dobj_kind kind;
	bool removed;
};

/* What the log says about one object in the round's window. */
struct obj_changes {
	char id[GUID_STR_LEN + 1];
	uint64_t last_seq;
	bool all;     /* created, restored, or an update of everything */
	bool object;  /* any entry about the object itself */
	char **props; /* borrowed from the log entries */
	size_t nprops, cap_props;
	struct member_change *members;
	size_t nmembers, cap_members;
	UT_hash_handle hh;
};

static void changes_free(struct obj_changes *set)
{
	struct obj_changes *o, *tmp;

	HASH_ITER(hh, set, o, tmp)
	{
		HASH_DEL(set, o);
		free(o->props);
		free(o->members);
		free(o);
	}
}

static int add_prop(struct obj_changes *o, char *name)
{
	for (size_t i = 0; i < o->nprops; i++)
		if (!strcmp(o->props[i], name))
			return 0;
	if (o->nprops == o->cap_props) {
		size_t cap = o->cap_props ? o->cap_props * 2 : 8;
		char **grown = realloc(o->props, cap * sizeof(*grown));
		if (!grown)
			return -1;
		o->props = grown;
		o->cap_props = cap;
	}
	o->props[o->nprops++] = name;
	return 0;
}

/* A member's latest state wins: added, or removed. */
static int add_member(struct obj_changes *o, const struct change *ch)
{
	size_t i;

	for (i = 0; i < o->nmembers; i++)
		if (!strcmp(o->members[i].id, ch->member_id))
			break;
	if (i == o->nmembers) {
		if (o->nmembers == o->cap_members) {
			size_t cap = o->cap_members ? o->cap_members * 2 : 8;
			struct member_change *grown =
			    realloc(o->members, cap * sizeof(*grown));
			if (!grown)
				return -1;
			o->members = grown;
			o->cap_members = cap;
		}
		memcpy(o->members[i].id, ch->member_id, sizeof(o->members[i].id));
		o->nmembers++;
	}
	o->members[i].kind = ch->member_kind;
	o->members[i].removed = ch->op == CHANGE_MEMBER_REMOVED;
	return 0;
}

static int fold(struct obj_changes *o, const struct change *ch)
{
	if (ch->seq > o->last_seq)
		o->last_seq = ch->seq;
	switch (ch->op) {
	case CHANGE_MEMBER_ADDED:
	case CHANGE_MEMBER_REMOVED:
		return add_member(o, ch);
	case CHANGE_UPDATED:
		o->object = true;
		o->all |= ch->all_props;
		for (size_t i = 0; i < ch->nprops; i++)
			if (add_prop(o, ch->props[i]))
				return -1;
		return 0;
	case CHANGE_CREATED:
	case CHANGE_RESTORED:
	case CHANGE_SOFT_DELETED:
	case CHANGE_PURGED:
		o->object = true;
		o->all = true;
		return 0;
	}
	return 0;
}

/* The window (from, to] of @kind, one entry per object. 0 or -1 (OOM). */
static int collect_changes(const struct changelog *log, const struct delta_state *s,
                           struct obj_changes **set)
{
	for (size_t i = 0; i < log->n; i++) {
		const struct change *ch = &log->v[i];
		struct obj_changes *o;

		if (ch->seq <= s->from || ch->seq > s->to || ch->kind != s->kind ||
		    !id_wanted(s, ch->id))
			continue;
		HASH_FIND_STR(*set, ch->id, o);
		if (!o) {
			o = calloc(1, sizeof(*o));
			if (!o)
				return -1;
			memcpy(o->id, ch->id, sizeof(o->id));
			HASH_ADD_STR(*set, id, o);
		}
		if (fold(o, ch))
			return -1;
	}
	return 0;
}

static int by_last_seq(const void *a, const void *b)
{
	const struct obj_changes *x = *(struct obj_changes *const *)a;
	const struct obj_changes *y = *(struct obj_changes *const *)b;

	return x->last_seq < y->last_seq ? -1 : x->last_seq > y->last_seq;
}

/* One object of the round as its delta item. NULL when there is nothing to say. */
static json_t *change_item(struct call *c, const struct delta_state *s,
                           const struct obj_changes *o, bool minimal)
{
	struct dobj *d;
	json_t *item, *ms;

	HASH_FIND_STR(c->tenant->objects, o->id, d);
	if (!d)
		return removed_item(
		    o->id, state_deleted_find(c->tenant, o->id) ? "changed" : "deleted");
	if (!o->object && !(wants_members(s) && o->nmembers))
		return NULL; /* membership changes the caller did not select */
	item = (minimal && !o->all) ? render_object(s, d, o->props, o->nprops)
	                            : render_object(s, d, NULL, 0);
	if (!item || !wants_members(s))
		return item;
	/* a group created or restored in the window lists every member */
	ms = json_array();
	if (o->all) {
		for (struct dobj_link *l = d->members; ms && l; l = l->hh.next)
			json_array_append_new(ms, member_ref(l->obj->kind, l->id, false));
	}
	for (size_t i = 0; ms && i < o->nmembers; i++) {
		bool listed = o->all && !o->members[i].removed;
		if (!listed)
			json_array_append_new(ms, member_ref(o->members[i].kind,
			                                     o->members[i].id,
			                                     o->members[i].removed));
	}
	if (json_array_size(ms))
		json_object_set_new(item, "members@delta", ms);
	else
		json_decref(ms);
	return item;
}

static int changes_page(struct call *c, struct delta_state *s, bool minimal,
                        json_t *value, bool *more)
{
	struct obj_changes *set = NULL, *o, **order = NULL;
	size_t n = 0;
	int rc = collect_changes(c->tenant->changes, s, &set);

	*more = false;
	if (!rc) {
		order = calloc(HASH_COUNT(set) + 1, sizeof(*order));
		rc = order ? 0 : -1;
	}
	for (o = set; !rc && o; o = o->hh.next)
		if (o->last_seq > s->after)
			order[n++] = o;
	if (!rc)
		qsort(order, n, sizeof(*order), by_last_seq);
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *item;

		if (json_array_size(value) == (size_t)s->page) {
			*more = true;
			break;
		}
		item = change_item(c, s, order[i], minimal);
		if (item)
			rc = json_array_append_new(value, item);
		s->after = order[i]->last_seq;
	}
	free(order);
	changes_free(set);
	return rc;
}

/* ---- the handler ---- */

/* The round this request continues, from its token; -1 after the error answer. */
static int state_from_token(struct call *c, const struct changelog *log,
                            const struct delta_req *r, struct delta_state *s)
{
	const char *token = r->skiptoken ? r->skiptoken : r->deltatoken;
	enum dobj_kind kind = s->kind;
	int page = s->page;

	if (delta_token_decode(token, c->tenant->id, s))
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST, MSG_BAD_TOKEN);
	/* a deltaLink's token starts a round; a nextLink's continues one */
	if ((r->deltatoken != NULL) != (s->mode == DELTA_CHANGES && !s->to)) {
		delta_state_release(s);
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST, MSG_BAD_TOKEN);
	}
	if (s->epoch != log->epoch ||
	    s->issued_ms + CHANGELOG_TOKEN_LIFETIME_MS < state_now_ms(c->st) ||
	    s->from > log->last_seq || s->to > log->last_seq) {
		delta_state_release(s);
		return token_error(c, 400, "syncStateNotFound", MSG_EXPIRED);
	}
	if (s->mode == DELTA_CHANGES && s->from < log->floor_seq) {
		delta_state_release(s);
		return resync(c);
	}
	if (s->kind != kind) { /* another collection's token: its position only */
		delta_state_release(s);
		s->kind = kind;
		s->nids = 0;
		s->page = page;
	}
	return 0;
}

/* A deltaLink starts a new round: everything after the round it ends. */
static void next_round(struct delta_state *s, uint64_t upto)
{
	s->mode = DELTA_CHANGES;
	s->from = upto;
	s->to = 0;
	s->after = 0;
}

static int respond(struct call *c, struct delta_state *s, json_t *value, bool more,
                   bool with_select, bool minimal)
{
	uint64_t upto = s->to;
	json_t *body, *link;

	s->issued_ms = state_now_ms(c->st);
	if (!more)
		next_round(s, upto);
	link = link_for(c, s, more ? "$skiptoken" : "$deltatoken");
	body = json_object();
	if (!body || !link ||
	    json_object_set_new(body, "@odata.context", context(c, s, with_select)) ||
	    json_object_set_new(body, more ? "@odata.nextLink" : "@odata.deltaLink",
	                        link) ||
	    json_object_set_new(body, "value", value)) {
		json_decref(body);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	if (minimal)
		resp_header(c->resp, "Preference-Applied", "return=minimal");
	return resp_odata(c->resp, 200, body);
}

static int delta(struct call *c, enum dobj_kind kind)
{
	struct changelog *log = state_changelog(c->st, c->tenant);
	struct delta_state s;
	struct delta_req r;
	json_t *value;
	bool more = false, fresh;
	int rc;

	if (!log)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	if (parse_options(c, &r))
		return -1;
	memset(&s, 0, sizeof(s));
	s.kind = kind;
	s.epoch = log->epoch;
	s.page = r.top ? (int)strtol(r.top, NULL, 10) : prefer_page(c->req);
	if (s.page < 1 || s.page > 999)
		s.page = DEFAULT_PAGE;
	fresh = !r.skiptoken &&
	        (!r.deltatoken || !*r.deltatoken || !strcasecmp(r.deltatoken, "latest"));
	if (!fresh && state_from_token(c, log, &r, &s))
		return -1;
	if ((r.select && parse_select(c, r.select, &s)) ||
	    (r.filter && parse_filter(c, r.filter, &s))) {
		delta_state_release(&s);
		return -1;
	}
	if (fresh) {
		s.mode = DELTA_INITIAL;
		s.to = log->last_seq;
	} else if (r.deltatoken) {
		s.to = log->last_seq; /* a new round: up to now */
	}
	value = json_array();
	if (!value) {
		delta_state_release(&s);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	/* "sync from now": a deltaLink and no resource data */
	if (fresh && r.deltatoken && !strcasecmp(r.deltatoken, "latest"))
		rc = 0;
	else if (s.mode == DELTA_INITIAL)
		rc = initial_page(c, &s, value, &more);
	else
		rc = changes_page(c, &s, r.minimal, value, &more);
	if (rc) {
		json_decref(value);
		delta_state_release(&s);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	rc = respond(c, &s, value, more, r.select != NULL, r.minimal && !fresh);
	delta_state_release(&s);
	return rc;
}

#define DELTA_HANDLER(name, kind)                                                        \
	static int name(struct call *c)                                                  \
	{                                                                                \
		return delta(c, kind);                                                   \
	}

DELTA_HANDLER(users_delta, DOBJ_USER)
DELTA_HANDLER(groups_delta, DOBJ_GROUP)
DELTA_HANDLER(sps_delta, DOBJ_SERVICE_PRINCIPAL)
DELTA_HANDLER(apps_delta, DOBJ_APPLICATION)

/* "delta" is short for the fully qualified "microsoft.graph.delta"; SDKs add "()". */
#define SPELLINGS(set, fn, perms)                                                        \
	{"GET", "/" set "/delta", fn, 0, NULL, perms},                                   \
	    {"GET", "/" set "/delta()", fn, 0, NULL, perms},                             \
	    {"GET", "/" set "/microsoft.graph.delta", fn, 0, NULL, perms},               \
	{                                                                                \
		"GET", "/" set "/microsoft.graph.delta()", fn, 0, NULL, perms            \
	}

const struct route delta_routes[] = {
    SPELLINGS("users", users_delta, &PERMS_USER_READ),
    SPELLINGS("groups", groups_delta, &PERMS_GROUP_READ),
    SPELLINGS("servicePrincipals", sps_delta, &PERMS_APP_READ),
    SPELLINGS("applications", apps_delta, &PERMS_APP_READ),
    {0},
};
