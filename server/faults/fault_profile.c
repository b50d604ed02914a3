/*
 * server/faults/fault_profile.c - the realism profile: replication-lag rules
 * (fault_parse.c's "lag") with windows of a few seconds, drawn from the seed.
 */
#include "fault_profile.h"

#include <stdio.h>
#include <string.h>

/* One window per kind: a base and a seeded spread, in ms on the mock clock. */
static const struct {
	const char *kind;
	int64_t base_ms, spread_ms;
} realistic[] = {
    /* "This request might have replication delays for users that were recently
     * created" (user-list); Terraform retries a new guest until it stops 404ing */
    {"user", 1000, 3000},
    /* the same note on group-list; members/$ref to a new group 404s meanwhile */
    {"group", 1000, 3000},
    /* SAML SSO tutorial: "Allow some time for the app to be provisioned ... It is
     * not instant ... do a GET query ... every 5-10 seconds" */
    {"servicePrincipal", 3000, 5000},
    {"application", 3000, 5000},
    /* serviceprincipal-list-approleassignedto: replication delays */
    {"appRoleAssignment", 500, 1500},
};

/* splitmix64: a reproducible stream from the seed, independent of the state's. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

json_t *fault_profile_rules(const char *name, uint64_t seed, char *err, size_t len)
{
	json_t *rules;
	char id[64];

	if (!name || strcmp(name, "realistic")) {
		snprintf(err, len, "unknown profile '%s' (known: realistic)",
		         name ? name : "");
		return NULL;
	}
	rules = json_array();
	for (size_t i = 0; rules && i < sizeof(realistic) / sizeof(realistic[0]); i++) {
		int64_t ms = realistic[i].base_ms +
		             (int64_t)(next(&seed) % (uint64_t)realistic[i].spread_ms);

		snprintf(id, sizeof(id), "realistic-%s-lag", realistic[i].kind);
		if (json_array_append_new(
		        rules, json_pack("{s:s, s:{s:s, s:I}}", "id", id, "lag", "kind",
		                         realistic[i].kind, "ms", (json_int_t)ms))) {
			json_decref(rules);
			rules = NULL;
		}
	}
	if (!rules)
		snprintf(err, len, "out of memory");
	return rules;
}
