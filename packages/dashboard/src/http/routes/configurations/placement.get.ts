// GET /api/v1/configurations/:name/placement — which node `auto` would pick for a new peer now, and why
// the others were passed over. 200 even when no node fits (`node` null, `message` the creation's error).
import { PlacementDtoSchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationNameParams } from "./schemas.js";

export function placementRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/configurations/:name/placement",
    {
      schema: {
        tags: ["configurations"],
        summary: "Where auto selection would put a new peer, and why",
        params: ConfigurationNameParams,
        response: { 200: PlacementDtoSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.placement.explain(request.params.name),
  );
}
