// Webhook rows → API answers: never the secret (encrypted or not), only its hint.
import type { WebhookDeliveryDto, WebhookDto, WebhookEvent } from "@wgfleet/core";
import type { DeliveryRow, WebhookRow } from "./webhook.repository.js";

export function toWebhookDto(row: WebhookRow): WebhookDto {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEvent[],
    enabled: Number(row.enabled) === 1,
    allowPrivate: Number(row.allow_private) === 1,
    secretHint: row.secret_hint,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDeliveryDto(row: DeliveryRow): WebhookDeliveryDto {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    event: row.event_type,
    status: row.status,
    attempts: Number(row.attempts),
    responseCode: row.response_code === null ? null : Number(row.response_code),
    lastError: row.last_error,
    createdAt: row.created_at,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    payload: JSON.parse(row.payload) as unknown,
  };
}
