// GET /api/v1/jobs/:id — a job's progress: status, counts, the errors of failed items, every item.
import { JobDtoSchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function getJobRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/jobs/:id",
    {
      schema: {
        tags: ["jobs"],
        summary: "A job's progress",
        params: IdParams,
        response: { 200: JobDtoSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.jobs.get(request.params.id),
  );
}
