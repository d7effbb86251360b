// Alerts as the dashboard's API answers with them (`GET /api/v1/alerts`), the thresholds admins set
// (`GET`/`PUT /api/v1/alerts/settings`) and their limits, and the webhook payload of alert.firing /
// alert.resolved. The engine that fires and resolves them is the dashboard's (src/alerts).
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

export const ALERT_KINDS = [
  "node.offline",
  "node.degraded",
  "pool.full",
  "drift.repairs",
  "handshakes.stale",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

// Spelled out: the route type provider types a union only from a literal tuple.
export const AlertKindSchema = Type.Union([
  Type.Literal("node.offline"),
  Type.Literal("node.degraded"),
  Type.Literal("pool.full"),
  Type.Literal("drift.repairs"),
  Type.Literal("handshakes.stale"),
]);

export const AlertStateSchema = Type.Union([Type.Literal("firing"), Type.Literal("resolved")]);
export type AlertState = Static<typeof AlertStateSchema>;

export const AlertDtoSchema = Type.Object({
  id: Type.String(),
  kind: AlertKindSchema,
  /** What it is about: a node id, "<interface id>/<pool>", or "fleet". */
  subject: Type.String(),
  /** One line for people, in English (the web app words its own from `kind` and `details`). */
  summary: Type.String(),
  state: AlertStateSchema,
  firedAt: TimestampSchema,
  resolvedAt: NullableTimestampSchema,
  /** The facts when it fired: node name, pool, counts, the threshold that was crossed. */
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AlertDto = Static<typeof AlertDtoSchema>;

export const AlertListQuerySchema = Type.Object(
  {
    state: Type.Optional(AlertStateSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: "default 100" })),
  },
  { additionalProperties: false },
);
export type AlertListQuery = Static<typeof AlertListQuerySchema>;

/** Firing alerts first (newest first), then the most recent resolved ones. */
export const AlertListDtoSchema = Type.Object({
  items: Type.Array(AlertDtoSchema),
  firing: Type.Integer({ description: "how many alerts fire now" }),
});
export type AlertListDto = Static<typeof AlertListDtoSchema>;

export const ALERT_SETTINGS_LIMITS = {
  poolFullPercent: { minimum: 1, maximum: 100 },
  driftRepairsPerHour: { minimum: 1, maximum: 10_000 },
  staleHandshakePercent: { minimum: 1, maximum: 100 },
} as const;

export const AlertSettingsSchema = Type.Object(
  {
    /** pool.full fires when a pool's used share reaches this percentage. */
    poolFullPercent: Type.Integer(ALERT_SETTINGS_LIMITS.poolFullPercent),
    /** drift.repairs fires when a node repaired drift this many times within an hour. */
    driftRepairsPerHour: Type.Integer(ALERT_SETTINGS_LIMITS.driftRepairsPerHour),
    /** handshakes.stale fires when more than this percentage of peers lost their handshake. */
    staleHandshakePercent: Type.Integer(ALERT_SETTINGS_LIMITS.staleHandshakePercent),
  },
  { additionalProperties: false },
);
export type AlertSettings = Static<typeof AlertSettingsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  poolFullPercent: 90,
  driftRepairsPerHour: 3,
  staleHandshakePercent: 50,
};

/** The data of the alert.firing and alert.resolved webhook events. */
export interface AlertEventData {
  alertId: string;
  kind: AlertKind;
  subject: string;
  summary: string;
  firedAt: string;
  resolvedAt: string | null;
  details: Record<string, unknown>;
}
