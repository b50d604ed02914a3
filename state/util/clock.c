/*
 * state/util/clock.c - the shiftable mock clock and Graph's timestamp formats.
 */
#define _DEFAULT_SOURCE /* timegm */
#include "clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void mock_clock_init(struct mock_clock *c)
{
	atomic_store(&c->offset_ms, 0);
	atomic_store(&c->frozen_ms, -1);
}

int64_t real_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t mock_clock_now_ms(const struct mock_clock *c)
{
	int64_t frozen = atomic_load(&c->frozen_ms);

	if (frozen >= 0)
		return frozen;
	return real_now_ms() + atomic_load(&c->offset_ms);
}

void time_format(int64_t ms, enum time_format fmt, char out[TIME_ISO_LEN])
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	char base[24];

	gmtime_r(&secs, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	switch (fmt) {
	case TIME_SECONDS_Z:
		snprintf(out, TIME_ISO_LEN, "%sZ", base);
		break;
	case TIME_FRACTION_Z:
		/* Graph prints 100 ns ticks; we only know milliseconds. */
		snprintf(out, TIME_ISO_LEN, "%s.%03d0000Z", base, (int)(ms % 1000));
		break;
	case TIME_NO_Z:
		snprintf(out, TIME_ISO_LEN, "%s", base);
		break;
	}
}

int time_parse_iso(const char *s, int64_t *ms)
{
	struct tm tm;
	int frac_ms = 0;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return -1;
	s += n;
	if (*s == '.') {
		int digits = 0;
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			if (digits < 3)
				frac_ms = frac_ms * 10 + (*s - '0');
		for (; digits < 3; digits++)
			frac_ms *= 10;
	}
	if (strcmp(s, "Z") && strcmp(s, "") && strcmp(s, "+00:00"))
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*ms = (int64_t)timegm(&tm) * 1000 + frac_ms;
	return 0;
}
