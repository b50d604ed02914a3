#ifndef GRAPHMOCK_SERVER_HUGEPAGES_H
#define GRAPHMOCK_SERVER_HUGEPAGES_H

/*
 * Transparent huge pages for malloc's heap. glibc (2.35+) advises its heap
 * for 2 MiB pages when the tunable glibc.malloc.hugetlb=1 is set, and reads
 * tunables only when a program starts: so when the environment does not
 * decide already, the server re-executes itself (same pid, same arguments)
 * with the tunable added. A million-user fixture then takes ~500 times fewer
 * page faults to build, which on a virtual machine is most of the start-up.
 *
 * Nothing happens when GLIBC_TUNABLES already names glibc.malloc.hugetlb,
 * when GRAPHMOCK_HUGEPAGES=0, under LD_PRELOAD (valgrind, preloaded
 * allocators), in sanitizer builds (their allocator is not glibc's), or when
 * the kernel's transparent huge pages are off. If the exec fails the process
 * simply goes on as it is. Returns only in those cases.
 */
void hugepages_reexec(char **argv);

/*
 * hugepages_tunables() - the decision, apart for tests: the GLIBC_TUNABLES
 * value to re-execute with (malloc'd), or NULL to stay as is, given the
 * variables GLIBC_TUNABLES (@tunables), GRAPHMOCK_HUGEPAGES (@opt) and
 * LD_PRELOAD (@preload), each NULL when unset, and whether the kernel's
 * transparent huge pages are off (@thp_off).
 */
char *hugepages_tunables(const char *tunables, const char *opt, const char *preload,
                         int thp_off);

#endif
