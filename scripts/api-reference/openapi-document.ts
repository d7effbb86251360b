// Builds the dashboard app in-process (on a throwaway SQLite database) and reads its OpenAPI document and
// route table: the source of docs/api-reference.md. Nothing listens on a port.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, migrateToLatest } from "../../packages/dashboard/src/db/index.js";
import { type RouteEntry, registeredRoutes } from "../../packages/dashboard/src/http/app.js";
import { createTestApp } from "../../packages/dashboard/src/http/test-support/test-app.js";

export interface ApiDescription {
  /** The OpenAPI 3 document the app serves at /api/v1/openapi.json. */
  document: OpenApiDocument;
  /** Who may call each route, from the routes' own auth options. */
  routes: readonly RouteEntry[];
}

export interface OpenApiDocument {
  info: { title: string; description?: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface OpenApiOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema: JsonSchema }> }>;
}

export type JsonSchema = { [key: string]: unknown };

export async function describeApi(): Promise<ApiDescription> {
  const dataDir = await mkdtemp(join(tmpdir(), "wgfleet-api-reference-"));
  try {
    const db = await createDatabase({ dataDir });
    await migrateToLatest(db);
    const t = await createTestApp({ db, dataDir, close: () => db.destroy() });
    try {
      return {
        document: t.app.swagger() as unknown as OpenApiDocument,
        routes: registeredRoutes(t.app),
      };
    } finally {
      await t.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
