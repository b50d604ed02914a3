/*
 * state/model/model_internal.h - helpers private to the state/model_*.c files.
 */
#ifndef GRAPHMOCK_STATE_MODEL_MODEL_INTERNAL_H
#define GRAPHMOCK_STATE_MODEL_MODEL_INTERNAL_H

#include "model.h"

/* model_default() - set @key to @value (steals) unless @obj already has it. 0 or -1. */
int model_default(json_t *obj, const char *key, json_t *value);

/* MODEL_DEFAULT() - model_default() that evaluates @value only when @key is
 * missing: nothing is built and thrown away for a property already set (the
 * fixture's users, a million at a time). @key is a literal: valid UTF-8. */
#define MODEL_DEFAULT(obj, key, value)                                                   \
	(json_object_get((obj), (key))                                                   \
	     ? 0                                                                         \
	     : json_object_set_new_nocheck((obj), (key), (value)))

/*
 * model_ensure_id() - give @obj a fresh "id" from the seeded generator if it
 * has none, one no object of @t holds.
 */
int model_ensure_id(struct state *st, struct tenant *t, json_t *obj);

#endif
