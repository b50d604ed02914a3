/*
 * routes/graph/action_params.h - the parameters of an OData action's body
 * (getByIds, checkMemberGroups, addPassword, removeKey, ...). Graph's OData
 * layer refuses, before the action runs, a parameter the action does not
 * declare and a required one that is missing (graph-spec §1.6).
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_ACTION_PARAMS_H
#define GRAPHMOCK_ROUTES_GRAPH_ACTION_PARAMS_H

#include <jansson.h>

struct resp;

/*
 * action_params_check() - 0 when every key of @body (an object, or NULL for
 * an action whose body is optional) is one of @allowed (NULL-terminated) and
 * @required (NULL: none) is present; else -1 after Graph's 400 BadRequest:
 * "The parameter 'x' in the request payload is not a valid parameter for the
 * operation '@action'." or "The parameter 'x' is missing for the operation
 * '@action'.".
 */
int action_params_check(struct resp *resp, const json_t *body, const char *action,
                        const char *const *allowed, const char *required);

#endif
