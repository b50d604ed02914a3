/*
 * server/notify/curl_dl_test.c - curl_dl() finds every function in the
 * libcurl this test is linked with: the same addresses a direct call
 * reaches (dlopen of a loaded library answers that library), the same table
 * on every call, from any thread.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "curl_dl.h"

static void finds_the_linked_functions(void **ctx)
{
	const struct curl_dl *cu = curl_dl();

	(void)ctx;
	assert_non_null(cu);
	assert_string_equal(curl_dl_error(), "");
#define SAME_AS_LINKED(name) assert_ptr_equal((void *)cu->name, (void *)curl_##name);
	CURL_DL_FUNCTIONS(SAME_AS_LINKED)
#undef SAME_AS_LINKED
}

static void *first_use(void *arg)
{
	(void)arg;
	return (void *)curl_dl();
}

static void one_table_for_every_thread(void **ctx)
{
	pthread_t threads[4];
	void *seen[4];

	(void)ctx;
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, first_use, NULL), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(pthread_join(threads[i], &seen[i]), 0);
	for (size_t i = 0; i < 4; i++)
		assert_ptr_equal(seen[i], curl_dl());
}

/* The table works: an escape and a header list, made and freed through it. */
static void calls_through_the_table(void **ctx)
{
	const struct curl_dl *cu = curl_dl();
	CURL *easy;
	char *esc;
	struct curl_slist *list;

	(void)ctx;
	assert_int_equal(cu->global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	easy = cu->easy_init();
	assert_non_null(easy);
	esc = cu->easy_escape(easy, "a b&c", 0);
	assert_string_equal(esc, "a%20b%26c");
	cu->free(esc);
	list = cu->slist_append(NULL, "Content-Type: text/plain");
	assert_non_null(list);
	assert_string_equal(list->data, "Content-Type: text/plain");
	cu->slist_free_all(list);
	assert_string_equal(cu->easy_strerror(CURLE_OPERATION_TIMEDOUT),
	                    curl_easy_strerror(CURLE_OPERATION_TIMEDOUT));
	cu->easy_cleanup(easy);
	cu->global_cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_table_for_every_thread),
	    cmocka_unit_test(finds_the_linked_functions),
	    cmocka_unit_test(calls_through_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
