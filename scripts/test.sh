#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine as root: installs what is missing, lints, builds,
# type-checks, and runs every test (unit, real SQLite and PostgreSQL, real wireguard-go in network
# namespaces).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

ensure_debian_packages \
  wg:wireguard-tools wireguard-go:wireguard-go wg-quick:wireguard-tools ip:iproute2 ping:iputils-ping \
  "$(postgres_bin_dir)/initdb:postgresql" chromium:chromium systemd-analyze:systemd promtool:prometheus \
  podman:podman buildah:buildah runc:runc debootstrap:debootstrap
ensure_npm_packages

npm run -s lint
npm run -s build
npm run -s typecheck
npx vitest run "$@"
