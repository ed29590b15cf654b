#!/usr/bin/env bash
# Runs every GreenPulse test on a fresh Debian 12 machine: installs the missing apt packages,
# builds everything in build/, and runs the whole suite with ctest (unit tests, integration tests
# against a real mosquitto, influxd and VictoriaMetrics that the tests start on free loopback
# ports, widget tests offscreen, a short fuzzing run, the compose and .deb checks).
#
# Usage: scripts/test.sh [ctest arguments...]     e.g. scripts/test.sh -L unit
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${GREENPULSE_BUILD_DIR:-$root/build}"
jobs="$(nproc 2>/dev/null || echo 2)"

"$root/scripts/install-deps.sh"

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Installed under /usr, as the .deb that the packaging test builds from this tree.
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX=/usr "${launcher[@]}"
cmake --build "$build_dir" -j "$jobs"

export QT_QPA_PLATFORM=offscreen
cd "$build_dir"
ctest --output-on-failure --timeout 600 -j "$jobs" "$@"
