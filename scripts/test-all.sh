#!/usr/bin/env bash
# npm test: the whole suite, as CI runs it. Typecheck, lint (with the dependency rules), unit
# specs, then tests over real servers: a broker of its own on port 19092 with fresh storage,
# fresh databases on the local PostgreSQL, and the platform's own SMTP sink.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=true
export KAFKA_PORT=${TEST_KAFKA_PORT:-19092}
export KAFKA_DATA_DIR="$root/.local/kafka-test"
export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"

bash scripts/ensure-deps.sh

echo "== typecheck"
npx tsc -p tsconfig.base.json --noEmit
echo "== lint"
npx nx run-many -t lint --outputStyle=static
echo "== deploy files: images, docker-compose.yml, k8s/ (no Docker engine or cluster needed)"
npx nx run deploy:check --outputStyle=static
echo "== unit tests"
npx nx run-many -t test --outputStyle=static --parallel=2

echo "== test broker on 127.0.0.1:$KAFKA_PORT (fresh storage)"
bash tools/kafka/kafka.sh stop >/dev/null
rm -rf "$KAFKA_DATA_DIR"
bash tools/kafka/kafka.sh start
trap 'bash tools/kafka/kafka.sh stop >/dev/null' EXIT

echo "== integration tests (real PostgreSQL, Kafka, SMTP)"
npx nx run-many -t int --outputStyle=static --parallel=1
echo "== end-to-end tests (the whole platform)"
npx nx run-many -t e2e --outputStyle=static --parallel=1
echo "== short chaos run (500 signups under faults; its own broker on 16092, PostgreSQL server and SMTP sink)" && npm run --silent chaos -- --short
echo "== short slow-clients run (100 slow keyless connections beside 50 signups/s for 15 s; the accounts service alone)" && npm run --silent chaos:slow-clients -- --seconds 15 --slow 100
echo "== end-to-end test over SASL/SCRAM + TLS (a secure broker of its own on 127.0.0.1:${TEST_SECURE_KAFKA_PORT:-18092})"
npx nx run platform-e2e:e2e-secure --outputStyle=static
echo "== all tests passed"
