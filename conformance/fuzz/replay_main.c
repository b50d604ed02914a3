/*
 * conformance/fuzz/replay_main.c - the main() a fuzz target is linked with
 * to replay files instead of fuzzing (make fuzz-replay, under ASan and
 * UBSan): each file's bytes, exactly as many on the heap so a read past
 * their end is caught, to the target's LLVMFuzzerTestOneInput(), then the
 * target's fuzz_replay_done() to free what it keeps between inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "replay.h"

/* @path's bytes in a new allocation of exactly *@n (one byte for none). */
static uint8_t *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		data = malloc(size ? (size_t)size : 1);
		*n = data ? fread(data, 1, (size_t)size, f) : 0;
	}
	fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t n = 0;
		uint8_t *data = read_all(argv[i], &n);

		if (!data) {
			fprintf(stderr, "cannot read '%s'\n", argv[i]);
			return 1;
		}
		LLVMFuzzerTestOneInput(data, n);
		free(data);
	}
	printf("%s: %d inputs replayed, no sanitizer report\n", fuzz_replay_name,
	       argc - 1);
	fuzz_replay_done();
	return 0;
}
