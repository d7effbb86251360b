// A peer as the dashboard's API answers with it, the page of a configuration's peer list, and the
// bodies and query that create, change and list peers. Never a private or preshared key in an answer:
// only whether the dashboard holds them (the client config download is the one place keys go out).
// The schemas check shapes; peer-checks.ts checks meaning (keys, addresses, names, dates).
import { type Static, Type } from "@sinclair/typebox";
import { ContactEmailSchema } from "./email.js";
import { peerLifecycleFields, peerLifecycleSettings } from "./lifecycle.js";
import {
  ClientAllowedIpsSchema,
  DnsListSchema,
  IdText,
  KeepaliveSchema,
  MtuSchema,
  Nullable,
  PlainText,
} from "./request-fields.js";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

export const PEER_DESCRIPTION_MAX_LENGTH = 200;
/** A peer's free-text note for admins: one line, never written to a config file. */
export const PeerDescriptionSchema = PlainText(PEER_DESCRIPTION_MAX_LENGTH, "a note for admins");

export const PeerStateSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("active"),
  Type.Literal("failed"),
]);
export type PeerState = Static<typeof PeerStateSchema>;

export const PeerDtoSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    /** Where the peer's share link and warnings are mailed; null: none. */
    contactEmail: Type.Union([Type.String(), Type.Null()]),
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
    ...peerLifecycleFields,
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
  },
  { title: "Peer" },
);
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
  "suspended",
] as const;
export type PeerStatusFilter = (typeof PEER_STATUS_FILTERS)[number];

export const ListPeersQuerySchema = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200 })),
    node: Type.Optional(IdText()),
    status: Type.Optional(Type.Union(PEER_STATUS_FILTERS.map((s) => Type.Literal(s)))),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ListPeersQuery = Static<typeof ListPeersQuerySchema>;

const PeerNameSchema = Type.String({ minLength: 1, maxLength: 256 });
const PeerAddressesSchema = Type.Array(Type.String({ maxLength: 64 }), {
  maxItems: 2,
  description: "at most one IPv4 and one IPv6 address (or /32, /128) inside the node's pools",
});

/** The client settings a peer may set for itself; null falls back to the configuration's. */
export const peerSettings = {
  dns: Type.Optional(Nullable(DnsListSchema)),
  clientAllowedIps: Type.Optional(ClientAllowedIpsSchema),
  mtu: Type.Optional(MtuSchema),
  keepalive: Type.Optional(KeepaliveSchema),
  expiresAt: Type.Optional(
    Nullable(Type.String({ maxLength: 40, description: "ISO-8601 date or time; null: never" })),
  ),
  ...peerLifecycleSettings,
};

/** `POST /api/v1/configurations/:name/peers`. */
export const CreatePeerBodySchema = Type.Object(
  {
    name: PeerNameSchema,
    description: Type.Optional(PeerDescriptionSchema),
    contactEmail: Type.Optional(Nullable(ContactEmailSchema)),
    node: Type.Optional(IdText('"auto" (default), "local" or a node id')),
    addresses: Type.Optional(PeerAddressesSchema),
    publicKey: Type.Optional(
      Type.String({ maxLength: 64, description: "the client's own key: no config is handed out" }),
    ),
    presharedKey: Type.Optional(
      Type.Union([Type.Boolean(), Type.String({ maxLength: 64 })], {
        description: "true (default): generate one; false: none; a key: use it",
      }),
    ),
    ...peerSettings,
  },
  { additionalProperties: false },
);
export type CreatePeerBody = Static<typeof CreatePeerBodySchema>;

/** `PATCH /api/v1/peers/:id`: only the fields given change. */
export const UpdatePeerBodySchema = Type.Object(
  {
    name: Type.Optional(PeerNameSchema),
    description: Type.Optional(Nullable(PeerDescriptionSchema)),
    contactEmail: Type.Optional(Nullable(ContactEmailSchema)),
    addresses: Type.Optional(PeerAddressesSchema),
    ...peerSettings,
  },
  { additionalProperties: false },
);
export type UpdatePeerBody = Static<typeof UpdatePeerBodySchema>;
