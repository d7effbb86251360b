// GET /api/v1/peers/:id — one peer with its node, interface, addresses, state and stored live stats.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { PeerSchema } from "./schemas.js";

export function getPeerRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/peers/:id",
    {
      schema: {
        tags: ["peers"],
        summary: "Get a peer",
        params: IdParams,
        response: { 200: PeerSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.peers.get(request.params.id),
  );
}
