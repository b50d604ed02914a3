/*
 * server/state_file_test.c - --state-file across restarts of the real
 * binary: with the same --seed the id generator repeats itself, yet no
 * create ever gets an id the file already holds; and temp files a killed
 * save left behind are cleaned at start.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc_testutil.h"

#define NUSERS 25

static char dir[64];
static char file[128];

static int setup(void **s)
{
	(void)s;
	snprintf(dir, sizeof(dir), "/tmp/graphmock-statefile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/state.json", dir);
	return 0;
}

static int teardown(void **s)
{
	char cmd[160];

	(void)s;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

/* POST a user and an invitation; their ids go to @ids. */
static void create_some(struct test_proc *p, char ids[][40], size_t *n, int round)
{
	char body[512];
	struct test_reply *r;

	for (int i = 0; i < NUSERS; i++) {
		snprintf(body, sizeof(body),
		         "{\"accountEnabled\":true,\"displayName\":\"R%d U%d\","
		         "\"mailNickname\":\"r%du%d\",\"userPrincipalName\":"
		         "\"r%du%d@contoso.onmicrosoft.com\",\"passwordProfile\":"
		         "{\"password\":\"Pa55-word!\"}}",
		         round, i, round, i, round, i);
		r = test_proc_call(p, "POST", "/v1.0/users", body, NULL);
		if (r->status != 201)
			fail_msg("round %d: POST /users answered %ld: %s", round,
			         r->status, r->body);
		snprintf(ids[(*n)++], 40, "%s",
		         json_string_value(json_object_get(r->json, "id")));
		test_reply_free(r);
	}
	snprintf(body, sizeof(body),
	         "{\"invitedUserEmailAddress\":\"r%d@fabrikam.com\","
	         "\"inviteRedirectUrl\":\"https://app.example\"}",
	         round);
	r = test_proc_call(p, "POST", "/v1.0/invitations", body, NULL);
	if (r->status != 201)
		fail_msg("round %d: POST /invitations answered %ld: %s", round, r->status,
		         r->body);
	snprintf(ids[(*n)++], 40, "%s",
	         json_string_value(json_object_get(r->json, "id")));
	snprintf(ids[(*n)++], 40, "%s",
	         json_string_value(
	             json_object_get(json_object_get(r->json, "invitedUser"), "id")));
	test_reply_free(r);
}

static void test_seeded_restart_never_reuses_ids(void **s)
{
	const char *args[] = {"--seed", "7", "--state-file", file, "--quiet", NULL};
	char ids[4 * (NUSERS + 2)][40];
	size_t n = 0, first;
	struct test_proc p;

	(void)s;
	unlink(file);
	if (test_proc_start(&p, args, NULL))
		fail_msg("did not start: %s", p.log);
	create_some(&p, ids, &n, 1);
	assert_int_equal(test_proc_stop(&p), 0);
	first = n;
	/* Same seed, the saved state loaded: the generator repeats round 1's ids. */
	if (test_proc_start(&p, args, NULL))
		fail_msg("the saved state did not load: %s", p.log);
	create_some(&p, ids, &n, 2);
	assert_int_equal(test_proc_stop(&p), 0);
	for (size_t i = first; i < n; i++)
		for (size_t k = 0; k < first; k++)
			if (!strcmp(ids[i], ids[k]))
				fail_msg("id %s was issued twice", ids[i]);
}

static void touch(const char *name)
{
	char path[192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"half\": ", f);
	fclose(f);
}

static bool exists(const char *name)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void test_stale_temp_files_cleaned(void **s)
{
	const char *args[] = {"--state-file", file, "--quiet", NULL};
	struct test_proc p;

	(void)s;
	unlink(file);
	touch("state.json.tmp.Ab3xYz"); /* what a SIGKILL during a save leaves */
	touch("state.json.tmp.000000");
	touch("state.json.tmp.keep");   /* not mkstemp's shape: not ours */
	touch("other.json.tmp.Ab3xYz"); /* another file's */
	if (test_proc_start(&p, args, NULL))
		fail_msg("did not start: %s", p.log);
	assert_false(exists("state.json.tmp.Ab3xYz"));
	assert_false(exists("state.json.tmp.000000"));
	assert_true(exists("state.json.tmp.keep"));
	assert_true(exists("other.json.tmp.Ab3xYz"));
	assert_int_equal(test_proc_stop(&p), 0);
	assert_true(exists("state.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seeded_restart_never_reuses_ids),
	    cmocka_unit_test(test_stale_temp_files_cleaned),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
