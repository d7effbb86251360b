// GET /api/v1/configurations/:name/peers?search=&node=&status=&limit=&cursor= — one page of peers.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ListPeersQuery, PeerPage } from "../peers/schemas.js";
import { ConfigurationNameParams } from "./schemas.js";

export function listPeersRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/configurations/:name/peers",
    {
      schema: {
        tags: ["peers"],
        summary: "List a configuration's peers",
        params: ConfigurationNameParams,
        querystring: ListPeersQuery,
        response: { 200: PeerPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => context.services.peerQueries.list(request.params.name, request.query),
  );
}
