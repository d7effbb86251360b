// The agent protocol, version 1: the shapes the dashboard sends to an agent and the agent answers.
// Runtime schemas (TypeBox, i.e. JSON Schema) check the shape; `validate.ts` checks the meaning
// (keys decode to 32 bytes, CIDRs parse) and names the field that is wrong.
import { type Static, Type } from "@sinclair/typebox";

export const PROTOCOL_VERSION = "v1";

/** Base64 of 32 bytes: 43 characters and one "=". */
export const WireGuardKeySchema = Type.String({
  minLength: 44,
  maxLength: 44,
  pattern: "^[A-Za-z0-9+/]{43}=$",
});

/**
 * Linux interface names, the one rule for the agent protocol and the dashboard's API: 1-15 letters,
 * digits or _=+.-, starting with a letter or digit (so never "." or ".."), no slash, no whitespace.
 */
export const INTERFACE_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_=+.-]{0,14}$";
export const INTERFACE_NAME_RULE =
  "must be 1-15 characters of letters, digits and _=+.- starting with a letter or digit";
export const InterfaceNameSchema = Type.String({
  minLength: 1,
  maxLength: 15,
  pattern: INTERFACE_NAME_PATTERN,
});

/** An IPv4 or IPv6 CIDR or address in text; `validate.ts` parses it for real. */
export const CidrTextSchema = Type.String({ minLength: 2, maxLength: 50 });

/** host:port or [v6]:port; `validate.ts` parses it. */
export const EndpointSchema = Type.String({ minLength: 3, maxLength: 261 });

/** A time of day, "HH:MM" from 00:00 to 24:00, in the schedule's time zone. */
export const ClockTimeSchema = Type.String({ pattern: "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$" });

/**
 * One weekly window when a peer may connect: on each of `days` (0 = Sunday … 6 = Saturday) from
 * `from` to `to`. A `to` at or before `from` runs past midnight into the next day. The same shape as
 * the API's peer `schedule.windows`.
 */
export const WeeklyWindowSchema = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), {
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
    }),
    from: ClockTimeSchema,
    to: ClockTimeSchema,
  },
  { additionalProperties: false },
);
export type WeeklyWindow = Static<typeof WeeklyWindowSchema>;

/** Weekly windows in a named IANA time zone ("Europe/Berlin"); outside every window the peer is off. */
export const AccessScheduleSchema = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    windows: Type.Array(WeeklyWindowSchema, { minItems: 1, maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type AccessSchedule = Static<typeof AccessScheduleSchema>;

/**
 * The traffic a peer may still move before the node cuts it off. The node counts from the moment it
 * first sees a budget `id` (and keeps that count across restarts); the same id sent again keeps the
 * count, a new id starts a new one. `counting` says which direction counts (rx = received from the peer).
 */
export const TrafficBudgetSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_.:-]+$" }),
    bytesLeft: Type.Integer({ minimum: 0 }),
    counting: Type.Union([Type.Literal("total"), Type.Literal("rx"), Type.Literal("tx")]),
  },
  { additionalProperties: false },
);
export type TrafficBudget = Static<typeof TrafficBudgetSchema>;

/**
 * When a peer may be on the interface. The node enforces it on its own clock, also while the dashboard
 * is away: outside it the peer stays in the desired state but is kept off the kernel (suspended).
 */
export const PeerAccessSchema = Type.Object(
  {
    /** ms since the epoch: from this moment on the peer is off (expired). */
    notAfter: Type.Optional(Type.Integer({ minimum: 0 })),
    schedule: Type.Optional(AccessScheduleSchema),
    budget: Type.Optional(TrafficBudgetSchema),
  },
  { additionalProperties: false },
);
export type PeerAccess = Static<typeof PeerAccessSchema>;

export const SUSPENSION_REASONS = ["expired", "schedule", "quota"] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/** A desired peer the node keeps off the kernel now, why, and since when (ms since the epoch). */
export const SuspendedPeerSchema = Type.Object({
  publicKey: WireGuardKeySchema,
  reason: Type.Union(SUSPENSION_REASONS.map((reason) => Type.Literal(reason))),
  since: Type.Integer({ minimum: 0 }),
});
export type SuspendedPeer = Static<typeof SuspendedPeerSchema>;

export const PeerSpecSchema = Type.Object(
  {
    publicKey: WireGuardKeySchema,
    presharedKey: Type.Optional(WireGuardKeySchema),
    allowedIps: Type.Array(CidrTextSchema, { maxItems: 256 }),
    persistentKeepalive: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    endpoint: Type.Optional(EndpointSchema),
    /** Expiry, schedule and traffic budget, enforced by the node. Absent: always on. */
    access: Type.Optional(PeerAccessSchema),
  },
  { additionalProperties: false },
);
export type PeerSpec = Static<typeof PeerSpecSchema>;

export const InterfaceHooksSchema = Type.Object(
  {
    preUp: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 16 })),
    postUp: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 16 })),
    preDown: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 16 })),
    postDown: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 16 })),
  },
  { additionalProperties: false },
);
export type InterfaceHooks = Static<typeof InterfaceHooksSchema>;

/** The desired interface, without its peers. */
/** A node's answer to drift: repair it, or only report it. */
export const DriftPolicySchema = Type.Union([Type.Literal("repair"), Type.Literal("report")]);
export type DriftPolicy = Static<typeof DriftPolicySchema>;

