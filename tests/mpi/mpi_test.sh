#!/usr/bin/env bash
# mpirun -np 2 gives the same simulation and sensitivity as one process with the same seed.
set -euo pipefail
bin="$1"      # entente: one process
mpibin="$2"   # entente-mpi: the same commands under mpirun
scenario="$3"
if ! command -v mpirun >/dev/null 2>&1; then
  echo "SKIP: mpirun not found"
  exit 77
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpi=(mpirun -np 2 --oversubscribe --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
strip() { grep -v -E '"(seconds|draws_per_second|elapsed)"'; }

check() {
  local what="$1"; shift
  local one two
  one="$("$bin" "$@" --format json --no-store | strip)"
  # OpenMPI's own allocations are never freed (and its plugins are dlopen'ed, so LeakSanitizer
  # cannot suppress them by library): no leak check for the ranks; the single run keeps it.
  two="$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "${mpi[@]}" "$mpibin" "$@" --format json --no-store | strip)"
  if [[ "$one" != "$two" ]]; then
    echo "FAIL: $what differs between 1 process and mpirun -np 2"
    diff <(echo "$one") <(echo "$two") | head -20
    exit 1
  fi
  echo "ok: $what identical ($(echo "$one" | wc -l) lines of JSON)"
}

check "simulate bdm" simulate "$scenario" -m bdm --draws 301 --seed 11 --threads 1
check "simulate compromise" simulate "$scenario" -m compromise --draws 1000 --seed 5
check "sensitivity" sensitivity "$scenario" -m compromise
# The deal analysis splits its draws across ranks the same way (veto players are named in the
# Istanbul scenario): P(a deal is possible) and what it would take, bit for bit.
check "deal compromise" deal "$scenario" -m compromise --draws 300 --seed 1
