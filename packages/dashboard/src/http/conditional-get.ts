// Conditional GETs for the API: every 200 JSON answer of a GET under /api/ carries a weak ETag (a hash
// of the body), and a request whose If-None-Match names it gets 304 with no body. A poller that sends
// back the last ETag (the web app's client does, since /api answers are `no-store` and the browser
// keeps nothing) downloads a page again only when something on it changed. Registered before
// compression, so the tag is over the JSON itself, whatever the encoding.
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { TypedApp } from "./types.js";

export function etagOf(body: string): string {
  return `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** RFC 9110 weak comparison: `*`, or any listed tag equal to ours with or without its W/ prefix. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const ours = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || tag.replace(/^W\//, "") === ours;
  });
}

function applies(request: FastifyRequest, reply: FastifyReply, payload: unknown): payload is string {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (reply.statusCode !== 200 || typeof payload !== "string") return false;
  const path = request.url.split("?")[0] ?? "";
  if (!path.startsWith("/api/")) return false;
  return String(reply.getHeader("content-type") ?? "").startsWith("application/json");
}

export function registerConditionalGet(app: TypedApp): void {
  app.addHook("onSend", async (request, reply, payload) => {
    if (!applies(request, reply, payload)) return payload;
    const etag = etagOf(payload);
    reply.header("etag", etag);
    if (!matchesIfNoneMatch(request.headers["if-none-match"], etag)) return payload;
    reply.code(304);
    reply.removeHeader("content-type");
    reply.removeHeader("content-length");
    return "";
  });
}
