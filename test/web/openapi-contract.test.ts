// The web app's API client against the OpenAPI document the real dashboard serves: every route the
// app calls (packages/web/src/api/contract.ts) exists with its method, takes the query parameters and
// body fields the app sends, and answers with every field the app reads. No root needed: the local node
// is off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpoints } from "../../packages/web/src/api/contract.js";
import { type Dashboard, startDashboard } from "./support/dashboard.js";

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

/** Follows `items[].name`, `user.role`, `[].id` through a schema; false when a step is missing. */
function hasField(schema: Schema | undefined, path: string, doc: OpenApiDocument): boolean {
  const steps = path
    .split(".")
    .flatMap((part) => (part.endsWith("[]") ? [part.slice(0, -2), "[]"] : [part]))
    .filter(Boolean);
  let current = variants(schema, doc);
  for (const step of steps) {
    current = current.flatMap((s) => {
      if (step === "[]") return variants(s.items, doc);
      const child = s.properties?.[step];
      return child === undefined ? [] : variants(child, doc);
    });
    if (current.length === 0) return false;
  }
  return true;
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

  it("finds nested fields through refs, unions and arrays, and misses absent ones", () => {
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
    expect(hasField(page, "items[].name", sample)).toBe(true);
    expect(hasField(page, "next", sample)).toBe(true);
    expect(hasField(page, "items[].nope", sample)).toBe(false);
    expect(hasField({ type: "array", items: page }, "[].items[].name", sample)).toBe(true);
  });

  it("serves every route the app calls, with the fields it sends and reads", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [name, endpoint] of Object.entries(endpoints)) {
      const operation = doc.paths[endpoint.path]?.[endpoint.method.toLowerCase()];
      const label = `${name} (${endpoint.method} ${endpoint.path})`;
      if (!operation) {
        problems.push(`${label}: not in the OpenAPI document`);
        continue;
      }
      checked++;
      const queryNames = new Set(
        (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
      );
      for (const query of endpoint.query)
        if (!queryNames.has(query)) problems.push(`${label}: no query parameter ${query}`);
      const body = operation.requestBody?.content?.["application/json"]?.schema;
      for (const field of endpoint.sends)
        if (!hasField(body, field, doc)) problems.push(`${label}: body has no field ${field}`);
      const response = successSchema(operation);
      for (const field of endpoint.reads)
        if (!hasField(response, field, doc)) problems.push(`${label}: answer has no field ${field}`);
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(25);
  });
});
