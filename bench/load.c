/*
 * bench/load.c - the wall-clock and CPU time (user and system, of every
 * thread: a big tenant's name order is sorted on a second one), minor page
 * faults and malloc'd bytes of each step of a start-up and of resets,
 * without the server: parse FIXTURE (fixture_read_fd, as the server does), build
 * its tenants (state_load), then ROUNDS times a reset that rebuilds the first
 * tenant (state_tenant_reset_id, what POST /_mock/tenants/{id}/reset runs when
 * the tenant's rewind record is lost) and every tenant (state_reset, POST
 * /_mock/reset), and the snapshot an
 * export takes of the first tenant under its lock
 * (state_export_tenant_snapshot: how long its own requests wait). It all
 * runs on the main thread, as the server's start-up and admin queue do
 * (server/main.c), with a helper thread faulting in the pages each big
 * build fills (state/util/prefault.h; GRAPHMOCK_PREFAULT=0 goes without).
 * Links libgraphmock.a.
 * Usage: load FIXTURE [ROUNDS]
 */
#include <fcntl.h>
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../state/load/export.h"
#include "../state/load/tenants.h"
#include "../state/state.h"
#include "../state/load/fixture_read.h"
#include "../state/rewind.h"
#include "../state/util/prefault.h"

static struct rusage r0;
static struct timespec w0;

static void mark(void)
{
	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_MONOTONIC, &w0);
}

static long ms(struct timeval a, struct timeval b)
{
	return (b.tv_sec - a.tv_sec) * 1000L + (b.tv_usec - a.tv_usec) / 1000L;
}

static void show(const char *step)
{
	struct rusage r;
	struct timespec w;

	getrusage(RUSAGE_SELF, &r);
	clock_gettime(CLOCK_MONOTONIC, &w);
	printf("%-13s wall %6ld ms, CPU %6ld ms (user %6ld, sys %5ld), minor faults %7ld, "
	       "malloc'd %zu MiB\n",
	       step, (w.tv_sec - w0.tv_sec) * 1000L + (w.tv_nsec - w0.tv_nsec) / 1000000L,
	       ms(r0.ru_utime, r.ru_utime) + ms(r0.ru_stime, r.ru_stime),
	       ms(r0.ru_utime, r.ru_utime), ms(r0.ru_stime, r.ru_stime),
	       r.ru_minflt - r0.ru_minflt, mallinfo2().uordblks >> 20);
}

int main(int argc, char **argv)
{
	struct state st;
	char err[256];
	json_error_t jerr;
	json_t *doc;
	struct tenant *t;
	char id[GUID_STR_LEN + 1];
	struct prefault *prefault;
	long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 1;

	if (argc < 2 || argc > 3)
		return 2;
	json_object_seed(1);
	mark();
	{ /* as the server reads --fixtures (server/control.c, main.c) */
		int fd = open(argv[1], O_RDONLY);
		struct stat sb;
		prefault = fd >= 0 && !fstat(fd, &sb)
		               ? prefault_begin((size_t)sb.st_size * 4)
		               : NULL;
		doc = fd >= 0 ? fixture_read_fd(fd, &jerr) : NULL;
		if (fd >= 0)
			close(fd);
	}
	if (!doc) {
		fprintf(stderr, "%s: %s\n", argv[1], jerr.text);
		return 1;
	}
	show("parse");
	state_init(&st, 1);
	mark();
	if (state_load(&st, doc, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	prefault_end(prefault);
	show("build");
	t = state_tenant_default(&st);
	snprintf(id, sizeof(id), "%s", t->id);
	{
		json_t *snap;

		mark();
		snap = state_export_tenant_snapshot(t);
		show("snapshot");
		json_decref(snap);
	}
	/* Resets rewind what changed (state/rewind.h): with no record they
	 * rebuild, which is what these time (a reset after more changes than
	 * the record keeps, or of a tenant a state import replaced). */
	for (long i = 0; i < rounds; i++) {
		mark();
		t = state_tenant_default(&st);
		state_tenant_lock(t);
		state_rewind_stop(t);
		state_tenant_unlock(t);
		if (state_tenant_reset_id(&st, id))
			return 1;
		show("tenant rebuild");
		mark();
		for (t = st.tenants; t; t = t->hh.next) {
			state_tenant_lock(t);
			state_rewind_stop(t);
			state_tenant_unlock(t);
		}
		if (state_reset(&st))
			return 1;
		show("full rebuild");
	}
	state_release(&st);
	json_decref(doc);
	return 0;
}
