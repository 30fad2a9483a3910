# shellcheck shell=bash
# Throwaway PostgreSQL for the benchmarks; sourced by bench/run.sh and bench/startup.sh.
#
#   pg_start   -> exports QUARKUS_DATASOURCE_{REACTIVE_URL,JDBC_URL,USERNAME,PASSWORD} for the app
#   pg_stop    -> stops the server and deletes its data directory (no-op for an external database)
#
# If BENCH_DB_URL is set (postgresql://127.0.0.1:PORT/DB), that database is used as is, with BENCH_DB_USER and
# BENCH_DB_PASSWORD; it must be on the loopback interface. Otherwise a fresh cluster is created in a temporary
# directory with Debian's PostgreSQL 15 binaries (PG_BIN, default /usr/lib/postgresql/15/bin), listening only on
# 127.0.0.1 at a random free port. fsync and synchronous_commit are left at their defaults (on): the numbers must
# include the cost of durable commits. As root, the server runs as user postgres (or nobody) via runuser.
# PG_EXTRA_OPTS adds server options (e.g. "-c shared_preload_libraries=pg_stat_statements" for diagnosis).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PSQL=$PG_BIN/psql
[[ -x "$PG_PSQL" ]] || PG_PSQL=psql
PG_TMP=""
PG_RUN_AS=""
PG_PORT=""
PG_OWNED=0

# A random TCP port on 127.0.0.1 that nobody listens on right now.
free_port() {
    local port i
    for i in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

_pg_as() {
    if [[ -n "$PG_RUN_AS" ]]; then
        runuser -u "$PG_RUN_AS" -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    if [[ -n "${BENCH_DB_URL:-}" ]]; then
        local rest="${BENCH_DB_URL#postgresql://}"
        rest="${rest#postgres://}"
        rest="${rest#jdbc:postgresql://}"
        local hostport="${rest%%/*}" host="${rest%%[:/]*}"
        case "$host" in
            127.0.0.1 | localhost) ;;
            *) echo "BENCH_DB_URL must point at 127.0.0.1 (got host '$host')" >&2; return 1 ;;
        esac
        export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$rest"
        export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$rest"
        export QUARKUS_DATASOURCE_USERNAME="${BENCH_DB_USER:?set BENCH_DB_USER with BENCH_DB_URL}"
        export QUARKUS_DATASOURCE_PASSWORD="${BENCH_DB_PASSWORD:?set BENCH_DB_PASSWORD with BENCH_DB_URL}"
        echo "database: external $hostport (BENCH_DB_URL); note: it is not emptied between runs" >&2
        return 0
    fi
    if [[ ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
        echo "PostgreSQL binaries not found in $PG_BIN (initdb, pg_ctl)." >&2
        echo "Install PostgreSQL 15 (apt-get install postgresql-15), set PG_BIN, or point the benchmark at an" >&2
        echo "existing database: BENCH_DB_URL=postgresql://127.0.0.1:PORT/DB BENCH_DB_USER=... BENCH_DB_PASSWORD=..." >&2
        return 1
    fi
    PG_TMP=$(mktemp -d /tmp/bench-pg.XXXXXX)
    if [[ $(id -u) -eq 0 ]]; then
        if id postgres >/dev/null 2>&1; then PG_RUN_AS=postgres; else PG_RUN_AS=nobody; fi
        chown "$PG_RUN_AS" "$PG_TMP"
    fi
    local pw="bench-$RANDOM$RANDOM"
    printf '%s\n' "$pw" >"$PG_TMP/.pw"
    [[ -n "$PG_RUN_AS" ]] && chown "$PG_RUN_AS" "$PG_TMP/.pw"
    chmod 600 "$PG_TMP/.pw"
    _pg_as "$PG_BIN/initdb" -D "$PG_TMP/data" -U bench_admin --pwfile="$PG_TMP/.pw" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$PG_TMP/initdb.log" 2>&1 \
        || { cat "$PG_TMP/initdb.log" >&2; return 1; }
    local attempt
    for attempt in 1 2 3 4 5; do
        PG_PORT=$(free_port) || return 1
        # fsync / synchronous_commit / full_page_writes stay ON (PostgreSQL defaults).
        if _pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/postgres.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_TMP -c max_connections=50 ${PG_EXTRA_OPTS:-}" \
            >/dev/null 2>&1; then
            PG_OWNED=1
            break
        fi
        PG_PORT=""
    done
    if [[ -z "$PG_PORT" ]]; then
        echo "PostgreSQL did not start; log:" >&2
        cat "$PG_TMP/postgres.log" >&2
        return 1
    fi
    # The password goes in on stdin, not on the command line, where `ps` would show it to every local user.
    _pg_as "$PG_PSQL" -X -q -v ON_ERROR_STOP=1 -h "$PG_TMP" -p "$PG_PORT" -U bench_admin -d postgres >/dev/null <<SQL
CREATE ROLE tracker WITH PASSWORD '$pw' LOGIN;
CREATE DATABASE tracker OWNER tracker;
SQL
    local settings
    settings=$(_pg_as "$PG_PSQL" -X -At -h "$PG_TMP" -p "$PG_PORT" -U bench_admin -d postgres \
        -c "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings
            WHERE name IN ('fsync','synchronous_commit','full_page_writes','shared_buffers','server_version')")
    echo "database: throwaway PostgreSQL on 127.0.0.1:$PG_PORT (data in $PG_TMP, run as ${PG_RUN_AS:-$(id -un)})" >&2
    echo "database settings: $settings (fsync ON on purpose: commits are durable, as in production)" >&2
    export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/tracker"
    export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/tracker"
    export QUARKUS_DATASOURCE_USERNAME=tracker
    export QUARKUS_DATASOURCE_PASSWORD="$pw"
}

pg_stop() {
    if [[ "$PG_OWNED" -eq 1 && -n "$PG_TMP" ]]; then
        _pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
        PG_OWNED=0
    fi
    if [[ -n "$PG_TMP" && -d "$PG_TMP" ]]; then
        if [[ -n "${BENCH_KEEP_PG_LOG:-}" && -f "$PG_TMP/postgres.log" ]]; then
            cp "$PG_TMP/postgres.log" "$BENCH_KEEP_PG_LOG" 2>/dev/null || true
        fi
        rm -rf "$PG_TMP"
        PG_TMP=""
    fi
}

# Busy CPU seconds of the whole host (all cores), from /proc/stat.
host_busy_sec() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2+$3+$4+$7+$8+$9)/hz }' /proc/stat; }

