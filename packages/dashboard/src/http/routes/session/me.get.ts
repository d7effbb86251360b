// GET /api/v1/me — the logged-in user (session or API key).
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { UserSchema } from "../users/schemas.js";

export function meRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/me",
    {
      config: { beforePasswordChange: true },
      schema: {
        tags: ["session"],
        summary: "The logged-in user",
        response: { 200: UserSchema, ...errorResponses(401) },
      },
    },
    async (request) => context.services.users.get(request.actor.userId),
  );
}
