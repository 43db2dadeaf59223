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

.PHONY: all check deps install uninstall demo bench fuzz clean
.SECONDARY: $(GEN_C) $(GEN_H)

all: $(BINS)

$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: formats/%.proto
	@mkdir -p $(@D)
	protoc-c --proto_path=formats --c_out=$(BUILD)/gen $<

$(BUILD)/gen/%.pb-c.o: $(BUILD)/gen/%.pb-c.c
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

# The shell tests find the tools, criu and the fixtures through these.
TEST_ENV  := CKPT_BIN=$(CURDIR)/$(BUILD)/bin CKPT_TOP=$(CURDIR) \
             PATH=$(CURDIR)/$(BUILD)/bin:/opt/ckpt/criu/sbin:/opt/ckpt/criu/bin:$$PATH
TESTS     ?= $(UNIT_BIN) $(sort $(wildcard tests/cli/*.t tests/e2e/*.t tests/interop/*.t))

check: $(BINS) $(UNIT_BIN)
	$(TEST_ENV) prove -f $(TESTS)

deps:
	scripts/deps.sh

install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))

demo: $(BINS)
	$(TEST_ENV) scripts/demo.sh

bench: $(BINS)
	$(TEST_ENV) bench/run.sh

clean:
	rm -rf build
