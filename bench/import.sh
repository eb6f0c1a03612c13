#!/usr/bin/env bash
# Issue 23's import figures: bench/import.py (the rate on SQLite beside bench-data, and a
# 100,000-ticket import killed half way and resumed). Arguments go to it.
exec python3 "$(dirname "$0")/import.py" "$@"
