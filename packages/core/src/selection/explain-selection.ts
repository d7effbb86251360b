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
  const { chosen, localFallback, refusal } = chooseAuto(candidates, local);
  const ineligible = candidates.flatMap((node) => refused(node, ineligibleCode(node)));
  if (chosen !== null && !localFallback) {
    const losers = candidates
      .filter((node) => node !== chosen && ineligibleCode(node) === null)
      .sort(compareCandidates)
      .map((node) => lost(node, chosen));
    const localEntry = local === null ? [] : [localPassedOver(local)];
    return explanation(chosen, false, [...losers, ...ineligible, ...localEntry], null);
  }
  if (chosen !== null) return explanation(chosen, true, ineligible, null);
  const localEntry = local === null ? [] : refused(local, unavailableCode(local));
  return explanation(null, false, [...ineligible, ...localEntry], refusal);
}

/** What `auto` picks, without the reasons for the others. */
export interface AutoChoice {
  chosen: NodeCandidate | null;
  localFallback: boolean;
  /** When nothing is chosen: the message of the 503 the creation answers. */
  refusal: string | null;
}

/**
 * The choice explainAutoSelection explains, in one pass over the candidates and without words for the
 * nodes passed over: what every creation, bulk placement and drain plan asks (a sort and a reason per
 * node cost about 0.12 ms a choice with 100 nodes, this a few µs). The ranking is a total order (ids
 * are unique), so the first best node is the head of the explanation's sorted list.
 */
export function chooseAuto(candidates: NodeCandidate[], local: NodeCandidate | null): AutoChoice {
  let best: NodeCandidate | null = null;
  let bestScore = 0;
  for (const node of candidates) {
    if (ineligibleCode(node) !== null) continue;
    // The score is the ranking's first step: the full comparison only on a tie.
    const score = nodeScore(node);
    if (best === null || score < bestScore || (score === bestScore && compareCandidates(node, best) < 0)) {
      best = node;
      bestScore = score;
    }
  }
  if (best !== null) return { chosen: best, localFallback: false, refusal: null };
  if (local !== null && unavailableCode(local) === null)
    return { chosen: local, localFallback: true, refusal: null };
  return { chosen: null, localFallback: false, refusal: refusalMessage(candidates, local) };
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
