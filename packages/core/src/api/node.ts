// A node as the dashboard's API answers with it, the answers of its test and reconcile actions, and the
// bodies that add and change nodes. Never the node's shared secret in an answer, encrypted or not, nor
// its key id. The schemas check shapes; the node service checks meaning (URL, host, secret rules).
import { type Static, Type } from "@sinclair/typebox";
import { InterfaceNameSchema } from "../protocol/v1.js";
import { EndpointWarningSchema } from "./endpoint.js";
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
  /** Days until the pool is full at the last 7 days' rate; null when it is not filling up. */
  forecastDays: Type.Union([Type.Number(), Type.Null()]),
});
export type PoolUsageDto = Static<typeof PoolUsageDtoSchema>;

export const NodeDtoSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    local: Type.Boolean(),
    /** null for the local node and for a node whose agent dials out. */
    agentUrl: Type.Union([Type.String(), Type.Null()]),
    /**
     * How the dashboard reaches the agent: `direct` (it calls agentUrl), `dial-out` (the agent keeps a
     * connection to the dashboard), `local` (the dashboard's own host).
     */
    connection: Type.Union([Type.Literal("direct"), Type.Literal("dial-out"), Type.Literal("local")]),
    /** A dial-out agent's connection: since when it is up; null while it is not connected (and for other nodes). */
    connectedSince: NullableTimestampSchema,
    endpointHost: Type.Union([Type.String(), Type.Null()]),
    /**
     * The host its interfaces give clients unless they name their own: endpointHost, else the agent
     * URL's host, else (the local node, never set) this machine's hostname.
     */
    clientEndpointHost: Type.String(),
    /** Why clients elsewhere may not reach clientEndpointHost (empty when they can). */
    endpointWarnings: Type.Array(EndpointWarningSchema),
    enabled: Type.Boolean(),
    /** Takes no new peers: being drained, or kept empty after a drain until an admin ends it. */
    draining: Type.Boolean(),
    weight: Type.Number(),
    maxPeers: Type.Integer(),
    status: NodeStatusSchema,
    statusReason: Type.Union([Type.String(), Type.Null()]),
    lastSeenAt: NullableTimestampSchema,
    /** The agent's last health report (version, uptime, interfaces, load, memory), as it sent it. */
    lastHealth: Type.Unknown(),
    /** The agent instance the node is bound to (read-only): a different one answering blocks all writes. */
    agentInstanceId: Type.Union([Type.String(), Type.Null()]),
    /** What the node's agent does with drift: `repair` it (default) or only `report` it. */
    driftPolicy: Type.Union([Type.Literal("repair"), Type.Literal("report")]),
    peerCount: Type.Integer(),
    pools: Type.Array(PoolUsageDtoSchema),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  },
  { title: "Node" },
);
export type NodeDto = Static<typeof NodeDtoSchema>;

/** `GET /api/nodes/enabled`: the node dropdown of peer creation. */
export const EnabledNodeDtoSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: NodeStatusSchema,
    activePeers: Type.Integer(),
    maxPeers: Type.Integer(),
    weight: Type.Number(),
  },
  { title: "EnabledNode" },
);
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

const nodeFields = {
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

/** `POST /api/v1/nodes`: agentUrl, or dialOut: true for an agent that connects to the dashboard itself. */
export const CreateNodeBodySchema = Type.Object(
  {
    name: nodeFields.name,
    agentUrl: Type.Optional(nodeFields.agentUrl),
    dialOut: Type.Optional(
      Type.Boolean({
        description:
          "true: the agent dials out (wgfleet-agent --dashboard URL) and has no agentUrl; default false",
      }),
    ),
    secret: nodeFields.secret,
    endpoint: nodeFields.endpoint,
    weight: Type.Optional(nodeFields.weight),
    maxPeers: Type.Optional(nodeFields.maxPeers),
    enabled: Type.Optional(nodeFields.enabled),
  },
  { additionalProperties: false },
);
export type CreateNodeBody = Static<typeof CreateNodeBodySchema>;

/** `PATCH /api/v1/nodes/:id`: only the fields given change. */
const { dialOut: _fixedAtCreation, ...updatableFields } = CreateNodeBodySchema.properties;

export const UpdateNodeBodySchema = Type.Partial(
  Type.Object({
    ...updatableFields,
    driftPolicy: Type.Union([Type.Literal("repair"), Type.Literal("report")], {
      description: "repair (default): the node's agent repairs drift; report: it only reports it",
    }),
    draining: Type.Boolean({
      description: "false ends draining: the node takes new peers again (true is set by a drain)",
    }),
  }),
  { additionalProperties: false },
);
export type UpdateNodeBody = Static<typeof UpdateNodeBodySchema>;

export const DeleteNodeQuerySchema = Type.Object(
  { force: Type.Optional(Type.Boolean({ description: "also delete the node's peers and interfaces" })) },
  { additionalProperties: false },
);
export type DeleteNodeQuery = Static<typeof DeleteNodeQuerySchema>;

/** `DELETE /api/v1/nodes/:id/stray-interfaces/:name`: a live interface the node runs but does not manage. */
export const StrayInterfaceParamsSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    name: InterfaceNameSchema,
  },
  { additionalProperties: false },
);
export type StrayInterfaceParams = Static<typeof StrayInterfaceParamsSchema>;
