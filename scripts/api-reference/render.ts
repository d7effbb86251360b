// Renders the HTTP API reference (docs/api-reference.md) from the app's OpenAPI document and route table.
// Pure and deterministic: the same app gives the same text byte for byte, so a test can spot a stale file.
import { OPENAPI_PATH } from "../../packages/dashboard/src/http/openapi.js";
import { CSRF_HEADER } from "../../packages/dashboard/src/http/session-cookie.js";
import type { ApiDescription, JsonSchema, OpenApiOperation } from "./openapi-document.js";

export const REGENERATE_COMMAND = "npm run docs:api";
const METHOD_ORDER = ["get", "post", "put", "patch", "delete"];

export function renderApiReference({ document }: ApiDescription): string {
  // Shared schemas sit under components in the document; the tables show their fields in place.
  const paths = inlineRefs(document.paths, document.components?.schemas ?? {}) as typeof document.paths;
  const operations = Object.entries(paths).flatMap(([path, byMethod]) =>
    METHOD_ORDER.filter((method) => byMethod[method]).map((method) => ({
      path,
      method,
      operation: byMethod[method] as OpenApiOperation,
    })),
  );
  const tags = [...new Set(operations.map(({ operation }) => operation.tags?.[0] ?? "other"))];
  const lines = [
    "# HTTP API reference",
    "",
    `<!-- Generated from the dashboard's OpenAPI document by \`${REGENERATE_COMMAND}\`; do not edit by hand. -->`,
    "",
    `${document.info.description ?? ""}`,
    "",
    "Every route under `/api/` needs a session cookie (from `POST /api/v1/session`) or an API key",
    "(`Authorization: Bearer wgf_...`) unless its Access line says public. Reads need the viewer role and",
    "writes the admin role unless a route says otherwise; a write made with the session cookie also sends",
    `the session's CSRF token in the \`${CSRF_HEADER}\` header. The live OpenAPI document is served without`,
    `login at \`GET ${OPENAPI_PATH}\` (every operation has an \`operationId\`; shared schemas sit under`,
    "`components`); signed-in users can browse it in the web app at **API reference** (`/api-docs`).",
    "",
    "## Routes",
    "",
    ...tags.flatMap((tag) => [
      `- **${tag}**: ${operations
        .filter(({ operation }) => (operation.tags?.[0] ?? "other") === tag)
        .map(({ method, path }) => `\`${method.toUpperCase()} ${path}\``)
        .join(", ")}`,
    ]),
    "",
  ];
  for (const tag of tags) {
    lines.push(`## ${tag}`, "");
    for (const entry of operations.filter(({ operation }) => (operation.tags?.[0] ?? "other") === tag)) {
      lines.push(...renderOperation(entry.method, entry.path, entry.operation), "");
    }
  }
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

/** The value with every `$ref: "#/components/schemas/X"` replaced by schema X. */
function inlineRefs(value: unknown, schemas: Record<string, JsonSchema>): unknown {
  if (Array.isArray(value)) return value.map((item) => inlineRefs(item, schemas));
  if (value === null || typeof value !== "object") return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
    const target = schemas[ref.slice("#/components/schemas/".length)];
    if (target) return inlineRefs(target, schemas);
  }
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, inlineRefs(child, schemas)]));
}

function renderOperation(method: string, path: string, operation: OpenApiOperation) {
  const lines = [`### \`${method.toUpperCase()} ${path}\``, ""];
  if (operation.summary) lines.push(`${operation.summary}.`.replace(/\.\.$/, "."), "");
  if (operation.description) lines.push(operation.description, "");
  for (const place of ["path", "query"]) {
    const parameters = (operation.parameters ?? []).filter((p) => p.in === place);
    if (parameters.length === 0) continue;
    lines.push(`${place === "path" ? "Path" : "Query"} parameters:`, "", ...TABLE_HEAD);
    for (const p of parameters) lines.push(row(p.name, p.schema ?? {}, p.required === true, p.description));
    lines.push("");
  }
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  if (body) lines.push("Request body (JSON):", "", ...fieldTable(body), "");
  for (const [status, response] of Object.entries(operation.responses ?? {}).filter(([s]) =>
    s.startsWith("2"),
  )) {
    const [type, content] = Object.entries(response.content ?? {})[0] ?? [];
    if (!content) {
      lines.push(`Answer ${status}: no body.`, "");
    } else if (type !== "application/json") {
      lines.push(`Answer ${status}: \`${type}\`.`, "");
    } else {
      lines.push(`Answer ${status} (JSON):`, "", ...fieldTable(content.schema), "");
    }
  }
  const errors = Object.keys(operation.responses ?? {}).filter((s) => !s.startsWith("2"));
  if (errors.length > 0) lines.push(`Errors: ${errors.join(", ")} (the error body).`);
  return lines;
}

