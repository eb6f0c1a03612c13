#!/usr/bin/env bash
# HTTP figures of the foundation issue, measured on this machine:
#   - start-up to serving on an empty data dir (best of 5, ms)
#   - idle resident memory (VmRSS after 2 s idle)
#   - GET /healthz, keep-alive, 64 connections (wrk -t2 -c64 -d10s --latency)
#   - GET /api/v1/me with a Bearer token, same load
# Builds nothing: it measures build/release/gongdan (or $GONGDAN_BIN) as it is. Needs wrk.
# Prints a Markdown table to paste into bench/RESULTS.md.
#
# usage: bench/http.sh            (WRK_DURATION=10s WRK_CONNECTIONS=64 WRK_THREADS=2 to change)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${GONGDAN_BIN:-build/release/gongdan}"
DURATION="${WRK_DURATION:-10s}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
THREADS="${WRK_THREADS:-2}"
[[ -x "$BIN" ]] || { echo "no binary at $BIN: build it first (cmake --build --preset release)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

work="$(mktemp -d -t gongdan-bench-XXXXXX)"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Start-up time, each run on a fresh, empty data directory.
read -r startup_best startup_median < <(/usr/bin/python3 bench/startup.py "$BIN" 5)

# 2. One server for the rest.
for v in $(env | grep -o '^GONGDAN_[A-Z_]*' || true); do unset "$v"; done
GONGDAN_ADMIN_PASSWORD=bench-password-1 GONGDAN_LOG_LEVEL=warn \
  "$BIN" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 500); do
  grep -q '^gongdan listening on ' "$work/stdout" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.01
done
url="$(sed -n 's/^gongdan listening on \(http:[^ ]*\).*/\1/p' "$work/stdout" | head -n1)"
[[ -n "$url" ]] || { echo "server did not start" >&2; cat "$work/stderr" >&2; exit 1; }

sleep 2
rss_kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"

token="$("$BIN" token create --user admin@localhost --name bench --data "$work/data")"

# run_wrk NAME PATH [wrk args...] -> sets rps, p50, p99 (latencies as wrk prints them)
run_wrk() {
  local name="$1" path="$2" out="$work/wrk-$1.txt"
  shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url$path" >"$out"
  cat "$out" >&2
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  errors="$(awk '/Non-2xx or 3xx responses:/ {print $NF} /Socket errors:/ {print}' "$out" | tr '\n' ' ')"
  [[ -z "$errors" ]] || echo "warning: $name: $errors" >&2
}

run_wrk healthz /healthz
healthz_rps=$rps healthz_p50=$p50 healthz_p99=$p99
run_wrk me /api/v1/me -H "Authorization: Bearer $token"
me_rps=$rps me_p50=$p50 me_p99=$p99

kill -TERM "$pid"
wait "$pid" && rc=0 || rc=$?
pid=""

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
rev="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
cat <<TABLE

Machine: $(nproc) cores, ${cpu:-unknown CPU}; gongdan $("$BIN" version | awk '{print $2}') at $rev; $(date -u +%Y-%m-%d).
wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, on the same machine as the server.

| Measure | Result | Target |
|---|---|---|
| Start-up to serving, empty data dir (best of 5; median) | ${startup_best} ms (${startup_median} ms) | < 200 ms |
| Idle RSS after 2 s | $((rss_kb / 1024)) MB (${rss_kb} kB) | < 30 MB |
| GET /healthz, keep-alive, $CONNECTIONS connections | ${healthz_rps} req/s (p50 ${healthz_p50}, p99 ${healthz_p99}) | ≥ 50,000 req/s |
| GET /api/v1/me, Bearer token, $CONNECTIONS connections | ${me_rps} req/s (p50 ${me_p50}, p99 ${me_p99}) | ≥ 20,000 req/s |
| Exit status after SIGTERM under no load | $rc | 0 |
TABLE
