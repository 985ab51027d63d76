#!/usr/bin/env bash
# Benchmarks tierdesk against other tools on the same inputs in the same run.
# Usage: bench/compare.sh [LINES]   (default 1000000). Writes bench-out/results.txt.
# Needs: cargo, python3 (a venv with numpy and pandas is made in bench-out/).
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
out=bench-out
mkdir -p "$out"

echo "== building (release)"
cargo build --release --quiet -p tierdesk -p xtask
bin=${CARGO_TARGET_DIR:-target}/release
if [ ! -x "$out/.venv/bin/python" ]; then
  python3 -m venv "$out/.venv"
  "$out/.venv/bin/pip" install --quiet numpy pandas
fi
py=$out/.venv/bin/python

echo "== inputs: $lines lines"
"$bin/xtask" gen-dates "$lines" > "$out/dates.csv"
"$bin/xtask" gen-tickets "$lines" > "$out/tickets.jsonl"

# seconds OUTFILE CMD...: runs CMD with stdout to OUTFILE, prints wall seconds.
seconds() { local dst=$1 s e; shift; s=$(date +%s.%N); "$@" > "$dst"; e=$(date +%s.%N); echo "$e - $s" | bc; }

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ), lines: $lines"
  echo
  echo "-- add-working-days, batch of $lines lines"
  t=$(seconds "$out/dates.tierdesk" "$bin/tierdesk" calendar add-working-days --batch "$out/dates.csv")
  echo "tierdesk: $t s"
  "$py" bench/busday.py "$out/dates.csv" "$out/dates.numpy" "$out/dates.tierdesk"
  echo
  echo "-- add-working-days, one in-process call"
  "$py" bench/busday.py --per-call
  echo "tierdesk: see 'cargo bench -p tierdesk-calendar' (calendar/add_working_days_x4096, per element)"
  echo
  echo "-- sla evaluate --batch, $lines fault tickets (output to /dev/null)"
  t=$(seconds /dev/null "$bin/tierdesk" sla evaluate "$out/tickets.jsonl" --batch --json --at 2026-01-01T00:00:00+08:00)
  echo "tierdesk: $t s = $(echo "$lines / $t" | bc) tickets/s"
  "$bin/xtask" parse-only "$out/tickets.jsonl" 2>&1
} | tee "$out/results.txt"
