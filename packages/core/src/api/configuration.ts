// A configuration and its interfaces (one per node that hosts it) as the dashboard's API answers with
// them (public parts only, never an interface's private key), and the bodies that create and change
// them. The schemas check shapes; the services check meaning (CIDRs, DNS entries, pools).
import { type Static, Type } from "@sinclair/typebox";
import { EndpointWarningSchema } from "./endpoint.js";
import { configurationLifecycleFields, configurationLifecycleSettings } from "./lifecycle.js";
import {
  ClientAllowedIpsSchema,
  DnsListSchema,
  IdText,
  InterfaceNameSchema,
  KeepaliveSchema,
  MtuSchema,
  PlainText,
} from "./request-fields.js";
import { TimestampSchema } from "./timestamp.js";

export const InterfaceDtoSchema = Type.Object({
  id: Type.String(),
  nodeId: Type.String(),
  name: Type.String(),
  publicKey: Type.String(),
  listenPort: Type.Integer(),
  /** host:port clients connect to (the node's endpoint host or the dashboard host's name when not set). */
  endpoint: Type.String(),
  /** Why clients elsewhere may not reach `endpoint` (empty when they can). */
  endpointWarnings: Type.Array(EndpointWarningSchema),
  /** Set when the interface's own endpoint is stored; null when it follows its node's endpoint host. */
  endpointOverride: Type.Union([Type.String(), Type.Null()]),
  /** DNS handed to this interface's clients instead of the configuration's; null: the configuration's. */
  dns: Type.Union([Type.Array(Type.String()), Type.Null()]),
  /** The interface's MTU on the node and its clients' unless a peer sets one; null: the configuration's. */
  mtu: Type.Union([Type.Integer(), Type.Null()]),
  pool: Type.Union([Type.String(), Type.Null()]),
  pool6: Type.Union([Type.String(), Type.Null()]),
  /** The interface's own addresses: each pool's gateway with the pool's prefix. */
  addresses: Type.Array(Type.String()),
  revision: Type.Integer(),
  peerCount: Type.Integer(),
  enabledPeerCount: Type.Integer(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type InterfaceDto = Static<typeof InterfaceDtoSchema>;

export const ConfigurationDtoSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    dns: Type.Array(Type.String()),
    clientAllowedIps: Type.Array(Type.String()),
    mtu: Type.Union([Type.Integer(), Type.Null()]),
    keepalive: Type.Union([Type.Integer(), Type.Null()]),
    ...configurationLifecycleFields,
    interfaces: Type.Array(InterfaceDtoSchema),
    peerCount: Type.Integer(),
    enabledPeerCount: Type.Integer(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  },
  { title: "Configuration" },
);
export type ConfigurationDto = Static<typeof ConfigurationDtoSchema>;

export const ConfigurationNameParamsSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

const configurationSettings = {
  description: Type.Optional(PlainText(1000)),
  dns: Type.Optional(DnsListSchema),
  clientAllowedIps: Type.Optional(ClientAllowedIpsSchema),
  mtu: Type.Optional(MtuSchema),
  keepalive: Type.Optional(KeepaliveSchema),
  ...configurationLifecycleSettings,
};

/** `POST /api/v1/configurations`: the name is also the default interface name on each node. */
export const CreateConfigurationBodySchema = Type.Object(
  { name: InterfaceNameSchema, ...configurationSettings },
  { additionalProperties: false },
);
export type CreateConfigurationBody = Static<typeof CreateConfigurationBodySchema>;

/** `PATCH /api/v1/configurations/:name`. */
export const UpdateConfigurationBodySchema = Type.Object(configurationSettings, {
  additionalProperties: false,
});
export type UpdateConfigurationBody = Static<typeof UpdateConfigurationBodySchema>;

/** `POST /api/v1/configurations/:name/interfaces`: the configuration on one node. */
export const AddInterfaceBodySchema = Type.Object(
  {
    nodeId: IdText(),
    listenPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    pool: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "IPv4 CIDR, e.g. 198.51.100.0/24" }),
    ),
    pool6: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: "IPv6 CIDR, e.g. 2001:db8::/64; alone for an IPv6-only interface",
      }),
    ),
    endpoint: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 270,
        description: "host:port, or a bare host that takes listenPort; default: the node's endpoint host",
      }),
    ),
    interfaceName: Type.Optional(InterfaceNameSchema),
  },
  { additionalProperties: false },
);
export type AddInterfaceBody = Static<typeof AddInterfaceBodySchema>;

/**
 * `PATCH /api/v1/configurations/:name/interfaces/:nodeId`: the interface changed in place, its peers
 * kept. `null` puts a setting back to its default (the node's endpoint host, the configuration's DNS
 * and MTU). An endpoint without a port follows the listen port.
 */
export const UpdateInterfaceBodySchema = Type.Object(
  {
    endpoint: Type.Optional(
      Type.Union([
        Type.String({ minLength: 1, maxLength: 270, description: "host:port, or a bare host" }),
        Type.Null(),
      ]),
    ),
    listenPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    dns: Type.Optional(Type.Union([DnsListSchema, Type.Null()])),
    mtu: Type.Optional(MtuSchema),
  },
  { additionalProperties: false },
);
export type UpdateInterfaceBody = Static<typeof UpdateInterfaceBodySchema>;

export const InterfaceNodeParamsSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    nodeId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
export type InterfaceNodeParams = Static<typeof InterfaceNodeParamsSchema>;

/** The PATCH answer: the interface, and whether every peer's client config changed with it. */
export const UpdatedInterfaceDtoSchema = Type.Object({
  ...InterfaceDtoSchema.properties,
  /** True when the endpoint, port, DNS or MTU clients get changed: they must re-import their config. */
  clientConfigsChanged: Type.Boolean(),
});
export type UpdatedInterfaceDto = Static<typeof UpdatedInterfaceDtoSchema>;

/** `DELETE` of a configuration or one of its interfaces. */
export const ForceQuerySchema = Type.Object(
  { force: Type.Optional(Type.Boolean({ description: "also delete the peers it still has" })) },
  { additionalProperties: false },
);
export type ForceQuery = Static<typeof ForceQuerySchema>;
