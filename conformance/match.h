/*
 * conformance/match.h - the expectation language of expect.json: JSON subset
 * comparison with "@@" matchers and response header matching. Pure
 * functions over jansson values; no I/O.
 */
#ifndef GRAPHMOCK_CONFORMANCE_MATCH_H
#define GRAPHMOCK_CONFORMANCE_MATCH_H

#include <jansson.h>
#include <stdbool.h>

#define MATCH_PATH_MAX 256
#define MATCH_MSG_MAX  768

/*
 * Where and why a comparison failed. The first failure wins: later calls
 * leave a filled-in error alone, so callers can chain checks.
 */
struct match_err {
	char path[MATCH_PATH_MAX]; /* e.g. "body.value[0].id" */
	char msg[MATCH_MSG_MAX];   /* e.g. "expected \"@@guid\", got \"ABC\"" */
};

/* match_err_init() - clear @err so it can record a failure. */
void match_err_init(struct match_err *err);

/*
 * match_validate() - check that @exp is a well-formed expectation: every
 * "@@" string names a known matcher, every @@re: regex compiles, array
 * matcher objects and @@keys are well formed, @@absent is only used as an
 * object member. @path names @exp in messages ("body").
 * Returns true when valid; otherwise false with @err filled in.
 * Call it before match_json(), which assumes a valid expectation.
 */
bool match_validate(const json_t *exp, const char *path, struct match_err *err);

/*
 * match_json() - does @act satisfy the expectation @exp?
 * Objects compare as subsets (unless "@@keys" is given), arrays element-wise
 * with equal length (unless an @@contains/@@length/@@unordered matcher object
 * is given), numbers by value, strings exactly or by an "@@" matcher.
 * @act may be NULL (a missing value). @path names the values in messages.
 * @err may be NULL when the caller only wants the answer.
 * Returns true on a match; otherwise false with @err filled in.
 */
bool match_json(const json_t *exp, const json_t *act, const char *path,
                struct match_err *err);

/*
 * match_headers() - check response headers. @exp is the "headers" object of
 * expect.json (values: strings, possibly "@@" matchers incl. "@@absent");
 * @act maps lower-case header names to string values. Names compare
 * case-insensitively. Errors name the header as "headers.<name>".
 */
bool match_headers(const json_t *exp, const json_t *act, struct match_err *err);

/* match_validate_headers() - match_validate() for a "headers" object. */
bool match_validate_headers(const json_t *exp, struct match_err *err);

/*
 * match_dump() - compact JSON of @v (or "(missing)" for NULL) into @buf,
 * cut to @size bytes with "..." when longer. Returns @buf.
 */
const char *match_dump(const json_t *v, char *buf, size_t size);

#endif
