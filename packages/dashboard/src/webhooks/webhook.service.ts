// Rules for webhooks: admins add, change and remove them (the secret is generated when not given,
// stored encrypted and shown once; a hint stands in for it afterwards), every domain event a webhook
// asks for becomes one queued delivery per webhook (stored before the event's request answers), and
// "send test" queues a `webhook.test` delivery and tries it at once. The worker does the sending.
// Every event asks which webhooks are enabled: a per-process copy answers (replicas/read-cache.ts),
// dropped on every change of a webhook (`webhook` notices) and at most READ_CACHE_TTL_MS old.
import { randomBytes, randomUUID } from "node:crypto";
import {
  type CreatedWebhookDto,
  type CreateWebhookBody,
  hasControlCharacters,
  NotFoundError,
  type UpdateWebhookBody,
  ValidationError,
  WEBHOOK_TEST_EVENT,
  type WebhookDeliveriesQuery,
  type WebhookDeliveryDto,
  type WebhookDto,
} from "@wgfleet/core";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { DomainEvent } from "../events/index.js";
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import { ReadCache } from "../replicas/read-cache.js";
import type { SecretBox } from "../secrets/index.js";
import type { DeliveryWorker } from "./delivery-worker.js";
import { toDeliveryDto, toWebhookDto } from "./webhook.mapper.js";
import type { NewDelivery, WebhookRepository, WebhookUpdate } from "./webhook.repository.js";
import { checkWebhookUrl } from "./webhook-target.js";

const DEFAULT_DELIVERY_LIMIT = 50;

export interface WebhookServiceDeps {
  repository: WebhookRepository;
  secrets: Pick<SecretBox, "encrypt">;
  worker: Pick<DeliveryWorker, "attempt" | "wake">;
  /** Told of every change of a webhook; its `webhook` notices drop the copy of the enabled ones. */
  invalidation: Pick<CacheInvalidation, "changed" | "subscribe" | "catchUp">;
  clock?: Clock;
}

/** An enabled webhook as the event filter needs it. */
interface Subscription {
  id: string;
  events: ReadonlySet<string>;
}

/** The one key of the copy: any webhook's notice drops it. */
const ENABLED = "enabled";

/** The JSON body of a delivery: the event as published. */
function payloadOf(event: { id: string; type: string; occurredAt: string; data: unknown }): string {
  return JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt, data: event.data });
}

