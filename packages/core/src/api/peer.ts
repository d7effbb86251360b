// A peer as the dashboard's API answers with it, and the page of a configuration's peer list. Never a
// private or preshared key: only whether the dashboard holds them (the client config download is the
// one place keys go out).
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

export const PeerStateSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("active"),
  Type.Literal("failed"),
]);
export type PeerState = Static<typeof PeerStateSchema>;

export const PeerDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  configuration: Type.String(),
  /** The node id: "local" for the dashboard's own host. */
  node: Type.String(),
  interface: Type.String(),
  publicKey: Type.String(),
  addresses: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  state: PeerStateSchema,
  /** null: the configuration's DNS applies. */
  dns: Type.Union([Type.Array(Type.String()), Type.Null()]),
  clientAllowedIps: Type.Array(Type.String()),
  mtu: Type.Union([Type.Integer(), Type.Null()]),
  keepalive: Type.Union([Type.Integer(), Type.Null()]),
  expiresAt: NullableTimestampSchema,
  hasPresharedKey: Type.Boolean(),
  /** false when the peer was created with its own public key: the client holds the private key. */
  configAvailable: Type.Boolean(),
  online: Type.Boolean(),
  rx: Type.Integer(),
  tx: Type.Integer(),
  latestHandshake: NullableTimestampSchema,
  endpoint: Type.Union([Type.String(), Type.Null()]),
  statsUpdatedAt: NullableTimestampSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type PeerDto = Static<typeof PeerDtoSchema>;

/** `GET /api/v1/configurations/:name/peers`: keyset pagination with an opaque cursor. */
export const PeerPageDtoSchema = Type.Object({
  items: Type.Array(PeerDtoSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer(),
});
export type PeerPageDto = Static<typeof PeerPageDtoSchema>;

/** The `status` filter of the peer list. */
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
export type PeerStatusFilter = (typeof PEER_STATUS_FILTERS)[number];
