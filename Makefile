# The two commands a newcomer needs: `make run` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
FUZZ_SECONDS ?= 300
SHARED     ?= $(CURDIR)/../shared

.PHONY: all build deps test-deps run test test-asan fuzz bench figures format install clean

all: build

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/deps

test-deps:
	@scripts/deps --test

# The main job on the built-in default.
run: deps build
	./$(BUILD)/petal eval --net alexnet --arch eyeriss-v1

# Every test, then again under AddressSanitizer + UBSan (deps --test also
# installs Chromium for the HTML report's browser test).
test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-asan

test-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPETAL_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

# Every fuzz harness (docs/fuzzing.md) for FUZZ_SECONDS each, one after the other.
fuzz: build
	bash tests/fuzz/run.sh . $(BUILD) $(SHARED) $(FUZZ_SECONDS)

bench: deps build
	@scripts/bench $(BUILD)

# The charts in docs/img (docs/eyeriss.md), written by the petal command.
figures: build
	@scripts/figures $(BUILD)/petal

# The library, headers, petal.pc and the command under PREFIX (docs/library.md).
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