# BENCH_WAIT_QUIET=SECONDS: before measuring, wait (at most that long) until the host has been nearly idle
# (< 15 % of all cores busy) for 3 s, so that a concurrent build does not distort the numbers. Default 0: no wait.
wait_quiet() {
    local max=${BENCH_WAIT_QUIET:-0} start a b pct
    ((max > 0)) || return 0
    start=$SECONDS
    while ((SECONDS - start < max)); do
        a=$(host_busy_sec); sleep 3; b=$(host_busy_sec)
        pct=$(awk -v a="$a" -v b="$b" -v n="$(nproc)" 'BEGIN { printf "%d", 100 * (b - a) / (3 * n) }')
        if ((pct < 15)); then
            ((SECONDS - start > 3)) && echo "host quiet (${pct}% busy) after $((SECONDS - start)) s" >&2
            return 0
        fi
    done
    echo "WARNING: host still busy (${pct}% of all cores) after ${max} s; measuring anyway" >&2
}

# The packaged application's jar under $APP_DIR, built first if missing (shared by run.sh and startup.sh).
app_jar() {
    if [[ ! -d "$APP_DIR/target/quarkus-app" ]]; then
        echo "building $APP_DIR (./mvnw -B -q package -DskipTests) ..." >&2
        (cd "$APP_DIR" && ./mvnw -B -q package -DskipTests) >&2
    fi
    local jar="$APP_DIR/target/quarkus-app/quarkus-run.jar"
    [[ -f "$jar" ]] || { echo "no $jar" >&2; exit 1; }
    echo "$jar"
}
