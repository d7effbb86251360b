// DELETE /api/v1/configurations/:name[?force=true] — off every node, then gone. Refused while it has
// peers unless forced.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationNameParams, ForceQuery } from "./schemas.js";

export function deleteConfigurationRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/configurations/:name",
    {
      schema: {
        tags: ["configurations"],
        summary: "Delete a configuration",
        params: ConfigurationNameParams,
        querystring: ForceQuery,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      await context.services.configurations.delete(
        request.params.name,
        request.query.force === true,
        auditName(request.actor),
      );
      return reply.code(204).send(null);
    },
  );
}
