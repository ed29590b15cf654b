#!/bin/sh
# Offline checks of the compose stack (no Docker engine needed):
#   - docker compose / docker-compose config with compose/.env.example, and with an .env made
#     by make-env.sh (no CHANGE_ME left);
#   - the Grafana provisioning YAML parses;
#   - the dashboard JSON parses, every panel has raw InfluxQL targets (rawQuery: true and a
#     query string) using $timeFilter, and the job/host template variables exist;
#   - the shell scripts parse.
# Usage: compose/validate.sh   (needs python3, and docker-compose or the docker compose plugin)
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
cd "$dir"

if docker compose version >/dev/null 2>&1; then
    compose() { docker compose "$@"; }
elif command -v docker-compose >/dev/null; then
    compose() { docker-compose "$@"; }
else
    echo "validate.sh: neither 'docker compose' nor docker-compose found (apt-get install docker-compose)" >&2
    exit 1
fi

echo "== compose config with .env.example"
compose -f docker-compose.yml --env-file .env.example config -q

echo "== make-env.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp make-env.sh .env.example "$tmp/"
"$tmp/make-env.sh" >/dev/null
if grep -v "^#" "$tmp/.env" | grep -q CHANGE_ME; then
    echo "validate.sh: make-env.sh left CHANGE_ME placeholders" >&2
    exit 1
fi
[ "$(stat -c %a "$tmp/.env")" = 600 ] || { echo "validate.sh: .env is not mode 600" >&2; exit 1; }
compose -f docker-compose.yml --env-file "$tmp/.env" config -q

echo "== mosquitto ACL"
# The secure settings name the shipped ACL where the compose file mounts it.
grep -q "^#*acl_file /mosquitto/config/acl.conf$" mosquitto/mosquitto.conf ||
    { echo "validate.sh: mosquitto.conf does not name /mosquitto/config/acl.conf" >&2; exit 1; }
grep -q "greenpulse-acl.conf:/mosquitto/config/acl.conf:ro" docker-compose.yml ||
    { echo "validate.sh: docker-compose.yml does not mount the ACL" >&2; exit 1; }
grep -q "^pattern write greenpulse/control/%u$" ../packaging/mosquitto/greenpulse-acl.conf ||
    { echo "validate.sh: the ACL lost its per-user control pattern" >&2; exit 1; }

echo "== shell scripts"
for script in influxdb/init-dbrp.sh make-env.sh validate.sh; do
    sh -n "$script"
    [ -x "$script" ] || { echo "validate.sh: $script is not executable" >&2; exit 1; }
done

echo "== Grafana provisioning and dashboard"
python3 - <<'EOF'
import json
import re
import sys

errors = []

try:
    import yaml
except ImportError:
    yaml = None
    print("python3-yaml not installed: provisioning YAML not parsed")
if yaml:
    for path in ("grafana/provisioning/datasources/greenpulse-influxdb.yaml",
                 "grafana/provisioning/dashboards/greenpulse.yaml"):
        with open(path) as f:
            doc = yaml.safe_load(f)
        if doc.get("apiVersion") != 1:
            errors.append(f"{path}: apiVersion must be 1")
    with open("grafana/provisioning/datasources/greenpulse-influxdb.yaml") as f:
        ds = yaml.safe_load(f)["datasources"][0]
    if ds["jsonData"].get("version") != "InfluxQL" or ds["jsonData"].get("dbName") != "greenpulse":
        errors.append("data source: expected InfluxQL and database greenpulse")
    if "Token ${" not in ds["secureJsonData"]["httpHeaderValue1"]:
        errors.append("data source: Authorization header must come from the environment")

with open("grafana/dashboards/greenpulse.json") as f:
    dash = json.load(f)

variables = {v["name"]: v for v in dash["templating"]["list"]}
for name, measurement in (("job", "environmental_footprint"), ("host", "host_telemetry")):
    v = variables.get(name)
    if not v:
        errors.append(f"template variable ${name} missing")
    elif measurement not in v["query"] or not v["query"].startswith("SHOW TAG VALUES"):
        errors.append(f"template variable ${name}: unexpected query {v['query']!r}")

def panels(items):
    for p in items:
        yield p
        yield from panels(p.get("panels", []))

count = 0
for p in panels(dash["panels"]):
    if p["type"] == "row":
        continue
    title = p.get("title", p["id"])
    targets = p.get("targets", [])
    if not targets:
        errors.append(f"panel {title!r}: no targets")
    for t in targets:
        count += 1
        query = t.get("query")
        if t.get("rawQuery") is not True or not isinstance(query, str) or not query.strip():
            errors.append(f"panel {title!r} target {t.get('refId')}: not a raw InfluxQL query")
            continue
        if "$timeFilter" not in query:
            errors.append(f"panel {title!r}: query without $timeFilter: {query}")
        if "GROUP BY time(" in query and "$__interval" not in query:
            errors.append(f"panel {title!r}: GROUP BY time without $__interval: {query}")
        if "environmental_footprint" in query or "job_events" in query:
            if "/^$job$/" not in query:
                errors.append(f"panel {title!r}: query ignores $job: {query}")
        if "host_telemetry" in query and "/^$host$/" not in query:
            errors.append(f"panel {title!r}: query ignores $host: {query}")
        # Every query names its measurement, so none shows the writers' heartbeats
        # (greenpulse_writer, core/influx/WriterLease.h) by accident.
        measurements = re.findall(r'FROM\s+"([^"]+)"', query)
        if not measurements or "greenpulse_writer" in measurements or "FROM /" in query:
            errors.append(f"panel {title!r}: query must name its measurement(s): {query}")

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print(f"dashboard OK: {count} raw InfluxQL queries")
EOF
echo "validate.sh: OK"
