/*
 * server/faults/fault_error.c - the answer of an injected error fault: Graph's
 * envelope (with the 429's nested fields), a custom body, or the gateway's
 * HTML 502, with Retry-After and WWW-Authenticate as the fault says.
 */
#include "fault_error.h"

#include "../core/error.h"
#include "../core/req.h"
#include "../core/resp.h"

/* What a Graph front door's gateway answers: HTML, not Graph's JSON (graph-spec §8.1). */
static const char bad_gateway_page[] =
    "<html><head><title>502 Bad Gateway</title></head><body>"
    "<h1>502 Bad Gateway</h1><p>The server, while acting as a gateway or proxy, "
    "received an invalid response from the upstream server.</p></body></html>";

static void add_429_details(struct resp *resp)
{
	json_t *inner =
	    json_object_get(json_object_get(resp->body, "error"), "innerError");

	/* The throttling sample nests its own code/message/status (graph-spec §8.1). */
	json_object_set_new(inner, "code", json_string("429"));
	json_object_set_new(inner, "message", json_string("Please retry after"));
	json_object_set_new(inner, "status", json_string("429"));
}

static void custom_body(const json_t *body, unsigned status, struct resp *resp)
{
	if (json_is_string(body))
		resp_raw(resp, status, "text/plain; charset=utf-8",
		         json_string_value(body), json_string_length(body));
	else
		resp_json(resp, status, json_deep_copy(body));
}

void fault_error_respond(const struct fault_error *fe, const json_t *body,
                         const struct req *req, struct resp *resp)
{
	const char *last = req->nsegs ? req->segs[req->nsegs - 1] : "";

	if (fe->html)
		resp_raw(resp, fe->status, "text/html", bad_gateway_page,
		         sizeof(bad_gateway_page) - 1);
	else if (body)
		custom_body(body, fe->status, resp);
	else if (fe->status == 404 && !fe->message[0])
		resp_error_code(resp, 404, fe->code, GMSG_NOT_FOUND_FMT, last);
	else
		resp_error_code(resp, fe->status, fe->code, "%s", fe->message);
	if (fe->graph_429 && !body && !fe->html)
		add_429_details(resp);
	if (fe->retry != RETRY_AFTER_NONE)
		resp_header(resp, "Retry-After", "%s", fe->retry_after);
	if (fe->www_authenticate)
		resp_header(
		    resp, "WWW-Authenticate",
		    "Bearer realm=\"\", "
		    "authorization_uri=\"https://login.microsoftonline."
		    "com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-"
		    "000000000000\"");
	resp_finish(resp);
}
