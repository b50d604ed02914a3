/*
 * server/core/router.c - matching decoded path segments against route patterns.
 * Generic request checks that need the server context live in dispatch.c.
 */
#include "router.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "req.h"

const struct route_perms route_perms_none = {PERM_NONE, NULL, NULL};
const struct route_perms route_perms_any_token = {PERM_TOKEN, NULL, NULL};

/* Compare one pattern against @req; return literal count, or -1, and the depth reached.
 */
static int match_pattern(const char *pattern, const struct req *req, size_t *depth,
                         const char **caps, const char **alts, size_t *ncaps)
{
	const char *p = pattern;
	size_t i = 0;
	int literals = 0;

	*ncaps = 0;
	*depth = 0;
	if (!strcmp(pattern, "/")) /* the version root itself: /v1.0/ */
		return req->nsegs == 0 ? 0 : -1;
	/* Most patterns already differ from the path in their first letter. */
	if (req->nsegs && p[1] != '{' &&
	    tolower((unsigned char)p[1]) != tolower((unsigned char)req->segs[0][0]))
		return -1;
	while (*p == '/') {
		p++;
		size_t len = strcspn(p, "/");
		if (i >= req->nsegs)
			return -1;
		if (p[0] == '{') {
			if (*ncaps >= REQ_MAX_PARAMS)
				return -1;
			caps[*ncaps] = req->segs[i];
			alts[*ncaps] = req->seg_alt_key[i];
			(*ncaps)++;
		} else if (strlen(req->segs[i]) != len ||
		           strncasecmp(p, req->segs[i], len) || req->seg_alt_key[i]) {
			return -1;
		} else {
			literals++;
		}
		i++;
		*depth = i;
		p += len;
	}
	return i == req->nsegs ? literals : -1;
}

/* Try row @r: a better match replaces m->route (and req->params). */
static void consider(const struct route *r, const char *method, struct req *req,
                     struct route_match *m, int *best)
{
	const char *caps[REQ_MAX_PARAMS], *alts[REQ_MAX_PARAMS];
	size_t depth, ncaps;
	int score = match_pattern(r->pattern, req, &depth, caps, alts, &ncaps);

	if (depth > m->bad_segment)
		m->bad_segment = depth;
	if (score < 0)
		return;
	if (strcmp(r->method, method)) {
		m->method_mismatch = true;
		return;
	}
	if (score <= *best)
		return;
	*best = score;
	m->route = r;
	req->nparams = ncaps;
	for (size_t c = 0; c < ncaps; c++) {
		req->params[c] = caps[c];
		req->param_alt_key[c] = alts[c];
	}
}

void router_match(const struct route *const *tables, const char *method, struct req *req,
                  struct route_match *m)
{
	int best = -1;

	memset(m, 0, sizeof(*m));
	for (size_t t = 0; tables[t]; t++)
		for (const struct route *r = tables[t]; r->method; r++)
			consider(r, method, req, m, &best);
	if (m->route)
		m->method_mismatch = false;
}

/* The first segment of a pattern other than "/": its length, 0 for a {capture}. */
static size_t first_literal(const char *pattern)
{
	if (pattern[1] == '{')
		return 0;
	return strcspn(pattern + 1, "/");
}

/* Order of a first segment @a (@alen bytes) against a key, ASCII case folded. */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = strncasecmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int bucket_cmp(const void *x, const void *y)
{
	const struct router_bucket *a = x, *b = y;

	return key_cmp(a->key, a->keylen, b->key, b->keylen);
}

