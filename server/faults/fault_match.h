/*
 * server/faults/fault_match.h - fault-rule patterns compiled once and matched
 * in one pass over the subject: request paths ('*' any run of characters,
 * '{name}' one non-empty segment, letters in any case) and mail globs ('*',
 * '?'). A pattern becomes a bit-parallel automaton (Shift-And with loops),
 * so a match costs the subject's length times a few machine words, never
 * pattern x subject backtracking, whatever the two hold.
 */
#ifndef GRAPHMOCK_SERVER_FAULTS_FAULT_MATCH_H
#define GRAPHMOCK_SERVER_FAULTS_FAULT_MATCH_H

#include <stdbool.h>
#include <stdint.h>

/* Longest pattern accepted (characters): 4 machine words of automaton. */
#define FAULT_PATTERN_MAX 255

enum fault_pattern_kind {
	FAULT_PATTERN_PATH, /* '*', '{name}'; letters match in any case */
	FAULT_PATTERN_GLOB, /* '*', '?'; letters in any case when asked */
};

struct fault_pattern {
	unsigned natoms; /* pattern atoms; bit i+1 means "atoms 0..i matched" */
	unsigned nwords; /* 64-bit words per state set */
	unsigned nclasses;
	uint8_t cls[256]; /* byte -> literal class (0: no literal atom takes it) */
	uint64_t *lit;    /* nclasses x nwords: atoms taking each class */
	uint64_t *star;   /* atoms '*': any byte, zero or more */
	uint64_t *seg;    /* atoms '{name}': a byte other than '/', one or more */
	uint64_t *one;    /* atoms '?': any one byte */
	uint64_t *words;  /* one allocation behind the four above */
};

/*
 * fault_pattern_compile() - compile @pattern (at most FAULT_PATTERN_MAX
 * characters) into @fp. Returns 0, or -1 when too long or out of memory
 * (@fp then needs no release).
 */
int fault_pattern_compile(struct fault_pattern *fp, const char *pattern,
                          enum fault_pattern_kind kind, bool nocase);

/* fault_pattern_release() - free what compile made. A zeroed @fp is fine. */
void fault_pattern_release(struct fault_pattern *fp);

/* fault_pattern_match() - does all of @s match? O(strlen(s) x nwords). */
bool fault_pattern_match(const struct fault_pattern *fp, const char *s);

/*
 * fault_pattern_path_match() - a compiled path pattern against a request
 * path, as fault_path_match() reads it: a pattern without a version prefix
 * also matches the path without its "/v1.0" or "/beta".
 */
bool fault_pattern_path_match(const struct fault_pattern *fp, bool versionless,
                              const char *path);

/* fault_path_strip_version() - @path after "/v1.0" or "/beta", or NULL. */
const char *fault_path_strip_version(const char *path);

#endif
