// The fields of a peer that leave the service. Never a private or preshared key: only whether the
// dashboard holds them. The client config download (peer-config.ts) is the one place keys go out. The
// shape is core's PeerDto, the one the web app reads.
import type { PeerDto } from "@wgfleet/core";
import { parseSchedule, suspensionOf } from "../lifecycle/peer-access.js";
import { quotaFieldsOf } from "../lifecycle/quota.js";
import type { PeerView } from "./peer.repository.js";

export type { PeerDto };

/** A handshake within this window means the peer is online (WireGuard re-keys every 2 minutes). */
export const ONLINE_WINDOW_MS = 180_000;

export function toPeerDto(view: PeerView, configurationName: string, now: number = Date.now()): PeerDto {
  const handshake = view.latestHandshakeAt;
  return {
    id: view.id,
    name: view.name,
    description: view.description,
    contactEmail: view.contactEmail,
    configuration: configurationName,
    node: view.nodeId,
    interface: view.interfaceName,
    publicKey: view.publicKey,
    addresses: JSON.parse(view.addresses) as string[],
    enabled: Number(view.enabled) === 1,
    state: view.state,
    dns: view.dns === null ? null : (JSON.parse(view.dns) as string[]),
    clientAllowedIps: JSON.parse(view.clientAllowedIps) as string[],
    mtu: view.mtu,
    keepalive: view.keepalive,
    expiresAt: view.expiresAt,
    ...quotaFieldsOf(view),
    schedule: view.schedule === null ? null : parseSchedule(view.schedule),
    suspension: suspensionOf(view.suspensionReason, view.suspendedSince),
    hasPresharedKey: view.hasPresharedKey,
    configAvailable: view.hasPrivateKey,
    online: handshake !== null && now - Date.parse(handshake) < ONLINE_WINDOW_MS,
    rx: view.rxBytes ?? 0,
    tx: view.txBytes ?? 0,
    latestHandshake: handshake,
    endpoint: view.endpoint,
    statsUpdatedAt: view.statsUpdatedAt,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}
