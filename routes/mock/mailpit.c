/*
 * routes/mock/mailpit.c - the outbox seen through Mailpit's HTTP API v1 under
 * /_mock/mailpit, so Mailpit test clients work with base URL
 * http://HOST:PORT/_mock/mailpit. Field names follow Mailpit's
 * MessagesSummary, MessageSummary and Message models. Bounced messages
 * never reached an inbox, so they are not shown here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/mailbox.h"

#define MAILPIT_DEFAULT_LIMIT 50
#define SNIPPET_MAX           250
#define QUERY_MAX             1024

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static json_t *address(const json_t *a)
{
	return json_pack("{s:s, s:s}", "Name", str(a, "name"), "Address",
	                 str(a, "address"));
}

static json_t *addresses(const json_t *list)
{
	json_t *out = json_array();
	size_t i;
	json_t *a;

	json_array_foreach(list, i, a) json_array_append_new(out, address(a));
	return out;
}

/* RFC 3339 with milliseconds, as Mailpit writes Created and Date. */
static json_t *rfc3339(int64_t ms)
{
	char buf[TIME_ISO_LEN], out[TIME_ISO_LEN + 8];
	size_t len;

	time_format(ms, TIME_SECONDS_Z, buf);
	len = strlen(buf);
	snprintf(out, sizeof(out), "%.*s.%03dZ", (int)(len ? len - 1 : 0), buf,
	         (int)(((ms % 1000) + 1000) % 1000));
	return json_string(out);
}

static json_int_t size_of(const struct mail_message *m)
{
	return (json_int_t)(strlen(str(m->obj, "text")) + strlen(str(m->obj, "html")) +
	                    strlen(str(m->obj, "subject")));
}

/* The first SNIPPET_MAX characters of the text body, whitespace collapsed. */
static json_t *snippet(const struct mail_message *m)
{
	const char *text = str(m->obj, "text");
	char buf[SNIPPET_MAX + 1];
	size_t n = 0;
	bool space = false;

	for (const char *p = text; *p && n < SNIPPET_MAX; p++) {
		if (isspace((unsigned char)*p)) {
			space = n > 0;
			continue;
		}
		if (space && n < SNIPPET_MAX - 1)
			buf[n++] = ' ';
		space = false;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	/* A cut may split a UTF-8 sequence: drop the broken tail. */
	json_t *s = json_string(buf);
	while (!s && n > 0) {
		buf[--n] = '\0';
		s = json_string(buf);
	}
	return s;
}

static json_t *message_id(const struct mail_message *m)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%s@invitations.graphmock", m->id);
	return json_string(buf);
}

static json_t *summary(const struct mail_message *m)
{
	return json_pack(
	    "{s:s, s:o, s:b, s:o, s:o, s:o, s:[], s:[], s:s, s:o, s:s, s:[], "
	    "s:I, s:i, s:o}",
	    "ID", m->id, "MessageID", message_id(m), "Read", m->read, "From",
	    address(json_object_get(m->obj, "from")), "To",
	    addresses(json_object_get(m->obj, "to")), "Cc",
	    addresses(json_object_get(m->obj, "cc")), "Bcc", "ReplyTo", "Subject",
	    str(m->obj, "subject"), "Created", rfc3339(m->visible_at_ms), "Username", "",
	    "Tags", "Size", size_of(m), "Attachments", 0, "Snippet", snippet(m));
}

static json_t *message(const struct mail_message *m)
{
	const json_t *from = json_object_get(m->obj, "from");

	return json_pack(
	    "{s:s, s:o, s:o, s:o, s:o, s:[], s:[], s:s, s:s, s:{s:s, s:[], s:s, "
	    "s:s}, s:o, s:[], s:s, s:s, s:s, s:I, s:[], s:[]}",
	    "ID", m->id, "MessageID", message_id(m), "From", address(from), "To",
	    addresses(json_object_get(m->obj, "to")), "Cc",
	    addresses(json_object_get(m->obj, "cc")), "Bcc", "ReplyTo", "ReturnPath",
	    str(from, "address"), "Subject", str(m->obj, "subject"), "ListUnsubscribe",
	    "Header", "", "Links", "Errors", "", "HeaderPost", "", "Date",
	    rfc3339(m->visible_at_ms), "Tags", "Username", "", "Text",
	    str(m->obj, "text"), "HTML", str(m->obj, "html"), "Size", size_of(m),
	    "Inline", "Attachments");
}

/* The messages Mailpit would hold: visible and not bounced, newest first. */
static int inbox(struct state *st, struct tenant *t, struct mail_message ***out,
                 size_t *n)
{
	size_t k = 0;

	if (state_mail_list(st, t, out, n))
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(str((*out)[i]->obj, "status"), "bounced"))
			(*out)[k++] = (*out)[i];
	*n = k;
	return 0;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return !*needle;
}

static bool list_contains(const json_t *list, const char *v)
{
	size_t i;
	json_t *a;

	json_array_foreach(list, i, a) if (contains_ci(str(a, "address"), v) ||
	                                   contains_ci(str(a, "name"), v)) return true;
	return false;
}

/* One search term ("to:x", "from:x", "subject:x", "is:read", "is:unread" or a word). */
static bool term_matches(const struct mail_message *m, const char *term)
{
	const json_t *o = m->obj;

	if (!strncasecmp(term, "to:", 3))
		return list_contains(json_object_get(o, "to"), term + 3) ||
		       list_contains(json_object_get(o, "cc"), term + 3);
	if (!strncasecmp(term, "from:", 5))
		return contains_ci(str(json_object_get(o, "from"), "address"),
		                   term + 5) ||
		       contains_ci(str(json_object_get(o, "from"), "name"), term + 5);
	if (!strncasecmp(term, "subject:", 8))
		return contains_ci(str(o, "subject"), term + 8);
	if (!strcasecmp(term, "is:read"))
		return m->read;
	if (!strcasecmp(term, "is:unread"))
		return !m->read;
	return contains_ci(str(o, "subject"), term) ||
	       contains_ci(str(o, "text"), term) ||
	       list_contains(json_object_get(o, "to"), term);
}

