#!/usr/bin/env bash
# One cycle of each scheduled check with 500 active requests: wall time, upstream calls, database statements.
#
#   bench/checks.sh                      5 measured repetitions (+1 warm-up) per check, 500 requests
#   CYCLES=10 REQUESTS=1000 bench/checks.sh
#
# Starts a throwaway PostgreSQL 15 with pg_stat_statements preloaded (bench/pg.sh; fsync on), creates the extension
# and lets the app's role reset and read it, then runs the benchmark test ChecksBenchmark (JUnit tag "bench", which
# the normal build excludes) against it through TEST_DB_URL. The upstreams are fakes in the test's JVM (qBittorrent,
# Sonarr, Radarr, Jellyfin). Prints the Markdown table (also in target/checks-benchmark.md), stops the database.
#
# The fakes are JDK HttpServers; -Dsun.net.httpserver.nodelay=true turns Nagle off on them (as Kestrel and Qt's
# servers do), else every small answer waits ~40 ms for the client's delayed ACK and the fakes' latency dominates.
#
# Environment: APP_DIR (the project, default the parent of bench/; it must hold no other build running: Maven
# writes target/), CYCLES (default 5), REQUESTS (default 500), MVN_OPTS (extra Maven options, e.g. -o),
# KEEP_LOGS=DIR (copy the Maven/test output and the PostgreSQL log there), PG_BIN, BENCH_WAIT_QUIET (see bench/pg.sh).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP_DIR=$(cd "${APP_DIR:-$BENCH_DIR/..}" && pwd)
CYCLES=${CYCLES:-5}
REQUESTS=${REQUESTS:-500}
# shellcheck source=bench/pg.sh
source "$BENCH_DIR/pg.sh"
[[ -n "${BENCH_DB_URL:-}" ]] && { echo "bench/checks.sh needs its own throwaway database (unset BENCH_DB_URL)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/bench-checks.XXXXXX)
cleanup() {
    local rc=$?
    set +e
    if [[ -n "${KEEP_LOGS:-}" ]]; then
        mkdir -p "$KEEP_LOGS"
        cp "$WORK"/mvn.log "$KEEP_LOGS"/ 2>/dev/null
        [[ -n "$PG_TMP" && -f "$PG_TMP/postgres.log" ]] && cp "$PG_TMP/postgres.log" "$KEEP_LOGS"/ 2>/dev/null
    fi
    pg_stop
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PG_EXTRA_OPTS="${PG_EXTRA_OPTS:-} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.max=10000"
pg_start
psql_admin() {
    _pg_as "$PG_PSQL" -X -q -v ON_ERROR_STOP=1 -h "$PG_TMP" -p "$PG_PORT" -U bench_admin -d tracker "$@"
}
psql_admin >/dev/null <<'SQL'
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO tracker;
GRANT pg_read_all_stats TO tracker;
SQL
wait_quiet

echo "running: ./mvnw -B ${MVN_OPTS:-} test -Dtest=ChecksBenchmark -DexcludedGroups=none -Dbench.cycles=$CYCLES" \
    "-Dbench.requests=$REQUESTS (TEST_DB_URL=$QUARKUS_DATASOURCE_REACTIVE_URL)" >&2
set +e
# shellcheck disable=SC2086
(cd "$APP_DIR" && TEST_DB_URL="$QUARKUS_DATASOURCE_REACTIVE_URL" TEST_DB_USER="$QUARKUS_DATASOURCE_USERNAME" \
    TEST_DB_PASSWORD="$QUARKUS_DATASOURCE_PASSWORD" ./mvnw -B ${MVN_OPTS:-} test -Dtest=ChecksBenchmark \
    -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false -Dbench.cycles="$CYCLES" \
    -Dsun.net.httpserver.nodelay=true \
    -Dbench.requests="$REQUESTS") \
    >"$WORK/mvn.log" 2>&1
RC=$?
set -e
grep -E '^bench: ' "$WORK/mvn.log" | cut -c1-400 >&2 || true
if [[ $RC -ne 0 || ! -f "$APP_DIR/target/checks-benchmark.md" ]]; then
    echo "the benchmark failed (exit $RC); end of the Maven output:" >&2
    tail -80 "$WORK/mvn.log" >&2
    exit 1
fi
WARN=$(grep -c -E ' (WARN|ERROR) ' "$WORK/mvn.log" || true)
echo
cat "$APP_DIR/target/checks-benchmark.md"
echo
echo "WARN/ERROR lines in the test output: $WARN"
if [[ "$WARN" -gt 0 ]]; then
    grep -E ' (WARN|ERROR) ' "$WORK/mvn.log" | sed -E 's/^[0-9-]+ [0-9:,.]+ //' | cut -c1-250 | sort | uniq -c \
        | sort -rn | head -8
fi
