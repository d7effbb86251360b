// Node selection (docs/multi-node.md): `auto` takes the eligible node with the lowest score, an
// explicit choice takes exactly that node or fails saying why. Never a silent fallback for an
// explicit choice; pure, so the dashboard decides with counts it read in the same transaction.
import { NodeUnavailableError, NotFoundError } from "../errors.js";
import { chooseAuto, describeNode } from "./explain-selection.js";
import { LOCAL_NODE_ID, type NodeCandidate, unavailableReason } from "./node-candidate.js";

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

/** The explanation's choice (chooseAuto): what `auto` picks and what it says it picks never differ. */
function selectAuto(candidates: NodeCandidate[], local: NodeCandidate | null): NodeCandidate {
  const { chosen, refusal } = chooseAuto(candidates, local);
  if (chosen !== null) return chosen;
  throw new NodeUnavailableError(refusal ?? "no node available", "node");
}

function explicit(node: NodeCandidate): NodeCandidate {
  const reason = unavailableReason(node);
  if (reason !== null) throw new NodeUnavailableError(`node ${describeNode(node)} is ${reason}`, "node");
  return node;
}
