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
  /** Being drained (or kept empty after a drain): takes no new peers. */
  draining?: boolean;
}

/** Why a node cannot take a peer: the ones an explicit choice refuses, then the ones only `auto` minds. */
export type IneligibleCode =
  | "disabled"
  | "draining"
  | "offline"
  | "unavailable"
  | "full"
  | "pool_exhausted"
  | "degraded"
  | "unknown";

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

/** Why the node cannot take a peer it was explicitly asked for, as a code, or null when it can. */
export function unavailableCode(node: NodeCandidate): IneligibleCode | null {
  if (!node.enabled) return "disabled";
  if (node.draining === true) return "draining";
  if (node.status === "offline") return "offline";
  if (node.status === "unavailable") return "unavailable";
  if (isNodeFull(node)) return "full";
  if (node.poolExhausted) return "pool_exhausted";
  return null;
}

/** Why `auto` passes the node by, as a code, or null when it is eligible: on top, only online nodes. */
export function ineligibleCode(node: NodeCandidate): IneligibleCode | null {
  const code = unavailableCode(node);
  if (code !== null) return code;
  return node.status === "online" ? null : node.status;
}

/** The words for a code, with the node's counts where they matter. */
export function describeIneligible(node: NodeCandidate, code: IneligibleCode): string {
  switch (code) {
    case "unavailable":
      return "unavailable (WireGuard cannot run there)";
    case "full":
      return `full (${node.activePeers}/${node.maxPeers} peers)`;
    case "pool_exhausted":
      return "out of addresses (pool exhausted)";
    case "draining":
      return "draining (takes no new peers)";
    default:
      return code;
  }
}

/** Why the node cannot take a peer it was explicitly asked for, or null when it can. */
export function unavailableReason(node: NodeCandidate): string | null {
  const code = unavailableCode(node);
  return code === null ? null : describeIneligible(node, code);
}

/** Why `auto` passes the node by, or null when it is eligible: on top of the above, only online nodes. */
export function ineligibleReason(node: NodeCandidate): string | null {
  const code = ineligibleCode(node);
  return code === null ? null : describeIneligible(node, code);
}

export function isNodeEligible(node: NodeCandidate): boolean {
  return ineligibleCode(node) === null;
}
