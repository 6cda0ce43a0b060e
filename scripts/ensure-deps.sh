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

# Debian packages, installed when missing. Missing one only warns here, so `npm run up` works
# without it; the checks that need it then fail naming the tool.
#   docker-compose: the deploy checks validate docker-compose.yml with it (no Docker engine needed);
#   prometheus: promtool checks and unit-tests the alert rules, and `npm run up` runs a Prometheus
#               with them over the local stack.
apt_updated=
install_debian_package() { # <command> <package> <why> [apt-get options]
  command -v "$1" >/dev/null && return 0
  echo "installing $2 (Debian package, $3)..." >&2
  local sudo=; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  { { [ -n "$apt_updated" ] || $sudo apt-get update -qq; } && apt_updated=1 \
    && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${@:4}" "$2"; } >/dev/null 2>&1 \
    || echo "could not install $2; $3 needs it (Debian package $2)" >&2
}
install_debian_package docker-compose docker-compose "the deploy checks"
# Without its recommends (node exporter, IPMI tools): only the server and promtool are used.
install_debian_package promtool prometheus "the alert-rule checks and the local Prometheus" --no-install-recommends
command -v kubectl >/dev/null || echo "kubectl not found; the deploy checks need it (kubectl kustomize)" >&2
