/*
 * conformance/case.h - one conformance case on disk: finding case
 * directories, loading their steps (request + expect.json), parsing request
 * files, and the percent-encoding of request targets. No network here;
 * conformance/exec.c runs what this module loads.
 */
#ifndef GRAPHMOCK_CONFORMANCE_CASE_H
#define GRAPHMOCK_CONFORMANCE_CASE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CASE_MAX_STEPS 99
#define CASE_MAX_FILE  (4u << 20) /* request and expect.json files, bytes */

/* One header line of a request file, before variable expansion (owned). */
struct case_header {
	char *name;
	char *value; /* "" means: do not send this header at all */
};

/* A parsed request file, before variable expansion. Every string is owned. */
struct case_request {
	char *method; /* "GET" */
	char *target; /* "/v1.0/users?$top=2" or "{{next}}", as written */
	struct case_header *headers;
	size_t nheaders;
	char *body; /* byte-exact, NUL-terminated for convenience */
	size_t body_len;
};

struct case_step {
	struct case_request req;
	json_t *expect; /* new reference: the parsed, checked expect.json */
};

/* A loaded case directory. */
struct case_dir {
	char *name; /* relative to the cases root: "users/012-get-unknown-id" */
	/*
	 * The "mock-only" marker's one line, without its newline: why the case
	 * cannot run against a real server (owned). NULL when there is no marker.
	 */
	char *mock_only_reason;
	bool serial; /* "serial" marker: changes server-wide settings, runs alone */
	struct case_step *steps;
	size_t nsteps;
};

/*
 * case_list() - find every case directory below @root (a directory holding
 * "request" or "1.request"), as names relative to @root, sorted by strcmp.
 * Returns 0 and a new array of new strings in *@names (free with
 * case_list_free()), or -1 with a message in @errbuf.
 */
int case_list(const char *root, char ***names, size_t *n, char *errbuf, size_t errlen);
void case_list_free(char **names, size_t n);

/*
 * case_load() - read case @name below @root into @c: its steps in order
 * ("request"/"expect.json", or "1.request"/"1.expect.json", "2.…" with no
 * gaps), the "mock-only" marker, and a shape check of each expect.json.
 * A "mock-only" file must hold exactly one non-blank line (the reason; one
 * final newline allowed, no control characters): an empty or multi-line
 * marker is an error, so no case is marked without saying why.
 * Returns 0, or -1 with a message in @errbuf; release @c either way.
 */
int case_load(struct case_dir *c, const char *root, const char *name, char *errbuf,
              size_t errlen);
void case_release(struct case_dir *c);

/*
 * case_request_parse() - parse request-file bytes: "METHOD TARGET" line,
 * "Name: value" lines, an empty line, then the body. One final newline of
 * the file is not part of the body. Returns 0, or -1 with @errbuf set.
 */
int case_request_parse(const char *buf, size_t len, struct case_request *rq, char *errbuf,
                       size_t errlen);
void case_request_release(struct case_request *rq);

/*
 * case_expect_check() - reject an expect.json with unknown keys or values
 * of the wrong type, so typos fail loudly. Returns 0, or -1 with @errbuf.
 */
int case_expect_check(const json_t *expect, char *errbuf, size_t errlen);

/*
 * case_url_encode() - percent-encode the bytes a URL cannot carry: controls,
 * space, non-ASCII, and " # < > \ ^ ` { | }. Everything else, '%'
 * included, is kept as written so authors can pre-encode ("%23EXT%23").
 * Returns: new malloc'd string, or NULL on allocation failure.
 */
char *case_url_encode(const char *s);

#endif
