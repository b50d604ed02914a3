/*
 * routes/graph/odata_ref.h - entity references as clients send them: the
 * "@odata.id" of a $ref body and the URLs of "<nav>@odata.bind" arrays
 * (graph-spec §5.1, §5.4, §5.6). Any scheme and host are accepted (SDKs
 * write https://graph.microsoft.com, the Azure CLI writes the mock's own
 * base URL); only the path's collection and trailing GUID matter.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_ODATA_REF_H
#define GRAPHMOCK_ROUTES_GRAPH_ODATA_REF_H

#include <jansson.h>
#include <stddef.h>

#include "../../state/util/guid.h"

struct resp;

/* At most this many URLs across all "@odata.bind" arrays of one request. */
#define ODATA_BIND_MAX 20

/*
 * Collections a directory reference may name. A NULL-terminated list of
 * names (case-insensitive) is passed to the parsers; this is the usual one.
 */
extern const char *const odata_ref_directory_sets[];

/*
 * odata_ref_parse() - the object id that reference URL @url names, written
 * lower-cased to @id. Accepted shapes, with any "scheme://host" prefix (or
 * none) and an optional version segment ("v1.0", "beta"):
 *   .../<set>/<guid>         .../<set>('<guid>')       .../<set>(<guid>)
 *   .../v2/<tenant>/directoryObjects/<guid>[/Microsoft.DirectoryServices.X]
 * where <set> is one of @sets (NULL-terminated, case-insensitive).
 * Returns 0, or -1 when @url has none of these shapes.
 */
int odata_ref_parse(const char *url, const char *const *sets, char id[GUID_STR_LEN + 1]);

/*
 * odata_ref_body() - validate a $ref request body @body (borrowed): exactly
 * one property "@odata.id", a string that odata_ref_parse() accepts.
 * On failure @resp gets 400 Request_BadRequest "Invalid object identifier
 * '<x>'." where <x> is the offending string (or the JSON text of the
 * offending value / the stray property name), except a reference to a known
 * collection by a userPrincipalName (".../users/bob@contoso.com"): 404
 * Request_ResourceNotFound naming the key, as Graph answers.
 * Returns 0 with the id in @id, or -1 after resp_error().
 */
int odata_ref_body(const json_t *body, const char *const *sets, struct resp *resp,
                   char id[GUID_STR_LEN + 1]);

/*
 * odata_ref_bind() - parse the "<nav>@odata.bind" array @arr (borrowed) of
 * reference URLs into @ids (room for @max ids), counting into *@n (which the
 * caller initialises, so several arrays share one @max budget).
 * Errors go to @resp: a non-array or a non-string entry -> 400 BadRequest
 * naming @prop; an unparsable URL -> 400 Request_BadRequest "Invalid object
 * identifier '<url>'."; more than @max URLs in total -> 400
 * Request_BadRequest naming the limit. Duplicates inside the array are kept:
 * the caller decides what they mean.
 * Returns 0, or -1 after resp_error().
 */
int odata_ref_bind(const json_t *arr, const char *prop, const char *const *sets,
                   char (*ids)[GUID_STR_LEN + 1], size_t max, size_t *n,
                   struct resp *resp);

#endif
