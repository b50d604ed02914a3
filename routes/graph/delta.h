/*
 * routes/graph/delta.h - the state a delta query carries from page to page
 * and round to round, and its opaque token form. "Query parameters used on
 * the first call are encoded into the token" (delta-query-overview), so a
 * token holds the $select, the $filter ids and the page size next to the
 * change-log position; a keyed checksum makes any edit a badly formed token.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_DELTA_H
#define GRAPHMOCK_ROUTES_GRAPH_DELTA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../state/state.h"

#define DELTA_MAX_SELECT 64
#define DELTA_MAX_IDS    50 /* Graph's limit for users and groups */

enum delta_mode {
	DELTA_INITIAL, /* paging through every object (first sync) */
	DELTA_CHANGES, /* paging through what changed after @from */
};

struct delta_state {
	enum delta_mode mode;
	enum dobj_kind kind;
	uint64_t epoch;    /* the tenant's change log the positions belong to */
	uint64_t from;     /* DELTA_CHANGES: changes after this log sequence */
	uint64_t to;       /* the log sequence when the round began */
	uint64_t after;    /* paging: last object seq (initial) or change seq shown */
	int64_t issued_ms; /* mock clock */
	int page;          /* page size */
	char *select[DELTA_MAX_SELECT]; /* owned; nselect 0 = default set */
	size_t nselect;
	char ids[DELTA_MAX_IDS][GUID_STR_LEN + 1]; /* $filter=id eq ...; 0 = all */
	size_t nids;
	/*
	 * A large group's members@delta spans pages (DQG "Paging through members
	 * in a large group"): the group whose place is @member_seq (its seq on a
	 * first sync, its last change's in a round; 0: none) comes again first,
	 * with its member entries whose ids sort after @member_after.
	 */
	uint64_t member_seq;
	char member_after[GUID_STR_LEN + 1];
};

/* Member entries one page carries at most, for each object it may hold:
 * 4,000 at the default 200, "thousands of users" as DQG's example shows. */
#define DELTA_MEMBERS_PER_ITEM 20

struct call;

/*
 * delta_initial_page() - the next page of a first sync: up to s->page
 * objects of s->kind after s->after (insertion order) appended to @value;
 * s->after moves on, *@more says whether objects remain. 0 or -1 (OOM).
 * Caller holds the tenant's lock (c->tenant).
 */
int delta_initial_page(struct call *c, struct delta_state *s, json_t *value, bool *more);

/*
 * delta_changes_page() - the next page of a round: the objects with changes
 * in (s->from, s->to], ordered by their last change after s->after; with
 * @minimal only the changed properties. Same contract as above.
 */
int delta_changes_page(struct call *c, struct delta_state *s, bool minimal, json_t *value,
                       bool *more);

/* delta_state_release() - free the select names. */
void delta_state_release(struct delta_state *s);

/*
 * delta_token_encode() - @s as an opaque base64url token bound to @tenant_id.
 * Returns: new string (free()), or NULL on OOM.
 */
char *delta_token_encode(const struct delta_state *s, const char *tenant_id);

/*
 * delta_token_decode() - the inverse into @s (initialised here). Returns 0,
 * or -1 when the token is not one of ours for @tenant_id (garbage, edited).
 */
int delta_token_decode(const char *token, const char *tenant_id, struct delta_state *s);

#endif
