/*
 * conformance/buf.h - small helpers the runner's modules share: a growing,
 * always NUL-terminated byte buffer and the "format an error, return -1" idiom.
 */
#ifndef GRAPHMOCK_CONFORMANCE_BUF_H
#define GRAPHMOCK_CONFORMANCE_BUF_H

#include <stddef.h>

struct buf {
	char *p; /* owned; NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

/* buf_add() - append @n bytes of @data. 0, or -1 on OOM (@b unchanged). */
int buf_add(struct buf *b, const char *data, size_t n);

/* err_set() - format a message into @errbuf. Always -1: `return err_set(...)`. */
int err_set(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
