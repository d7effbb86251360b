// GET /api/v1/peers/:id/shares — a peer's share links, newest first, with why each stopped working
// (admins: a link leads to the config). Never a token.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ShareLinkListSchema } from "./schemas.js";

export function listShareLinksRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/peers/:id/shares",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["shares"],
        summary: "A peer's share links",
        params: IdParams,
        response: { 200: ShareLinkListSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await context.services.shares.list(request.params.id) }),
  );
}
