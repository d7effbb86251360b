// PATCH /api/v1/users/:id — rename, change role, set a password (admins only).
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { UpdateUserBody, UserSchema } from "./schemas.js";

export function updateUserRoute(app: TypedApp, context: AppContext): void {
  app.patch(
    "/api/v1/users/:id",
    {
      schema: {
        tags: ["users"],
        summary: "Update a user",
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => context.services.users.update(request.params.id, request.body, request.actor),
  );
}
