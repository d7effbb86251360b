// Peers as the API shows them, and the bodies and queries that create, change and list them. Shapes
// only: the services check meaning (keys, addresses, names) and name the field that is wrong. No key
// but the public one ever appears here.
import { Type } from "@sinclair/typebox";
import { NullableTimestamp, Timestamp } from "../../schemas.js";

const StringList = (maxItems: number) => Type.Array(Type.String({ maxLength: 256 }), { maxItems });
const NullableInteger = (minimum: number, maximum: number) =>
  Type.Union([Type.Integer({ minimum, maximum }), Type.Null()]);

export const PeerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  configuration: Type.String(),
  node: Type.String(),
  interface: Type.String(),
  publicKey: Type.String(),
  addresses: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  state: Type.Union([Type.Literal("pending"), Type.Literal("active"), Type.Literal("failed")]),
  dns: Type.Union([Type.Array(Type.String()), Type.Null()]),
  clientAllowedIps: Type.Array(Type.String()),
  mtu: Type.Union([Type.Integer(), Type.Null()]),
  keepalive: Type.Union([Type.Integer(), Type.Null()]),
  expiresAt: NullableTimestamp,
  hasPresharedKey: Type.Boolean(),
  configAvailable: Type.Boolean(),
  online: Type.Boolean(),
  rx: Type.Integer(),
  tx: Type.Integer(),
  latestHandshake: NullableTimestamp,
  endpoint: Type.Union([Type.String(), Type.Null()]),
  statsUpdatedAt: NullableTimestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const clientSettings = {
  dns: Type.Optional(Type.Union([StringList(16), Type.Null()])),
  clientAllowedIps: Type.Optional(StringList(64)),
  mtu: Type.Optional(NullableInteger(1280, 9000)),
  keepalive: Type.Optional(NullableInteger(0, 65535)),
  expiresAt: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
};

export const CreatePeerBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    node: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: '"auto", "local" or a node id' }),
    ),
    addresses: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 2 })),
    publicKey: Type.Optional(Type.String({ maxLength: 64 })),
    presharedKey: Type.Optional(Type.Union([Type.Boolean(), Type.String({ maxLength: 64 })])),
    ...clientSettings,
  },
  { additionalProperties: false },
);

export const UpdatePeerBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    addresses: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 2 })),
    ...clientSettings,
  },
  { additionalProperties: false },
);

export const PEER_STATUS_FILTERS = [
  "enabled",
  "disabled",
  "online",
  "offline",
  "pending",
  "active",
  "failed",
  "expired",
] as const;

export const ListPeersQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200 })),
    node: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(Type.Union(PEER_STATUS_FILTERS.map((s) => Type.Literal(s)))),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const PeerPage = Type.Object({
  items: Type.Array(PeerSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer(),
});
