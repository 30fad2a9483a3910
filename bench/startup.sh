#!/usr/bin/env bash
# JVM-mode start-up: time from launching java to the first HTTP 200 of a database-backed endpoint
# (GET /api/requests, polled every 10 ms), and the RSS right after that answer; R runs, median reported.
#
#   bench/startup.sh [R]                                   R runs (default 5)
#   JAVA_OPTS= bench/startup.sh                            JVM defaults (no -Xmx)
#   JAVA_BIN=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/startup.sh
#
# A throwaway PostgreSQL is started once (bench/pg.sh). One unmeasured launch first creates the schema (Flyway) and
# warms the OS page cache; the R measured launches then start against the migrated database, as a restart in
# production does. Polling uses bash's /dev/tcp (no process spawned per poll), so it costs the app almost no CPU.
#
# Environment: APP_DIR, JAVA_BIN (default java), JAVA_OPTS (default -Xmx128m; set it empty for JVM defaults),
# APP_PORT, BENCH_WAIT_QUIET (wait up to S seconds for an idle host before each launch; see bench/pg.sh), BENCH_DB_URL/BENCH_DB_USER/BENCH_DB_PASSWORD (see bench/pg.sh), TIMEOUT_S (per launch, default 60).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP_DIR=$(cd "${APP_DIR:-$BENCH_DIR/..}" && pwd)
JAVA_BIN=${JAVA_BIN:-java}
JAVA_OPTS=${JAVA_OPTS--Xmx128m}
RUNS=${1:-5}
TIMEOUT_S=${TIMEOUT_S:-60}
# shellcheck source=bench/pg.sh
source "$BENCH_DIR/pg.sh"

WORK=$(mktemp -d /tmp/bench-startup.XXXXXX)
APP_PID=""

stop_app() {
    if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
        kill -TERM "$APP_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
    fi
    APP_PID=""
}
cleanup() {
    local rc=$?
    set +e
    stop_app
    pg_stop
    [[ -n "${KEEP_LOGS:-}" ]] && { mkdir -p "$KEEP_LOGS"; cp "$WORK"/app-*.log "$KEEP_LOGS"/ 2>/dev/null || true; }
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

JAR=$(app_jar)

pg_start
APP_PORT=${APP_PORT:-$(free_port)}

# A pipe nobody writes to: `read -t` on it is a fork-free sleep.
exec {SLEEP_FD}<> <(:)
nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }

# One GET over /dev/tcp; prints the status code (or nothing if the port is closed).
http_status() {
    local fd line
    { exec {fd}<>"/dev/tcp/127.0.0.1/$APP_PORT"; } 2>/dev/null || return 0
    printf 'GET /api/requests HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd" 2>/dev/null || true
    if read -r -t 10 -u "$fd" line 2>/dev/null; then
        line=${line#HTTP/1.? }
        printf '%s' "${line%% *}"
    fi
    exec {fd}<&-
}

# Launches the app (in this shell, so the cleanup trap knows its pid), waits for the first 200, stops it again;
# sets L_MS (launch -> first 200), L_RSS (MiB right after it) and L_STARTED (Quarkus' own "started in" seconds).
launch() {
    local log="$1" t0 t1 code deadline rss started h0 h1 app
    wait_quiet
    h0=$(host_busy_sec)
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    "$JAVA_BIN" $JAVA_OPTS -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -jar "$JAR" >"$log" 2>&1 &
    APP_PID=$!
    deadline=$((t0 + TIMEOUT_S * 1000000000))
    while :; do
        code=$(http_status)
        if [[ "$code" == 200 ]]; then
            t1=$(date +%s%N)
            rss=$(awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$APP_PID/status")
            app=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15)/hz}' "/proc/$APP_PID/stat")
            h1=$(host_busy_sec)
            break
        fi
        if ! kill -0 "$APP_PID" 2>/dev/null; then
            echo "the app exited during start-up; log:" >&2; tail -40 "$log" >&2; APP_PID=""; return 1
        fi
        if (($(date +%s%N) > deadline)); then
            echo "no 200 from /api/requests within ${TIMEOUT_S}s (last status '${code}'); log:" >&2
            tail -40 "$log" >&2; return 1
        fi
        nap 0.01
    done
    nap 0.3 # let the log line be written
    started=$(grep -o 'started in [0-9.]*s' "$log" | head -1 | grep -o '[0-9.]*' || echo "?")
    stop_app
    L_MS=$(((t1 - t0) / 1000000)) L_RSS=$rss L_STARTED=$started L_APPCPU=$app
    # CPU used by everything but the app while it started (other processes competing for the cores)
    L_OTHER=$(awk -v a="$h0" -v b="$h1" -v app="$app" 'BEGIN { o = b - a - app; printf "%.2f", o < 0 ? 0 : o }')
}

JV=$("$JAVA_BIN" -version 2>&1 | head -1)
echo "java: $JV ($JAVA_BIN); JAVA_OPTS='$JAVA_OPTS'; runs: $RUNS" >&2
echo "priming launch (creates the schema, warms the page cache; not counted) ..." >&2
launch "$WORK/app-prime.log" || exit 1
echo "  priming: first 200 after ${L_MS} ms, RSS ${L_RSS} MiB" >&2

MS=() RSS=()
echo
echo "### Start-up: \`$JV\`, JAVA_OPTS=\`${JAVA_OPTS:-(none)}\`"
echo
echo "| run | first 200 from GET /api/requests | RSS right after | Quarkus \"started in\" | app CPU until then | other CPU on the host meanwhile |"
echo "|---|---|---|---|---|---|"
for i in $(seq 1 "$RUNS"); do
    launch "$WORK/app-$i.log" || exit 1
    MS+=("$L_MS"); RSS+=("$L_RSS")
    echo "| $i | $L_MS ms | $L_RSS MiB | ${L_STARTED} s | ${L_APPCPU} s | ${L_OTHER} s |"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "| **median** | **$(median "${MS[@]}") ms** | **$(median "${RSS[@]}") MiB** | | | |"
WARN=$(cat "$WORK"/app-[0-9]*.log | grep -c -E ' (WARN|ERROR) ' || true)
if [[ "$WARN" -gt 0 ]]; then
    echo
    echo "WARN/ERROR lines in the measured launches' logs: $WARN; distinct:"
    cat "$WORK"/app-[0-9]*.log | grep -E ' (WARN|ERROR) ' | sed -E 's/^[0-9-]+ [0-9:,.]+ //' | cut -c1-250 \
        | sort | uniq -c | sort -rn | head -8
fi
if grep -q -i -E '^WARNING' "$WORK/app-1.log" 2>/dev/null; then
    echo
    echo "JVM warnings on stderr (run 1):"
    grep -i -E '^WARNING' "$WORK/app-1.log" | head -6
fi
