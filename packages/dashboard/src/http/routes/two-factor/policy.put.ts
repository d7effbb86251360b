// PUT /api/v1/two-factor/policy — require two-factor sign-in of every admin, or stop requiring it.
// Turning it on needs the calling admin to use it already; admins without it set it up at next sign-in.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { TwoFactorPolicySchema } from "./schemas.js";

export function updateTwoFactorPolicyRoute(app: TypedApp, context: AppContext): void {
  app.put(
    "/api/v1/two-factor/policy",
    {
      schema: {
        tags: ["two-factor"],
        summary: "Set the two-factor policy",
        body: TwoFactorPolicySchema,
        response: { 200: TwoFactorPolicySchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => context.services.twoFactor.setPolicy(request.actor, request.body),
  );
}
