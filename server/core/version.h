/*
 * server/core/version.h - graphmock's version, as --version, /_mock/health and
 * the man page print it.
 */
#ifndef GRAPHMOCK_SERVER_CORE_VERSION_H
#define GRAPHMOCK_SERVER_CORE_VERSION_H

#define GRAPHMOCK_VERSION "0.2.0"

#endif
