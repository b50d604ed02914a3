/*
 * state/util/guid.c - GUID formatting and parsing, the seedable xoshiro256**
 * generator for object ids, and kernel randomness for tickets and request ids.
 */
#include "guid.h"

#include <ctype.h>
#include <string.h>
#include <sys/random.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_double(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* 8-4-4-4-12 lower-case hex digits, without printf (every object a request
 * creates gets one: snprintf's format parsing was ~2.5k instructions). */
static void format_guid(const uint8_t b[16], char out[GUID_STR_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	char *o = out;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = digits[b[i] >> 4];
		*o++ = digits[b[i] & 0x0f];
	}
	*o = '\0';
}

static void make_v4(uint8_t b[16], char out[GUID_STR_LEN + 1])
{
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	format_guid(b, out);
}

void guid_from_rng(struct rng *r, char out[GUID_STR_LEN + 1])
{
	uint8_t b[16];
	uint64_t a = rng_next(r);
	uint64_t c = rng_next(r);

	memcpy(b, &a, 8);
	memcpy(b + 8, &c, 8);
	make_v4(b, out);
}

void random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		ssize_t got = getrandom(p, n, 0);
		if (got <= 0)
			continue; /* EINTR; the kernel pool never runs dry after boot */
		p += got;
		n -= (size_t)got;
	}
}

void guid_random(char out[GUID_STR_LEN + 1])
{
	uint8_t b[16];

	random_bytes(b, sizeof(b));
	make_v4(b, out);
}

/* ASCII only, as isxdigit() and tolower() are in the C locale graphmock runs
 * in, without a call per character (a fixture of a million users checks and
 * lower-cases ids millions of times). */
static bool hex_digit(unsigned char c)
{
	unsigned char l = c | 0x20;

	return (c >= '0' && c <= '9') || (l >= 'a' && l <= 'f');
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/*
 * Against the pattern, one pass and no strlen: a shorter string stops at
 * its NUL (neither a digit nor a dash), so nothing past it is read. Every
 * object loaded is checked a few times (~440 instructions a call before,
 * 5% of a fixture's load).
 */
bool guid_valid(const char *s)
{
	static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (!s)
		return false;
	for (size_t i = 0; i < GUID_STR_LEN; i++) {
		unsigned char c = (unsigned char)s[i];

		if (pattern[i] == '-' ? c != '-' : !hex_digit(c))
			return false;
	}
	return s[GUID_STR_LEN] == '\0';
}

static int hex(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

int guid_to_bytes_le(const char *s, uint8_t out[16])
{
	uint8_t be[16];
	static const int order[16] = {3, 2, 1,  0,  5,  4,  7,  6,
	                              8, 9, 10, 11, 12, 13, 14, 15};

	if (!guid_valid(s))
		return -1;
	for (int i = 0, j = 0; i < 16; i++) {
		if (s[j] == '-')
			j++;
		be[i] = (uint8_t)(hex(s[j]) * 16 + hex(s[j + 1]));
		j += 2;
	}
	for (int i = 0; i < 16; i++)
		out[i] = be[order[i]];
	return 0;
}

void guid_lower(const char *s, char out[GUID_STR_LEN + 1])
{
	size_t i = 0;

	for (; i < GUID_STR_LEN && s[i]; i++)
		out[i] = ascii_lower(s[i]);
	out[i] = '\0';
}
