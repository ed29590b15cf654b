#!/usr/bin/env bash
# ctest run_script: the README's main command, scripts/run.sh, as a user runs it (without its
# install and build steps, which CI has done), on free loopback ports with its run folder in a
# temporary directory, for a few seconds: headless, then the window offscreen when it is built.
# Passes when the script exits 0, the simulators' samples were accounted, InfluxDB holds the
# points (a shard was written, nothing is left in the spool) and nothing it started still runs.
#
# Usage: tests/scripts/test-run-script.sh BUILD_DIR
set -euo pipefail

build_dir=$(cd "$1" && pwd)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds=12

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # a free port whose +2 (influxd's RPC port, see run.sh) is free too
    local port
    while :; do
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        port_free "$((port + 2))" && echo "$port" && return
    done
}
fail() { echo "FAIL ($mode): $*" >&2; sed 's/^/  | /' "$dir/out.log" >&2; exit 1; }

modes=(headless)
[ -x "$build_dir/bin/greenpulse" ] && modes+=(window)
for mode in "${modes[@]}"; do
    dir=$(mktemp -d /tmp/greenpulse-run-XXXXXX)
    trap 'pkill -f -- "$dir" 2>/dev/null || true; rm -rf "$dir"' EXIT
    args=(--no-install --no-build --duration-s "$seconds")
    [ "$mode" = headless ] && args+=(--headless)
    echo "== scripts/run.sh ${args[*]}"
    if ! GREENPULSE_MQTT_PORT=$(free_port) GREENPULSE_INFLUX_PORT=$(free_port) \
        GREENPULSE_RUN_DIR="$dir" GREENPULSE_BUILD_DIR="$build_dir" QT_QPA_PLATFORM=offscreen \
        timeout 120 "$root/scripts/run.sh" "${args[@]}" >"$dir/out.log" 2>&1; then
        fail "scripts/run.sh did not exit 0"
    fi
    if [ "$mode" = headless ]; then
        # The processor prints its totals as JSON on exit; the idle pseudo-job holds the samples.
        grep -Eq '"samples": [1-9]' "$dir/out.log" || fail "no accounted samples in the totals"
    fi
    # A shard folder appears with the first point written (the database alone makes none).
    shards=$(find "$dir/influxdb/data/greenpulse/autogen" -mindepth 1 -maxdepth 1 -type d \
        2>/dev/null | wc -l)
    [ "$shards" -gt 0 ] || fail "InfluxDB has no shard of database greenpulse: nothing written"
    [ -z "$(ls -A "$dir/spool" 2>/dev/null)" ] || fail "points left in the spool: $(ls "$dir/spool")"
    if pgrep -f -- "$dir" >/dev/null; then
        fail "still running: $(pgrep -af -- "$dir")"
    fi
    echo "   ok: exit 0, points in $shards InfluxDB shard(s), spool empty, all stopped"
    rm -rf "$dir"
    trap - EXIT
done
