#!/usr/bin/env bash
# The README's start command: on a fresh Debian machine as root, installs what is missing (Debian
# packages wireguard-tools, wireguard-go, iproute2; npm packages from the lock file), builds, and runs
# the dashboard on 127.0.0.1:10086 with SQLite under ./data. The dashboard prints where to log in and,
# on first start, the file that holds the admin password (./data/initial-admin-password, until it is
# changed). Extra arguments go to `wgfleet serve`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

if [ "$(id -u)" = 0 ]; then
  ensure_debian_packages wg:wireguard-tools wg-quick:wireguard-tools wireguard-go:wireguard-go ip:iproute2
else
  echo "not root: skipping the Debian packages; the local WireGuard node will show as unavailable" >&2
fi
ensure_npm_packages
npm run -s build

exec packages/dashboard/bin/wgfleet.js serve --listen 127.0.0.1:10086 --data-dir ./data "$@"
