// POST /api/v1/configurations/:name/peers — create a peer on the chosen node (auto, local or an id).
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { CreatePeerBody, PeerSchema } from "../peers/schemas.js";
import { ConfigurationNameParams } from "./schemas.js";

export function createPeerRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/configurations/:name/peers",
    {
      schema: {
        tags: ["peers"],
        summary: "Create a peer",
        params: ConfigurationNameParams,
        body: CreatePeerBody,
        response: { 201: PeerSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const peer = await context.services.peers.create(
        request.params.name,
        request.body,
        auditName(request.actor),
      );
      return reply.code(201).send(peer);
    },
  );
}
