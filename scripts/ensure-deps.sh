#!/usr/bin/env bash
# Installs what a fresh clone lacks: npm packages (from the lock file) and the Kafka jars.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

command -v node >/dev/null || { echo "node not found: install Node.js 20.19 or newer" >&2; exit 1; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm packages (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
bash tools/kafka/kafka.sh fetch

# The deploy checks (npm test) validate docker-compose.yml with Debian's docker-compose, which
# needs no Docker engine for that, and render k8s/ with kubectl kustomize. Missing either only
# warns here, so `npm run up` works without them; the checks then fail naming the tool.
if ! command -v docker-compose >/dev/null; then
  echo "installing docker-compose (Debian package, for the deploy checks)..." >&2
  sudo=; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } >/dev/null 2>&1 \
    || echo "could not install docker-compose; the deploy checks need it (Debian package docker-compose)" >&2
fi
command -v kubectl >/dev/null || echo "kubectl not found; the deploy checks need it (kubectl kustomize)" >&2