/** Who may call the route, from its auth options (the same rule the auth hook applies). */
const TABLE_HEAD = [
  "| Name | Type | Required | Constraints | Description |",
  "| --- | --- | --- | --- | --- |",
];

/** The fields of an object schema, nested ones as `parent.child` and array items as `list[].field`. */
function fieldTable(schema: JsonSchema): string[] {
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants?.every((variant) => objectSchema(variant)))
    return variants.flatMap((variant, i) => [
      `${i === 0 ? "Either" : "or"}:`,
      "",
      ...fieldTable(variant),
      ...(i < variants.length - 1 ? [""] : []),
    ]);
  const rows = fieldRows("", schema, true);
  if (rows.length === 0)
    return [`A ${typeName(schema)}${constraintsText(schema) ? ` (${constraintsText(schema)})` : ""}.`];
  return [...TABLE_HEAD, ...rows];
}

function fieldRows(prefix: string, schema: JsonSchema, _required: boolean): string[] {
  const object = objectSchema(schema);
  if (!object) {
    const items = schema.items as JsonSchema | undefined;
    return schema.type === "array" && items && objectSchema(items)
      ? fieldRows(`${prefix}[]`, items, true)
      : [];
  }
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, property]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return [
      row(path, property, required.has(name), property.description as string | undefined),
      ...fieldRows(path, property, false),
    ];
  });
}

function objectSchema(schema: JsonSchema): JsonSchema | null {
  if (schema.type === "object" && schema.properties) return schema;
  return null;
}

function row(name: string, schema: JsonSchema, required: boolean, description: string | undefined): string {
  const cells = [
    `\`${name}\``,
    typeName(schema),
    required ? "yes" : "no",
    constraintsText(schema),
    description ?? "",
  ];
  return `| ${cells.map((cell) => cell.replace(/\|/g, "\\|").replace(/\n/g, " ")).join(" | ")} |`;
}

function typeName(schema: JsonSchema): string {
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  let name: string;
  if (variants) {
    const enums = variants.every((v) => Array.isArray(v.enum) || v.const !== undefined);
    name = enums
      ? enumText(variants.flatMap((v) => (v.enum as unknown[]) ?? [v.const]))
      : variants.map(typeName).join(" or ");
  } else if (Array.isArray(schema.enum)) {
    name = enumText(schema.enum);
  } else if (schema.const !== undefined) {
    name = JSON.stringify(schema.const);
  } else if (schema.type === "array") {
    name = `array of ${typeName((schema.items ?? {}) as JsonSchema)}`;
  } else {
    name = typeof schema.type === "string" ? schema.type : "any";
  }
  return schema.nullable === true ? `${name} or null` : name;
}

function enumText(values: unknown[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
}

const CONSTRAINTS: [string, (value: unknown) => string][] = [
  ["minLength", (v) => `min length ${v}`],
  ["maxLength", (v) => `max length ${v}`],
  ["pattern", (v) => `pattern \`${v}\``],
  ["format", (v) => `format ${v}`],
  ["minimum", (v) => `≥ ${v}`],
  ["exclusiveMinimum", (v) => `> ${v}`],
  ["maximum", (v) => `≤ ${v}`],
  ["exclusiveMaximum", (v) => `< ${v}`],
  ["minItems", (v) => `at least ${v} items`],
  ["maxItems", (v) => `at most ${v} items`],
  ["uniqueItems", (v) => (v ? "unique items" : "")],
  ["minProperties", (v) => `at least ${v} field${v === 1 ? "" : "s"}`],
  ["default", (v) => `default ${JSON.stringify(v)}`],
];

function constraintsText(schema: JsonSchema): string {
  const own = CONSTRAINTS.filter(([key]) => schema[key] !== undefined).map(([key, text]) =>
    text(schema[key]),
  );
  const items = schema.type === "array" ? (schema.items as JsonSchema | undefined) : undefined;
  const ofItems = items && !objectSchema(items) ? constraintsText(items) : "";
  return [...own, ...(ofItems ? [`each: ${ofItems}`] : [])].filter(Boolean).join(", ");
}
