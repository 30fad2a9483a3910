#!/usr/bin/env bash
# Webhook ingest + SSE fan-out benchmark, end to end, in one command:
#
#   bench/run.sh [WebhookBench options]          e.g.  bench/run.sh --n 5000 --c 32 --clients 1
#                                                       bench/run.sh --n 2000 --c 32 --clients 500
#   MODE=flows bench/run.sh [options]            e.g.  MODE=flows bench/run.sh --n 1000 --c 32 --clients 1
#   open loop (either mode): --rate R            e.g.  MODE=flows bench/run.sh --n 334 --rate 100 --clients 1
#
# MODE=jellyseerr (default) sends only Jellyseerr MEDIA_AUTO_APPROVED webhooks (the foundation benchmark);
# MODE=flows sends whole movie and series flows over all five webhook routes, built from the fixtures in
# src/test/resources/fixtures, and reports latency per route (--n then counts simulated requests; see WebhookBench).
# --rate R replaces the closed loop of --c senders by a fixed arrival schedule of R webhooks/s, latency counted from
# each webhook's scheduled send time (see WebhookBench's javadoc; in flows mode a simulated request stays in order).
#
# Builds the app if target/quarkus-app is missing, starts a throwaway PostgreSQL (bench/pg.sh), starts the packaged
# app (JVM mode), waits for /q/health/ready, runs bench/WebhookBench.java against it, records the app's RSS after
# start and after the run, stops everything and prints the results. Everything listens on / talks to 127.0.0.1.
#
# Environment:
#   APP_DIR      project directory holding target/quarkus-app (default: the parent of bench/)
#   JAVA_BIN     java used for the app (default: java on PATH)
#   JAVA_OPTS    JVM options for the app (default: -Xmx128m)
#   BENCH_JAVA   java used for the benchmark client (default: java on PATH; needs a JDK >= 17)
#   APP_PORT     HTTP port for the app (default: a random free port)
#   GC_LOG=0     do not add -Xlog:gc to the app (default: on, summarised at the end)
#   BENCH_WAIT_QUIET=S  first wait up to S seconds for the host to be idle (see bench/pg.sh)
#   KEEP_LOGS=DIR copy the app log, GC log and PostgreSQL log there
#   MODE         jellyseerr (default) or flows
#   FIXTURES     fixture directory for MODE=flows (default: src/test/resources/fixtures next to bench/)
#   BENCH_DB_URL / BENCH_DB_USER / BENCH_DB_PASSWORD   use an existing database instead (see bench/pg.sh)
#   BENCH_HOOK   optional executable, run as `$BENCH_HOOK start` right before the client starts and `$BENCH_HOOK end`
#                right after it exits (outside the CPU accounting), with APP_PID, APP_BASE, PG_HOST (socket dir of the
#                throwaway PostgreSQL), PG_PORT and PG_RUN_AS in its environment (used by bench/profile.sh)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP_DIR=$(cd "${APP_DIR:-$BENCH_DIR/..}" && pwd)
JAVA_BIN=${JAVA_BIN:-java}
JAVA_OPTS=${JAVA_OPTS:--Xmx128m}
BENCH_JAVA=${BENCH_JAVA:-java}
GC_LOG=${GC_LOG:-1}
MODE=${MODE:-jellyseerr}
FIXTURES=${FIXTURES:-$BENCH_DIR/../src/test/resources/fixtures}
MODE_ARGS=(--mode "$MODE")
[[ "$MODE" == flows ]] && MODE_ARGS+=(--fixtures "$FIXTURES")
# shellcheck source=bench/pg.sh
source "$BENCH_DIR/pg.sh"

WORK=$(mktemp -d /tmp/bench-run.XXXXXX)
APP_PID=""
BENCH_PID=""

