/*
 * server/journal_redact.c - secrets out of what the journal keeps: the values
 * of secret keys in JSON bodies (at any depth, so passwordProfile.password
 * and a $batch entry's "Authorization" header too), in form bodies
 * (client_secret, client_assertion, ...) and in query strings become
 * "REDACTED". One pass; truncated or broken JSON is handled token by token,
 * never parsed, so a body cut at JOURNAL_BODY_MAX is redacted as well.
 */
#include <string.h>
#include <strings.h>

#include "../state/util/buf.h"
#include "journal.h"

#define REDACTED "REDACTED"

#define SECRET(s)                                                                        \
	{                                                                                \
		s, sizeof(s) - 1                                                         \
	}
static const struct {
	const char *name;
	size_t len;
} secret_names[] = {
    SECRET("password"),   SECRET("client_secret"), SECRET("client_assertion"),
    SECRET("assertion"),  SECRET("refresh_token"), SECRET("access_token"),
    SECRET("id_token"),   SECRET("authorization"), SECRET("code_verifier"),
    SECRET("secretText"),
};

bool journal_secret_name(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(secret_names) / sizeof(secret_names[0]); i++)
		if (secret_names[i].len == n &&
		    !strncasecmp(secret_names[i].name, name, n))
			return true;
	return false;
}

/* The end of the JSON string starting at @p (its opening quote): past the
 * closing quote, or @end when the text stops first. */
static const char *string_end(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return end;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && strchr(" \t\r\n", *p))
		p++;
	return p;
}

static void redact_json(struct buf *out, const char *p, const char *end)
{
	bool secret_next = false;

	while (p < end) {
		const char *s, *after;

		if (*p != '"') {
			/* the bytes up to the next string, copied in one piece */
			const char *q = memchr(p, '"', (size_t)(end - p));
			const char *stop = q ? q : end;

			for (const char *c = p; c < stop && secret_next; c++)
				if (!strchr(" \t\r\n:", *c))
					secret_next =
					    false; /* a non-string value: kept */
			buf_add(out, p, (size_t)(stop - p));
			p = stop;
			continue;
		}
		s = p;
		p = string_end(s, end);
		if (secret_next) {
			buf_addstr(out, "\"" REDACTED "\"");
			secret_next = false;
			continue;
		}
		buf_add(out, s, (size_t)(p - s));
		after = skip_space(p, end);
		/* A key: is its value secret? (escapes in key names: not secret) */
		if (after < end && *after == ':' && p - s >= 2)
			secret_next = journal_secret_name(s + 1, (size_t)(p - s - 2));
	}
}

static void redact_form(struct buf *out, const char *p, const char *end)
{
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));

		if (eq && journal_secret_name(p, (size_t)(eq - p))) {
			buf_add(out, p, (size_t)(eq - p) + 1);
			buf_addstr(out, REDACTED);
		} else {
			buf_add(out, p, (size_t)(stop - p));
		}
		if (amp)
			buf_add(out, "&", 1);
		p = amp ? amp + 1 : end;
	}
}

char *journal_redact(const char *text, size_t len, size_t *out_len)
{
	const char *end = text + len, *first = skip_space(text, end);
	struct buf out;

	buf_init(&out, len + 4096);
	if (first < end && (*first == '{' || *first == '['))
		redact_json(&out, text, end);
	else
		redact_form(&out, text, end);
	return buf_detach(&out, out_len);
}
