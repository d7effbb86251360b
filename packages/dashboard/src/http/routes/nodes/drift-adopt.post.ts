// POST /api/v1/nodes/:id/drift/adopt — a stray peer becomes a managed peer of its interface's
// configuration, keeping its key, preshared key and address (inside the pool and free, or refused).
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { AdoptedPeerSchema, AdoptStrayBody } from "./schemas.js";

export function adoptStrayRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes/:id/drift/adopt",
    {
      schema: {
        tags: ["nodes"],
        summary: "Adopt a stray peer as a managed peer",
        params: IdParams,
        body: AdoptStrayBody,
        response: { 201: AdoptedPeerSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const peer = await context.services.drift.adoptStray(
        request.params.id,
        request.body,
        auditName(request.actor),
      );
      return reply.code(201).send(peer);
    },
  );
}
