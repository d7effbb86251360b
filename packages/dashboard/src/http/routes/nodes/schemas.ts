// Nodes as the API shows them (the answers are declared in @wgfleet/core, shared with the web app),
// and the bodies that change them: never a secret in an answer, encrypted or not.
import { Type } from "@sinclair/typebox";

export {
  EnabledNodeDtoSchema as EnabledNodeSchema,
  NodeDtoSchema as NodeSchema,
  NodeReconcileDtoSchema as NodeReconcileSchema,
  NodeTestDtoSchema as NodeTestSchema,
  PoolUsageDtoSchema as PoolUsageSchema,
} from "@wgfleet/core";

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
