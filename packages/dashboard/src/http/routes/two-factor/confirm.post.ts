// POST /api/v1/users/me/totp/confirm — a code from the app turns two-factor sign-in on; the answer
// holds the 10 recovery codes, shown this once.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfirmTotpBody, RecoveryCodesSchema } from "./schemas.js";

export function confirmTotpEnrolmentRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/users/me/totp/confirm",
    {
      config: { minRole: "viewer", beforeTotpEnrolment: true },
      schema: {
        tags: ["two-factor"],
        summary: "Confirm two-factor sign-in with a code",
        body: ConfirmTotpBody,
        response: { 200: RecoveryCodesSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => context.services.twoFactor.confirmEnrolment(request.actor, request.body.code),
  );
}
