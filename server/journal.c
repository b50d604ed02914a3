/*
 * server/journal.c - the bounded request ring behind /_mock/requests. The
 * copy of a request is made outside the lock (journal_fill); the lock only
 * covers moving the entry into its slot.
 */
#include "journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../state/clock.h"
#include "fault.h"
#include "req.h"

/* The headers worth asserting on; never Authorization (it holds secrets). */
static const char *const kept_headers[] = {
    "client-request-id", "retry-attempt",      "user-agent",        "content-type",
    "consistencylevel",  "x-graphmock-tenant", "x-graphmock-fault", NULL,
};

int journal_init(struct journal *j, size_t cap)
{
	memset(j, 0, sizeof(*j));
	if (pthread_mutex_init(&j->lock, NULL))
		return -1;
	if (!cap)
		return 0;
	j->ring = calloc(cap, sizeof(*j->ring));
	if (!j->ring) {
		pthread_mutex_destroy(&j->lock);
		return -1;
	}
	j->cap = cap;
	return 0;
}

void journal_entry_release(struct journal_entry *en)
{
	free(en->path);
	free(en->query);
	free(en->body);
	json_decref(en->headers);
	memset(en, 0, sizeof(*en));
}

void journal_clear(struct journal *j)
{
	pthread_mutex_lock(&j->lock);
	for (size_t i = 0; i < j->cap; i++)
		journal_entry_release(&j->ring[i]);
	j->head = 0;
	j->count = 0;
	pthread_mutex_unlock(&j->lock);
}

void journal_release(struct journal *j)
{
	for (size_t i = 0; i < j->cap; i++)
		journal_entry_release(&j->ring[i]);
	free(j->ring);
	pthread_mutex_destroy(&j->lock);
}

static char *query_string(const struct req *req)
{
	size_t len = 1;
	char *out, *p;

	for (size_t i = 0; i < req->nquery; i++)
		len += strlen(req->query[i].name) + strlen(req->query[i].value) + 2;
	out = malloc(len);
	if (!out)
		return NULL;
	p = out;
	*p = '\0';
	for (size_t i = 0; i < req->nquery; i++)
		p += snprintf(p, len - (size_t)(p - out), "%s%s=%s", i ? "&" : "",
		              req->query[i].name, req->query[i].value);
	return out;
}

void journal_fill(struct journal_entry *en, const struct req *req, unsigned status,
                  int64_t duration_us)
{
	memset(en, 0, sizeof(*en));
	snprintf(en->method, sizeof(en->method), "%s", req->method);
	en->path = strdup(req->path ? req->path : "");
	en->query = query_string(req);
	en->headers = json_object();
	for (size_t i = 0; kept_headers[i]; i++) {
		const char *v = req_header(req, kept_headers[i]);
		if (v)
			json_object_set_new(en->headers, kept_headers[i], json_string(v));
	}
	if (req->raw_body && req->body_len) {
		size_t n =
		    req->body_len < JOURNAL_BODY_MAX ? req->body_len : JOURNAL_BODY_MAX;
		en->body = malloc(n + 1);
		if (en->body) {
			memcpy(en->body, req->raw_body, n);
			en->body[n] = '\0';
		}
		en->body_truncated = n < req->body_len;
	}
	en->status = status;
	en->duration_us = duration_us;
	en->time_ms = req->now_ms;
	snprintf(en->request_id, sizeof(en->request_id), "%s", req->request_id);
}

void journal_record(struct journal *j, struct journal_entry *en)
{
	struct journal_entry old;

	if (!j->cap) {
		journal_entry_release(en);
		return;
	}
	pthread_mutex_lock(&j->lock);
	old = j->ring[j->head];
	en->seq = ++j->seq;
	j->ring[j->head] = *en;
	j->head = (j->head + 1) % j->cap;
	if (j->count < j->cap)
		j->count++;
	pthread_mutex_unlock(&j->lock);
	journal_entry_release(&old); /* freed outside the lock */
	memset(en, 0, sizeof(*en));
}

static bool entry_matches(const struct journal_entry *en, const struct journal_filter *f)
{
	if (f->method && strcasecmp(f->method, en->method))
		return false;
	if (f->path && !fault_path_match(f->path, en->path))
		return false;
	if (f->status && f->status != en->status)
		return false;
	if (f->tenant && strcasecmp(f->tenant, en->tenant))
		return false;
	return f->since_ms < 0 || en->time_ms >= f->since_ms;
}

/* jansson rejects invalid UTF-8: keep such bodies as a note instead. */
static json_t *text_or_note(const char *s)
{
	json_t *v = json_string(s);

	return v ? v : json_string("(body is not valid UTF-8)");
}

static json_t *entry_json(const struct journal_entry *en)
{
	char when[TIME_ISO_LEN];
	json_t *o, *fault = json_null();

	time_format(en->time_ms, TIME_FRACTION_Z, when);
	if (en->fault[0])
		fault = json_pack("{s:s, s:s, s:s}", "action", en->fault, "detail",
		                  en->fault_detail, "ruleId", en->rule_id);
	o = json_pack(
	    "{s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:I, s:s, s:s, s:o}",
	    "seq", (json_int_t)en->seq, "time", when, "timeMs", (json_int_t)en->time_ms,
	    "method", en->method, "path", en->path ? en->path : "", "query",
	    en->query ? en->query : "", "headers",
	    en->headers ? json_incref(en->headers) : json_object(), "body",
	    en->body ? text_or_note(en->body) : json_null(), "bodyTruncated",
	    en->body_truncated, "status",
	    en->status ? json_integer(en->status) : json_null(), "durationMicros",
	    (json_int_t)en->duration_us, "tenant", en->tenant, "requestId",
	    en->request_id, "fault", fault);
	return o;
}

json_t *journal_query(struct journal *j, const struct journal_filter *f)
{
	json_t *list = json_array();

	pthread_mutex_lock(&j->lock);
	for (size_t k = 0; k < j->count; k++) {
		size_t at = (j->head + j->cap - j->count + k) % j->cap;
		if (entry_matches(&j->ring[at], f))
			json_array_append_new(list, entry_json(&j->ring[at]));
	}
	pthread_mutex_unlock(&j->lock);
	return json_pack("{s:o}", "value", list);
}
