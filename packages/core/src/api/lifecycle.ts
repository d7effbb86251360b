// A peer's lifecycle rules as the API takes and answers them: its traffic quota, its access schedule,
// what the node reports it suspended, and the history of what the rules did. The node enforces expiry,
// schedules and the byte budget on its own clock (protocol v1 `PeerAccess`); the dashboard turns these
// rules into that access, keeps the counters that decide the budget, and runs the quota's action.
import { type Static, Type } from "@sinclair/typebox";
import { AccessScheduleSchema } from "../protocol/v1.js";
import { IdText, Nullable } from "./request-fields.js";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

/** How often a quota's budget starts again; `none`: one budget for the peer's whole life. */
export const QuotaPeriodSchema = Type.Union([
  Type.Literal("none"),
  Type.Literal("daily"),
  Type.Literal("weekly"),
  Type.Literal("monthly"),
]);
export const QUOTA_PERIODS = ["none", "daily", "weekly", "monthly"] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** What happens when the budget is used up. `suspend` lasts until the period starts again. */
export const QuotaActionSchema = Type.Union([
  Type.Literal("suspend"),
  Type.Literal("disable"),
  Type.Literal("delete"),
]);
export const QUOTA_ACTIONS = ["suspend", "disable", "delete"] as const;
export type QuotaAction = (typeof QUOTA_ACTIONS)[number];

/** Which traffic counts: rx (received from the peer), tx (sent to it) or both. */
export const QuotaCountingSchema = Type.Union([
  Type.Literal("total"),
  Type.Literal("rx"),
  Type.Literal("tx"),
]);
export const QUOTA_COUNTING = ["total", "rx", "tx"] as const;
export type QuotaCounting = (typeof QUOTA_COUNTING)[number];

/** A peer's traffic quota. Periods start at midnight in the configuration's time zone. */
export const PeerQuotaSchema = Type.Object(
  {
    bytes: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "the budget per period",
    }),
    period: QuotaPeriodSchema,
    /** weekly: the weekday a period starts (0 = Sunday … 6); monthly: the day of the month (1 … 28). */
    resetDay: Type.Optional(Type.Integer({ minimum: 0, maximum: 28 })),
    counting: Type.Optional(QuotaCountingSchema),
    action: Type.Optional(QuotaActionSchema),
    /** A `quota_warning` event once per period when this share of the budget is used. */
    warnAtPercent: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 99 }))),
  },
  { additionalProperties: false },
);
export type PeerQuota = Static<typeof PeerQuotaSchema>;

/** The quota as stored and answered: every default filled in. */
export const PeerQuotaDtoSchema = Type.Object({
  bytes: Type.Integer(),
  period: QuotaPeriodSchema,
  resetDay: Type.Integer(),
  counting: QuotaCountingSchema,
  action: QuotaActionSchema,
  warnAtPercent: Type.Union([Type.Integer(), Type.Null()]),
});
export type PeerQuotaDto = Static<typeof PeerQuotaDtoSchema>;

/** The quota's current period and what it has used (counters survive resets, restarts and moves). */
export const QuotaUsageDtoSchema = Type.Object({
  periodStart: TimestampSchema,
  /** null for period `none`. */
  periodEnd: NullableTimestampSchema,
  usedBytes: Type.Integer({ minimum: 0 }),
  /** usedBytes / bytes × 100, may pass 100 by up to one stats interval's traffic. */
  percent: Type.Number({ minimum: 0 }),
});
export type QuotaUsageDto = Static<typeof QuotaUsageDtoSchema>;

/** What the node reports it keeps off the kernel now, and since when. */
export const PeerSuspensionDtoSchema = Type.Object({
  reason: Type.Union([Type.Literal("expired"), Type.Literal("schedule"), Type.Literal("quota")]),
  since: TimestampSchema,
});
export type PeerSuspensionDto = Static<typeof PeerSuspensionDtoSchema>;

/** The lifecycle part of a peer answer (spread into PeerDto). */
export const peerLifecycleFields = {
  quota: Type.Union([PeerQuotaDtoSchema, Type.Null()]),
  quotaUsage: Type.Union([QuotaUsageDtoSchema, Type.Null()]),
  /** The peer's own schedule; null: the configuration's default (if any) applies. */
  schedule: Type.Union([AccessScheduleSchema, Type.Null()]),
  /** null: the node has it on the kernel (or has not reported yet). */
  suspension: Type.Union([PeerSuspensionDtoSchema, Type.Null()]),
};

