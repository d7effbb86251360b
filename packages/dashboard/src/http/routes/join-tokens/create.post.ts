// POST /api/v1/join-tokens — a one-time token for a new server to join with, and the command to paste
// there. The token is in this answer only.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { publicBaseUrl } from "../../public-base-url.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { CreatedJoinTokenSchema, CreateJoinTokenBody } from "./schemas.js";

export function createJoinTokenRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/join-tokens",
    {
      schema: {
        tags: ["nodes"],
        summary: "Make a join token for a new node",
        body: CreateJoinTokenBody,
        response: { 201: CreatedJoinTokenSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const created = await context.services.joinTokens.create(
        request.body ?? {},
        auditName(request.actor),
        publicBaseUrl(context.config, request),
      );
      return reply.code(201).send(created);
    },
  );
}
