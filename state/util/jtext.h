/*
 * state/util/jtext.h - walking JSON text that a parser has already accepted,
 * without building anything: where a string ends, and an object's members
 * one by one. For text kept as text (state/frozen.h), where parsing a tree
 * only to write it out again costs more than the rest of the work. Leaf
 * code: anything may include it.
 */
#ifndef GRAPHMOCK_STATE_UTIL_JTEXT_H
#define GRAPHMOCK_STATE_UTIL_JTEXT_H

#include <stddef.h>

/*
 * jtext_string_end() - the index of the quote that ends the string whose
 * opening quote is @text[@open], or @len when it does not end within @len.
 */
size_t jtext_string_end(const char *text, size_t len, size_t open);

/* One member of an object's text: its key as written, between the quotes
 * (escapes left as they are), and its value's text. */
struct jtext_member {
	const char *key;
	size_t key_len;
	const char *value;
	size_t value_len;
};

/*
 * jtext_member_next() - the member of the object text @text (@len bytes)
 * that starts at or after *@pos, which starts at 0 and is advanced past it.
 * Whitespace between tokens is allowed. Returns: 1 and the member in @m,
 * 0 after the last member, -1 when @text is not an object's text as a JSON
 * parser would accept it (checked only as far as walking it needs: the
 * values' own contents are not validated).
 */
int jtext_member_next(const char *text, size_t len, size_t *pos, struct jtext_member *m);

#endif
