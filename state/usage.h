/*
 * state/usage.h - the permission report (GET /_mock/permissions): for each
 * client that called Graph since the last reset, per tenant and token kind
 * (application or delegated), the least-privileged permission each route
 * it called needs, and what its tokens were granted. Server-wide, under
 * st->usage_lock (a leaf lock); every function takes it itself.
 */
#ifndef GRAPHMOCK_STATE_USAGE_H
#define GRAPHMOCK_STATE_USAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "state.h"

#define USAGE_MAX_CLIENTS 1000
#define USAGE_MAX_CALLS   500 /* distinct routes kept per client */

struct usage_client {
	char *key; /* "<tenant>|<client>|<kind>" (owned) */
	json_t
	    *entry; /* {"clientId","tenantId","tokenType","needed":{},"granted":{},
	               "missing":{},"calls":{}} (owned; objects used as ordered sets) */
	UT_hash_handle hh;
};

/*
 * state_usage_record() - one call of @method @route by @client_id (a token
 * of @tenant_id, delegated or not) that needs every permission of @needed
 * (NULL-terminated; may be empty) and was granted @granted (a JSON array
 * of strings or NULL, borrowed); @refused when the token held none of the
 * route's permissions, which makes @needed "missing". Silently drops what
 * exceeds the caps.
 */
void state_usage_record(struct state *st, const char *client_id, const char *tenant_id,
                        bool delegated, const char *method, const char *route,
                        const char *const *needed, const json_t *granted, bool refused);

/*
 * state_usage_report() - {"value": [{clientId, tenantId, tokenType,
 * needed[], granted[], overConsented[], missing[], calls[{method, route,
 * needed[], count}]}]} in first-seen order. New.
 */
json_t *state_usage_report(struct state *st);

/* state_usage_clear() - start a new report (reset, DELETE /_mock/permissions). */
void state_usage_clear(struct state *st);

#endif
