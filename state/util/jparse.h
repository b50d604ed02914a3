/*
 * state/util/jparse.h - JSON text to a jansson tree, fast, for the big
 * documents: fixtures, state files and PUT /_mock/state (a million-user
 * fixture is 380 MB). jansson's own parser reads ~25-35 MB/s here; yajl's
 * lexer ~1 GB/s, so yajl reads the text and its callbacks build the same
 * tree jansson would. What the two might judge differently (escaped
 * surrogates, NUL in strings, numbers out of range, nesting past jansson's
 * 2048, duplicate keys, a non-container document) is handed to jansson
 * itself, so a text is accepted or refused exactly as json_loadb(...,
 * JSON_REJECT_DUPLICATES) would, with jansson's message. Leaf code.
 */
#ifndef GRAPHMOCK_STATE_UTIL_JPARSE_H
#define GRAPHMOCK_STATE_UTIL_JPARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * jparse_capture_fn - the caller's say over each object value whose place
 * @want matched: @keys and @depth name that place as they did for @want,
 * @tree is the object as parsed (borrowed), @text/@len its exact source
 * text. Returns what the document holds there instead (a new reference;
 * json_incref(@tree) to keep it as is), or NULL to fail the parse (out of
 * memory).
 */
typedef json_t *jparse_capture_fn(void *ctx, const char *const *keys, size_t depth,
                                  json_t *tree, const char *text, size_t len);

/*
 * jparse_want_fn - is the object starting at this place one to capture?
 * @keys[0..@depth-1] name the place from the root: an object member's key,
 * or NULL for an array element. Called for every object opening, so cheap.
 */
typedef bool jparse_want_fn(void *ctx, const char *const *keys, size_t depth);

struct jparse_capture {
	jparse_want_fn *want;
	jparse_capture_fn *capture;
	void *ctx;
	/*
	 * NULL: a wanted object is built whole. Else (NULL-terminated) only its
	 * top-level members named here are built, and the capture's @tree holds
	 * those alone: the rest is checked as everything else is (syntax, UTF-8,
	 * NUL, numbers, duplicate keys at every depth), so the text is accepted or
	 * refused alike, but costs no tree. Nothing inside such an object is
	 * captured.
	 */
	const char *const *build;
	/*
	 * With @build, may be NULL: told of each top-level member of a wanted
	 * object as its value starts, by its key (@len bytes, decoded) and the
	 * kind of value: 'n' null, 't' a boolean, '0' a number, '"' a string,
	 * '{' an object, '[' an array (a JSON text's first byte, so to speak);
	 * a string's decoded value in @value (@value_len bytes, not checked yet,
	 * no NUL after it), NULL for the other kinds.
	 */
	void (*member)(void *ctx, const char *key, size_t len, char kind,
	               const char *value, size_t value_len);
};

/*
 * jparse() - parse @len bytes at @text (no NUL needed) into a new reference,
 * an object or array; NULL with jansson's error in @jerr (line -1 and "out of
 * memory" when memory ran out). @cap (may be NULL) replaces the objects it
 * wants; when jansson decides instead (see above), nothing is captured.
 */
json_t *jparse(const char *text, size_t len, const struct jparse_capture *cap,
               json_error_t *jerr);

/*
 * jparse_members() - the object in @text with only its top-level members
 * named in @only (NULL-terminated) built; the others are lexed and dropped.
 * The checks the text passed once are not made again (UTF-8, NUL,
 * duplicates; for members left out, numbers' range neither): for text that
 * was parsed whole once already, read again for a few members.
 * Returns: new reference (an object), or NULL with @jerr filled.
 */
json_t *jparse_members(const char *text, size_t len, const char *const *only,
                       json_error_t *jerr);

/*
 * jparse_trusted() - jparse() of text parsed whole once already (kept text,
 * state/frozen.h), without its checks made again (UTF-8, NUL, duplicates):
 * every first read of a kept user, and each line of an export, parses one.
 */
json_t *jparse_trusted(const char *text, size_t len, json_error_t *jerr);

/*
 * jparse_fd() - the same for the whole of open file @fd (mapped, not read
 * into memory: a state file may be bigger than a buffer should be).
 */
json_t *jparse_fd(int fd, const struct jparse_capture *cap, json_error_t *jerr);

#endif
