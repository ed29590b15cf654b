#!/usr/bin/env bash
# Builds the libFuzzer target fuzz_decode with clang (ASan + UBSan) in build-fuzz/ and runs it.
#   scripts/run-fuzz.sh [seconds]      default 30
# Exits non-zero when the fuzzer finds a crash, a sanitizer report or a broken invariant; the
# reproducer (crash-*, leak-*, timeout-*) is left in build-fuzz/fuzz-artifacts/.
set -euo pipefail

seconds="${1:-30}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 [seconds]" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GREENPULSE_FUZZ_BUILD_DIR:-$root/build-fuzz}"
jobs="${GREENPULSE_FUZZ_JOBS:-2}"

generator=()
if command -v ninja >/dev/null 2>&1; then
    generator=(-G Ninja)
fi
launcher=()
if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

CC=clang CXX=clang++ cmake -S "$root" -B "$build" "${generator[@]}" "${launcher[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGREENPULSE_BUILD_FUZZ=ON \
    -DGREENPULSE_BUILD_GUI=OFF \
    -DGREENPULSE_BUILD_TESTS=OFF \
    -DGREENPULSE_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzz_decode -j "$jobs"

fuzzer="$build/bin/fuzz_decode"
seeds="$build/fuzz-seeds"
corpus="$build/fuzz-corpus"
artifacts="$build/fuzz-artifacts"
mkdir -p "$seeds" "$corpus" "$artifacts"
rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*

# Seed corpus: one file per example, "topic\npayload" (lines alternate topic/payload).
seed() { printf '%s\n%s' "$2" "$3" >"$seeds/$1"; }
job='Initial_Model_Train_1764049200_a1b2c3'
seed power 'greenpulse/raw/power' \
    "{\"host\": \"gpu-server-01\", \"watts\": 412.35, \"job_id\": \"$job\", \"timestamp\": 1764049200.125}"
seed power-null-job 'greenpulse/raw/power' \
    '{"host": "gpu-server-01", "watts": 95.5, "job_id": null, "timestamp": 1764049200}'
seed power-per-host 'greenpulse/raw/gpu-server-02/power' '{"watts": 300, "timestamp": 1764049200125}'
seed power-ns 'greenpulse/raw/power' \
    '{"host": "h", "watts": 1, "timestamp": 1764049200123456789, "extra": [1, {"a": null}]}'
seed power-no-ts 'greenpulse/raw/power' '{"host": "h", "watts": 250}'
seed flow 'greenpulse/raw/flow_temp' \
    '{"host": "gpu-server-01", "flow_lpm": 1.234, "temp_c": 27.51, "timestamp": 1764049200.5}'
seed flow-per-host 'greenpulse/raw/gpu-server-01/flow_temp' \
    '{"flow_lpm": 2, "temp_c": -5.25, "timestamp": 1764049200125456}'
seed start 'greenpulse/control' \
    "{\"status\": \"start\", \"job_id\": \"$job\", \"timestamp\": 1764049200, \"host\": \"gpu-server-01\"}"
seed end 'greenpulse/control' \
    "{\"status\": \"end\", \"job_id\": \"$job\", \"timestamp\": 1764049260, \"exit_code\": 0}"
seed not-json 'greenpulse/raw/power' '{"host": "h", "watts": NaN}'
seed overflow 'greenpulse/raw/power' '{"host": "h", "watts": 1e999}'
seed status 'greenpulse/status/greenpulse-processor' 'online'
# A whole job: start, samples on two hosts, flow, end.
{
    printf '%s\n%s\n' greenpulse/control \
        "{\"status\":\"start\",\"job_id\":\"$job\",\"timestamp\":1764049200}"
    for t in 0 1 2 3 5 20 21; do
        printf '%s\n%s\n' greenpulse/raw/power \
            "{\"host\":\"a\",\"watts\":$((400 + t)),\"job_id\":\"$job\",\"timestamp\":$((1764049200 + t)).5}"
        printf '%s\n%s\n' greenpulse/raw/b/power "{\"watts\":$((100 + t)),\"timestamp\":$((1764049200 + t))}"
        printf '%s\n%s\n' greenpulse/raw/flow_temp \
            "{\"host\":\"a\",\"flow_lpm\":1.5,\"temp_c\":$((25 + t)),\"timestamp\":$((1764049200 + t))}"
    done
    printf '%s\n%s' greenpulse/control \
        "{\"status\":\"end\",\"job_id\":\"$job\",\"timestamp\":1764049222,\"host\":\"a\"}"
} >"$seeds/job-sequence"

echo "fuzzing fuzz_decode for ${seconds}s (corpus $corpus)"
# New inputs go to the first directory; the seeds are read only.
status=0
(cd "$artifacts" && "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds") || status=$?
if [[ $status -ne 0 ]]; then
    echo "fuzz_decode failed (exit $status); reproducers in $artifacts:" >&2
    ls -1 "$artifacts" >&2 || true
    exit "$status"
fi
echo "fuzz_decode: no crash in ${seconds}s"
