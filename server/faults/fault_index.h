/*
 * server/faults/fault_index.h - which request rules can match a request, by
 * method and first path segment (after "/v1.0" or "/beta"), so a request is
 * checked against those rules only, in rule order. Rebuilt whenever the
 * rules change (at most FAULT_RULES_MAX). Private to server/faults/; the
 * engine's lock guards it.
 */
#ifndef GRAPHMOCK_SERVER_FAULTS_FAULT_INDEX_H
#define GRAPHMOCK_SERVER_FAULTS_FAULT_INDEX_H

#include <stdbool.h>
#include <stddef.h>

struct fault_rule;
struct fault_index_bucket;

struct fault_index {
	struct fault_index_bucket *buckets;
	bool valid; /* false: no index (out of memory); every rule is a candidate */
};

/*
 * fault_index_build() - index the request rules of @rules[0..n) into @ix,
 * replacing what it held. On failure @ix is left invalid (all candidates).
 * Returns 0 or -1.
 */
int fault_index_build(struct fault_index *ix, struct fault_rule *const *rules, size_t n);

/* fault_index_release() - free the index. */
void fault_index_release(struct fault_index *ix);

/*
 * fault_index_candidates() - positions of the rules that may match @method
 * @path, ascending, into @out (room for @n, the number of rules). Returns
 * how many.
 */
size_t fault_index_candidates(const struct fault_index *ix, const char *method,
                              const char *path, unsigned *out, size_t n);

/*
 * fault_index_rule_segment() - the lower-cased literal first segment a rule
 * path pattern requires ("users" for "/v1.0/users/{id}") into @out, or ""
 * when it requires none ("*", "/v1.0/users*", no pattern).
 */
void fault_index_rule_segment(const char *pattern, char *out, size_t len);

#endif
