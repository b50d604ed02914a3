/*
 * routes/mock/admin_clock.c - /_mock/clock: read, freeze, move or shift
 * graphmock's clock. Timestamps, replication-lag windows, delayed mail and
 * throttling windows all follow it; latency faults use real time.
 */
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/state.h"

static json_t *clock_json(struct state *st)
{
	char now[TIME_ISO_LEN];

	time_format(state_now_ms(st), TIME_FRACTION_Z, now);
	return json_pack("{s:s, s:I, s:b, s:I}", "now", now, "nowMs",
	                 (json_int_t)state_now_ms(st), "frozen",
	                 atomic_load(&st->clock.frozen_ms) >= 0, "offsetMs",
	                 (json_int_t)atomic_load(&st->clock.offset_ms));
}

static int clock_get(struct call *c)
{
	return resp_json(c->resp, 200, clock_json(c->st));
}

static int clock_check(const json_t *body, struct resp *resp, int64_t *at)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)body, key, v)
	{
		if (!strcmp(key, "freeze") || !strcmp(key, "reset")) {
			if (!json_is_boolean(v))
				return resp_error(resp, GERR_BAD_REQUEST,
				                  "'%s' must be a boolean.", key);
		} else if (!strcmp(key, "at")) {
			if (!json_is_string(v) ||
			    time_parse_iso(json_string_value(v), at))
				return resp_error(
				    resp, GERR_BAD_REQUEST,
				    "'at' must be an ISO 8601 UTC time like "
				    "'2026-01-01T00:00:00Z'.");
		} else if (!strcmp(key, "shiftMs")) {
			if (!json_is_integer(v) ||
			    json_integer_value(v) > 100LL * 365 * 86400000 ||
			    json_integer_value(v) < -100LL * 365 * 86400000)
				return resp_error(
				    resp, GERR_BAD_REQUEST,
				    "'shiftMs' must be an integer within 100 years.");
		} else {
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "Unknown property '%s' (expected freeze, at, shiftMs, "
			    "reset).",
			    key);
		}
	}
	return 0;
}

static int clock_set(struct call *c)
{
	const json_t *freeze = json_object_get(c->req->body, "freeze");
	const json_t *shift = json_object_get(c->req->body, "shiftMs");
	int64_t at = -1, target, real;
	bool frozen;

	if (clock_check(c->req->body, c->resp, &at))
		return -1;
	if (json_is_true(json_object_get(c->req->body, "reset")))
		mock_clock_init(&c->st->clock);
	real = real_now_ms();
	target = json_object_get(c->req->body, "at") ? at : state_now_ms(c->st);
	if (shift)
		target += json_integer_value(shift);
	if (target < 0)
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "The clock cannot go before 1970.");
	frozen =
	    freeze ? json_is_true(freeze) : atomic_load(&c->st->clock.frozen_ms) >= 0;
	/* Keep the offset in step so unfreezing continues from the frozen time. */
	atomic_store(&c->st->clock.offset_ms, target - real);
	atomic_store(&c->st->clock.frozen_ms, frozen ? target : -1);
	return resp_json(c->resp, 200, clock_json(c->st));
}

const struct route admin_clock_routes[] = {
    {"GET", "/_mock/clock", clock_get, ROUTE_STATE_NONE, NULL, NULL},
    {"POST", "/_mock/clock", clock_set, ROUTE_STATE_NONE | ROUTE_JSON_BODY, NULL, NULL},
    {0},
};
