/*
 * conformance/fuzz/replay.h - what a fuzz target gives replay_main.c, the
 * main() that replays a corpus without libFuzzer (make fuzz-replay).
 */
#ifndef GRAPHMOCK_CONFORMANCE_FUZZ_REPLAY_H
#define GRAPHMOCK_CONFORMANCE_FUZZ_REPLAY_H

#include <stddef.h>
#include <stdint.h>

/* The target: one input, as libFuzzer calls it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The corpus's name in the line printed after it ("fuzz corpus"). */
extern const char fuzz_replay_name[];

/* Free what the target keeps from one input to the next (its server). */
void fuzz_replay_done(void);

#endif
