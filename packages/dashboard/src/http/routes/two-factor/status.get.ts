// GET /api/v1/users/me/totp — your own two-factor sign-in: on or not, a set-up in progress, recovery
// codes left, and whether the policy requires it of you. Reachable while a set-up is required.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { TwoFactorStatusSchema } from "./schemas.js";

export function twoFactorStatusRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/users/me/totp",
    {
      config: { beforeTotpEnrolment: true },
      schema: {
        tags: ["two-factor"],
        summary: "Your two-factor sign-in",
        response: { 200: TwoFactorStatusSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => context.services.twoFactor.status(request.actor.userId),
  );
}
