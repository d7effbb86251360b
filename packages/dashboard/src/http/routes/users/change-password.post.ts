// POST /api/v1/users/me/password — anyone logged in changes their own password (viewers too). Clears
// mustChangePassword and ends the user's other sessions.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ChangePasswordBody, UserSchema } from "./schemas.js";

export function changeOwnPasswordRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/users/me/password",
    {
      config: { minRole: "viewer", beforePasswordChange: true },
      schema: {
        tags: ["users"],
        summary: "Change your own password",
        body: ChangePasswordBody,
        response: { 200: UserSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      context.services.users.changeOwnPassword(request.actor, request.body, request.authSession?.id),
  );
}
