# graphmock - one GNU Makefile. `make help` lists the targets.
#
# Each flavour builds into its own folder (build/release, build/asan,
# build/tsan) so sanitizer objects never mix. Sources are found by find(1):
# a new file anywhere under server/, routes/ or state/ needs no edit here.

CC ?= cc
ifeq ($(origin CC),default)
CC := cc
endif
O ?= build
PREFIX ?= /usr/local
DESTDIR ?=
PORT ?= 8080
ARGS ?=

PKG_CONFIG ?= pkg-config

# Quiet build lines ("CC server/http/http.c"); V=1 shows the full commands.
V ?= 0
ifeq ($(V),0)
say = @printf '  %-6s %s\n' $(1) $(2);
else
say =
endif
MHD_MIN := 0.9.75
JANSSON_MIN := 2.14

# Debian packages each step needs (make deps installs them when run as root).
DEB_BUILD := make pkg-config libmicrohttpd-dev libjansson-dev uthash-dev libgnutls28-dev \
	libcurl4-gnutls-dev libyajl-dev zlib1g-dev
DEB_TEST := $(DEB_BUILD) libcmocka-dev openssl curl jq
DEB_BENCH := $(DEB_BUILD) wrk curl nginx-light

UTHASH_CFLAGS ?=
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -MMD -MP \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla \
	-Wwrite-strings -Wno-format-nonliteral
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags libmicrohttpd jansson yajl gnutls nettle zlib libcurl \
	2>/dev/null) $(UTHASH_CFLAGS) $(if $(CURL_SONAME),-DCURL_SONAME='"$(CURL_SONAME)"')
# The server opens libcurl when it first calls a webhook (server/notify/curl_dl.h),
# by the soname its development files link against; it does not link it.
DEP_LIBS = $(shell $(PKG_CONFIG) --libs libmicrohttpd jansson yajl gnutls nettle zlib \
	2>/dev/null) -lpthread -ldl
CURL_SONAME := $(shell objdump -p "$$($(CC) -print-file-name=libcurl.so)" 2>/dev/null | \
	awk '/SONAME/ {print $$2}')
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
CURL_LIBS = $(shell $(PKG_CONFIG) --libs libcurl jansson 2>/dev/null)

release_CFLAGS := -O2 -g
asan_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
tsan_CFLAGS := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
fuzz_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_SECONDS ?= 60

