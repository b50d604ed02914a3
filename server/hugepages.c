/*
 * server/hugepages.c - re-executing the server once with glibc's huge page
 * tunable (see hugepages.h for why and when).
 */
#include "hugepages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../state/util/sanitized.h"

#define TUNABLE "glibc.malloc.hugetlb"

/* "never" in the kernel's setting: advising would change nothing. */
static int thp_off(void)
{
	char mode[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return 1;
	if (!fgets(mode, sizeof(mode), f))
		mode[0] = '\0';
	fclose(f);
	return strstr(mode, "[never]") != NULL || !mode[0];
}

char *hugepages_tunables(const char *tunables, const char *opt, const char *preload,
                         int thp_off)
{
	char *value;
	size_t n;

	if ((opt && !strcmp(opt, "0")) || (preload && preload[0]) ||
	    (tunables && strstr(tunables, TUNABLE)) || thp_off)
		return NULL;
	n = (tunables ? strlen(tunables) + 1 : 0) + sizeof(TUNABLE "=1");
	value = malloc(n);
	if (value)
		snprintf(value, n, "%s%s" TUNABLE "=1", tunables ? tunables : "",
		         tunables && tunables[0] ? ":" : "");
	return value;
}

/*
 * A process executed as /proc/self/exe is named "exe" (ps, top, pgrep,
 * pkill graphmock): the re-executed server takes back the name it was
 * started as.
 */
static void keep_name(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	char name[16]; /* the kernel's limit, NUL included */

	snprintf(name, sizeof(name), "%s",
	         slash   ? slash + 1
	         : argv0 ? argv0
	                 : "graphmock");
	prctl(PR_SET_NAME, name, 0, 0, 0);
}

void hugepages_reexec(char **argv)
{
	const char *tunables = getenv("GLIBC_TUNABLES");
	char *value;

	if (tunables && strstr(tunables, TUNABLE))
		keep_name(argv[0]); /* (re-executed, or the tunable was set by hand) */
	if (GRAPHMOCK_SANITIZED)
		return; /* the sanitizer's allocator is not glibc's */
	value = hugepages_tunables(tunables, getenv("GRAPHMOCK_HUGEPAGES"),
	                           getenv("LD_PRELOAD"), thp_off());
	if (!value)
		return;
	if (setenv("GLIBC_TUNABLES", value, 1) == 0) {
		execv("/proc/self/exe", argv);
		/* No /proc (a bare chroot): go on with the heap as it is. */
		if (tunables)
			setenv("GLIBC_TUNABLES", tunables, 1);
		else
			unsetenv("GLIBC_TUNABLES");
	}
	free(value);
}
