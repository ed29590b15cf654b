#!/bin/sh
# Run once by the influxdb:2.x image after its initial setup (mounted in
# /docker-entrypoint-initdb.d). Maps the InfluxDB 1.x database/retention policy
# greenpulse/autogen to the bucket made by DOCKER_INFLUXDB_INIT_BUCKET, so InfluxQL queries
# (Grafana's dashboard, greenpulse --influx-api v1 readers) work on InfluxDB 2.x.
# The influx CLI is already configured with the admin token by the image's entrypoint.
set -eu

case "${DOCKER_INFLUXDB_INIT_ADMIN_TOKEN:-}${DOCKER_INFLUXDB_INIT_PASSWORD:-}" in
*CHANGE_ME*)
    echo "init-dbrp.sh: compose/.env still holds CHANGE_ME placeholder secrets;" >&2
    echo "init-dbrp.sh: run compose/make-env.sh (or edit compose/.env), then" >&2
    echo "init-dbrp.sh: docker compose down -v && docker compose up -d" >&2
    exit 1
    ;;
esac

db="${GREENPULSE_INFLUX_DB:-greenpulse}"
echo "init-dbrp.sh: mapping database ${db}/autogen to bucket ${DOCKER_INFLUXDB_INIT_BUCKET} (${DOCKER_INFLUXDB_INIT_BUCKET_ID})"
influx v1 dbrp create \
    --org "${DOCKER_INFLUXDB_INIT_ORG}" \
    --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
    --db "${db}" \
    --rp autogen \
    --default