LAYER_SRCS := $(sort $(shell find server routes state -name '*.c'))
APP_SRCS := $(filter-out %_test.c %_testutil.c server/main.c, $(LAYER_SRCS))
TEST_SRCS := $(filter %_test.c, $(LAYER_SRCS)) $(wildcard conformance/*_test.c)
# Helpers shared by tests (a daemon to talk to, a libcurl call): test binaries only.
TESTUTIL_SRCS := $(filter %_testutil.c, $(LAYER_SRCS))
RUNNER_SRCS := $(filter-out %_test.c, $(wildcard conformance/*.c))
# The runner checks bodies against Graph's CSDL: it links the schema tables (a leaf).
SCHEMA_SRCS := state/schema/schema.c state/schema/schema_gen.c
FIXTURE_JSON := state/default_fixture.json

.PHONY: all release asan tsan run test unit conformance lint lint-layers format install clean fuzz fuzz-fixture fuzz-replay clients certs callgrind \
	deps deps-build deps-test bench bench-scale fuzz help check-deps doc-examples docker-check man

all: release

help:
	@echo "make            build build/release/graphmock"
	@echo "make run        build and start it on localhost:$(PORT) (ARGS='--seed 1' ...)"
	@echo "make test       ASan+UBSan build; unit tests, then the conformance suite"
	@echo "make asan|tsan  sanitizer builds (tsan also runs three concurrent loads, bench/tsan-*.sh,"
	@echo "                and the mixed soak for 30 s)"
	@echo "make fuzz       libFuzzer over the request dispatcher (clang; FUZZ_SECONDS=60)"
	@echo "make fuzz-fixture  libFuzzer over the fixture/state-file loader (clang; FUZZ_SECONDS=60)"
	@echo "make lint       clang-format check, banned functions, header self-containment"
	@echo "make schema     regenerate state/schema/schema_gen.c from Graph's CSDL (CSDL=...)"
	@echo "make certs      a throwaway CA + certificate for localhost and Graph's host names (build/certs)"
	@echo "make clients    the official Graph SDKs (JS v3, Kiota) against graphmock (Node 18+)"
	@echo "make ui-test    the /_mock/ui dashboard in Debian's chromium (part of make clients)"
	@echo "make bench      release build under wrk beside nginx and bare libmicrohttpd:"
	@echo "                req/s, latency, ratios (BASELINE=other/graphmock)"
	@echo "make bench-scale  a million users: start-up, RSS, paging, resets, export"
	@echo "make callgrind  instructions per request (valgrind), stable on a busy machine"
	@echo "make install    bin/graphmock, man1/graphmock.1, share/graphmock/ under \$$(DESTDIR)\$$(PREFIX) (PREFIX=$(PREFIX))"
	@echo "make doc-examples  run every shell block of README.md and docs/*.md (part of make test)"
	@echo "make docker-check  docker/check: the Dockerfile against this tree, no engine (part of make test)"
	@echo "make deps       install missing Debian packages (root) or print the apt-get line"
	@echo "make clean      remove build/"

# ---- dependencies -------------------------------------------------------------

# $(call need_pkgs,<debian packages>): install what is missing when root,
# otherwise print the exact apt-get line and fail.
define need_pkgs
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing:$$missing"; \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq $$missing >/dev/null; } || exit 1; \
		else \
			echo "missing Debian packages; run:"; \
			echo "  sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi
endef

deps: deps-test
deps-build:
	$(call need_pkgs,$(DEB_BUILD))
deps-test:
	$(call need_pkgs,$(DEB_TEST))

check-deps:
	@$(PKG_CONFIG) --atleast-version=$(MHD_MIN) libmicrohttpd || { \
		echo "libmicrohttpd >= $(MHD_MIN) not found: run 'make deps'"; exit 1; }
	@$(PKG_CONFIG) --atleast-version=$(JANSSON_MIN) jansson || { \
		echo "jansson >= $(JANSSON_MIN) not found: run 'make deps'"; exit 1; }
	@$(PKG_CONFIG) --exists yajl || { \
		echo "yajl not found: run 'make deps'"; exit 1; }
	@$(PKG_CONFIG) --exists gnutls || { \
		echo "gnutls not found: run 'make deps'"; exit 1; }
	@$(PKG_CONFIG) --exists libcurl || { \
		echo "libcurl not found: run 'make deps'"; exit 1; }
	@$(PKG_CONFIG) --exists zlib || { \
		echo "zlib not found: run 'make deps'"; exit 1; }
	@printf '#include <uthash.h>\nint main(void){return 0;}\n' | \
		$(CC) $(UTHASH_CFLAGS) -x c - -fsyntax-only 2>/dev/null || { \
		echo "uthash.h not found: run 'make deps' or set UTHASH_CFLAGS=-I<dir>"; exit 1; }

# ---- per-flavour build rules --------------------------------------------------

# $(O)/gen/default_fixture.c: the built-in fixture as a C string.
$(O)/gen/default_fixture.c: $(FIXTURE_JSON) Makefile
	@mkdir -p $(@D)
	@{ echo '/* generated from $(FIXTURE_JSON) by the Makefile; do not edit */'; \
	   echo '#include "../../state/load/fixture.h"'; \
	   echo 'const char default_fixture_json[] ='; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	   echo ';'; } > $@

