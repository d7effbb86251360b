// A node as the dashboard's API answers with it, and the answers of its test and reconcile actions.
// Never the node's shared secret, encrypted or not, nor its key id.
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

/** Static type: `NodeStatus` (selection/node-candidate.ts). */
export const NodeStatusSchema = Type.Union([
  Type.Literal("online"),
  Type.Literal("degraded"),
  Type.Literal("offline"),
  Type.Literal("unknown"),
  Type.Literal("unavailable"),
]);

/** One pool of one interface on a node: how many addresses it has and hands out. */
export const PoolUsageDtoSchema = Type.Object({
  configuration: Type.String(),
  interface: Type.String(),
  cidr: Type.String(),
  total: Type.Number(),
  allocated: Type.Number(),
  available: Type.Number(),
  utilization: Type.Number(),
});
export type PoolUsageDto = Static<typeof PoolUsageDtoSchema>;

export const NodeDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  local: Type.Boolean(),
  agentUrl: Type.Union([Type.String(), Type.Null()]),
  endpointHost: Type.Union([Type.String(), Type.Null()]),
  enabled: Type.Boolean(),
  weight: Type.Number(),
  maxPeers: Type.Integer(),
  status: NodeStatusSchema,
  statusReason: Type.Union([Type.String(), Type.Null()]),
  lastSeenAt: NullableTimestampSchema,
  /** The agent's last health report (version, uptime, interfaces, load, memory), as it sent it. */
  lastHealth: Type.Unknown(),
  peerCount: Type.Integer(),
  pools: Type.Array(PoolUsageDtoSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type NodeDto = Static<typeof NodeDtoSchema>;

/** `GET /api/nodes/enabled`: the node dropdown of peer creation. */
export const EnabledNodeDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: NodeStatusSchema,
  activePeers: Type.Integer(),
  maxPeers: Type.Integer(),
  weight: Type.Number(),
});
export type EnabledNodeDto = Static<typeof EnabledNodeDtoSchema>;

const NodeCheckResultSchema = Type.Union([
  Type.Literal("ok"),
  Type.Literal("failed"),
  Type.Literal("not checked"),
]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** `POST /api/v1/nodes/:id/test`: what the unsigned and the signed call to the agent found. */
export const NodeTestDtoSchema = Type.Object({
  ok: Type.Boolean(),
  problem: Type.Union(
    [
      Type.Literal("unreachable"),
      Type.Literal("tls"),
      Type.Literal("not_an_agent"),
      Type.Literal("bad_secret"),
      Type.Literal("clock_skew"),
      Type.Literal("version"),
      Type.Literal("protocol"),
      Type.Literal("agent_error"),
      Type.Literal("capability"),
      Type.Null(),
    ],
    { description: "the first thing wrong, or null" },
  ),
  message: Type.String(),
  url: NodeCheckResultSchema,
  secret: NodeCheckResultSchema,
  clock: NodeCheckResultSchema,
  version: NodeCheckResultSchema,
  /** The signature check the agent named when it refused the request. */
  signatureFailure: NullableString,
  latencyMs: NullableNumber,
  /** Agent clock minus the dashboard's, ms. */
  clockSkewMs: NullableNumber,
  agentVersion: NullableString,
  dashboardVersion: Type.String(),
  protocol: NullableString,
  hostname: NullableString,
});
export type NodeTestDto = Static<typeof NodeTestDtoSchema>;

/** What one interface of a node needed when it was reconciled. */
export const InterfaceReconcileDtoSchema = Type.Object({
  interface: Type.String(),
  restored: Type.Integer(),
  strayRemoved: Type.Integer(),
  stray: Type.Integer(),
});
export type InterfaceReconcileDto = Static<typeof InterfaceReconcileDtoSchema>;

/** `POST /api/v1/nodes/:id/reconcile`: the node after it, and what each interface needed. */
export const NodeReconcileDtoSchema = Type.Object({
  node: NodeDtoSchema,
  interfaces: Type.Array(InterfaceReconcileDtoSchema),
});
export type NodeReconcileDto = Static<typeof NodeReconcileDtoSchema>;
