#!/usr/bin/env bash
# HTTP load on tierdesk serve, from a second process on loopback (wrk), on SQLite
# and on PostgreSQL, next to pgbench on the same machine as the database's own
# ceiling. Usage: bench/http.sh [SECONDS] [CONNECTIONS]. Writes bench-out/http.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
conns=${2:-32}
tickets=1000
out=bench-out
mkdir -p "$out"
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
cargo build --release --quiet -p tierdesk
bin=${CARGO_TARGET_DIR:-target}/release/tierdesk
pg=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

run_backend() {
  local name=$1; shift
  local log=$out/serve-$name.log
  "$bin" serve --demo --listen 127.0.0.1:0 "$@" > "$log" 2>/dev/null &
  local pid=$!
  for _ in $(seq 1 100); do grep -q "curl -H" "$log" 2>/dev/null && break; sleep 0.1; done
  local base token
  base=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)
  token=$(grep -o 'tdk_[0-9a-f]*' "$log" | head -1)
  python3 bench/seed.py "$base" "$token" "$tickets"
  echo "-- $name: reads (GET /api/v1/tickets/{id}, evaluated now), $conns connections, ${secs}s"
  TOKEN=$token TICKETS=$tickets wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/read.lua "$base" | grep -E "Requests/sec|Latency|^ +(50|90|99)%|Non-2xx"
  echo "-- $name: appends (POST /api/v1/tickets/{id}/events), $conns connections, ${secs}s"
  TOKEN=$token TICKETS=$tickets wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/append.lua "$base" | grep -E "Requests/sec|Latency|^ +(50|90|99)%|Non-2xx"
  kill -TERM "$pid"; wait "$pid" || true
}

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%Y-%m-%dT%H:%MZ)"
  data=$(mktemp -d)
  run_backend sqlite --data-dir "$data"
  rm -rf "$data"
  db=tierdesk_bench_$$
  psql "$pg" -qc "CREATE DATABASE $db"
  run_backend postgres --database-url "${pg%/*}/$db"
  echo "-- pgbench on the same PostgreSQL (scale 10, $conns clients, ${secs}s)"
  pgbench -q -i -s 10 "${pg%/*}/$db" >/dev/null 2>&1
  pgbench -c "$conns" -j 2 -T "$secs" "${pg%/*}/$db" 2>/dev/null | grep -E "^tps|latency average"
  pgbench -S -c "$conns" -j 2 -T "$secs" "${pg%/*}/$db" 2>/dev/null | grep -E "^tps|latency average" | sed 's/^/select-only: /'
  psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)"
} | tee "$out/http.txt"
