// DELETE /api/v1/shares/:id — revoke a share link: it answers 410 from now on; the row stays listed.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ShareLinkSchema } from "./schemas.js";

export function revokeShareLinkRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/shares/:id",
    {
      schema: {
        tags: ["shares"],
        summary: "Revoke a share link",
        params: IdParams,
        response: { 200: ShareLinkSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.shares.revoke(request.params.id),
  );
}
