#!/bin/sh
# Builds the GreenPulse .deb from a configured build tree and checks it end to end:
#   cpack -G DEB, lintian (fails on errors only), desktop-file-validate, appstreamcli,
#   apt-get install, systemd-analyze verify on the installed units, every program's --version,
#   the system user and state directory, the host agent's RAPL access (the greenpulse group, the
#   tmpfiles rule applied to a sysfs-shaped tree, the agent reading it as greenpulse), then
#   apt-get purge and a check that it cleaned up.
#
# Usage: packaging/test-deb.sh BUILD_DIR
#   Needs root (or sudo) for apt-get. Tools: cpack, lintian, desktop-file-utils, appstream,
#   help2man (man pages), systemd (systemd-analyze; optional), dpkg-dev (dpkg-shlibdeps).
# Environment:
#   GREENPULSE_TEST_DEB_LENIENT=1  report programs whose --version does not work yet (stubs)
#                                  and placeholder man pages as warnings instead of failures.
#   GREENPULSE_TEST_DEB_KEEP=1     leave the package installed at the end.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
LENIENT=${GREENPULSE_TEST_DEB_LENIENT:-0}
FAILED=0

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; FAILED=1; }
soft_fail() {
    if [ "$LENIENT" = 1 ]; then printf 'WARNING: %s\n' "$*" >&2; else fail "$*"; fi
}
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
    echo "test-deb.sh: needs root or passwordless sudo to install the package: skipped" >&2
    exit 77
fi

[ -f "$BUILD/CMakeCache.txt" ] || { echo "$BUILD is not a configured CMake build tree" >&2; exit 2; }

# No reconfigure: the package installs under /usr (with /etc and /lib/systemd/system) whatever
# CMAKE_INSTALL_PREFIX this tree was configured with (packaging/CMakeLists.txt).
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
echo "build tree $BUILD (CMAKE_INSTALL_PREFIX=$prefix)"

say "Building (executables, man pages, changelog)"
cmake --build "$BUILD" --parallel "${CMAKE_BUILD_PARALLEL_LEVEL:-2}"

say "cpack -G DEB"
OUT="$BUILD/deb"
rm -rf "$OUT"
(cd "$BUILD" && cpack -G DEB -B "$OUT")
DEB=$(ls "$OUT"/greenpulse_*.deb)
echo "$DEB"
dpkg-deb --info "$DEB"
dpkg-deb --contents "$DEB"

say "Layout: /usr, /etc and /lib/systemd/system only"
contents=$(dpkg-deb --contents "$DEB" | awk '{print $NF}')
stray=$(printf '%s\n' "$contents" | grep -Ev '^\./(usr/|etc/|lib/$|lib/systemd/$|lib/systemd/system/|$)' || true)
[ -z "$stray" ] || fail "files outside /usr, /etc and /lib/systemd/system: $stray"
printf '%s\n' "$contents" | grep -q '^\./usr/local' && fail "files under /usr/local"
for unit in greenpulse-processor greenpulse-host-agent greenpulse-sensor-sim greenpulse-grid; do
    printf '%s\n' "$contents" | grep -qx "\./lib/systemd/system/$unit.service" ||
        fail "$unit.service not in /lib/systemd/system"
done
printf '%s\n' "$contents" | grep -qx '\./usr/lib/tmpfiles.d/greenpulse-rapl.conf' ||
    fail "the RAPL tmpfiles rule is not in /usr/lib/tmpfiles.d"
unpacked="$OUT/unpacked"
dpkg-deb -x "$DEB" "$unpacked"
for unit in "$unpacked"/lib/systemd/system/greenpulse-*.service; do
    grep -q '^ExecStart=/usr/bin/greenpulse-' "$unit" || fail "$(basename "$unit"): ExecStart not in /usr/bin"
    grep -q '^EnvironmentFile=-/etc/default/greenpulse$' "$unit" ||
        fail "$(basename "$unit"): EnvironmentFile not /etc/default/greenpulse"
    grep -q '^Environment=GREENPULSE_CONFIG=/etc/greenpulse/greenpulse.conf$' "$unit" ||
        fail "$(basename "$unit"): GREENPULSE_CONFIG not /etc/greenpulse/greenpulse.conf"
