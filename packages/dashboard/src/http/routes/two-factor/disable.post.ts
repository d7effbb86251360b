// POST /api/v1/users/me/totp/disable — turn your own two-factor sign-in off, with your password; not
// while the policy requires it of you.
import type { AppContext } from "../../context.js";
import { errorResponses, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { DisableTotpBody } from "./schemas.js";

export function disableOwnTotpRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/users/me/totp/disable",
    {
      config: { minRole: "viewer" },
      schema: {
        tags: ["two-factor"],
        summary: "Turn your two-factor sign-in off",
        body: DisableTotpBody,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      await context.services.twoFactor.disableOwn(request.actor, request.body.currentPassword);
      return reply.code(204).send(null);
    },
  );
}