/* The bucket for @seg, or NULL. */
static const struct router_bucket *find_bucket(const struct router_index *ix,
                                               const char *seg)
{
	size_t lo = 0, hi = ix->nbuckets, len = strlen(seg);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct router_bucket *b = &ix->buckets[mid];
		int c = key_cmp(seg, len, b->key, b->keylen);
		if (!c)
			return b;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The distinct first segments of @tables into ix->buckets (keys only), sorted. */
static int index_keys(struct router_index *ix, const struct route *const *tables,
                      size_t nrows)
{
	ix->buckets = calloc(nrows ? nrows : 1, sizeof(*ix->buckets));
	if (!ix->buckets)
		return -1;
	for (size_t t = 0; tables[t]; t++) {
		for (const struct route *r = tables[t]; r->method; r++) {
			size_t len =
			    strcmp(r->pattern, "/") ? first_literal(r->pattern) : 0;
			bool seen = false;
			if (!len)
				continue;
			for (size_t b = 0; b < ix->nbuckets && !seen; b++)
				seen = !key_cmp(r->pattern + 1, len, ix->buckets[b].key,
				                ix->buckets[b].keylen);
			if (seen)
				continue;
			ix->buckets[ix->nbuckets].key = r->pattern + 1;
			ix->buckets[ix->nbuckets].keylen = len;
			ix->nbuckets++;
		}
	}
	qsort(ix->buckets, ix->nbuckets, sizeof(*ix->buckets), bucket_cmp);
	return 0;
}

/* The number of segments of @pattern (not "/"). */
static size_t depth_of(const char *pattern)
{
	size_t n = 0;

	for (const char *p = pattern; *p; p++)
		n += *p == '/';
	return n;
}

/* Does row @r belong in bucket @bk (NULL key: the capture rows' own list)? */
static bool in_bucket(const struct route *r, const struct router_bucket *bk)
{
	size_t len;

	if (!strcmp(r->pattern, "/"))
		return false;
	len = first_literal(r->pattern); /* 0: a capture, in every bucket */
	if (!len)
		return true;
	return bk->key && !key_cmp(r->pattern + 1, len, bk->key, bk->keylen);
}

/* Fill @bk's lists from @tables at @at; returns the slots used. */
static size_t fill_bucket(struct router_bucket *bk, const struct route *const *tables,
                          const struct route **at)
{
	size_t k = 0;

	bk->rows = at;
	for (size_t t = 0; tables[t]; t++)
		for (const struct route *r = tables[t]; r->method; r++)
			if (in_bucket(r, bk))
				bk->rows[bk->nrows++] = r;
	bk->exact = at + bk->nrows;
	for (size_t d = 0; d <= ROUTER_DEPTHS; d++) {
		bk->from[d] = k;
		for (size_t i = 0; i < bk->nrows; i++)
			if (depth_of(bk->rows[i]->pattern) == d)
				bk->exact[k++] = bk->rows[i];
	}
	bk->from[ROUTER_DEPTHS + 1] = k;
	return bk->nrows + k;
}

int router_index_init(struct router_index *ix, const struct route *const *tables)
{
	size_t nrows = 0, nwild = 0, size, used = 0;

	memset(ix, 0, sizeof(*ix));
	for (size_t t = 0; tables[t]; t++) {
		for (const struct route *r = tables[t]; r->method; r++) {
			nrows++;
			if (strcmp(r->pattern, "/") && !first_literal(r->pattern))
				nwild++;
		}
	}
	if (index_keys(ix, tables, nrows))
		return -1;
	/* each row at most twice in its own bucket, the capture rows in all */
	size = 2 * (nrows + (ix->nbuckets + 1) * nwild) + nrows;
	ix->store = calloc(size, sizeof(*ix->store));
	if (!ix->store) {
		router_index_release(ix);
		return -1;
	}
	/* Every list in table order: the order router_match() tries rows in. */
	for (size_t b = 0; b < ix->nbuckets; b++)
		used += fill_bucket(&ix->buckets[b], tables, ix->store + used);
	used += fill_bucket(&ix->wild, tables, ix->store + used);
	ix->root = ix->store + used;
	for (size_t t = 0; tables[t]; t++)
		for (const struct route *r = tables[t]; r->method; r++)
			if (!strcmp(r->pattern, "/"))
				ix->root[ix->nroot++] = r;
	return 0;
}

void router_index_release(struct router_index *ix)
{
	free(ix->buckets);
	free(ix->store);
	memset(ix, 0, sizeof(*ix));
}

/*
 * Only rows of the request's own depth can score (match or tell a 405), so
 * those decide whenever one does, and bad_segment is then the depth they
 * reach, req->nsegs, as over every row. Otherwise the whole bucket is walked
 * for the deepest partial match.
 */
void router_index_match(const struct router_index *ix, const char *method,
                        struct req *req, struct route_match *m)
{
	const struct router_bucket *b;
	int best = -1;

	memset(m, 0, sizeof(*m));
	if (!req->nsegs) {
		for (size_t i = 0; i < ix->nroot; i++)
			consider(ix->root[i], method, req, m, &best);
		if (m->route)
			m->method_mismatch = false;
		return;
	}
	b = find_bucket(ix, req->segs[0]);
	if (!b)
		b = &ix->wild;
	if (req->nsegs <= ROUTER_DEPTHS) {
		size_t from = b->from[req->nsegs], to = b->from[req->nsegs + 1];

		/* The method's own rows first: once one matches, the others
		 * cannot change the answer (a route found clears the mismatch). */
		for (size_t i = from; i < to; i++)
			if (!strcmp(b->exact[i]->method, method))
				consider(b->exact[i], method, req, m, &best);
		for (size_t i = from; i < to && !m->route; i++)
			if (strcmp(b->exact[i]->method, method))
				consider(b->exact[i], method, req, m, &best);
		if (m->route || m->method_mismatch) {
			m->method_mismatch = !m->route;
			m->bad_segment = req->nsegs;
			return;
		}
	}
	memset(m, 0, sizeof(*m));
	best = -1;
	for (size_t i = 0; i < b->nrows; i++)
		consider(b->rows[i], method, req, m, &best);
	if (m->route)
		m->method_mismatch = false;
}

bool router_pattern_valid(const char *pattern)
{
	if (!pattern || pattern[0] != '/')
		return false;
	if (!strcmp(pattern, "/"))
		return true;
	for (const char *p = pattern; *p; p++) {
		if (p[0] == '/' && (p[1] == '/' || p[1] == '\0'))
			return false;
		if (p[0] == '{' && !strchr(p, '}'))
			return false;
	}
	return true;
}

void router_allow(const struct route *const *tables, const struct req *req, char *out,
                  size_t len)
{
	const char *caps[REQ_MAX_PARAMS], *alts[REQ_MAX_PARAMS];
	size_t used = 0;

	out[0] = '\0';
	for (size_t t = 0; tables[t]; t++) {
		for (const struct route *r = tables[t]; r->method; r++) {
			size_t depth, ncaps;
			if (match_pattern(r->pattern, req, &depth, caps, alts, &ncaps) <
			    0)
				continue;
			if (strstr(out, r->method))
				continue;
			int n = snprintf(out + used, len - used, "%s%s", used ? ", " : "",
			                 r->method);
			if (n < 0 || (size_t)n >= len - used)
				return;
			used += (size_t)n;
		}
	}
}
