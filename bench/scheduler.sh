#!/usr/bin/env bash
# Scheduler benchmark: with N gold planned-work notices stored (2 open obligations
# each, due weeks ahead: the standing load), K faults whose acceptance falls due
# over WINDOW seconds are left unaccepted; how late does each breach fire, and how
# much memory does the server use? On SQLite and on PostgreSQL.
# Usage: bench/scheduler.sh [N=500000] [K=1200] [WINDOW=120]. Writes bench-out/scheduler.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500000}
k=${2:-1200}
window=${3:-120}
out=bench-out
mkdir -p "$out"
cargo build --release --quiet -p tierdesk -p xtask
target=${CARGO_TARGET_DIR:-target}/release
pg=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

run_backend() {
  local name=$1; shift
  local log=$out/scheduler-$name.log
  echo "-- $name: seeding $n notices ($((2 * n)) open obligations)"
  "$target/xtask" seed-notices "$n" "$@" 2>/dev/null
  local token
  token=$("$target/tierdesk" user add "bench-$name-$$" --role admin "$@" | tail -n 1)
  "$target/tierdesk" serve --listen 127.0.0.1:0 --log-format json "$@" > "$out/scheduler-$name.out" 2> "$log" &
  local pid=$!
  for _ in $(seq 1 200); do grep -q "http://" "$out/scheduler-$name.out" 2>/dev/null && break; sleep 0.1; done
  local base
  base=$(grep -o 'http://127.0.0.1:[0-9]*' "$out/scheduler-$name.out" | head -1)
  python3 bench/due_faults.py "$base" "$token" "$k" "$window"
  sleep $((${window%.*} + 25))
  local peak
  peak=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  python3 - "$log" "$k" "$peak" <<'PY'
import json, sys
log, k, peak = sys.argv[1], int(sys.argv[2]), sys.argv[3]
late = []
fired = {}
for line in open(log):
    try:
        rec = json.loads(line)
    except ValueError:
        continue
    f = rec.get("fields", {})
    if f.get("message") != "alert fired":
        continue
    kind = f.get("alert", "").split(":")[0]
    fired[kind] = fired.get(kind, 0) + 1
    if f.get("ticket", "").startswith("S-") and f.get("alert", "").startswith("breach:accept"):
        late.append(float(f["lateness_s"]))
late.sort()
def q(p):
    return late[min(len(late) - 1, int(p * len(late)))] if late else float("nan")
print("breaches fired: %d of %d; lateness p50 %.3f s, p99 %.3f s, max %.3f s; within 1 s: %d"
      % (len(late), k, q(0.5), q(0.99), late[-1] if late else float("nan"), sum(1 for x in late if x <= 1.0)))
print("alerts fired by kind: %s" % fired)
print("server peak resident memory: %s" % peak)
PY
}

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%Y-%m-%dT%H:%MZ)"
  data=$(mktemp -d)
  run_backend sqlite --data-dir "$data"
  echo "   database file: $(du -h "$data/tierdesk.db" | cut -f1)"
  rm -rf "$data"
  db=tierdesk_sched_$$
  psql "$pg" -qc "CREATE DATABASE $db"
  run_backend postgres --database-url "${pg%/*}/$db"
  psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)"
} | tee "$out/scheduler.txt"
