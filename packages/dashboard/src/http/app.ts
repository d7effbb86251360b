// Builds the dashboard's Fastify app from a context: validation, errors, auth, metrics, OpenAPI, then
// every area's routes, then the web app's files. It opens nothing itself (no database, no port): the caller owns the lifecycle.

import { randomUUID } from "node:crypto";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Role } from "../auth/actor.js";
import { registerAccessLog } from "./access-log.js";
import { registerAudit } from "./audit-hook.js";
import type { RouteAuth } from "./augment.js";
import { registerAuth } from "./auth-hook.js";
import { registerConditionalGet } from "./conditional-get.js";
import type { AppContext } from "./context.js";
import { registerErrorHandling } from "./error-handler.js";
import { registerHttpMetrics } from "./http-metrics.js";
import { openApiRoute, registerOpenApi } from "./openapi.js";
import { registerResponseHeaders } from "./response-headers.js";
import { areaPlugins } from "./routes/index.js";
import type { TypedApp } from "./types.js";
import { buildValidatorFactory, formatSchemaErrors } from "./validation.js";
import { webAssets } from "./web-assets.js";

/** JSON bodies above this are refused (a 10,000-peer import is far below it). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Answers smaller than this go out as they are: compressing them saves less than it costs. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

export interface RouteEntry {
  method: string;
  url: string;
  auth: RouteAuth;
  minRole: Role | undefined;
  /** Whether the route declared response schemas (every API route must: they also filter what leaves). */
  hasResponseSchema: boolean;
  /** Left out of the OpenAPI document (the web app's files, the document itself). */
  hidden: boolean;
}

const routeTables = new WeakMap<object, RouteEntry[]>();

export async function buildApp(context: AppContext): Promise<TypedApp> {
  const app = Fastify({
    loggerInstance: context.logger as FastifyBaseLogger,
    trustProxy: context.config.trustProxy,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Fastify's own two lines per request ("incoming request", "request completed") are replaced by
    // one access-log line without the query string (access-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    schemaController: { compilersFactory: { buildValidator: buildValidatorFactory() } },
    schemaErrorFormatter: formatSchemaErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routes: RouteEntry[] = [];
  routeTables.set(app, routes);
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const auth = route.config?.auth ?? "user";
    const hasResponseSchema = route.schema?.response !== undefined;
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    for (const method of methods) {
      routes.push({
        method,
        url: route.url,
        auth,
        minRole: route.config?.minRole,
        hasResponseSchema,
        hidden,
      });
    }
  });

  await app.register(cookie);
  await registerOpenApi(app, context.config.version);
  registerErrorHandling(app);
  registerAudit(app, context);
  registerAuth(app, context);
  registerHttpMetrics(app, context.metrics);
  registerAccessLog(app);
  registerResponseHeaders(app);
  // The ETag hook before compression (hooks run in the order they are added): tags are over the JSON.
  registerConditionalGet(app);
  // API answers compressed as the client accepts (br, gzip); the web app's files come precompressed
  // (web-assets.ts), which this leaves alone. Request bodies are never decompressed.
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ["br", "gzip"],
  });

  for (const area of areaPlugins) await app.register(area, { context });
  openApiRoute(app);
  // Last: the web app's files and its catch-all GET (public; never answers an /api/ path).
  await app.register(async (scope) => webAssets(scope as unknown as FastifyInstance));
  return app;
}

/** Every route the app registered (HEAD twins included), for tests that must cover all of them. */
export function registeredRoutes(app: FastifyInstance | TypedApp): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}
