// GET /api/v1/endpoints/guesses — hosts this server may be reached at (the one the browser used, the
// machine's addresses, its name), reachable ones first: the first-run question's pre-filled answer.
// Admins only: the machine's own addresses are nothing a viewer needs.
import { EndpointGuessesDtoSchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function endpointGuessesRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/endpoints/guesses",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["endpoints"],
        summary: "Hosts clients could connect to, the likeliest first",
        response: { 200: EndpointGuessesDtoSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => context.services.endpoints.guesses(request.hostname.replace(/:\d+$/, "")),
  );
}
