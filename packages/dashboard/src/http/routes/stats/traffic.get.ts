// GET /api/v1/stats/traffic?node=&todayStart=&series=&scope=&id=&from=&to=&step= — traffic now and today,
// for the fleet and per node; with scope, also the history of one peer, interface, node, configuration
// or the fleet. Viewers may read it.
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
        summary: "Traffic now, today and its history",
        description:
          "Rates from the latest live stats polls; bytes moved since the start of today from the stored traffic history (counter resets never count twice or negative). With `scope` (and `id` unless fleet), also `history`: bytes per step from `from` to `to` (default the last day), at most 1,000 points; `step=auto` picks the finest step the kept history holds (minutes 7 days, hours 90 days, days 2 years by default). 404 when the peer, interface, node or configuration does not exist; 400 naming `id`, `from`, `to` or `step`.",
        querystring: TrafficQuery,
        response: { 200: TrafficSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => context.services.traffic.traffic(request.query),
  );
}
