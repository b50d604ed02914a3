/*
 * server/notify/curl_dl.c - opening libcurl at its first use (curl_dl.h).
 */
#include "curl_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/*
 * The soname the development files link against, as a linked binary would
 * name it: the Makefile reads it off libcurl.so (libcurl-gnutls.so.4 on
 * Debian with libcurl4-gnutls-dev, which the Docker image's runtime stage
 * installs: docker/check finds the name among the binary's strings).
 */
#ifndef CURL_SONAME
#define CURL_SONAME "libcurl.so.4"
#endif

static const struct {
	const char *symbol;
	size_t offset;
} symbols[] = {
#define CURL_DL_SYMBOL(name) {"curl_" #name, offsetof(struct curl_dl, name)},
    CURL_DL_FUNCTIONS(CURL_DL_SYMBOL)
#undef CURL_DL_SYMBOL
};

_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
               "dlsym's answer is stored as a function pointer");

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct curl_dl table;
static const struct curl_dl *loaded; /* &table once every function is found */
static char error[256];

static void *open_library(void)
{
	void *lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!lib)
		snprintf(error, sizeof(error), "%s", dlerror()); /* names the file */
	return lib;
}

static void load(void)
{
	void *lib = open_library();

	for (size_t i = 0; lib && i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *fn = dlsym(lib, symbols[i].symbol);

		if (!fn) {
			snprintf(error, sizeof(error), "%s has no %s", CURL_SONAME,
			         symbols[i].symbol);
			dlclose(lib);
			lib = NULL;
			break;
		}
		/* POSIX: a function's address fits a void *, and back. */
		memcpy((char *)&table + symbols[i].offset, &fn, sizeof(fn));
	}
	if (lib) {
		loaded = &table; /* kept open for the life of the process */
		return;
	}
	fprintf(stderr, "graphmock: change notifications need libcurl: %s\n", error);
}

const struct curl_dl *curl_dl(void)
{
	pthread_once(&once, load);
	return loaded;
}

const char *curl_dl_error(void)
{
	pthread_once(&once, load);
	return error;
}
