// GET /api/v1/stats/traffic?node=&todayStart=&series= — traffic now and today, for the fleet and per node.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { TrafficQuery, TrafficSchema } from "./schemas.js";

export function trafficRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/stats/traffic",
    {
      schema: {
        tags: ["stats"],
        summary: "Traffic now and today",
        description:
          "Rates from the latest live stats polls; bytes moved since the start of today from the stored traffic history (counter resets never count twice or negative).",
        querystring: TrafficQuery,
        response: { 200: TrafficSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => context.services.traffic.traffic(request.query),
  );
}
