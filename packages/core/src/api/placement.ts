// `GET /api/v1/configurations/:name/placement`: what `auto` would pick for a new peer now, and why
// the other nodes were passed over — the same selection the peer creation runs.
import { type Static, Type } from "@sinclair/typebox";

/** Static type: `PassOverCode` (selection/explain-selection.ts). */
export const PassOverCodeSchema = Type.Union([
  Type.Literal("disabled"),
  Type.Literal("draining"),
  Type.Literal("offline"),
  Type.Literal("unavailable"),
  Type.Literal("full"),
  Type.Literal("pool_exhausted"),
  Type.Literal("degraded"),
  Type.Literal("unknown"),
  Type.Literal("lost_on_score"),
  Type.Literal("lost_tie_break_peers"),
  Type.Literal("lost_tie_break_name"),
  Type.Literal("lost_tie_break_id"),
  Type.Literal("local_fallback_only"),
]);

export const PassedOverDtoSchema = Type.Object({
  /** The node's id (`local` for the local node). */
  node: Type.String(),
  nodeName: Type.String(),
  code: PassOverCodeSchema,
  /** In words, with the counts or scores that decided. */
  reason: Type.String(),
});
export type PassedOverDto = Static<typeof PassedOverDtoSchema>;

export const PlacementDtoSchema = Type.Object({
  /** The id of the node `auto` picks now, or null when no node can take a peer. */
  node: Type.Union([Type.String(), Type.Null()]),
  nodeName: Type.Union([Type.String(), Type.Null()]),
  /** (activePeers / maxPeers) / weight of the chosen node; null when none is chosen or it has no usable weight or cap. */
  score: Type.Union([Type.Number(), Type.Null()]),
  /** True when the local node is picked because no remote node is eligible. */
  localFallback: Type.Boolean(),
  passedOver: Type.Array(PassedOverDtoSchema),
  /** When `node` is null: the message the creation would fail with (409 or 503). */
  message: Type.Union([Type.String(), Type.Null()]),
});
export type PlacementDto = Static<typeof PlacementDtoSchema>;
