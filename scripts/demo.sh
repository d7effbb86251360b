#!/usr/bin/env bash
# `npm run demo`: a 3-node wgfleet fleet on this machine (network namespaces, real agents, real
# WireGuard) and the dashboard on 127.0.0.1:10086, with a configuration, peers and two connected
# clients. Needs root. Ctrl-C removes everything it made. Arguments go to test/fleet/demo.ts
# (`npm run demo -- --help`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

if [ "$(id -u)" != 0 ]; then
  echo "npm run demo needs root (network namespaces, WireGuard): run it as root, e.g. sudo npm run demo" >&2
  exit 1
fi
ensure_debian_packages \
  wg:wireguard-tools wireguard-go:wireguard-go wg-quick:wireguard-tools ip:iproute2 ping:iputils-ping
ensure_npm_packages

# tsc -b is incremental: this is quick when the build is up to date.
if npm run -s build; then
  export WGFLEET_FLEET_RUN_FROM=build
else
  echo "demo: npm run build failed (see above); running the agent and the dashboard from their sources instead" >&2
  export WGFLEET_FLEET_RUN_FROM=source
fi
exec node --import tsx test/fleet/demo.ts "$@"
