# The vcluster roll. What people type:
#   make          build (RelWithDebInfo) into build/
#   make test     install missing Debian packages, then tools/test.sh: format check,
#                 build, tests, the QEMU lab beside clang-tidy, then every test
#                 again with AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo     install, build, and run the main job on a fresh SQLite database
#   make bench    run the benchmarks and print their figures
#   make fuzz     the libFuzzer targets of fuzz/ for FUZZ_SECONDS each (default 600)
#   make roll     RPMs into RPMS/<arch>/ and the roll ISO (Rocks' rules when ROLLSROOT is set)
#   make format   clang-format the sources;  make lint  clang-format check + clang-tidy
include version.mk

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build test test-fast test-asan fuzz fuzz-build fuzz-short lab lab-scale demo bench roll format lint lint-format tidy tidy-run clean

all: build

deps:
	@bash tests/install-deps.sh

# Both builds are unity builds (8 sources a compile): cold, each takes about
# three quarters of the time. clang-tidy reads the same batches (tools/tidy.sh)
# from a configured, never built, tree.
UNITY = -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8
TIDY_BUILD ?= build-tidy

$(BUILD)/Makefile:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(UNITY) $(CMAKE_FLAGS)

build: $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/Makefile:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVCLUSTER_SANITIZE=ON -DVCLUSTER_BENCH=OFF \
	  $(UNITY) $(CMAKE_FLAGS)

# The phases and their order (and which run side by side) are in tools/test.sh.
test: deps
	@bash tools/test.sh BUILD=$(BUILD) ASAN_BUILD=$(ASAN_BUILD) JOBS=$(JOBS)

test-fast: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: $(ASAN_BUILD)/Makefile
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  VCLUSTER_SANITIZED=1 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) \
	  -E '^(crash\.|model\.|sh\.(roll|e2e)/|sh\.lifecycle/ssh_executor|mariadb\.pass$$)'
# The sanitized pass runs every C++ test program and the demo's shell tests
# (all of them start the instrumented rocks, portal daemon included). Left to
# the plain build: the 50-kill-point crash test (process kills and re-runs,
# not memory), the RPM/ISO builds, the browser test and the sshd test (the
# same code paths as the API and local-executor tests, minutes under ASan),
# and the MariaDB pass (the same programs again on the other backend).

# Fuzzing (fuzz/, README "Fuzzing"): its own small clang-14 build of the
# parsers; `make test` runs each target for FUZZ_SHORT seconds.
FUZZ_SHORT ?= 8
$(FUZZ_BUILD)/Makefile:
	cmake -S fuzz -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++-14

fuzz-build: $(FUZZ_BUILD)/Makefile
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz: fuzz-build
	bash tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

FUZZ_SHORT_RUNS ?= 150000
fuzz-short: fuzz-build
	FUZZ_RUNS=$(FUZZ_SHORT_RUNS) bash tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SHORT)

# The QEMU lab (tests/lab/README): four guests on Debian's cloud kernel run
# the generated scripts for real; 802.1Q, LVM, tgt+CHAP, open-iscsi, VXLAN.
lab: build
	bash tests/lab/lab.sh $(BUILD) 2 both

# Provisioning time against cluster size: 1, 4 and 16 nodes per cluster.
lab-scale: deps build
	bash tests/lab/scale.sh $(BUILD)

demo: deps build
	bash tools/demo.sh $(BUILD)

bench: deps build
	bash tools/run-benchmarks.sh $(BUILD)

roll: deps build
	bash tools/build-roll.sh $(BUILD)

SOURCES = $(shell git ls-files '*.cpp' '*.h' 2>/dev/null)

format:
	clang-format -i $(SOURCES)

# clang-format, and no source includes a .cpp (clang-tidy's check for that is
# off in its unity batches, which are such includes).
lint-format:
	@clang-format --dry-run -Werror $(SOURCES) && echo "clang-format: clean ($(words $(SOURCES)) files)"
	@! git grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]*\.(cpp|cc|cxx)[>"]' -- $(SOURCES) || \
	  { echo "error - a source includes a .cpp file (above)"; exit 1; }

TIDY_JOBS ?= $(JOBS)

lint: lint-format tidy

tidy:
	@$(MAKE) --no-print-directory tidy-run

# clang-tidy a unity batch at a time (tools/test.sh runs it beside the lab).
tidy-run:
	@bash tools/tidy.sh $(TIDY_BUILD) $(TIDY_JOBS) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(UNITY) $(CMAKE_FLAGS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TIDY_BUILD) RPMS/*/ *.iso
