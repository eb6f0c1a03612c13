#!/usr/bin/env bash
# Knowledge-base figures of issue 18, measured on this machine:
#   - GET /help/{lang}/articles/{id}: a random one of ARTICLES articles, each published in two
#     languages (so 2 × ARTICLES pages), keep-alive, warm (every page read once first): p50,
#     p99, pages/s
#   - GET /api/v1/kb/search: Chinese and English queries, common and rare words: p50, p99, req/s
#   - the portal's suggestion query (kb/search?match=any&limit=5) on whole subjects: the same
#   - the same three at 4 connections (-t1 -c4): latency when the server is not saturated
#   - the baseline in the same run: GET /healthz (the server's cheapest answer), for the ratio,
#     at 64 and at 4 connections (what the machine alone does to a 4-connection p99)
#   - the server's own CPU time per request (user + system, from /proc), which the load other
#     processes put on the machine changes far less than the latencies
# Loads the articles through the API (bench/kb_data.py). Builds nothing: it measures
# build/release/gongdan (or $GONGDAN_BIN). Needs wrk. Prints a Markdown table for
# bench/RESULTS.md.
#
# usage: bench/kb.sh   (ARTICLES=10000 WRK_DURATION=10s WRK_CONNECTIONS=64 WRK_THREADS=2)
#   KB_DATABASE=postgresql://gongdan@127.0.0.1:PORT/DB: the same on PostgreSQL (an empty
#   database; after loading, VACUUM ANALYZE as autovacuum would in time), then the ranked search
#   query alone in psql (bench/kb_pg_query.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${GONGDAN_BIN:-build/release/gongdan}"
ARTICLES="${ARTICLES:-10000}"
DURATION="${WRK_DURATION:-10s}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
THREADS="${WRK_THREADS:-2}"
[[ -x "$BIN" ]] || { echo "no binary at $BIN: build it first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

work="$(mktemp -d -t gongdan-kb-bench-XXXXXX)"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

for v in $(env | grep -o '^GONGDAN_[A-Z_]*' || true); do unset "$v"; done
if [[ -n "${KB_DATABASE:-}" ]]; then export GONGDAN_DATABASE="$KB_DATABASE"; fi
GONGDAN_ADMIN_PASSWORD=bench-password-1 GONGDAN_LOG_LEVEL=warn \
  "$BIN" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 500); do
  grep -q '^gongdan listening on ' "$work/stdout" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.01
done
url="$(sed -n 's/^gongdan listening on \(http:[^ ]*\).*/\1/p' "$work/stdout" | head -n1)"
[[ -n "$url" ]] || { echo "server did not start" >&2; exit 1; }
hostport="${url#http://}"
token="$("$BIN" token create --user admin@localhost --name bench --data "$work/data")"

