/*
 * server/faults/fault_error.h - the answer of an injected error fault (docs/faults.md).
 */
#ifndef GRAPHMOCK_SERVER_FAULTS_FAULT_ERROR_H
#define GRAPHMOCK_SERVER_FAULTS_FAULT_ERROR_H

#include <jansson.h>

#include "fault.h"

struct req;
struct resp;

/*
 * fault_error_respond() - fill @resp (already resp_init'ed for @req) with the
 * error of @fe: Graph's envelope (with the nested 429 fields of §8.1), a
 * custom @body (borrowed; copied) or the non-JSON 502 page, plus Retry-After
 * and WWW-Authenticate as the error calls for. The body is rendered too.
 */
void fault_error_respond(const struct fault_error *fe, const json_t *body,
                         const struct req *req, struct resp *resp);

#endif
