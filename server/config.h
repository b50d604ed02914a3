/*
 * server/config.h - command-line configuration: defaults, parsing, usage.
 * Parsing is separate from main() so unit tests can drive it.
 */
#ifndef GRAPHMOCK_SERVER_CONFIG_H
#define GRAPHMOCK_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/version.h"

enum log_format { LOG_TEXT, LOG_JSON };

/* --auth: how Graph routes treat the Authorization header (docs/identity.md). */
enum auth_mode {
	AUTH_NONE, /* not checked (a bearer token's tid still selects the tenant) */
	AUTH_JWT,  /* a valid graphmock-issued token is required: 401 otherwise */
	AUTH_OPEN, /* as none, and the token endpoint takes any client secret */
};

struct config {
	char listen[64];      /* --listen, default 127.0.0.1 */
	unsigned port;        /* --port, default 8080; 0 = any free port */
	unsigned threads;     /* --threads, default = online cores */
	const char *fixtures; /* --fixtures FILE, NULL = built-in */
	uint64_t seed;        /* --seed N */
	bool seeded;          /* --seed given */
	char public_url[256]; /* --public-url, "" = from the Host header */
	enum log_format log_format;
	bool quiet;              /* --quiet: no access log */
	size_t max_body;         /* --max-body BYTES, default 4 MiB */
	const char *faults_file; /* --faults FILE */
	bool no_fault_header;    /* --no-fault-header */
	bool fault_header;       /* --fault-header: on even beyond loopback */
	/* --admin-token (or GRAPHMOCK_ADMIN_TOKEN); NULL = the admin plane and
	 * the fault header are open to whoever reaches the port */
	const char *admin_token;
	unsigned max_delayed;   /* requests held for injected latency at once */
	size_t journal_size;    /* --journal-size N */
	const char *state_file; /* --state-file FILE */
	const char *tls_cert;   /* --tls-cert FILE (PEM): serve HTTPS */
	const char *tls_key;    /* --tls-key FILE (PEM) */
	enum auth_mode auth;    /* --auth none|jwt|open */
	const char *profile;    /* --profile realistic: Graph's eventual consistency */
};

enum config_result {
	CONFIG_OK,      /* run the server */
	CONFIG_EXIT_OK, /* --help or --version printed: exit 0 */
	CONFIG_USAGE,   /* bad flags: usage printed to @err, exit 2 */
};

/* config_usable_cores() - the cores this process may run on (its CPU
 * affinity), the default --threads. */
unsigned config_usable_cores(void);

/* config_defaults() - every default listed in --help. */
void config_defaults(struct config *cfg);

/*
 * config_parse() - parse @argv into @cfg (defaults first). --help and
 * --version print to @out; problems print a message and the usage to @err.
 */
enum config_result config_parse(struct config *cfg, int argc, char **argv, FILE *out,
                                FILE *err);

/* config_usage() - the full --help text. */
void config_usage(FILE *f);

/* config_loopback() - does --listen name a loopback address (127.0.0.0/8, ::1)? */
bool config_loopback(const struct config *cfg);

/*
 * config_fault_header_on() - is X-Graphmock-Fault honoured? Off with
 * --no-fault-header; on with --fault-header, with an admin token (which it
 * then needs), or while listening on loopback only.
 */
bool config_fault_header_on(const struct config *cfg);

#endif