started=$(date +%s)
first="$(/usr/bin/python3 bench/kb_data.py "${hostport%:*}" "${hostport##*:}" "$token" "$ARTICLES")"
echo "loaded $ARTICLES articles × 2 languages in $(( $(date +%s) - started )) s (first id $first)" >&2

# The server's CPU time so far, in clock ticks (utime + stime).
server_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
run_wrk() {
  local name="$1" path="$2" out="$work/wrk-$1.txt" ticks
  shift 2
  ticks="$(server_ticks)"
  ARTICLES="$ARTICLES" FIRST_ARTICLE="$first" \
    wrk -t"${RUN_THREADS:-$THREADS}" -c"${RUN_CONNECTIONS:-$CONNECTIONS}" -d"$DURATION" --latency \
    "$@" "$url$path" >"$out"
  cat "$out" >&2
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  cpu="$(awk -v a="$ticks" -v b="$(server_ticks)" -v hz="$(getconf CLK_TCK)" \
    '/requests in/ {n = $1} END {if (n > 0) printf "%.0f µs", (b - a) * 1e6 / hz / n}' "$out")"
  errors="$(awk '/Non-2xx or 3xx responses:/ {print $NF} /Socket errors:/ {print}' "$out" | tr '\n' ' ')"
  [[ -z "$errors" ]] || echo "warning: $name: $errors" >&2
}

# Warm: every page read once (the server keeps rendered pages until the knowledge base
# changes), and the statement caches; then measure.
started=$(date +%s)
/usr/bin/python3 bench/kb_warm.py "${hostport%:*}" "${hostport##*:}" "$first" "$ARTICLES"
echo "read all $((2 * ARTICLES)) pages once in $(( $(date +%s) - started )) s" >&2
if [[ -n "${KB_DATABASE:-}" ]]; then
  psql -q "$KB_DATABASE" -c "VACUUM ANALYZE" >&2
  bench/kb_pg_query.sh "$KB_DATABASE" >"$work/pg-query.md"
fi
ARTICLES="$ARTICLES" FIRST_ARTICLE="$first" wrk -t"$THREADS" -c"$CONNECTIONS" -d3s \
  -s bench/lua/kb_search.lua "$url/" >/dev/null
run_wrk healthz /healthz
healthz_rps=$rps healthz_p50=$p50 healthz_p99=$p99 healthz_cpu=$cpu
run_wrk article / -s bench/lua/kb_article.lua
article_rps=$rps article_p50=$p50 article_p99=$p99 article_cpu=$cpu
run_wrk search / -s bench/lua/kb_search.lua
search_rps=$rps search_p50=$p50 search_p99=$p99 search_cpu=$cpu
run_wrk suggest / -s bench/lua/kb_suggest.lua
suggest_rps=$rps suggest_p50=$p50 suggest_p99=$p99 suggest_cpu=$cpu
export RUN_THREADS=1 RUN_CONNECTIONS=4
run_wrk healthz4 /healthz
healthz4_rps=$rps healthz4_p50=$p50 healthz4_p99=$p99 healthz4_cpu=$cpu
run_wrk article4 / -s bench/lua/kb_article.lua
article4_rps=$rps article4_p50=$p50 article4_p99=$p99 article4_cpu=$cpu
run_wrk search4 / -s bench/lua/kb_search.lua
search4_rps=$rps search4_p50=$p50 search4_p99=$p99 search4_cpu=$cpu
run_wrk suggest4 / -s bench/lua/kb_suggest.lua
suggest4_rps=$rps suggest4_p50=$p50 suggest4_p99=$p99 suggest4_cpu=$cpu
unset RUN_THREADS RUN_CONNECTIONS

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
rev="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
cat <<TABLE

Machine: $(nproc) cores, ${model:-unknown CPU}, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; gongdan at $rev; $(date -u +%Y-%m-%d).
$ARTICLES articles in zh-CN and en ($([[ -n "${KB_DATABASE:-}" ]] && echo PostgreSQL || echo SQLite)); wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, on the same machine.

| What | p50 | p99 | req/s | req/s vs /healthz | server CPU/req |
|---|---|---|---|---|---|
| \`GET /healthz\` (baseline) | $healthz_p50 | $healthz_p99 | $healthz_rps | 1.00 | $healthz_cpu |
| \`GET /help/{lang}/articles/{id}\` | $article_p50 | $article_p99 | $article_rps | $(ratio "$article_rps" "$healthz_rps") | $article_cpu |
| \`GET /api/v1/kb/search\` | $search_p50 | $search_p99 | $search_rps | $(ratio "$search_rps" "$healthz_rps") | $search_cpu |
| suggestions (\`kb/search?match=any&limit=5\`) | $suggest_p50 | $suggest_p99 | $suggest_rps | $(ratio "$suggest_rps" "$healthz_rps") | $suggest_cpu |
| \`GET /healthz\`, 4 connections (baseline) | $healthz4_p50 | $healthz4_p99 | $healthz4_rps | - | $healthz4_cpu |
| article page, 4 connections | $article4_p50 | $article4_p99 | $article4_rps | $(ratio "$article4_rps" "$healthz4_rps") | $article4_cpu |
| search, 4 connections | $search4_p50 | $search4_p99 | $search4_rps | - | $search4_cpu |
| suggestions, 4 connections | $suggest4_p50 | $suggest4_p99 | $suggest4_rps | - | $suggest4_cpu |
TABLE
[[ -z "${KB_DATABASE:-}" ]] || cat "$work/pg-query.md"
