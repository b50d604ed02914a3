/*
 * server/core/req.c - building and reading struct req: path splitting with
 * per-segment percent-decoding, key-as-segment forms, query and header lists.
 */
#include "req.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdio.h>

#include "../../state/util/guid.h"
#include "../../state/util/alloc.h"

/*
 * Request ids come from a per-thread generator seeded once from the kernel:
 * a getrandom() per request was a syscall on the hot path. Each worker thread
 * has its own stream, so no lock is needed and ids are still unpredictable
 * across runs (never reproducible, unlike --seed object ids).
 */
static _Thread_local struct rng id_rng;
static _Thread_local bool id_rng_seeded;

static void request_id(char out[GUID_STR_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[16];
	uint64_t w[2];
	size_t o = 0;

	if (!id_rng_seeded) {
		random_bytes(id_rng.s, sizeof(id_rng.s));
		if (!(id_rng.s[0] | id_rng.s[1] | id_rng.s[2] | id_rng.s[3]))
			id_rng.s[0] = 1; /* xoshiro's one forbidden state */
		id_rng_seeded = true;
	}
	w[0] = rng_next(&id_rng);
	w[1] = rng_next(&id_rng);
	memcpy(b, w, sizeof(b));
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	for (size_t i = 0; i < sizeof(b); i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

void req_init(struct req *req)
{
	memset(req, 0, sizeof(*req));
	request_id(req->request_id);
	memcpy(req->client_request_id, req->request_id, sizeof(req->request_id));
}

/* A pair's name and value share one allocation, the name's. */
static void kv_free(struct req_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++)
		state_free(kv[i].name);
	state_free(kv);
}

void req_release(struct req *req)
{
	for (size_t i = 0; i < req->nsegs; i++)
		state_free(req->segs[i]);
	state_free(req->path);
	kv_free(req->query, req->nquery);
	kv_free(req->headers, req->nheaders);
	state_free(req->raw_body);
	if (req->body_file)
		fclose(req->body_file);
	json_decref(req->body);
	json_decref(req->claims);
	memset(req, 0, sizeof(*req));
}

/*
 * The list grows to 8 pairs, then doubles: its room is implied by @n (a
 * realloc when @n is 0, 8, 16, 32, ...), so most requests make one.
 */
static int kv_add(struct req_kv **list, size_t *n, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value ? value : "");
	char *pair;

	if (*n == 0 || (*n >= 8 && !(*n & (*n - 1)))) {
		size_t cap = *n ? *n * 2 : 8;
		struct req_kv *grown = state_realloc(*list, cap * sizeof(**list));
		if (!grown)
			return -1;
		*list = grown;
	}
	pair = state_malloc(nl + vl + 2);
	if (!pair)
		return -1;
	memcpy(pair, name, nl + 1);
	memcpy(pair + nl + 1, value ? value : "", vl + 1);
	(*list)[*n].name = pair;
	(*list)[*n].value = pair + nl + 1;
	(*n)++;
	return 0;
}

int req_add_query(struct req *req, const char *name, const char *value)
{
	return kv_add(&req->query, &req->nquery, name, value);
}

int req_add_header(struct req *req, const char *name, const char *value)
{
	if (kv_add(&req->headers, &req->nheaders, name, value))
		return -1;
	for (char *p = req->headers[req->nheaders - 1].name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return 0;
}

int req_set_body(struct req *req, const char *data, size_t len)
{
	char *copy = state_malloc(len + 1);

	if (!copy)
		return -1;
	memcpy(copy, data, len);
	copy[len] = '\0';
	state_free(req->raw_body);
	req->raw_body = copy;
	req->body_len = len;
	return 0;
}

void req_take_body(struct req *req, char *data, size_t len)
{
	data[len] = '\0';
	state_free(req->raw_body);
	req->raw_body = data;
	req->body_len = len;
}

const char *req_query(const struct req *req, const char *name)
{
	for (size_t i = 0; i < req->nquery; i++)
		if (!strcmp(req->query[i].name, name))
			return req->query[i].value;
	return NULL;
}

bool req_option_named(const struct req *req, const char *name, const char *option)
{
	if (!name)
		return false;
	if (name[0] == '$')
		return !strcasecmp(name, option);
	return !strcmp(req->version, "beta") && !strcasecmp(name, option + 1);
}

const char *req_option(const struct req *req, const char *option)
{
	for (size_t i = 0; i < req->nquery; i++)
		if (req_option_named(req, req->query[i].name, option))
			return req->query[i].value ? req->query[i].value : "";
	return NULL;
}

/*
 * Names are stored lower-cased, so a first byte that differs from @name's,
 * lower-cased, rules a header out without strcasecmp(): the pipeline asks
 * for a dozen headers a request, most of them absent.
 */
const char *req_header(const struct req *req, const char *name)
{
	char first = (char)tolower((unsigned char)name[0]);

	for (size_t i = 0; i < req->nheaders; i++)
		if (req->headers[i].name[0] == first &&
		    !strcasecmp(req->headers[i].name, name))
			return req->headers[i].value;
	return NULL;
}

const char *req_param(const struct req *req, size_t i)
{
	return i < req->nparams ? req->params[i] : NULL;
}

bool req_graph_audience(const struct req *req, const char *aud)
{
	size_t n = strlen(req->base_url);

	if (!strcmp(aud, "https://graph.microsoft.com") ||
	    !strcmp(aud, "https://graph.microsoft.com/") ||
	    !strcmp(aud, "00000003-0000-0000-c000-000000000000"))
		return true;
	return n && !strncasecmp(aud, req->base_url, n) &&
	       (!aud[n] || !strcmp(aud + n, "/"));
}

bool req_is_advanced(const struct req *req)
{
	const char *cl = req_header(req, "consistencylevel");

	return cl && !strcasecmp(cl, "eventual");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decoding; with @plus, '+' is a space, as in a query string. */
static enum req_decode decode(const char *s, size_t len, bool plus, char **out)
{
	char *d = state_malloc(len + 1);
	size_t o = 0;

	*out = NULL;
	if (!d)
		return REQ_DECODE_OOM;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] != '%') {
			d[o++] = plus && s[i] == '+' ? ' ' : s[i];
			continue;
		}
		hi = i + 2 < len ? hexval(s[i + 1]) : -1;
		lo = i + 2 < len ? hexval(s[i + 2]) : -1;
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			state_free(d);
			return REQ_DECODE_BAD;
		}
		d[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	d[o] = '\0';
	*out = d;
	return REQ_DECODE_OK;
}

enum req_decode req_percent_decode_into(const char *s, size_t len, char **out)
{
	return decode(s, len, false, out);
}

char *req_percent_decode(const char *s, size_t len)
{
	char *out;

	return req_percent_decode_into(s, len, &out) ? NULL : out;
}

int req_add_query_string(struct req *req, const char *q)
{
	while (*q) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		size_t klen = eq ? (size_t)(eq - q) : len;
		enum req_decode rc = REQ_DECODE_OK;

		if (klen) {
			char *k, *v = NULL;

			rc = req_percent_decode_into(q, klen, &k);
			if (!rc)
				rc = eq ? req_percent_decode_into(eq + 1, len - klen - 1,
				                                  &v)
				        : req_percent_decode_into("", 0, &v);
			if (!rc && req_add_query(req, k, v))
				rc = REQ_DECODE_OOM;
			state_free(k);
			state_free(v);
		}
		if (rc)
			return (int)rc;
		q += len;
		q += *q == '&';
	}
	return 0;
}

