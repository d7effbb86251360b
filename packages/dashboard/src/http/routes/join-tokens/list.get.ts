// GET /api/v1/join-tokens — every join token with its status (active, used, expired); never a token.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { JoinTokenListSchema } from "./schemas.js";

export function listJoinTokensRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/join-tokens",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["nodes"],
        summary: "Join tokens",
        response: { 200: JoinTokenListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await context.services.joinTokens.list() }),
  );
}
