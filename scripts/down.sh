#!/usr/bin/env bash
# npm run down: stop the services and the mail sink, then the local broker.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d node_modules ] && SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/dev/down.ts
bash tools/kafka/kafka.sh stop
