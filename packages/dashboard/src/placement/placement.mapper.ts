// Core's selection explanation as the placement answer: node ids and names, never the counts' rows.
import type { PlacementDto, SelectionExplanation } from "@wgfleet/core";

export function toPlacementDto(explained: SelectionExplanation): PlacementDto {
  const { chosen, score } = explained;
  return {
    node: chosen?.id ?? null,
    nodeName: chosen?.name ?? null,
    // JSON has no Infinity: a node without a usable weight or cap has no score.
    score: score !== null && Number.isFinite(score) ? score : null,
    localFallback: explained.localFallback,
    passedOver: explained.passedOver.map(({ node, code, reason }) => ({
      node: node.id,
      nodeName: node.name,
      code,
      reason,
    })),
    message: explained.refusal,
  };
}

/** No node to consider at all (the configuration is on none). */
export function notPlaced(message: string): PlacementDto {
  return { node: null, nodeName: null, score: null, localFallback: false, passedOver: [], message };
}
