// Configurations, their interfaces and the bodies that change them, as the API shows them. Shapes
// only: the services check meaning (CIDRs, DNS entries, names) and name the field that is wrong.
import { Type } from "@sinclair/typebox";
import { Timestamp } from "../../schemas.js";

const ShortText = (maxLength: number) => Type.String({ maxLength });
const StringList = (maxItems: number) => Type.Array(Type.String({ maxLength: 256 }), { maxItems });
const Nullable = <T extends ReturnType<typeof Type.Integer>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ConfigurationNameParams = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const InterfaceSchema = Type.Object({
  id: Type.String(),
  nodeId: Type.String(),
  name: Type.String(),
  publicKey: Type.String(),
  listenPort: Type.Integer(),
  endpoint: Type.String(),
  pool: Type.Union([Type.String(), Type.Null()]),
  pool6: Type.Union([Type.String(), Type.Null()]),
  addresses: Type.Array(Type.String()),
  revision: Type.Integer(),
  peerCount: Type.Integer(),
  enabledPeerCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ConfigurationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  dns: Type.Array(Type.String()),
  clientAllowedIps: Type.Array(Type.String()),
  mtu: Type.Union([Type.Integer(), Type.Null()]),
  keepalive: Type.Union([Type.Integer(), Type.Null()]),
  interfaces: Type.Array(InterfaceSchema),
  peerCount: Type.Integer(),
  enabledPeerCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const settings = {
  description: Type.Optional(ShortText(1000)),
  dns: Type.Optional(StringList(16)),
  clientAllowedIps: Type.Optional(StringList(64)),
  mtu: Type.Optional(Nullable(Type.Integer({ minimum: 1280, maximum: 9000 }))),
  keepalive: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 65535 }))),
};

export const CreateConfigurationBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 15 }), ...settings },
  { additionalProperties: false },
);

export const UpdateConfigurationBody = Type.Object(settings, { additionalProperties: false });

export const AddInterfaceBody = Type.Object(
  {
    nodeId: Type.String({ minLength: 1, maxLength: 100 }),
    listenPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    pool: Type.String({ minLength: 1, maxLength: 64 }),
    pool6: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    endpoint: Type.Optional(Type.String({ minLength: 1, maxLength: 270 })),
    interfaceName: Type.Optional(Type.String({ minLength: 1, maxLength: 15 })),
  },
  { additionalProperties: false },
);

export const ForceQuery = Type.Object(
  { force: Type.Optional(Type.Boolean({ description: "also delete the peers it still has" })) },
  { additionalProperties: false },
);
