// What the server's own answers look like on the main port: API, config and QR answers are never
// sniffed or cached; /readyz is a real check (not the web app); /metrics is not there without a token.
import { generateKeyPair } from "@wgfleet/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { insertConfiguration, insertInterface, insertPeer } from "../db/test-support/rows.js";
import { createTestApp, type TestApp } from "./test-support/test-app.js";

forEachEngine("server answers", (open) => {
  let t: TestApp;
  let peerId: string;
  beforeAll(async () => {
    t = await createTestApp(await open());
    const db = t.context.db;
    const configurationId = await insertConfiguration(db, { name: "headers" });
    const interfaceId = await insertInterface(db, {
      configuration_id: configurationId,
      private_key_enc: t.context.secrets.encrypt(generateKeyPair().privateKey),
      public_key: generateKeyPair().publicKey,
      endpoint: "vpn.example.com:51820",
    });
    const client = generateKeyPair();
    peerId = await insertPeer(db, {
      interface_id: interfaceId,
      public_key: client.publicKey,
      private_key_enc: t.context.secrets.encrypt(client.privateKey),
      addresses: '["198.51.100.2/32"]',
    });
  });
  afterAll(async () => t?.close());

  it("marks API, config and QR answers nosniff and no-store, errors included", async () => {
    const headers = t.bearer(t.adminKey);
    for (const url of [
      "/api/v1/users",
      "/api/v1/me",
      `/api/v1/peers/${peerId}/config`,
      `/api/v1/peers/${peerId}/qr.svg`,
      "/api/v1/no-such-route",
      "/healthz",
      "/readyz",
    ]) {
      const response = await t.app.inject({ method: "GET", url, headers });
      expect(response.statusCode, `${url} ${response.body.slice(0, 200)}`).toBeLessThan(
        url.includes("no-such") ? 500 : 300,
      );
      expect(response.headers["x-content-type-options"], url).toBe("nosniff");
      expect(response.headers["cache-control"], url).toBe("no-store");
    }
    const anonymous = await t.app.inject({ method: "GET", url: "/api/v1/users" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["cache-control"]).toBe("no-store");
  });

  it("answers an unknown /api path with a JSON 404 even to a browser asking for HTML", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/v1/no-such-route",
      headers: { ...t.bearer(t.adminKey), accept: "text/html" },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.json().error.code).toBe("NOT_FOUND");
  });

  it("answers /readyz with its checks: database, migrations, local node", async () => {
    const response = await t.app.inject({ method: "GET", url: "/readyz", headers: { accept: "text/html" } });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.json()).toMatchObject({
      ready: true,
      checks: { database: { ok: true }, migrations: { ok: true }, localNode: { ok: true } },
    });
  });

  it("does not serve /metrics on the main port when no token is configured", async () => {
    for (const headers of [{}, t.bearer(t.adminKey), { authorization: "Bearer anything" }]) {
      const response = await t.app.inject({ method: "GET", url: "/metrics", headers });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain("wgfleet_");
    }
  });
});

forEachEngine("readyz when the local node cannot run", (open) => {
  it("answers 503 naming the local node's reason", async () => {
    const t = await createTestApp(await open(), {
      config: { localNode: { enabled: true, unavailableReason: "wg: command not found" } },
    });
    try {
      const response = await t.app.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        ready: false,
        checks: { database: { ok: true }, localNode: { ok: false, detail: "wg: command not found" } },
      });
    } finally {
      await t.close();
    }
  });
});
