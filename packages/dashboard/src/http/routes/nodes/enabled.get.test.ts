// GET /api/v1/nodes/enabled is the versioned twin of the seed's GET /api/nodes/enabled: same answer,
// same access rules, both documented.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../../../test/support/databases.js";
import { OPENAPI_PATH } from "../../openapi.js";
import { createTestApp, type TestApp } from "../../test-support/test-app.js";

forEachEngine("enabled nodes alias", (open) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(await open());
  });
  afterAll(async () => t?.close());

  it("answers the same list at /api/nodes/enabled and /api/v1/nodes/enabled", async () => {
    for (const [name, enabled, port] of [
      ["alias-on", true, 9],
      ["alias-off", false, 7],
    ] as const) {
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/nodes",
        headers: t.bearer(t.adminKey),
        // Loopback discard/echo ports: no agent answers; the node is stored all the same.
        payload: {
          name,
          agentUrl: `http://127.0.0.1:${port}`,
          secret: "s".repeat(32),
          endpoint: "198.18.0.9",
          enabled,
        },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const viewer = t.bearer(await t.apiKeyFor(await t.createUser("viewer")));
    const seed = await t.app.inject({ method: "GET", url: "/api/nodes/enabled", headers: viewer });
    const versioned = await t.app.inject({ method: "GET", url: "/api/v1/nodes/enabled", headers: viewer });
    expect(seed.statusCode).toBe(200);
    expect(versioned.statusCode).toBe(200);
    expect(versioned.json()).toEqual(seed.json());
    expect(versioned.json().map((n: { name: string }) => n.name)).toContain("alias-on");
    expect(versioned.json().map((n: { name: string }) => n.name)).not.toContain("alias-off");
  });

  it("needs a login on both paths", async () => {
    for (const url of ["/api/nodes/enabled", "/api/v1/nodes/enabled"]) {
      expect((await t.app.inject({ method: "GET", url })).statusCode, url).toBe(401);
    }
  });

  it("documents both paths with distinct operationIds", async () => {
    const doc = (await t.app.inject({ method: "GET", url: OPENAPI_PATH })).json();
    const seed = doc.paths["/api/nodes/enabled"].get;
    const versioned = doc.paths["/api/v1/nodes/enabled"].get;
    expect(versioned.summary).toBe(seed.summary);
    expect(versioned.operationId).not.toBe(seed.operationId);
  });
});
