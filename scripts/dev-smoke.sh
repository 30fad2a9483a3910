#!/usr/bin/env bash
# Proves the README's "run it" command on this machine: ./mvnw quarkus:dev must serve the API from its embedded
# PostgreSQL and take a webhook. Stops what it started. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${DEV_SMOKE_PORT:-18000}"
log="$(mktemp -t dev-smoke.XXXXXX.log)"
./mvnw quarkus:dev -Dquarkus.http.port="$port" -Dquarkus.console.enabled=false -Ddebug=false < /dev/null > "$log" 2>&1 &
mvn_pid=$!
cleanup() {
  kill "$mvn_pid" 2>/dev/null || true
  wait "$mvn_pid" 2>/dev/null || true
  pkill -f "quarkus.http.port=$port" 2>/dev/null || true
}
trap cleanup EXIT
start=$(date +%s)
until curl -sf "http://localhost:$port/api/requests" > /dev/null; do
  if ! kill -0 "$mvn_pid" 2>/dev/null || (( $(date +%s) - start > 240 )); then
    echo "dev mode did not serve /api/requests (log: $log)" >&2
    tail -50 "$log" >&2
    exit 1
  fi
  sleep 1
done
echo "dev mode: first 200 from /api/requests $(( $(date +%s) - start )) s after launch"
answer=$(curl -sf -H 'Content-Type: application/json' \
  --data @src/test/resources/fixtures/original/jellyseerr-movie-auto-approved.json "http://localhost:$port/hooks/jellyseerr")
echo "dev mode: webhook answered $answer"
grep -q '"outcome":"applied"' <<< "$answer"
curl -sf "http://localhost:$port/api/requests/active" | grep -q 'Violet Evergarden'
echo "dev mode: OK"
