/*
 * routes/graph/action_params.c - unknown and missing parameters of an OData
 * action's body, answered as Graph's OData layer answers them.
 */
#include "action_params.h"

#include <string.h>

#include "../../server/core/error.h"
#include "../../server/core/resp.h"

static int known(const char *const *allowed, const char *key)
{
	for (size_t i = 0; allowed[i]; i++)
		if (!strcmp(allowed[i], key))
			return 1;
	return 0;
}

int action_params_check(struct resp *resp, const json_t *body, const char *action,
                        const char *const *allowed, const char *required)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)body, key, v)
	{
		if (!known(allowed, key))
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "The parameter '%s' in the request payload is not "
			    "a valid parameter for the operation '%s'.",
			    key, action);
	}
	if (required && !json_object_get(body, required))
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "The parameter '%s' is missing for the operation '%s'.",
		                  required, action);
	return 0;
}
