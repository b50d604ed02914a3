/*
 * server/config.c - graphmock's flags. Every flag is documented in the usage
 * text below and in README.md; keep the three in step.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/*
 * The cores this process may run on (taskset, docker --cpuset-cpus), else
 * the online ones. More worker threads than that only take turns on the
 * same core, and each turn a request waits out is a scheduler slice in p99.
 */
unsigned config_usable_cores(void)
{
	cpu_set_t set;
	long online;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	online = sysconf(_SC_NPROCESSORS_ONLN);
	return online > 0 ? (unsigned)online : 1;
}

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	/* listen "": 127.0.0.1 and ::1 (server/http/http.c) */
	cfg->port = 8080;
	cfg->threads = config_usable_cores();
	cfg->log_format = LOG_TEXT;
	cfg->max_body = 4u << 20;
	cfg->journal_size = 10000;
	cfg->max_delayed = 1024;
}

bool config_loopback(const struct config *cfg)
{
	/* "": the default, 127.0.0.1 and ::1 */
	return !cfg->listen[0] || !strncmp(cfg->listen, "127.", 4) ||
	       !strcmp(cfg->listen, "::1") || !strcmp(cfg->listen, "localhost");
}

bool config_fault_header_on(const struct config *cfg)
{
	if (cfg->no_fault_header)
		return false;
	return cfg->fault_header || cfg->admin_token || config_loopback(cfg);
}

static void usage_environment(FILE *f);

/*
 * The --help text, which `make install` also turns into graphmock(1)
 * (server/gen_man.sh): a header line ending in ':' starts a section, an
 * indented "TERM  text" line an entry, deeper-indented lines continue it.
 */
void config_usage(FILE *f)
{
	fputs(
	    "usage: graphmock [options]\n"
	    "       graphmock --healthcheck [URL] [options]\n"
	    "       graphmock certs DIR [NAME...]\n"
	    "\n"
	    "A mock Microsoft Graph server for tests: B2B invitations, users, groups,\n"
	    "enterprise apps and app role assignments, in memory, per tenant.\n"
	    "\n"
	    "Options:\n"
	    "  --listen ADDR        address to bind (default: 127.0.0.1 and ::1, the\n"
	    "                       same port on both; use 0.0.0.0 or :: for all\n"
	    "                       interfaces); one address when given\n"
	    "  --port N             TCP port (default 8080; 0 picks a free port)\n"
	    "  --threads N          worker threads per address (default: the cores it\n"
	    "                       may run on: taskset, docker --cpuset-cpus)\n"
	    "  --fixtures FILE      load tenants and objects from FILE instead of the\n"
	    "                       built-in Contoso scenario (format: "
	    "docs/fixtures.md)\n"
	    "  --seed N             make object ids and fault decisions reproducible\n"
	    "  --public-url URL     base URL for links graphmock writes (nextLink,\n"
	    "                       inviteRedeemUrl); default: the scheme and the Host\n"
	    "                       header the client sent\n"
	    "  --max-body BYTES     largest request body accepted (default 4194304)\n"
	    "  --faults FILE        fault rules to load at start (JSON list)\n"
	    "  --no-fault-header    ignore the X-Graphmock-Fault request header\n"
	    "  --profile realistic  Graph's eventual consistency: new objects stay\n"
	    "                       invisible for a few seeded seconds (docs/faults.md)\n"
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
	    "                       /{tenant}/oauth2/v2.0/token (docs/identity.md);\n"
	    "                       'open': as none, and any client secret or\n"
	    "                       assertion is accepted (quick starts)\n"
	    "  --log-format FMT     access log as 'text' (default) or 'json', on stderr\n"
	    "  --quiet              no access log\n"
	    "  --version            print the version and exit\n"
	    "  --help               print this help and exit\n"
	    "\n"
	    "Commands:\n"
	    "  --healthcheck [URL]  GET URL (default: /_mock/health of the server the\n"
	    "                       options and environment describe, on a loopback\n"
	    "                       address) and exit 0 when it answers 200, else 1;\n"
	    "                       https is not verified; for container health checks\n"
	    "  certs DIR [NAME...]  write a throwaway CA (DIR/ca.pem) and a server\n"
	    "                       certificate (DIR/server.pem, DIR/server.key,\n"
	    "                       DIR/server-chain.pem) for localhost, 127.0.0.1, "
	    "::1,\n"
	    "                       graph.microsoft.com, login.microsoftonline.com,\n"
	    "                       login.windows.net, sts.windows.net and each NAME;\n"
	    "                       existing files are kept while they name all of them\n"
	    "                       and stay valid for a day\n"
	    "\n"
	    "Environment:\n"
	    "  Every option can also be set as GRAPHMOCK_<OPTION> (upper case, '-' as\n"
	    "  '_'); a flag wins over its variable, an empty value counts as unset, and\n"
	    "  switches take 1, true, yes or on (0, false, no or off: not set).\n",
	    f);
	usage_environment(f);
	fputs("\n"
	      "Output:\n"
	      "  Once ready, graphmock prints one line to stdout and flushes it:\n"
	      "    graphmock listening on http://127.0.0.1:PORT\n"
	      "  (https:// with --tls-cert; with --listen, that address instead of\n"
	      "  127.0.0.1; without it ::1 answers on PORT too). It stops cleanly on\n"
	      "  SIGINT or SIGTERM (exit 0); bad flags exit 2, failures at start 1.\n",
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
	OPT_PROFILE,
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
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"fault-header", no_argument, NULL, OPT_FAULT_HEADER},
    {"admin-token", required_argument, NULL, OPT_ADMIN_TOKEN},
    {NULL, 0, NULL, 0},
};

