/*
 * state/util/isotime.c - ISO 8601 date-times read and compared (see
 * isotime.h).
 */
#include "isotime.h"

/* Read exactly @n digits at @s into @out. */
static bool digits(const char *s, size_t len, size_t n, int *out)
{
	size_t i;
	int v = 0;

	if (len < n)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_days(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : md[m - 1];
}

/* Fractional seconds ".f+" at @s: nanoseconds in @nanos, bytes consumed returned. */
static size_t parse_frac(const char *s, size_t len, int32_t *nanos)
{
	size_t i = 1;
	int32_t v = 0, scale = 100000000;

	if (len < 2 || s[0] != '.' || s[1] < '0' || s[1] > '9')
		return 0;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		v += (s[i] - '0') * scale;
		scale /= 10;
		i++;
		if (i > 13)
			return 0;
	}
	*nanos = v;
	return i;
}

static size_t parse_zone(const char *s, size_t len, int *offset_min)
{
	int hh, mm;

	if (len >= 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*offset_min = 0;
		return 1;
	}
	if (len < 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':')
		return 0;
	if (!digits(s + 1, 2, 2, &hh) || !digits(s + 4, 2, 2, &mm) || hh > 14 || mm > 59)
		return 0;
	*offset_min = (hh * 60 + mm) * (s[0] == '-' ? -1 : 1);
	return 6;
}

size_t iso_time_parse(const char *s, size_t len, bool need_zone, struct iso_time *t)
{
	int y, mo, d, h, mi, sec = 0, off = 0;
	int32_t nanos = 0;
	size_t i, n;

	if (len < 16 || !digits(s, len, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, 2, &mi))
		return 0;
	i = 16;
	if (i < len && s[i] == ':') {
		if (!digits(s + i + 1, len - i - 1, 2, &sec))
			return 0;
		i += 3;
		i += parse_frac(s + i, len - i, &nanos);
	}
	n = parse_zone(s + i, len - i, &off);
	if (!n && need_zone)
		return 0;
	i += n;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 ||
	    sec > 59)
		return 0;
	t->secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	          (int64_t)off * 60;
	t->nanos = nanos;
	return i;
}

int iso_time_cmp(const struct iso_time *a, const struct iso_time *b)
{
	if (a->secs != b->secs)
		return a->secs < b->secs ? -1 : 1;
	if (a->nanos != b->nanos)
		return a->nanos < b->nanos ? -1 : 1;
	return 0;
}
