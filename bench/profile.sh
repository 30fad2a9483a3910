#!/usr/bin/env bash
# Diagnosis helpers around bench/run.sh (not a benchmark: the numbers it prints include the profiler's overhead).
#
#   bench/profile.sh threads [run.sh/WebhookBench options]   default: --n 1000 --c 32 --clients 1 (MODE=flows)
#       Only the CPU per app thread (from /proc/PID/task) during the client's run: event loops, JIT, GC, ...
#   bench/profile.sh jfr [run.sh/WebhookBench options]   default: --n 1000 --c 32 --clients 1 (MODE=flows)
#       Runs bench/run.sh with a JFR recording of the app that covers exactly the client's run (started and dumped
#       through run.sh's BENCH_HOOK), then summarises it with bench/JfrSummary.java.
#   bench/profile.sh sql [run.sh/WebhookBench options]   default: --n 20 --warmup 2 --c 4 --clients 1 (MODE=flows)
#       Starts PostgreSQL with pg_stat_statements, sends the webhooks of one movie flow and one series flow one by one
#       (from WebhookBench --print-flows) and lists the SQL statements each webhook cost (twice: a first and a second
#       flow, the second being the steady state); then runs the small flows benchmark and lists calls per webhook.
#
# Every kind also prints the CPU per app thread during the client's run (threads.txt). PREWARM=N first sends N flows
# (not measured, own ids) before the measured run starts, so that the JIT has reached a steady state.
# Environment: PROFILE_OUT (output directory, default /tmp/profile-<mode>-<time>), JFR_PERIOD (execution sample
# period, default 2 ms), JFR_STACKDEPTH (default 256), plus everything bench/run.sh reads. Run it from a copy of the
# project if others share target/ (APP_DIR).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$BENCH_DIR/profile.sh"

psql_admin() { # runs psql as the PostgreSQL superuser over the throwaway server's socket
    local cmd=(psql -X -q -At -F $'\t' -h "$PG_HOST" -p "$PG_PORT" -U bench_admin -d tracker "$@")
    if [[ -n "${PG_RUN_AS:-}" ]]; then runuser -u "$PG_RUN_AS" -- "${cmd[@]}"; else "${cmd[@]}"; fi
}

snapshot() { # $1 = title: prints the tracker database's statements since the last reset, then resets
    echo "#### $1"
    psql_admin -c "SELECT calls, rows, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3),
                          regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements s
                   JOIN pg_database d ON d.oid = s.dbid
                   WHERE d.datname = 'tracker' AND query NOT ILIKE '%pg_stat_statements%'
                   ORDER BY calls DESC, query" | awk -F'\t' '{ n += $1; t += $3; printf "  %6d calls %6d rows %9.1f ms total %7.3f ms mean  %s\n", $1, $2, $3, $4, substr($5, 1, 220) } END { printf "  total %d statements, %.1f ms executing\n", n, t }'
    psql_admin -c "SELECT pg_stat_statements_reset()" >/dev/null
}

