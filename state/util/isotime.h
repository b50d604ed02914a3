/*
 * state/util/isotime.h - ISO 8601 date-times as OData writes them
 * ("YYYY-MM-DDThh:mm[:ss[.f+]](Z|+hh:mm|-hh:mm)"), read into an instant and
 * compared: $filter and $orderby on DateTimeOffset properties
 * (server/odata), and the store's order by createdDateTime
 * (state/created_order.c). Leaf code.
 */
#ifndef GRAPHMOCK_STATE_UTIL_ISOTIME_H
#define GRAPHMOCK_STATE_UTIL_ISOTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct iso_time {
	int64_t secs; /* since 1970-01-01T00:00:00Z */
	int32_t nanos;
};

/*
 * iso_time_parse() - parse such a date-time from @s (at most @len bytes);
 * with @need_zone false a missing zone means UTC. Returns the number of
 * bytes consumed, 0 when @s is not such a time.
 */
size_t iso_time_parse(const char *s, size_t len, bool need_zone, struct iso_time *t);

/* iso_time_cmp() - <0, 0 or >0 as @a is before, at or after @b. */
int iso_time_cmp(const struct iso_time *a, const struct iso_time *b);

#endif
