// GET /metrics — Prometheus text on the main port, only behind the bearer token
// (--metrics-token-file / WGFLEET_METRICS_TOKEN); without one it answers 404 (use --metrics-listen).
import { Type } from "@sinclair/typebox";
import { PROMETHEUS_CONTENT_TYPE } from "../../../metrics/registry.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function metricsRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/metrics",
    {
      config: { auth: "metrics" },
      schema: {
        tags: ["health"],
        summary: "Prometheus metrics",
        response: { 200: Type.String(), ...errorResponses(401, 404) },
      },
    },
    async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await context.metrics.render()),
  );
}
