// DELETE /api/v1/configurations/:name/interfaces/:nodeId[?force=true] — take the configuration off
// one node. Refused while peers live there unless forced (then they are deleted too).
import { Type } from "@sinclair/typebox";
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ForceQuery } from "./schemas.js";

const Params = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    nodeId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

export function removeInterfaceRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/configurations/:name/interfaces/:nodeId",
    {
      schema: {
        tags: ["configurations"],
        summary: "Take a configuration off a node",
        params: Params,
        querystring: ForceQuery,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      await context.services.interfaces.removeFromNode(
        request.params.name,
        request.params.nodeId,
        request.query.force === true,
        auditName(request.actor),
      );
      return reply.code(204).send(null);
    },
  );
}
