// The rows of a peer being created: its keys (made before placement), its `pending` row on the chosen
// interface, and the view the creation answers with (no stats yet).
import { randomUUID } from "node:crypto";
import type { CheckedCreatePeer } from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { ConfigurationRow } from "../configurations/configuration.repository.js";
import type { StableInterfaceRow } from "../interfaces/index.js";
import { freshBudget, NO_USAGE, type QuotaColumns } from "../lifecycle/quota.js";
import type { PeerRow, PeerView } from "./peer.repository.js";

/** A new peer's keys, made before placement; the preshared key in clear only for the node call. */
export interface NewPeerKeys {
  publicKey: string;
  privateKeyEnc: string | null;
  presharedKey: string | null;
  presharedKeyEnc: string | null;
}

/** The new peer's row (`pending`, no addresses yet) on the chosen interface. */
export function newPeerRow(
  input: CheckedCreatePeer,
  keys: NewPeerKeys,
  iface: StableInterfaceRow,
  configuration: ConfigurationRow,
): PeerRow {
  const now = nowIso();
  return {
    id: randomUUID(),
    interface_id: iface.id,
    name: input.name,
    description: input.description ?? null,
    contact_email: input.contactEmail ?? null,
    public_key: keys.publicKey,
    private_key_enc: keys.privateKeyEnc,
    preshared_key_enc: keys.presharedKeyEnc,
    addresses: "[]",
    client_allowed_ips: input.clientAllowedIps
      ? JSON.stringify(input.clientAllowedIps)
      : configuration.client_allowed_ips,
    dns: input.dns === undefined || input.dns === null ? null : JSON.stringify(input.dns),
    mtu: input.mtu ?? null,
    keepalive: input.keepalive ?? null,
    enabled: 1,
    expires_at: input.expiresAt ?? null,
    // The node counts the whole budget from the first byte.
    quota_budget: input.quota ? JSON.stringify(freshBudget(input.quota, NO_USAGE)) : null,
    schedule: input.schedule ? JSON.stringify(input.schedule) : null,
    suspension_reason: null,
    suspended_since: null,
    state: "pending",
    // Set by the repository that inserts it: the replica this creation runs in.
    owner_replica: null,
    created_at: now,
    updated_at: now,
  };
}

/** The view of a peer that was just created: no stats yet; its quota as newQuotaColumns made it. */
export function newPeerView(row: PeerRow, iface: StableInterfaceRow, quota: QuotaColumns): PeerView {
  return {
    id: row.id,
    interfaceId: iface.id,
    interfaceName: iface.name,
    nodeId: iface.node_id,
    configurationId: iface.configuration_id,
    name: row.name,
    description: row.description,
    contactEmail: row.contact_email,
    publicKey: row.public_key,
    hasPrivateKey: row.private_key_enc !== null,
    hasPresharedKey: row.preshared_key_enc !== null,
    addresses: row.addresses,
    clientAllowedIps: row.client_allowed_ips,
    dns: row.dns,
    mtu: row.mtu,
    keepalive: row.keepalive,
    enabled: row.enabled,
    expiresAt: row.expires_at,
    ...quota,
    schedule: row.schedule,
    suspensionReason: row.suspension_reason,
    suspendedSince: row.suspended_since,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    rxBytes: null,
    txBytes: null,
    latestHandshakeAt: null,
    endpoint: null,
    statsUpdatedAt: null,
  };
}
