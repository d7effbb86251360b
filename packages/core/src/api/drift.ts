// Drift you can see, and adopting WireGuard that wgfleet did not set up: the drift report of a node
// (what the dashboard wants against what the node runs), the actions on it, and the requests that take
// over a live interface or import a wg-quick file. No key but public keys ever appears in an answer.
import { type Static, Type } from "@sinclair/typebox";
import { InterfaceNameSchema } from "./request-fields.js";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

const DriftPolicyDtoSchema = Type.Union([Type.Literal("repair"), Type.Literal("report")]);

/** One managed interface: the revision the dashboard holds against the one the node acknowledged. */
export const DriftInterfaceDtoSchema = Type.Object({
  interface: Type.String(),
  configuration: Type.String(),
  desiredRevision: Type.Integer(),
  /** null: the node does not report this interface (not applied yet, or the node is unreachable). */
  appliedRevision: Type.Union([Type.Integer(), Type.Null()]),
  lastRepairAt: NullableTimestampSchema,
});
export type DriftInterfaceDto = Static<typeof DriftInterfaceDtoSchema>;

/** A live peer the node runs that no configuration has. */
export const StrayPeerDtoSchema = Type.Object({
  interface: Type.String(),
  publicKey: Type.String(),
  allowedIps: Type.Array(Type.String()),
  endpoint: Type.Union([Type.String(), Type.Null()]),
  firstSeenAt: TimestampSchema,
});
export type StrayPeerDto = Static<typeof StrayPeerDtoSchema>;

/** A live WireGuard interface the node runs and wgfleet does not manage. */
export const StrayInterfaceDtoSchema = Type.Object({ name: Type.String(), firstSeenAt: TimestampSchema });
export type StrayInterfaceDto = Static<typeof StrayInterfaceDtoSchema>;

/** A peer the database has on the node that is not live there. */
export const MissingPeerDtoSchema = Type.Object({
  interface: Type.String(),
  publicKey: Type.String(),
  peerId: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  firstSeenAt: TimestampSchema,
});
export type MissingPeerDto = Static<typeof MissingPeerDtoSchema>;

/**
 * `GET /api/v1/nodes/:id/drift`. `desiredRevision` and `appliedRevision` add up the node's interfaces
 * (equal when the node acknowledged every one; `appliedRevision` null when it reports none of them);
 * `interfaces` has them one by one.
 */
export const NodeDriftDtoSchema = Type.Object({
  node: Type.String(),
  policy: DriftPolicyDtoSchema,
  desiredRevision: Type.Integer(),
  appliedRevision: Type.Union([Type.Integer(), Type.Null()]),
  inSync: Type.Boolean(),
  interfaces: Type.Array(DriftInterfaceDtoSchema),
  strayPeers: Type.Array(StrayPeerDtoSchema),
  strayInterfaces: Type.Array(StrayInterfaceDtoSchema),
  missingPeers: Type.Array(MissingPeerDtoSchema),
  lastRepairAt: NullableTimestampSchema,
  /**
   * When the node's report was read; `stale` when the node did not answer and its last report is shown;
   * null when it has never answered (nothing on it to compare yet).
   */
  checkedAt: NullableTimestampSchema,
  stale: Type.Boolean(),
});
export type NodeDriftDto = Static<typeof NodeDriftDtoSchema>;

/** `POST /api/v1/nodes/:id/drift/remove-strays`: what was removed, per interface. */
export const RemoveStraysDtoSchema = Type.Object({
  removed: Type.Integer(),
  interfaces: Type.Array(Type.Object({ interface: Type.String(), removed: Type.Integer() })),
});
export type RemoveStraysDto = Static<typeof RemoveStraysDtoSchema>;

/** `POST /api/v1/nodes/:id/drift/adopt`: a stray peer becomes a managed peer, key and address kept. */
export const AdoptStrayBodySchema = Type.Object(
  {
    interface: InterfaceNameSchema,
    publicKey: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 128, description: "the new peer's name" }),
  },
  { additionalProperties: false },
);
export type AdoptStrayBody = Static<typeof AdoptStrayBodySchema>;

/**
 * `POST /api/v1/nodes/:id/adopt`: a live interface on the node, not managed yet, becomes `configuration`
 * on that node with its keys, port, address and peers; `config` (optional) is its wg-quick file, read for
 * the peers' names only.
 */
export const AdoptInterfaceBodySchema = Type.Object(
  {
    interface: InterfaceNameSchema,
    configuration: Type.String({ minLength: 1, maxLength: 15 }),
    config: Type.Optional(Type.String({ maxLength: 1_048_576 })),
  },
  { additionalProperties: false },
);
export type AdoptInterfaceBody = Static<typeof AdoptInterfaceBodySchema>;

/**
 * `POST /api/v1/configurations/:name/import`: a wg-quick file (WGDashboard's or wg-easy's names kept)
 * put on `node`; when that node already runs the file's interface, it is taken over without a restart.
 */
export const ImportConfigurationBodySchema = Type.Object(
  {
    node: Type.String({ minLength: 1, maxLength: 100 }),
    config: Type.String({ minLength: 1, maxLength: 1_048_576 }),
    interfaceName: Type.Optional(InterfaceNameSchema),
  },
  { additionalProperties: false },
);
export type ImportConfigurationBody = Static<typeof ImportConfigurationBodySchema>;

/** The answer of an adoption or import. */
export const AdoptionDtoSchema = Type.Object({
  configuration: Type.String(),
  node: Type.String(),
  interface: Type.String(),
  /** true: a running interface was taken over in place; false: it was brought up from the file. */
  tookOverLiveInterface: Type.Boolean(),
  peers: Type.Integer(),
  named: Type.Integer(),
});
export type AdoptionDto = Static<typeof AdoptionDtoSchema>;
