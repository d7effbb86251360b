// Builds the webhook service and its delivery worker and subscribes the service to the domain event
// bus: the composition root (services.ts) calls this once.
import type { Clock } from "../clock.js";
import type { Db } from "../db/index.js";
import type { DomainEventBus } from "../events/index.js";
import type { Logger } from "../logging/logger.js";
import type { SecretBox } from "../secrets/index.js";
import { DeliveryWorker, type DeliveryWorkerDeps } from "./delivery-worker.js";
import { WebhookRepository } from "./webhook.repository.js";
import { WebhookService, type WebhookServiceDeps } from "./webhook.service.js";

export interface WebhookServices {
  webhooks: WebhookService;
  webhookDeliveries: DeliveryWorker;
}

declare module "../http/context.js" {
  interface AppServices extends WebhookServices {}
}

export type WebhookDeliveryOptions = Pick<DeliveryWorkerDeps, "settings" | "send" | "resolve" | "userAgent">;

export function createWebhookServices(deps: {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  clock: Clock;
  events: Pick<DomainEventBus, "subscribe">;
  invalidation: WebhookServiceDeps["invalidation"];
  delivery?: WebhookDeliveryOptions;
}): WebhookServices {
  const repository = new WebhookRepository(deps.db);
  const worker = new DeliveryWorker({
    repository,
    secrets: deps.secrets,
    logger: deps.logger,
    clock: deps.clock,
    ...deps.delivery,
  });
  const webhooks = new WebhookService({
    repository,
    secrets: deps.secrets,
    worker,
    invalidation: deps.invalidation,
    clock: deps.clock,
  });
  deps.events.subscribe(
    "webhooks",
    async (event) => {
      await webhooks.enqueue(event);
    },
    async (events) => {
      await webhooks.enqueueAll(events);
    },
  );
  return { webhooks, webhookDeliveries: worker };
}
