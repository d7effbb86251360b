// Peers as the API shows them (the answers are declared in @wgfleet/core, shared with the web app), and
// the bodies and queries that create, change and list them. Shapes only: the services check meaning
// (keys, addresses, names) and name the field that is wrong. No key but the public one ever appears here.
import { Type } from "@sinclair/typebox";
import { PEER_STATUS_FILTERS } from "@wgfleet/core";

export { PeerDtoSchema as PeerSchema, PeerPageDtoSchema as PeerPage } from "@wgfleet/core";

const StringList = (maxItems: number) => Type.Array(Type.String({ maxLength: 256 }), { maxItems });
const NullableInteger = (minimum: number, maximum: number) =>
  Type.Union([Type.Integer({ minimum, maximum }), Type.Null()]);

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
