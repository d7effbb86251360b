// Without root or `wg` the dashboard still runs: the local node shows "unavailable" with the reason,
// reads work, and every write that needs the node answers 503 NODE_UNAVAILABLE and changes nothing.
// Needs no WireGuard: the unavailable node is exactly what a host without it gets.
import { generateKeyPair } from "@wgfleet/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { insertInterface, insertPeer } from "../../packages/dashboard/src/db/test-support/rows.js";
import { startDomainServices } from "../../packages/dashboard/src/domain-services.js";
import { createTestApp, type TestApp } from "../../packages/dashboard/src/http/test-support/test-app.js";
import { forEachEngine } from "../support/databases.js";

const REASON = "WireGuard needs root (running as uid 1000)";

forEachEngine("local node unavailable", (open) => {
  let t: TestApp;
  let peerId: string;

  beforeAll(async () => {
    t = await createTestApp(await open(), {
      config: { localNode: { enabled: true, unavailableReason: REASON } },
    });
    await startDomainServices(t.context.services);
  });

  afterAll(async () => {
    await t?.close();
  });

  const api = async (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object) => {
    const answer = await t.app.inject({
      method,
      url,
      headers: t.bearer(t.adminKey),
      ...(payload ? { payload } : {}),
    });
    return { status: answer.statusCode, body: answer.json() };
  };
  const counts = async () => ({
    interfaces: (await t.context.db.selectFrom("interfaces").select("id").execute()).length,
    peers: (await t.context.db.selectFrom("peers").select("id").execute()).length,
    allocations: (await t.context.db.selectFrom("ip_allocations").select("address").execute()).length,
  });

  it("lists the local node as unavailable, with the reason", async () => {
    const nodes = await api("GET", "/api/v1/nodes");
    expect(nodes.status).toBe(200);
    expect(nodes.body.items[0]).toMatchObject({ id: "local", status: "unavailable", statusReason: REASON });
    const enabled = await api("GET", "/api/nodes/enabled");
    expect(enabled.body[0]).toMatchObject({ id: "local", status: "unavailable" });
    const row = await t.context.db
      .selectFrom("nodes")
      .selectAll()
      .where("id", "=", "local")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "unavailable", status_reason: REASON });
  });

  it("creates configurations (database only), but not interfaces: 503 naming the reason", async () => {
    expect((await api("POST", "/api/v1/configurations", { name: "wgoff" })).status).toBe(201);
    const before = await counts();
    const iface = await api("POST", "/api/v1/configurations/wgoff/interfaces", {
      nodeId: "local",
      listenPort: 51820,
      pool: "198.51.100.0/24",
    });
    expect(iface.status).toBe(503);
    expect(iface.body.error).toMatchObject({ code: "NODE_UNAVAILABLE", field: "nodeId" });
    expect(iface.body.error.message).toContain(REASON);
    expect(await counts()).toEqual(before);
  });

  it("refuses peer creation with 503 (auto and local alike) and writes nothing", async () => {
    // The interface as a run with root had made it.
    const configuration = await t.context.db
      .selectFrom("configurations")
      .select("id")
      .executeTakeFirstOrThrow();
    const interfaceId = await insertInterface(t.context.db, {
      configuration_id: configuration.id,
      node_id: "local",
      name: "wgoff",
      private_key_enc: t.context.secrets.encrypt(generateKeyPair().privateKey),
      public_key: generateKeyPair().publicKey,
    });
    peerId = await insertPeer(t.context.db, {
      interface_id: interfaceId,
      name: "old",
      public_key: generateKeyPair().publicKey,
      addresses: '["198.51.100.2/32"]',
      client_allowed_ips: "[]",
    });
    const before = await counts();
    for (const node of ["auto", "local"]) {
      const created = await api("POST", "/api/v1/configurations/wgoff/peers", { name: "new", node });
      expect(created.status, node).toBe(503);
      expect(created.body.error).toMatchObject({ code: "NODE_UNAVAILABLE", field: "node" });
    }
    expect(await counts()).toEqual(before);
  });

  it("reads peers, but disable, enable, address changes and delete answer 503", async () => {
    expect((await api("GET", `/api/v1/peers/${peerId}`)).body).toMatchObject({ name: "old", enabled: true });
    expect((await api("GET", "/api/v1/configurations/wgoff/peers")).body.total).toBe(1);
    const before = await t.context.db.selectFrom("peers").selectAll().execute();
    expect((await api("POST", `/api/v1/peers/${peerId}/disable`)).status).toBe(503);
    expect((await api("PATCH", `/api/v1/peers/${peerId}`, { addresses: ["198.51.100.9"] })).status).toBe(503);
    expect((await api("DELETE", `/api/v1/peers/${peerId}`)).status).toBe(503);
    expect(await t.context.db.selectFrom("peers").selectAll().execute()).toEqual(before);
    // Client-side settings live in the database only: they still change.
    expect((await api("PATCH", `/api/v1/peers/${peerId}`, { name: "renamed" })).status).toBe(200);
  });

  it("lets a viewer read peers but not download their config or change anything", async () => {
    const viewer = await t.createUser("viewer");
    const headers = t.bearer(await t.apiKeyFor(viewer));
    const call = async (method: "GET" | "POST", url: string) =>
      (await t.app.inject({ method, url, headers, ...(method === "POST" ? { payload: {} } : {}) }))
        .statusCode;
    expect(await call("GET", `/api/v1/peers/${peerId}`)).toBe(200);
    expect(await call("GET", "/api/v1/configurations/wgoff/peers")).toBe(200);
    expect(await call("GET", "/api/v1/nodes")).toBe(200);
    expect(await call("GET", `/api/v1/peers/${peerId}/config`)).toBe(403);
    expect(await call("GET", `/api/v1/peers/${peerId}/qr.svg`)).toBe(403);
    expect(await call("POST", `/api/v1/peers/${peerId}/disable`)).toBe(403);
    expect(await call("POST", "/api/v1/configurations/wgoff/peers")).toBe(403);
  });
});
