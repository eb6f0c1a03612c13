#!/usr/bin/env bash
# The knowledge base's ranked search query alone on PostgreSQL (bench/kb.sh with KB_DATABASE
# runs it on the articles it loaded): each query RUNS times in psql (\timing: the server's time
# and a local socket's round trip), alternating two forms, with the ids each returns compared:
#   - the server's query (store/postgres/pg_search_index.cpp): GIN finds the matches, a phrase
#     (every Chinese word of three characters or more is one: 打印机 is 打印 <-> 印机) is
#     rechecked on each of them, the newest 400 are ranked;
#   - candidates first, tried in session 16 and not adopted: GIN answers the phrase's words
#     alone ('打印' & '印机', no recheck), the candidates are sorted newest first, and the phrase
#     is checked on them in that order until 400 hold it.
# Prints a Markdown table.
#
# usage: bench/kb_pg_query.sh postgresql://…   (RUNS=40)
set -euo pipefail
url="$1"
runs="${RUNS:-40}"

server_sql() {  # lang, tsquery
  echo "SELECT translation_id FROM (SELECT translation_id, doc FROM kb_fts WHERE lang = '$1' AND doc @@ to_tsquery('gongdan', '$2') ORDER BY translation_id DESC LIMIT 400) w, to_tsquery('gongdan', '$2') AS q ORDER BY ts_rank(w.doc, q) DESC, translation_id DESC LIMIT 60;"
}
candidates_sql() {  # lang, tsquery, the tsquery with its phrases loosened
  echo "WITH candidates AS MATERIALIZED (SELECT translation_id, doc FROM kb_fts WHERE lang = '$1' AND doc @@ to_tsquery('gongdan', '$3') ORDER BY translation_id DESC) SELECT translation_id FROM (SELECT translation_id, doc FROM candidates WHERE doc @@ to_tsquery('gongdan', '$2') LIMIT 400) w, to_tsquery('gongdan', '$2') AS q ORDER BY ts_rank(w.doc, q) DESC, translation_id DESC LIMIT 60;"
}
# Median and p95 of the "Time: N ms" lines psql prints.
stats() {
  grep -o 'Time: [0-9.]*' | awk '{print $2}' | sort -n |
    awk '{v[NR] = $1} END {printf "%.2f ms | %.2f ms", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.5)]}'
}

echo
echo "The ranked query alone on PostgreSQL ($runs runs each, alternating; 60 ids, as the service asks for 10 hits):"
echo
echo "| query (lang) | matches (words only) | server's query: median | p95 | candidates first: median | p95 | same ids |"
echo "|---|---|---|---|---|---|---|"
while IFS='|' read -r name lang ts loose; do
  # Inside an SQL literal the tsquery's own quotes are doubled.
  ts="${ts//\'/\'\'}" loose="${loose//\'/\'\'}"
  one="$(server_sql "$lang" "$ts")" two="$(candidates_sql "$lang" "$ts" "$loose")"
  script="$(mktemp)"
  { echo '\timing on'; for _ in $(seq 1 "$runs"); do echo "$one"; echo "$two"; done; } >"$script"
  out="$(psql -X -q -A -t -v ON_ERROR_STOP=1 "$url" -f "$script")"
  rm -f "$script"
  first="$(awk 'NR % 2 == 1' < <(grep -o 'Time: [0-9.]*' <<<"$out") | stats)"
  second="$(awk 'NR % 2 == 0' < <(grep -o 'Time: [0-9.]*' <<<"$out") | stats)"
  same=no
  [[ "$(psql -X -q -A -t "$url" -c "$one")" == "$(psql -X -q -A -t "$url" -c "$two")" ]] && same=yes
  count() { psql -X -q -A -t "$url" -c "SELECT count(*) FROM kb_fts WHERE lang = '$lang' AND doc @@ to_tsquery('gongdan', '$1')"; }
  echo "| $name ($lang) | $(count "$ts") ($(count "$loose")) | $first | $second | $same |"
done <<'QUERIES'
打印机|zh-CN|('打印' <-> '印机')|('打印' & '印机')
发票抬头|zh-CN|('发票' <-> '票抬' <-> '抬头')|('发票' & '票抬' & '抬头')
账号锁定|zh-CN|('账号' <-> '号锁' <-> '锁定')|('账号' & '号锁' & '锁定')
"vpn password"|en|('vpn' <-> 'password')|('vpn' & 'password')
QUERIES
