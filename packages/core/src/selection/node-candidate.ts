// A node as node selection sees it: counts and status, nothing about how to reach it. Which nodes may
// take a peer, and why not — shared by auto selection and by the errors of an explicit choice.

export type NodeStatus = "online" | "degraded" | "offline" | "unknown" | "unavailable";

export interface NodeCandidate {
  id: string;
  name: string;
  enabled: boolean;
  status: NodeStatus;
  /** Peers the database assigns to the node, pending included, so a burst spreads at once. */
  activePeers: number;
  /** Soft cap. */
  maxPeers: number;
  weight: number;
  poolExhausted: boolean;
}

export const LOCAL_NODE_ID = "local";

/**
 * (activePeers / maxPeers) / weight; lower is better. A node without a usable weight or cap
 * (zero, negative, not a number) scores Infinity: it is only chosen when nothing else is eligible.
 */
export function nodeScore(node: NodeCandidate): number {
  if (!(node.maxPeers > 0) || !(node.weight > 0)) return Number.POSITIVE_INFINITY;
  const score = node.activePeers / node.maxPeers / node.weight;
  return Number.isNaN(score) ? Number.POSITIVE_INFINITY : score;
}

export function isNodeFull(node: NodeCandidate): boolean {
  return !(node.activePeers < node.maxPeers);
}

/** Why the node cannot take a peer it was explicitly asked for, or null when it can. */
export function unavailableReason(node: NodeCandidate): string | null {
  if (!node.enabled) return "disabled";
  if (node.status === "offline") return "offline";
  if (node.status === "unavailable") return "unavailable (WireGuard cannot run there)";
  if (isNodeFull(node)) return `full (${node.activePeers}/${node.maxPeers} peers)`;
  if (node.poolExhausted) return "out of addresses (pool exhausted)";
  return null;
}

/** Why `auto` passes the node by, or null when it is eligible: on top of the above, only online nodes. */
export function ineligibleReason(node: NodeCandidate): string | null {
  const reason = unavailableReason(node);
  if (reason !== null) return reason;
  return node.status === "online" ? null : node.status;
}

export function isNodeEligible(node: NodeCandidate): boolean {
  return ineligibleReason(node) === null;
}