done

# The host agent reads RAPL as the greenpulse group, through the tmpfiles rule (applied before each
# start too), with no capability; its power source is its default, auto (docs/power-sources.md).
agent_unit="$unpacked/lib/systemd/system/greenpulse-host-agent.service"
for line in 'User=greenpulse' 'Group=greenpulse' 'CapabilityBoundingSet=' \
            'ExecStartPre=-+/usr/bin/systemd-tmpfiles --create greenpulse-rapl.conf'; do
    grep -qxF "$line" "$agent_unit" || fail "greenpulse-host-agent.service: no line $line"
done
grep -q '^AmbientCapabilities=' "$agent_unit" && fail "greenpulse-host-agent.service grants capabilities"
grep -q '^ExecStart=.*--source' "$agent_unit" && fail "greenpulse-host-agent.service forces a --source"
grep -qx 'z /sys/class/powercap/intel-rapl:\*/energy_uj 0440 root greenpulse -' \
    "$unpacked/usr/lib/tmpfiles.d/greenpulse-rapl.conf" || fail "greenpulse-rapl.conf: not the rule expected"

say "lintian (errors fail, warnings are reported)"
# Lintian refuses nothing when run as root but says so; keep its output, judge by its exit code.
if command -v lintian >/dev/null; then
    if ! lintian --fail-on error --display-info --tag-display-limit 0 "$DEB"; then
        fail "lintian reported errors"
    fi
else
    fail "lintian not installed (apt-get install lintian)"
fi

say "desktop-file-validate / appstreamcli validate"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$SRC/packaging/greenpulse.desktop" || fail "desktop-file-validate"
else
    fail "desktop-file-validate not installed (apt-get install desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$SRC/packaging/io.greenpulse.GreenPulse.metainfo.xml" ||
        fail "appstreamcli validate"
else
    echo "appstreamcli not installed: skipped (apt-get install appstream)"
fi

say "apt-get install"
cleanup() {
    if [ "${GREENPULSE_TEST_DEB_KEEP:-0}" != 1 ] && dpkg -s greenpulse >/dev/null 2>&1; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y greenpulse >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$DEB"

say "Installed files"
version=$(dpkg-query -W -f '${Version}' greenpulse)
upstream=${version%-*}
echo "greenpulse $version"
for f in /etc/greenpulse/greenpulse.conf /etc/default/greenpulse \
         /usr/share/doc/greenpulse/copyright /usr/share/doc/greenpulse/changelog.Debian.gz; do
    [ -f "$f" ] || fail "$f missing"
done
for f in /usr/lib/greenpulse/slurm/greenpulse-slurm-prolog \
         /usr/lib/greenpulse/slurm/greenpulse-slurm-epilog; do # docs/slurm.md
    [ -x "$f" ] || fail "$f missing or not executable"
done
[ -f /usr/share/doc/greenpulse/examples/slurm.conf.greenpulse ] || fail "slurm.conf snippet missing"
getent passwd greenpulse >/dev/null || fail "system user greenpulse missing"
owner=$(stat -c %U:%G /var/lib/greenpulse 2>/dev/null || echo none)
[ "$owner" = greenpulse:greenpulse ] || fail "/var/lib/greenpulse owned by $owner"
[ "$(id -gn greenpulse 2>/dev/null)" = greenpulse ] || fail "user greenpulse's group is not greenpulse"

say "Host agent: RAPL through the tmpfiles rule, source auto"
rule=/usr/lib/tmpfiles.d/greenpulse-rapl.conf
[ -f "$rule" ] || fail "$rule missing"
if [ -f "$rule" ] && [ -x /usr/bin/greenpulse-host-agent ]; then
    # The rule on a sysfs-shaped tree; the agent, as greenpulse, reads the counters after it.
    "$SRC/tests/scripts/test-rapl-tmpfiles.sh" "$rule" /usr/bin/greenpulse-host-agent greenpulse ||
        fail "the RAPL tmpfiles rule does not let the greenpulse group read the counters"
    source=$(runuser -u greenpulse -- env GREENPULSE_CONFIG=/etc/greenpulse/greenpulse.conf \
        /usr/bin/greenpulse-host-agent --print-config 2>&1 | sed -n 's/^source=//p')
    echo "source as the unit runs it: $source"
    case "$source" in
        "auto  (default)") ;;
        *) fail "the host agent's source under the unit is '$source', expected auto (default)" ;;
    esac
