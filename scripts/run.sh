#!/usr/bin/env bash
# GreenPulse in one command, on a Debian 12 machine without Docker:
#   installs missing apt packages, builds, starts a local mosquitto and influxd on loopback (or
#   uses ones already listening), starts the cooling-loop sensor and host-agent simulators, and
#   opens the dashboard writing to that influxd. Closing the window or Ctrl-C stops everything
#   this script started.
#
# Usage: scripts/run.sh [--headless] [--no-install] [--no-build] [--duration-s N]
#   --headless     run greenpulse-processor instead of the window (servers; Ctrl-C to stop)
#   --no-install   do not call scripts/install-deps.sh
#   --no-build     use the existing build/
#   --duration-s N stop everything after N seconds (for smoke tests)
# Environment: GREENPULSE_MQTT_PORT (1883), GREENPULSE_INFLUX_PORT (8086), GREENPULSE_RUN_DIR
# (.run in the source tree), GREENPULSE_BUILD_DIR (build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
headless=0
install=1
build=1
duration=0
while [ $# -gt 0 ]; do
    case "$1" in
    --headless) headless=1 ;;
    --no-install) install=0 ;;
    --no-build) build=0 ;;
    --duration-s) duration="$2"; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

mqtt_port="${GREENPULSE_MQTT_PORT:-1883}"
influx_port="${GREENPULSE_INFLUX_PORT:-8086}"
run_dir="${GREENPULSE_RUN_DIR:-$root/.run}"
build_dir="${GREENPULSE_BUILD_DIR:-$root/build}"
bin="$build_dir/bin"
host="$(hostname)"

say() { printf '\033[1;32m[greenpulse]\033[0m %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
    local port=$1 what=$2
    for _ in $(seq 1 100); do
        port_open "$port" && return 0
        sleep 0.1
    done
    echo "run.sh: $what did not start listening on port $port; see $run_dir/*.log" >&2
    return 1
}

if [ "$install" = 1 ]; then
    "$root/scripts/install-deps.sh"
fi
if [ "$build" = 1 ]; then
    say "building in $build_dir"
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
    targets=(greenpulse-processor greenpulse-sensor-sim greenpulse-host-agent greenpulse-job)
    [ "$headless" = 1 ] || targets+=(greenpulse)
    cmake --build "$build_dir" --target "${targets[@]}"
fi

mkdir -p "$run_dir"
pids=()
# Stops what was started in the reverse order: the dashboard or processor first, so that it
# hands its last points to InfluxDB and the simulators say "offline" while the broker and the
# database still run. (Those two run in their own session, so a Ctrl-C in the terminal does not
# stop them before the others; this does.)
cleanup() {
    trap - EXIT INT TERM
    if [ ${#pids[@]} -gt 0 ]; then
        say "stopping what this script started"
        local i pid
        for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
            pid=${pids[i]}
            kill -TERM "$pid" 2>/dev/null || continue
            for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        done
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- broker ----------------------------------------------------------------------------------
if port_open "$mqtt_port"; then
    say "using the MQTT broker already listening on 127.0.0.1:$mqtt_port"
else
    mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
    cat >"$run_dir/mosquitto.conf" <<EOF
# Written by scripts/run.sh: a local broker for GreenPulse, on loopback only.
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $run_dir/
log_dest stderr
EOF
    # Queue limits, autosave and packet size: the settings the .deb ships.
    cat "$root/packaging/mosquitto/greenpulse-queues.conf" >>"$run_dir/mosquitto.conf"
    setsid "$mosquitto_bin" -c "$run_dir/mosquitto.conf" >"$run_dir/mosquitto.log" 2>&1 &
    pids+=($!)
    wait_port "$mqtt_port" mosquitto
    say "started mosquitto on 127.0.0.1:$mqtt_port (data in $run_dir)"
fi

# --- database --------------------------------------------------------------------------------
if port_open "$influx_port"; then
    say "using the InfluxDB already listening on 127.0.0.1:$influx_port"
else
    mkdir -p "$run_dir/influxdb"
    cat >"$run_dir/influxdb.conf" <<EOF
# Written by scripts/run.sh: a local InfluxDB 1.x for GreenPulse, on loopback only.
reporting-disabled = true
bind-address = "127.0.0.1:$((influx_port + 2))"
[meta]
  dir = "$run_dir/influxdb/meta"
[data]
  dir = "$run_dir/influxdb/data"
  wal-dir = "$run_dir/influxdb/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$influx_port"
  log-enabled = false
EOF
    setsid influxd -config "$run_dir/influxdb.conf" >"$run_dir/influxd.log" 2>&1 &
    pids+=($!)
    wait_port "$influx_port" influxd
    say "started influxd on 127.0.0.1:$influx_port (data in $run_dir/influxdb)"
fi

broker="tcp://127.0.0.1:$mqtt_port"
influx="http://127.0.0.1:$influx_port"

# --- simulators ------------------------------------------------------------------------------
"$bin/greenpulse-sensor-sim" --broker "$broker" --host "$host" >"$run_dir/sensor-sim.log" 2>&1 &
pids+=($!)
# The host agent measures this machine where it can (RAPL, hwmon, NVML: docs/power-sources.md)
# and simulates its power where it cannot; say which.
sources=$("$bin/greenpulse-host-agent" --list-sources 2>&1 | sed -n 's/^--source auto would use: //p')
say "host agent power sources: ${sources:-unknown} (greenpulse-host-agent --list-sources says why)"
"$bin/greenpulse-host-agent" --broker "$broker" --host "$host" --source auto \
    >"$run_dir/host-agent.log" 2>&1 &
pids+=($!)
say "sensor simulator and host agent publishing as host '$host' (logs in $run_dir)"
if [ "$headless" = 1 ]; then
    say "start a job with: $bin/greenpulse-job --broker $broker start MyJob   (or: ... demo)"
else
    say "start a job with the window's buttons, or: $bin/greenpulse-job --broker $broker start MyJob"
fi

common=(--broker "$broker" --influx-url "$influx" --influx-api v1 --influx-db greenpulse
    --state-file "$run_dir/ledger.json" --spool-dir "$run_dir/spool")
if [ "$headless" = 1 ]; then
    say "processor running headless, writing to $influx (database greenpulse); Ctrl-C to stop"
    extra=()
    [ "$duration" != 0 ] && extra=(--duration-s "$duration")
    "$bin/greenpulse-processor" "${common[@]}" "${extra[@]}" &
    proc=$!
    pids+=($proc)
    wait "$proc" || true
else
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        echo "run.sh: no display found. Use --headless on a server, or run under xvfb-run." >&2
        exit 1
    fi
    say "opening the dashboard (writing to $influx, database greenpulse)"
    extra=()
    [ "$duration" != 0 ] && extra=(--quit-after-ms "$((duration * 1000))")
    "$bin/greenpulse" "${common[@]}" "${extra[@]}" &
    gui=$!
    pids+=($gui)
    wait "$gui" || true
fi
