// POST /api/v1/nodes/:id/adopt — take over a WireGuard interface the node runs but wgfleet does not
// manage (WGDashboard's, wg-easy's, a hand-made one) as a configuration's interface, in place: no
// restart, no tunnel dropped. `config`, the interface's wg-quick file, gives the peers' names.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { AdoptInterfaceBody, AdoptionSchema } from "./schemas.js";

export function adoptInterfaceRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes/:id/adopt",
    {
      schema: {
        tags: ["nodes"],
        summary: "Adopt a live WireGuard interface into a configuration",
        params: IdParams,
        body: AdoptInterfaceBody,
        response: { 201: AdoptionSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const adopted = await context.services.adoption.adoptLive(
        request.params.id,
        request.body,
        auditName(request.actor),
      );
      return reply.code(201).send(adopted);
    },
  );
}
