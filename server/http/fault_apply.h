/*
 * server/http/fault_apply.h - carrying out a fault decision on the wire: dropped
 * connections (reset, close, truncate, garbage), and the timer that resumes
 * connections suspended for injected latency. Error answers are
 * fault_error.h's.
 */
#ifndef GRAPHMOCK_SERVER_HTTP_FAULT_APPLY_H
#define GRAPHMOCK_SERVER_HTTP_FAULT_APPLY_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../faults/fault.h"
#include "../srv.h"

struct MHD_Connection;

/*
 * fault_conn_drop() - end @conn the way @c says. For truncate, @resp is the
 * real response (rendered) of which the headers and half the body are sent;
 * for garbage, random bytes from @seed. The access handler then returns
 * MHD_NO so libmicrohttpd closes the socket (reset: with SO_LINGER 0 → RST).
 */
void fault_conn_drop(struct MHD_Connection *conn, enum fault_conn c,
                     const struct resp *resp, uint64_t seed);

/*
 * fault_sleeper_start() / _stop() - the timer thread, holding @max
 * connections at most; stop resumes every sleeper first.
 */
int fault_sleeper_start(struct fault_sleeper *s, unsigned max);
void fault_sleeper_stop(struct fault_sleeper *s);

/*
 * fault_sleeper_add() - resume @conn (already suspended by the caller with
 * MHD_suspend_connection; its socket @fd) after @delay_ms, or at once when
 * the client hangs up first, setting *@gone: a suspended connection is
 * invisible to libmicrohttpd, so the timer thread watches the socket itself
 * (epoll, EPOLLRDHUP) and a client that went away frees its slot at once.
 * Returns 0; FAULT_SLEEPER_FULL when @max connections sleep already; -1 on
 * OOM. On failure the caller resumes the connection.
 */
#define FAULT_SLEEPER_FULL (-2)
int fault_sleeper_add(struct fault_sleeper *s, struct MHD_Connection *conn, int fd,
                      int64_t delay_ms, atomic_bool *gone);

/* fault_sleeper_count() - connections sleeping now. */
unsigned fault_sleeper_count(struct fault_sleeper *s);

#endif
