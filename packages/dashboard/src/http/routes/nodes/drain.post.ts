// POST /api/v1/nodes/:id/drain — every peer of the node moved to where `auto` puts it: the plan (200)
// on `dryRun`, otherwise a resumable job (202 `{jobId, plan}`; progress at GET /api/v1/jobs/:id).
// The node takes no new peers from then on, until PATCH /api/v1/nodes/:id `{draining: false}`.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { DrainAnswerSchema, DrainNodeBody } from "./schemas.js";

export function drainNodeRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes/:id/drain",
    {
      schema: {
        tags: ["nodes"],
        summary: "Drain a node (plan, or move all its peers away)",
        params: IdParams,
        body: DrainNodeBody,
        response: {
          200: DrainAnswerSchema,
          202: DrainAnswerSchema,
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const answer = await context.services.drains.drain(
        request.params.id,
        request.body ?? {},
        auditName(request.actor),
      );
      return "jobId" in answer ? reply.code(202).send(answer) : answer;
    },
  );
}
