/*
 * state/model/model_internal.h - helpers private to the state/model_*.c files.
 */
#ifndef GRAPHMOCK_STATE_MODEL_MODEL_INTERNAL_H
#define GRAPHMOCK_STATE_MODEL_MODEL_INTERNAL_H

#include "model.h"

/* model_default() - set @key to @value (steals) unless @obj already has it. 0 or -1. */
int model_default(json_t *obj, const char *key, json_t *value);

/*
 * model_ensure_id() - give @obj a fresh "id" from the seeded generator if it
 * has none, one no object of @t holds.
 */
int model_ensure_id(struct state *st, struct tenant *t, json_t *obj);

#endif
