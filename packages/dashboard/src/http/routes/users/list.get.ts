// GET /api/v1/users — every user (admins only).
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { UserSchema } from "./schemas.js";

export function listUsersRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/users",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["users"],
        summary: "List users",
        response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await context.services.users.list() }),
  );
}
