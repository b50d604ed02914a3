/*
 * conformance/csdl.h - every JSON body a case receives, checked against
 * Microsoft Graph's own v1.0 schema (the CSDL tables of state/schema/): each
 * property must be one the type declares, spelt as declared, with a value of
 * its EDM type (strings, Guids, DateTimeOffsets in Graph's formats, Booleans,
 * integers in range, enum members, complex types and collections of them,
 * null only where the property is nullable), and every "@odata.type" must
 * name a type derived from the declared one. The type comes from the body's
 * "@odata.context" (an entity set, a singleton, a navigation path, a cast,
 * Collection(Edm.String)), so a shape that drifts from Graph's fails the step
 * whichever case happens to receive it. Pure functions; no I/O.
 */
#ifndef GRAPHMOCK_CONFORMANCE_CSDL_H
#define GRAPHMOCK_CONFORMANCE_CSDL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * csdl_check_body() - check @body, the JSON answered with HTTP @status.
 * Checked: a 2xx object whose "@odata.context" points into Graph's v1.0
 * metadata (".../v1.0/$metadata#..."), and each such body inside a $batch
 * answer ("responses"[].body). Anything else (errors, beta, /_mock) passes.
 * Returns true when the body conforms or is not checked; otherwise false
 * with "body.value[0].accountEnabled: ..." in @msg.
 */
bool csdl_check_body(long status, const json_t *body, char *msg, size_t len);

#endif
