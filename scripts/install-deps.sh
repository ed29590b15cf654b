#!/usr/bin/env bash
# Installs the Debian 12 packages listed in scripts/deps.txt that are not installed yet.
# Usage: scripts/install-deps.sh            (uses sudo when not root)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/deps.txt" | grep -v '^$')
missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#wanted[@]} packages are installed"
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# Packaged services (mosquitto, influxdb) must not grab the default ports of a CI machine or
# container without an init system; on a desktop with systemd they start as usual.
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