/* Every space-separated term of @query (quotes removed) must match. */
static bool query_matches(const struct mail_message *m, const char *query)
{
	char term[QUERY_MAX + 1];
	const char *p = query;

	while (*p) {
		size_t n = 0;
		bool quoted = false;
		while (*p == ' ')
			p++;
		for (; *p && (quoted || *p != ' '); p++)
			if (*p == '"')
				quoted = !quoted;
			else if (n < QUERY_MAX)
				term[n++] = *p;
		term[n] = '\0';
		if (n && !term_matches(m, term))
			return false;
	}
	return true;
}

static int query_int(const struct req *req, const char *name, int dflt)
{
	const char *v = req_query(req, name);
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	n = strtol(v, &end, 10);
	return *end || n < 0 || n > 1000000 ? dflt : (int)n;
}

static int respond_list(struct call *c, const char *query)
{
	int start = query_int(c->req, "start", 0);
	int limit = query_int(c->req, "limit", MAILPIT_DEFAULT_LIMIT);
	struct mail_message **msgs;
	size_t n, unread = 0, matched = 0;
	json_t *list = json_array();

	if (!list || inbox(c->st, c->tenant, &msgs, &n)) {
		json_decref(list);
		return resp_raw(c->resp, 500, "text/plain; charset=utf-8", "error", 5);
	}
	for (size_t i = 0; i < n; i++) {
		unread += !msgs[i]->read;
		if (query && !query_matches(msgs[i], query))
			continue;
		if (matched >= (size_t)start && json_array_size(list) < (size_t)limit)
			json_array_append_new(list, summary(msgs[i]));
		matched++;
	}
	free(msgs);
	return resp_json(c->resp, 200,
	                 json_pack("{s:I, s:I, s:I, s:I, s:i, s:[], s:o}", "total",
	                           (json_int_t)n, "unread", (json_int_t)unread, "count",
	                           (json_int_t)json_array_size(list), "messages_count",
	                           (json_int_t)matched, "start", start, "tags",
	                           "messages", list));
}

static int mailpit_messages(struct call *c)
{
	return respond_list(c, NULL);
}

static int mailpit_search(struct call *c)
{
	const char *q = req_query(c->req, "query");

	if (!q || !*q)
		return resp_raw(c->resp, 400, "text/plain; charset=utf-8",
		                "no search query", 15);
	if (strlen(q) > QUERY_MAX)
		return resp_raw(c->resp, 400, "text/plain; charset=utf-8",
		                "search query too long", 21);
	return respond_list(c, q);
}

static int respond_message(struct resp *resp, struct mail_message *m)
{
	if (!m)
		return resp_raw(resp, 404, "text/plain; charset=utf-8",
		                "message not found", 17);
	m->read = true; /* Mailpit marks a message read when it is opened */
	return resp_json(resp, 200, message(m));
}

static int mailpit_message(struct call *c)
{
	struct mail_message *m = state_mail_find(c->st, c->tenant, req_param(c->req, 0));

	if (m && !strcmp(str(m->obj, "status"), "bounced"))
		m = NULL;
	return respond_message(c->resp, m);
}

static int mailpit_latest(struct call *c)
{
	struct mail_message **msgs, *m;
	size_t n;

	if (inbox(c->st, c->tenant, &msgs, &n))
		return resp_raw(c->resp, 500, "text/plain; charset=utf-8", "error", 5);
	m = n ? msgs[0] : NULL;
	free(msgs);
	return respond_message(c->resp, m);
}

/* DELETE with {"IDs": [...]} deletes those; without a body (or IDs) all. */
static int mailpit_delete(struct call *c)
{
	json_t *ids = c->req->body ? json_object_get(c->req->body, "IDs") : NULL;
	size_t i;
	json_t *id;

	if (ids && !json_is_array(ids))
		return resp_raw(c->resp, 400, "text/plain; charset=utf-8",
		                "IDs must be an array", 20);
	if (!ids || !json_array_size(ids)) {
		state_mailbox_clear(c->tenant);
		return resp_raw(c->resp, 200, "text/plain; charset=utf-8", "ok", 2);
	}
	json_array_foreach(ids, i, id)
	{
		struct mail_message *m = NULL;
		char key[GUID_STR_LEN + 1];
		if (guid_valid(json_string_value(id))) {
			guid_lower(json_string_value(id), key);
			HASH_FIND_STR(c->tenant->mailbox, key, m);
		}
		if (m)
			state_mail_remove(c->tenant, m);
	}
	return resp_raw(c->resp, 200, "text/plain; charset=utf-8", "ok", 2);
}

const struct route mailpit_routes[] = {
    {"GET", "/_mock/mailpit/api/v1/messages", mailpit_messages, 0, NULL, NULL},
    {"DELETE", "/_mock/mailpit/api/v1/messages", mailpit_delete,
     ROUTE_JSON_BODY | ROUTE_OPTIONAL_BODY, NULL, NULL},
    {"GET", "/_mock/mailpit/api/v1/search", mailpit_search, 0, NULL, NULL},
    {"GET", "/_mock/mailpit/api/v1/message/latest", mailpit_latest, 0, NULL, NULL},
    {"GET", "/_mock/mailpit/api/v1/message/{id}", mailpit_message, 0, NULL, NULL},
    {0},
};
