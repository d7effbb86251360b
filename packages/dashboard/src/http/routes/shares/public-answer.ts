// The part every public share route shares: the per-address rate limit (429 page), the 404 and 410
// pages, and the headers. Never logged at info level: the URL holds the token (see `PUBLIC_SHARE_ROUTE`).
import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import type { ShareFound, ShareLookup } from "../../../shares/share-link.service.js";
import type { AppContext } from "../../context.js";
import {
  publicShareHeaders,
  renderGonePage,
  renderRateLimitedPage,
  renderUnknownPage,
} from "./share-page.js";

export const TokenParams = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const Html = Type.String({ description: "HTML page" });

/**
 * Route options of a public share route: no login, no access log (the token is in the path). A route
 * that `spends` a one-time link answers no HEAD: a link checker's HEAD must not use the link up.
 */
export function publicShareRoute(summary: string, produces: string, spends = false) {
  return {
    config: { auth: "public" as const },
    logLevel: "warn" as const,
    exposeHeadRoute: !spends,
    schema: {
      tags: ["shares"],
      summary,
      security: [],
      params: TokenParams,
      produces: [produces],
      response: {
        200: Type.String({ description: produces === "text/html" ? "HTML page" : "wg-quick file" }),
        404: Html,
        410: Html,
        429: Html,
      },
    },
  };
}

/**
 * Runs `lookup` when the caller's address is within its limits and answers with the right page when
 * the token leads nowhere; `onFound` shapes the answer for a working link.
 */
export async function answerShare<T>(
  context: AppContext,
  caller: { address: string; token: string },
  reply: FastifyReply,
  lookup: (token: string) => Promise<ShareLookup<T>>,
  onFound: (found: ShareFound<T>) => void,
): Promise<void> {
  publicShareHeaders(reply);
  const limiter = context.services.shareRateLimiter;
  const waitSeconds = await limiter.admit(caller.address);
  if (waitSeconds > 0) {
    reply.code(429).header("retry-after", String(waitSeconds));
    return html(reply, renderRateLimitedPage(waitSeconds));
  }
  const found = await lookup(caller.token);
  if (found.kind === "unknown") {
    await limiter.recordMiss(caller.address);
    return html(reply.code(404), renderUnknownPage());
  }
  if (found.kind === "gone") return html(reply.code(410), renderGonePage(found.reason));
  onFound(found);
}

export function html(reply: FastifyReply, body: string): void {
  reply.header("content-type", "text/html; charset=utf-8").send(body);
}