/*
 * "name(key='v')" or "name('v')" -> "name" + "v". OData lets a key stand in
 * parentheses after an entity set; Graph uses it for alternate keys such as
 * servicePrincipals(appId='...') and for UPNs starting with '$'.
 */
/*
 * "graph.group" -> "microsoft.graph.group": $metadata declares "graph" as the
 * alias of the microsoft.graph namespace, and Kiota-generated SDKs spell every
 * type cast with it (/memberOf/graph.group). Route tables use the full name.
 */
static char *expand_namespace_alias(char *seg)
{
	static const char alias[] = "graph.";
	static const char full[] = "microsoft.graph.";
	size_t len = strlen(seg);
	char *out;

	if (strncmp(seg, alias, sizeof(alias) - 1) || len == sizeof(alias) - 1)
		return seg;
	out = state_malloc(len - (sizeof(alias) - 1) + sizeof(full));
	if (out)
		snprintf(out, len - (sizeof(alias) - 1) + sizeof(full), "%s%s", full,
		         seg + sizeof(alias) - 1);
	state_free(seg);
	return out; /* NULL when out of memory */
}

/* Add @seg (steals). REQ_DECODE_BAD: too many segments. */
static enum req_decode push_segment(struct req *req, char *seg)
{
	char *open = strchr(seg, '(');
	size_t len = strlen(seg);

