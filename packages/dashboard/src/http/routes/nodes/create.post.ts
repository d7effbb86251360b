// POST /api/v1/nodes — add a remote node (an agent the dashboard calls); its health is asked at once.
// The answer lists the node's fields; the secret is never among them.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { CreateNodeBody, NodeSchema } from "./schemas.js";

export function createNodeRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes",
    {
      schema: {
        tags: ["nodes"],
        summary: "Add a node",
        body: CreateNodeBody,
        response: { 201: NodeSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await context.services.nodeAdmin.create(request.body, auditName(request.actor));
      return reply.code(201).send(created);
    },
  );
}
