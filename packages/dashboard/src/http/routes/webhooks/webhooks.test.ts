// Webhooks over HTTP: admins only, the secret once, 400 naming the field with nothing changed, "send
// test" to a real receiver on loopback (opted in), the delivery log.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../../../test/support/databases.js";
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from "../../../../../../test/support/webhook-receiver.js";
import { verifyWebhookSignature } from "../../../webhooks/webhook-signature.js";
import { createTestApp, type TestApp } from "../../test-support/test-app.js";

forEachEngine("webhooks routes", (open) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await createTestApp(await open());
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  const call = (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object, key?: string) =>
    t.app.inject({ method, url, headers: t.bearer(key ?? t.adminKey), ...(payload ? { payload } : {}) });

  it("adds, lists, edits, tests and deletes a webhook; the secret only in the creation's answer", async () => {
    const created = await call("POST", "/api/v1/webhooks", {
      name: "ops",
      url: receiver.url,
      events: ["peer.created", "node.offline"],
      allowPrivate: true,
    });
    expect(created.statusCode).toBe(201);
    const { webhook, secret } = created.json();
    expect(webhook).toMatchObject({
      name: "ops",
      enabled: true,
      allowPrivate: true,
      secretHint: secret.slice(-4),
    });

    const list = await call("GET", "/api/v1/webhooks");
    expect(list.json().items).toHaveLength(1);
    expect(list.body).not.toContain(secret);
    expect((await call("GET", `/api/v1/webhooks/${webhook.id}`)).body).not.toContain(secret);

    const edited = await call("PATCH", `/api/v1/webhooks/${webhook.id}`, {
      name: "ops team",
      events: ["peer.deleted"],
      enabled: false,
    });
    expect(edited.json()).toMatchObject({ name: "ops team", events: ["peer.deleted"], enabled: false });

    const test = await call("POST", `/api/v1/webhooks/${webhook.id}/test`);
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({ status: "delivered", responseCode: 200, event: "webhook.test" });
    const got = await receiver.waitFor((r) => r.json.type === "webhook.test");
    const header = String(got.headers["x-wgfleet-signature"]);
    expect(verifyWebhookSignature(secret, header, got.body, Math.floor(Date.now() / 1000))).toBe(true);

    const log = await call("GET", `/api/v1/webhooks/${webhook.id}/deliveries?status=delivered&limit=10`);
    expect(log.json().items).toEqual([expect.objectContaining({ id: test.json().id, attempts: 1 })]);

    expect((await call("DELETE", `/api/v1/webhooks/${webhook.id}`)).statusCode).toBe(204);
    expect((await call("GET", `/api/v1/webhooks/${webhook.id}`)).statusCode).toBe(404);
    expect((await call("DELETE", `/api/v1/webhooks/${webhook.id}`)).statusCode).toBe(404);
  });

  it("answers 400 naming the field, and stores nothing", async () => {
    const before = (await call("GET", "/api/v1/webhooks")).json().items.length;
    const base = { name: "x", url: "https://hooks.example.com/a", events: ["peer.created"] };
    for (const [payload, field] of [
      [{ ...base, url: "ftp://hooks.example.com/" }, "url"],
      [{ ...base, url: "https://u:p@hooks.example.com/" }, "url"],
      [{ ...base, events: [] }, "events"],
      [{ ...base, events: ["peer.exploded"] }, "events"],
      [{ ...base, name: "" }, "name"],
      [{ ...base, secret: "short" }, "secret"],
      [{ ...base, extra: 1 }, "extra"],
    ] as const) {
      const response = await call("POST", "/api/v1/webhooks", payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.field, JSON.stringify(payload)).toMatch(new RegExp(`^${field}`));
    }
    expect((await call("GET", "/api/v1/webhooks")).json().items).toHaveLength(before);
    expect((await call("GET", "/api/v1/webhooks/nope/deliveries")).statusCode).toBe(404);
  });

  it("is for admins only: a viewer can neither read nor change webhooks", async () => {
    const viewerKey = await t.apiKeyFor(await t.createUser("viewer"));
    expect((await call("GET", "/api/v1/webhooks", undefined, viewerKey)).statusCode).toBe(403);
    const add = await call(
      "POST",
      "/api/v1/webhooks",
      { name: "x", url: receiver.url, events: ["peer.created"] },
      viewerKey,
    );
    expect(add.statusCode).toBe(403);
  });
});
