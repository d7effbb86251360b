// Nodes as the API shows them: never a secret, encrypted or not.
import { Type } from "@sinclair/typebox";
import { NullableTimestamp, Timestamp } from "../../schemas.js";

export const NodeStatusSchema = Type.Union([
  Type.Literal("online"),
  Type.Literal("degraded"),
  Type.Literal("offline"),
  Type.Literal("unknown"),
  Type.Literal("unavailable"),
]);

export const PoolUsageSchema = Type.Object({
  configuration: Type.String(),
  interface: Type.String(),
  cidr: Type.String(),
  total: Type.Number(),
  allocated: Type.Number(),
  available: Type.Number(),
  utilization: Type.Number(),
});

export const NodeSchema = Type.Object({
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
  lastSeenAt: NullableTimestamp,
  lastHealth: Type.Unknown(),
  peerCount: Type.Integer(),
  pools: Type.Array(PoolUsageSchema),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const EnabledNodeSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: NodeStatusSchema,
  activePeers: Type.Integer(),
  maxPeers: Type.Integer(),
  weight: Type.Number(),
});
