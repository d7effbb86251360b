#!/bin/sh
# Runs the command as the user wgfleet. Started as root (the image's default), it keeps CAP_NET_ADMIN
# for that user as an ambient capability when the container was given it (--cap-add NET_ADMIN): the
# local node's `ip`, `wg` and wireguard-go inherit it, as under the systemd unit's AmbientCapabilities.
# Every other capability is dropped. Started as another user already (--user), it runs the command as is.
set -eu

if [ "$(id -u)" != 0 ]; then
  exec "$@"
fi

# The volume may be a fresh host directory owned by root; /run may be a fresh tmpfs (wireguard-go's
# sockets go to /var/run/wireguard).
chown wgfleet:wgfleet /var/lib/wgfleet || echo "cannot give /var/lib/wgfleet to the user wgfleet (uid 10086)" >&2
install -d -o wgfleet -g wgfleet -m 0755 /var/run/wireguard
export HOME=/var/lib/wgfleet

# CAP_NET_ADMIN is bit 12 of the effective set.
effective=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
if [ $((0x$effective >> 12 & 1)) = 1 ]; then
  # wireguard-go opens the TUN device: the one the engine made in the container (--device) is often
  # root's alone (mode 0600 where the host has no udev rule), so the user's group gets it too.
  if [ -c /dev/net/tun ]; then
    chgrp wgfleet /dev/net/tun 2>/dev/null && chmod g+rw /dev/net/tun 2>/dev/null || true
  fi
  exec setpriv --reuid wgfleet --regid wgfleet --init-groups \
    --inh-caps=-all,+net_admin --ambient-caps=-all,+net_admin --bounding-set=-all,+net_admin -- "$@"
fi
echo "no CAP_NET_ADMIN: the local node cannot manage WireGuard (run with --cap-add NET_ADMIN, or use --no-local)" >&2
exec setpriv --reuid wgfleet --regid wgfleet --init-groups --inh-caps=-all --bounding-set=-all -- "$@"
