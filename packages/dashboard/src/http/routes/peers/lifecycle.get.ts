// GET /api/v1/peers/:id/lifecycle — the peer's rules (expiry, schedule, suspension) and what they did,
// newest first. Viewers may read it.
import { PeerLifecycleDtoSchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function peerLifecycleRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/peers/:id/lifecycle",
    {
      schema: {
        tags: ["peers"],
        summary: "A peer's lifecycle rules and their history",
        params: IdParams,
        response: { 200: PeerLifecycleDtoSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.peerLifecycle.get(request.params.id),
  );
}
