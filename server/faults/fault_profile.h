/*
 * server/faults/fault_profile.h - named sets of fault rules that make graphmock
 * behave "as a tenant would" in one switch (--profile, or {"profile": NAME} on
 * POST /_mock/faults). docs/faults.md lists each rule and its source.
 */
#ifndef GRAPHMOCK_SERVER_FAULTS_FAULT_PROFILE_H
#define GRAPHMOCK_SERVER_FAULTS_FAULT_PROFILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/*
 * fault_profile_rules() - the rules of profile @name, as fault_engine_add()
 * takes them, their windows drawn from @seed (the same seed, the same
 * windows). "realistic": Graph's eventual consistency, the replication-lag
 * windows of new users, groups, service principals, applications (an
 * instantiated gallery app is both) and app role assignments.
 * Returns: new array, or NULL with a message in @err (unknown name, OOM).
 */
json_t *fault_profile_rules(const char *name, uint64_t seed, char *err, size_t len);

#endif
