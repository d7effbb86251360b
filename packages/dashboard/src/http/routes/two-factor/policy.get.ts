// GET /api/v1/two-factor/policy — whether every admin must use two-factor sign-in (admins only).
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { TwoFactorPolicySchema } from "./schemas.js";

export function twoFactorPolicyRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/two-factor/policy",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["two-factor"],
        summary: "The two-factor policy",
        response: { 200: TwoFactorPolicySchema, ...errorResponses(401, 403) },
      },
    },
    async () => context.services.twoFactor.policy(),
  );
}
