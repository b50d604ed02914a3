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

#include "../state/util/clock.h"
#include "core/str.h"
#include "faults/fault.h"
#include "core/req.h"

/* The headers worth asserting on; never Authorization (it holds secrets), nor
 * X-Graphmock-Admin-Token. */
static const char *const kept_headers[JOURNAL_HEADERS] = {
    "client-request-id", "retry-attempt",    "user-agent",         "content-type",
    "content-encoding",  "consistencylevel", "x-graphmock-tenant", "x-graphmock-fault",
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
	free(en->arena);
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

#define REDACTED "REDACTED"

/* The value the journal keeps for query option @i: secrets redacted. */
static const char *query_value(const struct req *req, size_t i)
{
	const char *name = req->query[i].name;

	return journal_secret_name(name, strlen(name)) ? REDACTED : req->query[i].value;
}

/* Bytes of "a=b&c=d" for the request's decoded query options, without the NUL. */
static size_t query_len(const struct req *req)
{
	size_t len = 0;

	for (size_t i = 0; i < req->nquery; i++)
		len += strlen(req->query[i].name) + strlen(query_value(req, i)) + 1 + !!i;
	return len;
}

/* Append @n bytes and a NUL at *@at; return where they start. */
static char *put(char **at, const char *s, size_t n)
{
	char *start = *at;

	memcpy(start, s, n);
	start[n] = '\0';
	*at += n + 1;
	return start;
}

static char *fill_query(char **at, const struct req *req)
{
	char *start = *at, *p = start;

	for (size_t i = 0; i < req->nquery; i++) {
		const char *value = query_value(req, i);
		size_t nl = strlen(req->query[i].name), vl = strlen(value);

		if (i)
			*p++ = '&';
		memcpy(p, req->query[i].name, nl);
		p += nl;
		*p++ = '=';
		memcpy(p, value, vl);
		p += vl;
	}
	*p = '\0';
	*at = p + 1;
	return start;
}

/* One allocation holds every string the entry keeps (one malloc per request). */
static void fill_arena(struct journal_entry *en, const struct req *req)
{
	const char *path = req->path ? req->path : "";
	const char *hv[JOURNAL_HEADERS];
	size_t prefix =
	    req->raw_body && req->body_len
	        ? (req->body_len < JOURNAL_BODY_MAX ? req->body_len : JOURNAL_BODY_MAX)
	        : 0;
	size_t body = 0;
	/* Only the kept prefix is redacted: a secret cut at its end stays cut. */
	char *redacted = prefix ? journal_redact(req->raw_body, prefix, &body) : NULL;
	size_t need = strlen(path) + 1 + query_len(req) + 1 + (body ? body + 1 : 0);
	char *at;

	for (size_t i = 0; i < JOURNAL_HEADERS; i++) {
		hv[i] = req_header(req, kept_headers[i]);
		need += hv[i] ? strlen(hv[i]) + 1 : 0;
	}
	en->arena = malloc(need);
	if (!en->arena) {
		free(redacted);
		return;
	}
	at = en->arena;
	en->path = put(&at, path, strlen(path));
	en->query = fill_query(&at, req);
	for (size_t i = 0; i < JOURNAL_HEADERS; i++)
		en->header[i] = hv[i] ? put(&at, hv[i], strlen(hv[i])) : NULL;
	if (body)
		en->body = put(&at, redacted, body);
	free(redacted);
}

void journal_fill(struct journal_entry *en, const struct req *req, unsigned status,
                  int64_t duration_us)
{
	memset(en, 0, sizeof(*en));
	str_copy(en->method, sizeof(en->method), req->method);
	fill_arena(en, req);
	en->body_truncated = req->raw_body && req->body_len > JOURNAL_BODY_MAX;
	en->status = status;
	en->duration_us = duration_us;
	en->time_ms = req->now_ms;
	str_copy(en->request_id, sizeof(en->request_id), req->request_id);
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

/* @path and @exclude: f->path and f->exclude, compiled. */
static bool entry_matches(const struct journal_entry *en, const struct journal_filter *f,
                          const struct fault_pattern *path,
                          const struct fault_pattern *exclude)
{
	if (f->method && strcasecmp(f->method, en->method))
		return false;
	if (f->path && !fault_pattern_path_match(path, !fault_path_strip_version(f->path),
	                                         en->path ? en->path : ""))
		return false;
	if (f->status && f->status != en->status)
		return false;
	if (f->tenant && strcasecmp(f->tenant, en->tenant))
		return false;
	if (en->seq <= f->after)
		return false;
	if (f->exclude &&
	    fault_pattern_path_match(exclude, !fault_path_strip_version(f->exclude),
	                             en->path ? en->path : ""))
		return false;
	return f->since_ms < 0 || en->time_ms >= f->since_ms;
}

/* jansson rejects invalid UTF-8: keep such bodies as a note instead. */
static json_t *text_or_note(const char *s)
{
	json_t *v = json_string(s);

	return v ? v : json_string("(body is not valid UTF-8)");
}

static json_t *headers_json(const struct journal_entry *en)
{
	json_t *o = json_object();

	for (size_t i = 0; i < JOURNAL_HEADERS; i++) {
		if (en->header[i])
			json_object_set_new(o, kept_headers[i],
			                    json_string(en->header[i]));
	}
	return o;
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
	    en->query ? en->query : "", "headers", headers_json(en), "body",
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
	size_t first = 0, found = 0;
	uint64_t last_seq;
	struct fault_pattern path = {0}, exclude = {0};

	/* Compiled once; a pattern too long to compile gets an empty answer. */
	if (f->path && fault_pattern_compile(&path, f->path, FAULT_PATTERN_PATH, true))
		return json_pack("{s:I, s:o}", "lastSeq", (json_int_t)0, "value", list);
	if (f->exclude &&
	    fault_pattern_compile(&exclude, f->exclude, FAULT_PATTERN_PATH, true)) {
		fault_pattern_release(&path);
		return json_pack("{s:I, s:o}", "lastSeq", (json_int_t)0, "value", list);
	}
	pthread_mutex_lock(&j->lock);
	/* With f->last, walk back from the newest to find where the list starts. */
	for (size_t k = j->count; f->last && k > 0; k--) {
		size_t at = (j->head + j->cap - j->count + k - 1) % j->cap;
		if (entry_matches(&j->ring[at], f, &path, &exclude) &&
		    ++found == f->last) {
			first = k - 1;
			break;
		}
	}
	for (size_t k = first; k < j->count; k++) {
		size_t at = (j->head + j->cap - j->count + k) % j->cap;
		if (entry_matches(&j->ring[at], f, &path, &exclude))
			json_array_append_new(list, entry_json(&j->ring[at]));
	}
	last_seq = j->seq;
	pthread_mutex_unlock(&j->lock);
	fault_pattern_release(&path);
	fault_pattern_release(&exclude);
	return json_pack("{s:I, s:o}", "lastSeq", (json_int_t)last_seq, "value", list);
}
