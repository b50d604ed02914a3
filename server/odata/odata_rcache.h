/*
 * server/odata/odata_rcache.h - private to the OData engine: the render
 * cache. Writing an object's default set (no $select) is most of what a
 * list answer costs (~6,000 instructions a user, 30 properties looked up
 * and escaped), and a stored object's properties change far less often
 * than they are read. So each thread keeps the text last written for an
 * object, by its tag (struct odata_tag: the route vouches that the same tag
 * means the same properties) and entity, and writes it again while the tag
 * still matches.
 *
 * Per thread, so it needs no lock of its own: it is read and filled under
 * the lock of the tenant whose object it renders. A bounded table (one
 * text per slot, replaced on collision), freed with its thread.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_RCACHE_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_RCACHE_H

#include <stddef.h>

struct odata_tag;

/* Texts longer than this are not kept (a group with a long description). */
#define ODATA_RCACHE_TEXT_MAX 8192

/*
 * odata_rcache_find() - the text kept for (@tag, @entity), its length in
 * *@len, or NULL. Borrowed: valid until this thread's next odata_rcache_put().
 * NULL too for a tag of gen 0.
 */
const char *odata_rcache_find(const struct odata_tag *tag, const void *entity,
                              size_t *len);

/* odata_rcache_put() - keep a copy of @text for (@tag, @entity); out of
 * memory, too long or gen 0: nothing is kept. */
void odata_rcache_put(const struct odata_tag *tag, const void *entity, const char *text,
                      size_t len);

#endif