cleanup() {
    local rc=$?
    set +e
    [[ -n "$BENCH_PID" ]] && kill "$BENCH_PID" 2>/dev/null
    if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
        kill -TERM "$APP_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$APP_PID" 2>/dev/null || true
    fi
    if [[ -n "${KEEP_LOGS:-}" ]]; then
        mkdir -p "$KEEP_LOGS"
        cp "$WORK"/app.log "$WORK"/gc.log "$KEEP_LOGS"/ 2>/dev/null || true
        [[ -n "$PG_TMP" && -f "$PG_TMP/postgres.log" ]] && cp "$PG_TMP/postgres.log" "$KEEP_LOGS"/ 2>/dev/null
    fi
    pg_stop
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
hwm_mib() { awk '/^VmHWM:/ {printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
HZ=$(getconf CLK_TCK)
cpu_sec() { awk -v hz="$HZ" '{printf "%.2f", ($14+$15)/hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU seconds of the throwaway PostgreSQL: postmaster + its live children (0 for an external database).
pg_cpu_sec() {
    local pm
    [[ -n "$PG_TMP" && -f "$PG_TMP/data/postmaster.pid" ]] || { echo 0; return; }
    pm=$(head -1 "$PG_TMP/data/postmaster.pid")
    for f in /proc/[0-9]*/stat; do cat "$f" 2>/dev/null; echo; done | awk -v pm="$pm" -v hz="$HZ" '
        NF { pid = $1; s = $0; sub(/^.*\) /, "", s); split(s, a, " ");   # a[2] = ppid, a[12]/a[13] = utime/stime
             if (pid == pm || a[2] == pm) t += a[12] + a[13] }
        END { printf "%.2f", t / hz }'
}

JAR=$(app_jar)

pg_start
wait_quiet

APP_PORT=${APP_PORT:-$(free_port)}
GC_OPTS=()
[[ "$GC_LOG" == 1 ]] && GC_OPTS=("-Xlog:gc:file=$WORK/gc.log")
# shellcheck disable=SC2086
"$JAVA_BIN" $JAVA_OPTS "${GC_OPTS[@]}" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" \
    -jar "$JAR" >"$WORK/app.log" 2>&1 &
APP_PID=$!
T0=$(date +%s%N)
BASE="http://127.0.0.1:$APP_PORT"
ready=0
for _ in $(seq 1 600); do # 60 s at most
    if ! kill -0 "$APP_PID" 2>/dev/null; then
        echo "the app exited during start-up; log:" >&2
        tail -50 "$WORK/app.log" >&2
        exit 1
    fi
    if curl -fs -o /dev/null --max-time 2 "$BASE/q/health/ready"; then ready=1; break; fi
    sleep 0.1
done
[[ $ready == 1 ]] || { echo "app not ready after 60 s; log:" >&2; tail -50 "$WORK/app.log" >&2; exit 1; }
READY_MS=$((($(date +%s%N) - T0) / 1000000))
sleep 1 # let start-up settle before sampling RSS
RSS_START=$(rss_mib "$APP_PID")
run_hook() {
    [[ -n "${BENCH_HOOK:-}" ]] || return 0
    APP_PID="$APP_PID" APP_BASE="$BASE" PG_HOST="$PG_TMP" PG_PORT="$PG_PORT" PG_RUN_AS="$PG_RUN_AS" \
        "$BENCH_HOOK" "$1" >&2 || echo "BENCH_HOOK $1 failed (ignored)" >&2
}
run_hook start
CPU_START=$(cpu_sec "$APP_PID")

echo "app: pid $APP_PID on $BASE, ready after ${READY_MS} ms, RSS ${RSS_START} MiB; JAVA_OPTS='$JAVA_OPTS'" >&2
echo "running: $BENCH_JAVA $BENCH_DIR/WebhookBench.java --url $BASE ${MODE_ARGS[*]} $*" >&2
PG_CPU_START=$(pg_cpu_sec)
HOST_START=$(host_busy_sec)
WALL_START=$(date +%s%N)
set +e
"$BENCH_JAVA" "$BENCH_DIR/WebhookBench.java" --url "$BASE" "${MODE_ARGS[@]}" "$@" >"$WORK/bench.out" 2>&1 &
BENCH_PID=$!
BENCH_CPU=0
while kill -0 "$BENCH_PID" 2>/dev/null; do # sample the client's CPU until it exits
    c=$(cpu_sec "$BENCH_PID"); [[ "$c" != 0 ]] && BENCH_CPU=$c
    sleep 0.5
done
wait "$BENCH_PID"
BENCH_RC=$?
BENCH_PID=""
set -e
cat "$WORK/bench.out"

RSS_END=$(rss_mib "$APP_PID")
HWM=$(hwm_mib "$APP_PID")
CPU_END=$(cpu_sec "$APP_PID")
PG_CPU_END=$(pg_cpu_sec)
HOST_END=$(host_busy_sec)
WALL_SEC=$(awk -v a="$WALL_START" -v b="$(date +%s%N)" 'BEGIN{printf "%.1f", (b-a)/1e9}')
ALIVE=yes; kill -0 "$APP_PID" 2>/dev/null || ALIVE="NO (crashed)"
run_hook end

echo
echo "### App during the run"
echo
echo "| metric | value |"
echo "|---|---|"
echo "| java | \`$("$JAVA_BIN" -version 2>&1 | head -1)\` |"
echo "| JAVA_OPTS | \`$JAVA_OPTS\` |"
echo "| ready after launch | ${READY_MS} ms |"
echo "| RSS after start / after run / peak (VmHWM) | ${RSS_START} / ${RSS_END} / ${HWM} MiB |"
awk -v w="$WALL_SEC" -v a="$(awk -v a="$CPU_START" -v b="$CPU_END" 'BEGIN{print b-a}')" \
    -v p="$(awk -v a="$PG_CPU_START" -v b="$PG_CPU_END" 'BEGIN{print b-a}')" -v c="$BENCH_CPU" \
    -v h="$(awk -v a="$HOST_START" -v b="$HOST_END" 'BEGIN{print b-a}')" -v n="$(nproc)" 'BEGIN {
    o = h - a - p - c; if (o < 0) o = 0;
    printf "| CPU during the benchmark (%.1f s wall, %d cores): app / PostgreSQL / bench client / everything else | %.1f / %.1f / %.1f / %.1f s (host %.0f%% busy) |\n", w, n, a, p, c, o, 100 * h / (w * n) }'
echo "| app still alive | $ALIVE |"
if [[ -f "$WORK/gc.log" ]]; then
    awk '/Pause/ { n++; if (match($0, /[0-9.]+ms$/)) { t += substr($0, RSTART, RLENGTH-2); if (substr($0, RSTART, RLENGTH-2)+0 > mx) mx = substr($0, RSTART, RLENGTH-2)+0 } }
         /Pause Full/ { full++ }
         END { printf "| GC pauses (all / full), total, max | %d / %d, %.0f ms, %.1f ms |\n", n, full, t, mx }' "$WORK/gc.log"
fi
WARN=$(grep -c -E ' (WARN|ERROR) ' "$WORK/app.log" || true)
echo "| WARN/ERROR lines in app log | $WARN |"
if [[ "$WARN" -gt 0 ]]; then
    echo
    echo "first WARN/ERROR lines:"
    grep -E ' (WARN|ERROR) ' "$WORK/app.log" | sed -E 's/^[0-9-]+ [0-9:,.]+ //' | cut -c1-300 | sort | uniq -c | sort -rn | head -10
fi
echo
echo "benchmark exit status: $BENCH_RC"
exit "$BENCH_RC"
