/*
 * server/odata/odata_respond.h - private to the OData engine: ordering of matches
 * and the @odata.nextLink builder that odata_respond.c uses (implemented in
 * odata_page.c). Routes use odata.h.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_RESPOND_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_RESPOND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct odata_query;
struct odata_item;
struct odata_entity;
struct buf;
struct req;

#define ODATA_URL_MAX        65536 /* longest nextLink / context we build */
#define ODATA_PROJ_MAX_PROPS 256   /* schemas up to this size project without a json_t */

/*
 * odata_match_sorted() - indexes into @items of those matching @q, ordered by
 * $orderby (stable, nulls first ascending) or else by seq; count in *@m.
 * Returns: new array to free(), NULL on OOM.
 */
size_t *odata_match_sorted(const struct odata_query *q, const struct odata_item *items,
                           size_t n, size_t *m);

/*
 * odata_next_link() - absolute URL of the next page: base, version, the
 * request path re-encoded, the original query options (old $skiptoken
 * dropped), and a new $skiptoken for (@kind, @value).
 * Returns: new string to free(), NULL on OOM.
 */
char *odata_next_link(const struct req *req, int kind, uint64_t value);

/* odata_next_link_token() - the same with the $skiptoken @token as given. */
char *odata_next_link_token(const struct req *req, const char *token);

/*
 * odata_project_write() - append to @w exactly what jwriter_value() would
 * print for odata_project(@q, @entity, @obj, @type_annotation), without
 * building it. With @continued, the caller has already written "{" and at
 * least one member, so the projection continues that object.
 */
void odata_project_write(struct buf *w, const struct odata_query *q,
                         const struct odata_entity *entity, const json_t *obj,
                         bool type_annotation, bool continued);

#endif
