/*
 * server/export_stream.h - the state export (the fixture format) as text,
 * produced tenant by tenant: GET /_mock/state streams it and --state-file
 * saves are written from it, so no export is ever held whole in memory.
 * Each tenant is rendered in one piece under its own lock (a consistent
 * snapshot of that tenant) with only a reference to it held, never the
 * registry lock: requests to other tenants, and admin operations, never
 * wait for an export.
 */
#ifndef GRAPHMOCK_SERVER_EXPORT_STREAM_H
#define GRAPHMOCK_SERVER_EXPORT_STREAM_H

#include <stddef.h>
#include <stdio.h>

struct buf;
struct state;
struct export_stream;

/*
 * export_stream_new() - an export of the tenants @st holds now (later ones
 * are not in it; removed ones still are, as they were). Takes the registry
 * lock briefly. Returns: new, or NULL on OOM.
 */
struct export_stream *export_stream_new(struct state *st);

/*
 * export_stream_next() - append the next piece (the head, a tenant, the
 * tail) to @out. Returns 1 when more follows, 0 after the last piece, -1
 * on failure. No lock may be held by the caller.
 */
int export_stream_next(struct export_stream *es, struct buf *out);

/*
 * export_stream_write() - the whole export into @f, written as it is
 * rendered (a few MiB of text in memory at a time, however big a tenant
 * is); *@written gets its length. 0, or -1 (OOM, a write failed).
 */
int export_stream_write(struct export_stream *es, FILE *f, size_t *written);

/* export_stream_free() - drop the stream (and its tenant references). */
void export_stream_free(struct export_stream *es);

#endif
