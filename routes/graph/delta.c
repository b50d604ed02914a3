/*
 * routes/graph/delta.c - delta queries (delta-query-overview, user-delta,
 * group-delta, serviceprincipal-delta, application-delta): GET
 * /{users,groups,servicePrincipals,applications}/delta in all four
 * spellings, a first sync paged through every object, then rounds of what
 * the tenant's change log (state/changelog.h) says changed since the token:
 * new and changed objects, "@removed" for deleted ones, members@delta for
 * groups. This file reads the request and answers; the pages themselves
 * are delta_rounds.c's, tokens delta_token.c's. docs/change-tracking.md lists
 * the choices.
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

		if (!name)
			continue;
		if (req_option_named(req, name, "$deltatoken"))
			slot = &r->deltatoken;
		else if (req_option_named(req, name, "$skiptoken"))
			slot = &r->skiptoken;
		else if (req_option_named(req, name, "$select"))
			slot = &r->select;
		else if (req_option_named(req, name, "$filter"))
			slot = &r->filter;
		else if (req_option_named(req, name, "$top"))
			slot = &r->top;
		else if (req_option_named(req, name, "$expand") ||
		         req_option_named(req, name, "$orderby") ||
		         req_option_named(req, name, "$count") ||
		         req_option_named(req, name, "$search") ||
		         req_option_named(req, name, "$skip"))
			return unsupported(c);
		else if (name[0] != '$')
			continue; /* not a system query option: ignored */
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
		rc = delta_initial_page(c, &s, value, &more);
	else
		rc = delta_changes_page(c, &s, r.minimal, value, &more);
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
    SPELLINGS("users", users_delta, &PERMS_USERS_LIST),
    SPELLINGS("groups", groups_delta, &PERMS_GROUP_READ),
    SPELLINGS("servicePrincipals", sps_delta, &PERMS_APP_READ),
    SPELLINGS("applications", apps_delta, &PERMS_APP_READ),
    {0},
};
