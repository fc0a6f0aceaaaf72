#!/usr/bin/env bash
# Checks backlens's cost models against a real system: PostgreSQL (Debian's package, on
# 127.0.0.1 only) seeded with tests/fidelity/seed.sql, the Express app tests/fidelity/app.js
# with the seed's scenarios, load-tested by autocannon at 1, 10 and 50 connections (a few
# seconds each). backlens is calibrated from micro-measurements only and its predictions are
# printed beside the measurements, with the error. Not part of scripts/test.sh: it runs a
# database and loads the machine for about two minutes.
#
#   scripts/fidelity.sh                      # the table for this checkout
#   BACKLENS_BEFORE=/path/to/old/backlens scripts/fidelity.sh   # and an older binary's
#   FIDELITY_SECONDS=5 scripts/fidelity.sh   # longer runs
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update
  apt-get install -y postgresql
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main
fi
# Loopback only.
sed -i -E "s|^#?listen_addresses = .*|listen_addresses = '127.0.0.1'|" "/etc/postgresql/$version/main/postgresql.conf"
# pg_stat_statements counts the queries each request makes.
conf="/etc/postgresql/$version/main/postgresql.conf"
if ! grep -q "^shared_preload_libraries = 'pg_stat_statements'" "$conf"; then
  sed -i -E "s|^#?shared_preload_libraries = .*|shared_preload_libraries = 'pg_stat_statements'|" "$conf"
  pg_ctlcluster "$version" main stop 2>/dev/null || true
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
as_postgres() { su postgres -c "$*"; }
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'backlens'\"" | grep -q 1 \
  || as_postgres "psql -p $port -c \"CREATE ROLE backlens LOGIN PASSWORD 'backlens'\""
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'backlens_fidelity'\"" | grep -q 1 \
  || as_postgres "createdb -p $port -O backlens backlens_fidelity"
as_postgres "psql -q -p $port -d backlens_fidelity -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'"
PGPASSWORD=backlens psql -q -h 127.0.0.1 -p "$port" -U backlens -d backlens_fidelity -f tests/fidelity/seed.sql

if [ ! -d tests/fidelity/node_modules ]; then
  (cd tests/fidelity && npm ci --no-audit --no-fund)
fi

if [ -z "${BACKLENS:-}" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
  cargo build --release --bin backlens
  BACKLENS="$CARGO_TARGET_DIR/release/backlens"
fi
export BACKLENS PGPORT="$port"
node tests/fidelity/run.js
