// POST /api/v1/configurations/:name/peers/bulk — N peers named `<prefix>-001…`, spread by `auto` or on
// one node: one transaction and one agent call per node; a node that fails loses only its part.
import { BulkCreatePeersBodySchema, BulkCreatePeersResultSchema } from "@wgfleet/core";
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationNameParams } from "./schemas.js";

export function bulkCreatePeersRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/configurations/:name/peers/bulk",
    {
      schema: {
        tags: ["peers"],
        summary: "Create many peers",
        description:
          "Answers with the peers created and, per node that failed, how many peers it lost and why (nothing of theirs is left). 502 when no node took any.",
        params: ConfigurationNameParams,
        body: BulkCreatePeersBodySchema,
        response: { 201: BulkCreatePeersResultSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const result = await context.services.bulkPeers.createMany(
        request.params.name,
        request.body,
        auditName(request.actor),
      );
      return reply.code(201).send(result);
    },
  );
}
