// GET /api/v1/lifecycle/attention?days=&quotaPercent=&limit= — the fleet-wide lists an admin checks:
// peers expiring soon and peers near or over their traffic quota. Viewers may read it.
import { LifecycleAttentionDtoSchema, LifecycleAttentionQuerySchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function lifecycleAttentionRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/lifecycle/attention",
    {
      schema: {
        tags: ["peers"],
        summary: "Peers expiring soon and peers near their traffic quota",
        description:
          "`expiringSoon`: peers whose expiry lies within `days` (default 7) from now, soonest first. `overQuota`: peers that used at least `quotaPercent` (default 80) of this period's budget, fullest first. Each list holds at most `limit` (default 100) peers.",
        querystring: LifecycleAttentionQuerySchema,
        response: { 200: LifecycleAttentionDtoSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => context.services.peerLifecycle.attention(request.query),
  );
}
