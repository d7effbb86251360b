// GET /api/v1/audit — the audit trail, newest first, filtered by actor, entity, action and time, one
// page at a time (admins only).
import { AuditPageDtoSchema, AuditQuerySchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function listAuditRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/audit",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["audit"],
        summary: "Read the audit trail",
        querystring: AuditQuerySchema,
        response: { 200: AuditPageDtoSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => context.services.audit.page(request.query),
  );
}
