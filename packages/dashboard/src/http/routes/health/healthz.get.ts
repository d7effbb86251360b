// GET /healthz — unauthenticated liveness: the process answers and the database does `select 1`.
import { Type } from "@sinclair/typebox";
import { pingDatabase } from "../../../db/connection.js";
import type { AppContext } from "../../context.js";
import type { TypedApp } from "../../types.js";

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("unavailable")]),
  database: Type.Union([Type.Literal("ok"), Type.Literal("unreachable")]),
});

export function healthzRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/healthz",
    {
      config: { auth: "public" },
      schema: {
        tags: ["health"],
        summary: "Liveness and database reachability",
        security: [],
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
    async (request, reply) => {
      try {
        await pingDatabase(context.db);
        return { status: "ok" as const, database: "ok" as const };
      } catch (error) {
        request.log.warn(
          { err: { message: (error as Error).message } },
          "health check: database unreachable",
        );
        return reply.code(503).send({ status: "unavailable", database: "unreachable" });
      }
    },
  );
}
