// GET /api/v1/auth/methods — how one may sign in here (password, single sign-on), for the sign-in page.
// Public: it says no more than the sign-in page itself shows.
import type { AppContext } from "../../context.js";
import type { TypedApp } from "../../types.js";
import { SignInMethodsSchema } from "./schemas.js";

export function signInMethodsRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/auth/methods",
    {
      config: { auth: "public" },
      schema: {
        tags: ["session"],
        summary: "How one may sign in",
        security: [],
        response: { 200: SignInMethodsSchema },
      },
    },
    async () => {
      const sso = context.services.sso;
      return {
        password: context.config.signIn?.localLogin ?? true,
        sso: sso ? { label: sso.settings.label, startUrl: "/api/v1/auth/oidc/start" } : null,
      };
    },
  );
}
