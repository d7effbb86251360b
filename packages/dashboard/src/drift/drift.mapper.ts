// The drift report as it leaves the dashboard: public keys, addresses, revisions and times, listed
// field by field. A stray's preshared key (read to adopt it) never appears here.
import type { Health, NodeDriftDto, PeerSpec } from "@wgfleet/core";
import type { InterfaceRow } from "../interfaces/interface.repository.js";
import type { NodeRow } from "../nodes/node.repository.js";
import { sightingKey } from "./drift-sighting.repository.js";

/** What the node reported; empty when it has never answered. */
export type DriftObservation = Pick<Health, "interfaces" | "strayInterfaces">;

export interface DriftFacts {
  row: NodeRow;
  health: DriftObservation;
  interfaces: InterfaceRow[];
  /** Interface name → its configuration's name. */
  configurations: Map<string, string>;
  strayDetails: Map<string, PeerSpec[]>;
  missingNames: Map<string, Map<string, { id: string; name: string }>>;
  firstSeen: Map<string, string>;
  checkedAt: string | null;
  stale: boolean;
}

export function toNodeDriftDto(facts: DriftFacts): NodeDriftDto {
  const { health, firstSeen, checkedAt } = facts;
  const since = (kind: Parameters<typeof sightingKey>[0]["kind"], interfaceName: string, subject: string) =>
    firstSeen.get(sightingKey({ kind, interfaceName, subject })) ?? checkedAt ?? "";
  const interfaces = facts.interfaces.map((iface) => {
    const reported = health.interfaces.find((i) => i.name === iface.name);
    const lastRepair = reported?.lastRepairAt;
    return {
      interface: iface.name,
      configuration: facts.configurations.get(iface.name) ?? "",
      desiredRevision: Number(iface.revision),
      appliedRevision: reported ? reported.revision : null,
      lastRepairAt: typeof lastRepair === "number" ? new Date(lastRepair).toISOString() : null,
    };
  });
  const applied = interfaces.filter((i) => i.appliedRevision !== null);
  const desiredRevision = interfaces.reduce((sum, i) => sum + i.desiredRevision, 0);
  const appliedRevision =
    applied.length === 0 ? null : applied.reduce((sum, i) => sum + (i.appliedRevision ?? 0), 0);
  const strayPeers = health.interfaces.flatMap((iface) => {
    const details = new Map((facts.strayDetails.get(iface.name) ?? []).map((p) => [p.publicKey, p]));
    return iface.strayPeers.map((publicKey) => ({
      interface: iface.name,
      publicKey,
      allowedIps: details.get(publicKey)?.allowedIps ?? [],
      endpoint: details.get(publicKey)?.endpoint ?? null,
      firstSeenAt: since("stray-peer", iface.name, publicKey),
    }));
  });
  const missingPeers = health.interfaces.flatMap((iface) =>
    (iface.missingPeers ?? []).map((publicKey) => {
      const known = facts.missingNames.get(iface.name)?.get(publicKey);
      return {
        interface: iface.name,
        publicKey,
        peerId: known?.id ?? null,
        name: known?.name ?? null,
        firstSeenAt: since("missing-peer", iface.name, publicKey),
      };
    }),
  );
  const strayInterfaces = (health.strayInterfaces ?? []).map((name) => ({
    name,
    firstSeenAt: since("stray-interface", name, ""),
  }));
  const repairs = interfaces.map((i) => i.lastRepairAt).filter((t): t is string => t !== null);
  return {
    node: facts.row.id,
    policy: facts.row.drift_policy === "report" ? "report" : "repair",
    desiredRevision,
    appliedRevision,
    inSync:
      checkedAt !== null &&
      interfaces.every((i) => i.appliedRevision === i.desiredRevision) &&
      strayPeers.length === 0 &&
      missingPeers.length === 0 &&
      strayInterfaces.length === 0,
    interfaces,
    strayPeers,
    strayInterfaces,
    missingPeers,
    lastRepairAt: repairs.length > 0 ? (repairs.sort().at(-1) ?? null) : null,
    checkedAt,
    stale: facts.stale,
  };
}