/* GRAPHMOCK_<OPTION> for option @name: "max-body" -> "GRAPHMOCK_MAX_BODY". */
static void env_name(const char *name, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "GRAPHMOCK_%s", name);

	for (size_t i = strlen("GRAPHMOCK_"); i < n && i < len; i++)
		buf[i] = buf[i] == '-' ? '_' : (char)toupper((unsigned char)buf[i]);
}

/* Options the environment does not set: they print and exit. */
static bool env_skipped(const struct option *o)
{
	return o->val == OPT_HELP || o->val == OPT_VERSION;
}

/* The variable of every option, one per line, in the --help layout. */
static void usage_environment(FILE *f)
{
	char name[64];
	int pad;

	for (const struct option *o = options; o->name; o++) {
		if (env_skipped(o))
			continue;
		env_name(o->name, name, sizeof(name));
		pad = 28 - (int)strlen(name);
		fprintf(f, "  %s%*s--%s\n", name, pad < 2 ? 2 : pad, "", o->name);
	}
}

/* A switch's value: 1 on, 0 off, -1 neither. */
static int env_switch(const char *v)
{
	static const char *const on[] = {"1", "true", "yes", "on"};
	static const char *const off[] = {"0", "false", "no", "off"};

	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		if (!strcasecmp(v, on[i]))
			return 1;
		if (!strcasecmp(v, off[i]))
			return 0;
	}
	return -1;
}

static enum config_result apply(struct config *cfg, int opt, const char *arg, FILE *out,
                                FILE *err);

/*
 * Apply one GRAPHMOCK_<OPTION> variable. A bad value is reported as
 * "graphmock: GRAPHMOCK_PORT: invalid --port 'x' (0-65535)" and the usage.
 */
static enum config_result apply_env(struct config *cfg, const struct option *o,
                                    const char *name, const char *v, FILE *out, FILE *err)
{
	static const char prefix[] = "graphmock: ";
	enum config_result r;
	char *msg = NULL;
	size_t len = 0;
	FILE *m;
	int sw;

	if (o->has_arg == no_argument) {
		sw = env_switch(v);
		if (sw < 0) {
			fprintf(err,
			        "graphmock: %s: '%s' is not 1/true/yes/on or "
			        "0/false/no/off\n\n",
			        name, v);
			config_usage(err);
			return CONFIG_USAGE;
		}
		return sw ? apply(cfg, o->val, NULL, out, err) : CONFIG_OK;
	}
	m = open_memstream(&msg, &len);
	r = apply(cfg, o->val, v, out, m ? m : err);
	if (m) {
		fclose(m);
		if (r == CONFIG_USAGE)
			fprintf(err, "graphmock: %s: %s", name,
			        strncmp(msg, prefix, strlen(prefix))
			            ? msg
			            : msg + strlen(prefix));
		free(msg);
	}
	return r;
}

/* The environment first, so that flags parsed after it win. */
static enum config_result config_env(struct config *cfg, FILE *out, FILE *err)
{
	char name[64];
	const char *v;
	enum config_result r;

	for (const struct option *o = options; o->name; o++) {
		if (env_skipped(o))
			continue;
		env_name(o->name, name, sizeof(name));
		v = getenv(name);
		if (!v || !*v)
			continue;
		r = apply_env(cfg, o, name, v, out, err);
		if (r != CONFIG_OK)
			return r;
	}
	return CONFIG_OK;
}

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
		else if (!strcmp(arg, "open"))
			cfg->auth = AUTH_OPEN;
		else
			return usage_error(err, "invalid --auth '%s' (none, jwt or open)",
			                   arg);
		return CONFIG_OK;
	case OPT_PROFILE:
		if (strcmp(arg, "realistic"))
			return usage_error(err, "invalid --profile '%s' (realistic)",
			                   arg);
		cfg->profile = arg;
		return CONFIG_OK;
	default:
		return usage_error(err, "%s", "unknown or incomplete option");
	}
}

enum config_result config_parse(struct config *cfg, int argc, char **argv, FILE *out,
                                FILE *err)
{
	enum config_result r;
	int opt;

	config_defaults(cfg);
	r = config_env(cfg, out, err);
	if (r != CONFIG_OK)
		return r;
	optind = 1;
	opterr = 0;
	for (;;) {
		opt = getopt_long(argc, argv, "", options, NULL);
		if (opt == -1)
			break;
		if (opt == '?' || opt == ':')
			return usage_error(err, "unknown or incomplete option '%s'",
			                   argv[optind - 1]);
		r = apply(cfg, opt, optarg, out, err);
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
	return CONFIG_OK;
}
