// What a node is told about a peer: its public key, preshared key, AllowedIPs and access rules (expiry,
// schedule: lifecycle/peer-access.ts). AllowedIPs on the server are always host routes (/32, /128)
// built from the peer's addresses — never the stored text as written — so a peer can never be handed a
// whole subnet by mistake.
import { formatCidr, hostRoute, type PeerSpec, parseCidr, ValidationError } from "@wgfleet/core";
import { type PeerAccessColumns, peerAccessOf } from "../lifecycle/peer-access.js";
import type { SecretBox } from "../secrets/index.js";
import type { PeerSpecRow } from "./interface.repository.js";

/** The peer's addresses (JSON array text) as server-side AllowedIPs: one host route each. */
export function serverAllowedIps(addressesJson: string): string[] {
  const parsed: unknown = JSON.parse(addressesJson);
  if (!Array.isArray(parsed)) throw new ValidationError("addresses", "stored addresses are not a list");
  return parsed.map((text) => formatCidr(hostRoute(parseCidr(String(text), "addresses").address)));
}

export function peerSpecOf(
  row: Pick<PeerSpecRow, "public_key" | "preshared_key_enc" | "addresses"> & PeerAccessColumns,
  secrets: SecretBox,
): PeerSpec {
  const spec: PeerSpec = { publicKey: row.public_key, allowedIps: serverAllowedIps(row.addresses) };
  if (row.preshared_key_enc) spec.presharedKey = secrets.decrypt(row.preshared_key_enc);
  const access = peerAccessOf(row);
  if (access) spec.access = access;
  return spec;
}
