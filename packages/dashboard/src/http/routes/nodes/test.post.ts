// POST /api/v1/nodes/:id/test — a signed call to the node's agent: whether the URL (and TLS), the
// secret, the clock and the agent's version are right, naming the first thing wrong. Always 200 with
// `ok`; 404 for an unknown node.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { NodeTestSchema } from "./schemas.js";

export function testNodeRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes/:id/test",
    {
      schema: {
        tags: ["nodes"],
        summary: "Test the connection to a node's agent",
        params: IdParams,
        response: { 200: NodeTestSchema, ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (request) => context.services.nodeTests.test(request.params.id),
  );
}
