// A configuration and its interfaces (one per node that hosts it) as the dashboard's API answers with
// them: public parts only, never an interface's private key.
import { type Static, Type } from "@sinclair/typebox";
import { TimestampSchema } from "./timestamp.js";

export const InterfaceDtoSchema = Type.Object({
  id: Type.String(),
  nodeId: Type.String(),
  name: Type.String(),
  publicKey: Type.String(),
  listenPort: Type.Integer(),
  /** host:port clients connect to (the node's endpoint host or the dashboard host's name when not set). */
  endpoint: Type.String(),
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

export const ConfigurationDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  dns: Type.Array(Type.String()),
  clientAllowedIps: Type.Array(Type.String()),
  mtu: Type.Union([Type.Integer(), Type.Null()]),
  keepalive: Type.Union([Type.Integer(), Type.Null()]),
  interfaces: Type.Array(InterfaceDtoSchema),
  peerCount: Type.Integer(),
  enabledPeerCount: Type.Integer(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type ConfigurationDto = Static<typeof ConfigurationDtoSchema>;