export class WebhookService {
  private readonly clock: Clock;
  private readonly enabled: ReadCache<Subscription[]>;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.enabled = new ReadCache(deps.invalidation, "webhook", { concerns: () => true });
  }

  async list(): Promise<WebhookDto[]> {
    return (await this.deps.repository.list()).map(toWebhookDto);
  }

  async get(id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.require(id));
  }

  async create(body: CreateWebhookBody): Promise<CreatedWebhookDto> {
    const secret = body.secret ?? `whsec_${randomBytes(24).toString("base64url")}`;
    const at = nowIso(this.clock.now());
    const id = randomUUID();
    await this.deps.repository.insert({
      id,
      name: checkName(body.name),
      url: checkWebhookUrl(body.url),
      events: JSON.stringify(body.events),
      enabled: body.enabled === false ? 0 : 1,
      allow_private: body.allowPrivate === true ? 1 : 0,
      ...this.secretColumns(checkSecret(secret)),
      created_at: at,
      updated_at: at,
    });
    await this.deps.invalidation.changed("webhook", id);
    return { webhook: await this.get(id), secret };
  }

  async update(id: string, body: UpdateWebhookBody): Promise<WebhookDto> {
    await this.require(id);
    const changes: WebhookUpdate = {};
    if (body.name !== undefined) changes.name = checkName(body.name);
    if (body.url !== undefined) changes.url = checkWebhookUrl(body.url);
    if (body.events !== undefined) changes.events = JSON.stringify(body.events);
    if (body.enabled !== undefined) changes.enabled = body.enabled ? 1 : 0;
    if (body.allowPrivate !== undefined) changes.allow_private = body.allowPrivate ? 1 : 0;
    if (body.secret !== undefined) Object.assign(changes, this.secretColumns(checkSecret(body.secret)));
    if (Object.keys(changes).length > 0) {
      changes.updated_at = nowIso(this.clock.now());
      await this.deps.repository.update(id, changes);
      await this.deps.invalidation.changed("webhook", id);
    }
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.deps.repository.delete(id))) throw new NotFoundError(`webhook ${id}`);
    await this.deps.invalidation.changed("webhook", id);
  }

  /** The enabled webhooks and the events each asks for. */
  private async subscriptions(): Promise<Subscription[]> {
    const read = async () =>
      (await this.deps.repository.listEnabled()).map((w) => ({
        id: w.id,
        events: new Set(JSON.parse(w.events) as string[]),
      }));
    return (await this.enabled.get(ENABLED, read)) ?? [];
  }

  /** Queues a `webhook.test` delivery and tries it now; the answer is the delivery after that try. */
  async test(id: string): Promise<WebhookDeliveryDto> {
    const webhook = await this.require(id);
    const event = {
      id: randomUUID(),
      type: WEBHOOK_TEST_EVENT,
      occurredAt: nowIso(this.clock.now()),
      data: { webhookId: webhook.id, name: webhook.name },
    };
    const row = this.deliveryOf(webhook.id, event);
    await this.deps.repository.insertDeliveries([row]);
    const stored = await this.deps.repository.findDelivery(row.id);
    if (!stored) throw new NotFoundError(`delivery ${row.id}`);
    await this.deps.worker.attempt(stored);
    return toDeliveryDto((await this.deps.repository.findDelivery(row.id)) ?? stored);
  }

  async deliveries(id: string, query: WebhookDeliveriesQuery): Promise<WebhookDeliveryDto[]> {
    await this.require(id);
    const rows = await this.deps.repository.listDeliveries(
      id,
      query.limit ?? DEFAULT_DELIVERY_LIMIT,
      query.status,
    );
    return rows.map(toDeliveryDto);
  }

  /** The event bus's subscriber: one queued delivery per enabled webhook that asks for the event. */
  async enqueue(event: DomainEvent): Promise<number> {
    return this.enqueueAll([event]);
  }

  /**
   * Many events at once (a bulk change's): the webhooks read once and every delivery queued in a few
   * multi-row inserts, instead of a read and an insert per event.
   */
  async enqueueAll(events: readonly DomainEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const webhooks = await this.subscriptions();
    const rows = events.flatMap((event) =>
      webhooks.filter((w) => w.events.has(event.type)).map((w) => this.deliveryOf(w.id, event)),
    );
    if (rows.length === 0) return 0;
    await this.deps.repository.insertDeliveries(rows);
    this.deps.worker.wake();
    return rows.length;
  }

  private deliveryOf(
    webhookId: string,
    event: { id: string; type: string; occurredAt: string; data: unknown },
  ): NewDelivery {
    return {
      id: randomUUID(),
      webhook_id: webhookId,
      event_id: event.id,
      event_type: event.type,
      payload: payloadOf(event),
      status: "pending",
      attempts: 0,
      next_attempt_at: event.occurredAt,
      last_attempt_at: null,
      response_code: null,
      last_error: null,
      created_at: event.occurredAt,
      delivered_at: null,
    };
  }

  private secretColumns(secret: string) {
    return { secret_enc: this.deps.secrets.encrypt(secret), secret_hint: secret.slice(-4) };
  }

  private async require(id: string) {
    const row = await this.deps.repository.findById(id);
    if (!row) throw new NotFoundError(`webhook ${id}`);
    return row;
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new ValidationError("name", "must not be empty");
  if (hasControlCharacters(trimmed)) throw new ValidationError("name", "must not contain control characters");
  return trimmed;
}

function checkSecret(secret: string): string {
  if (/\s/.test(secret) || hasControlCharacters(secret))
    throw new ValidationError("secret", "must not contain spaces or control characters");
  return secret;
}
