/*
 * server/faults/fault_match.c - compiled fault patterns (fault_match.h).
 *
 * State bit 0 is "nothing matched yet" (set only before the first byte);
 * bit i+1 is "atoms 0..i matched the bytes read so far". Per byte c:
 *   next = ((cur << 1) | (cur & loops)) & accepts(c), then the zero-length
 *   '*' atoms: next |= (next << 1) & star.
 * Consecutive '*' are merged at compile time, so one closure step suffices.
 */
#include "fault_match.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum atom { ATOM_LIT, ATOM_STAR, ATOM_SEG, ATOM_ONE };

/* Bits 0..FAULT_PATTERN_MAX: the start state and one per atom. */
#define PATTERN_WORDS ((FAULT_PATTERN_MAX + 1) / 64 + 1)

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void bit_set(uint64_t *w, unsigned bit)
{
	w[bit / 64] |= UINT64_C(1) << (bit % 64);
}

/* Split @pattern into atoms: kinds into @kinds, literal bytes into @bytes. */
static unsigned atoms_of(const char *pattern, enum fault_pattern_kind kind,
                         enum atom *kinds, unsigned char *bytes)
{
	unsigned n = 0;

	for (const char *p = pattern; *p; p++) {
		if (*p == '*') {
			if (n && kinds[n - 1] == ATOM_STAR)
				continue; /* "**" is "*" */
			kinds[n++] = ATOM_STAR;
		} else if (kind == FAULT_PATTERN_PATH && *p == '{' && strchr(p, '}')) {
			p = strchr(p, '}');
			kinds[n++] = ATOM_SEG;
		} else if (kind == FAULT_PATTERN_GLOB && *p == '?') {
			kinds[n++] = ATOM_ONE;
		} else {
			bytes[n] = (unsigned char)*p;
			kinds[n++] = ATOM_LIT;
		}
	}
	return n;
}

int fault_pattern_compile(struct fault_pattern *fp, const char *pattern,
                          enum fault_pattern_kind kind, bool nocase)
{
	enum atom kinds[FAULT_PATTERN_MAX];
	unsigned char bytes[FAULT_PATTERN_MAX];
	unsigned n;

	memset(fp, 0, sizeof(*fp));
	if (strlen(pattern) > FAULT_PATTERN_MAX)
		return -1;
	n = atoms_of(pattern, kind, kinds, bytes);
	fp->natoms = n;
	fp->nwords = (n + 1) / 64 + 1;
	fp->nclasses = 1;
	for (unsigned i = 0; i < n; i++) {
		unsigned char c = bytes[i];
		if (kinds[i] != ATOM_LIT)
			continue;
		if (nocase)
			c = (unsigned char)lower(c);
		if (!fp->cls[c]) {
			fp->cls[c] = (uint8_t)fp->nclasses++;
			if (nocase && c >= 'a' && c <= 'z')
				fp->cls[c - 32] = fp->cls[c];
		}
	}
	fp->words = calloc((size_t)(fp->nclasses + 3) * fp->nwords, sizeof(uint64_t));
	if (!fp->words)
		return -1;
	fp->lit = fp->words;
	fp->star = fp->lit + (size_t)fp->nclasses * fp->nwords;
	fp->seg = fp->star + fp->nwords;
	fp->one = fp->seg + fp->nwords;
	for (unsigned i = 0; i < n; i++) {
		switch (kinds[i]) {
		case ATOM_LIT: {
			unsigned char c =
			    nocase ? (unsigned char)lower(bytes[i]) : bytes[i];
			bit_set(fp->lit + (size_t)fp->cls[c] * fp->nwords, i + 1);
			break;
		}
		case ATOM_STAR:
			bit_set(fp->star, i + 1);
			break;
		case ATOM_SEG:
			bit_set(fp->seg, i + 1);
			break;
		case ATOM_ONE:
			bit_set(fp->one, i + 1);
			break;
		}
	}
	return 0;
}

void fault_pattern_release(struct fault_pattern *fp)
{
	free(fp->words);
	memset(fp, 0, sizeof(*fp));
}

/* @w |= (@w << 1) & @mask, over @n words. */
static void close_stars(uint64_t *w, const uint64_t *mask, unsigned n)
{
	uint64_t carry = 0;

	for (unsigned k = 0; k < n; k++) {
		uint64_t shifted = w[k] << 1 | carry;
		carry = w[k] >> 63;
		w[k] |= shifted & mask[k];
	}
}

bool fault_pattern_match(const struct fault_pattern *fp, const char *s)
{
	uint64_t cur[PATTERN_WORDS] = {1}, next[PATTERN_WORDS];
	const unsigned n = fp->nwords;
	bool alive = true;

	if (!fp->words)
		return false;
	close_stars(cur, fp->star, n);
	for (const unsigned char *p = (const unsigned char *)s; *p && alive; p++) {
		const uint64_t *lit = fp->lit + (size_t)fp->cls[*p] * n;
		uint64_t carry = 0;

		alive = false;
		for (unsigned k = 0; k < n; k++) {
			uint64_t accept = fp->star[k] | fp->one[k] |
			                  (*p != '/' ? fp->seg[k] : 0) |
			                  (fp->cls[*p] ? lit[k] : 0);
			uint64_t shifted = cur[k] << 1 | carry;
			carry = cur[k] >> 63;
			next[k] =
			    (shifted | (cur[k] & (fp->star[k] | fp->seg[k]))) & accept;
		}
		close_stars(next, fp->star, n);
		for (unsigned k = 0; k < n; k++) {
			cur[k] = next[k];
			alive |= cur[k] != 0;
		}
	}
	return alive && (cur[fp->natoms / 64] >> (fp->natoms % 64) & 1);
}

const char *fault_path_strip_version(const char *path)
{
	if (!strncasecmp(path, "/v1.0", 5) && (path[5] == '/' || !path[5]))
		return path + 5;
	if (!strncasecmp(path, "/beta", 5) && (path[5] == '/' || !path[5]))
		return path + 5;
	return NULL;
}

bool fault_pattern_path_match(const struct fault_pattern *fp, bool versionless,
                              const char *path)
{
	const char *bare;

	if (fault_pattern_match(fp, path))
		return true;
	/* A pattern "/users/x" also matches "/v1.0/users/x" and "/beta/users/x". */
	bare = versionless ? fault_path_strip_version(path) : NULL;
	return bare && *bare && fault_pattern_match(fp, bare);
}