# $(O)/gen/ui_assets.c: the dashboard's files (routes/mock/ui/) as byte arrays,
# each with an ETag from its SHA-256 (routes/mock/ui_assets.h). Only coreutils.
UI_FILES := $(sort $(wildcard routes/mock/ui/*.*))
$(O)/gen/ui_assets.c: $(UI_FILES) Makefile
	@mkdir -p $(@D)
	@{ echo '/* generated from routes/mock/ui/ by the Makefile; do not edit */'; \
	   echo '#include "../../routes/mock/ui_assets.h"'; i=0; \
	   for f in $(UI_FILES); do i=$$((i + 1)); \
		echo "static const unsigned char f$$i[] = {"; \
		od -An -v -tx1 $$f | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '0};'; \
	   done; echo 'const struct ui_asset ui_assets[] = {'; i=0; \
	   for f in $(UI_FILES); do i=$$((i + 1)); \
		printf '{"%s", f%d, %d, "\\"%s\\""},\n' "$${f##*/}" $$i \
			$$(wc -c < $$f) $$(sha256sum $$f | cut -c1-16); \
	   done; echo '{0}};'; } > $@

# $(O)/gen/graph_permissions.c: Microsoft Graph's permission catalogue as a C string.
GRAPH_PERMISSIONS_JSON := state/model/graph_permissions.json
$(O)/gen/graph_permissions.c: $(GRAPH_PERMISSIONS_JSON) Makefile
	@mkdir -p $(@D)
	@{ echo '/* generated from $(GRAPH_PERMISSIONS_JSON) by the Makefile; do not edit */'; \
	   echo '#include "../../state/model/graph_permissions.h"'; \
	   echo 'const char model_graph_permissions_json[] ='; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	   echo ';'; } > $@

define flavour
$(1)_OBJS := $$(patsubst %.c,$(O)/$(1)/%.o,$(APP_SRCS)) $(O)/$(1)/gen/default_fixture.o \
	$(O)/$(1)/gen/ui_assets.o $(O)/$(1)/gen/graph_permissions.o
$(1)_TESTS := $$(patsubst %.c,$(O)/$(1)/%,$(TEST_SRCS))

$(O)/$(1)/%.o: %.c | check-deps
	@mkdir -p $$(@D)
	$$(call say,CC,$(1)/$$<)$$(CC) $$(BASE_CFLAGS) $$($(1)_CFLAGS) $$(DEP_CFLAGS) $$(CFLAGS) -c $$< -o $$@

$(O)/$(1)/gen/%.o: $(O)/gen/%.c
	@mkdir -p $$(@D)
	$$(call say,CC,$(1)/$$<)$$(CC) $$(BASE_CFLAGS) $$($(1)_CFLAGS) $$(DEP_CFLAGS) $$(CFLAGS) -c $$< -o $$@

$(O)/$(1)/libgraphmock.a: $$($(1)_OBJS)
	@rm -f $$@
	$$(call say,AR,$$@)$$(AR) rcs $$@ $$^

$(O)/$(1)/graphmock: $(O)/$(1)/server/main.o $(O)/$(1)/libgraphmock.a
	$$(call say,LINK,$$@)$$(CC) $$($(1)_CFLAGS) $$(LDFLAGS) $$^ $$(DEP_LIBS) -o $$@

$(O)/$(1)/%_test: $(O)/$(1)/%_test.o $$(patsubst %.c,$(O)/$(1)/%.o,$(TESTUTIL_SRCS)) \
		$(O)/$(1)/libgraphmock.a
	$$(call say,LINK,$$@)$$(CC) $$($(1)_CFLAGS) $$(LDFLAGS) $$^ $$(DEP_LIBS) $$(TEST_LIBS) $$(CURL_LIBS) -o $$@

$(O)/$(1)/conformance-runner: $$(patsubst %.c,$(O)/$(1)/%.o,$(RUNNER_SRCS) $(SCHEMA_SRCS))
	$$(call say,LINK,$$@)$$(CC) $$($(1)_CFLAGS) $$(LDFLAGS) $$^ $$(CURL_LIBS) -lpthread -o $$@

# conformance/ unit tests link the runner's modules, not the server library
$(O)/$(1)/conformance/%_test: $(O)/$(1)/conformance/%_test.o \
		$$(patsubst %.c,$(O)/$(1)/%.o,$(filter-out conformance/runner.c,$(RUNNER_SRCS)) $(SCHEMA_SRCS))
	$$(call say,LINK,$$@)$$(CC) $$($(1)_CFLAGS) $$(LDFLAGS) $$^ $$(TEST_LIBS) $$(CURL_LIBS) -lpthread -o $$@

-include $$(shell find $(O)/$(1) -name '*.d' 2>/dev/null)
endef

$(eval $(call flavour,release))
$(eval $(call flavour,asan))
$(eval $(call flavour,tsan))
$(eval $(call flavour,fuzz))

release: $(O)/release/graphmock
asan: $(O)/asan/graphmock
tsan: $(O)/tsan/graphmock $(O)/tsan/conformance-runner $(O)/tsan/server/soak_test \
		$(O)/tsan/state/load/fixture_test
	TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/bench/tsan.supp" \
		./$(O)/tsan/state/load/fixture_test
	./bench/tsan-load.sh $(O)/tsan/graphmock
	./bench/tsan-chaos.sh $(O)/tsan/graphmock
	./bench/tsan-notify.sh $(O)/tsan/graphmock
	SOAK_SECONDS=$${SOAK_SECONDS:-30} TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/bench/tsan.supp" ./$(O)/tsan/server/soak_test

# ---- run, test ------------------------------------------------------------------

run: deps-build release
	./$(O)/release/graphmock --port $(PORT) $(ARGS)

# ASAN_OPTIONS: report leaks at exit; UBSan findings abort (-fno-sanitize-recover).
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
# Every reset that rewinds a tenant is compared with the tenant as built
# (state/rewind.h), and every text the render cache would give with the
# object written afresh (server/odata/odata_rcache.h); a difference aborts
# the server under test.
unit conformance doc-examples docker-check fuzz-replay: export GRAPHMOCK_REWIND_CHECK = 1
unit conformance doc-examples docker-check fuzz-replay: export GRAPHMOCK_RENDER_CHECK = 1

# server/hostile_test also runs the binary (SIGTERM under load): GRAPHMOCK_BIN.
# state/util/prefault_test runs built plain too: sanitized, the helper it
# tests never starts.
unit: deps-test $(asan_TESTS) $(O)/asan/graphmock $(O)/release/state/util/prefault_test
	@set -e; for t in $(asan_TESTS); do echo "== $$t"; \
		GRAPHMOCK_BIN=./$(O)/asan/graphmock ./$$t; done
	@echo "== $(O)/release/state/util/prefault_test"; ./$(O)/release/state/util/prefault_test
	@! readelf -d $(O)/asan/graphmock | grep 'NEEDED.*libcurl' || { echo \
		"graphmock links libcurl: it opens it at first use (server/notify/curl_dl.h)"; exit 1; }

# Twice: as is, then with every tenant treated as a big one (users kept as
# text parsed per answer, made users kept as text again: what a million
# users take), so each route is checked on both paths.
conformance: deps-test $(O)/asan/graphmock $(O)/asan/conformance-runner
	./$(O)/asan/conformance-runner --server ./$(O)/asan/graphmock \
		--server-arg --max-body --server-arg 65536 --jobs 2 conformance/cases
	@echo "== conformance again, every tenant a big one (GRAPHMOCK_KEEP_PARSED_BELOW=0)"
	GRAPHMOCK_KEEP_PARSED_BELOW=0 ./$(O)/asan/conformance-runner \
		--server ./$(O)/asan/graphmock --server-arg --max-body --server-arg 65536 \
		--jobs 2 conformance/cases

test: deps-test
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory doc-examples
	@$(MAKE) --no-print-directory docker-check
	@$(MAKE) --no-print-directory conformance

# Every shell block of README.md and docs/*.md against a fresh graphmock
# (conformance/doc-examples.sh; skip markers in the markdown say why not).
doc-examples: deps-test $(O)/asan/graphmock release
	@./conformance/doc-examples.sh --self-test ./$(O)/asan/graphmock
	./conformance/doc-examples.sh ./$(O)/asan/graphmock README.md docs/*.md

# The Dockerfile checked against this tree without a Docker engine.
docker-check: deps-test release
	./docker/check

# The fuzz target's corpus, replayed under ASan + UBSan by make test.
$(O)/asan/fuzz-replay: conformance/fuzz/fuzz_dispatch.c conformance/fuzz/replay_main.c \
		$(O)/asan/libgraphmock.a
	$(CC) $(BASE_CFLAGS) $(asan_CFLAGS) $(DEP_CFLAGS) -DFUZZ_MAIN $(filter %.c %.a,$^) $(DEP_LIBS) -o $@

# The fixture loader's target and its corpus, the same way.
$(O)/asan/fuzz-fixture-replay: conformance/fuzz/fuzz_fixture.c conformance/fuzz/replay_main.c \
		$(O)/asan/libgraphmock.a
	$(CC) $(BASE_CFLAGS) $(asan_CFLAGS) $(DEP_CFLAGS) -DFUZZ_MAIN $(filter %.c %.a,$^) $(DEP_LIBS) -o $@

fuzz-replay: $(O)/asan/fuzz-replay $(O)/asan/fuzz-fixture-replay
	./$(O)/asan/fuzz-replay conformance/fuzz/corpus/*
	./$(O)/asan/fuzz-fixture-replay conformance/fuzz/fixture-corpus/*

# libFuzzer over the dispatcher (needs clang and libclang-rt-14-dev); new
# inputs go to $(O)/fuzz/corpus, copy the interesting ones into the repo.
$(O)/fuzz/fuzz-dispatch: conformance/fuzz/fuzz_dispatch.c $(O)/fuzz/libgraphmock.a
	$(CC) $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(DEP_CFLAGS) $(filter %.c %.a,$^) $(DEP_LIBS) -o $@

fuzz:
	$(MAKE) CC=clang $(O)/fuzz/fuzz-dispatch
	@mkdir -p $(O)/fuzz/corpus
	./$(O)/fuzz/fuzz-dispatch -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-dict=conformance/fuzz/graph.dict $(O)/fuzz/corpus conformance/fuzz/corpus

# libFuzzer over the fixture and state-file loader (state/util/jparse against
# jansson, fixture_read, state_load); new inputs go to $(O)/fuzz/fixture-corpus.
# -max_len: room for nesting past jansson's 2048 levels.
$(O)/fuzz/fuzz-fixture: conformance/fuzz/fuzz_fixture.c $(O)/fuzz/libgraphmock.a
	$(CC) $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(DEP_CFLAGS) $(filter %.c %.a,$^) $(DEP_LIBS) -o $@

fuzz-fixture:
	$(MAKE) CC=clang $(O)/fuzz/fuzz-fixture
	@mkdir -p $(O)/fuzz/fixture-corpus
	./$(O)/fuzz/fuzz-fixture -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=8192 \
		-dict=conformance/fuzz/fixture.dict $(O)/fuzz/fixture-corpus \
		conformance/fuzz/fixture-corpus

# A throwaway CA and a server certificate for localhost and the host names of
# Graph and Entra ID (graphmock certs): HTTPS tests and zero-configuration mode.
certs: release
	./$(O)/release/graphmock certs $(O)/certs

# The official Microsoft Graph SDKs (JS v3 and Kiota) against a release build;
# versions pinned by conformance/clients/package-lock.json. Node 18 or later
# (Debian 12's nodejs and npm will do). Then an SDK with its default endpoints
# against graphmock as graph.microsoft.com (conformance/clients/zeroconf.sh).
clients: release certs
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		echo "node and npm are needed: apt-get install nodejs npm (Debian 12), or Node.js 20 (https://nodejs.org)"; exit 1; }
	cd conformance/clients && npm ci --no-audit --no-fund --loglevel=error && \
		NODE_EXTRA_CA_CERTS=$(abspath $(O)/certs/ca.pem) \
		GRAPHMOCK_CERTS=$(abspath $(O)/certs) \
		GRAPHMOCK_BIN=$(abspath $(O)/release/graphmock) node --test
	./conformance/clients/zeroconf.sh $(abspath $(O)/release/graphmock) $(abspath $(O)/certs)

# The dashboard (/_mock/ui) clicked through in Debian's chromium (installed
# when missing) by playwright-core, pinned by conformance/browser/package-lock.json;
# no browser is ever downloaded. Screenshots go to $(O)/ui-screenshots/. Part of
# make clients, hence of CI.
.PHONY: ui-test
ui-test: release
	$(call need_pkgs,chromium)
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		echo "node and npm are needed: install Node.js 20 (https://nodejs.org)"; exit 1; }
	cd conformance/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
		npm ci --no-audit --no-fund --loglevel=error && \
		GRAPHMOCK_BIN=$(abspath $(O)/release/graphmock) CHROMIUM=/usr/bin/chromium \
		SCREENSHOTS=$(abspath $(O)/ui-screenshots) node --test
clients: ui-test

# bench/bare.c: libmicrohttpd alone with fixed bodies, the ceiling make bench
# compares graphmock with (beside nginx, which DEB_BENCH installs).
$(O)/release/bench-bare: bench/bare.c | check-deps
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) -O2 -g -Wall -Wextra $(shell $(PKG_CONFIG) --cflags libmicrohttpd) $< \
		$(shell $(PKG_CONFIG) --libs libmicrohttpd) -lpthread -o $@

$(O)/release/bench-gen-scale: bench/gen_scale.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) -O2 -Wall -Wextra $< -o $@

bench: release $(O)/release/bench-bare
	$(call need_pkgs,$(DEB_BENCH))
	./bench/run.sh ./$(O)/release/graphmock ./$(O)/release/bench-bare $(BASELINE)

# A million users (bench/gen_scale.c): start-up, RSS, paging, indexes, resets,
# export, and a reader of another tenant while an export runs. Figures only.
$(O)/release/bench-scale-client: bench/scale_client.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) -O2 -Wall -Wextra -D_GNU_SOURCE $< $(CURL_LIBS) -o $@

$(O)/release/bench-mem: bench/mem.c $(O)/release/libgraphmock.a
	$(call say,LINK,$@)$(CC) $(BASE_CFLAGS) $(release_CFLAGS) $(DEP_CFLAGS) $^ $(DEP_LIBS) -o $@

# Start-up and reset steps without the server: CPU, page faults, malloc'd bytes.
$(O)/release/bench-load: bench/load.c $(O)/release/libgraphmock.a
	$(call say,LINK,$@)$(CC) $(BASE_CFLAGS) $(release_CFLAGS) $(DEP_CFLAGS) $^ $(DEP_LIBS) -o $@

bench-scale: release $(O)/release/bench-gen-scale $(O)/release/bench-scale-client \
		$(O)/release/bench-mem $(O)/release/bench-load
	$(call need_pkgs,$(DEB_BENCH))
	./bench/scale.sh ./$(O)/release/graphmock ./$(O)/release/bench-gen-scale \
		./$(O)/release/bench-scale-client ./$(O)/release/bench-mem \
		./$(O)/release/bench-load

# Instructions per request (valgrind callgrind): stable on a busy machine.
callgrind: release
	./bench/callgrind.sh ./$(O)/release/graphmock

# ---- quality ----------------------------------------------------------------------

LINT_SRCS := $(sort $(shell find server routes state -name '*.[ch]')) \
	$(wildcard conformance/*.[ch] conformance/fuzz/*.c)
BANNED := strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok

lint:
	@clang-format --dry-run --Werror $(LINT_SRCS)
	@! grep -nE '\b($(BANNED))\s*\(' $(LINT_SRCS) | grep -vE 'snprintf|vsnprintf' \
		|| { echo "banned function used (STYLE §8)"; exit 1; }
	@for h in $(filter %.h,$(LINT_SRCS)); do \
		printf '#include "%s"\n' "$$h" | $(CC) $(BASE_CFLAGS) $(DEP_CFLAGS) \
			-I. -x c - -fsyntax-only -o /dev/null || { \
			echo "header $$h does not compile on its own"; exit 1; }; \
	done
	@if command -v python3 >/dev/null; then python3 state/schema/gen_schema.py --check; \
	else echo "lint: no python3, state/schema/schema_gen.c not checked"; fi
	@$(MAKE) --no-print-directory lint-layers
	@echo "lint: ok"

# The layer rules of README.md's code map, one grep each over the #include
# lines of the non-test sources (tests may include what they test from).
# $(call layer_rule,<folder>,<forbidden include regex>,<allowed regex or x>,<rule>)
layer_srcs = $(filter-out %_test.c %_testutil.c %_testutil.h, \
	$(shell find $(1) -maxdepth 1 -name '*.[ch]'))
define layer_rule
	@bad=$$(grep -HnE '^\#include $(2)' $(call layer_srcs,$(1)) /dev/null \
		| grep -vE '^[^:]*:[0-9]+:\#include $(3)'); \
	if [ -n "$$bad" ]; then echo "$$bad"; echo "layer rule broken: $(4)"; exit 1; fi
endef

lint-layers:
	$(call layer_rule,state state/model state/load state/util state/schema,"[^"]*(server|routes)/,x,state/ includes neither server/ nor routes/)
	$(call layer_rule,state,"(model|load)/,x,the store (state/*.c) includes neither state/model/ nor state/load/)
	$(call layer_rule,state/model,"\.\./load/,x,state/model/ does not include state/load/)
	$(call layer_rule,state/util state/schema,"\.\./,x,state/util/ and state/schema/ are leaves: they include nothing of graphmock's outside)
	$(call layer_rule,routes routes/graph routes/entra routes/mock,"[^"]*server/,"[^"]*server/(core|odata)/,routes/ includes only server/core/ and server/odata/ of the server)
	$(call layer_rule,server/core,"\.\./,"\.\./\.\./state/util/,server/core/ includes only itself and state/util/)
	$(call layer_rule,server/odata,"\.\./,"\.\./(core/|\.\./state/(util|schema)/),server/odata/ includes only server/core/ and state/util/ and state/schema/)
	$(call layer_rule,server/auth,"\.\./,"\.\./(core/|\.\./state/util/),server/auth/ includes only server/core/ and state/util/)
	$(call layer_rule,server/faults,"\.\./,"\.\./(core/|\.\./state/),server/faults/ includes only server/core/ and state/)
	$(call layer_rule,server/notify,"\.\./,"\.\./(core/|faults/|\.\./state/),server/notify/ includes only server/core/ and server/faults/ and state/)
	$(call layer_rule,server/http,"[^"]*routes/,x,server/http/ does not include routes/)
	$(call layer_rule,$(filter-out server/main.c,$(call layer_srcs,server)),"(\.\./routes/|http/),x,only server/main.c (the composition root) includes routes/ and server/http/)
	$(call layer_rule,server server/core server/odata server/faults server/auth server/notify routes routes/graph routes/entra routes/mock state state/model state/load state/util,<microhttpd\.h>,x,only server/http/ includes <microhttpd.h>)
	$(call layer_rule,server server/core server/odata server/faults server/auth server/http server/notify routes routes/graph routes/entra routes/mock state state/model state/load state/schema,<uthash\.h>,x,only state/util/hash.h includes <uthash.h>)
	$(call layer_rule,server server/core server/odata server/faults server/auth server/http routes routes/graph routes/entra routes/mock state state/model state/load state/util state/schema,<curl/curl\.h>,x,only server/notify/ makes HTTP requests (<curl/curl.h>) in the server)

# Regenerate state/schema/schema_gen.c and the CSDL subset beside it (needs
# python3; the build never does). A type not yet in the subset needs Graph's
# full CSDL: make schema CSDL=../shared/graph-csdl/v1.0.csdl
CSDL ?= state/schema/graph-v1.0-subset.csdl
.PHONY: schema
schema:
	python3 state/schema/gen_schema.py --csdl $(CSDL)

format:
	clang-format -i $(LINT_SRCS)

# graphmock(1) is --help, converted (server/gen_man.sh).
$(O)/graphmock.1: $(O)/release/graphmock server/gen_man.sh
	$(call say,MAN,$@)./server/gen_man.sh ./$(O)/release/graphmock > $@.tmp && mv $@.tmp $@

man: $(O)/graphmock.1

# The binary, its man page, and under share/graphmock/ the built-in fixture
# (a start for --fixtures) and the example fault files (for --faults).
SHARE_FILES := $(FIXTURE_JSON) $(sort $(wildcard docs/examples/faults/*.json))
install: release $(O)/graphmock.1
	install -D -m 0755 $(O)/release/graphmock $(DESTDIR)$(PREFIX)/bin/graphmock
	install -D -m 0644 $(O)/graphmock.1 $(DESTDIR)$(PREFIX)/share/man/man1/graphmock.1
	install -D -m 0644 $(FIXTURE_JSON) $(DESTDIR)$(PREFIX)/share/graphmock/default_fixture.json
	install -d $(DESTDIR)$(PREFIX)/share/graphmock/faults
	install -m 0644 $(filter docs/examples/faults/%,$(SHARE_FILES)) $(DESTDIR)$(PREFIX)/share/graphmock/faults/

clean:
	rm -rf $(O)
