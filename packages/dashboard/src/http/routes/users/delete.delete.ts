// DELETE /api/v1/users/:id — remove a user, their sessions and API keys (admins only; never the last
// admin, never yourself).
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function deleteUserRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/users/:id",
    {
      schema: {
        tags: ["users"],
        summary: "Delete a user",
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await context.services.users.delete(request.params.id, request.actor);
      return reply.code(204).send(null);
    },
  );
}
