/*
 * state/state_testutil.h - for unit tests: a state holding the built-in
 * default fixture (Contoso), so each test need not load it by hand. Linked
 * into test binaries only (*_testutil.c).
 */
#ifndef GRAPHMOCK_STATE_STATE_TESTUTIL_H
#define GRAPHMOCK_STATE_STATE_TESTUTIL_H

#include <stdint.h>

struct state;

/* test_state_init() - state_init(@st, @seed) and the default fixture; asserts (cmocka).
 */
void test_state_init(struct state *st, uint64_t seed);

#endif
