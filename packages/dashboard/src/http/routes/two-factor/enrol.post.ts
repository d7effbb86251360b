// POST /api/v1/users/me/totp — start setting up two-factor sign-in: a new secret, its otpauth URI and
// QR code (the only answer that ever carries the secret). It counts once a code confirms it.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { TotpEnrolmentSchema } from "./schemas.js";

export function startTotpEnrolmentRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/users/me/totp",
    {
      config: { minRole: "viewer", beforeTotpEnrolment: true },
      schema: {
        tags: ["two-factor"],
        summary: "Start setting up two-factor sign-in",
        response: { 200: TotpEnrolmentSchema, ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => context.services.twoFactor.startEnrolment(request.actor),
  );
}
