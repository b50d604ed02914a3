/*
 * conformance/exec.c - runs the steps of one case: expand, send, compare,
 * capture. Everything a failing step reports is decided here, so the
 * messages case authors read are kept together.
 */
#include "exec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "capture.h"
#include "case.h"
#include "csdl.h"
#include "http.h"
#include "match.h"
#include "vars.h"

#define MSG_MAX          1024
#define SNIPPET_MAX      300
#define VERBOSE_BODY_MAX (64u << 10)

/* A step's request after variable expansion: what goes on the wire. */
struct sent {
	char *url;
	char **lines; /* "Name: value" header lines */
	size_t nlines;
	char *body;
	size_t body_len;
};

static void sent_release(struct sent *s)
{
	size_t i;

	for (i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	free(s->url);
	free(s->body);
}

static int msg_set(char *msg, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Always -1, so callers can `return msg_set(...)`. */
static int msg_set(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* The start of a body on one line of at most @size bytes, for failure messages. */
static const char *snippet(const char *body, size_t len, char *out, size_t size)
{
	size_t i, n = len < size - 4 ? len : size - 4;

	for (i = 0; i < n; i++)
		out[i] = (body[i] == '\n' || body[i] == '\r' || body[i] == '\t')
		             ? ' '
		             : body[i];
	out[n] = '\0';
	if (n < len)
		memcpy(out + n, "...", 4);
	return out;
}

static int add_line(struct sent *s, const char *name, const char *value)
{
	size_t size = strlen(name) + strlen(value) + 3;
	char **lines = realloc(s->lines, (s->nlines + 1) * sizeof(*lines));
	char *line;

	if (!lines)
		return -1;
	s->lines = lines;
	line = malloc(size);
	if (!line)
		return -1;
	/* an empty value leaves "Name:", which libcurl reads as "do not send" */
	snprintf(line, size, value[0] ? "%s: %s" : "%s:%s", name, value);
	s->lines[s->nlines++] = line;
	return 0;
}

static bool case_sets(const struct case_request *rq, const char *name)
{
	size_t i;

	for (i = 0; i < rq->nheaders; i++)
		if (strcasecmp(rq->headers[i].name, name) == 0)
			return true;
	return false;
}

static int build_headers(const struct exec_ctx *ctx, const struct case_request *rq,
                         const struct vars *vars, struct sent *s, char *msg, size_t len)
{
	char *name = NULL, *value = NULL;
	char auth[4096];
	size_t i;
	int ret = -1;

	for (i = 0; i < rq->nheaders; i++) {
		name = vars_expand(vars, rq->headers[i].name, strlen(rq->headers[i].name),
		                   NULL, msg, len);
		value = name ? vars_expand(vars, rq->headers[i].value,
		                           strlen(rq->headers[i].value), NULL, msg, len)
		             : NULL;
		if (!value)
			goto out;
		if (strpbrk(value, "\r\n")) {
			msg_set(msg, len, "header %s: value contains a line break", name);
			goto out;
		}
		if (add_line(s, name, value))
			goto out_oom;
		free(name);
		free(value);
		name = value = NULL;
	}
	if (ctx->tenant && !case_sets(rq, "X-Graphmock-Tenant") &&
	    add_line(s, "X-Graphmock-Tenant", ctx->tenant))
		goto out_oom;
	if (ctx->token && !case_sets(rq, "Authorization")) {
		snprintf(auth, sizeof(auth), "Bearer %s", ctx->token);
		if (add_line(s, "Authorization", auth))
			goto out_oom;
	}
	ret = 0;
	goto out;
out_oom:
	msg_set(msg, len, "out of memory");
out:
	free(name);
	free(value);
	return ret;
}

static int build_request(const struct exec_ctx *ctx, const struct case_request *rq,
                         const struct vars *vars, struct sent *s, char *msg, size_t len)
{
	char *target, *url;
	size_t size;

	target = vars_expand(vars, rq->target, strlen(rq->target), NULL, msg, len);
	if (!target)
		return -1;
	if (strncmp(target, "http://", 7) == 0 || strncmp(target, "https://", 8) == 0) {
		url = target;
	} else if (target[0] == '/') {
		size = strlen(ctx->base) + strlen(target) + 1;
		url = malloc(size);
		if (url)
			snprintf(url, size, "%s%s", ctx->base, target);
		free(target);
	} else {
		msg_set(msg, len, "target \"%s\" is neither a /path nor an absolute URL",
		        target);
		free(target);
		return -1;
	}
	s->url = url ? case_url_encode(url) : NULL;
	free(url);
	if (!s->url)
		return msg_set(msg, len, "out of memory");
	if (build_headers(ctx, rq, vars, s, msg, len))
		return -1;
	s->body = vars_expand(vars, rq->body, rq->body_len, &s->body_len, msg, len);
	return s->body ? 0 : -1;
}

/* expect.json with variables expanded, except in "comment", which is prose. */
static json_t *expand_expect(const json_t *expect, const struct vars *vars, char *msg,
                             size_t len)
{
	json_t *out = json_object();
	char why[256];
	const char *key;
	json_t *v, *x;

	if (!out) {
		msg_set(msg, len, "out of memory");
		return NULL;
	}
	json_object_foreach((json_t *)expect, key, v)
	{
		if (strcmp(key, "comment") == 0)
			continue;
		x = vars_expand_json(vars, v, why, sizeof(why));
		if (!x || json_object_set_new(out, key, x)) {
			msg_set(msg, len, "expect.json: %s", x ? "out of memory" : why);
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* Check the expanded expect.json before anything is sent. */
static int validate_expect(const json_t *expect, char *msg, size_t len)
{
	const json_t *v;
	struct match_err err;

	match_err_init(&err);
	v = json_object_get(expect, "headers");
	if (v && !match_validate_headers(v, &err))
		goto out_bad;
	v = json_object_get(expect, "body");
	if (v && !match_validate(v, "body", &err))
		goto out_bad;
	v = json_object_get(expect, "body_text");
	if (v && !match_validate(v, "body_text", &err))
		goto out_bad;
	return 0;
out_bad:
	return msg_set(msg, len, "expect.json: %s: %s", err.path, err.msg);
}

static json_t *parse_body(const struct http_response *rs, char *msg, size_t len)
{
	char snip[SNIPPET_MAX];
	json_error_t jerr;
	json_t *body;

	if (rs->body_len == 0) {
		msg_set(msg, len, "body: expected JSON, got an empty body");
		return NULL;
	}
	body = json_loadb(rs->body, rs->body_len,
	                  JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!body)
		msg_set(msg, len, "body: not JSON (%s at offset %d): %s", jerr.text,
		        jerr.position,
		        snippet(rs->body, rs->body_len, snip, sizeof(snip)));
	return body;
}

static int check_body(const json_t *expect, const struct http_response *rs,
                      json_t **parsed, char *msg, size_t len)
{
	char snip[SNIPPET_MAX];
	const json_t *body_empty = json_object_get(expect, "body_empty");
	const json_t *text = json_object_get(expect, "body_text");
	const json_t *body = json_object_get(expect, "body");
	struct match_err err;
	json_t *act;
	bool ok;

	match_err_init(&err);
	if (json_is_true(body_empty) && rs->body_len > 0)
		return msg_set(
		    msg, len, "body_empty: expected no body, got %zu bytes: %s",
		    rs->body_len, snippet(rs->body, rs->body_len, snip, sizeof(snip)));
	if (json_is_false(body_empty) && rs->body_len == 0)
		return msg_set(msg, len, "body_empty: expected a body, got none");
	if (text) {
		act = json_stringn_nocheck(rs->body, rs->body_len);
		ok = act && match_json(text, act, "body_text", &err);
		json_decref(act);
		if (!ok)
			return msg_set(msg, len, "%s: %s", err.path,
			               err.msg[0] ? err.msg : "out of memory");
	}
	if (!body)
		return 0;
	*parsed = parse_body(rs, msg, len);
	if (!*parsed)
		return -1;
	if (!match_json(body, *parsed, "body", &err))
		return msg_set(msg, len, "%s: %s", err.path, err.msg);
	return 0;
}

static int do_captures(const json_t *capture, const struct http_response *rs,
                       json_t *parsed, struct vars *vars, char *msg, size_t len)
{
	struct match_err err;
	const char *name;
	json_t *root, *v;
	char *s;
	int ret = -1;

	root = json_object();
	if (!root)
		return msg_set(msg, len, "out of memory");
	json_object_set(root, "headers", rs->headers);
	if (parsed)
		json_object_set(root, "body", parsed);
	json_object_foreach((json_t *)capture, name, v)
	{
		/* bodies are parsed only when a case looks at them */
		if (!json_object_get(root, "body") &&
		    strncmp(json_string_value(v), "body", 4) == 0) {
			parsed = parse_body(rs, msg, len);
			if (!parsed)
				goto out;
			json_object_set_new(root, "body", parsed);
		}
		/* "path?param": one parameter of the URL the path holds */
		char path[512];
		const char *param;
		snprintf(path, sizeof(path), "%s", json_string_value(v));
		param = strchr(path, '?');
		if (param)
			path[param++ - path] = '\0';
		match_err_init(&err);
		v = capture_lookup(root, path, &err);
		if (!v) {
			msg_set(msg, len, "capture \"%s\": %s: %s", name, err.path,
			        err.msg);
			goto out;
		}
		s = capture_stringify(v);
		if (s && param) {
			char *value = capture_url_param(s, param);
			if (!value) {
				msg_set(msg, len,
				        "capture \"%s\": %s has no parameter '%s'", name,
				        s, param);
				free(s);
				goto out;
			}
			free(s);
			s = value;
		}
		if (!s || vars_set(vars, name, s)) {
			free(s);
			msg_set(msg, len, "out of memory");
			goto out;
		}
		free(s);
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

static bool is_json(const struct http_response *rs)
{
	const char *ct = json_string_value(json_object_get(rs->headers, "content-type"));

	return ct && !strncasecmp(ct, "application/json", 16) && rs->body_len;
}

/*
 * Every 2xx JSON body, whatever the case expects of it, must have the shape
 * Graph's CSDL gives its type (csdl.h; csdl_test.c proves drifted bodies fail).
 */
static int check_csdl(const struct http_response *rs, char *msg, size_t len)
{
	char why[MSG_MAX] = "";
	json_t *body;
	bool ok = true;

	if (!is_json(rs))
		return 0;
	body = json_loadb(rs->body, rs->body_len, JSON_DECODE_ANY, NULL);
	if (body)
		ok = csdl_check_body(rs->status, body, why, sizeof(why));
	json_decref(body);
	return ok ? 0 : msg_set(msg, len, "%s", why);
}

static int check_response(const json_t *expect, int sent_rc,
                          const struct http_response *rs, struct vars *vars, char *msg,
                          size_t len)
{
	char snip[SNIPPET_MAX];
	const json_t *status = json_object_get(expect, "status");
	const json_t *headers = json_object_get(expect, "headers");
	const json_t *capture = json_object_get(expect, "capture");
	struct match_err err;
	json_t *parsed = NULL;
	int ret = -1;

	if (sent_rc && !rs->transport_error)
		return msg_set(msg, len, "%s", rs->error);
	if (json_is_true(json_object_get(expect, "transport_error"))) {
		if (sent_rc)
			return 0;
		return msg_set(msg, len, "expected a transport error, got HTTP %ld",
		               rs->status);
	}
	if (sent_rc)
		return msg_set(msg, len, "transport error: %s", rs->error);
	if (status && json_integer_value(status) != rs->status)
		return msg_set(msg, len,
		               "status: expected %" JSON_INTEGER_FORMAT ", got %ld: %s",
		               json_integer_value(status), rs->status,
		               snippet(rs->body, rs->body_len, snip, sizeof(snip)));
	match_err_init(&err);
	if (headers && !match_headers(headers, rs->headers, &err))
		return msg_set(msg, len, "%s: %s", err.path, err.msg);
	if (check_body(expect, rs, &parsed, msg, len) || check_csdl(rs, msg, len))
		goto out;
	if (capture && do_captures(capture, rs, parsed, vars, msg, len))
		goto out;
	ret = 0;
out:
	json_decref(parsed);
	return ret;
}

static void log_exchange(const struct exec_ctx *ctx, const char *title,
                         const struct sent *s, const char *method, int sent_rc,
                         const struct http_response *rs)
{
	const char *name;
	json_t *v;
	size_t i;

	fprintf(ctx->log, "---- %s\n> %s %s\n", title, method,
	        s->url ? s->url : "(not built)");
	for (i = 0; i < s->nlines; i++)
		fprintf(ctx->log, "> %s\n", s->lines[i]);
	if (s->body_len)
		fprintf(ctx->log, ">\n%.*s\n", (int)s->body_len, s->body);
	if (sent_rc && rs->error[0]) {
		fprintf(ctx->log, "< (no response: %s)\n", rs->error);
		return;
	}
	if (!rs->headers)
		return;
	fprintf(ctx->log, "< HTTP %ld\n", rs->status);
	json_object_foreach(rs->headers, name, v)
	    fprintf(ctx->log, "< %s: %s\n", name, json_string_value(v));
	if (rs->body_len)
		fprintf(ctx->log, "<\n%.*s%s\n",
		        (int)(rs->body_len < VERBOSE_BODY_MAX ? rs->body_len
		                                              : VERBOSE_BODY_MAX),
		        rs->body, rs->body_len > VERBOSE_BODY_MAX ? "..." : "");
}

static void sleep_ms(json_int_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int exec_step(const struct exec_ctx *ctx, const char *title,
                     const struct case_step *step, struct vars *vars, char *msg,
                     size_t len)
{
	struct http_request rq = {0};
	struct http_response rs = {0};
	struct sent s = {0};
	json_t *expect = NULL;
	int rc = -1, ret = -1;

	if (build_request(ctx, &step->req, vars, &s, msg, len))
		goto out;
	expect = expand_expect(step->expect, vars, msg, len);
	if (!expect || validate_expect(expect, msg, len))
		goto out;
	rq.method = step->req.method;
	rq.url = s.url;
	rq.headers = (const char *const *)s.lines;
	rq.nheaders = s.nlines;
	rq.body = s.body;
	rq.body_len = s.body_len;
	rc = http_send(ctx->http, &rq, &rs);
	if (check_response(expect, rc, &rs, vars, msg, len))
		goto out_log;
	if (json_object_get(expect, "sleep_ms"))
		sleep_ms(json_integer_value(json_object_get(expect, "sleep_ms")));
	ret = 0;
	goto out;
out_log:
	if (ctx->verbose)
		log_exchange(ctx, title, &s, step->req.method, rc, &rs);
out:
	http_response_release(&rs);
	json_decref(expect);
	sent_release(&s);
	return ret;
}

int exec_case(const struct exec_ctx *ctx, const struct case_dir *c, struct vars *vars,
              char *reason, size_t len)
{
	char msg[MSG_MAX], title[512];
	const struct case_step *step;
	size_t i;

	for (i = 0; i < c->nsteps; i++) {
		step = &c->steps[i];
		if (c->nsteps > 1)
			snprintf(title, sizeof(title), "%s step %zu", c->name, i + 1);
		else
			snprintf(title, sizeof(title), "%s", c->name);
		msg[0] = '\0';
		if (exec_step(ctx, title, step, vars, msg, sizeof(msg)) == 0)
			continue;
		if (c->nsteps > 1)
			snprintf(reason, len, "step %zu (%s %s): %s", i + 1,
			         step->req.method, step->req.target, msg);
		else
			snprintf(reason, len, "%s %s: %s", step->req.method,
			         step->req.target, msg);
		return -1;
	}
	return 0;
}
