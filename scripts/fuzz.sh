#!/usr/bin/env bash
# npm run fuzz [-- --runs N] [--seed S]: the fuzz properties of the accounts API and the consumer
# runtime, with N cases per property instead of the suite's bounded few (default 2000), over a
# broker of its own with fresh storage and fresh databases on the local PostgreSQL. Prints the
# seed; a failure prints its counterexample and the FUZZ_SEED that replays it. See docs/reliability.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

runs=2000
seed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#*=}"; shift ;;
    --seed) seed="$2"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    *) echo "usage: npm run fuzz -- [--runs N] [--seed S]" >&2; exit 2 ;;
  esac
done
export FUZZ_RUNS="$runs"
[ -n "$seed" ] && export FUZZ_SEED="$seed"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=true

# A broker given in KAFKA_BROKERS is used as it is; otherwise one of our own, stopped at the end.
if [ -z "${KAFKA_BROKERS:-}" ]; then
  export KAFKA_PORT=${FUZZ_KAFKA_PORT:-19292}
  export KAFKA_DATA_DIR="$root/.local/kafka-fuzz"
  export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
  bash tools/kafka/kafka.sh stop >/dev/null
  rm -rf "$KAFKA_DATA_DIR"
  bash tools/kafka/kafka.sh start
  trap 'bash tools/kafka/kafka.sh stop >/dev/null; rm -rf "$KAFKA_DATA_DIR"' EXIT
fi

echo "== fuzz: $FUZZ_RUNS cases per property${FUZZ_SEED:+, seed $FUZZ_SEED}"
npx nx run-many -t fuzz --outputStyle=static --parallel=1
