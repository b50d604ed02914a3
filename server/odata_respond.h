/*
 * server/odata_respond.h - private to the OData engine: the bounded string
 * buffer, ordering of matches and the @odata.nextLink builder that
 * odata_respond.c uses (implemented in odata_page.c). Routes use odata.h.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_RESPOND_H
#define GRAPHMOCK_SERVER_ODATA_RESPOND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct odata_query;
struct odata_item;
struct odata_entity;
struct jwriter;
struct req;

#define ODATA_URL_MAX        65536 /* longest nextLink / context we build */
#define ODATA_PROJ_MAX_PROPS 256   /* schemas up to this size project without a json_t */

/* A growing NUL-terminated string with a hard maximum (curl dynbuf). */
struct odata_sbuf {
	char *buf;
	size_t len;
	size_t cap;
	size_t max;
	bool failed; /* OOM or over max: the content is unusable */
};

void odata_sbuf_init(struct odata_sbuf *sb, size_t max);
void odata_sbuf_release(struct odata_sbuf *sb);
void odata_sbuf_addn(struct odata_sbuf *sb, const char *s, size_t n);
void odata_sbuf_add(struct odata_sbuf *sb, const char *s);

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

/*
 * odata_project_write() - append to @w exactly what jwriter_value() would
 * print for odata_project(@q, @entity, @obj, @type_annotation), without
 * building it. With @continued, the caller has already written "{" and at
 * least one member, so the projection continues that object.
 */
void odata_project_write(struct jwriter *w, const struct odata_query *q,
                         const struct odata_entity *entity, const json_t *obj,
                         bool type_annotation, bool continued);

#endif
