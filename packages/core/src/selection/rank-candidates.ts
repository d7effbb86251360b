// The order `auto` ranks eligible nodes in — lowest score, then fewer peers, then name, then id — and
// which of those steps put one node behind another, so an explanation names the rule that decided.
import { type NodeCandidate, nodeScore } from "./node-candidate.js";

/** The step of the ranking that decided between two nodes. */
export type RankingStep = "score" | "peers" | "name" | "id";

/** Lowest score first; ties: fewer active peers, then name, then id. */
export function compareCandidates(a: NodeCandidate, b: NodeCandidate): number {
  const step = decidingStep(a, b);
  return step === null ? 0 : STEPS[step](a, b);
}

/** Which step orders the two nodes, or null when nothing tells them apart. */
export function decidingStep(a: NodeCandidate, b: NodeCandidate): RankingStep | null {
  for (const step of ORDER) if (STEPS[step](a, b) !== 0) return step;
  return null;
}

const ORDER: readonly RankingStep[] = ["score", "peers", "name", "id"];

const STEPS: Record<RankingStep, (a: NodeCandidate, b: NodeCandidate) => number> = {
  score: (a, b) => compareValues(nodeScore(a), nodeScore(b)),
  peers: (a, b) => compareValues(a.activePeers, b.activePeers),
  name: (a, b) => compareValues(a.name, b.name),
  id: (a, b) => compareValues(a.id, b.id),
};

function compareValues<T extends number | string>(a: T, b: T): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
