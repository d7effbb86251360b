// PATCH /api/v1/configurations/:name/interfaces/:nodeId — change the interface in place (endpoint,
// listen port, DNS, MTU), its peers kept; the answer says whether every client config changed.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { InterfaceNodeParams, UpdatedInterfaceSchema, UpdateInterfaceBody } from "./schemas.js";

export function updateInterfaceRoute(app: TypedApp, context: AppContext): void {
  app.patch(
    "/api/v1/configurations/:name/interfaces/:nodeId",
    {
      schema: {
        tags: ["configurations"],
        summary: "Change a configuration's interface on a node (endpoint, port, DNS, MTU), peers kept",
        params: InterfaceNodeParams,
        body: UpdateInterfaceBody,
        response: { 200: UpdatedInterfaceSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request) =>
      context.services.interfaces.update(
        request.params.name,
        request.params.nodeId,
        request.body,
        auditName(request.actor),
      ),
  );
}
