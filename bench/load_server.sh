#!/bin/sh
# Load test of `entente serve` (not part of ctest: it runs for DURATION seconds).
#   bench/load_server.sh [ENTENTE_BINARY] [SCENARIO] [DURATION_S] [CONNECTIONS]
# Starts the server on a free loopback port, has wrk (Debian package `wrk`) hold CONNECTIONS
# concurrent keep-alive clients POSTing /api/forecast (the scenario's text + the four baseline
# models) for DURATION seconds against 127.0.0.1 only, then checks that no request failed and
# reports requests/s, latency and the server's peak resident memory (VmHWM).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=${1:-$root/build/entente}
scenario=${2:-}
duration=${3:-30}
conns=${4:-200}
if [ -z "$scenario" ]; then
  scenario=$root/scenarios/istanbul-2025.yaml
  [ -f "$scenario" ] || scenario=$root/tests/data/scenario/istanbul.yaml
fi
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 2; }
[ -x "$bin" ] || { echo "no entente binary at $bin" >&2; exit 2; }
models=${ENTENTE_BENCH_MODELS:-compromise,median,nbs,mean}

tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$bin" serve --port 0 "$scenario" >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/server.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "server did not start:"; cat "$tmp/server.err"; exit 1; }
url=http://127.0.0.1:$port/api/forecast
echo "server pid $server_pid on $url; scenario $scenario; models $models"

# One request first: it must succeed, and shows the response size.
size=$(ENTENTE_BENCH_SCENARIO=$scenario ENTENTE_BENCH_MODELS=$models wrk -t1 -c1 -d1s -s "$here/load_server.lua" "$url" |
       sed -n 's/.*requests in .*, \(.*\) read/\1/p')
echo "warm-up ok ($size read in 1 s on one connection)"

ENTENTE_BENCH_SCENARIO=$scenario ENTENTE_BENCH_MODELS=$models \
  wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency -s "$here/load_server.lua" "$url" | tee "$tmp/wrk.out"

hwm=$(sed -n 's/^VmHWM:[[:space:]]*//p' /proc/$server_pid/status)
rss=$(sed -n 's/^VmRSS:[[:space:]]*//p' /proc/$server_pid/status)
kill -0 "$server_pid" 2>/dev/null || { echo "FAIL: the server died"; exit 1; }
rps=$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$tmp/wrk.out")
errors=0
if grep -q "Socket errors" "$tmp/wrk.out"; then errors=1; fi
if grep -q "Non-2xx" "$tmp/wrk.out"; then errors=1; fi
echo "----"
echo "connections: $conns for ${duration}s; requests/s: $rps; server max RSS (VmHWM): $hwm; RSS at end: $rss"
if [ "$errors" -ne 0 ]; then
  echo "FAIL: errors during the load (see above)"
  exit 1
fi
echo "errors: 0"
