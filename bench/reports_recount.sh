#!/usr/bin/env bash
# Issue 19's figure "rollups equal the recount after 100,000 randomized operations": the
# randomized test of tests/integration/test_reports.py (creates, agent and customer replies,
# reassignments, department moves, priority/type/tag/organization/field changes, solves, reopens,
# pending, merges, under two SLA policies, on the test clock) run with STEPS operations; at the
# end every report (13 metrics × 11 groupings, and 4 filters) read from the live rollups must
# equal the same read after `gongdan reports rebuild` and the counts the test kept itself.
#   bench/reports_recount.sh [STEPS]            (default 100000; SQLite)
#   GONGDAN_TEST_POSTGRES=postgresql://… bench/reports_recount.sh 10000     (PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${1:-100000}"
export GONGDAN_BIN="${GONGDAN_BIN:-$PWD/build/release/gongdan}" GONGDAN_RECOUNT_STEPS="$STEPS"
# The OpenAPI check of every exchange is the suite's business; here it would double the time.
export GONGDAN_TEST_OPENAPI=0
start=$(date +%s)
/usr/bin/python3 -m pytest -x -q -p no:cacheprovider \
  "tests/integration/test_reports.py::test_rollups_equal_a_recount_after_random_changes"
echo "$STEPS randomized operations: rollups equal the recount and the test's own counts ($(( $(date +%s) - start )) s)"