thread_cpu() { # tid, name, CPU ticks of every thread of the app
    for f in /proc/"$APP_PID"/task/*/stat; do cat "$f" 2>/dev/null; echo; done | awk 'NF {
        s = $0; name = s; sub(/^[0-9]+ \(/, "", name); sub(/\) [A-Z] .*$/, "", name); sub(/^.*\) /, "", s);
        split(s, a, " "); print $1 "\t" name "\t" (a[12] + a[13]) }'
}

thread_cpu_delta() { # per-thread-group CPU seconds between the two snapshots
    awk -F'\t' -v hz="$(getconf CLK_TCK)" 'NR == FNR { t0[$1] = $3; next }
        { d = ($3 - t0[$1]) / hz; g = $2; gsub(/[0-9]+$/, "N", g); sum[g] += d; n[g]++; tot += d;
          if (d > 0.5) one[$2 " (tid " $1 ")"] = d }
        END { printf "app threads CPU during the client run: %.1f s\n", tot;
              for (g in sum) if (sum[g] >= 0.05) printf "  %7.1f s  %5.1f%%  %s (%d threads)\n", sum[g], 100 * sum[g] / tot, g, n[g] | "sort -rn";
              close("sort -rn"); print "single threads over 0.5 s:";
              for (k in one) printf "  %7.1f s  %s\n", one[k], k | "sort -rn" }' "$1" "$2"
}

prewarm() { # PREWARM=N: run N flows against the app first (not measured), so the JIT reaches a steady state
    [[ "${PREWARM:-0}" -gt 0 ]] || return 0
    echo "profile: pre-warming with $PREWARM flows ..."
    java "$BENCH_DIR/WebhookBench.java" --url "$APP_BASE" --mode flows --fixtures "$PROFILE_FIXTURES" \
        --n "$PREWARM" --c 32 --clients 1 --id-base 3000000000 >"$PROFILE_OUT/prewarm.txt" 2>&1 || true
    grep -E 'webhooks/s|answer latency, all' "$PROFILE_OUT/prewarm.txt" || true
}

case "${1:-}" in
start)
    prewarm
    thread_cpu >"$PROFILE_OUT/threads-start.tsv"
    case "$PROFILE_KIND" in
    jfr)
        jcmd "$APP_PID" JFR.start name=bench settings="$PROFILE_OUT/settings.jfc" >/dev/null
        echo "profile: JFR recording started on pid $APP_PID"
        ;;
    sql)
        psql_admin -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
        flows=$PROFILE_OUT/flows.txt
        out=$PROFILE_OUT/sql-per-webhook.txt
        : >"$out"
        for round in 1 2; do
            # --print-flows prints "POST url  Content-Type: type  (label)" then the body on one line, per webhook.
            java "$BENCH_DIR/WebhookBench.java" --url "$APP_BASE" --mode flows --fixtures "$PROFILE_FIXTURES" \
                --n 2 --warmup 0 --id-base $((round * 7000000)) --print-flows >"$flows"
            psql_admin -c "SELECT pg_stat_statements_reset()" >/dev/null
            i=0
            while IFS= read -r head && IFS= read -r body; do
                i=$((i + 1))
                url=$(awk '{print $2}' <<<"$head")
                ctype=$(sed -E 's/.*Content-Type: ([^ ]+).*/\1/' <<<"$head")
                label=$(sed -E 's/^[^(]*\((.*)\)$/\1/' <<<"$head")
                resp=$(curl -s -X POST -H "Content-Type: $ctype" --data-binary "$body" "$url")
                sleep 0.2 # let follow-ups (if any) finish before the snapshot
                snapshot "round $round, webhook $i: ${url##*/hooks/} $label -> ${resp:0:160}" >>"$out"
            done <"$flows"
        done
        echo "profile: per-webhook SQL written to $out"
        ;;
    esac
    ;;
end)
    thread_cpu >"$PROFILE_OUT/threads-end.tsv"
    thread_cpu_delta "$PROFILE_OUT/threads-start.tsv" "$PROFILE_OUT/threads-end.tsv" | tee "$PROFILE_OUT/threads.txt"
    case "$PROFILE_KIND" in
    jfr)
        jcmd "$APP_PID" JFR.stop name=bench filename="$PROFILE_OUT/app.jfr" >/dev/null
        echo "profile: JFR recording written to $PROFILE_OUT/app.jfr"
        ;;
    sql)
        snapshot "whole flows benchmark (warm-up + measured)" >"$PROFILE_OUT/sql-flows-run.txt"
        echo "profile: benchmark SQL written to $PROFILE_OUT/sql-flows-run.txt"
        ;;
    esac
    ;;
threads | jfr | sql)
    kind=$1
    shift
    export PROFILE_KIND=$kind
    export PROFILE_OUT=${PROFILE_OUT:-/tmp/profile-$kind-$(date +%Y%m%d-%H%M%S)}
    export PROFILE_FIXTURES=${FIXTURES:-$BENCH_DIR/../src/test/resources/fixtures}
    mkdir -p "$PROFILE_OUT"
    export MODE=${MODE:-flows}
    export BENCH_HOOK=$SELF
    if [[ $kind == threads ]]; then
        [[ $# -gt 0 ]] || set -- --n 1000 --c 32 --clients 1
        "$BENCH_DIR/run.sh" "$@" | tee "$PROFILE_OUT/run.txt"
    elif [[ $kind == jfr ]]; then
        jfc=$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/profile.jfc
        sed -E -e "/name=\"jdk.ExecutionSample\"/,/<\/event>/ s|<setting name=\"period\"([^>]*)>[^<]*<|<setting name=\"period\"\1>${JFR_PERIOD:-2 ms}<|" \
            -e "/name=\"jdk.ObjectAllocationSample\"/,/<\/event>/ s|<setting name=\"throttle\"([^>]*)>[^<]*<|<setting name=\"throttle\"\1>1000/s<|" \
            "$jfc" >"$PROFILE_OUT/settings.jfc"
        export JAVA_OPTS="${JAVA_OPTS:--Xmx128m} -XX:FlightRecorderOptions:stackdepth=${JFR_STACKDEPTH:-256}"
        [[ $# -gt 0 ]] || set -- --n 1000 --c 32 --clients 1
        "$BENCH_DIR/run.sh" "$@" | tee "$PROFILE_OUT/run.txt"
        java "$BENCH_DIR/JfrSummary.java" "$PROFILE_OUT/app.jfr" 30 >"$PROFILE_OUT/summary.txt"
        echo "summary: $PROFILE_OUT/summary.txt"
    else
        export PG_EXTRA_OPTS="${PG_EXTRA_OPTS:-} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
        [[ $# -gt 0 ]] || set -- --n 20 --warmup 2 --c 4 --clients 1
        "$BENCH_DIR/run.sh" "$@" | tee "$PROFILE_OUT/run.txt"
        echo "results: $PROFILE_OUT/sql-per-webhook.txt $PROFILE_OUT/sql-flows-run.txt"
    fi
    ;;
*)
    echo "usage: bench/profile.sh threads|jfr|sql [run.sh options]" >&2
    exit 2
    ;;
esac
