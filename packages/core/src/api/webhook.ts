// Webhooks as the dashboard's API answers with them (never the secret, only its last characters), the
// bodies that add and change one, the delivery log, and the names of the events a webhook can ask for.
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

/** Every event a webhook can subscribe to (the dashboard's domain events; see docs/webhooks.md). */
export const WEBHOOK_EVENTS = [
  "peer.created",
  "peer.updated",
  "peer.deleted",
  "peer.expired",
  "peer.suspended",
  "peer.quota_warning",
  "node.online",
  "node.offline",
  "node.degraded",
  "drift.repaired",
  "pool.almost_full",
  "alert.firing",
  "alert.resolved",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The event type of the "send test" button's delivery (not subscribable). */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const WEBHOOK_NAME_MAX_LENGTH = 100;
export const WEBHOOK_URL_MAX_LENGTH = 2000;
export const WEBHOOK_SECRET_MIN_LENGTH = 16;
export const WEBHOOK_SECRET_MAX_LENGTH = 200;

// Spelled out: the route type provider types a union only from a literal tuple.
const WebhookEventSchema = Type.Union([
  Type.Literal("peer.created"),
  Type.Literal("peer.updated"),
  Type.Literal("peer.deleted"),
  Type.Literal("peer.expired"),
  Type.Literal("peer.suspended"),
  Type.Literal("peer.quota_warning"),
  Type.Literal("node.online"),
  Type.Literal("node.offline"),
  Type.Literal("node.degraded"),
  Type.Literal("drift.repaired"),
  Type.Literal("pool.almost_full"),
  Type.Literal("alert.firing"),
  Type.Literal("alert.resolved"),
]);
// Keeps the schema and the list the same set.
const sameEvents: [Static<typeof WebhookEventSchema>] extends [WebhookEvent]
  ? [WebhookEvent] extends [Static<typeof WebhookEventSchema>]
    ? true
    : never
  : never = true;
void sameEvents;

const DeliveryStatusSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("delivered"),
  Type.Literal("failed"),
]);

export const WebhookDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(WebhookEventSchema),
  enabled: Type.Boolean(),
  /** Whether deliveries may go to private, loopback or other non-public addresses. */
  allowPrivate: Type.Boolean(),
  secretHint: Type.String({ description: "the secret's last four characters" }),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type WebhookDto = Static<typeof WebhookDtoSchema>;

/** `POST /api/v1/webhooks`. */
export const CreatedWebhookDtoSchema = Type.Object({
  webhook: WebhookDtoSchema,
  secret: Type.String({ description: "the signing secret: shown once, never again" }),
});
export type CreatedWebhookDto = Static<typeof CreatedWebhookDtoSchema>;

const webhookFields = {
  name: Type.String({ minLength: 1, maxLength: WEBHOOK_NAME_MAX_LENGTH }),
  url: Type.String({ minLength: 1, maxLength: WEBHOOK_URL_MAX_LENGTH, description: "http:// or https://" }),
  events: Type.Array(WebhookEventSchema, { minItems: 1, maxItems: WEBHOOK_EVENTS.length, uniqueItems: true }),
  enabled: Type.Boolean(),
  allowPrivate: Type.Boolean(),
  secret: Type.String({
    minLength: WEBHOOK_SECRET_MIN_LENGTH,
    maxLength: WEBHOOK_SECRET_MAX_LENGTH,
    description: "the signing secret; generated when not given",
  }),
};

/** `POST /api/v1/webhooks`. */
export const CreateWebhookBodySchema = Type.Object(
  {
    name: webhookFields.name,
    url: webhookFields.url,
    events: webhookFields.events,
    enabled: Type.Optional(webhookFields.enabled),
    allowPrivate: Type.Optional(webhookFields.allowPrivate),
    secret: Type.Optional(webhookFields.secret),
  },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBodySchema>;

/** `PATCH /api/v1/webhooks/:id`: the fields given change; a new secret replaces the old one. */
export const UpdateWebhookBodySchema = Type.Partial(CreateWebhookBodySchema, { additionalProperties: false });
export type UpdateWebhookBody = Static<typeof UpdateWebhookBodySchema>;

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const WebhookDeliveryDtoSchema = Type.Object({
  id: Type.String(),
  webhookId: Type.String(),
  eventId: Type.String(),
  event: Type.String(),
  /** pending: will be tried (again); delivered: a 2xx answer; failed: given up (24 h after the event). */
  status: DeliveryStatusSchema,
  attempts: Type.Integer({ minimum: 0 }),
  responseCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: TimestampSchema,
  lastAttemptAt: NullableTimestampSchema,
  nextAttemptAt: NullableTimestampSchema,
  deliveredAt: NullableTimestampSchema,
  /** The JSON body that is sent. */
  payload: Type.Unknown(),
});
export type WebhookDeliveryDto = Static<typeof WebhookDeliveryDtoSchema>;

/** `GET /api/v1/webhooks/:id/deliveries`. */
export const WebhookDeliveriesQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: "default 50" })),
    status: Type.Optional(DeliveryStatusSchema),
  },
  { additionalProperties: false },
);
export type WebhookDeliveriesQuery = Static<typeof WebhookDeliveriesQuerySchema>;
