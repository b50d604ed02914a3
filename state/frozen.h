/*
 * state/frozen.h - a stored object kept as text until first used.
 *
 * A million-user fixture as jansson trees costs ~2.6 KB a user in the store
 * and as much again in the kept reset baseline. Most of those users are
 * never read by a test, so a user as a fixture or state file gives it is
 * kept as its JSON text instead (~300 bytes, shared by the baseline, every
 * tenant built from it and every reset), and parsed into a tree the first
 * time anything reads it (state_dobj_json, state/dobj.c).
 *
 * The text travels as a jansson string whose first byte is NUL: no JSON
 * document can produce such a string (jansson and state/util/jparse refuse
 * NUL in strings), so nothing a client sends can pass for one, and it is
 * refcounted and immutable like any jansson string. Only the loader makes
 * them: users (state/load/fixture_read.c), and Microsoft Graph's service
 * principal, whose permission catalogue is parsed only once it is read
 * (state/load/fixture.c).
 */
#ifndef GRAPHMOCK_STATE_FROZEN_H
#define GRAPHMOCK_STATE_FROZEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * state_frozen_new() - the frozen form of object text @text (@len bytes,
 * valid JSON: the parser has seen it), with the whitespace between tokens
 * left out. Returns: new reference, or NULL on OOM.
 */
json_t *state_frozen_new(const char *text, size_t len);

/*
 * state_frozen_exact() - the same for text kept exactly as given (its
 * newlines too): an export's snapshot holds a tenant's edges as the text of
 * their array (state/load/export.c). Returns: new reference, NULL on OOM.
 */
json_t *state_frozen_exact(const char *text, size_t len);

/*
 * state_frozen_dump() - the frozen form of @obj: its compact text
 * (json_dumps(@obj, JSON_COMPACT), which has no whitespace between tokens,
 * so the same string state_frozen_new() makes of that text), written by
 * yajl's generator where it writes what jansson would (util/jgen.h), else
 * by jansson, into the buffer the string is made from.
 * Returns: new reference, or NULL (OOM, or @obj not dumpable).
 */
json_t *state_frozen_dump(const json_t *obj);

/* state_frozen_text() - is @v a frozen object? Then its text in @text, @len. */
bool state_frozen_text(const json_t *v, const char **text, size_t *len);

struct state;
struct tenant;

/*
 * state_frozen_thaw() - the stored properties frozen @v stands for in @t:
 * parsed, its id in lower case and completed as the loader completes a
 * tree of that @kind (state->thaw), so an object reads the same whether it
 * was loaded as text or as a tree. Returns: a new tree, or NULL (OOM, or
 * @v not frozen). Locking: @t's lock.
 */
json_t *state_frozen_thaw(struct state *st, struct tenant *t, int kind, const json_t *v);

/*
 * state_frozen_thaw_members() - the same with only the top-level members
 * @only names (NULL-terminated; it must name "id") parsed, then completed:
 * what a member reads is what it reads of the whole object, defaults
 * included. The defaults of members not named may be there too.
 */
json_t *state_frozen_thaw_members(struct state *st, struct tenant *t, int kind,
                                  const json_t *v, const char *const *only);

/* state_frozen_whole_thaws() - how many state_frozen_thaw() calls this
 * process made (for tests: a reader of a member or two parses none). */
unsigned long state_frozen_whole_thaws(void);

#endif
