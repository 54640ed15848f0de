# mmlit: the library, mmsim, the tests and the book, all from src-lit/*.nw.
#
#   make               library, mmsim, test runner, HTML and PDF book
#   make check         root check, build, then every Check test (see README.md)
#   make LINES=1 ...   same, compiled from #line-annotated sources (errors,
#                      gdb and Check failures point into the .nw files)
#   make help          all targets
#
# Missing Debian packages are installed (as root) by tools/deps before anything
# else runs. V=1 shows the full commands.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules --no-print-directory
# Parallel by default, one job per core; a -j on the command line wins. A
# sub-make (make check runs $(MAKE) book) shares its parent's jobs.
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
.DEFAULT_GOAL := all

# ------------------------------------------------------------------ packages
# Checked at parse time: noroots below needs noweb already. tools/deps prints
# nothing when nothing is missing.
ifndef MMLIT_DEPS_CHECKED
ifneq ($(filter-out clean help deps,$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell tools/deps >&2 && echo ok),ok)
$(error mmlit: missing Debian packages, see above)
endif
endif
export MMLIT_DEPS_CHECKED := 1
endif

# ------------------------------------------------------------------ output
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = printf '  %-8s %s\n' '$(1)' '$(2)';
endif

# ------------------------------------------------------------------ sources
# Book order: the byte order of the file names, as tools/nw-files prints it.
# The file roots and their pattern come from tools/tangle, the one tangle
# recipe (also used by tools/check-generated).
NW := $(sort $(wildcard src-lit/*.nw))
ROOTS := $(shell tools/tangle --roots $(NW) 2>/dev/null)

# Plain mode compiles generated/ (committed, with a header naming each file's
# chapter) into build/. LINES=1 tangles with #line directives into
# build/lines/src and compiles that into build/lines/.
ifeq ($(LINES),1)
SRC := build/lines/src
OUT := build/lines
TANGLE_OPTS := -L
else
SRC := generated
OUT := build
TANGLE_OPTS :=
endif

GEN_FILES := $(addprefix $(SRC)/,$(ROOTS))
GEN_HDRS := $(filter %.h,$(GEN_FILES))
srcs_in = $(filter $(1)/%.c,$(ROOTS))
objs_in = $(patsubst %.c,$(OUT)/obj/%.o,$(call srcs_in,$(1)))
LIB_OBJS := $(call objs_in,lib)
MMSIM_OBJS := $(call objs_in,mmsim)
TEST_OBJS := $(call objs_in,tests)
BENCH_OBJS := $(call objs_in,bench)
OBJS := $(LIB_OBJS) $(MMSIM_OBJS) $(TEST_OBJS) $(BENCH_OBJS)

# A product whose directory has no .c file yet is skipped.
LIBA := $(if $(LIB_OBJS),$(OUT)/libmmlit.a)
# The shared library, from the same (-fPIC) objects: see "install" below.
# Its soname is libmmlit.so.$(MMLIT_SOVERSION); mmlit.pc says the version.
MMLIT_VERSION := 0.1.0
MMLIT_SOVERSION := 0
SHLIB := $(if $(LIB_OBJS),$(OUT)/libmmlit.so.$(MMLIT_VERSION))
MMSIM := $(if $(MMSIM_OBJS),$(OUT)/mmsim)
TESTS := $(if $(TEST_OBJS),$(OUT)/mmlit-tests)
BENCH := $(if $(BENCH_OBJS),$(OUT)/mmlit-bench)
# The test runner first: its objects are the largest, so that with -j the
# small library objects fill the gaps at the end rather than wait behind them.
PRODUCTS := $(TESTS) $(MMSIM) $(LIBA)

# CFLAGS (optimisation, debug) may be overridden: make CFLAGS=-O0 -g.
# The rest is always used.
CC ?= cc
AR ?= ar
CFLAGS ?= -O2 -g
MMLIT_CFLAGS := -Wall -Wextra -Wno-unused-parameter -std=gnu11 -pthread -MMD -MP
MMLIT_CPPFLAGS := -I$(SRC)/lib
LDLIBS += -pthread -lm
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS = $(shell pkg-config --libs check)
URCU_LIBS = $(shell pkg-config --libs liburcu-memb 2>/dev/null || echo -lurcu-memb)

# ------------------------------------------------------------------ top targets
.PHONY: all code lib mmsim tests tangle book html pdf check check-roots \
	check-generated check-width check-browser bench install uninstall man clean deps help

all: code book
	@:
code: $(PRODUCTS) $(SHLIB) $(GEN_FILES)
	@:
lib: $(LIBA) $(SHLIB)
	@:
mmsim: $(MMSIM)
	@:
tests: $(TESTS)
	@:
tangle: $(GEN_FILES)
	@:

# ------------------------------------------------------------------ tangling
# tools/tangle checks the roots, runs noweb's markup once and nt once per
# root, and rewrites only the files whose text changed, so a prose edit
# recompiles nothing; it prints TANGLE for each. The stamp records that the
# roots were tangled after the last change of the chapters.
$(OUT)/stamp/tangled: $(NW) tools/tangle
	$(Q)mkdir -p $(@D) && tools/tangle $(TANGLE_OPTS) $(SRC) $(NW) && touch $@

# The stamp holds the rule; if a file went missing since, tangle again.
$(GEN_FILES): $(SRC)/%: $(OUT)/stamp/tangled
	$(if $(wildcard $@),,$(Q)tools/tangle $(TANGLE_OPTS) $(SRC) $(NW))

# ------------------------------------------------------------------ compiling
# An object depends on the flags it was compiled with, as the kernel's .cmd
# files make it: the stamp is rewritten only when the flags change (a new
# -fPIC in the tree, make CFLAGS=-O0), and then every object is rebuilt.
CC_FLAGS_LINE = $(CC) $(MMLIT_CPPFLAGS) $(CPPFLAGS) $(MMLIT_CFLAGS) $(PIC_CFLAGS) $(CFLAGS)
$(OUT)/stamp/cflags: FORCE
	@mkdir -p $(@D); echo '$(CC_FLAGS_LINE)' | cmp -s - $@ || echo '$(CC_FLAGS_LINE)' >$@
.PHONY: FORCE
FORCE:

$(OUT)/obj/%.o: $(SRC)/%.c $(OUT)/stamp/cflags | $(GEN_HDRS)
	$(Q)mkdir -p $(@D) && $(call say,CC,$@)$(CC) $(MMLIT_CPPFLAGS) $(CPPFLAGS) $(MMLIT_CFLAGS) $(EXTRA_CFLAGS) $(CFLAGS) -c -o $@ $<

$(TEST_OBJS): EXTRA_CFLAGS = $(CHECK_CFLAGS)
$(LIB_OBJS): EXTRA_CFLAGS = $(PIC_CFLAGS)

-include $(OBJS:.o=.d)

$(OUT)/libmmlit.a: $(LIB_OBJS)
	$(Q)$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

# Programs link the whole library: variant areas and fault sites register
# themselves from constructors, and --variants/--sites must list them all.
WHOLE_LIBA = -Wl,--whole-archive $(LIBA) -Wl,--no-whole-archive

$(OUT)/mmsim: $(MMSIM_OBJS) $(LIBA)
	$(Q)$(call say,LD,$@)$(CC) $(MMLIT_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(MMSIM_OBJS) $(WHOLE_LIBA) $(LDLIBS)

# The tests read the benchmark's data file with the benchmark's own code.
BENCH_DATA_OBJS := $(filter %/bench-data.o,$(BENCH_OBJS))
$(OUT)/mmlit-tests: $(TEST_OBJS) $(BENCH_DATA_OBJS) $(LIBA)
	$(Q)$(call say,LD,$@)$(CC) $(MMLIT_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJS) $(BENCH_DATA_OBJS) $(WHOLE_LIBA) $(CHECK_LIBS) $(LDLIBS)

$(OUT)/mmlit-bench: $(BENCH_OBJS) $(LIBA)
	$(Q)$(call say,LD,$@)$(CC) $(MMLIT_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(BENCH_OBJS) $(WHOLE_LIBA) $(URCU_LIBS) $(LDLIBS)

# ------------------------------------------------------------------ checks
# Environment of the test runner and of figure generators.
RUN_ENV := MMLIT_ROOT=$(CURDIR) MMLIT_MMSIM=$(CURDIR)/$(OUT)/mmsim \
	MMLIT_TESTS=$(CURDIR)/$(OUT)/mmlit-tests MMLIT_BUILD=$(CURDIR)/$(OUT)

check-roots:
	$(Q)tools/tangle --check-roots $(NW)

check-generated:
	$(Q)tools/check-generated

# Code lines of at most 80 columns (chapters not yet reflowed are listed in
# tools/check-width.allow).
check-width:
	$(Q)tools/check-width

# The HTML book in headless chromium at 1280 and 390 px (links, images,
# console errors, overflow, navigation; screenshots in build/browser/).
# make check runs it when chromium is installed.
check-browser: $(BOOK_HTML)
	$(Q)tools/check-browser $(BOOK_HTML) build/browser
HAVE_CHROMIUM := $(shell command -v chromium >/dev/null 2>&1 && echo 1)

# The PDF book: title, fonts embedded, no undefined reference, no identifier
# hyphenated, text past the margin and near-empty pages bounded
# (tools/check-pdf; poppler-utils).  make check runs it when pdffonts is
# installed.
.PHONY: check-pdf
check-pdf: $(BOOK_PDF)
	$(Q)tools/check-pdf $(BOOK_PDF)
HAVE_POPPLER := $(shell command -v pdffonts >/dev/null 2>&1 && echo 1)

# The runner (tangled from chapter 1) also runs tools/check-generated and
# tools/claims --check as Check tests. Its XML log feeds the claims appendix:
# when the book has been built, it is brought up to date with the results.
check: check-roots code
ifneq ($(TESTS),)
	$(Q)mkdir -p build
	$(Q)rc=0; $(RUN_ENV) CK_XML_LOG_FILE_NAME=build/check-results.xml $(TESTS) || rc=$$?; \
	$(RUN_ENV) CK_FORK=no $(TESTS) >build/check-nofork.log 2>&1 || rc=1; \
	echo "mmlit: the same tests in one process (CK_FORK=no; log in build/check-nofork.log):"; \
	grep -E '^[0-9]+%:|:[FE]:' build/check-nofork.log || rc=1; \
	if [ -e $(BOOK_HTML) ] || [ -e $(BOOK_PDF) ]; then $(MAKE) book || rc=1; fi; \
	tools/check-width || rc=1; \
	tools/mutants --check || rc=1; \
	$(if $(HAVE_CHROMIUM),$(MAKE) check-browser || rc=1;,echo "mmlit: no chromium: check-browser skipped";) \
	$(if $(HAVE_POPPLER),$(MAKE) check-pdf || rc=1;,echo "mmlit: no poppler-utils: check-pdf skipped";) \
	$(MAKE) check-install || rc=1; \
	exit $$rc
else
	@echo "mmlit: no test runner yet (no tests/*.c root); running the book's own checks"
	$(Q)tools/check-generated
	$(Q)tools/claims --check
endif

# ------------------------------------------------------------------ sanitizers
# Each builds into a directory of its own (the plain build is left alone),
# then runs the tests in both fork modes and mmsim over every scenario file,
# on the shim and with --diff. Suppressions live in tests/*.supp, each entry
# with its reason.
# A sanitized test runs several times slower, and a loaded machine slower
# still: Check's per-test timeout (60 s, 300 s for the sweeps), which only
# ends a hung test and proves nothing, is multiplied (SAN_TIMEOUT=N).
SAN_TIMEOUT ?= 4
SAN_RUN = MMLIT_ROOT=$(CURDIR) MMLIT_MMSIM=$(CURDIR)/$(1)/mmsim \
	MMLIT_TESTS=$(CURDIR)/$(1)/mmlit-tests MMLIT_BUILD=$(CURDIR)/$(1) \
	CK_TIMEOUT_MULTIPLIER=$(SAN_TIMEOUT)
define san_check
	$(Q)$(MAKE) OUT=$(1) CFLAGS='-O1 -g -fno-omit-frame-pointer $(2)' \
		LDFLAGS='$(2)' $(1)/mmlit-tests $(1)/mmsim
	$(Q)$(call SAN_RUN,$(1)) $(1)/mmlit-tests
	$(Q)$(call SAN_RUN,$(1)) CK_FORK=no $(1)/mmlit-tests >$(1)/nofork.log 2>&1 \
		|| { cat $(1)/nofork.log; exit 1; }; grep -E '^[0-9]+%:' $(1)/nofork.log
	$(Q)$(1)/mmsim tests/scenarios/*.scn | tail -1
	$(Q)$(1)/mmsim --diff tests/scenarios/*.scn | tail -1
endef

ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
TSAN_FLAGS := -fsanitize=thread
export ASAN_OPTIONS ?= abort_on_error=0:detect_leaks=1
export LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/tsan.supp:halt_on_error=1:exitcode=66

.PHONY: check-asan check-tsan check-valgrind
check-asan: check-roots
	$(call san_check,build/asan,$(ASAN_FLAGS))
check-tsan: check-roots
	$(call san_check,build/tsan,$(TSAN_FLAGS))
# memcheck over mmsim (the plain build) on every scenario file.
check-valgrind: check-roots $(MMSIM)
	$(Q)for f in tests/scenarios/*.scn; do \
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
			--suppressions=tests/valgrind.supp $(MMSIM) $$f >/dev/null || exit 1; \
	done; echo "mmlit: valgrind memcheck clean over mmsim on tests/scenarios"

bench: $(BENCH)
ifneq ($(BENCH),)
	$(Q)$(RUN_ENV) $(BENCH)
else
	@echo "mmlit: no benchmark yet (no bench/*.c root)"
endif

# ------------------------------------------------------------------ figures
# figures/NAME.dot              -> build/figures/NAME.svg (HTML), NAME.pdf (PDF)
# figures/NAME.dot.gen (a command) -> build/figures/NAME.dot -> svg, pdf
# figures/NAME.tex.gen (a command) -> build/figures/NAME.tex (\input{NAME})
# A generator runs from the repository root after the binaries are built,
# with MMLIT_ROOT, MMLIT_MMSIM, MMLIT_TESTS and MMLIT_BUILD set.
# figures/NAME.gp (a gnuplot script, without terminal or output settings;
# its data in figures/NAME.dat, .csv or .tsv) -> build/figures/NAME.svg, .pdf
FIG_GP := $(patsubst figures/%.gp,%,$(wildcard figures/*.gp))
FIG_DOT := $(patsubst figures/%.dot,%,$(wildcard figures/*.dot))
FIG_DOTGEN := $(patsubst figures/%.dot.gen,%,$(wildcard figures/*.dot.gen))
FIG_TEXGEN := $(patsubst figures/%.tex.gen,%,$(wildcard figures/*.tex.gen))
FIG_NAMES := $(FIG_DOT) $(FIG_DOTGEN)
FIG_SVG := $(FIG_NAMES:%=build/figures/%.svg) $(FIG_GP:%=build/figures/%.svg)
FIG_PDF := $(FIG_NAMES:%=build/figures/%.pdf) $(FIG_GP:%=build/figures/%.pdf)
GEN_DOT := $(FIG_DOTGEN:%=build/figures/%.dot)
GEN_TEX := $(FIG_TEXGEN:%=build/figures/%.tex)

# A generator's output replaces the old one only when it differs (cpif), so
# a rebuilt binary that draws the same figure does not re-weave the book.
define run-generator
$(Q)mkdir -p $(@D) build/figures
$(Q)$(call say,GEN,$(1))cmd=$$(head -n1 $<); \
	if ! $(RUN_ENV) bash -eo pipefail -c "$$cmd" > $(1).tmp; then \
		rm -f $(1).tmp; \
		echo "mmlit: generator $< failed: $$cmd" >&2; exit 1; \
	fi; cpif $(1) < $(1).tmp; rm -f $(1).tmp
$(Q)touch $@
endef

build/stamp/gen/%.dot: figures/%.dot.gen $(PRODUCTS)
	$(call run-generator,build/figures/$*.dot)
build/stamp/gen/%.tex: figures/%.tex.gen $(PRODUCTS)
	$(call run-generator,build/figures/$*.tex)
$(GEN_DOT) $(GEN_TEX): build/figures/%: build/stamp/gen/%
	$(if $(wildcard $@),,$(Q)rm -f $< && $(MAKE) $< )

dot_source = $(if $(filter $(1),$(FIG_DOT)),figures/$(1).dot,build/figures/$(1).dot)
gp_data = $(wildcard figures/$(1).dat figures/$(1).csv figures/$(1).tsv)
.SECONDEXPANSION:
# Close spacing by default (a figure's own attributes win): the PDF prints a
# figure at its natural size up to the 390 pt line, and a narrower drawing
# keeps its labels larger (tools/check-pdf measures them).
DOT_DEFAULTS := -Gnodesep=0.12 -Granksep=0.3 -Nmargin=0.06,0.03
GP_SVG := set terminal svg size 720,450 dynamic font 'sans,12'
# pdfcairo prints a font of N "points" at 2/3 N pt (poppler measures
# 'sans,9' at 6 pt): 13 gives 8.7 pt, and 5.4 in fits the 390 pt line.
GP_PDF := set terminal pdfcairo size 5.4in,3.4in font 'sans,13'
# A figure depends on the flags it was drawn with, as an object does on
# its compiler flags: new spacing or type sizes redraw every figure.
FIG_FLAGS_LINE = $(DOT_DEFAULTS) $(GP_SVG) $(GP_PDF)
$(OUT)/stamp/figflags: FORCE
	@mkdir -p $(@D); echo "$(FIG_FLAGS_LINE)" | cmp -s - $@ || echo "$(FIG_FLAGS_LINE)" >$@
$(FIG_NAMES:%=build/figures/%.svg): build/figures/%.svg: $$(call dot_source,$$*) $(OUT)/stamp/figflags
	$(Q)mkdir -p $(@D)
	$(Q)$(call say,DOT,$@)dot $(DOT_DEFAULTS) -Tsvg -o $@ $<
$(FIG_NAMES:%=build/figures/%.pdf): build/figures/%.pdf: $$(call dot_source,$$*) $(OUT)/stamp/figflags
	$(Q)mkdir -p $(@D)
	$(Q)$(call say,DOT,$@)dot $(DOT_DEFAULTS) -Tpdf -o $@ $<
$(FIG_GP:%=build/figures/%.svg): build/figures/%.svg: figures/%.gp $$(call gp_data,$$*) $(OUT)/stamp/figflags
	$(Q)mkdir -p $(@D)
	$(Q)$(call say,GNUPLOT,$@)gnuplot -e "$(GP_SVG); set output '$@'" $<
$(FIG_GP:%=build/figures/%.pdf): build/figures/%.pdf: figures/%.gp $$(call gp_data,$$*) $(OUT)/stamp/figflags
	$(Q)mkdir -p $(@D)
	$(Q)$(call say,GNUPLOT,$@)gnuplot -e "$(GP_PDF); set output '$@'" $<

# ------------------------------------------------------------------ the book
BOOK_HTML := book/out/mmlit.html
BOOK_PDF := book/out/mmlit.pdf
CHECK_XML := $(wildcard build/check-results.xml)

book: $(BOOK_HTML) $(BOOK_PDF)
	@:
html: $(BOOK_HTML)
	@:
pdf: $(BOOK_PDF)
	@:

# The claims appendix (src-lit/99-claims.nw says \input{claims}).
build/stamp/claims: $(NW) $(CHECK_XML) tools/claims
	$(Q)mkdir -p $(@D) build/book
	$(Q)tools/claims | cpif build/book/claims.tex
	$(Q)tools/claims --findings | cpif build/book/findings.tex
	$(Q)touch $@
build/book/claims.tex build/book/findings.tex: build/stamp/claims ;

# The exercises appendix (src-lit/98-exercises.nw says \input{mutants}):
# the mutants' questions and answers, with the killers of the last
# make mutants run when there was one.
MUTANT_RESULTS := $(wildcard build/mutants/results.tsv)
build/book/mutants.tex: tests/mutants.txt tools/mutants $(MUTANT_RESULTS)
	$(Q)mkdir -p $(@D)
	$(Q)tools/mutants --tex | cpif $@

BOOK_INPUTS := build/book/claims.tex build/book/findings.tex build/book/mutants.tex $(GEN_TEX)

# HTML: noweb's token pipeline -> tools/nw2pandoc -> pandoc + book/chunks.lua
build/book/mmlit.pandoc.tex build/book/fragments.html build/book/anchors.txt &: $(NW) tools/nw2pandoc tools/nwtestdefs tools/tangle $(BOOK_INPUTS) Makefile
	$(Q)mkdir -p build/book
	$(Q)$(call say,WEAVE,build/book/mmlit.pandoc.tex)tools/nw2pandoc \
		--out build/book/mmlit.pandoc.tex --fragments build/book/fragments.html \
		--anchors build/book/anchors.txt \
		--input-path build/book:build/figures $(NW)

# pandoc writes the prose with markers where the chunks go; tools/nwsplice
# puts the chunks in (pandoc's --self-contained pass would otherwise parse
# them all), and tools/check-links checks every internal link.
# The navigation (book/nav.html, book/nav.js) and the findings boxes
# (build/book/findings.tex) go in through pandoc; footnotes follow the block
# that cites them.
$(BOOK_HTML): book/macros.tex build/book/mmlit.pandoc.tex build/book/fragments.html \
		build/book/anchors.txt build/book/findings.tex book/nav.html book/nav.js \
		book/chunks.lua book/book.css tools/nwsplice tools/check-links $(FIG_SVG)
	$(Q)mkdir -p $(@D)
	$(Q)$(call say,PANDOC,$@)pandoc -f latex+raw_tex -t html5 -s --self-contained --mathml \
		--toc --toc-depth=2 --top-level-division=chapter \
		--reference-location=block --metadata lang=en \
		--include-before-body book/nav.html --include-after-body book/nav.js \
		--metadata title="mmlit" \
		--metadata subtitle="A design book about Linux memory management that compiles, runs and proves what it says" \
		--metadata pagetitle="mmlit" \
		--css book/book.css --lua-filter book/chunks.lua \
		--resource-path=build/figures --default-image-extension=svg \
		-o build/book/mmlit.skel.html book/macros.tex build/book/mmlit.pandoc.tex
	$(Q)tools/nwsplice build/book/mmlit.skel.html build/book/fragments.html $@
	$(Q)tools/check-links $@ $(NW)

# PDF: noweave -> tools/nwxref (chunk numbers, cross-reference lines and
# indexes written out: nothing about chunks is left to a later pdflatex pass)
# -> book/mmlit.tex -> tools/pdfbook: a labels pass on the chapters without
# code (section, figure and table numbers), then one pass over the book, with
# the contents typeset at its end and moved behind the preface by qpdf.
BOOK_TEX := build/book/chapters.tex build/book/chapters-prose.tex \
	build/book/chunkindex.tex build/book/identindex.tex
$(BOOK_TEX) &: $(NW) tools/nwxref tools/nwtestdefs Makefile
	$(Q)mkdir -p build/book
	$(Q)$(call say,NOWEAVE,build/book/chapters.tex)noweave -n -filter tools/nwtestdefs -index $(NW) \
		| sed -E '0,/\\nwfilename\{src-lit\/(0[1-9]|[1-9][0-9])/s//\\mmlitmainmatter&/' \
		| sed -E '0,/\\nwfilename\{src-lit\/[89]/s//\\appendix&/' \
		| tools/nwxref --chunks build/book/chunkindex.tex \
			--idents build/book/identindex.tex \
			--prose build/book/chapters-prose.tex > build/book/chapters.tex

TEXINPUTS_BOOK := $(CURDIR)/book:$(CURDIR)/build/book:$(CURDIR)/build/figures:
build/stamp/pdf-labels: book/mmlit.tex book/macros.tex build/book/chapters-prose.tex \
		$(BOOK_INPUTS) tools/pdfbook
	$(Q)mkdir -p $(@D)
	$(Q)$(call say,LABELS,build/book/labels/mmlit.aux)TEXINPUTS=$(TEXINPUTS_BOOK) tools/pdfbook labels
	$(Q)touch $@

$(BOOK_PDF): build/stamp/pdf-labels book/mmlit.tex book/macros.tex $(BOOK_TEX) \
		$(BOOK_INPUTS) $(FIG_PDF) tools/pdfbook
	$(Q)mkdir -p $(@D)
	$(Q)$(call say,PDFLATEX,$@)TEXINPUTS=$(TEXINPUTS_BOOK) tools/pdfbook book $@

# ------------------------------------------------------------------ reliability
# Issue 12: the mutants (tests/mutants.txt, tools/mutants), the failure
# sweeps and the soak (the Check suite "robust", src-lit/91-robust.nw).
.PHONY: mutants mutants-ci sweeps soak
mutants: code
	$(Q)tools/mutants --keep-going
# CI: a fixed sample drawn over the chapters (MUTANTS_SAMPLE, MUTANTS_SEED).
MUTANTS_SAMPLE ?= 12
MUTANTS_SEED ?= 12
mutants-ci: code
	$(Q)tools/mutants --keep-going --sample $(MUTANTS_SAMPLE) --seed $(MUTANTS_SEED)

sweeps: code
	$(Q)$(RUN_ENV) MMLIT_SWEEP_REPORT=1 CK_RUN_SUITE=robust CK_RUN_CASE=sweeps $(TESTS)
	$(Q)$(RUN_ENV) MMLIT_SWEEP_REPORT=1 CK_RUN_SUITE=uffd CK_RUN_CASE=uffd-sweep $(TESTS)

soak: code
	$(Q)$(RUN_ENV) MMLIT_SWEEP_REPORT=1 CK_RUN_SUITE=robust CK_RUN_CASE=soak $(TESTS)

# ------------------------------------------------------------------ install
# make install PREFIX=... DESTDIR=... installs
#   LIBDIR      libmmlit.a; libmmlit.so.$(MMLIT_VERSION) with its soname link
#               libmmlit.so.$(MMLIT_SOVERSION) and the link libmmlit.so;
#               pkgconfig/mmlit.pc (from packaging/mmlit.pc.in)
#   INCLUDEDIR  mmlit/*.h: the library's headers (generated/lib/), not the
#               benchmark's (generated/bench/)
#   BINDIR      mmsim (linked with the static library, as in the build)
#   MANDIR      man1/mmsim.1 (from the mmsim appendix: "man page" below)
#   DOCDIR      the book: mmlit.html, mmlit.pdf, figures/*.svg and *.pdf
# make uninstall removes all of it. tools/check-install (make check-install,
# part of make check) installs into build/check-install and builds and runs
# a program against the result, shared and static.
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
DATAROOTDIR ?= $(PREFIX)/share
MANDIR ?= $(DATAROOTDIR)/man
DOCDIR ?= $(DATAROOTDIR)/doc/mmlit

# The library's objects are compiled once, position-independent, for both
# libraries: no second compile of the library, and the tests run the very
# objects the shared library is made of. No one interposes the library's
# own symbols, so calls inside it may be bound and inlined at compile time.
PIC_CFLAGS := -fPIC -fno-semantic-interposition
SONAME := libmmlit.so.$(MMLIT_SOVERSION)
LIB_HDRS := $(filter $(SRC)/lib/%,$(GEN_HDRS))

$(SHLIB): $(LIB_OBJS)
	$(Q)$(call say,LD,$@)$(CC) -shared -Wl,-soname,$(SONAME) -Wl,-z,defs \
		$(MMLIT_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(LIB_OBJS) -pthread

# The installed static library holds one object, the whole library linked
# with -r: a program that uses any of it gets all of it, constructors
# included (the variant areas, fault sites and guest_memfd's file type
# register themselves from them), as with the shared library. The build's
# own libmmlit.a keeps one member per file; its programs take it whole
# (WHOLE_LIBA).
INSTALL_LIBA := $(OUT)/pkg/libmmlit.a
$(INSTALL_LIBA): $(LIB_OBJS)
	$(Q)mkdir -p $(@D) && $(call say,AR,$@)$(CC) -r -nostdlib -o $(@D)/mmlit.o $(LIB_OBJS) \
		&& rm -f $@ && $(AR) rcs $@ $(@D)/mmlit.o

# The man page mmsim(1) is made from the mmsim appendix as the HTML book
# weaves it (tools/nw2pandoc, alone), by packaging/mmsim-man.lua: see there
# which parts become which sections. Its SEE ALSO names DOCDIR, recorded in
# build/man/docdir (rewritten only when it changes).
MAN_PAGE := build/man/mmsim.1
.PHONY: man FORCE
man: $(MAN_PAGE)
	@:
build/man/docdir: FORCE
	$(Q)mkdir -p $(@D) && echo '$(DOCDIR)' | cpif $@
$(MAN_PAGE): src-lit/90-mmsim.nw tools/nw2pandoc book/macros.tex \
		packaging/mmsim-man.lua build/man/docdir
	$(Q)$(call say,MAN,$@)tools/nw2pandoc --out build/man/mmsim.pandoc.tex \
		--fragments build/man/fragments.html --anchors build/man/anchors.txt \
		src-lit/90-mmsim.nw
	$(Q)pandoc -f latex+raw_tex -t man -s --lua-filter packaging/mmsim-man.lua \
		-M fragments=build/man/fragments.html -M docdir='$(DOCDIR)' \
		-M title=MMSIM -M section=1 -M header=mmlit -M footer='mmlit $(MMLIT_VERSION)' \
		-o $@ book/macros.tex build/man/mmsim.pandoc.tex

$(OUT)/mmlit.pc: packaging/mmlit.pc.in
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@DOCDIR@|$(DOCDIR)|' \
		-e 's|@VERSION@|$(MMLIT_VERSION)|' -e '/^# /d' $< > $@
# The file depends on PREFIX and the directories: write it at every install.
.PHONY: $(OUT)/mmlit.pc

.PHONY: check-install
install: code book $(MAN_PAGE) $(INSTALL_LIBA) $(OUT)/mmlit.pc
	$(Q)install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/mmlit $(DESTDIR)$(BINDIR)
	$(Q)install -m 644 $(INSTALL_LIBA) $(DESTDIR)$(LIBDIR)/libmmlit.a
	$(Q)install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	$(Q)ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	$(Q)ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmmlit.so
	$(Q)install -m 644 $(OUT)/mmlit.pc $(DESTDIR)$(LIBDIR)/pkgconfig/mmlit.pc
	$(Q)install -m 644 $(LIB_HDRS) $(DESTDIR)$(INCLUDEDIR)/mmlit/
	$(Q)install -m 755 $(MMSIM) $(DESTDIR)$(BINDIR)/mmsim
	$(Q)install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/figures
	$(Q)install -m 644 $(MAN_PAGE) $(DESTDIR)$(MANDIR)/man1/mmsim.1
	$(Q)install -m 644 $(BOOK_HTML) $(BOOK_PDF) $(DESTDIR)$(DOCDIR)/
	$(Q)install -m 644 $(FIG_SVG) $(FIG_PDF) $(DESTDIR)$(DOCDIR)/figures/
	@echo "mmlit: installed into $(DESTDIR)$(PREFIX) (pkg-config --cflags --libs mmlit)"

uninstall:
	$(Q)rm -rf $(DESTDIR)$(INCLUDEDIR)/mmlit
	$(Q)rm -f $(DESTDIR)$(LIBDIR)/libmmlit.a $(DESTDIR)$(LIBDIR)/libmmlit.so \
		$(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(notdir $(SHLIB)) \
		$(DESTDIR)$(LIBDIR)/pkgconfig/mmlit.pc $(DESTDIR)$(BINDIR)/mmsim
	$(Q)rm -f $(DESTDIR)$(MANDIR)/man1/mmsim.1 $(DESTDIR)$(DOCDIR)/mmlit.html \
		$(DESTDIR)$(DOCDIR)/mmlit.pdf $(addprefix $(DESTDIR)$(DOCDIR)/figures/,$(notdir $(FIG_SVG) $(FIG_PDF)))
	$(Q)rmdir $(DESTDIR)$(DOCDIR)/figures $(DESTDIR)$(DOCDIR) 2>/dev/null || true

check-install:
	$(Q)MAKE='$(MAKE)' tools/check-install

# ------------------------------------------------------------------ misc
clean:
	$(Q)rm -rf build book/out

deps:
	$(Q)tools/deps

help:
	@echo 'make                 library, mmsim, test runner, HTML and PDF book'
	@echo 'make check           check-roots, build, run all Check tests (build/check-results.xml)'
	@echo 'make code            library, mmsim and test runner only'
	@echo 'make lib|mmsim|tests one product'
	@echo 'make book|html|pdf   the book (book/out/mmlit.html, book/out/mmlit.pdf)'
	@echo 'make tangle          update generated/ (or build/lines/src with LINES=1)'
	@echo 'make check-roots     every root chunk is a file the build places (tools/tangle)'
	@echo 'make check-generated generated/ is what src-lit/*.nw tangles to'
	@echo 'make bench           build and run build/mmlit-bench'
	@echo 'make mutants         run tests/mutants.txt: each mutant must be killed (tools/mutants)'
	@echo 'make mutants-ci      a fixed sample of 12 mutants over the chapters (CI)'
	@echo 'make sweeps          fail every allocation site of every operation in turn (suite robust)'
	@echo 'make soak            random operations by several tasks (MMLIT_SOAK_SEED=N for another seed)'
	@echo 'make install         PREFIX=/usr/local: libmmlit.{a,so}, headers, mmlit.pc, mmsim, mmsim.1, book'
	@echo 'make check-install   install into build/check-install, build and run against it'
	@echo 'make clean           remove build/ and book/out/'
	@echo 'make deps            install missing Debian packages (tools/deps)'
	@echo 'Options: LINES=1 (compile with #line into the .nw), V=1 (show commands)'
