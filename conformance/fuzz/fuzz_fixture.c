/*
 * conformance/fuzz/fuzz_fixture.c - one fuzz target for the fixture and
 * state-file loader: state/util/jparse (yajl under a jansson tree) checked
 * against jansson's own json_loadb(), then the read that keeps users as text
 * (fixture_read), state_load() into a fresh state, and an export round trip.
 *
 * Input: the bytes of one fixture document. Built with clang -fsanitize=fuzzer
 * by `make fuzz-fixture`; built with -DFUZZ_MAIN and replay_main.c it replays
 * files given on the command line (make test replays
 * conformance/fuzz/fixture-corpus under ASan + UBSan). A mismatch with jansson
 * abort()s: that is the finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/load/export.h"
#include "../../state/load/fixture_read.h"
#include "../../state/load/tenants.h"
#include "../../state/util/jparse.h"
#include "replay.h"

/* jparse.h's contract: accepted or refused exactly as this is. */
static json_t *reference(const char *text, size_t len)
{
	json_error_t jerr;

	return json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
}

static void mismatch(const char *what, const json_error_t *jerr)
{
	fprintf(stderr, "fuzz_fixture: %s (%s)\n", what, jerr ? jerr->text : "");
	abort();
}

/* The parse alone: the same verdict and the same tree as jansson. */
static json_t *parse_checked(const char *text, size_t len)
{
	json_error_t jerr;
	json_t *want = reference(text, len);
	json_t *got = jparse(text, len, NULL, &jerr);

	if (!want != !got)
		mismatch(got ? "jparse accepts what jansson refuses"
		             : "jparse refuses what jansson accepts",
		         got ? NULL : &jerr);
	if (got && !json_equal(want, got))
		mismatch("jparse builds another tree than jansson", NULL);
	json_decref(got);
	return want;
}

/* Loaded, exported, loaded again: the export must not change (export.h). */
static void load_and_export(const json_t *doc)
{
	struct state st, again;
	char err[512];
	json_t *first, *second;

	if (state_init(&st, 1))
		abort();
	if (state_load(&st, doc, err, sizeof(err)))
		goto out_release;
	first = state_export(&st);
	if (!first)
		goto out_release;
	if (state_init(&again, 1))
		abort();
	if (state_load(&again, first, err, sizeof(err)))
		mismatch(err, NULL); /* an export is itself a fixture */
	second = state_export(&again);
	if (second && !json_equal(first, second))
		mismatch("export, load, export: the second export differs", NULL);
	json_decref(second);
	json_decref(first);
	state_release(&again);
out_release:
	state_release(&st);
}

static void run_one(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	json_error_t jerr;
	json_t *want = parse_checked(text, size);
	/* the server's own read: users, memberships, assignments kept as text */
	json_t *doc = fixture_read(text, size, &jerr);

	if (!want != !doc)
		mismatch(doc ? "fixture_read accepts what jansson refuses"
		             : "fixture_read refuses what jansson accepts",
		         doc ? NULL : &jerr);
	json_decref(want);
	if (doc)
		load_and_export(doc);
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_one(data, size);
	return 0;
}

#ifdef FUZZ_MAIN
const char fuzz_replay_name[] = "fixture fuzz corpus";

void fuzz_replay_done(void)
{
}
#endif
