// DELETE /api/v1/users/:id/totp — an admin resets a user's two-factor sign-in (a lost phone): secret
// and recovery codes go and the user's sessions end.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function resetTotpRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/users/:id/totp",
    {
      schema: {
        tags: ["two-factor"],
        summary: "Reset a user's two-factor sign-in",
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const own = request.actor.userId === request.params.id;
      await context.services.twoFactor.reset(request.params.id, own ? request.authSession?.id : undefined);
      return reply.code(204).send(null);
    },
  );
}
