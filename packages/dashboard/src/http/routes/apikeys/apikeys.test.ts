// API keys over HTTP: shown once, listed without the key, last-used time, viewers see only their own.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../../../test/support/databases.js";
import { createTestApp, type TestApp } from "../../test-support/test-app.js";

forEachEngine("apikeys routes", (open) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(await open());
  });
  afterAll(async () => t?.close());

  it("creates a key shown once that works as a bearer token and records its last use", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: t.bearer(t.adminKey),
      payload: { name: "ci" },
    });
    expect(created.statusCode).toBe(201);
    const { key, apiKey } = created.json();
    expect(key).toMatch(/^wgf_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "ci", username: "admin", lastUsedAt: null, revokedAt: null });
    expect(key.startsWith(apiKey.prefix)).toBe(true);

    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: t.bearer(key) })).statusCode,
    ).toBe(200);
    const list = await t.app.inject({ method: "GET", url: "/api/v1/apikeys", headers: t.bearer(t.adminKey) });
    expect(list.body).not.toContain(key);
    const listed = list.json().items.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed.lastUsedAt).toEqual(expect.any(String));
    expect(listed.key).toBeUndefined();
  });

  it("creates a key for another user when an admin asks; 404 for an unknown user", async () => {
    const viewer = await t.createUser("viewer");
    const forViewer = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: t.bearer(t.adminKey),
      payload: { name: "viewer-key", userId: viewer.id },
    });
    expect(forViewer.statusCode).toBe(201);
    const me = await t.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: t.bearer(forViewer.json().key),
    });
    expect(me.json()).toMatchObject({ username: viewer.username, role: "viewer" });
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: t.bearer(t.adminKey),
      payload: { name: "x", userId: "no-such-user" },
    });
    expect(unknown.statusCode).toBe(404);

    const viewerList = await t.app.inject({
      method: "GET",
      url: "/api/v1/apikeys",
      headers: t.bearer(forViewer.json().key),
    });
    expect(viewerList.json().items.every((k: { userId: string }) => k.userId === viewer.id)).toBe(true);
  });

  it("refuses bad names and unknown fields", async () => {
    for (const [payload, field] of [
      [{ name: "" }, "name"],
      [{ name: "x".repeat(101) }, "name"],
      [{ name: 5 }, "name"],
      [{ name: "ok", key: "wgf_chosen" }, "key"],
      [{ name: "line\nbreak" }, "name"],
    ] as const) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/apikeys",
        headers: t.bearer(t.adminKey),
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
  });

  it("revokes once; an unknown id is 404", async () => {
    const key = await t.apiKeyFor(t.admin);
    const list = await t.app.inject({ method: "GET", url: "/api/v1/apikeys", headers: t.bearer(t.adminKey) });
    const id = list.json().items.find((k: { prefix: string }) => key.startsWith(k.prefix)).id;
    const revoke = () =>
      t.app.inject({ method: "DELETE", url: `/api/v1/apikeys/${id}`, headers: t.bearer(t.adminKey) });
    const first = await revoke();
    expect(first.statusCode).toBe(200);
    const again = await revoke();
    expect(again.json().revokedAt).toBe(first.json().revokedAt);
    expect(
      (await t.app.inject({ method: "DELETE", url: "/api/v1/apikeys/nope", headers: t.bearer(t.adminKey) }))
        .statusCode,
    ).toBe(404);
  });
});
