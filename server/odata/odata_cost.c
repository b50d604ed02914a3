/*
 * server/odata/odata_cost.c - what a request costs against Entra ID's
 * throttling budget, as the x-ms-resource-unit header reports it
 * (learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits,
 * read for /work/notes/fidelity.md §5): a base cost per path, then $select -1,
 * $expand +1, $top below 20 -1, never below 1.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/req.h"
#include "odata.h"

/* One row of the page's table; "*" is any single segment (an id). */
struct cost {
	const char *method;
	const char *path; /* segments joined by '/', version-less */
	size_t nsegs;     /* how many: rows of another length are not tried */
	int units;
};

static const struct cost costs[] = {
    {"GET", "users", 1, 2},
    {"GET", "applications", 1, 2},
    {"GET", "applications/*/extensionProperties", 3, 2},
    {"GET", "contracts", 1, 3},
    {"GET", "domains/*/domainNameReferences", 3, 4},
    {"GET", "groups/*/members", 3, 3},
    {"GET", "groups/*/transitiveMembers", 3, 5},
    {"GET", "oauth2PermissionGrants", 1, 2},
    {"GET", "oauth2PermissionGrants/*", 2, 2},
    {"GET", "servicePrincipals/*/appRoleAssignments", 3, 2},
    {"GET", "subscribedSkus", 1, 3},
    {"POST", "directoryObjects/getByIds", 2, 5},
    {"POST", "getObjectsById", 1, 5},
    {"POST", "isMemberOf", 1, 4},
    /* "Any request cost that applies to a request path starting with me/ also
     * applies to equivalent requests starting with users/{id}/." */
    {"GET", "me/licenseDetails", 2, 2},
    {"GET", "me/memberOf", 2, 2},
    {"GET", "me/ownedObjects", 2, 2},
    {"GET", "me/transitiveMemberOf", 2, 2},
    {"POST", "me/checkMemberGroups", 2, 4},
    {"POST", "me/checkMemberObjects", 2, 4},
    {"POST", "me/getMemberGroups", 2, 2},
    {"POST", "me/getMemberObjects", 2, 2},
};

/* Does @req's path (segments from @from) match @path? */
static bool path_is(const struct req *req, size_t from, const char *path)
{
	size_t i = from;

	while (*path) {
		size_t n = strcspn(path, "/");

		if (i >= req->nsegs || !req->segs[i])
			return false;
		if (!(n == 1 && *path == '*') &&
		    (strlen(req->segs[i]) != n || strncasecmp(req->segs[i], path, n)))
			return false;
		i++;
		path += n + (path[n] == '/');
	}
	return i == req->nsegs;
}

/* @c's method is the request's (@method: "GET" or "POST", as the table spells them). */
static bool matches(const struct req *req, const char *method, const struct cost *c)
{
	int first;

	if (c->method != method && strcmp(c->method, method))
		return false;
	if (!req->nsegs || !req->segs[0])
		return false;
	/* a first letter that differs rules a row out before path_is() */
	first = tolower((unsigned char)req->segs[0][0]);
	if (c->nsegs == req->nsegs && first == tolower((unsigned char)c->path[0]) &&
	    path_is(req, 0, c->path))
		return true;
	/* me/x is also users/{id}/x */
	return c->nsegs == 2 && req->nsegs == 3 && first == 'u' &&
	       !strncmp(c->path, "me/", 3) && !strcasecmp(req->segs[0], "users") &&
	       path_is(req, 2, c->path + 3);
}

int odata_resource_units(const struct req *req)
{
	const char *top = req_option(req, "$top");
	bool select = req_option(req, "$select") != NULL;
	const char *method = !strcasecmp(req->method, "GET")    ? "GET"
	                     : !strcasecmp(req->method, "POST") ? "POST"
	                                                        : NULL;
	int units = 1;

	for (size_t i = 0; method && i < sizeof(costs) / sizeof(costs[0]); i++)
		if (matches(req, method, &costs[i])) {
			units = costs[i].units;
			break;
		}
	/* "Using $select for directoryObjects/getByIds ... results in 2" */
	if (select && units == 5 && !strcasecmp(req->method, "POST"))
		return 2;
	if (select)
		units--;
	if (req_option(req, "$expand"))
		units++;
	if (top && strtol(top, NULL, 10) > 0 && strtol(top, NULL, 10) < 20)
		units--;
	return units < 1 ? 1 : units;
}
