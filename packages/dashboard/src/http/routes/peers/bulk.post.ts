// POST /api/v1/peers/bulk — enable, disable, delete or move chosen peers (by ids or a filter): one
// agent call per node for enable/disable/delete, peer by peer for move; a result per peer.
import { BulkPeerActionBodySchema, BulkPeerActionResultSchema } from "@wgfleet/core";
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function bulkPeerActionRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/peers/bulk",
    {
      schema: {
        tags: ["peers"],
        summary: "One action on many peers",
        description:
          "`ids` or `filter` (configuration, node, state, search). A node that fails leaves its peers as they were; they are listed with `ok: false`.",
        body: BulkPeerActionBodySchema,
        response: { 200: BulkPeerActionResultSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => context.services.bulkActions.run(request.body, auditName(request.actor)),
  );
}
