// POST /api/v1/endpoints/check — an endpoint (or bare host) as an admin typed it: parsed, with the
// warnings to show under the field (single-label name, loopback, private address). Changes nothing.
import { EndpointCheckBodySchema, EndpointCheckDtoSchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function checkEndpointRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/endpoints/check",
    {
      schema: {
        tags: ["endpoints"],
        summary: "Check an endpoint clients would connect to",
        body: EndpointCheckBodySchema,
        response: { 200: EndpointCheckDtoSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => context.services.endpoints.check(request.body),
  );
}
