/*
 * server/http/tls.c - loading --tls-cert/--tls-key for libmicrohttpd (GnuTLS).
 * The PEM text stays in struct srv for the daemon's lifetime.
 */
#include "tls.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../srv.h"

#define TLS_PEM_MAX (1u << 20)

/* The whole of @file as a NUL-terminated string, or NULL after printing why. */
static char *read_pem(const char *file, const char *flag)
{
	FILE *f = fopen(file, "rb");
	char *buf = NULL;
	size_t len;

	if (!f) {
		fprintf(stderr, "%s '%s': %s\n", flag, file, strerror(errno));
		return NULL;
	}
	buf = malloc(TLS_PEM_MAX + 1);
	if (!buf)
		goto out_close;
	len = fread(buf, 1, TLS_PEM_MAX + 1, f);
	buf[len > TLS_PEM_MAX ? TLS_PEM_MAX : len] = '\0';
	if (len > TLS_PEM_MAX || ferror(f) || !strstr(buf, "-----BEGIN ")) {
		fprintf(stderr, "%s '%s': not a PEM file (or larger than 1 MiB)\n", flag,
		        file);
		free(buf);
		buf = NULL;
	}
out_close:
	fclose(f);
	return buf;
}

int srv_tls_options(struct srv *srv, struct MHD_OptionItem *opts)
{
	opts[0] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	if (!srv->cfg.tls_cert)
		return 0;
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		fprintf(stderr, "this libmicrohttpd was built without TLS support\n");
		return -1;
	}
	srv->tls_pem[0] = read_pem(srv->cfg.tls_cert, "--tls-cert");
	srv->tls_pem[1] =
	    srv->tls_pem[0] ? read_pem(srv->cfg.tls_key, "--tls-key") : NULL;
	if (!srv->tls_pem[1]) {
		srv_tls_release(srv);
		return -1;
	}
	opts[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, srv->tls_pem[0]};
	opts[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, srv->tls_pem[1]};
	opts[2] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	return MHD_USE_TLS;
}

void srv_tls_release(struct srv *srv)
{
	free(srv->tls_pem[0]);
	free(srv->tls_pem[1]);
	srv->tls_pem[0] = NULL;
	srv->tls_pem[1] = NULL;
}
