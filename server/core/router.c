/*
 * server/core/router.c - matching decoded path segments against route patterns.
 * Generic request checks that need the server context live in dispatch.c.
 */
#include "router.h"

#include <ctype.h>
#include <stdio.h>
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

void router_match(const struct route *const *tables, const char *method, struct req *req,
                  struct route_match *m)
{
	const char *caps[REQ_MAX_PARAMS], *alts[REQ_MAX_PARAMS];
	int best = -1;

	memset(m, 0, sizeof(*m));
	for (size_t t = 0; tables[t]; t++) {
		for (const struct route *r = tables[t]; r->method; r++) {
			size_t depth, ncaps;
			int score =
			    match_pattern(r->pattern, req, &depth, caps, alts, &ncaps);
			if (depth > m->bad_segment)
				m->bad_segment = depth;
			if (score < 0)
				continue;
			if (strcmp(r->method, method)) {
				m->method_mismatch = true;
				continue;
			}
			if (score <= best)
				continue;
			best = score;
			m->route = r;
			req->nparams = ncaps;
			for (size_t c = 0; c < ncaps; c++) {
				req->params[c] = caps[c];
				req->param_alt_key[c] = alts[c];
			}
		}
	}
	if (m->route)
		m->method_mismatch = false;
}

/* The depth a pattern reaches counts only segments that matched, so the
 * first unknown segment is the one right after the deepest partial match. */

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
