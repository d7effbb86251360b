// The audit hook over real routes on both engines: a write with a body leaves one entry with the
// request's actor, API key name and address (X-Forwarded-For only with trustProxy) and the service's
// changed fields; a write no service describes is named after its route; a refused login is kept; a
// refused write (viewer, bad input) and a read leave none; GET /api/v1/audit is for admins.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import type { AuditEntry } from "../audit/audit.service.js";
import { createTestApp, type TestApp } from "./test-support/test-app.js";

forEachEngine("audit hook", (open) => {
  let t: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    t = await createTestApp(await open());
    proxied = await createTestApp(await open(), { config: { trustProxy: true } });
  });
  afterAll(async () => {
    await t?.close();
    await proxied?.close();
  });

  /** Entries newer than `after`, oldest first. */
  async function entriesAfter(app: TestApp, after: number): Promise<AuditEntry[]> {
    const entries = await app.context.services.audit.list({ limit: 500 });
    return entries.filter((entry) => entry.id > after).reverse();
  }
  const newestId = async (app: TestApp) => (await app.context.services.audit.list({ limit: 1 }))[0]?.id ?? 0;

  it("records a write once, with the request's actor, key, address and changed fields", async () => {
    const before = await newestId(t);
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: { ...t.bearer(t.adminKey), "x-forwarded-for": "203.0.113.7" },
      payload: { username: "hooked", password: "hooked-password-1", role: "viewer" },
    });
    expect(created.statusCode).toBe(201);
    const entries = await entriesAfter(t, before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: "admin",
      action: "user.create",
      entity: "user",
      target: created.json().id,
      address: "127.0.0.1",
      changes: { username: { before: null, after: "hooked" }, role: { before: null, after: "viewer" } },
    });
    expect(entries[0]?.apiKey).toEqual(expect.any(String));
    expect(JSON.stringify(entries)).not.toContain("hooked-password-1");
  });

  it("takes the address from X-Forwarded-For only behind a trusted proxy", async () => {
    const before = await newestId(proxied);
    const answer = await proxied.app.inject({
      method: "POST",
      url: "/api/v1/endpoints/check",
      headers: { ...proxied.bearer(proxied.adminKey), "x-forwarded-for": "203.0.113.7" },
      payload: { endpoint: "127.0.0.1", listenPort: 51820 },
    });
    expect(answer.statusCode).toBe(200);
    const entries = await entriesAfter(proxied, before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "POST /api/v1/endpoints/check",
      entity: "endpoint",
      address: "203.0.113.7",
      details: { fields: ["endpoint", "listenPort"] },
      changes: null,
    });
  });

  it("keeps a refused login, and nothing of a refused write or a read", async () => {
    const before = await newestId(t);
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: "admin", password: "not-the-password" },
    });
    expect(login.statusCode).toBe(401);
    const viewer = await t.createUser("viewer");
    const denied = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: t.bearer(await t.apiKeyFor(viewer)),
      payload: { username: "nope", password: "nope-password-1" },
    });
    expect(denied.statusCode).toBe(403);
    const invalid = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/users/missing",
      headers: t.bearer(t.adminKey),
      payload: { role: "viewer" },
    });
    expect(invalid.statusCode).toBe(404);
    await t.app.inject({ method: "GET", url: "/api/v1/users", headers: t.bearer(t.adminKey) });
    const entries = await entriesAfter(t, before);
    // The viewer's creation and key (made through services, outside a request) come first.
    expect(
      entries.filter((entry) => entry.action.startsWith("session.") || entry.target === "missing"),
    ).toEqual([
      expect.objectContaining({ actor: "admin", action: "session.login_failed", address: "127.0.0.1" }),
    ]);
    expect(JSON.stringify(entries)).not.toContain("not-the-password");
  });

  it("answers GET /api/v1/audit to admins only, with filters", async () => {
    const viewer = await t.createUser("viewer");
    const forbidden = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit",
      headers: t.bearer(await t.apiKeyFor(viewer)),
    });
    expect(forbidden.statusCode).toBe(403);
    const page = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=user.create&limit=1",
      headers: t.bearer(t.adminKey),
    });
    expect(page.statusCode).toBe(200);
    expect(page.json().items).toHaveLength(1);
    expect(page.json().items[0].action).toBe("user.create");
    expect(page.json().nextCursor).toEqual(expect.any(String));
    const bad = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?cursor=x1",
      headers: t.bearer(t.adminKey),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("cursor");
  });
});
