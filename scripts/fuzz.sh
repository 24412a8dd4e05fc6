#!/bin/sh
# Builds the libFuzzer targets with clang (ENTENTE_FUZZ=ON: the parsers only) and runs each for
# SECONDS (first argument, default 60) on its seed corpus (tests/fuzz/corpus/<format>/, copied so
# the corpus in git stays small). Crashes, leaks, timeouts and OOMs land in $BUILD/findings/<format>/.
# Exit status: non-zero if any target found something (the reproducer's path is printed).
# CI runs it with a small budget (scripts/setup.sh fuzz, from .ci/run); docs/fuzzing.md.
set -eu
SECONDS_PER_TARGET=${1:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-fuzz}
FORMATS="yaml json cases_csv long_csv decide ktab_csv ktab_xml xlsx resolution"
command -v clang++ >/dev/null || { echo "fuzz.sh: needs clang++ (apt-get install clang libclang-rt-14-dev)"; exit 2; }
CXX=clang++ CC=clang cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DENTENTE_FUZZ=ON \
  -DENTENTE_PYTHON=OFF -DENTENTE_TESTS=OFF -DENTENTE_BENCH=OFF -DENTENTE_PCH=OFF >/dev/null
targets=""
for format in $FORMATS; do targets="$targets fuzz_$format"; done
# shellcheck disable=SC2086
cmake --build "$BUILD" -j2 --target $targets >/dev/null
status=0
for format in $FORMATS; do
  mkdir -p "$BUILD/corpus/$format" "$BUILD/findings/$format"
  cp -n "$ROOT/tests/fuzz/corpus/$format/"* "$BUILD/corpus/$format/" 2>/dev/null || true
  echo "== fuzz_$format ($SECONDS_PER_TARGET s)"
  # -timeout: an input taking more than 10 s is a finding; -rss_limit_mb: so is more than 2 GB.
  "$BUILD/fuzz_$format" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$BUILD/findings/$format/" "$BUILD/corpus/$format" \
    >"$BUILD/fuzz_$format.log" 2>&1 || true
  grep -E "^#[0-9]+.*DONE|^stat::number_of_executed_units|ERROR|SUMMARY" "$BUILD/fuzz_$format.log" || true
  if [ -n "$(ls -A "$BUILD/findings/$format")" ]; then
    echo "fuzz_$format: FOUND something; reproducer(s):"
    ls -1 "$BUILD/findings/$format/"* | sed 's/^/  /'
    echo "  log: $BUILD/fuzz_$format.log; replay: $BUILD/fuzz_$format <reproducer>"
    status=1
  fi
done
exit $status
