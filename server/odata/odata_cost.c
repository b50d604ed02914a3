/*
 * server/odata/odata_cost.c - what a request costs against Entra ID's
 * throttling budget, as the x-ms-resource-unit header reports it
 * (learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits,
 * read for /work/notes/fidelity.md §5): a base cost per path, then $select -1,
 * $expand +1, $top below 20 -1, never below 1.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/req.h"
#include "odata.h"

/* One row of the page's table; "*" is any single segment (an id). */
struct cost {
	const char *method;
	const char *path; /* segments joined by '/', version-less */
	int units;
};

static const struct cost costs[] = {
    {"GET", "users", 2},
    {"GET", "applications", 2},
    {"GET", "applications/*/extensionProperties", 2},
    {"GET", "contracts", 3},
    {"GET", "domains/*/domainNameReferences", 4},
    {"GET", "groups/*/members", 3},
    {"GET", "groups/*/transitiveMembers", 5},
    {"GET", "oauth2PermissionGrants", 2},
    {"GET", "oauth2PermissionGrants/*", 2},
    {"GET", "servicePrincipals/*/appRoleAssignments", 2},
    {"GET", "subscribedSkus", 3},
    {"POST", "directoryObjects/getByIds", 5},
    {"POST", "getObjectsById", 5},
    {"POST", "isMemberOf", 4},
    /* "Any request cost that applies to a request path starting with me/ also
     * applies to equivalent requests starting with users/{id}/." */
    {"GET", "me/licenseDetails", 2},
    {"GET", "me/memberOf", 2},
    {"GET", "me/ownedObjects", 2},
    {"GET", "me/transitiveMemberOf", 2},
    {"POST", "me/checkMemberGroups", 4},
    {"POST", "me/checkMemberObjects", 4},
    {"POST", "me/getMemberGroups", 2},
    {"POST", "me/getMemberObjects", 2},
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

static bool matches(const struct req *req, const struct cost *c)
{
	if (strcasecmp(req->method, c->method))
		return false;
	if (path_is(req, 0, c->path))
		return true;
	/* me/x is also users/{id}/x */
	return !strncmp(c->path, "me/", 3) && req->nsegs == 3 && req->segs[0] &&
	       !strcasecmp(req->segs[0], "users") && path_is(req, 2, c->path + 3);
}

int odata_resource_units(const struct req *req)
{
	const char *top = req_query(req, "$top");
	bool select = req_query(req, "$select") != NULL;
	int units = 1;

	for (size_t i = 0; i < sizeof(costs) / sizeof(costs[0]); i++)
		if (matches(req, &costs[i])) {
			units = costs[i].units;
			break;
		}
	/* "Using $select for directoryObjects/getByIds ... results in 2" */
	if (select && units == 5 && !strcasecmp(req->method, "POST"))
		return 2;
	if (select)
		units--;
	if (req_query(req, "$expand"))
		units++;
	if (top && strtol(top, NULL, 10) > 0 && strtol(top, NULL, 10) < 20)
		units--;
	return units < 1 ? 1 : units;
}
