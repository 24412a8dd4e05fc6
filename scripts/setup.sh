#!/usr/bin/env bash
# entente set-up on Debian 12: installs what is missing from Debian packages, builds, then
#   run   -> builds Release and runs the flagship forecast (the Istanbul scenario)
#   test  -> builds Release with tests and runs the whole suite (ctest)
#   asan  -> builds the tests with AddressSanitizer + UndefinedBehaviorSanitizer and runs them
# Idempotent: packages already present are not reinstalled, builds are incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"
jobs="$(nproc 2>/dev/null || echo 2)"

build_pkgs=(g++ cmake make pkg-config libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libsqlite3-dev sqlite3 libboost-dev libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  pybind11-dev python3-dev python3-pybind11 libopenmpi-dev openmpi-bin libcpp-httplib-dev
  libtbb-dev libpugixml-dev libzip-dev libxlsxwriter-dev libglpk-dev)
test_pkgs=(python3-pytest python3-pandas chromium ca-certificates)
# pandas for every mode: the Python module's as_frame=True (docs/python.md) is for analysts, not only tests.
build_pkgs+=(python3-pandas)
# clang and libFuzzer's runtime (libclang_rt.fuzzer-x86_64.a is in libclang-rt-14-dev) for `fuzz`.
fuzz_pkgs=(clang-14 clang libclang-rt-14-dev)

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Node.js and npm drive the browser tests (playwright-core, pinned in tests/browser/package-lock.json).
install_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then install_missing nodejs npm; fi
  if [[ -f tests/browser/package-lock.json ]]; then
    local stamp=tests/browser/node_modules/.lock-stamp
    if [[ ! -f $stamp ]] || ! cmp -s tests/browser/package-lock.json "$stamp"; then
      (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
      cp tests/browser/package-lock.json "$stamp"
    fi
  fi
}

# Makes the built Python module importable by Debian's python3 (a .pth file pointing at the build).
install_python_path() {
  local dir="$PWD/$1/python"
  [[ -d $dir/entente ]] || return 0
  local site
  site="$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])' 2>/dev/null)" || return 0
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if [[ ! -f $site/entente.pth ]] || [[ "$(cat "$site/entente.pth")" != "$dir" ]]; then
    $sudo mkdir -p "$site" && echo "$dir" | $sudo tee "$site/entente.pth" >/dev/null
  fi
}

configure_and_build() {  # dir, extra cmake args...
  local dir="$1"; shift
  if [[ ! -f "$dir/CMakeCache.txt" ]]; then
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  fi
  cmake --build "$dir" -j"$jobs"
}

case "$mode" in
  run)
    install_missing "${build_pkgs[@]}"
    configure_and_build build/release -DENTENTE_TESTS=OFF -DENTENTE_BENCH=OFF
    install_python_path build/release
    ./build/release/entente forecast scenarios/istanbul-2025.yaml
    ;;
  test)
    install_missing "${build_pkgs[@]}" "${test_pkgs[@]}"
    install_node
    configure_and_build build/test
    install_python_path build/test
    (cd build/test && ctest --output-on-failure -j"$jobs")
    ;;
  asan)
    install_missing "${build_pkgs[@]}" "${test_pkgs[@]}"
    install_node
    configure_and_build build/asan -DCMAKE_BUILD_TYPE=Debug -DENTENTE_SANITIZE=ON -DENTENTE_BENCH=OFF -DENTENTE_PYTHON=OFF
    (cd build/asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --output-on-failure -j"$jobs" -LE slow)
    ;;
  fuzz)
    # Bounded fuzzing of every input format (docs/fuzzing.md): clang + libFuzzer's runtime,
    # a clean parsers-only build, FUZZ_SECONDS per target (default 30). Non-zero if anything found.
    install_missing "${build_pkgs[@]}" "${fuzz_pkgs[@]}"
    BUILD="$PWD/build/fuzz" sh scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
    ;;
  *)
    echo "usage: scripts/setup.sh run|test|asan|fuzz" >&2
    exit 2
    ;;
esac
