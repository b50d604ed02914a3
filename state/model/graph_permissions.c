/*
 * state/model/graph_permissions.c - Graph's permission catalogue, parsed once.
 * The one piece of state shared by every tenant: immutable once built (its
 * arrays are only ever referenced, never edited: a PATCH of a service
 * principal's appRoles replaces the array), so sharing it needs no lock
 * beyond the one that guards building it.
 */
#include "graph_permissions.h"

#include <pthread.h>

static pthread_mutex_t catalogue_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *catalogue; /* built once, then read-only; freed with the process */

const json_t *model_graph_permissions(void)
{
	json_t *c;

	pthread_mutex_lock(&catalogue_lock);
	if (!catalogue)
		catalogue = json_loads(model_graph_permissions_json, 0, NULL);
	c = catalogue;
	pthread_mutex_unlock(&catalogue_lock);
	return c;
}
