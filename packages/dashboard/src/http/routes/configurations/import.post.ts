// POST /api/v1/configurations/:name/import — a wg-quick file (names from WGDashboard's or wg-easy's
// comments) put on a node as this configuration's interface; a running interface of that name on the
// node is taken over in place.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { AdoptionSchema, ConfigurationNameParams, ImportConfigurationBody } from "./schemas.js";

export function importConfigurationRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/configurations/:name/import",
    {
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ["configurations"],
        summary: "Import a wg-quick file onto a node",
        params: ConfigurationNameParams,
        body: ImportConfigurationBody,
        response: { 201: AdoptionSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const imported = await context.services.adoption.importFile(
        request.params.name,
        request.body,
        auditName(request.actor),
      );
      return reply.code(201).send(imported);
    },
  );
}
