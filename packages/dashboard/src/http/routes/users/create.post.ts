// POST /api/v1/users — add a user (admins only). The password is theirs to change at first login.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { CreateUserBody, UserSchema } from "./schemas.js";

export function createUserRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/users",
    {
      schema: {
        tags: ["users"],
        summary: "Create a user",
        body: CreateUserBody,
        response: { 201: UserSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { username, password, role, mustChangePassword } = request.body;
      const user = await context.services.users.create(
        { username, password, role: role ?? "viewer", mustChangePassword },
        request.actor,
      );
      return reply.code(201).send(user);
    },
  );
}