/** The lifecycle fields of the create and update bodies: null removes a rule. */
export const peerLifecycleSettings = {
  quota: Type.Optional(Nullable(PeerQuotaSchema)),
  schedule: Type.Optional(Nullable(AccessScheduleSchema)),
};

/** What a rule did to a peer, as the history lists it. */
export const LIFECYCLE_EVENT_KINDS = [
  "suspended",
  "restored",
  "disabled",
  "deleted",
  "quota_warning",
  "period_reset",
] as const;
export type LifecycleEventKind = (typeof LIFECYCLE_EVENT_KINDS)[number];

/** The rule that acted. */
export const LIFECYCLE_RULES = ["expiry", "schedule", "quota"] as const;
export type LifecycleRule = (typeof LIFECYCLE_RULES)[number];

export const LifecycleEventDtoSchema = Type.Object({
  id: Type.String(),
  peerId: Type.String(),
  at: TimestampSchema,
  kind: Type.Union([
    Type.Literal("suspended"),
    Type.Literal("restored"),
    Type.Literal("disabled"),
    Type.Literal("deleted"),
    Type.Literal("quota_warning"),
    Type.Literal("period_reset"),
  ]),
  rule: Type.Union([Type.Literal("expiry"), Type.Literal("schedule"), Type.Literal("quota")]),
  /** A sentence for admins ("1.0 GB of 1.0 GB used this month"). */
  detail: Type.String(),
});
export type LifecycleEventDto = Static<typeof LifecycleEventDtoSchema>;

/** `GET /api/v1/peers/:id/lifecycle`: the peer's rules and what they did, newest first. */
export const PeerLifecycleDtoSchema = Type.Object({
  peerId: Type.String(),
  expiresAt: NullableTimestampSchema,
  ...peerLifecycleFields,
  /** The schedule that applies: the peer's own, else its configuration's default, else null. */
  effectiveSchedule: Type.Union([AccessScheduleSchema, Type.Null()]),
  scheduleFrom: Type.Union([Type.Literal("peer"), Type.Literal("configuration"), Type.Null()]),
  events: Type.Array(LifecycleEventDtoSchema),
});
export type PeerLifecycleDto = Static<typeof PeerLifecycleDtoSchema>;

/** One peer in the fleet-wide attention lists. */
export const AttentionPeerDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  configuration: Type.String(),
  node: Type.String(),
  nodeName: Type.String(),
  expiresAt: NullableTimestampSchema,
  quota: Type.Union([PeerQuotaDtoSchema, Type.Null()]),
  quotaUsage: Type.Union([QuotaUsageDtoSchema, Type.Null()]),
  suspension: Type.Union([PeerSuspensionDtoSchema, Type.Null()]),
});
export type AttentionPeerDto = Static<typeof AttentionPeerDtoSchema>;

/** `GET /api/v1/lifecycle/attention`: peers expiring soon and peers near or over their quota. */
export const LifecycleAttentionDtoSchema = Type.Object({
  /** Peers whose expiresAt is within `days` from now (not yet passed), soonest first. */
  expiringSoon: Type.Array(AttentionPeerDtoSchema),
  /** Peers at or over `quotaPercent` of their budget this period, fullest first. */
  overQuota: Type.Array(AttentionPeerDtoSchema),
});
export type LifecycleAttentionDto = Static<typeof LifecycleAttentionDtoSchema>;

export const LifecycleAttentionQuerySchema = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: "default 7" })),
    quotaPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: "default 80" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: "per list, default 100" })),
  },
  { additionalProperties: false },
);
export type LifecycleAttentionQuery = Static<typeof LifecycleAttentionQuerySchema>;

/** Configuration-wide lifecycle defaults (spread into the configuration's DTO and bodies). */
export const configurationLifecycleFields = {
  /** IANA time zone that quota periods follow ("Europe/Berlin"); default "UTC". */
  timeZone: Type.String(),
  /** The schedule for peers without their own; null: always on. */
  defaultSchedule: Type.Union([AccessScheduleSchema, Type.Null()]),
};
export const configurationLifecycleSettings = {
  timeZone: Type.Optional(IdText('IANA time zone, e.g. "Europe/Berlin"')),
  defaultSchedule: Type.Optional(Nullable(AccessScheduleSchema)),
};
