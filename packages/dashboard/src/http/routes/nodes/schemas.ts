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

const NodeFields = {
  name: Type.String({ minLength: 1, maxLength: 63 }),
  agentUrl: Type.String({ minLength: 1, maxLength: 2048, description: "http(s)://host:port of the agent" }),
  secret: Type.String({
    minLength: 1,
    maxLength: 1024,
    description: "the agent's shared secret (write-only: never returned)",
  }),
  endpoint: Type.String({
    minLength: 1,
    maxLength: 253,
    description: "the host (name or address) clients connect to; interfaces add their port",
  }),
  weight: Type.Integer({ minimum: 1, maximum: 1_000_000, description: "default 100" }),
  maxPeers: Type.Integer({ minimum: 1, maximum: 1_000_000, description: "soft cap; default 1000" }),
  enabled: Type.Boolean({ description: "default true" }),
};

export const CreateNodeBody = Type.Object(
  {
    name: NodeFields.name,
    agentUrl: NodeFields.agentUrl,
    secret: NodeFields.secret,
    endpoint: NodeFields.endpoint,
    weight: Type.Optional(NodeFields.weight),
    maxPeers: Type.Optional(NodeFields.maxPeers),
    enabled: Type.Optional(NodeFields.enabled),
  },
  { additionalProperties: false },
);

export const UpdateNodeBody = Type.Object(
  {
    name: Type.Optional(NodeFields.name),
    agentUrl: Type.Optional(NodeFields.agentUrl),
    secret: Type.Optional(NodeFields.secret),
    endpoint: Type.Optional(NodeFields.endpoint),
    weight: Type.Optional(NodeFields.weight),
    maxPeers: Type.Optional(NodeFields.maxPeers),
    enabled: Type.Optional(NodeFields.enabled),
  },
  { additionalProperties: false },
);

export const DeleteNodeQuery = Type.Object(
  { force: Type.Optional(Type.Boolean({ description: "also delete the node's peers and interfaces" })) },
  { additionalProperties: false },
);

const CheckResult = Type.Union([Type.Literal("ok"), Type.Literal("failed"), Type.Literal("not checked")]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const NodeTestSchema = Type.Object({
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
      Type.Null(),
    ],
    { description: "the first thing wrong, or null" },
  ),
  message: Type.String(),
  url: CheckResult,
  secret: CheckResult,
  clock: CheckResult,
  version: CheckResult,
  signatureFailure: NullableString,
  latencyMs: NullableNumber,
  clockSkewMs: NullableNumber,
  agentVersion: NullableString,
  dashboardVersion: Type.String(),
  protocol: NullableString,
  hostname: NullableString,
});

export const NodeReconcileSchema = Type.Object({
  node: NodeSchema,
  interfaces: Type.Array(
    Type.Object({
      interface: Type.String(),
      restored: Type.Integer(),
      strayRemoved: Type.Integer(),
      stray: Type.Integer(),
    }),
  ),
});
