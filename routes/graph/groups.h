/*
 * routes/graph/groups.h - what the group routes share: groups.c (CRUD),
 * group_body.c (validation of POST/PATCH bodies), group_members.c
 * (members, owners, $ref), member_of.c and directory_objects.c.
 * Private to those files. Locking: every function runs under st->lock and
 * returns borrowed pointers valid only while it is held.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_GROUPS_H
#define GRAPHMOCK_ROUTES_GRAPH_GROUPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../../state/util/guid.h"
#include "odata_ref.h"

struct call;
struct state;
struct tenant;
struct req;
struct resp;
struct dobj;
struct dobj_list;

/* Stored, never rendered (not in the group schema): the owner ids of a group. */
#define GROUP_OWNERS_KEY "_owners"

/* Graph's wording for a bad or missing property of a group (graph-spec §4.3). */
#define GROUP_INVALID_FMT  "Invalid value specified for property '%s' of resource 'Group'."
#define GROUP_REQUIRED_FMT "A value is required for property '%s' of resource 'Group'."
#define GROUP_DUPLICATE_FMT                                                              \
	"One or more added object references already exist for the following modified "  \
	"properties: '%s'."

/* The ids of "members@odata.bind" and "owners@odata.bind" of one request. */
struct group_binds {
	char members[ODATA_BIND_MAX][GUID_STR_LEN + 1];
	size_t nmembers;
	char owners[ODATA_BIND_MAX][GUID_STR_LEN + 1];
	size_t nowners;
};

/*
 * group_find_or_reply() - the visible group with id @id, or NULL after a
 * 404 Request_ResourceNotFound naming @id (400 "Invalid object identifier"
 * when @id is not a GUID: groups have no alternate key).
 */
struct dobj *group_find_or_reply(struct call *c, const char *id);

/*
 * dobj_find_or_reply() - the visible object of @kind (< 0: any kind) named
 * by @key: an object id or, for users, a userPrincipalName. NULL after a 404.
 */
struct dobj *dobj_find_or_reply(struct call *c, int kind, const char *key);

/*
 * group_body_check() - validate a POST (@create) or PATCH body of a group
 * against Graph's rules (graph-spec §5.1): types, required properties,
 * mailNickname characters, groupTypes, read-only and unknown properties, and
 * the @odata.bind arrays (parsed into @binds). Nothing is changed.
 * Returns 0, or -1 after a 400 on @resp.
 */
int group_body_check(const json_t *body, bool create, struct group_binds *binds,
                     struct resp *resp);

/*
 * group_binds_check() - resolve every bound id in @t: each must exist and be
 * of a kind that may be a member (user, group, servicePrincipal) or owner
 * (user, servicePrincipal); members already in @group (NULL for a new group)
 * or listed twice -> the duplicate error. Returns 0, or -1 after resp_error().
 */
int group_binds_check(struct call *c, struct dobj *group,
                      const struct group_binds *binds);

/*
 * group_binds_apply() - add the checked binds to @group. Returns 0, or -1 on
 * OOM (the edges added so far are undone).
 */
int group_binds_apply(struct call *c, struct dobj *group,
                      const struct group_binds *binds);

/*
 * group_member_refusal() - why @member may not be added to @group's
 * members, written to @resp as an error; 0 when it may. (Self-membership,
 * kinds that cannot be members, dynamic groups.)
 */
int group_member_refusal(const struct dobj *group, const struct dobj *member,
                         struct resp *resp);

/*
 * dobjs_respond() - a directoryObjects collection of @list (sorted by
 * insertion order here) through the OData engine: @context after
 * "$metadata#", "@odata.type" on every item when @annotate, service
 * principals left out when @skip_sps (v1.0 /members, graph-spec §5.3),
 * only objects of @kind when @kind >= 0 (type casts).
 * With @count the /$count text is answered instead.
 */
int dobjs_respond(struct call *c, struct dobj_list *list, const char *context,
                  bool annotate, bool skip_sps, int kind, bool count);

/* dobj_is_v1_hidden() - is @d a service principal and the request on v1.0? */
bool dobj_sp_hidden(const struct req *req, const struct dobj *d);

#endif
