// Shared schemas go under `components.schemas` once and are referenced from every operation, instead of
// being repeated inline: a schema is shared by giving it a `title` listed in SHARED_SCHEMA_TITLES.
// TypeBox schemas stay plain objects for Fastify's validation and serialisation; only the served
// document is rewritten.

/** Titles of the schemas hoisted into components (set with `{ title: ... }` where they are declared). */
export const SHARED_SCHEMA_TITLES = ["ErrorBody", "Peer", "Node", "EnabledNode", "Configuration"] as const;

type Json = unknown;

/**
 * Replaces each shared schema in `paths` with a `$ref` and stores it under `components.schemas`. A title
 * whose occurrences differ (a derived schema that kept its parent's title) stays inline everywhere, so a
 * `$ref` never points at a schema other than the one the route declared.
 */
export function hoistSharedSchemas<T extends { paths?: Json; components?: { schemas?: object } }>(
  document: T,
): T {
  const schemas: Record<string, Json> = { ...(document.components?.schemas ?? {}) };
  const titles = new Set(SHARED_SCHEMA_TITLES.filter((title) => consistent(document.paths, title)));
  const paths = replaceShared(document.paths, titles, schemas);
  return { ...document, paths, components: { ...document.components, schemas } };
}

function replaceShared(value: Json, titles: Set<string>, schemas: Record<string, Json>): Json {
  if (Array.isArray(value)) return value.map((item) => replaceShared(item, titles, schemas));
  if (value === null || typeof value !== "object") return value;
  const title = (value as { title?: unknown }).title;
  if (typeof title === "string" && titles.has(title)) {
    schemas[title] ??= value;
    return { $ref: `#/components/schemas/${title}` };
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, replaceShared(child, titles, schemas)]),
  );
}

/** Whether every schema titled `title` in `value` is the same schema. */
function consistent(value: Json, title: string): boolean {
  const seen = new Set<string>();
  collect(value, title, seen);
  return seen.size <= 1;
}

function collect(value: Json, title: string, seen: Set<string>): void {
  if (value === null || typeof value !== "object") return;
  if ((value as { title?: unknown }).title === title) seen.add(JSON.stringify(value));
  for (const child of Object.values(value)) collect(child, title, seen);
}
