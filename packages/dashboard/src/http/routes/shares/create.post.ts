// POST /api/v1/peers/:id/share — a share link to the peer's config (admins). The answer's `url` holds
// the token: shown once. The address is the dashboard's public URL (--public-url), else this request's.
import type { AppContext } from "../../context.js";
import { publicBaseUrl } from "../../public-base-url.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { CreatedShareLinkSchema, CreateShareLinkBody } from "./schemas.js";

export function createShareLinkRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/peers/:id/share",
    {
      schema: {
        tags: ["shares"],
        summary: "Share a peer's config through a link",
        params: IdParams,
        body: CreateShareLinkBody,
        response: { 201: CreatedShareLinkSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await context.services.shares.create(
        request.params.id,
        request.body ?? {},
        request.actor,
        publicBaseUrl(context.config, request),
      );
      return reply.code(201).send(created);
    },
  );
}
