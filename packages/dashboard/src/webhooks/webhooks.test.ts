// Webhooks end to end inside the dashboard, on both engines, against a real receiver on loopback: a
// published event becomes a stored delivery, the worker signs and sends it, a failing receiver gets
// retries on the backoff schedule (the clock is moved, never slept through) until 24 h after the
// event, the secret is stored encrypted and never answered, and targets on non-public addresses need
// the webhook's opt-in, checked at delivery time against what the name resolves to then.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { startWebhookReceiver, type WebhookReceiver } from "../../../../test/support/webhook-receiver.js";
import { DomainEventBus } from "../events/index.js";
import { createLogger } from "../logging/logger.js";
import { LocalCacheInvalidation } from "../replicas/cache-invalidation.js";
import { SecretBox } from "../secrets/index.js";
import { GIVE_UP_AFTER_MS, RETRY_DELAYS_MS } from "./delivery-schedule.js";
import { DeliveryWorker } from "./delivery-worker.js";
import { WebhookRepository } from "./webhook.repository.js";
import { WebhookService } from "./webhook.service.js";
import { verifyWebhookSignature } from "./webhook-signature.js";
import type { ResolveHost } from "./webhook-target.js";

const START = Date.parse("2026-03-01T12:00:00.000Z");
const peerEvent = {
  type: "peer.created" as const,
  data: { peerId: "p1", name: "laptop", configuration: "office", nodeId: "local", interface: "wg0" },
};

