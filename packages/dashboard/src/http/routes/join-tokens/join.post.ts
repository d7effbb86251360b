// POST /api/v1/join — public: a new server's agent (`wgfleet-agent join`) adds itself as a node with a
// one-time join token instead of a login. Rate-limited per address like the public share routes; the
// body holds the token and the agent's secret, so this route is never logged at info level.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { JoinBody, JoinedNodeSchema } from "./schemas.js";

export function joinRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/join",
    {
      config: { auth: "public" },
      logLevel: "warn",
      schema: {
        tags: ["nodes"],
        summary: "Join as a node with a join token (the agent's `join` command)",
        security: [],
        body: JoinBody,
        response: { 201: JoinedNodeSchema, ...errorResponses(400, 401, 409, 429, 502, 503) },
      },
    },
    async (request, reply) => {
      const node = await context.services.joinTokens.join(request.body, request.ip);
      return reply.code(201).send(node);
    },
  );
}
