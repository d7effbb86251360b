// The OpenAPI document covers every route, and every route declares its response schemas.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { registeredRoutes } from "./app.js";
import { OPENAPI_PATH } from "./openapi.js";
import { createTestApp, type TestApp } from "./test-support/test-app.js";

forEachEngine("openapi", (open) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(await open());
  });
  afterAll(async () => t?.close());

  it("serves an OpenAPI 3 document listing every route", async () => {
    const response = await t.app.inject({ method: "GET", url: OPENAPI_PATH, headers: t.bearer(t.adminKey) });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set(
      Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
      ),
    );
    for (const route of registeredRoutes(t.app)) {
      if (route.method === "HEAD" || route.hidden) continue;
      expect(documented.has(`${route.method} ${route.url}`), `${route.method} ${route.url}`).toBe(true);
    }
    expect(doc.paths["/api/v1/session"].post.requestBody).toBeDefined();
  });

  it("every documented route has response schemas", () => {
    const missing = registeredRoutes(t.app).filter(
      (r) => !r.hasResponseSchema && r.method !== "HEAD" && !r.hidden,
    );
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it("answers unknown routes with the error body", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/v1/nope",
      headers: t.bearer(t.adminKey),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("NOT_FOUND");
  });
});
