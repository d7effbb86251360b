// POST /api/v1/nodes/:id/rotate-secret — a new shared secret for the node's agent, without downtime:
// handed over under the old one, switched to, then the old one dropped (node-secrets/). The answer
// names the new key id, never the secret.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { RotateSecretSchema } from "./schemas.js";

export function rotateSecretRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes/:id/rotate-secret",
    {
      schema: {
        tags: ["nodes"],
        summary: "Rotate a node's shared secret",
        params: IdParams,
        response: { 200: RotateSecretSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request) => context.services.secretRotation.rotate(request.params.id, auditName(request.actor)),
  );
}
