#!/bin/sh
# Writes compose/.env from compose/.env.example with a fresh random value for every CHANGE_ME
# placeholder. Refuses to overwrite an existing compose/.env (delete it first).
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
env_file="$dir/.env"
if [ -e "$env_file" ]; then
    echo "make-env.sh: $env_file exists; not overwriting it" >&2
    exit 1
fi
random() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
umask 077
tmp=$(mktemp "$dir/.env.XXXXXX")
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
    \#*) ;;
    *=CHANGE_ME*) line="${line%%=*}=$(random)" ;;
    esac
    printf '%s\n' "$line"
done <"$dir/.env.example" >"$tmp"
mv "$tmp" "$env_file"
echo "make-env.sh: wrote $env_file (mode 600); Grafana login: admin / see GRAFANA_ADMIN_PASSWORD there"
