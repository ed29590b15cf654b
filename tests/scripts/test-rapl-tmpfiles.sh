#!/bin/sh
# Applies the package's tmpfiles rule for RAPL (packaging/tmpfiles/greenpulse-rapl.conf) with the
# real systemd-tmpfiles to a tree shaped like sysfs (the class folder's symlinks into
# devices/virtual/powercap, package zones, DRAM and core sub-zones, the MMIO copy, a psys zone;
# every energy_uj root-only, mode 0400, as Linux 5.10+ leaves it) and checks that every zone's
# energy_uj, sub-zones included, became 0440 root:GROUP, that the MMIO copy was left alone, and
# that nothing became world-readable. With AGENT, greenpulse-host-agent --list-sources run as the
# user of that group (not root) says the zones are readable by root only before the rule, and
# usable after it.
#
# Usage: tests/scripts/test-rapl-tmpfiles.sh RULE [AGENT|- [GROUP]]
#   RULE   the rule file (the source's, or the installed /usr/lib/tmpfiles.d/greenpulse-rapl.conf)
#   AGENT  greenpulse-host-agent, or - to skip that check
#   GROUP  the group the rule names, which must exist, and its user (packaging/test-deb.sh:
#          greenpulse, created by the package). Without it, the rule's group is replaced by the
#          daemon group and user (always there on Debian), so ctest runs it without the package.
# Needs root (chgrp to a group the caller is not in) and systemd-tmpfiles; exit 77 (skipped)
# otherwise.
set -eu

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    echo "usage: $0 RULE [AGENT|- [GROUP]]" >&2
    exit 2
fi
rule=$1
agent=${2:--}
group=${3:-}
if [ "$(id -u)" != 0 ]; then
    echo "test-rapl-tmpfiles.sh: needs root to change a file's group: skipped" >&2
    exit 77
fi
if ! command -v systemd-tmpfiles >/dev/null; then
    echo "test-rapl-tmpfiles.sh: systemd-tmpfiles not installed: skipped" >&2
    exit 77
fi
[ -f "$rule" ] || { echo "no rule file $rule" >&2; exit 2; }

tree=$(mktemp -d /tmp/greenpulse-rapl-XXXXXX)
trap 'rm -rf "$tree"' EXIT
chmod 0755 "$tree" # the agent runs as the group's user
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# The rule's lines, rooted in the tree; the group replaced unless it was given.
expected_group=${group:-daemon}
grep -v '^#' "$rule" | grep -v '^$' >"$tree/rule.raw"
[ -s "$tree/rule.raw" ] || fail "$rule has no rule"
sed -e "s# /sys/# $tree/sys/#" "$tree/rule.raw" >"$tree/rule.conf"
[ -n "$group" ] || sed -i -e 's/ greenpulse / daemon /' "$tree/rule.conf"
grep -q " $expected_group " "$tree/rule.conf" || fail "the rule does not name group $expected_group"
echo "rule: $(cat "$tree/rule.raw")"

devices=$tree/sys/devices/virtual/powercap
class=$tree/sys/class/powercap
mkdir -p "$class"
zone() { # zone PATH-UNDER-devices/virtual/powercap NAME
    mkdir -p "$devices/$1"
    echo "$2" >"$devices/$1/name"
    echo 123456 >"$devices/$1/energy_uj"
    echo 262143328850 >"$devices/$1/max_energy_range_uj"
    chown root:root "$devices/$1/energy_uj"
    chmod 0400 "$devices/$1/energy_uj"
    ln -s "../../devices/virtual/powercap/$1" "$class/$(basename "$1")"
}
zone intel-rapl/intel-rapl:0 package-0
zone intel-rapl/intel-rapl:0/intel-rapl:0:0 dram
zone intel-rapl/intel-rapl:0/intel-rapl:0:1 core
zone intel-rapl/intel-rapl:1 package-1
zone intel-rapl/intel-rapl:1/intel-rapl:1:0 dram
zone intel-rapl/intel-rapl:2 psys
zone intel-rapl-mmio/intel-rapl-mmio:0 package-0

# The agent as a user (the group's, by default), on this tree, without NVML: what it says of RAPL.
list_rapl() {
    runuser -u "${1:-$expected_group}" -- "$agent" --list-sources --config /dev/null \
        --sysfs-root "$tree" --nvml-library /nonexistent/libnvidia-ml.so.1 2>&1 | sed -n '/^rapl:/,/^[a-z]/p'
}
if [ "$agent" != - ] && ! runuser -u "$expected_group" -- test -x "$agent"; then
    echo "the agent check is skipped: user $expected_group cannot run $agent (a folder above it closed?)"
    agent=-
fi
if [ "$agent" != - ]; then
    before=$(list_rapl)
    printf 'before the rule, as %s:\n%s\n' "$expected_group" "$before"
    case "$before" in
        *"rapl: not usable"*"readable by root only"*) ;;
        *) fail "before the rule the agent did not say RAPL is readable by root only" ;;
    esac
fi

systemd-tmpfiles --create "$tree/rule.conf" || fail "systemd-tmpfiles --create failed"

if [ "$agent" != - ]; then
    after=$(list_rapl)
    printf 'after the rule, as %s:\n%s\n' "$expected_group" "$after"
    case "$after" in
        *"rapl: usable (package-0, dram-0, package-1, dram-1)"*) ;;
        *) fail "after the rule the agent cannot read RAPL as $expected_group" ;;
    esac
    # A user outside the group is told which group may read the counters.
    outside=$(list_rapl nobody)
    case "$outside" in
        *"rapl: not usable"*"readable by root and group $expected_group only"*) ;;
        *) fail "as nobody the agent did not name group $expected_group: $outside" ;;
    esac
fi

for z in intel-rapl:0 intel-rapl:0:0 intel-rapl:0:1 intel-rapl:1 intel-rapl:1:0 intel-rapl:2; do
    got=$(stat -L -c '%a %U:%G' "$class/$z/energy_uj")
    [ "$got" = "440 root:$expected_group" ] || fail "$z/energy_uj is $got, expected 440 root:$expected_group"
done
got=$(stat -L -c '%a %U:%G' "$class/intel-rapl-mmio:0/energy_uj")
[ "$got" = "400 root:root" ] || fail "intel-rapl-mmio:0/energy_uj changed to $got"
world=$(find "$devices" -name energy_uj -perm /o=r)
[ -z "$world" ] || fail "world-readable: $world"

if [ "$failed" != 0 ]; then
    ls -lR "$devices" >&2
    exit 1
fi
echo "test-rapl-tmpfiles: OK (every RAPL zone's energy_uj 0440 root:$expected_group, MMIO untouched)"
