// The OpenAPI document covers every route, and every route declares its response schemas.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { registeredRoutes } from "./app.js";
import { OPENAPI_PATH } from "./openapi.js";
import { createTestApp, type TestApp } from "./test-support/test-app.js";

interface Operation {
  operationId: string;
  description?: string;
}

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

  it("is served without login", async () => {
    const response = await t.app.inject({ method: "GET", url: OPENAPI_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.json().paths["/api/v1/configurations/{name}/peers"].post).toBeDefined();
  });

  it("gives every operation a unique operationId and a description saying who may call it", async () => {
    const doc = (await t.app.inject({ method: "GET", url: OPENAPI_PATH })).json();
    const ids = new Map<string, string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z]+[A-Za-z0-9]*$/);
        expect(ids.get(op.operationId), `${where} repeats an operationId`).toBeUndefined();
        ids.set(op.operationId, where);
        expect(op.description, where).toMatch(/Access: .+\./);
      }
    }
    expect(ids.get("postConfigurationsByNamePeers")).toBe("POST /api/v1/configurations/{name}/peers");
    expect(doc.paths["/healthz"].get.description).toContain("Access: public (no login).");
    expect(doc.paths["/api/v1/users"].post.description).toContain("Access: admin role.");
  });

  it("keeps shared schemas under components and refers to them", async () => {
    const doc = (await t.app.inject({ method: "GET", url: OPENAPI_PATH })).json();
    const schemas = doc.components.schemas as Record<string, { properties?: object }>;
    for (const name of ["ErrorBody", "Peer", "Node", "EnabledNode", "Configuration"]) {
      expect(schemas[name]?.properties, name).toBeDefined();
    }
    const paths = JSON.stringify(doc.paths);
    // No copy of a shared schema is left inline; operations point at components instead.
    expect(paths).not.toMatch(/"title":"(ErrorBody|Peer|Node|EnabledNode|Configuration)"/);
    const created = doc.paths["/api/v1/configurations/{name}/peers"].post.responses;
    expect(JSON.stringify(created)).toContain('"$ref":"#/components/schemas/ErrorBody"');
    expect(JSON.stringify(doc.paths["/api/v1/peers/{id}"].get.responses["200"])).toContain(
      '"$ref":"#/components/schemas/Peer"',
    );
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
