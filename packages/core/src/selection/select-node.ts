// Node selection (docs/multi-node.md): `auto` takes the eligible node with the lowest score, an
// explicit choice takes exactly that node or fails saying why. Never a silent fallback for an
// explicit choice; pure, so the dashboard decides with counts it read in the same transaction.
import { NodeUnavailableError, NotFoundError } from "../errors.js";
import {
  ineligibleReason,
  LOCAL_NODE_ID,
  type NodeCandidate,
  nodeScore,
  unavailableReason,
} from "./node-candidate.js";

/** "auto", "local", or a node id. */
export type SelectionStrategy = "auto" | "local" | (string & {});

/**
 * candidates: the remote nodes that host the configuration; local: the local node when it hosts it,
 * else null. Throws NodeUnavailableError (field "node") or NotFoundError.
 */
export function selectNode(
  candidates: NodeCandidate[],
  strategy: SelectionStrategy,
  local: NodeCandidate | null,
): NodeCandidate {
  if (strategy === "auto") return selectAuto(candidates, local);
  if (strategy === LOCAL_NODE_ID) {
    if (local === null) {
      throw new NodeUnavailableError("the local node does not host this configuration", "node");
    }
    return explicit(local);
  }
  const chosen = candidates.find((node) => node.id === strategy);
  if (chosen === undefined) throw new NotFoundError(`node ${JSON.stringify(strategy.slice(0, 64))}`);
  return explicit(chosen);
}

/** Lowest score first; ties: fewer active peers, then name, then id. */
export function compareCandidates(a: NodeCandidate, b: NodeCandidate): number {
  return (
    compareNumbers(nodeScore(a), nodeScore(b)) ||
    compareNumbers(a.activePeers, b.activePeers) ||
    compareText(a.name, b.name) ||
    compareText(a.id, b.id)
  );
}

function selectAuto(candidates: NodeCandidate[], local: NodeCandidate | null): NodeCandidate {
  const best = candidates.filter((node) => ineligibleReason(node) === null).sort(compareCandidates)[0];
  if (best !== undefined) return best;
  if (local !== null && unavailableReason(local) === null) return local;
  throw new NodeUnavailableError(`no node available: ${describeRefusals(candidates, local)}`, "node");
}

function explicit(node: NodeCandidate): NodeCandidate {
  const reason = unavailableReason(node);
  if (reason !== null) throw new NodeUnavailableError(`node ${describeNode(node)} is ${reason}`, "node");
  return node;
}

function describeRefusals(candidates: NodeCandidate[], local: NodeCandidate | null): string {
  const remote = candidates.map((node) => `${describeNode(node)} ${ineligibleReason(node)}`);
  const reasons = [
    ...(remote.length === 0 ? ["no remote node hosts this configuration"] : remote),
    local === null ? "the local node does not host it" : `local node ${unavailableReason(local)}`,
  ];
  return reasons.join("; ");
}

function describeNode(node: NodeCandidate): string {
  return node.id === LOCAL_NODE_ID ? `"${node.name}" (local)` : `"${node.name}" (${node.id})`;
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
