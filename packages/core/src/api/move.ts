// Moving a peer to another node of its configuration, draining a node, and the progress of the
// resumable jobs a drain runs as. A moved peer keeps its key pair and preshared key; it gets an address
// from the target's pool, and the source node keeps the old copy for the grace period.
import { type Static, Type } from "@sinclair/typebox";
import { PeerDtoSchema } from "./peer.js";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

export const MOVE_GRACE_DEFAULT_HOURS = 24;
/** A month: a client that has not loaded its new config by then never will. */
export const MOVE_GRACE_MAX_HOURS = 720;

const graceHours = Type.Number({
  minimum: 0,
  maximum: MOVE_GRACE_MAX_HOURS,
  description: `hours the source node keeps the old copy (fractions allowed; 0: removed at once); default ${MOVE_GRACE_DEFAULT_HOURS}`,
});

/** `POST /api/v1/peers/:id/move`. */
export const MovePeerBodySchema = Type.Object(
  {
    node: Type.String({ minLength: 1, maxLength: 100, description: 'the target node id, or "auto"' }),
    graceHours: Type.Optional(graceHours),
  },
  { additionalProperties: false },
);
export type MovePeerBody = Static<typeof MovePeerBodySchema>;

/** Where the peer came from, and how long the source keeps its old copy. */
export const PeerMoveDtoSchema = Type.Object({
  fromNode: Type.String(),
  fromInterface: Type.String(),
  oldAddresses: Type.Array(Type.String()),
  /** When the source drops the old copy and frees its addresses; null: dropped already. */
  graceUntil: NullableTimestampSchema,
});
export type PeerMoveDto = Static<typeof PeerMoveDtoSchema>;

/** The answer to a move: the peer on its new node, its new client config, and the move. */
export const MovedPeerDtoSchema = Type.Object({
  peer: PeerDtoSchema,
  /** The client's new wg-quick file; null when the dashboard does not hold the private key. */
  config: Type.Union([Type.String(), Type.Null()]),
  move: PeerMoveDtoSchema,
});
export type MovedPeerDto = Static<typeof MovedPeerDtoSchema>;

/** `POST /api/v1/nodes/:id/drain`. */
export const DrainNodeBodySchema = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ description: "only answer the plan; default false" })),
    graceHours: Type.Optional(graceHours),
  },
  { additionalProperties: false },
);
export type DrainNodeBody = Static<typeof DrainNodeBodySchema>;

export const DrainMoveDtoSchema = Type.Object({
  peerId: Type.String(),
  peerName: Type.String(),
  configuration: Type.String(),
  toNode: Type.String(),
});
export const DrainUnplacedDtoSchema = Type.Object({
  peerId: Type.String(),
  peerName: Type.String(),
  configuration: Type.String(),
  reason: Type.String(),
});

/** A drain's plan: where `auto` puts each peer of the node, and which fit nowhere. */
export const DrainPlanDtoSchema = Type.Object({
  node: Type.String(),
  moves: Type.Array(DrainMoveDtoSchema),
  unplaced: Type.Array(DrainUnplacedDtoSchema),
});
export type DrainPlanDto = Static<typeof DrainPlanDtoSchema>;

export const DrainStartedDtoSchema = Type.Object({ jobId: Type.String(), plan: DrainPlanDtoSchema });
export type DrainStartedDto = Static<typeof DrainStartedDtoSchema>;

/** The answer to a drain: the plan (a dry run, 200) or the job carrying it out (202). */
export const DrainAnswerDtoSchema = Type.Union([DrainPlanDtoSchema, DrainStartedDtoSchema]);
export type DrainAnswerDto = Static<typeof DrainAnswerDtoSchema>;

export const JobItemStateSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("done"),
  Type.Literal("failed"),
  Type.Literal("skipped"),
]);

export const JobItemDtoSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  state: JobItemStateSchema,
  error: Type.Union([Type.String(), Type.Null()]),
});
export type JobItemDto = Static<typeof JobItemDtoSchema>;

/** `GET /api/v1/jobs/:id`: a job's progress. */
export const JobDtoSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal("drain"),
  subject: Type.String(),
  status: Type.Union([Type.Literal("running"), Type.Literal("done"), Type.Literal("failed")]),
  total: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Array(Type.Object({ item: Type.String(), label: Type.String(), error: Type.String() })),
  items: Type.Array(JobItemDtoSchema),
  createdBy: Type.String(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  finishedAt: NullableTimestampSchema,
});
export type JobDto = Static<typeof JobDtoSchema>;
