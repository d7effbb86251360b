// DELETE /api/v1/join-tokens/:id — the token lets nobody join any more.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function revokeJoinTokenRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/join-tokens/:id",
    {
      schema: {
        tags: ["nodes"],
        summary: "Revoke a join token",
        params: IdParams,
        response: { ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await context.services.joinTokens.revoke(request.params.id, auditName(request.actor));
      return reply.code(204).send();
    },
  );
}
