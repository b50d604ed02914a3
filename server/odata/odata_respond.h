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

/* How odata_project_write_ex() writes an object. */
enum odata_pw_flags {
	ODATA_PW_ANNOTATE = 1 << 0,  /* "@odata.type" first */
	ODATA_PW_CONTINUED = 1 << 1, /* the caller wrote "{" and a member already */
	ODATA_PW_SINGLE = 1 << 2, /* one entity: single-entity-only properties served */
	ODATA_PW_BARE = 1 << 3,   /* odata.metadata=none: no "@odata.type" anywhere */
};

/*
 * odata_project_write_ex() - the same with @flags (enum odata_pw_flags) and
 * $expand resolved through @ex (NULL: expanded collections are empty,
 * single-valued ones left out). @tag (borrowed, NULL: none) names @obj for
 * the render cache (odata_rcache.h): its default set may come from there.
 */
struct odata_expander;
struct odata_tag;
void odata_project_write_ex(struct buf *w, const struct odata_query *q,
                            const struct odata_entity *entity, const json_t *obj,
                            unsigned flags, const struct odata_expander *ex,
                            const struct odata_tag *tag);

/*
 * A projector for many objects of one answer (a page): what is worked out
 * once per entity (its default set as CSDL slots) is kept between objects.
 * odata_proj_new() returns a new one (free with odata_proj_free()) or NULL on
 * OOM, which odata_proj_write() then reports by failing @w.
 */
struct odata_proj;
struct odata_proj *odata_proj_new(const struct odata_expander *ex);
void odata_proj_write(struct odata_proj *pr, struct buf *w, const struct odata_query *q,
                      const struct odata_entity *entity, const json_t *obj,
                      unsigned flags, const struct odata_tag *tag);
void odata_proj_free(struct odata_proj *pr);

#endif
