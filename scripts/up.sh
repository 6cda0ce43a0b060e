#!/usr/bin/env bash
# npm run up: install what is missing, start Kafka, then the mail sink and the five services.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/ensure-deps.sh
bash tools/kafka/kafka.sh start
SWC_NODE_PROJECT=tsconfig.base.json exec node -r @swc-node/register tools/dev/up.ts
