#!/bin/sh
# Builds the libFuzzer targets with clang (ENTENTE_FUZZ=ON) and runs each for SECONDS (default 60)
# on its seed corpus (tests/fuzz/corpus/<format>/, copied so the corpus in git stays small).
# Crashes and leaks land in build-fuzz/findings/. Exit status: non-zero if any target found one.
# Not in .ci/run: the ASan+fuzzer build of the core takes longer than CI's budget on 2 cores.
set -eu
SECONDS_PER_TARGET=${1:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-fuzz}
command -v clang++ >/dev/null || { echo "fuzz.sh: needs clang++ (apt-get install clang)"; exit 2; }
CXX=clang++ CC=clang cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DENTENTE_FUZZ=ON \
  -DENTENTE_PYTHON=OFF -DENTENTE_TESTS=OFF -DENTENTE_BENCH=OFF -DENTENTE_PCH=OFF >/dev/null
status=0
for format in yaml json cases_csv decide ktab_csv ktab_xml; do
  cmake --build "$BUILD" -j2 --target fuzz_$format >/dev/null
  mkdir -p "$BUILD/corpus/$format" "$BUILD/findings/$format"
  cp -n "$ROOT/tests/fuzz/corpus/$format/"* "$BUILD/corpus/$format/" 2>/dev/null || true
  echo "== fuzz_$format ($SECONDS_PER_TARGET s)"
  "$BUILD/fuzz_$format" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix="$BUILD/findings/$format/" "$BUILD/corpus/$format" 2>&1 | grep -E "^#[0-9]+.*DONE|ERROR|SUMMARY" || true
  [ -z "$(ls -A "$BUILD/findings/$format")" ] || { echo "fuzz_$format: findings in $BUILD/findings/$format"; status=1; }
done
exit $status
