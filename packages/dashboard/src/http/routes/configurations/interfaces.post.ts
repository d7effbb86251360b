// POST /api/v1/configurations/:name/interfaces — put the configuration on a node: keys generated,
// interface brought up there.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { AddInterfaceBody, ConfigurationNameParams, InterfaceSchema } from "./schemas.js";

export function addInterfaceRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/configurations/:name/interfaces",
    {
      schema: {
        tags: ["configurations"],
        summary: "Put a configuration on a node",
        params: ConfigurationNameParams,
        body: AddInterfaceBody,
        response: { 201: InterfaceSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const created = await context.services.interfaces.addToNode(
        request.params.name,
        request.body,
        auditName(request.actor),
      );
      return reply.code(201).send(created);
    },
  );
}
