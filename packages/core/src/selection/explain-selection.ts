// `auto` selection that explains itself: the chosen node, its score, and every node passed over with
// the reason. selectNode's `auto` is this function's choice, so an explanation and the real pick agree.
import {
  describeIneligible,
  type IneligibleCode,
  ineligibleCode,
  LOCAL_NODE_ID,
  type NodeCandidate,
  nodeScore,
  unavailableCode,
} from "./node-candidate.js";
import { compareCandidates, decidingStep, type RankingStep } from "./rank-candidates.js";

/** Why a node was passed over: not eligible, beaten by the chosen node, or the local last resort. */
export type PassOverCode =
  | IneligibleCode
  | "lost_on_score"
  | "lost_tie_break_peers"
  | "lost_tie_break_name"
  | "lost_tie_break_id"
  | "local_fallback_only";

export interface PassedOver {
  node: NodeCandidate;
  code: PassOverCode;
  reason: string;
}

export interface SelectionExplanation {
  /** The node `auto` picks, or null when none can take a peer. */
  chosen: NodeCandidate | null;
  /** The chosen node's score (Infinity when it has no usable weight or cap), null when none is chosen. */
  score: number | null;
  /** True when the local node was picked because no remote node is eligible. */
  localFallback: boolean;
  /** Remote nodes in ranking order (eligible losers first, then the ineligible), the local node last. */
  passedOver: PassedOver[];
  /** When nothing is chosen: the message of the 503 the creation answers. */
  refusal: string | null;
}

/**
 * candidates: the remote nodes that host the configuration; local: the local node when it hosts it,
 * else null. The local node takes the peer only when no remote node is eligible.
 */
export function explainAutoSelection(
  candidates: NodeCandidate[],
  local: NodeCandidate | null,
): SelectionExplanation {
  const eligible = candidates.filter((node) => ineligibleCode(node) === null).sort(compareCandidates);
  const ineligible = candidates.flatMap((node) => refused(node, ineligibleCode(node)));
  const best = eligible[0];
  if (best !== undefined) {
    const losers = eligible.slice(1).map((node) => lost(node, best));
    const localEntry = local === null ? [] : [localPassedOver(local)];
    return explanation(best, false, [...losers, ...ineligible, ...localEntry], null);
  }
  if (local !== null && unavailableCode(local) === null) return explanation(local, true, ineligible, null);
  const localEntry = local === null ? [] : refused(local, unavailableCode(local));
  return explanation(null, false, [...ineligible, ...localEntry], refusalMessage(candidates, local));
}

function explanation(
  chosen: NodeCandidate | null,
  localFallback: boolean,
  passedOver: PassedOver[],
  refusal: string | null,
): SelectionExplanation {
  return { chosen, score: chosen === null ? null : nodeScore(chosen), localFallback, passedOver, refusal };
}

function refused(node: NodeCandidate, code: IneligibleCode | null): PassedOver[] {
  return code === null ? [] : [{ node, code, reason: describeIneligible(node, code) }];
}

function localPassedOver(local: NodeCandidate): PassedOver {
  const code = unavailableCode(local);
  if (code !== null) return { node: local, code, reason: describeIneligible(local, code) };
  return {
    node: local,
    code: "local_fallback_only",
    reason: "the local node takes peers only when no remote node is eligible",
  };
}

const LOST_CODES: Record<RankingStep, PassOverCode> = {
  score: "lost_on_score",
  peers: "lost_tie_break_peers",
  name: "lost_tie_break_name",
  id: "lost_tie_break_id",
};

/** An eligible node the chosen one ranks before, with the step of the ranking that decided. */
function lost(node: NodeCandidate, winner: NodeCandidate): PassedOver {
  const step = decidingStep(node, winner) ?? "id";
  const tie = `same score ${formatScore(nodeScore(node))}`;
  const reasons: Record<RankingStep, string> = {
    score: `lost on score: ${formatScore(nodeScore(node))} against ${formatScore(nodeScore(winner))}`,
    peers: `lost the tie-break (${tie}): more peers, ${node.activePeers} against ${winner.activePeers}`,
    name: `lost the tie-break (${tie}, same peers): name "${node.name}" sorts after "${winner.name}"`,
    id: `lost the tie-break (${tie}, same peers and name): id ${node.id} sorts after ${winner.id}`,
  };
  return { node, code: LOST_CODES[step], reason: reasons[step] };
}

/** Four significant digits; a node without a usable weight or cap has no score. */
export function formatScore(score: number): string {
  return Number.isFinite(score) ? String(Number(score.toPrecision(4))) : "none (no usable weight or cap)";
}

function refusalMessage(candidates: NodeCandidate[], local: NodeCandidate | null): string {
  const remote = candidates.map((node) => `${describeNode(node)} ${describeOf(node, ineligibleCode(node))}`);
  const reasons = [
    ...(remote.length === 0 ? ["no remote node hosts this configuration"] : remote),
    local === null
      ? "the local node does not host it"
      : `local node ${describeOf(local, unavailableCode(local))}`,
  ];
  return `no node available: ${reasons.join("; ")}`;
}

function describeOf(node: NodeCandidate, code: IneligibleCode | null): string {
  return code === null ? "eligible" : describeIneligible(node, code);
}

export function describeNode(node: NodeCandidate): string {
  return node.id === LOCAL_NODE_ID ? `"${node.name}" (local)` : `"${node.name}" (${node.id})`;
}