export const InterfaceSpecSchema = Type.Object(
  {
    name: InterfaceNameSchema,
    privateKey: WireGuardKeySchema,
    listenPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    /** The interface's own addresses with the pool's prefix, e.g. "198.51.100.1/24". */
    addresses: Type.Array(CidrTextSchema, { minItems: 1, maxItems: 16 }),
    mtu: Type.Optional(Type.Integer({ minimum: 1280, maximum: 9000 })),
    /** Only honoured by an agent started with the flag that allows hooks. */
    hooks: Type.Optional(InterfaceHooksSchema),
    /**
     * What the agent's own drift check does with what it finds: `repair` puts missing peers back and
     * removes stray ones; `report` only reports them. Absent (an older dashboard): missing peers are put
     * back and strays only reported.
     */
    driftPolicy: Type.Optional(DriftPolicySchema),
  },
  { additionalProperties: false },
);
export type InterfaceSpec = Static<typeof InterfaceSpecSchema>;

/** The whole desired state of one interface. A higher revision replaces a lower one. */
export const InterfaceStateSchema = Type.Object(
  {
    revision: Type.Integer({ minimum: 0 }),
    interface: InterfaceSpecSchema,
    peers: Type.Array(PeerSpecSchema, { maxItems: 100_000 }),
  },
  { additionalProperties: false },
);
export type InterfaceState = Static<typeof InterfaceStateSchema>;

/** Many upserts and removals on one interface, applied in one go. */
export const PeerBatchSchema = Type.Object(
  {
    upsert: Type.Array(PeerSpecSchema, { maxItems: 100_000 }),
    remove: Type.Array(WireGuardKeySchema, { maxItems: 100_000 }),
  },
  { additionalProperties: false },
);
export type PeerBatch = Static<typeof PeerBatchSchema>;

/** A peer as the live interface reports it (`wg show NAME dump`). */
export const LivePeerSchema = Type.Object({
  publicKey: WireGuardKeySchema,
  endpoint: Type.Union([Type.String(), Type.Null()]),
  allowedIps: Type.Array(Type.String()),
  /** Unix seconds; 0 when there was never a handshake. */
  latestHandshake: Type.Integer({ minimum: 0 }),
  rxBytes: Type.Integer({ minimum: 0 }),
  txBytes: Type.Integer({ minimum: 0 }),
  persistentKeepalive: Type.Union([Type.Integer(), Type.Null()]),
});
export type LivePeer = Static<typeof LivePeerSchema>;

/** A desired peer merged with what the live interface says of it (null when it is not live). */
export const PeerStatusSchema = Type.Object({
  spec: PeerSpecSchema,
  live: Type.Union([LivePeerSchema, Type.Null()]),
});
export type PeerStatus = Static<typeof PeerStatusSchema>;

export const InterfaceHealthSchema = Type.Object({
  name: InterfaceNameSchema,
  up: Type.Boolean(),
  listenPort: Type.Union([Type.Integer(), Type.Null()]),
  publicKey: Type.Union([WireGuardKeySchema, Type.Null()]),
  peerCount: Type.Integer({ minimum: 0 }),
  /** Peers with a handshake in the last 3 minutes. */
  activePeers: Type.Integer({ minimum: 0 }),
  rxBytes: Type.Integer({ minimum: 0 }),
  txBytes: Type.Integer({ minimum: 0 }),
  /** The revision of the desired state last applied. */
  revision: Type.Integer({ minimum: 0 }),
  /** SHA-256 hex of the canonical desired state (see digest.ts). */
  digest: Type.String(),
  lastApplyError: Type.Union([Type.String(), Type.Null()]),
  driftRepairs: Type.Integer({ minimum: 0 }),
  /** Public keys live on the interface that the desired state does not have (left alone until reconcile). */
  strayPeers: Type.Array(WireGuardKeySchema),
  /** Desired peers kept off the kernel by their access rules. Optional so an older agent validates. */
  suspendedPeers: Type.Optional(Type.Array(SuspendedPeerSchema)),
  /** Desired peers (access on) that are not live: what a repair would put back. Optional for older agents. */
  missingPeers: Type.Optional(Type.Array(WireGuardKeySchema)),
  /** When a drift check last changed the live interface (ms since epoch); null: never since start. */
  lastRepairAt: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});
export type InterfaceHealth = Static<typeof InterfaceHealthSchema>;

export const HealthSchema = Type.Object({
  version: Type.String(),
  protocol: Type.Literal(PROTOCOL_VERSION),
  uptimeSeconds: Type.Number({ minimum: 0 }),
  hostname: Type.String(),
  /**
   * A random UUID the agent made once in its state dir: the same across restarts, new after the state
   * dir is wiped or on another machine. Optional so an older agent still validates.
   */
  instanceId: Type.Optional(
    Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" }),
  ),
  /**
   * Whether the agent can manage WireGuard, found by creating and deleting a test interface (re-checked
   * about every minute): false with the system's reason when it is not root and lacks CAP_NET_ADMIN,
   * wireguard-go is missing, and so on. The dashboard marks such a node degraded. Optional for older agents.
   */
  capability: Type.Optional(
    Type.Object({ ok: Type.Boolean(), reason: Type.Union([Type.String(), Type.Null()]) }),
  ),
  /** Agent's clock, ms since epoch: lets the dashboard report clock skew. */
  time: Type.Integer(),
  interfaces: Type.Array(InterfaceHealthSchema),
  /**
   * Live WireGuard interfaces the node runs but does not manage (not in its desired state): the
   * dashboard marks the node degraded until an admin removes them. Optional so an older agent validates.
   */
  strayInterfaces: Type.Optional(Type.Array(Type.String())),
  load: Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }),
  memory: Type.Object({
    totalBytes: Type.Integer({ minimum: 0 }),
    freeBytes: Type.Integer({ minimum: 0 }),
    rssBytes: Type.Integer({ minimum: 0 }),
  }),
});
export type Health = Static<typeof HealthSchema>;
