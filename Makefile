# SPDX-License-Identifier: GPL-2.0
#
# netfs-trace top-level Makefile (kbuild style: quiet by default, V=1 shows
# the commands).
#
#   make                 build bin/netfs-replay, bin/netfs-top, bin/netfs-sim
#   make check           unit tests + bats, then the same under ASan+UBSan
#   make check-kernel    boot a Debian kernel under qemu and test netfs-top live
#   make bench           benchmarks -> bench/RESULTS.md
#   make fuzz            bounded fuzzing run of the decoders
#   make install PREFIX=/usr/local DESTDIR=
#
# SAN=1 builds with -fsanitize=address,undefined into $(BUILD) (see check).

SHELL := /bin/bash
PREFIX ?= /usr/local
prefix ?= $(PREFIX)
DESTDIR ?=
BINDIR ?= $(prefix)/bin
MANDIR ?= $(prefix)/share/man
BASH_COMPLETE_DIR ?= $(prefix)/share/bash-completion/completions
ZSH_COMPLETE_DIR ?= $(prefix)/share/zsh/site-functions
# systemd searches /usr/local/lib/systemd/system too; packagers pass
# SYSTEMD_UNIT_DIR=%{_unitdir} (or pkg-config's systemdsystemunitdir).
SYSTEMD_UNIT_DIR ?= $(prefix)/lib/systemd/system
DOCDIR ?= $(prefix)/share/doc/netfs-trace

CC ?= cc
PKG_CONFIG ?= pkg-config
BUILD ?= build
BIN ?= bin

ifeq ($(V),1)
Q =
msg = @true
else
Q = @
msg = @printf '  %-8s %s\n' $(1) $(2)
endif

PKGS := libtracecmd libtracefs libtraceevent liblzma zlib libzstd libelf libdw
TUI_PKGS := ncursesw

OPT ?= -O2
CFLAGS ?= -g $(OPT)
override CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I. $(shell $(PKG_CONFIG) --cflags $(PKGS) $(TUI_PKGS))
LDLIBS_LIB := $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm
LDLIBS_TUI := $(shell $(PKG_CONFIG) --libs $(TUI_PKGS))

ifeq ($(SAN),1)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
override LDFLAGS += -fsanitize=address,undefined
# libtracecmd's own leaks (tracecmd_parse_trace_clock() of a v6 file, ...)
# are not ours; leaks in our code still fail the run.
export LSAN_OPTIONS := suppressions=$(abspath tests/fuzz/lsan.supp)
endif

LIB_SRCS := $(wildcard libnetfs-trace/*.c libnetfs-trace/detect/*.c \
	libnetfs-trace/report/*.c libnetfs-trace/engine/*.c decoders/*.c)
TUI_SRCS := $(wildcard tui/*.c)
CMD_SRCS := $(wildcard cmd/*.c)
CLI_SRCS := $(wildcard cmd/lib/*.c)
TEST_SRCS := $(wildcard tests/unit/test_*.c)

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TUI_OBJS := $(TUI_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libnetfs-trace.a
CMDS := $(CMD_SRCS:cmd/%.c=$(BIN)/%)
TESTS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

all: $(CMDS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN)/netfs-top: $(BUILD)/cmd/netfs-top.o $(CLI_OBJS) $(TUI_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_LIB) $(LDLIBS_TUI)

$(BIN)/%: $(BUILD)/cmd/%.o $(CLI_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_LIB)

TEST_HELPERS := $(BUILD)/tests/unit/tap.o $(BUILD)/tests/unit/lines.o

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_HELPERS) $(LIB)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_LIB)

# the option parser's test links the commands' own library too
$(BUILD)/tests/test_cli: $(CLI_OBJS)

$(BUILD)/tests/unit/tap.o $(BUILD)/tests/unit/lines.o: $(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

tests: $(TESTS)

# The suite: C unit tests, then bats against $(BIN).  NFT_BIN tells the bats
# files which binaries to run.
check-plain: all tests
	$(Q)tests/run-unit.sh $(TESTS)
	$(Q)set -o pipefail; NFT_BIN=$(abspath $(BIN)) bats --tap tests/bats | \
		tee $(BUILD)/bats.tap

check: check-plain
	@echo '  CHECK    again under ASan+UBSan'
	$(Q)$(MAKE) --no-print-directory SAN=1 OPT=-O1 BUILD=build-san \
		BIN=build-san/bin check-plain
	$(Q)tests/summary.sh

check-kernel: all
	$(Q)tests/kernel/run.sh

bench: all
	$(Q)bench/run.sh

fuzz:
	$(Q)tests/fuzz/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASH_COMPLETE_DIR) $(DESTDIR)$(ZSH_COMPLETE_DIR)
	install -m 0755 $(CMDS) $(DESTDIR)$(BINDIR)
	install -m 0644 $(wildcard docs/*.1) $(DESTDIR)$(MANDIR)/man1
	for f in $(wildcard completions/*.bash); do \
		install -m 0644 $$f \
		$(DESTDIR)$(BASH_COMPLETE_DIR)/$$(basename $$f .bash); done
	install -m 0644 $(wildcard completions/_*) $(DESTDIR)$(ZSH_COMPLETE_DIR)
	install -d $(DESTDIR)$(SYSTEMD_UNIT_DIR) $(DESTDIR)$(DOCDIR)
	for f in $(wildcard scripts/systemd/*.in); do \
		sed 's|@BINDIR@|$(BINDIR)|g' $$f > \
		$(DESTDIR)$(SYSTEMD_UNIT_DIR)/$$(basename $$f .in) && \
		chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/$$(basename $$f .in) \
		|| exit 1; done
	install -m 0644 $(wildcard scripts/systemd/*.timer) $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	install -m 0644 docs/netfs-alerts.yml docs/service.md \
		docs/metrics-procstats.md $(DESTDIR)$(DOCDIR)

clean:
	rm -rf $(BUILD) build-san $(BIN)

.PHONY: all tests check check-plain check-kernel bench fuzz install clean
.SECONDARY:

-include $(LIB_OBJS:.o=.d) $(TUI_OBJS:.o=.d) $(CLI_OBJS:.o=.d) \
	$(CMD_SRCS:%.c=$(BUILD)/%.d) $(TEST_SRCS:%.c=$(BUILD)/%.d) \
	$(TEST_HELPERS:.o=.d)