fi
perm=$(stat -c %a /etc/default/greenpulse 2>/dev/null || echo none)
[ "$perm" = 600 ] || fail "/etc/default/greenpulse has mode $perm, expected 600"

say "Programs: --version"
for exe in greenpulse greenpulse-processor greenpulse-sensor-sim greenpulse-host-agent greenpulse-job greenpulse-grid; do
    path=/usr/bin/$exe
    if [ ! -x "$path" ]; then
        if [ "$exe" = greenpulse ]; then
            echo "$exe: not packaged (GREENPULSE_BUILD_GUI=OFF)"
            continue
        fi
        fail "$path missing"
        continue
    fi
    if out=$(QT_QPA_PLATFORM=offscreen timeout 20 "$path" --version 2>&1); then
        # Qt may log to stderr first (e.g. XDG_RUNTIME_DIR): show the last line only.
        echo "$exe --version: $(printf '%s\n' "$out" | tail -n 1)"
        case "$out" in
            *"$upstream"*) ;;
            *) soft_fail "$exe --version does not print $upstream" ;;
        esac
    else
        soft_fail "$exe --version failed: $out"
    fi
    page=/usr/share/man/man1/$exe.1.gz
    if [ ! -f "$page" ]; then
        soft_fail "$page missing (help2man not installed at build time?)"
    elif zcat "$page" | grep -q greenpulse-placeholder-man-page; then
        soft_fail "$page is a placeholder: help2man could not run $exe --help"
    fi
done

say "systemd-analyze verify"
if command -v systemd-analyze >/dev/null; then
    for unit in /lib/systemd/system/greenpulse-*.service; do
        [ -f "$unit" ] || { fail "no greenpulse systemd units installed"; break; }
        # verify warns about things outside our units (e.g. no running systemd in a container);
        # only messages naming our units count.
        log=$(systemd-analyze verify "$unit" 2>&1) || true
        mine=$(printf '%s\n' "$log" | grep -i 'greenpulse' || true)
        if [ -n "$mine" ]; then
            printf '%s\n' "$mine"
            fail "systemd-analyze verify $(basename "$unit")"
        else
            echo "$(basename "$unit"): OK"
        fi
    done
else
    echo "systemd-analyze not installed: skipped (apt-get install systemd)"
fi

if [ "${GREENPULSE_TEST_DEB_KEEP:-0}" = 1 ]; then
    say "Package left installed (GREENPULSE_TEST_DEB_KEEP=1)"
else
    say "apt-get purge"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y greenpulse
    ! getent passwd greenpulse >/dev/null || fail "purge left the greenpulse user"
    ! getent group greenpulse >/dev/null || fail "purge left the greenpulse group"
    [ ! -e /usr/lib/tmpfiles.d/greenpulse-rapl.conf ] || fail "purge left the RAPL tmpfiles rule"
    [ ! -e /var/lib/greenpulse ] || fail "purge left /var/lib/greenpulse"
    [ ! -e /etc/greenpulse ] || fail "purge left /etc/greenpulse"
    [ ! -e /usr/bin/greenpulse-processor ] || fail "purge left /usr/bin/greenpulse-processor"
fi

if [ "$FAILED" != 0 ]; then
    say "test-deb: FAILED"
    exit 1
fi
say "test-deb: OK ($DEB)"
