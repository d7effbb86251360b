// The events a webhook can ask for, in the order the dialog lists them. A record over the core type, so
// an event added there fails the type check here until the dialog offers it too.
import type { WebhookEvent } from "../api/types.js";

const EVENTS: Record<WebhookEvent, true> = {
  "peer.created": true,
  "peer.updated": true,
  "peer.deleted": true,
  "peer.expired": true,
  "peer.suspended": true,
  "peer.quota_warning": true,
  "node.online": true,
  "node.offline": true,
  "node.degraded": true,
  "drift.repaired": true,
  "pool.almost_full": true,
  "alert.firing": true,
  "alert.resolved": true,
};

export const WEBHOOK_EVENT_NAMES = Object.keys(EVENTS) as WebhookEvent[];
