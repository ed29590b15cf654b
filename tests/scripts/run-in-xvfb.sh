#!/bin/sh
# Runs a command in a private X server: Xvfb with one screen of the given size, on a display
# number Xvfb picks itself (-displayfd, so parallel ctest runs never collide), no TCP, a fresh
# MIT cookie; the command gets DISPLAY, XAUTHORITY and QT_QPA_PLATFORM=xcb.
#
#   run-in-xvfb.sh WIDTHxHEIGHT COMMAND [ARG...]
#
# Exits with the command's status, or 77 (ctest's SKIP_RETURN_CODE) when Xvfb is not installed.
set -eu

if [ $# -lt 2 ]; then
    echo "usage: $0 WIDTHxHEIGHT COMMAND [ARG...]" >&2
    exit 2
fi
size=$1
shift
case $size in
*[!0-9x]* | x* | *x | *x*x*) echo "$0: bad size '$size' (want e.g. 1280x720)" >&2; exit 2 ;;
esac
if ! command -v Xvfb >/dev/null 2>&1; then
    echo "Xvfb is not installed (scripts/deps.txt: xvfb): skipped"
    exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/greenpulse-xvfb.XXXXXX")
xvfb_pid=
cleanup() {
    if [ -n "$xvfb_pid" ]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# The server reads every cookie of its -auth file whatever the display; the client looks up its
# display's, added once the number is known.
auth=
if command -v xauth >/dev/null 2>&1; then
    auth=$dir/Xauthority
    cookie=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    : >"$auth"
    xauth -q -f "$auth" add :0 . "$cookie"
fi

Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp ${auth:+-auth "$auth"} \
    3>"$dir/display" 2>"$dir/xvfb.log" &
xvfb_pid=$!
i=0
while [ ! -s "$dir/display" ]; do
    if ! kill -0 "$xvfb_pid" 2>/dev/null || [ $i -ge 100 ]; then
        echo "$0: Xvfb did not start:" >&2
        cat "$dir/xvfb.log" >&2
        exit 1
    fi
    sleep 0.1
    i=$((i + 1))
done
display=:$(tr -d ' \n' <"$dir/display")
if [ -n "$auth" ]; then
    xauth -q -f "$auth" add "$display" . "$cookie"
fi

status=0
env -u WAYLAND_DISPLAY DISPLAY="$display" ${auth:+XAUTHORITY="$auth"} QT_QPA_PLATFORM=xcb \
    "$@" || status=$?
exit $status