forEachEngine("webhooks", (open) => {
  let database: OpenedDatabase;
  let receiver: WebhookReceiver;
  let now = START;
  const clock = { now: () => now };
  const secrets = SecretBox.fromKey(randomBytes(32));
  const logger = createLogger({ level: "silent" });
  let resolve: ResolveHost;
  let repository: WebhookRepository;
  let worker: DeliveryWorker;
  let service: WebhookService;
  let bus: DomainEventBus;

  const newWorker = () =>
    new DeliveryWorker({
      repository,
      secrets,
      logger,
      clock,
      resolve: (host) => resolve(host),
      settings: { timeoutMs: 2_000 },
    });

  beforeAll(async () => {
    database = await open();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.deleteFrom("webhooks").execute();
    receiver.received.length = 0;
    receiver.status = 200;
    now = START;
    resolve = async () => [];
    repository = new WebhookRepository(database.db);
    worker = newWorker();
    service = new WebhookService({
      repository,
      secrets,
      worker,
      invalidation: new LocalCacheInvalidation(),
      clock,
    });
    bus = new DomainEventBus(logger, clock);
    bus.subscribe(
      "webhooks",
      (event) => service.enqueue(event).then(() => undefined),
      (events) => service.enqueueAll(events).then(() => undefined),
    );
  });
  afterEach(() => undefined);

  const addWebhook = async (overrides: Record<string, unknown> = {}) =>
    service.create({
      name: "ops",
      url: receiver.url,
      events: ["peer.created", "node.offline"],
      allowPrivate: true,
      ...overrides,
    });

  it("stores the secret encrypted, answers it once and only its hint afterwards", async () => {
    const { webhook, secret } = await addWebhook();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(webhook.secretHint).toBe(secret.slice(-4));
    const row = await repository.findById(webhook.id);
    expect(row?.secret_enc).not.toContain(secret);
    expect(secrets.decrypt(row?.secret_enc ?? "")).toBe(secret);
    expect(JSON.stringify(await service.list())).not.toContain(secret);
    const chosen = await addWebhook({ secret: "my-own-secret-1234567" });
    expect(chosen.secret).toBe("my-own-secret-1234567");
    const changed = await service.update(chosen.webhook.id, { secret: "another-secret-abcdefgh" });
    expect(changed.secretHint).toBe("efgh");
  });

  it("delivers a published event, signed, to every enabled webhook that asks for it", async () => {
    const { webhook, secret } = await addWebhook();
    await addWebhook({ name: "nodes only", events: ["node.offline"] });
    await addWebhook({ name: "off", enabled: false });
    await bus.publish(peerEvent);
    expect(await worker.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    if (!got) throw new Error("nothing received");
    expect(got.headers["x-wgfleet-event"]).toBe("peer.created");
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.json).toMatchObject({ type: "peer.created", occurredAt: new Date(START).toISOString() });
    expect(got.json.data).toEqual(peerEvent.data);
    const signature = String(got.headers["x-wgfleet-signature"]);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, signature, got.body, Math.floor(START / 1000))).toBe(true);
    expect(verifyWebhookSignature("wrong-secret-123456", signature, got.body, Math.floor(START / 1000))).toBe(
      false,
    );
    expect(verifyWebhookSignature(secret, signature, `${got.body} `, Math.floor(START / 1000))).toBe(false);
    const [delivery] = await service.deliveries(webhook.id, {});
    expect(delivery).toMatchObject({
      status: "delivered",
      attempts: 1,
      responseCode: 200,
      lastError: null,
      event: "peer.created",
      eventId: got.json.id,
      nextAttemptAt: null,
    });
    expect(await worker.runOnce()).toBe(0);
  });

  it("publishAll: many events queued at once, one delivery per event and webhook that asks for it", async () => {
    const { webhook } = await addWebhook();
    const nodes = await addWebhook({ name: "nodes only", events: ["node.offline"] });
    await bus.publishAll([
      peerEvent,
      { ...peerEvent, data: { ...peerEvent.data, name: "second" } },
      { ...peerEvent, data: { ...peerEvent.data, name: "third" } },
    ]);
    const deliveries = await service.deliveries(webhook.id, { limit: 10 });
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(3);
    expect(await service.deliveries(nodes.webhook.id, {})).toEqual([]);
    expect(await worker.runOnce()).toBe(3);
    expect(receiver.received.map((r) => r.json.data.name).sort()).toEqual(
      [peerEvent.data.name, "second", "third"].sort(),
    );
  });

  it("retries a failing receiver on the backoff schedule and delivers once it answers", async () => {
    const { webhook } = await addWebhook();
    receiver.status = 503;
    await bus.publish(peerEvent);
    await worker.runOnce();
    let [delivery] = await service.deliveries(webhook.id, {});
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseCode: 503 });
    expect(delivery?.lastError).toContain("503");
    expect(delivery?.nextAttemptAt).toBe(new Date(START + (RETRY_DELAYS_MS[0] as number)).toISOString());

    now = START + 5_000;
    expect(await worker.runOnce()).toBe(0);
    now = START + (RETRY_DELAYS_MS[0] as number);
    expect(await worker.runOnce()).toBe(1);
    [delivery] = await service.deliveries(webhook.id, {});
    expect(delivery?.nextAttemptAt).toBe(new Date(now + (RETRY_DELAYS_MS[1] as number)).toISOString());

    receiver.status = 204;
    now += RETRY_DELAYS_MS[1] as number;
    expect(await worker.runOnce()).toBe(1);
    [delivery] = await service.deliveries(webhook.id, {});
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, responseCode: 204 });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.json.id)).size).toBe(1);
  });

  it("gives up 24 h after the event", async () => {
    const { webhook } = await addWebhook();
    receiver.status = 500;
    await bus.publish(peerEvent);
    let attempts = 0;
    for (let round = 0; round < 60; round++) {
      attempts += await worker.runOnce();
      const [delivery] = await service.deliveries(webhook.id, {});
      if (delivery?.status !== "pending") break;
      now = Date.parse(delivery.nextAttemptAt ?? "");
    }
    const [delivery] = await service.deliveries(webhook.id, {});
    expect(delivery?.status).toBe("failed");
    expect(delivery?.nextAttemptAt).toBeNull();
    expect(now).toBeLessThanOrEqual(START + GIVE_UP_AFTER_MS);
    // 10 s, 30 s, 2 min, 10 min, 30 min, then hourly: 6 + 22 hourly tries fit in 24 h.
    expect(attempts).toBe(delivery?.attempts);
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(30);
  });

  it("refuses a non-public target without the opt-in, also when a name resolves there at delivery", async () => {
    const { webhook } = await addWebhook({ allowPrivate: false });
    const test = await service.test(webhook.id);
    expect(test.status).toBe("pending");
    expect(test.lastError).toMatch(/127\.0\.0\.1.*loopback.*allow private/);
    expect(receiver.received).toHaveLength(0);

    // A name that resolved to a public address when saved, to loopback now.
    const named = await addWebhook({
      allowPrivate: false,
      url: `http://hooks.example.test:${receiver.port}/hook`,
    });
    resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    expect((await service.test(named.webhook.id)).lastError).toContain("loopback");
    resolve = async () => [{ address: "::ffff:10.0.0.1", family: 6 }];
    expect((await service.test(named.webhook.id)).lastError).toContain("IPv4-mapped");
    expect(receiver.received).toHaveLength(0);

    // Opted in: sent to the address checked (the name is not resolved again by the request).
    await service.update(named.webhook.id, { allowPrivate: true });
    resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const sent = await service.test(named.webhook.id);
    expect(sent).toMatchObject({ status: "delivered", responseCode: 200, event: "webhook.test" });
    expect(receiver.received[0]?.headers.host).toBe(`hooks.example.test:${receiver.port}`);
  });

  it("sends each due attempt once when two workers (two dashboards) share the queue", async () => {
    await addWebhook();
    for (let i = 0; i < 5; i++) await bus.publish(peerEvent);
    const other = newWorker();
    const [a, b] = await Promise.all([worker.runOnce(), other.runOnce()]);
    expect((a ?? 0) + (b ?? 0)).toBe(5);
    expect(receiver.received).toHaveLength(5);
  });

  it("refuses bad URLs and names with the field, changing nothing", async () => {
    for (const url of [
      "ftp://x.example/",
      "not a url",
      "http://user:pw@x.example/",
      "http://x.example/a\u0007b",
    ]) {
      await expect(addWebhook({ url })).rejects.toMatchObject({ code: "VALIDATION", field: "url" });
    }
    await expect(addWebhook({ name: "  " })).rejects.toMatchObject({ field: "name" });
    await expect(addWebhook({ secret: "has spaces in it 123" })).rejects.toMatchObject({ field: "secret" });
    expect(await service.list()).toHaveLength(0);
    const { webhook } = await addWebhook();
    await expect(service.update(webhook.id, { url: "gopher://x" })).rejects.toMatchObject({ field: "url" });
    expect((await service.get(webhook.id)).url).toBe(receiver.url);
  });

  it("deletes a webhook with its deliveries; a disabled one gets nothing queued", async () => {
    const { webhook } = await addWebhook();
    await bus.publish(peerEvent);
    await service.update(webhook.id, { enabled: false });
    await bus.publish(peerEvent);
    expect(await service.deliveries(webhook.id, {})).toHaveLength(1);
    // Queued while enabled, due after it was disabled: not sent, given up.
    await worker.runOnce();
    const [delivery] = await service.deliveries(webhook.id, {});
    expect(delivery).toMatchObject({ status: "failed", lastError: "the webhook is disabled" });
    expect(receiver.received).toHaveLength(0);
    await service.delete(webhook.id);
    await expect(service.get(webhook.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await database.db.selectFrom("webhook_deliveries").selectAll().execute()).toHaveLength(0);
  });
});
