// Serves the built web app (DEFAULT_WEB_ROOT) from the dashboard, so the UI and the API share one
// process and one port. Hashed files under /assets are cached for a year (immutable); index.html and
// the other unhashed files are revalidated on every load; any other GET that accepts HTML and is not a
// server path (/api, /s/, /metrics, /healthz, /readyz) answers with index.html (the app routes in the
// browser); the rest get a JSON 404. Precompressed .br/.gz twins written at build time are sent when
// the browser accepts them. It never serves a path outside the dist folder.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic, { type SetHeadersResponse } from "@fastify/static";
import { NotFoundError } from "@wgfleet/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isServerPath } from "./response-headers.js";

/** The dashboard package's own folder, from this file in src/http/ or dist/http/. */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Where the built app is, found from the dashboard package itself: `web/` inside it in an installed
 * package (scripts/pack.ts copies the build there), else the web workspace's build next to it in a
 * clone (packages/web/dist beside packages/dashboard).
 */
export function findWebRoot(packageRoot: string): string {
  const packaged = join(packageRoot, "web");
  if (existsSync(join(packaged, "index.html"))) return packaged;
  return join(packageRoot, "..", "web", "dist");
}

export const DEFAULT_WEB_ROOT = findWebRoot(PACKAGE_ROOT);

export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
export const REVALIDATE_CACHE = "no-cache";

export interface WebAssetsOptions {
  /** The built app; DEFAULT_WEB_ROOT when not given. */
  root?: string;
}

const PUBLIC_ROUTE = { auth: "public" as const };
const HIDDEN = { hide: true };
const COMPRESSED_TWIN = /\.(br|gz)$/;

/** The Content-Security-Policy of the app's pages: only our own scripts, plus index.html's inline theme script by hash. */
export function contentSecurityPolicy(indexHtml: string): string {
  const hashes = [...indexHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (match) =>
      `'sha256-${createHash("sha256")
        .update(match[1] ?? "")
        .digest("base64")}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(" ")}`.trim(),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A browser navigating asks for text/html; a missing Accept or a wildcard counts as asking. */
function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return accept === undefined || accept === "" || /text\/html|\*\/\*/.test(accept);
}

/** Unhashed files at the top of dist (favicon.svg, robots.txt, ...), served as themselves. */
function topLevelFiles(root: string): Set<string> {
  return new Set(
    readdirSync(root).filter(
      (name) => name !== "index.html" && !COMPRESSED_TWIN.test(name) && statSync(join(root, name)).isFile(),
    ),
  );
}

export async function webAssets(app: FastifyInstance, options: WebAssetsOptions = {}): Promise<void> {
  const root = resolve(options.root ?? DEFAULT_WEB_ROOT);
  const indexPath = join(root, "index.html");
  if (!existsSync(indexPath)) {
    app.log.warn({ root }, "web app not built: the dashboard serves the API only (run npm run build)");
    app.get("/", { config: PUBLIC_ROUTE, schema: HIDDEN }, async (_request, reply) =>
      reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("wgfleet: the web app is not built. Run `npm run build`; the API is under /api/v1/.\n"),
    );
    return;
  }

  const assetsDir = join(root, "assets") + sep;
  const csp = contentSecurityPolicy(readFileSync(indexPath, "utf8"));
  const files = topLevelFiles(root);

  function setHeaders(response: SetHeadersResponse, path: string): void {
    response.setHeader("cache-control", path.startsWith(assetsDir) ? IMMUTABLE_CACHE : REVALIDATE_CACHE);
    response.setHeader("vary", "accept-encoding");
    response.setHeader("x-content-type-options", "nosniff");
    if (/\.html(\.br|\.gz)?$/.test(path)) {
      response.setHeader("content-security-policy", csp);
      response.setHeader("referrer-policy", "same-origin");
      response.setHeader("x-frame-options", "DENY");
    }
  }

  await app.register(fastifyStatic, {
    root,
    serve: false,
    preCompressed: true,
    cacheControl: false,
    dotfiles: "deny",
    index: false,
    setHeaders,
  });

  const sendIndex = (reply: FastifyReply) => reply.sendFile("index.html");

  app.get<{ Params: { "*": string } }>(
    "/assets/*",
    { config: PUBLIC_ROUTE, schema: HIDDEN },
    (request, reply) => reply.sendFile(`assets/${request.params["*"]}`),
  );
  app.get("/", { config: PUBLIC_ROUTE, schema: HIDDEN }, (_request, reply) => sendIndex(reply));
  app.get<{ Params: { "*": string } }>(
    "/*",
    { config: PUBLIC_ROUTE, schema: HIDDEN },
    (request: FastifyRequest<{ Params: { "*": string } }>, reply) => {
      const name = request.params["*"];
      if (files.has(name)) return reply.sendFile(name);
      if (isServerPath(request.url) || !acceptsHtml(request)) {
        throw new NotFoundError(`route GET ${request.url.split("?")[0]}`);
      }
      return sendIndex(reply);
    },
  );
}
