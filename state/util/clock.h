/*
 * state/util/clock.h - graphmock's own notion of "now", which tests may freeze or
 * shift (/_mock/clock), and the timestamp formats Graph writes.
 * All functions are thread-safe; the clock needs no lock.
 */
#ifndef GRAPHMOCK_STATE_UTIL_CLOCK_H
#define GRAPHMOCK_STATE_UTIL_CLOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mock_clock {
	_Atomic int64_t offset_ms; /* added to the real time */
	_Atomic int64_t frozen_ms; /* fixed "now" while >= 0; -1 = running */
};

#define TIME_ISO_LEN 40

enum time_format {
	TIME_SECONDS_Z,  /* 2024-05-01T10:22:31Z (most directory timestamps) */
	TIME_FRACTION_Z, /* 2021-02-15T16:14:59.8643039Z (appRoleAssignment) */
	TIME_NO_Z,       /* 2024-02-02T19:22:43 (error innerError.date) */
};

void mock_clock_init(struct mock_clock *c);

/* mock_clock_now_ms() - milliseconds since the epoch on the mock's clock. */
int64_t mock_clock_now_ms(const struct mock_clock *c);

/* real_now_ms() - the machine's wall clock, unaffected by the mock clock. */
int64_t real_now_ms(void);

/* monotonic_us() - a monotonic microsecond counter for durations. */
int64_t monotonic_us(void);

/* time_format() - format @ms in @fmt into @out (TIME_ISO_LEN bytes). */
void time_format(int64_t ms, enum time_format fmt, char out[TIME_ISO_LEN]);

/* time_parse_iso() - parse "YYYY-MM-DDTHH:MM:SS[.f]Z" into ms; -1 on error. */
int time_parse_iso(const char *s, int64_t *ms);

#endif
