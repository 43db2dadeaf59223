# ckpt — small Unix filters for CRIU checkpoint archives.
#
#   make            build the tools into $(BUILD)/bin
#   make check      build, then run every test through prove (TAP)
#   make check SANITIZE=1   the same, built with ASan + UBSan
#   make deps       install what the build and the tests need (Debian, root)
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      benchmarks against tar, zstd, criu, podman, checkpointctl

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
PKGS      := libarchive libprotobuf-c json-c libcrypto libzstd zlib

ifeq ($(SANITIZE),1)
BUILD     ?= build/san
SANFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD     ?= build/out
SANFLAGS  :=
endif

CC        ?= cc
OPTFLAGS  ?= -O2 -g
CFLAGS    += -std=gnu11 $(OPTFLAGS) -Wall -Wextra -Wno-unused-parameter $(SANFLAGS) \
             -D_GNU_SOURCE -DCKPT_VERSION='"$(VERSION)"' \
             -I. -I$(BUILD)/gen $(shell pkg-config --cflags $(PKGS))
ifeq ($(WERROR),1)
CFLAGS    += -Werror
endif
LDFLAGS   += $(SANFLAGS)
LDLIBS    += $(shell pkg-config --libs $(PKGS)) -lpthread

TOOLS     := $(patsubst tools/%.c,%,$(wildcard tools/*.c))
PROTOS    := $(wildcard formats/*.proto)
GEN_C     := $(patsubst formats/%.proto,$(BUILD)/gen/%.pb-c.c,$(PROTOS))
GEN_H     := $(GEN_C:.c=.h)
LIB_SRC   := $(wildcard libcommon/*.c)
LIB_OBJ   := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(GEN_C:.c=.o)
LIB       := $(BUILD)/libcommon.a
UNIT_SRC  := $(wildcard tests/unit/*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(filter-out tests/unit/tap.c,$(UNIT_SRC)))
BINS      := $(addprefix $(BUILD)/bin/,$(TOOLS))
FUZZERS   := $(patsubst tests/fuzz/%.c,%,$(filter-out tests/fuzz/replay.c,$(wildcard tests/fuzz/*.c)))
REPLAYS   := $(addprefix $(BUILD)/tests/fuzz/,$(FUZZERS))

.PHONY: all check check-valgrind deps install uninstall demo bench fuzz clean
.SECONDARY:

all: $(BINS)

$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: formats/%.proto
	@mkdir -p $(@D)
	protoc-c --proto_path=formats --c_out=$(BUILD)/gen $<

$(BUILD)/gen/%.pb-c.o: $(BUILD)/gen/%.pb-c.c $(GEN_H)
	$(CC) $(CFLAGS) -Wno-unused-parameter -c -o $@ $<

# Every object depends on every generated header: protoc-c output is small
# and this keeps the header dependencies honest without a generator.
$(BUILD)/%.o: %.c $(GEN_H) $(wildcard libcommon/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/tools/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/tap.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/tests/unit/tap.o $(LIB) $(LDLIBS)

# make check replays each fuzz target's corpus through replay.c.
$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/tests/fuzz/replay.o $(LIB) $(LDLIBS)

# make fuzz: every target under libFuzzer for FUZZ_SECONDS each; inputs
# that find new coverage are merged into tests/fuzz/corpus/<target>/.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPTFLAGS="-O1 -g" \
	    SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
	    $(addprefix $(FUZZ_BUILD)/fuzz/,$(FUZZERS))
	for t in $(FUZZERS); do \
	    mkdir -p $(FUZZ_BUILD)/new/$$t tests/fuzz/corpus/$$t && \
	    $(FUZZ_BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -close_fd_mask=2 \
	        -rss_limit_mb=1024 -timeout=10 $(FUZZ_BUILD)/new/$$t tests/fuzz/corpus/$$t || exit 1; \
	    $(FUZZ_BUILD)/fuzz/$$t -merge=1 -close_fd_mask=2 tests/fuzz/corpus/$$t $(FUZZ_BUILD)/new/$$t || exit 1; \
	done

$(FUZZ_BUILD)/fuzz/%: $(FUZZ_BUILD)/tests/fuzz/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS)

# The shell tests find the tools, criu and the fixtures through these.
TEST_ENV  := CKPT_BIN=$(CURDIR)/$(BUILD)/bin CKPT_TOP=$(CURDIR) \
             CKPT_REPLAY=$(CURDIR)/$(BUILD)/tests/fuzz \
             PATH=$(CURDIR)/$(BUILD)/bin:/opt/ckpt/criu/sbin:/opt/ckpt/criu/bin:$$PATH
TESTS     ?= $(UNIT_BIN) $(sort $(wildcard tests/cli/*.t tests/e2e/*.t tests/interop/*.t))

check: $(BINS) $(UNIT_BIN) $(REPLAYS)
	$(TEST_ENV) prove -f $(TESTS)

# The CLI tests again, every tool run under valgrind (memcheck, leaks
# included): a second opinion beside the sanitizers, on unmodified binaries.
VG_BIN := $(BUILD)/valgrind-bin
check-valgrind: $(BINS)
	@mkdir -p $(VG_BIN)
	for t in $(TOOLS); do \
	    printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --track-fds=no "%s" "$$@"\n' \
	        "$(CURDIR)/$(BUILD)/bin/$$t" > $(VG_BIN)/$$t && chmod +x $(VG_BIN)/$$t; \
	done
	$(TEST_ENV) PATH=$(CURDIR)/$(VG_BIN):$$PATH CKPT_BIN=$(CURDIR)/$(VG_BIN) CKPT_MUTANTS=30 \
	    prove -f $(sort $(wildcard tests/cli/*.t))

deps:
	scripts/deps.sh

install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(wildcard man/*.7)))

demo: $(BINS)
	$(TEST_ENV) scripts/demo.sh

bench: $(BINS)
	$(TEST_ENV) bench/run.sh

clean:
	rm -rf build
