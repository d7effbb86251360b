// The web app's API client against the OpenAPI document the real dashboard serves: every route the
// app calls (packages/web/src/api/routes.ts) exists with its method, and its body, query and answer are
// the @wgfleet/core schemas the client takes its types from — the same field names both ways, so a
// route that stops using core's schema, or a client entry naming the wrong one, fails here. No root
// needed: the local node is off.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as core from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ResponseSpec, routes, type SchemaName } from "../../packages/web/src/api/routes.js";
import { type Dashboard, REPO_ROOT, startDashboard } from "./support/dashboard.js";

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
interface Operation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** The alternatives a schema stands for, with $refs resolved and unions/intersections flattened. */
function variants(schema: Schema | undefined, doc: OpenApiDocument): Schema[] {
  if (!schema) return [];
  if (schema.$ref) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    return variants(doc.components?.schemas?.[name], doc);
  }
  const nested = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  return nested.length > 0 ? nested.flatMap((s) => variants(s, doc)) : [schema];
}

/** Every field path of a (core) schema: `name`, `items[].name`, `user.role`; unions followed. */
function fieldPaths(schema: Schema | undefined, doc: OpenApiDocument, prefix = "", depth = 0): string[] {
  if (depth > 4) return [];
  return variants(schema, doc).flatMap((s) => {
    if (s.items) return fieldPaths(s.items, doc, `${prefix.replace(/\.$/, "")}[].`, depth + 1);
    return Object.entries(s.properties ?? {}).flatMap(([key, child]) => [
      `${prefix}${key}`,
      ...fieldPaths(child, doc, `${prefix}${key}.`, depth + 1),
    ]);
  });
}

function coreSchema(name: SchemaName): Schema {
  return JSON.parse(JSON.stringify((core as Record<string, unknown>)[name])) as Schema;
}

/** The schema a client entry expects as the answer, built from core's. */
function expectedAnswer(response: ResponseSpec): Schema | null {
  if (response === null || response === "text" || response === "binary") return null;
  if (typeof response === "string") return coreSchema(response);
  if ("items" in response)
    return { type: "object", properties: { items: { type: "array", items: coreSchema(response.items) } } };
  return { type: "array", items: coreSchema(response.array) };
}

/** Problems when `served` and `expected` do not have the same field paths. */
function compareFields(label: string, served: Schema | undefined, expected: Schema, doc: OpenApiDocument) {
  const want = new Set(fieldPaths(expected, doc));
  const have = new Set(fieldPaths(served, doc));
  return [
    ...[...want].filter((f) => !have.has(f)).map((f) => `${label}: served schema has no field ${f}`),
    ...[...have].filter((f) => !want.has(f)).map((f) => `${label}: core's schema has no field ${f}`),
  ];
}

function successSchema(operation: Operation): Schema | undefined {
  const [, response] =
    Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith("2")) ?? [];
  return response?.content?.["application/json"]?.schema;
}

describe("the web app's API client against the served OpenAPI document", () => {
  let dashboard: Dashboard;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    dashboard = await startDashboard("contract", { wireguard: false });
    doc = await dashboard.admin.request<OpenApiDocument>("GET", "/api/v1/openapi.json");
  });
  afterAll(async () => dashboard?.stop());

  it("lists nested field paths through refs, unions and arrays", () => {
    const sample: OpenApiDocument = {
      paths: {},
      components: { schemas: { Peer: { type: "object", properties: { name: { type: "string" } } } } },
    };
    const page: Schema = {
      type: "object",
      properties: {
        items: { type: "array", items: { $ref: "#/components/schemas/Peer" } },
        next: { anyOf: [{ type: "string" }, { type: "null" }] },
      },
    };
    expect(fieldPaths(page, sample)).toEqual(["items", "items[].name", "next"]);
    expect(fieldPaths({ type: "array", items: page }, sample)).toEqual([
      "[].items",
      "[].items[].name",
      "[].next",
    ]);
  });

  it("compares field paths both ways, so a missing or extra field is a problem", () => {
    const peer = coreSchema("PeerDtoSchema");
    expect(fieldPaths(peer, doc)).toContain("description");
    const withoutDescription: Schema = {
      ...peer,
      properties: Object.fromEntries(
        Object.entries(peer.properties ?? {}).filter(([k]) => k !== "description"),
      ),
    };
    expect(compareFields("x", withoutDescription, peer, doc)).toEqual([
      "x: served schema has no field description",
    ]);
    expect(compareFields("x", peer, withoutDescription, doc)).toEqual([
      "x: core's schema has no field description",
    ]);
  });

  it("serves every route the app calls, with core's schemas for its body, query and answer", () => {
    const problems: string[] = [];
    let checked = 0;
    let fields = 0;
    for (const [name, route] of Object.entries(routes) as [string, (typeof routes)[keyof typeof routes]][]) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      const label = `${name} (${route.method} ${route.path})`;
      if (!operation) {
        problems.push(`${label}: not in the OpenAPI document`);
        continue;
      }
      checked++;
      const queryNames = (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      const wantQuery = "query" in route ? Object.keys(coreSchema(route.query).properties ?? {}) : [];
      if (JSON.stringify([...queryNames].sort()) !== JSON.stringify([...wantQuery].sort()))
        problems.push(
          `${label}: query parameters ${queryNames.join(",")} are not core's ${wantQuery.join(",")}`,
        );
      const body = operation.requestBody?.content?.["application/json"]?.schema;
      if ("body" in route)
        problems.push(...compareFields(`${label} body`, body, coreSchema(route.body), doc));
      else if (body) problems.push(`${label}: takes a body the client does not know`);
      const answer = expectedAnswer(route.response);
      if (answer) problems.push(...compareFields(`${label} answer`, successSchema(operation), answer, doc));
      fields += fieldPaths(successSchema(operation), doc).length + fieldPaths(body, doc).length;
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(25);
    // The served schemas were really read (not two empty lists agreeing).
    expect(fields).toBeGreaterThan(300);
  });
});

describe("the built web bundle", () => {
  it("holds no runtime code of @wgfleet/core (the client imports its types only)", () => {
    const assets = join(REPO_ROOT, "packages/web/dist/assets");
    const scripts = readdirSync(assets).filter((file) => file.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    const bundle = scripts.map((file) => readFileSync(join(assets, file), "utf8")).join("\n");
    // TypeBox's kind marker, and texts only core's code holds.
    for (const marker of ["TypeBox.Kind", "must not be the all-zero key", "host bits set"])
      expect(bundle.includes(marker), marker).toBe(false);
    // The route table names core's schemas as plain strings: that much is expected.
    expect(bundle).toContain("CreatePeerBodySchema");
  });
});
