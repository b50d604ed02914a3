/*
 * server/config.c - graphmock's flags. Every flag is documented in the usage
 * text below and in README.md; keep the three in step.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void config_defaults(struct config *cfg)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->listen, sizeof(cfg->listen), "127.0.0.1");
	cfg->port = 8080;
	cfg->threads = cores > 0 ? (unsigned)cores : 1;
	cfg->log_format = LOG_TEXT;
	cfg->max_body = 4u << 20;
	cfg->journal_size = 10000;
	cfg->max_delayed = 1024;
}

bool config_loopback(const struct config *cfg)
{
	return !strncmp(cfg->listen, "127.", 4) || !strcmp(cfg->listen, "::1") ||
	       !strcmp(cfg->listen, "localhost");
}

bool config_fault_header_on(const struct config *cfg)
{
	if (cfg->no_fault_header)
		return false;
	return cfg->fault_header || cfg->admin_token || config_loopback(cfg);
}

void config_usage(FILE *f)
{
	fputs(
	    "usage: graphmock [options]\n"
	    "\n"
	    "A mock Microsoft Graph server for tests: B2B invitations, users, groups,\n"
	    "enterprise apps and app role assignments, in memory, per tenant.\n"
	    "\n"
	    "  --listen ADDR        address to bind (default 127.0.0.1; use 0.0.0.0 or "
	    "::\n"
	    "                       for all interfaces)\n"
	    "  --port N             TCP port (default 8080; 0 picks a free port)\n"
	    "  --threads N          worker threads (default: number of cores)\n"
	    "  --fixtures FILE      load tenants and objects from FILE instead of the\n"
	    "                       built-in Contoso scenario (format: "
	    "docs/fixtures.md)\n"
	    "  --seed N             make object ids and fault decisions reproducible\n"
	    "  --public-url URL     base URL for links graphmock writes (nextLink,\n"
	    "                       inviteRedeemUrl); default http://<Host header>\n"
	    "  --max-body BYTES     largest request body accepted (default 4194304)\n"
	    "  --faults FILE        fault rules to load at start (JSON list)\n"
	    "  --no-fault-header    ignore the X-Graphmock-Fault request header\n"
	    "  --fault-header       honour it even beyond loopback without\n"
	    "                       --admin-token (default: on while listening on\n"
	    "                       loopback, or when --admin-token protects it)\n"
	    "  --admin-token TOKEN  /_mock/* and X-Graphmock-Fault need this token\n"
	    "                       (X-Graphmock-Admin-Token: TOKEN, or for /_mock\n"
	    "                       Authorization: Bearer TOKEN); also\n"
	    "                       $GRAPHMOCK_ADMIN_TOKEN; default none\n"
	    "  --journal-size N     requests kept in the request journal (default "
	    "10000)\n"
	    "  --state-file FILE    load state from FILE at start when it exists, save "
	    "it\n"
	    "                       there on SIGINT/SIGTERM and POST /_mock/state/save\n"
	    "  --tls-cert FILE      serve HTTPS with this PEM certificate (chain)...\n"
	    "  --tls-key FILE       ...and this PEM private key (both or neither)\n"
	    "  --auth MODE          'none' (default): Authorization is not checked;\n"
	    "                       'jwt': Graph routes need a token from graphmock's\n"
	    "                       /{tenant}/oauth2/v2.0/token (docs/identity.md)\n"
	    "  --log-format FMT     access log as 'text' (default) or 'json', on stderr\n"
	    "  --quiet              no access log\n"
	    "  --version            print the version and exit\n"
	    "  --help               print this help and exit\n"
	    "\n"
	    "Once ready, graphmock prints one line to stdout:\n"
	    "  graphmock listening on http://ADDR:PORT   (https:// with --tls-cert)\n",
	    f);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

enum opt_id {
	OPT_LISTEN = 256,
	OPT_PORT,
	OPT_THREADS,
	OPT_FIXTURES,
	OPT_SEED,
	OPT_PUBLIC_URL,
	OPT_LOG_FORMAT,
	OPT_QUIET,
	OPT_VERSION,
	OPT_HELP,
	OPT_MAX_BODY,
	OPT_FAULTS,
	OPT_NO_FAULT_HEADER,
	OPT_JOURNAL_SIZE,
	OPT_STATE_FILE,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_AUTH,
	OPT_FAULT_HEADER,
	OPT_ADMIN_TOKEN,
};

static const struct option options[] = {
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"port", required_argument, NULL, OPT_PORT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"fixtures", required_argument, NULL, OPT_FIXTURES},
    {"seed", required_argument, NULL, OPT_SEED},
    {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
    {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, OPT_HELP},
    {"max-body", required_argument, NULL, OPT_MAX_BODY},
    {"faults", required_argument, NULL, OPT_FAULTS},
    {"no-fault-header", no_argument, NULL, OPT_NO_FAULT_HEADER},
    {"journal-size", required_argument, NULL, OPT_JOURNAL_SIZE},
    {"state-file", required_argument, NULL, OPT_STATE_FILE},
    {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
    {"tls-key", required_argument, NULL, OPT_TLS_KEY},
    {"auth", required_argument, NULL, OPT_AUTH},
    {"fault-header", no_argument, NULL, OPT_FAULT_HEADER},
    {"admin-token", required_argument, NULL, OPT_ADMIN_TOKEN},
    {NULL, 0, NULL, 0},
};

static enum config_result usage_error(FILE *err, const char *fmt, const char *arg)
{
	fprintf(err, "graphmock: ");
	fprintf(err, fmt, arg);
	fprintf(err, "\n\n");
	config_usage(err);
	return CONFIG_USAGE;
}

/* Apply one parsed option; returns CONFIG_OK to go on. */
static enum config_result apply(struct config *cfg, int opt, const char *arg, FILE *out,
                                FILE *err)
{
	uint64_t v;

	switch (opt) {
	case OPT_LISTEN:
		if (!*arg || strlen(arg) >= sizeof(cfg->listen))
			return usage_error(err, "invalid --listen address '%s'", arg);
		snprintf(cfg->listen, sizeof(cfg->listen), "%s", arg);
		return CONFIG_OK;
	case OPT_PORT:
		if (parse_u64(arg, 65535, &v))
			return usage_error(err, "invalid --port '%s' (0-65535)", arg);
		cfg->port = (unsigned)v;
		return CONFIG_OK;
	case OPT_THREADS:
		if (parse_u64(arg, 256, &v) || v == 0)
			return usage_error(err, "invalid --threads '%s' (1-256)", arg);
		cfg->threads = (unsigned)v;
		return CONFIG_OK;
	case OPT_FIXTURES:
		cfg->fixtures = arg;
		return CONFIG_OK;
	case OPT_SEED:
		if (parse_u64(arg, UINT64_MAX, &v))
			return usage_error(err, "invalid --seed '%s'", arg);
		cfg->seed = v;
		cfg->seeded = true;
		return CONFIG_OK;
	case OPT_PUBLIC_URL:
		if ((strncmp(arg, "http://", 7) && strncmp(arg, "https://", 8)) ||
		    strlen(arg) >= sizeof(cfg->public_url))
			return usage_error(
			    err, "invalid --public-url '%s' (http[s]://host[:port])",
			    arg);
		snprintf(cfg->public_url, sizeof(cfg->public_url), "%s", arg);
		/* Links are built as base + "/v1.0/...": drop a trailing slash. */
		size_t n = strlen(cfg->public_url);
		while (n > 8 && cfg->public_url[n - 1] == '/')
			cfg->public_url[--n] = '\0';
		return CONFIG_OK;
	case OPT_LOG_FORMAT:
		if (!strcmp(arg, "text"))
			cfg->log_format = LOG_TEXT;
		else if (!strcmp(arg, "json"))
			cfg->log_format = LOG_JSON;
		else
			return usage_error(
			    err, "invalid --log-format '%s' (text or json)", arg);
		return CONFIG_OK;
	case OPT_QUIET:
		cfg->quiet = true;
		return CONFIG_OK;
	case OPT_VERSION:
		fprintf(out, "graphmock %s\n", GRAPHMOCK_VERSION);
		return CONFIG_EXIT_OK;
	case OPT_HELP:
		config_usage(out);
		return CONFIG_EXIT_OK;
	case OPT_MAX_BODY:
		if (parse_u64(arg, (uint64_t)1 << 30, &v) || v == 0)
			return usage_error(
			    err, "invalid --max-body '%s' (1 byte to 1 GiB)", arg);
		cfg->max_body = (size_t)v;
		return CONFIG_OK;
	case OPT_FAULTS:
		cfg->faults_file = arg;
		return CONFIG_OK;
	case OPT_NO_FAULT_HEADER:
		cfg->no_fault_header = true;
		return CONFIG_OK;
	case OPT_FAULT_HEADER:
		cfg->fault_header = true;
		return CONFIG_OK;
	case OPT_ADMIN_TOKEN:
		if (!*arg || strlen(arg) > 512)
			return usage_error(err, "%s",
			                   "invalid --admin-token (1 to 512 characters)");
		cfg->admin_token = arg;
		return CONFIG_OK;
	case OPT_JOURNAL_SIZE:
		if (parse_u64(arg, 10000000, &v))
			return usage_error(err, "invalid --journal-size '%s'", arg);
		cfg->journal_size = (size_t)v;
		return CONFIG_OK;
	case OPT_STATE_FILE:
		cfg->state_file = arg;
		return CONFIG_OK;
	case OPT_TLS_CERT:
		cfg->tls_cert = arg;
		return CONFIG_OK;
	case OPT_TLS_KEY:
		cfg->tls_key = arg;
		return CONFIG_OK;
	case OPT_AUTH:
		if (!strcmp(arg, "none"))
			cfg->auth = AUTH_NONE;
		else if (!strcmp(arg, "jwt"))
			cfg->auth = AUTH_JWT;
		else
			return usage_error(err, "invalid --auth '%s' (none or jwt)", arg);
		return CONFIG_OK;
	default:
		return usage_error(err, "%s", "unknown or incomplete option");
	}
}

enum config_result config_parse(struct config *cfg, int argc, char **argv, FILE *out,
                                FILE *err)
{
	int opt;

	config_defaults(cfg);
	optind = 1;
	opterr = 0;
	for (;;) {
		opt = getopt_long(argc, argv, "", options, NULL);
		if (opt == -1)
			break;
		if (opt == '?' || opt == ':')
			return usage_error(err, "unknown or incomplete option '%s'",
			                   argv[optind - 1]);
		enum config_result r = apply(cfg, opt, optarg, out, err);
		if (r != CONFIG_OK)
			return r;
	}
	if (optind < argc)
		return usage_error(err, "unexpected argument '%s'", argv[optind]);
	if (!cfg->tls_cert != !cfg->tls_key)
		return usage_error(err, "%s", "--tls-cert and --tls-key go together");
	if (cfg->fault_header && cfg->no_fault_header)
		return usage_error(err, "%s",
		                   "--fault-header and --no-fault-header contradict");
	/* The flag wins over the environment. */
	if (!cfg->admin_token) {
		const char *env = getenv("GRAPHMOCK_ADMIN_TOKEN");
		if (env && *env)
			cfg->admin_token = env;
	}
	return CONFIG_OK;
}