	if (req->nsegs >= REQ_MAX_SEGMENTS) {
		state_free(seg);
		return REQ_DECODE_BAD;
	}
	if (open && open != seg && len >= 4 && seg[len - 1] == ')') {
		char *inner = open + 1;
		const char *alt = NULL;
		char *eq = strchr(inner, '=');

		seg[len - 1] = '\0';
		if (eq && eq[1] == '\'') {
			*eq = '\0';
			if (!strcmp(inner, "appId"))
				alt = "appId";
			else if (!strcmp(inner, "id"))
				alt = NULL;
			else
				alt = "unknown";
			inner = eq + 1;
		}
		size_t ilen = strlen(inner);
		if (ilen >= 2 && inner[0] == '\'' && inner[ilen - 1] == '\'') {
			inner[ilen - 1] = '\0';
			inner++;
			*open = '\0';
			char *key = state_strdup(inner);
			if (!key || req->nsegs + 2 > REQ_MAX_SEGMENTS) {
				state_free(key);
				state_free(seg);
				return key ? REQ_DECODE_BAD : REQ_DECODE_OOM;
			}
			req->segs[req->nsegs++] = seg;
			req->seg_alt_key[req->nsegs] = alt;
			req->segs[req->nsegs++] = key;
			return REQ_DECODE_OK;
		}
		seg[len - 1] = ')';
		if (eq)
			*eq = '=';
	}
	req->segs[req->nsegs++] = seg;
	return REQ_DECODE_OK;
}

int req_insert_segment(struct req *req, size_t at, const char *value)
{
	char *copy;

	if (at > req->nsegs || req->nsegs >= REQ_MAX_SEGMENTS)
		return -1;
	copy = state_strdup(value);
	if (!copy)
		return -1;
	memmove(&req->segs[at + 1], &req->segs[at],
	        (req->nsegs - at) * sizeof(req->segs[0]));
	memmove(&req->seg_alt_key[at + 1], &req->seg_alt_key[at],
	        (req->nsegs - at) * sizeof(req->seg_alt_key[0]));
	req->segs[at] = copy;
	req->seg_alt_key[at] = NULL;
	req->nsegs++;
	return 0;
}

int req_set_path(struct req *req, const char *path)
{
	const char *p = path;

	state_free(req->path);
	req->path = state_strdup(path);
	if (!req->path)
		return REQ_DECODE_OOM;
	if (!strncmp(p, "/v1.0", 5) && (p[5] == '/' || p[5] == '\0')) {
		snprintf(req->version, sizeof(req->version), "v1.0");
		p += 5;
	} else if (!strncmp(p, "/beta", 5) && (p[5] == '/' || p[5] == '\0')) {
		snprintf(req->version, sizeof(req->version), "beta");
		p += 5;
	}
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, "/");
		char *seg;
		enum req_decode rc = req_percent_decode_into(p, len, &seg);

		if (rc)
			return rc;
		seg = expand_namespace_alias(seg);
		if (!seg)
			return REQ_DECODE_OOM;
		rc = push_segment(req, seg);
		if (rc)
			return rc;
		p += len;
	}
	return REQ_DECODE_OK;
}
